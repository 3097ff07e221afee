"""Nothing a reader or an attacker sends to the comment addresses tells unpublished work from no work.

A post without our signature is refused before any article is looked up, with one answer whatever id it
names; a signed post, and every address that names a comment, answers for an article the public may not see
now (a draft, scheduled or withdrawn one) exactly as for an article that does not exist.
"""

import json
import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from articles.models import Article
from articles.tests.factories import ArticleFactory, SectionFactory
from comments.forms import ArticleCommentForm
from comments.models import ArticleComment, Reaction, Report
from comments.tests.factories import ArticleCommentFactory

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite_pass]

EMBARGOED = "Embargo: ministar podnosi ostavku"
REQUEST_ID = "X-Request-ID"

# How an article the public may not see now got that way (a missing one is made by deleting it).
NOT_PUBLIC = {
    "draft": {"status": Article.Status.DRAFT, "published_at": None},
    "draft again": {"status": Article.Status.DRAFT},
    "scheduled": {"published_at": timezone.now() + timedelta(days=1)},
    "withdrawn": {"status": Article.Status.WITHDRAWN},
}
STATES = ["published", "comments closed", *NOT_PUBLIC, "missing"]


@pytest.fixture
def section():
    """One section for every article: the site's navigation, on every page, stays the same."""
    return SectionFactory()


def article_in(state, section):
    """An article in ``state`` and the id a post would name; for "missing", the id of a deleted one."""
    article = ArticleFactory(section=section, title=EMBARGOED if state != "published" else "Javni tekst")
    if state == "comments closed":
        Article.objects.filter(pk=article.pk).update(comments_enabled=False)
    elif state in NOT_PUBLIC:
        Article.objects.filter(pk=article.pk).update(**NOT_PUBLIC[state])
    article_id = article.pk
    if state == "missing":
        article.delete()
    return article_id


def sign(content_type, object_pk, timestamp):
    """The packages' signature over the three fields, as the form on a page would carry it."""
    return ArticleCommentForm(ArticleFactory.build(pk=1)).generate_security_hash(
        content_type, object_pk, timestamp
    )


def now():
    return str(int(time.time()))


def signed(object_pk, *, content_type="articles.article", timestamp=None, **fields):
    timestamp = now() if timestamp is None else timestamp
    return {
        "content_type": content_type,
        "object_pk": object_pk,
        "timestamp": timestamp,
        "security_hash": sign(content_type, object_pk, timestamp),
        "name": "Napadač",
        "email": "napadac@example.org",
        "comment": "Da li ovaj članak postoji?",
        "reply_to": "0",
        **fields,
    }


def without(data, *names):
    return {key: value for key, value in data.items() if key not in names}


# Each variant takes the id a post names and gives the fields sent; none carries our valid, fresh signature.
UNSIGNED = {
    "no security fields": lambda pk: without(signed(pk), "content_type", "timestamp", "security_hash"),
    "no hash or timestamp": lambda pk: without(signed(pk), "timestamp", "security_hash"),
    "empty hash": lambda pk: {**signed(pk), "security_hash": ""},
    "wrong hash": lambda pk: {**signed(pk), "security_hash": "0" * 40},
    "short hash": lambda pk: {**signed(pk), "security_hash": "kratko"},
    "hash in capitals": lambda pk: {**signed(pk), "security_hash": signed(pk)["security_hash"].upper()},
    "hash of another article": lambda pk: {**signed(str(int(pk) + 1)), "object_pk": pk},
    "hash of another time": lambda pk: {**signed(pk), "timestamp": str(int(now()) - 60)},
    "expired": lambda pk: signed(pk, timestamp=str(int(time.time()) - settings.COMMENTS_FORM_MAX_AGE - 60)),
    "from the future": lambda pk: signed(pk, timestamp=str(int(time.time()) + 3600)),
    "timestamp not a number": lambda pk: signed(pk, timestamp="nije-broj"),
    "timestamp with spaces": lambda pk: signed(pk, timestamp=f" {now()} "),
    "timestamp as a decimal": lambda pk: signed(pk, timestamp=f"{now()}.0"),
    "timestamp overflowing": lambda pk: signed(pk, timestamp="9" * 40),
    "timestamp negative": lambda pk: signed(pk, timestamp="-1"),
    "content type of users": lambda pk: signed(pk, content_type="auth.user"),
    "content type in capitals": lambda pk: signed(pk, content_type="articles.Article"),
    "content type changed after signing": lambda pk: {**signed(pk), "content_type": "auth.user"},
    "id with a sign": lambda pk: signed(f"+{pk}"),
    "id rewritten with a leading zero": lambda pk: {**signed(pk), "object_pk": f"0{pk}"},
    "id in other digits": lambda pk: signed(pk.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))),
    "id not a number": lambda pk: signed(f"{pk}abc"),
    "id negative": lambda pk: signed(f"-{pk}"),
    "id huge": lambda pk: signed("9" * 40),
    "id with a NUL": lambda pk: signed(f"{pk}\x00"),
}

