"""The lead-photo picker of the article form (``LeadPhotoWidget``) and the photo warnings it carries."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article, Image
from articles.tests.factories import ArticleFactory, ImageFactory, figure
from articles.tests.test_workflow import article_form
from articles.widgets import LeadPhotoWidget

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/articles/article/"
EDITORIAL = Image.Restriction.EDITORIAL
THIS_ARTICLE = Image.Restriction.THIS_ARTICLE


def lead_photo(page):
    """The widget's part of the change form."""
    return re.search(r'<div class="lead-photo".*?<div class="photo-warnings".*?</div>', page, re.DOTALL)[0]


def warnings(page):
    region = re.search(
        r'<div class="photo-warnings" role="status" data-photo-warnings>(.*?)</div>', page, re.DOTALL
    )
    return re.findall(r'<p class="photo-warnings__item">(.*?)</p>', region[1])


def test_chosen_photo_shows_with_thumbnail_caption_credit_and_restriction(editor_client):
    photo = ImageFactory(
        caption="Most u sumrak", credit="Ana Ilić", alt_text="Most preko Save", restriction=EDITORIAL
    )
    article = ArticleFactory(hero_image=photo)
    widget = lead_photo(editor_client.get(f"{CHANGELIST}{article.pk}/change/").content.decode())
    assert re.search(r'<img class="lead-photo__thumb" src="/media/[^"]+\.webp" alt="Most preko Save"', widget)
    assert '<p class="lead-photo__caption">Most u sumrak</p>' in widget
    assert '<p class="lead-photo__credit">Foto: Ana Ilić</p>' in widget
    assert "Samo za uredničku upotrebu (EDITORIAL USE ONLY)" in widget
    assert f'name="hero_image" value="{photo.pk}"' in widget  # what the form posts, as before
    assert ">Promeni</button>" in widget


def test_without_a_lead_photo_the_picker_offers_to_choose_one(editor_client):
    widget = lead_photo(editor_client.get(f"{CHANGELIST}add/").content.decode())
    assert "Glavna fotografija nije izabrana." in widget
    assert ">Izaberi fotografiju</button>" in widget
    assert re.search(r'<input type="text" name="hero_image" class="lead-photo__id"', widget)


@pytest.mark.parametrize(
    "value, shown",
    [
        ("abc", "Glavna fotografija nije izabrana."),
        ("-3", "Glavna fotografija nije izabrana."),
        ("9" * 5000, "Glavna fotografija nije izabrana."),
        ("١٢", "Glavna fotografija nije izabrana."),
        ("424242", "Fotografija #424242 ne postoji u biblioteci."),
    ],
    ids=["letters", "negative", "huge", "arabic-digits", "deleted-photo"],
)
def test_widget_renders_any_value_without_crashing(value, shown):
    html = LeadPhotoWidget().render("hero_image", value)
    assert shown in html


@pytest.mark.parametrize(
    "value",
    ["abc", "-1", "1.5", "99999999999999999999", "424242", "1 OR 1=1"],
    ids=["letters", "negative", "decimal", "overflow", "deleted-photo", "injection"],
)
def test_posting_a_bad_lead_photo_answers_the_form_with_a_message(editor_client, value):
    article = ArticleFactory()
    response = editor_client.post(
        f"{CHANGELIST}{article.pk}/change/", article_form(article, hero_image=value)
    )
    assert response.status_code == 200
    assert "U biblioteci nema fotografije sa tim brojem" in response.content.decode()
    assert Article.objects.get(pk=article.pk).hero_image is None


def test_posting_a_photo_id_sets_the_lead_photo(editor_client):
    article = ArticleFactory()
    photo = ImageFactory()
    response = editor_client.post(
        f"{CHANGELIST}{article.pk}/change/", article_form(article, hero_image=str(photo.pk))
    )
    assert response.status_code == 302
    assert Article.objects.get(pk=article.pk).hero_image == photo


