"""/healthz (the process answers) and /readyz (the database and the cache answer too)."""

import asyncio
import json
import logging

import pytest
from django.db import OperationalError, connection
from django.db.backends.signals import connection_created
from django.test import Client

from articles.tests.factories import ArticleFactory

from .servers import free_port

pytestmark = pytest.mark.django_db

LOAD_BALANCER = {"HTTP_HOST": "10.0.0.17"}  # probes by the node's address, which is not in ALLOWED_HOSTS


def refuse():
    raise OperationalError("connection refused")


@pytest.fixture
def database_down(monkeypatch):
    monkeypatch.setattr(connection, "ensure_connection", refuse)


@pytest.fixture
def redis_down(settings):
    """The Redis backend pointed at a port nothing listens on."""
    location = f"redis://127.0.0.1:{free_port()}/0"
    settings.CACHES = {
        "default": {"BACKEND": "config.delivery.cache.ReusingRedisCache", "LOCATION": location}
    }


def test_healthz_answers_ok_to_any_host_without_touching_the_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        response = Client().get("/healthz", **LOAD_BALANCER)
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Cache-Control"] == "no-store"
    assert not response.cookies


def test_healthz_answers_ok_while_the_database_is_down(database_down):
    assert Client().get("/healthz").status_code == 200


def test_healthz_is_not_redirected_to_https(settings):
    settings.SECURE_SSL_REDIRECT = True
    assert Client().get("/healthz", **LOAD_BALANCER).status_code == 200


def test_readyz_reports_each_check_when_all_is_well():
    response = Client().get("/readyz", **LOAD_BALANCER)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert json.loads(response.content) == {"status": "ok", "checks": {"database": "ok", "cache": "ok"}}


def test_readyz_answers_503_with_retry_after_when_the_database_is_down(database_down):
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert json.loads(response.content) == {"status": "down", "checks": {"database": "down", "cache": "ok"}}


def test_readyz_reports_an_unreachable_cache_that_pages_do_not_notice(redis_down):
    article = ArticleFactory(title="Letnja scena na keju")
    page = Client().get(article.get_absolute_url())
    assert page.status_code == 200 and "Letnja scena na keju" in page.content.decode()
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert json.loads(response.content)["checks"] == {"database": "ok", "cache": "down"}


def test_readyz_does_not_count_a_cache_that_is_turned_off(settings):
    settings.CACHE_ENABLED = False
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    response = Client().get("/readyz")
    assert response.status_code == 200
    assert json.loads(response.content)["checks"] == {"database": "ok", "cache": "off"}


# A balancer asks by the node's address or an internal name over plain HTTP; none of these is an allowed host.
PROBES = {
    "ipv4": {"HTTP_HOST": "10.0.0.17"},
    "ipv4-with-port": {"HTTP_HOST": "10.0.0.17:8000"},
    "ipv6": {"HTTP_HOST": "[fd00::17]"},
    "internal-name": {"HTTP_HOST": "web-3.internal"},
    "no-host": {"HTTP_HOST": ""},
    "forwarded-http": {"HTTP_HOST": "10.0.0.17", "HTTP_X_FORWARDED_PROTO": "http"},
}


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
@pytest.mark.parametrize("probe", PROBES.values(), ids=PROBES.keys())
def test_health_paths_answer_any_probe_before_host_checks_and_https_redirects(settings, path, probe):
    settings.ALLOWED_HOSTS = ["citaonica.rs"]
    settings.SECURE_SSL_REDIRECT = True
    response = Client().get(path, **probe)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert not response.cookies


@pytest.mark.parametrize("method", ["get", "head"])
def test_readyz_is_made_afresh_for_every_probe(monkeypatch, method):
    """No answer is kept: a probe during an outage hears of it, and the next one hears that it is over."""
    probe = getattr(Client(), method)
    assert probe("/readyz").status_code == 200
    with monkeypatch.context() as outage:
        outage.setattr(connection, "ensure_connection", refuse)
        assert probe("/readyz").status_code == 503
    assert probe("/readyz").status_code == 200


def test_readyz_reports_a_cache_that_does_not_keep_what_it_is_given(settings):
    """Any cache but Redis gets the library's check: a value stored and read back."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert json.loads(response.content)["checks"] == {"database": "ok", "cache": "down"}


REASONS = {
    "database": ("database_down", "connection refused"),
    "cache": ("redis_down", "Connection refused"),
}


@pytest.mark.parametrize(("name", "reason"), REASONS.values(), ids=REASONS.keys())
def test_readyz_logs_why_a_check_failed_and_tells_the_prober_only_down(request, caplog, name, reason):
    request.getfixturevalue(name)
    with caplog.at_level(logging.WARNING, logger="health_check"):
        response = Client().get("/readyz", **LOAD_BALANCER)
    assert response.status_code == 503
    assert reason not in response.content.decode()
    assert set(json.loads(response.content)["checks"].values()) <= {"ok", "down"}
    logged = [record for record in caplog.records if record.name == "health_check"]
    assert len(logged) == 1
    assert reason in logging.Formatter().format(logged[0])  # its traceback, with the error behind it


def test_readyz_asks_on_the_connection_the_worker_already_holds():
    """A balancer probing every second must not cost the database a connection each time."""
    connection.ensure_connection()
    opened = []

    def count(sender, connection, **kwargs):
        opened.append(connection.alias)

    connection_created.connect(count)
    try:
        for _ in range(3):
            assert Client().get("/readyz").status_code == 200
    finally:
        connection_created.disconnect(count)
    assert opened == []


@pytest.mark.django_db(transaction=True)
def test_readyz_answers_in_a_thread_whose_event_loop_runs():
    """An async server, or Playwright's driver in this very suite, leaves a loop running in the thread."""
    loop = asyncio.new_event_loop()
    asyncio.events._set_running_loop(loop)
    try:
        response = Client().get("/readyz")
    finally:
        asyncio.events._set_running_loop(None)
        loop.close()
    assert response.status_code == 200
    assert json.loads(response.content)["checks"]["database"] == "ok"