FORMATS = {"page": {}, "in place": {"HTTP_ACCEPT": "application/json"}}
SCRIPTS = {"Latin": "", "Cyrillic": "/cir"}


def readable(content, answer_format):
    """What the reader is shown: the page, or the message of the in-place answer."""
    return json.loads(content)["message"] if answer_format == "in place" else content.decode()


def answer(response):
    """All a client can tell from a response: status, headers (but the request id), cookies and body."""
    headers = {name: value for name, value in response.headers.items() if name != REQUEST_ID}
    cookies = {name: morsel.value for name, morsel in response.cookies.items()}
    return response.status_code, headers, cookies, response.content


@pytest.mark.parametrize("script", SCRIPTS)
@pytest.mark.parametrize("answer_format", FORMATS)
def test_an_unsigned_post_gets_one_answer_whatever_article_it_names(section, script, answer_format):
    ids = {state: str(article_in(state, section)) for state in STATES}
    client = Client()
    answers = {}
    for variant, fields in UNSIGNED.items():
        for state, pk in ids.items():
            address = f"{SCRIPTS[script]}/komentari/posalji/"
            answers[variant, state] = answer(client.post(address, fields(pk), **FORMATS[answer_format]))
    reference = answers["wrong hash", "missing"]
    assert reference[0] == 400
    text = readable(reference[3], answer_format)
    assert EMBARGOED not in text
    assert ("Образац је истекао" if script == "Cyrillic" else "Obrazac je istekao") in text
    different = [key for key, value in answers.items() if value != reference]
    assert different == []
    assert not ArticleComment.objects.exists()


@pytest.mark.parametrize("variant", UNSIGNED)
def test_an_unsigned_post_runs_no_query_on_articles(section, variant):
    pk = str(article_in("draft", section))
    with CaptureQueriesContext(connection) as queries:
        response = Client().post("/komentari/posalji/", UNSIGNED[variant](pk))
    assert response.status_code == 400
    assert [query["sql"] for query in queries if "articles_article" in query["sql"]] == []


SIGNED_FIELD = st.one_of(
    st.text(max_size=50),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.text(alphabet="0123456789abcdef", min_size=40, max_size=40),
)


@given(
    content_type=st.one_of(st.just("articles.article"), SIGNED_FIELD),
    timestamp=st.one_of(st.integers(0, 2 * 10**9).map(str), SIGNED_FIELD),
    security_hash=SIGNED_FIELD,
    names_a_draft=st.booleans(),
)
def test_any_unsigned_fields_get_the_one_answer_and_read_no_article(
    section, content_type, timestamp, security_hash, names_a_draft
):
    draft, missing = (str(article_in(state, section)) for state in ("draft", "missing"))
    reference = answer(Client().post("/komentari/posalji/", {**signed(missing), "security_hash": "0" * 40}))
    fields = {
        **signed(draft if names_a_draft else missing),
        "content_type": content_type,
        "timestamp": timestamp,
        "security_hash": security_hash,
    }
    with CaptureQueriesContext(connection) as queries:
        response = Client().post("/komentari/posalji/", fields)
    assert answer(response) == reference
    assert [query["sql"] for query in queries if "articles_article" in query["sql"]] == []


