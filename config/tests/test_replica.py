import copy
from contextlib import ExitStack

import pytest
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections, router
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from articles.models import Article, Section, SiteSettings
from articles.tests.factories import ArticleFactory
from comments.forms import ArticleCommentForm
from comments.models import CommentSettings
from config.delivery.replica import PRIMARY_COOKIE, REPLICA, ReplicaReadsMiddleware, may_read_from_replica

MIDDLEWARE = "config.delivery.replica.ReplicaReadsMiddleware"
BOTH = [DEFAULT_DB_ALIAS, REPLICA]


@pytest.fixture(scope="module", autouse=True)
def replica(django_db_setup):
    """A replica alias as DJANGO_DATABASE_REPLICA_URL adds it: in tests, a mirror of the test database."""
    if REPLICA in connections:
        yield
        return
    primary = copy.deepcopy(connections[DEFAULT_DB_ALIAS].settings_dict)
    connections.settings[REPLICA] = {**primary, "TEST": {**primary["TEST"], "MIRROR": DEFAULT_DB_ALIAS}}
    yield
    _remove_replica()


def _remove_replica():
    connections[REPLICA].close()
    del connections[REPLICA]
    return connections.settings.pop(REPLICA)


@pytest.fixture
def without_replica():
    """No DJANGO_DATABASE_REPLICA_URL: the default configuration."""
    removed = _remove_replica()
    yield
    connections.settings[REPLICA] = removed


@pytest.fixture(autouse=True)
def replica_middleware(settings):
    middleware = [name for name in settings.MIDDLEWARE if name != MIDDLEWARE]
    middleware.insert(middleware.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1, MIDDLEWARE)
    settings.MIDDLEWARE = middleware


class Reads:
    """The queries each database received while the block ran."""

    def __init__(self, aliases):
        self.captured = {alias: CaptureQueriesContext(connections[alias]) for alias in aliases}
        self.stack = ExitStack()

    def __enter__(self):
        for context in self.captured.values():
            self.stack.enter_context(context)
        return self

    def __exit__(self, *exc_info):
        return self.stack.__exit__(*exc_info)

    def of(self, alias, table="articles_article"):
        return [query["sql"] for query in self.captured[alias].captured_queries if table in query["sql"]]


def site_rows():
    """The settings rows a running site has (transactional tests flush them): making one is a write."""
    SiteSettings.get_solo()
    CommentSettings.get_solo()


@pytest.mark.django_db(transaction=True, databases=BOTH)
@pytest.mark.parametrize("method", ["get", "head"])
def test_anonymous_reader_page_is_read_from_the_replica(client, method):
    site_rows()
    article = ArticleFactory(title="Most na Adi dobija novu rasvetu")
    with Reads(BOTH) as reads:
        response = getattr(client, method)(article.get_absolute_url())
    assert response.status_code == 200
    if method == "get":
        assert "Most na Adi dobija novu rasvetu" in response.content.decode()
    assert reads.of(REPLICA)
    assert reads.of(DEFAULT_DB_ALIAS) == []


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_a_reader_who_posts_reads_the_primary_for_a_while_after(client):
    site_rows()
    article = ArticleFactory()
    signed = ArticleCommentForm(article).generate_security_data()  # as the page's form carries them
    with Reads(BOTH) as reads:
        response = client.post("/komentari/posalji/", {**signed, "name": "Čitalac", "comment": ""})
    assert response.status_code == 400  # no e-mail address or text; the signed form's article was still read
    assert reads.of(DEFAULT_DB_ALIAS)
    assert reads.of(REPLICA) == []
    assert response.cookies[PRIMARY_COOKIE]["max-age"] > 0

    with Reads(BOTH) as reads:
        assert client.get(article.get_absolute_url()).status_code == 200
    assert reads.of(DEFAULT_DB_ALIAS)
    assert reads.of(REPLICA) == []


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_signed_in_reader_reads_the_primary(client, django_user_model):
    article = ArticleFactory(title="Novi red vožnje gradskog prevoza")
    client.force_login(django_user_model.objects.create_user("citateljka", password="x"))
    with Reads(BOTH) as reads:
        response = client.get(article.get_absolute_url())
    assert "Novi red vožnje gradskog prevoza" in response.content.decode()
    assert reads.of(DEFAULT_DB_ALIAS)
    assert reads.of(REPLICA, table="") == []


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_staff_reads_the_primary_in_the_admin_and_on_reader_pages(client, admin_user):
    ArticleFactory(title="Vest za urednike")
    client.force_login(admin_user)
    with Reads(BOTH) as reads:
        assert "Vest za urednike" in client.get("/admin/articles/article/").content.decode()
        assert "Vest za urednike" in client.get("/").content.decode()
        assert client.get("/admin/comments/articlecomment/desk/").status_code == 200
    assert reads.of(DEFAULT_DB_ALIAS)
    assert reads.of(REPLICA, table="") == []


