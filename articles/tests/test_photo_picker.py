"""The photo library endpoint of the article form's pickers (``ImageAdmin.picker_view``, ``photo_picker``)."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from articles.models import Article, Image
from articles.photo_picker import MAX_IDS
from articles.tests.factories import ArticleFactory, ImageFactory, figure

pytestmark = pytest.mark.django_db

PICKER = "/admin/articles/image/izbor/"
EDITORIAL = Image.Restriction.EDITORIAL
THIS_ARTICLE = Image.Restriction.THIS_ARTICLE


def test_search_answers_caption_credit_alt_thumbnail_and_restriction(editor_client):
    ImageFactory(
        caption="Most u sumrak",
        credit="Marko Ilić",
        alt_text="Most preko Save",
        restriction=EDITORIAL,
        restriction_note="Uslovi agencije EPA",
    )
    ImageFactory(caption="Pijaca ujutru", credit="Tanjug")
    [photo] = editor_client.get(PICKER, {"q": "ilić"}).json()["results"]
    assert photo["text"] == photo["caption"] == "Most u sumrak"
    assert (photo["credit"], photo["alt"]) == ("Marko Ilić", "Most preko Save")
    assert photo["restriction"] == {
        "code": "editorial",
        "label": "Samo za uredničku upotrebu (EDITORIAL USE ONLY)",
        "note": "Uslovi agencije EPA",
        "text": "Samo za uredničku upotrebu (EDITORIAL USE ONLY) · Uslovi agencije EPA",
    }
    assert photo["thumb"].startswith("/media/") and photo["thumb"].endswith(".webp")
    assert "samo za uredničku upotrebu" in photo["warning"]


def test_photo_without_restriction_has_neither_label_nor_warning(editor_client):
    ImageFactory()
    [photo] = editor_client.get(PICKER).json()["results"]
    assert photo["restriction"] == {"code": "", "label": "", "note": "", "text": ""}
    assert photo["warning"] == ""


def test_ids_answer_those_photos_in_their_order_skipping_what_is_not_an_id(editor_client):
    first, second, third = ImageFactory(), ImageFactory(), ImageFactory()
    ids = f"{third.pk}, x,{first.pk},{third.pk},-4,{second.pk}9999999999,{second.pk}"
    found = editor_client.get(PICKER, {"ids": ids}).json()["results"]
    assert [photo["id"] for photo in found] == [third.pk, first.pk, second.pk]


def test_ids_of_deleted_photos_are_left_out(editor_client):
    kept, deleted = ImageFactory(), ImageFactory()
    deleted_pk = deleted.pk
    deleted.delete()
    found = editor_client.get(PICKER, {"ids": f"{deleted_pk},{kept.pk}"}).json()["results"]
    assert [photo["id"] for photo in found] == [kept.pk]


def test_ids_answer_at_most_the_limit(editor_client):
    photos = ImageFactory.create_batch(MAX_IDS + 3)
    ids = ",".join(str(photo.pk) for photo in photos)
    found = editor_client.get(PICKER, {"ids": ids}).json()["results"]
    assert [photo["id"] for photo in found] == [photo.pk for photo in photos[:MAX_IDS]]


def test_ids_cost_the_same_queries_for_one_photo_or_many(editor_client):
    def queries(images):
        ids = ",".join(str(image.pk) for image in images)
        with CaptureQueriesContext(connection) as captured:
            assert editor_client.get(PICKER, {"ids": ids, "article": "1"}).status_code == 200
        return len(captured)

    one = [ImageFactory(restriction=THIS_ARTICLE)]
    many = [
        ImageFactory(restriction=restriction) for restriction in [THIS_ARTICLE, EDITORIAL, "", THIS_ARTICLE]
    ]
    ArticleFactory(body=figure(one[0]) + figure(many[0]) + figure(many[3]))
    assert queries(one) == queries(many)


@pytest.mark.parametrize(
    "query",
    [
        {"ids": "abc"},
        {"ids": ",,,"},
        {"ids": "-1"},
        {"ids": "0"},
        {"ids": "99999999999"},
        {"ids": "١٢"},  # digits, but not ASCII ones
        {"ids": "1\x00"},
        {"ids": "1," * 600},
        {"q": "most\x00"},
        {"article": "abc"},
        {"article": "0"},
        {"article": "99999999999"},
    ],
    ids=[
        "letters",
        "commas",
        "negative",
        "zero",
        "too-large",
        "arabic-digits",
        "nul-in-ids",
        "too-long",
        "nul-in-search",
        "article-letters",
        "article-zero",
        "article-too-large",
    ],
)
def test_garbage_is_refused_with_a_message_and_never_a_server_error(editor_client, query):
    ImageFactory()
    response = editor_client.get(PICKER, query)
    assert response.status_code == 400
    assert response.json()["error"]
    assert "results" not in response.json()


def test_long_search_words_are_cut_not_refused(editor_client):
    ImageFactory(caption="Most")
    response = editor_client.get(PICKER, {"q": "most " + "x" * 5000})
    assert response.status_code == 200 and response.json()["results"] == []


def test_staff_without_the_view_permission_is_refused(django_user_model):
    user = django_user_model.objects.create_user("dopisnik", password="x", is_staff=True)
    client = Client()
    client.force_login(user)
    ImageFactory()
    assert client.get(PICKER, {"q": "most"}).status_code == 403
    assert client.get(PICKER, {"ids": "1"}).status_code == 403


def test_readers_are_sent_to_the_login_page(client):
    assert client.get(PICKER, {"ids": "1"}).status_code == 302


def test_photo_for_one_article_warns_only_when_another_article_already_shows_it(editor_client):
    photo = ImageFactory(caption="Ekskluzivno", restriction=THIS_ARTICLE)
    mine = ArticleFactory(title="Moj članak", body=figure(photo))
    ids = {"ids": str(photo.pk), "article": str(mine.pk)}
    [answer] = editor_client.get(PICKER, ids).json()["results"]
    assert answer["warning"] == ""  # only this article shows it
    assert answer["restriction"]["label"] == "Samo za jedan članak"
    ArticleFactory(title="Tuđi članak", hero_image=photo, status=Article.Status.DRAFT, published_at=None)
    [answer] = editor_client.get(PICKER, ids).json()["results"]
    assert (
        answer["warning"]
        == "Fotografija „Ekskluzivno“ sme u samo jedan članak; već je u članku „Tuđi članak“."
    )
    # For a new article (no id) any article showing it counts.
    [answer] = editor_client.get(PICKER, {"ids": str(photo.pk)}).json()["results"]
    assert "već je u članku" in answer["warning"]


def test_editorial_photo_always_warns(editor_client):
    ImageFactory(caption="Samit", restriction=EDITORIAL)
    [answer] = editor_client.get(PICKER).json()["results"]
    assert answer["warning"] == (
        "Fotografija „Samit“ je samo za uredničku upotrebu: "
        "ne ide u društvene mreže ni na naslovnu kao reklama."
    )
