"""Redis, the shared cache, goes away: every page is made from the database, nothing fails, nothing is lost.

The tests start a redis-server of their own, kill it mid-test and start it again on the same port.
"""

import logging
import shutil
import socket
import time

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from articles.tests.factories import ArticleFactory
from comments import moderation
from comments.models import ArticleComment
from comments.tests.conftest import comment_form_fields
from comments.tests.factories import ArticleCommentFactory
from config.delivery import cache as cache_module
from config.delivery import page_cache
from config.delivery.cache import ReusingRedisCache, ReusingRedisCacheClient

from . import servers

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}


class Clock:
    """The monotonic clock config/delivery/cache.py reads, moved on by a test instead of waiting."""

    def __init__(self):
        self.offset = 0.0

    def monotonic(self):
        return time.monotonic() + self.offset

    def advance(self, seconds):
        self.offset += seconds


@pytest.fixture
def clock(monkeypatch):
    moved = Clock()
    monkeypatch.setattr(cache_module, "time", moved)
    return moved


@pytest.fixture
def redis(tmp_path, settings, clock):
    servers.require(
        shutil.which("redis-server"),
        "REQUIRE_REDIS",
        "redis-server is not installed (apt-get install redis-server); cache outage tests skipped",
    )
    server = servers.Redis(tmp_path)
    # Pages on the same Redis, as when DJANGO_PAGE_CACHE_REDIS_URL is not set: the outage takes both.
    settings.CACHES = {
        alias: {"BACKEND": "config.delivery.cache.ReusingRedisCache", "LOCATION": server.url}
        for alias in ("default", "pages")
    }
    page_cache.local_copies.clear()
    yield server
    server.stop()
    page_cache.local_copies.clear()
    page_cache.mirror.forget()


def restart(redis, clock):
    """Redis answers again; the next call after the retry pause (the clock moved past it) finds it."""
    redis.start()
    clock.advance(ReusingRedisCache.RETRY_SECONDS)


def served_from_cache(url):
    page_cache.local_copies.clear()  # as on a node that never made this page: only Redis can have it
    return getattr(Client().get(url), "page_cache_hit", None) == "shared"


def test_reader_pages_comments_and_reactions_work_while_redis_is_down(redis, caplog):
    article = ArticleFactory(title="Pijaca na Zelenom vencu ponovo radi")
    comment = ArticleCommentFactory(article=article, comment="Napokon!")
    moderation.refresh_comment_count(article.pk)
    Client().get(article.get_absolute_url())  # the first request may make what the page reads (a change)
    Client().get(article.get_absolute_url())
    assert served_from_cache(article.get_absolute_url())

    redis.kill()
    with caplog.at_level(logging.WARNING, logger="config.delivery.cache"):
        reader = Client()
        for url in (
            article.get_absolute_url(),
            "/",
            "/cir/",
            article.section.get_absolute_url(),
            reverse("articles:search") + "?q=pijaca",
            reverse("articles:feed_rss"),
        ):
            page = reader.get(url)
            assert page.status_code == 200, url
        assert (
            "Pijaca na Zelenom vencu ponovo radi" in reader.get(article.get_absolute_url()).content.decode()
        )
        assert not served_from_cache(article.get_absolute_url())  # made afresh, not kept anywhere

        data = comment_form_fields(reader.get(article.get_absolute_url()).content.decode())
        data.update(name="Milena Petrović", email="milena@example.org", comment="Pijaca je pravo osveženje.")
        posted = reader.post("/komentari/posalji/", data, **JSON)
        assert posted.status_code == 201, posted.content
        assert ArticleComment.objects.filter(comment="Pijaca je pravo osveženje.").exists()

        reaction = reader.post(f"/komentari/{comment.pk}/reakcija/", {"value": "1"}, **JSON)
        assert reaction.status_code == 200
        assert reaction.json()["likes"] == 1

    warnings = [record for record in caplog.records if record.name == "config.delivery.cache"]
    assert len(warnings) == 1  # once, not once per call
    assert "unreachable" in warnings[0].getMessage()


