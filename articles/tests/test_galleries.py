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
