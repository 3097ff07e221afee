"""Galleries as data: where they may stand in a body, and which articles show a photo through one."""

import pytest

from articles.models import Article
from articles.richtext import inline_gallery_ids, sanitize_html
from articles.tests.factories import (
    ArticleFactory,
    GalleryFactory,
    ImageFactory,
    figure,
    gallery_figure,
)

pytestmark = pytest.mark.django_db


def test_gallery_placeholder_survives_sanitizing_and_loses_anything_inside_it():
    body = sanitize_html('<p>Uvod.</p><figure data-gallery-id="7"><img src=x onerror=alert(1)>tekst</figure>')
    assert body == '<p>Uvod.</p><figure data-gallery-id="7"></figure>'
    assert inline_gallery_ids(body) == [7]


@pytest.mark.parametrize(
    "forged",
    [
        '<figure data-gallery-id="7 onclick=x"></figure>',
        '<figure data-gallery-id="-7"></figure>',
        '<figure data-gallery-id="７"></figure>',  # a full-width digit is not an id
        '<figure data-gallery-id=""></figure>',
    ],
)
def test_a_gallery_placeholder_with_a_bad_id_is_unwrapped(forged):
    assert "figure" not in sanitize_html(f"<p>A</p>{forged}")


def test_a_figure_naming_a_photo_and_a_gallery_keeps_only_the_first():
    body = sanitize_html('<figure data-image-id="3" data-gallery-id="7"></figure>')
    assert body == '<figure data-image-id="3"></figure>'


def test_articles_showing_a_photo_include_those_showing_it_in_a_gallery():
    photo, other = ImageFactory(), ImageFactory()
    gallery = GalleryFactory(images=[other, photo])
    as_lead = ArticleFactory(lead_gallery=gallery)
    in_body = ArticleFactory(body=f"<p>Tekst.</p>{gallery_figure(gallery)}")
    as_photo = ArticleFactory(body=figure(photo))
    ArticleFactory()  # shows nothing of it

    assert set(Article.objects.using_image(photo.pk)) == {as_lead, in_body, as_photo}
    assert set(Article.objects.using_gallery(gallery.pk)) == {as_lead, in_body}
    assert in_body.gallery_ids() == [gallery.pk]
    assert as_lead.image_ids() == {photo.pk, other.pk}


def test_a_photo_in_a_gallery_cannot_be_deleted_from_the_library():
    from django.db.models import ProtectedError

    photo = ImageFactory()
    GalleryFactory(images=[photo])
    with pytest.raises(ProtectedError):
        photo.delete()


def test_a_photo_story_saved_without_a_hero_photo_takes_its_gallerys_first_for_cards(client):
    from articles.services import save_article

    first, second = ImageFactory(alt_text="Ribari na Šodrošu u svitanje"), ImageFactory()
    gallery = GalleryFactory(images=[first, second])
    story = ArticleFactory.build(section=ArticleFactory().section, lead_gallery=gallery, hero_image=None)
    save_article(story)
    story.refresh_from_db()
    assert story.hero_image_id == first.pk

    # The section's listing shows it on the card (the page itself shows the gallery).
    assert "Ribari na Šodrošu u svitanje" in client.get(story.section.get_absolute_url()).content.decode()


def test_an_editors_own_hero_photo_is_kept_beside_a_lead_gallery():
    from articles.services import save_article

    hero, in_gallery = ImageFactory(), ImageFactory()
    story = ArticleFactory(lead_gallery=GalleryFactory(images=[in_gallery]), hero_image=hero)
    save_article(story)
    story.refresh_from_db()
    assert story.hero_image_id == hero.pk