def widget_queries(value, article=None):
    widget = LeadPhotoWidget()
    widget.article = article
    with CaptureQueriesContext(connection) as captured:
        widget.render("hero_image", value)
    return len(captured)


def test_widget_queries_are_fixed_however_many_photos_the_article_shows():
    assert widget_queries("") == 0
    hero = ImageFactory()
    assert widget_queries(str(hero.pk)) == 1
    elsewhere = ArticleFactory()
    few = [ImageFactory(restriction=THIS_ARTICLE)]
    many = [
        ImageFactory(restriction=restriction) for restriction in [THIS_ARTICLE, EDITORIAL, THIS_ARTICLE, ""]
    ]
    elsewhere.body = "".join(figure(image) for image in [*few, *many])
    elsewhere.save()
    with_few = ArticleFactory(hero_image=hero, body="".join(figure(image) for image in few))
    with_many = ArticleFactory(hero_image=hero, body="".join(figure(image) for image in many))
    assert widget_queries(str(hero.pk), with_few) == widget_queries(str(hero.pk), with_many) == 2


def test_change_form_queries_do_not_grow_with_the_photos(editor_client):
    def queries(article):
        with CaptureQueriesContext(connection) as captured:
            assert editor_client.get(f"{CHANGELIST}{article.pk}/change/").status_code == 200
        return len(captured)

    restricted = [ImageFactory(restriction=THIS_ARTICLE) for _ in range(4)]
    ArticleFactory(body="".join(figure(image) for image in restricted))
    few = ArticleFactory(hero_image=ImageFactory(), body=figure(restricted[0]))
    many = ArticleFactory(
        hero_image=ImageFactory(restriction=EDITORIAL), body="".join(figure(image) for image in restricted)
    )
    queries(few)  # the first request fills caches (sessions, permissions) the second would not need
    assert queries(few) == queries(many)


def test_opened_form_warns_about_the_restricted_photos_the_article_already_shows(editor_client):
    editorial = ImageFactory(caption="Samit u Briselu", restriction=EDITORIAL)
    exclusive = ImageFactory(caption="Ekskluzivni snimak", restriction=THIS_ARTICLE)
    only_here = ImageFactory(caption="Samo ovde", restriction=THIS_ARTICLE)
    ArticleFactory(title="Prvi članak", hero_image=exclusive)
    article = ArticleFactory(
        hero_image=editorial, body=f"<p>Tekst.</p>{figure(exclusive)}{figure(only_here)}"
    )
    page = editor_client.get(f"{CHANGELIST}{article.pk}/change/").content.decode()
    assert warnings(page) == [
        "Fotografija „Samit u Briselu“ je samo za uredničku upotrebu: "
        "ne ide u društvene mreže ni na naslovnu kao reklama.",
        "Fotografija „Ekskluzivni snimak“ sme u samo jedan članak; već je u članku „Prvi članak“.",
    ]


def test_form_without_restricted_photos_has_no_warning(editor_client):
    article = ArticleFactory(hero_image=ImageFactory(), body=figure(ImageFactory()))
    assert warnings(editor_client.get(f"{CHANGELIST}{article.pk}/change/").content.decode()) == []


def test_a_live_entry_s_photo_picker_names_itself_and_what_is_missing_as_an_entry_s():
    """One template serves both pickers; the group's label and its empty text (which lead_photo.js shows again
    when the photo is removed) are the widget's own."""
    from articles.live_admin import EntryPhotoWidget

    entry = EntryPhotoWidget().render("image", "")
    lead = LeadPhotoWidget().render("hero_image", "")
    empty = "Fotografija nije izabrana (nije obavezna)."
    assert f'aria-label="Fotografija unosa" data-empty-text="{empty}"' in entry
    assert f'<p class="lead-photo__empty">{empty}</p>' in entry
    assert "Glavna fotografija" not in entry
    assert 'aria-label="Glavna fotografija" data-empty-text="Glavna fotografija nije izabrana."' in lead
