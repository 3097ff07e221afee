import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from articles.tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/articles/article/"


def listed(client, query):
    response = client.get(CHANGELIST, {"q": query})
    assert response.status_code == 200
    return {article.pk for article in response.context["cl"].result_list}


@pytest.fixture
def articles():
    return {
        "cevapi": ArticleFactory(title="Ćevapčići sa Skadarlije", lead="Roštilj u starom kraju."),
        "beograd": ArticleFactory(title="Novi most", lead="Београд добија још један мост преко Саве."),
        "djokovic": ArticleFactory(
            title="Teniski vikend", lead="Finale.", body="<p>Novak Đoković osvojio je turnir.</p>"
        ),
        "cyrillic_title": ArticleFactory(title="Жетва у Војводини", lead="Рекордан принос."),
        "kicker": ArticleFactory(title="Vesti dana", lead="Kratko.", kicker="Ekskluzivno"),
        "other": ArticleFactory(title="Pozorišna sezona", lead="Premijere u jesen.", body="<p>Drama.</p>"),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("cevapcici", "cevapi"),  # headline without diacritics
        ("ĆEVAPČIĆI", "cevapi"),  # as written, other case
        ("ћевапчићи", "cevapi"),  # the other script
        ("beograd", "beograd"),  # a Cyrillic lead, searched in Latin without diacritics
        ("djokovic", "djokovic"),  # the body, "đ" typed "dj"
        ("Đoković", "djokovic"),
        ("zetva vojvodini", "cyrillic_title"),  # every word, in a Cyrillic headline
        ("Ekskluzivno", "kicker"),  # the kicker, as typed
        ("Skadarl", "cevapi"),  # part of a word, as typed
    ],
    ids=[
        "no-diacritics",
        "upper-case",
        "cyrillic-query",
        "cyrillic-lead",
        "dj-in-body",
        "as-written",
        "two-words",
        "kicker",
        "word-part",
    ],
)
def test_admin_article_search_folds_diacritics_and_script_like_reader_search(
    editor_client, articles, query, expected
):
    assert listed(editor_client, query) == {articles[expected].pk}


@pytest.mark.parametrize(
    "query",
    ["'; DROP TABLE articles_article; --", "!!!", "a" * 300, "<script>", "%", "_", "—"],
    ids=["sql", "punctuation", "long", "markup", "like-percent", "like-underscore", "dash"],
)
def test_admin_article_search_answers_odd_input_without_error(editor_client, articles, query):
    response = editor_client.get(CHANGELIST, {"q": query})
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        assert articles["other"].pk not in {a.pk for a in response.context["cl"].result_list}


def test_admin_article_search_finds_drafts_too(editor_client):
    draft = ArticleFactory(title="Šećerana u Crvenki", status=Article.Status.DRAFT, published_at=None)
    assert listed(editor_client, "secerana") == {draft.pk}


def _search_queries(client, query):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(CHANGELIST, {"q": query}).status_code == 200
    return len(queries)


def test_admin_article_search_runs_a_fixed_number_of_queries(editor_client):
    ArticleFactory.create_batch(2, title="Ćevapčići, prvi put")
    _search_queries(editor_client, "cevapcici")  # the first request of a session reads what later ones cache
    few = _search_queries(editor_client, "cevapcici")
    ArticleFactory.create_batch(20, title="Ćevapčići, još jednom")
    many = _search_queries(editor_client, "cevapcici")
    assert len(listed(editor_client, "cevapcici")) == 22
    assert many == few
