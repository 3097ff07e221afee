"""The page cache on Redis, as in production: each process mirrors the generations and hears every change."""

import shutil

import pytest
from django.core.cache import cache, caches
from django.test import Client, RequestFactory
from django_ratelimit.core import is_ratelimited

from articles import services, views
from articles.models import SiteSettings
from config.delivery import page_cache
from config.tests import servers

from .factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def redis_servers(tmp_path_factory):
    """As in production: one Redis that never evicts (generations, counts), one for pages that does."""
    servers.require(
        shutil.which("redis-server"),
        "REQUIRE_REDIS",
        "redis-server is not installed (apt-get install redis-server)",
    )
    default = servers.Redis(tmp_path_factory.mktemp("redis"))
    pages = servers.Redis.for_pages(tmp_path_factory.mktemp("redis-pages"))
    yield default.url, pages.url
    default.stop()
    pages.stop()


@pytest.fixture
def on_redis(settings, redis_servers):
    default, pages = redis_servers
    settings.CACHES = {
        "default": {"BACKEND": "config.delivery.cache.ReusingRedisCache", "LOCATION": default},
        "pages": {"BACKEND": "config.delivery.cache.ReusingRedisCache", "LOCATION": pages},
    }
    cache.clear()
    caches["pages"].clear()
    yield
    cache.clear()
    caches["pages"].clear()


def from_redis(url):
    """The page as a node that never made it gets it, and whether Redis (not this process) had it."""
    page_cache.local_copies.clear()
    response = Client().get(url)
    return response, getattr(response, "page_cache_hit", None) == "shared"


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
    Client().get(url)  # the first request may make what the page reads, which renews every page
    made = Client().get(url)
    served, from_cache = from_redis(url)
    assert from_cache and served.content == made.content
    article.title = "Most preko Save zatvoren"
    services.save_article(article)
    changed, from_cache = from_redis(url)
    assert not from_cache and "Most preko Save zatvoren" in changed.content.decode()
    assert from_redis(url)[1]  # and the new page is shared again


@pytest.mark.usefixtures("on_redis")
@pytest.mark.parametrize("path", ["/", "/sport/", "/sport/?page=2", "ARTICLE", "/rss/", "/sitemap.xml"])
def test_a_page_made_once_is_served_from_redis_to_every_node(path, monkeypatch):
    SiteSettings.get_solo()
    monkeypatch.setattr(views, "LISTING_PAGE_SIZE", 1)  # a second page of the section to ask for
    section = SectionFactory(name="Sport", slug="sport")
    ArticleFactory(section=section, title="Košarkaši u finalu")
    article = ArticleFactory(section=section, title="Derbi na Marakani")
    url = article.get_absolute_url() if path == "ARTICLE" else path
    Client().get(url)  # the first request may make what the page reads, which renews every page
    made = Client().get(url)
    for _ in range(2):
        served, from_cache = from_redis(url)
        assert from_cache, url
        assert served.content == made.content and served["ETag"] == made["ETag"]
    assert any(key.startswith(b":1:page:") for key in pages_redis().keys("*"))
    assert not any(key.startswith(b":1:page:") for key in default_redis().keys("*"))


def pages_redis():
    return caches["pages"]._cache.get_client(write=True)


def default_redis():
    return caches["default"]._cache.get_client(write=True)


def limited():
    """A rate-limit count kept in the default cache: three a hour."""
    request = RequestFactory().get("/")
    return is_ratelimited(request, group="flood", key=lambda *args: "one", rate="3/h", increment=True)


@pytest.mark.usefixtures("on_redis")
def test_the_pages_redis_evicts_while_generations_and_rate_limit_counts_stay():
    assert pages_redis().config_get("maxmemory-policy")["maxmemory-policy"] == "allkeys-lru"
    assert default_redis().config_get("maxmemory-policy")["maxmemory-policy"] == "noeviction"
    page_cache.changed("site", "article:7")
    generations = cache.get_many([key("site"), key("article:7")])
    assert [limited(), limited()] == [False, False]
    pages_redis().config_set("maxmemory", "4mb")
    try:
        page = b"x" * 100_000
        for number in range(120):  # 12 MB of pages into 4 MB
            page_cache.pages_cache().set(f"{page_cache.KEY_PREFIX}{number}", page, 60)
        kept = [page_cache.pages_cache().get(f"{page_cache.KEY_PREFIX}{number}") for number in range(120)]
        kept = sum(page is not None for page in kept)
        assert 0 < kept < 120  # evicted, and no write refused
    finally:
        pages_redis().config_set("maxmemory", servers.Redis.PAGES_MAXMEMORY)
    assert cache.get_many([key("site"), key("article:7")]) == generations
    assert [limited(), limited()] == [False, True]  # the count went on from 2


@pytest.mark.usefixtures("on_redis")
def test_a_message_lost_in_a_reconnection_costs_at_most_the_ping_interval():
    page_cache.changed("site")
    other_process = page_cache.GenerationMirror()
    assert key("site") in other_process.get_many([key("site")])
    caches["default"].set(key("site"), 12345, None)  # changed with no message, as if it was lost
    assert other_process.get_many([key("site")])[key("site")] != 12345  # the mirror's own, for now
    other_process.confirmed_at -= page_cache.GenerationMirror.PING_SECONDS + 1
    assert other_process.get_many([key("site")])[key("site")] == 12345