@pytest.mark.parametrize("script", SCRIPTS)
@pytest.mark.parametrize("answer_format", FORMATS)
def test_a_signed_post_for_an_article_not_public_now_is_answered_as_for_a_missing_one(
    section, script, answer_format
):
    client = Client()
    answers = {}
    for state in [*NOT_PUBLIC, "missing"]:
        pk = str(article_in(state, section))
        for name, fields in {"comment": {}, "reply": {"reply_to": "1"}}.items():
            response = client.post(
                f"{SCRIPTS[script]}/komentari/posalji/", signed(pk, **fields), **FORMATS[answer_format]
            )
            answers[state, name] = answer(response)
    reference = answers["missing", "comment"]
    assert reference[0] == 404
    text = readable(reference[3], answer_format)
    assert EMBARGOED not in text
    assert ("Овај чланак не постоји." if script == "Cyrillic" else "Ovaj članak ne postoji.") in text
    assert [key for key, value in answers.items() if value != reference] == []
    assert not ArticleComment.objects.exists()


@pytest.mark.parametrize("answer_format", FORMATS)
def test_a_signed_post_for_a_public_article_with_comments_closed_may_say_so(section, answer_format):
    data = signed(str(article_in("comments closed", section)))
    response = Client().post("/komentari/posalji/", data, **FORMATS[answer_format])
    assert response.status_code == 400
    assert "Komentari su zatvoreni." in readable(response.content, answer_format)
    assert not ArticleComment.objects.exists()


def forget_cached_pages():
    """Each state is asked afresh, not answered by a page stored while the article was in another."""
    from django.core.cache import cache

    from config.delivery.page_cache import local_copies, mirror

    cache.clear()
    local_copies.clear()
    mirror.forget()


# Every address that names a comment (or, for more threads, its article): method, path, data, headers.
JSON = {"HTTP_ACCEPT": "application/json"}
COMMENT_ADDRESSES = {
    "permalink": lambda c: ("get", f"/komentari/{c.pk}/", {}, {}),
    "reaction": lambda c: ("post", f"/komentari/{c.pk}/reakcija/", {"value": "1"}, {}),
    "reaction in place": lambda c: ("post", f"/komentari/{c.pk}/reakcija/", {"value": "-1"}, JSON),
    "report form": lambda c: ("get", f"/komentari/{c.pk}/prijava/", {}, {}),
    "report": lambda c: ("post", f"/komentari/{c.pk}/prijava/", {"reason": "spam"}, {}),
    "reply": lambda c: ("post", "/komentari/posalji/", signed(str(c.article_id), reply_to=str(c.pk)), {}),
    "reply in place": lambda c: (
        "post",
        "/komentari/posalji/",
        signed(str(c.article_id), reply_to=str(c.pk)),
        JSON,
    ),
    "more threads": lambda c: ("get", f"/komentari/clanak/{c.article_id}/", {}, {}),
}


def rows():
    return ArticleComment.objects.count(), Reaction.objects.count(), Report.objects.count()


@pytest.mark.parametrize("script", SCRIPTS)
@pytest.mark.parametrize("address", COMMENT_ADDRESSES)
def test_a_comment_under_an_article_not_public_now_is_answered_as_a_missing_one(section, address, script):
    client = Client()

    def ask(comment):
        method, path, data, headers = COMMENT_ADDRESSES[address](comment)
        return getattr(client, method)(SCRIPTS[script] + path, data, **headers)

    public = ArticleCommentFactory(article=ArticleFactory(section=section))
    assert ask(public).status_code in (200, 201, 302)  # the address works under a public article

    comment = ArticleCommentFactory(article=ArticleFactory(section=section, title=EMBARGOED))
    before = rows()
    answers = {}
    for state, changes in NOT_PUBLIC.items():
        Article.objects.filter(pk=comment.article_id).update(**changes)
        forget_cached_pages()
        answers[state] = answer(ask(comment))
        Article.objects.filter(pk=comment.article_id).update(
            status=Article.Status.PUBLISHED, published_at=timezone.now() - timedelta(hours=1)
        )
    assert rows() == before  # nothing stored: no reaction, report or reply
    Article.objects.filter(pk=comment.article_id).delete()
    forget_cached_pages()
    reference = answers["missing"] = answer(ask(comment))

    assert reference[0] == 404
    assert EMBARGOED.encode() not in reference[3] and reference[2] == {}  # no headline, no cookie
    assert [state for state, value in answers.items() if value != reference] == []