@pytest.mark.parametrize(
    "method, path, cookies, expected",
    [
        ("GET", "/", {}, True),
        ("HEAD", "/sport/", {}, True),
        ("GET", "/komentari/clanak/1/", {}, True),
        ("GET", "/", {"pismo": "cir"}, True),
        ("POST", "/komentari/posalji/", {}, False),
        ("GET", "/admin/", {}, False),
        ("GET", "/admin/comments/articlecomment/desk/", {}, False),
        ("GET", "/", {"sessionid": "abc"}, False),
        ("GET", "/", {PRIMARY_COOKIE: "1"}, False),
    ],
)
def test_only_looks_without_a_session_outside_the_newsroom_may_use_the_replica(
    method, path, cookies, expected
):
    request = RequestFactory().generic(method, path)
    request.COOKIES.update(cookies)
    assert may_read_from_replica(request) is expected


def routing_during(request, action, model=Article):
    """What the router answers inside the middleware for reads before and after ``action``."""
    answers = []

    def view(request):
        answers.append(router.db_for_read(model))
        action()
        answers.append(router.db_for_read(model))
        return HttpResponse()

    ReplicaReadsMiddleware(view)(request)
    return answers


@pytest.mark.django_db
def test_a_request_that_writes_reads_the_rest_from_the_primary():
    def write():
        Section.objects.create(name="Hronika", slug="hronika")

    assert routing_during(RequestFactory().get("/"), write) == [REPLICA, DEFAULT_DB_ALIAS]
    assert router.db_for_read(Article) == DEFAULT_DB_ALIAS  # outside any request


@pytest.mark.django_db
def test_finding_the_site_settings_is_not_a_write():
    SiteSettings.get_solo()
    assert routing_during(RequestFactory().get("/"), SiteSettings.get_solo) == [REPLICA, REPLICA]


def test_sessions_are_always_read_from_the_primary():
    from django.contrib.sessions.models import Session

    assert routing_during(RequestFactory().get("/"), lambda: None, model=Session) == [DEFAULT_DB_ALIAS] * 2


def test_migrations_run_on_the_primary_only():
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "articles", model_name="article")
    assert not router.allow_migrate(REPLICA, "articles", model_name="article")
    assert router.allow_relation(ArticleFactory.build(), ArticleFactory.build())


@pytest.mark.usefixtures("without_replica")
def test_without_a_replica_every_read_goes_to_the_primary():
    assert routing_during(RequestFactory().get("/"), lambda: None) == [DEFAULT_DB_ALIAS] * 2


@pytest.mark.django_db
@pytest.mark.usefixtures("without_replica")
def test_without_a_replica_reader_pages_work_and_set_no_cookie(client):
    article = ArticleFactory(title="Bez replike")
    assert "Bez replike" in client.get(article.get_absolute_url()).content.decode()
    assert PRIMARY_COOKIE not in client.post("/komentari/posalji/", {}).cookies


def refuse():
    raise OperationalError("connection refused")


READINESS = {
    "all-up": (None, 200, {"database": "ok", "database:replica": "ok", "cache": "ok"}),
    "replica-down": (REPLICA, 503, {"database": "ok", "database:replica": "down", "cache": "ok"}),
    "primary-down": (DEFAULT_DB_ALIAS, 503, {"database": "down", "database:replica": "ok", "cache": "ok"}),
}


@pytest.mark.django_db(transaction=True, databases=BOTH)
@pytest.mark.parametrize(("down", "status", "checks"), READINESS.values(), ids=READINESS.keys())
def test_readyz_checks_the_replica_as_well_as_the_primary(monkeypatch, down, status, checks):
    if down:
        monkeypatch.setattr(connections[down], "ensure_connection", refuse)
    response = Client().get("/readyz", HTTP_HOST="10.0.0.17")
    assert response.status_code == status
    assert response.json()["checks"] == checks