def test_the_newsroom_works_while_redis_is_down(redis, admin_user):
    article = ArticleFactory(title="Pijaca na Zelenom vencu ponovo radi")
    ArticleCommentFactory(article=article, is_public=False, comment="Čeka odluku.")
    editor = Client()
    editor.force_login(admin_user)
    redis.kill()
    assert editor.get(reverse("admin:index")).status_code == 200
    assert editor.get(reverse("admin:articles_article_change", args=[article.pk])).status_code == 200
    desk = editor.get(reverse("admin:comments_desk"))
    assert desk.status_code == 200
    assert "Čeka odluku." in desk.content.decode()


def test_caching_resumes_when_redis_is_back(redis, clock):
    article = ArticleFactory()
    url = article.get_absolute_url()
    Client().get(url)  # the first request may make what the page reads, which renews every page
    redis.kill()
    Client().get(url)
    assert not served_from_cache(url)

    restart(redis, clock)
    Client().get(url)
    assert served_from_cache(url)
    assert Client().get("/readyz").status_code == 200


def test_readyz_hears_at_once_that_redis_is_back_and_caching_resumes_with_it(redis, clock):
    """Pages skip Redis for a few seconds after a failure; the readiness check asks Redis every time."""
    article = ArticleFactory()
    url = article.get_absolute_url()
    Client().get(url)
    redis.kill()
    Client().get(url)  # the failure that makes pages skip Redis for RETRY_SECONDS
    assert Client().get("/readyz").status_code == 503
    redis.start()  # the clock does not move: pages alone would not ask Redis yet
    assert not served_from_cache(url)
    response = Client().get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"]["cache"] == "ok"
    Client().get(url)
    assert served_from_cache(url)


def test_a_change_made_while_redis_was_down_is_shown_once_it_is_back(redis, clock):
    article = ArticleFactory(title="Stari naslov")
    url = article.get_absolute_url()
    Client().get(url)
    Client().get(url)
    assert served_from_cache(url)
    redis.kill()
    article.title = "Novi naslov"
    article.save()
    assert "Novi naslov" in Client().get(url).content.decode()
    restart(redis, clock)  # empty, as a restarted Redis that keeps nothing on disk
    assert "Novi naslov" in Client().get(url).content.decode()


def test_a_redis_that_stops_answering_costs_one_timeout_then_nothing(settings, monkeypatch):
    """A host that swallows packets: the connection opens (the kernel accepts it) but no answer comes."""
    asked = []
    real_get_client = ReusingRedisCacheClient.get_client
    monkeypatch.setattr(
        ReusingRedisCacheClient,
        "get_client",
        lambda self, *args, **kwargs: asked.append(1) or real_get_client(self, *args, **kwargs),
    )
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)
        location = f"redis://127.0.0.1:{silent.getsockname()[1]}/0"
        settings.CACHES = {
            "default": {"BACKEND": "config.delivery.cache.ReusingRedisCache", "LOCATION": location}
        }
        pool = cache._cache._get_connection_pool(write=False)
        # Bounded waits: without them a swallowed packet holds a request for the system's TCP timeout.
        assert pool.connection_kwargs["socket_connect_timeout"] == 0.25
        assert pool.connection_kwargs["socket_timeout"] == 1.0
        assert cache.get("page:front") is None
        assert len(asked) == 1  # the one call that waited for its timeout
        for _ in range(100):
            assert cache.get("page:front") is None
            cache.set("page:front", "stored nowhere")
        assert len(asked) == 1  # the next 200 calls did not go near the silent host


def test_rate_limits_let_comments_through_while_redis_is_down(redis, settings):
    settings.COMMENTS_RATE_PER_ADDRESS = "1/d"
    article = ArticleFactory()
    reader = Client()
    redis.kill()
    for number in range(3):
        data = comment_form_fields(reader.get(article.get_absolute_url()).content.decode())
        data.update(name="Milena Petrović", email="milena@example.org", comment=f"Mišljenje broj {number}.")
        assert reader.post("/komentari/posalji/", data, **JSON).status_code == 201
    assert ArticleComment.objects.filter(article=article).count() == 3
