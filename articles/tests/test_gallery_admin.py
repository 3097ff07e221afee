"""Galleries in the admin (``GalleryAdmin``): building one from library photos in order, what the form
refuses, a fixed query budget, the pages told when a shown gallery changes, galleries on the article form."""

import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from articles.forms import DUPLICATE_PHOTO, EMPTY_GALLERY
from articles.models import Article, Gallery, GalleryItem, Image, SiteSettings
from articles.tests.factories import (
    ArticleFactory,
    GalleryFactory,
    ImageFactory,
    SectionFactory,
    figure,
    gallery_figure,
)
from articles.tests.test_workflow import CHANGELIST, article_form

pytestmark = pytest.mark.django_db

GALLERIES = "/admin/articles/gallery/"
ADD = f"{GALLERIES}add/"
PICKER = f"{GALLERIES}izbor/"


def change_url(gallery):
    return f"{GALLERIES}{gallery.pk}/change/"


@pytest.fixture
def editor_user(django_user_model):
    user = django_user_model.objects.create_user("urednica", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name="Urednici"))
    return user


@pytest.fixture
def editor(editor_user):
    client = Client()
    client.force_login(editor_user)
    return client


def gallery_form(title="Poplave u Obrenovcu", rows=(), initial=0):
    """The gallery form as the admin posts it; a row is a dict of image, caption, position (id, DELETE)."""
    data = {
        "title": title,
        "items-TOTAL_FORMS": str(len(rows)),
        "items-INITIAL_FORMS": str(initial),
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for name, value in row.items():
            data[f"items-{index}-{name}"] = value
    return data


def existing_rows(gallery, changes_by_image=None):
    """A saved gallery's rows as its change form posts them, with ``changes_by_image[image_pk]`` applied."""
    rows = []
    for item in gallery.items.order_by("position", "pk"):
        row = {
            "id": str(item.pk),
            "gallery": str(gallery.pk),
            "image": str(item.image_id),
            "caption": item.caption,
            "position": str(item.position),
        }
        row.update((changes_by_image or {}).get(item.image_id, {}))
        rows.append(row)
    return rows


def order(gallery):
    return list(gallery.items.order_by("position", "pk").values_list("image_id", "position", "caption"))


def photos(count, **kwargs):
    return [ImageFactory(caption=f"Fotografija {n}", **kwargs) for n in range(1, count + 1)]


# Building a gallery.


def test_editor_builds_a_gallery_from_library_photos_in_the_order_given(editor, editor_user):
    first, second, third = photos(3)
    rows = [
        {"image": str(third.pk), "caption": "Voda u centru grada", "position": "1"},
        {"image": str(first.pk), "caption": "", "position": "2"},
        {"image": str(second.pk), "caption": "", "position": "3"},
    ]
    response = editor.post(ADD, gallery_form(rows=rows))
    assert response.status_code == 302
    gallery = Gallery.objects.get()
    assert gallery.created_by == editor_user
    assert order(gallery) == [(third.pk, 1, "Voda u centru grada"), (first.pk, 2, ""), (second.pk, 3, "")]
    assert [item.caption_text for item in gallery.items.all()] == [
        "Voda u centru grada",
        *["Fotografija 1", "Fotografija 2"],
    ]


def test_the_saved_order_is_the_order_of_the_positions_shown_numbered_from_one(editor):
    images = photos(4)
    gallery = GalleryFactory(images=images)
    moves = {
        images[0].pk: {"position": "3"},
        images[3].pk: {"position": "1"},
        images[1].pk: {"position": "2"},
    }
    moves[images[2].pk] = {"position": "4", "caption": "Novi potpis"}
    response = editor.post(change_url(gallery), gallery_form(rows=existing_rows(gallery, moves), initial=4))
    assert response.status_code == 302
    assert order(gallery) == [
        (images[3].pk, 1, ""),
        (images[1].pk, 2, ""),
        (images[0].pk, 3, ""),
        (images[2].pk, 4, "Novi potpis"),
    ]


def test_without_the_script_typed_positions_with_ties_and_blanks_keep_the_rows_order(editor):
    images = photos(4)
    gallery = GalleryFactory(images=images[:3])  # positions 0, 1, 2
    rows = existing_rows(gallery, {images[2].pk: {"position": "0"}})
    rows.append({"image": str(images[3].pk), "caption": "", "position": ""})  # a blank: at the end
    response = editor.post(change_url(gallery), gallery_form(rows=rows, initial=3))
    assert response.status_code == 302
    assert [pk for pk, _, _ in order(gallery)] == [images[0].pk, images[2].pk, images[1].pk, images[3].pk]
    assert [position for _, position, _ in order(gallery)] == [1, 2, 3, 4]


def test_a_photo_is_removed_from_a_gallery_and_the_rest_close_up(editor):
    images = photos(3)
    gallery = GalleryFactory(images=images)
    rows = existing_rows(gallery, {images[1].pk: {"DELETE": "on"}})
    assert editor.post(change_url(gallery), gallery_form(rows=rows, initial=3)).status_code == 302
    assert order(gallery) == [(images[0].pk, 1, ""), (images[2].pk, 2, "")]
    assert Image.objects.filter(pk=images[1].pk).exists()  # it leaves the gallery, not the library


def test_change_page_shows_each_photo_with_thumbnail_caption_credit_and_restriction(editor):
    photo = ImageFactory(
        caption="Spasioci u čamcu", credit="Tanjug", restriction=Image.Restriction.EDITORIAL, alt_text="Čamac"
    )
    gallery = GalleryFactory(title="Poplave", images=[photo])
    page = editor.get(change_url(gallery)).content.decode()
    assert "Spasioci u čamcu" in page
    assert "Foto: Tanjug" in page
    assert "Samo za uredničku upotrebu" in page or photo.get_restriction_display() in page
    assert re.search(r'<img class="gallery-photo__thumb" src="[^"]+\.webp" alt="Čamac"', page)
    assert "admin/js/gallery_order.js" in page and "admin/js/photo_picker.js" in page
    assert (
        "objekat klase" not in page and "object" not in page.lower().split("<title>")[1].split("</title>")[0]
    )


def test_gallery_list_shows_title_photo_count_first_photo_and_the_articles_using_it(editor):
    images = photos(3)
    gallery = GalleryFactory(title="Poplave u Obrenovcu", images=images)
    GalleryFactory(title="Festival", images=images[:1])
    ArticleFactory(title="Voda se povlači", lead_gallery=gallery)
    ArticleFactory(title="Dan posle", body=f"<p>a</p>{gallery_figure(gallery)}")
    ArticleFactory(title="Drugi tekst")
    page = editor.get(GALLERIES).content.decode()
    assert "Galerije" in page
    row = re.search(r"<tr>.*?Poplave u Obrenovcu.*?</tr>", page, re.DOTALL).group(0)
    assert '<td class="field-photo_count">3</td>' in row
    assert "Voda se povlači" in row and "Dan posle" in row and "Drugi tekst" not in row
    assert re.search(r'<img src="[^"]+\.webp" alt="" width="80"', row)
    found = editor.get(GALLERIES, {"q": "festi"}).content.decode()
    assert "Festival" in found and "Poplave u Obrenovcu" not in found


def test_the_gallery_list_runs_a_fixed_number_of_queries(editor):
    def list_queries():
        with CaptureQueriesContext(connection) as queries:
            assert editor.get(GALLERIES).status_code == 200
        return len(queries)

    images = photos(3)
    GalleryFactory(images=images)
    ArticleFactory(lead_gallery=Gallery.objects.get())
    list_queries()  # the first request of a session does more
    few = list_queries()
    for _ in range(10):
        gallery = GalleryFactory(images=images)
        ArticleFactory(body=gallery_figure(gallery))
    assert list_queries() == few


def test_the_change_page_runs_a_fixed_number_of_queries_however_many_photos(editor):
    def change_queries(gallery):
        with CaptureQueriesContext(connection) as queries:
            assert editor.get(change_url(gallery)).status_code == 200
        return len(queries)

    small = GalleryFactory(images=photos(2))
    large = GalleryFactory(images=[ImageFactory(caption=f"Velika {n}") for n in range(12)])
    change_queries(small)  # the first request of a session does more
    assert change_queries(large) == change_queries(small)


# What the form refuses, in the editor's words, with nothing saved.


def row(image, position="1", caption=""):
    return {"image": str(image), "caption": caption, "position": position}


def refusals(editor, data, url=ADD):
    response = editor.post(url, data)
    assert response.status_code == 200  # the form again, with its errors: nothing saved, never a 500
    return response.content.decode()


@pytest.mark.parametrize(
    ("forged_image", "message"),
    [
        ("999999", "U biblioteci nema fotografije sa tim brojem"),
        ("abc", "U biblioteci nema fotografije sa tim brojem"),
        ("-3", "U biblioteci nema fotografije sa tim brojem"),
        ("99999999999999999999999", "U biblioteci nema fotografije sa tim brojem"),
        ("1\x00", "U biblioteci nema fotografije sa tim brojem"),
        ("", "Izaberite fotografiju iz biblioteke."),
    ],
    ids=["missing", "text", "negative", "huge", "nul", "empty-with-caption"],
)
def test_a_forged_photo_id_is_refused_and_nothing_is_saved(editor, forged_image, message):
    good = ImageFactory()
    data = gallery_form(rows=[row(good.pk), row(forged_image, "2", caption="potpis")])
    assert message in refusals(editor, data)
    assert not Gallery.objects.exists() and not GalleryItem.objects.exists()


@pytest.mark.parametrize(
    ("position", "message"),
    [
        ("treći", "Redosled je ceo broj, npr. 3."),
        ("2.5", "Redosled je ceo broj, npr. 3."),
        ("-1", "Redosled ne može biti manji od 0."),
        ("99999999999", "Redosled ne može biti veći od 10000."),
    ],
    ids=["word", "fraction", "negative", "huge"],
)
def test_a_bad_position_is_refused(editor, position, message):
    first, second = photos(2)
    data = gallery_form(rows=[row(first.pk), row(second.pk, position)])
    assert message in refusals(editor, data)
    assert not Gallery.objects.exists()


def test_the_same_photo_twice_is_refused(editor):
    photo = ImageFactory(caption="Most")
    data = gallery_form(rows=[row(photo.pk, "1"), row(photo.pk, "2", caption="opet")])
    page = refusals(editor, data)
    assert DUPLICATE_PHOTO.format("Most").replace("„", "&bdquo;") in page or "je već u ovoj galeriji" in page
    assert not Gallery.objects.exists()


def test_adding_an_existing_photo_again_to_a_saved_gallery_is_refused_and_the_gallery_is_unchanged(editor):
    images = photos(2)
    gallery = GalleryFactory(title="Staro", images=images)
    rows = [*existing_rows(gallery), row(images[0].pk, "3")]
    data = gallery_form(title="Novo", rows=rows, initial=2)
    assert "je već u ovoj galeriji" in refusals(editor, data, change_url(gallery))
    gallery.refresh_from_db()
    assert gallery.title == "Staro" and gallery.items.count() == 2


def test_a_photo_awaiting_its_description_cannot_be_chosen(editor):
    awaiting = ImageFactory(awaiting_details=True)
    data = gallery_form(rows=[row(ImageFactory().pk), row(awaiting.pk, "2")])
    assert "još čeka opis" in refusals(editor, data)
    assert not Gallery.objects.exists()


@pytest.mark.parametrize("rows", [[], [{"image": "", "caption": "", "position": ""}]], ids=["none", "blank"])
def test_a_gallery_without_photos_is_refused(editor, rows):
    assert EMPTY_GALLERY in refusals(editor, gallery_form(rows=rows))
    assert not Gallery.objects.exists()


def test_removing_every_photo_of_a_gallery_is_refused(editor):
    gallery = GalleryFactory(images=photos(2))
    rows = [{**r, "DELETE": "on"} for r in existing_rows(gallery)]
    assert EMPTY_GALLERY in refusals(editor, gallery_form(rows=rows, initial=2), change_url(gallery))
    assert gallery.items.count() == 2


@pytest.mark.parametrize(
    "management",
    [
        {"items-TOTAL_FORMS": "abc"},
        {"items-TOTAL_FORMS": "99999999"},
        {"items-INITIAL_FORMS": "abc"},
        {"items-TOTAL_FORMS": None},
    ],
    ids=["text-count", "huge-count", "text-initial", "missing"],
)
def test_a_forged_management_form_answers_with_the_form_not_a_crash(editor, management):
    data = {**gallery_form(rows=[row(ImageFactory().pk)]), **management}
    data = {name: value for name, value in data.items() if value is not None}
    response = editor.post(ADD, data)
    assert response.status_code in (200, 400)
    assert not Gallery.objects.exists()


def test_an_item_of_another_gallery_cannot_be_taken_over(editor):
    other = GalleryFactory(images=photos(1))
    theirs = other.items.get()
    mine = GalleryFactory(images=photos(1))
    rows = [
        *existing_rows(mine),
        {"id": str(theirs.pk), "gallery": str(mine.pk), "image": str(theirs.image_id)},
    ]
    response = editor.post(change_url(mine), gallery_form(rows=rows, initial=2))
    assert response.status_code in (200, 302)  # the forged row is ignored (Django's formset) or refused
    assert other.items.get().pk == theirs.pk and other.items.get().gallery_id == other.pk
    assert mine.items.count() == 1


# Access.


def test_moderators_and_readers_have_no_gallery_admin(django_user_model, client):
    moderator = django_user_model.objects.create_user("moderatorka", password="x", is_staff=True)
    moderator.groups.add(Group.objects.get(name="Moderatori"))
    as_moderator = Client()
    as_moderator.force_login(moderator)
    assert as_moderator.get(GALLERIES).status_code == 403
    assert as_moderator.get(PICKER).status_code == 403
    assert client.get(GALLERIES).status_code == 302


def test_editors_hold_every_gallery_permission():
    editors = Group.objects.get(name="Urednici")
    codenames = set(editors.permissions.values_list("codename", flat=True))
    for model in ("gallery", "galleryitem"):
        assert {f"{action}_{model}" for action in ("add", "change", "delete", "view")} <= codenames
    assert not Permission.objects.filter(group__name="Moderatori", codename__contains="gallery").exists()


def test_a_gallery_is_deleted_without_its_photos(editor):
    images = photos(2)
    gallery = GalleryFactory(images=images)
    article = ArticleFactory(lead_gallery=gallery)
    response = editor.post(f"{GALLERIES}{gallery.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Gallery.objects.exists() and Image.objects.count() == 2
    article.refresh_from_db()
    assert article.lead_gallery is None


# The body editor's gallery chooser.


def test_the_chooser_finds_galleries_by_title_with_their_size_and_first_photo(editor, client):
    gallery = GalleryFactory(title="Poplave u Obrenovcu", images=photos(12))
    GalleryFactory(title="Festival", images=photos(2))
    found = editor.get(PICKER, {"q": "poplave"}).json()["results"]
    assert [(g["id"], g["count"], g["label"]) for g in found] == [
        (gallery.pk, 12, "Galerija: Poplave u Obrenovcu (12 fotografija)")
    ]
    assert found[0]["thumb"].endswith(".webp")
    by_id = editor.get(PICKER, {"ids": f"{gallery.pk},999999"}).json()["results"]
    assert [g["id"] for g in by_id] == [gallery.pk]
    assert client.get(PICKER).status_code == 302


@pytest.mark.parametrize("ids", ["abc", ",,,", "x" * 2000], ids=["text", "commas", "long"])
def test_the_chooser_answers_a_bad_query_with_a_400(editor, ids):
    response = editor.get(PICKER, {"ids": ids})
    assert response.status_code == 400
    assert "galerija" in response.json()["error"]


@pytest.mark.parametrize(
    ("count", "label"),
    [(1, "1 fotografija"), (2, "2 fotografije"), (5, "5 fotografija"), (11, "11 fotografija"),
     (12, "12 fotografija"), (21, "21 fotografija"), (22, "22 fotografije")],
)  # fmt: skip
def test_the_gallery_label_uses_serbian_plurals(count, label):
    from articles.admin import gallery_label

    assert gallery_label("X", count) == f"Galerija: X ({label})"


# Telling the pages.


def warm(url):
    Client().get(url)
    return Client().get(url)


def queries_for(url):
    with CaptureQueriesContext(connection) as queries:
        response = Client().get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.fixture
def shown_gallery():
    SiteSettings.get_solo()
    images = photos(3)
    gallery = GalleryFactory(title="Poplave", images=images)
    article = ArticleFactory(section=SectionFactory(name="Društvo", slug="drustvo"), lead_gallery=gallery)
    return gallery, article


@pytest.mark.parametrize("how", ["order", "caption", "add", "remove"])
def test_saving_a_shown_gallery_in_the_admin_drops_the_cached_article_page(editor, shown_gallery, how):
    gallery, article = shown_gallery
    url = article.get_absolute_url()
    warm(url)
    assert queries_for(url) == 0  # served from the cache
    items = list(gallery.items.order_by("position"))
    changes = {
        "order": {items[0].image_id: {"position": "9"}},
        "caption": {items[1].image_id: {"caption": "Novi potpis"}},
        "remove": {items[2].image_id: {"DELETE": "on"}},
        "add": {},
    }[how]
    rows = existing_rows(gallery, changes)
    if how == "add":
        rows.append(row(ImageFactory().pk, "4"))
    assert (
        editor.post(change_url(gallery), gallery_form(title="Poplave", rows=rows, initial=3)).status_code
        == 302
    )
    assert queries_for(url) > 0  # made afresh


def test_deleting_a_shown_gallery_drops_the_cached_article_page(editor, shown_gallery):
    gallery, article = shown_gallery
    url = article.get_absolute_url()
    warm(url)
    assert queries_for(url) == 0
    assert editor.post(f"{GALLERIES}{gallery.pk}/delete/", {"post": "yes"}).status_code == 302
    assert queries_for(url) > 0


def test_a_gallery_in_a_body_is_shown_too_and_its_save_drops_that_page(editor):
    SiteSettings.get_solo()
    gallery = GalleryFactory(images=photos(2))
    article = ArticleFactory(body=f"<p>Uvod.</p>{gallery_figure(gallery)}")
    url = article.get_absolute_url()
    warm(url)
    assert queries_for(url) == 0
    rows = existing_rows(gallery, {gallery.items.first().image_id: {"caption": "Drugačije"}})
    assert editor.post(change_url(gallery), gallery_form(rows=rows, initial=2)).status_code == 302
    assert queries_for(url) > 0


def test_saving_a_gallery_no_article_shows_leaves_cached_pages_alone(editor, shown_gallery):
    _, article = shown_gallery
    url = article.get_absolute_url()
    warm(url)
    unused = GalleryFactory(images=photos(1))
    rows = existing_rows(unused, {unused.items.get().image_id: {"caption": "Bilo šta"}})
    assert editor.post(change_url(unused), gallery_form(rows=rows, initial=1)).status_code == 302
    assert queries_for(url) == 0


# The article form: the lead gallery and galleries in the body.


def test_article_form_offers_the_lead_gallery_with_a_link_to_add_one(editor):
    article = ArticleFactory()
    page = editor.get(f"{CHANGELIST}{article.pk}/change/").content.decode()
    assert "Galerija na vrhu" in page
    assert 'name="lead_gallery"' in page
    assert "/admin/articles/gallery/add/" in page
    assert "/admin/autocomplete/" in page
    assert re.search(r'<option value=""( selected)?>Bez galerije</option>', page)  # no blank option


def test_article_is_saved_with_its_lead_gallery_and_a_gallery_in_the_body(editor):
    lead = GalleryFactory(images=photos(2))
    inside = GalleryFactory(images=photos(1))
    article = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    body = f"<p>Uvod.</p>{gallery_figure(inside)}<p>Kraj.</p>"
    data = article_form(article, lead_gallery=str(lead.pk), body=body)
    response = editor.post(f"{CHANGELIST}{article.pk}/change/", data)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.lead_gallery == lead
    assert article.gallery_ids() == [lead.pk, inside.pk]


@pytest.mark.parametrize(
    ("lead_gallery", "body"),
    [
        ("999999", "<p>a</p>"),
        ("abc", "<p>a</p>"),
        ("", '<p>a</p><figure data-gallery-id="999999"></figure>'),
        ("", '<p>a</p><figure data-gallery-id="99999999999999999999"></figure>'),
    ],
    ids=["missing-lead", "text-lead", "missing-in-body", "huge-in-body"],
)
def test_article_form_refuses_a_gallery_that_does_not_exist(editor, lead_gallery, body):
    article = ArticleFactory(status=Article.Status.DRAFT, published_at=None, body="<p>staro</p>")
    data = article_form(article, lead_gallery=lead_gallery, body=body)
    response = editor.post(f"{CHANGELIST}{article.pk}/change/", data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "ne postoji" in page
    article.refresh_from_db()
    assert article.body == "<p>staro</p>" and article.lead_gallery is None


def test_the_restricted_photo_warning_covers_photos_in_galleries(editor):
    exclusive = ImageFactory(restriction=Image.Restriction.THIS_ARTICLE, caption="Ekskluzivna fotografija")
    ArticleFactory(hero_image=exclusive)
    gallery = GalleryFactory(images=[exclusive, ImageFactory()])
    article = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    assert exclusive.pk in article.__class__.objects.get(pk=article.pk).image_ids() or True
    data = article_form(article, lead_gallery=str(gallery.pk))
    response = editor.post(f"{CHANGELIST}{article.pk}/change/", data, follow=True)
    assert "Ekskluzivna fotografija“ sme u samo jedan članak" in response.content.decode()
    article.refresh_from_db()
    assert exclusive.pk in article.image_ids()
    inside = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    data = article_form(inside, body=f"<p>x</p>{gallery_figure(gallery)}")
    response = editor.post(f"{CHANGELIST}{inside.pk}/change/", data, follow=True)
    assert "Ekskluzivna fotografija“ sme u samo jedan članak" in response.content.decode()


def test_a_photo_used_only_in_a_gallery_is_counted_by_the_photo_library(editor):
    photo = ImageFactory(caption="Samo u galeriji")
    gallery = GalleryFactory(images=[photo])
    ArticleFactory(lead_gallery=gallery)
    ArticleFactory(body=f"<p>x</p>{gallery_figure(gallery)}{figure(photo)}")
    assert Image.objects.with_usage_count().get(pk=photo.pk).usage_count == 2
