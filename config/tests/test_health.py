"""/healthz (the process answers) and /readyz (the database and the cache answer too)."""

import json

import pytest
from django.db import OperationalError, connection
from django.test import Client

from articles.tests.factories import ArticleFactory

from .servers import free_port

pytestmark = pytest.mark.django_db

LOAD_BALANCER = {"HTTP_HOST": "10.0.0.17"}  # probes by the node's address, which is not in ALLOWED_HOSTS


@pytest.fixture
def database_down(monkeypatch):
    def refuse():
        raise OperationalError("connection refused")

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
