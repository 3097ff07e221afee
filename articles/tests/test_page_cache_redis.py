"""The page cache on Redis, as in production: each process mirrors the generations and hears every change."""

import shutil

import pytest
from django.core.cache import cache, caches
from django.test import Client

from articles import page_cache
from articles.models import SiteSettings
from config.tests import servers

from .factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    servers.require(
        shutil.which("redis-server"),
        "REQUIRE_REDIS",
        "redis-server is not installed (apt-get install redis-server)",
    )
    server = servers.Redis(tmp_path_factory.mktemp("redis"))
    yield server.url
    server.stop()


@pytest.fixture
def on_redis(settings, redis_url):
    settings.CACHES = {"default": {"BACKEND": "config.cache.ReusingRedisCache", "LOCATION": redis_url}}
    cache.clear()
    yield
    cache.clear()


def key(scope):
    return page_cache.GENERATION_PREFIX + scope


@pytest.mark.usefixtures("on_redis")
def test_a_change_made_elsewhere_is_seen_on_the_next_lookup_without_asking_redis(monkeypatch):
    other_process = page_cache.GenerationMirror()
    before = other_process.get_many([key("article:7")])
    page_cache.changed("article:7")  # made in "this" process, published through Redis
    reads = []
    backend = caches["default"]
    real_get_many = backend.get_many
    monkeypatch.setattr(backend, "get_many", lambda keys: reads.append(keys) or real_get_many(keys))
    after = other_process.get_many([key("article:7")])
    assert after[key("article:7")] != before.get(key("article:7"))
    assert after[key("article:7")] == real_get_many([key("article:7")])[key("article:7")]
    assert reads == []  # the news came through the subscription


@pytest.mark.usefixtures("on_redis")
def test_a_lost_subscription_falls_back_to_reading_redis():
    other_process = page_cache.GenerationMirror()
    other_process.get_many([key("site")])
    other_process.pubsub.connection.disconnect()
    page_cache.changed("site")
    assert other_process.get_many([key("site")]) == cache.get_many([key("site")])


@pytest.mark.usefixtures("on_redis")
def test_pages_served_from_redis_change_on_the_next_request():
    SiteSettings.get_solo()
    article = ArticleFactory(title="Most preko Save otvoren")
    url = article.get_absolute_url()
    Client().get(url)
    assert Client().get(url).has_header("ETag")  # from the cache
    article.title = "Most preko Save zatvoren"
    article.save()
    page_cache.local_copies.clear()  # as on another node, which never had this page in memory
    assert "Most preko Save zatvoren" in Client().get(url).content.decode()


@pytest.mark.usefixtures("on_redis")
def test_a_message_lost_in_a_reconnection_costs_at_most_the_ping_interval():
    page_cache.changed("site")
    other_process = page_cache.GenerationMirror()
    assert key("site") in other_process.get_many([key("site")])
    caches["default"].set(key("site"), 12345, None)  # changed with no message, as if it was lost
    assert other_process.get_many([key("site")])[key("site")] != 12345  # the mirror's own, for now
    other_process.confirmed_at -= page_cache.GenerationMirror.PING_SECONDS + 1
    assert other_process.get_many([key("site")])[key("site")] == 12345
