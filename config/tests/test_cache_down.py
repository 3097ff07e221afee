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

from articles import page_cache
from articles.tests.factories import ArticleFactory
from comments import moderation
from comments.models import ArticleComment
from comments.tests.conftest import comment_form_fields
from comments.tests.factories import ArticleCommentFactory
from config.cache import ReusingRedisCache

from . import servers

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def redis(tmp_path, settings, monkeypatch):
    servers.require(
        shutil.which("redis-server"),
        "REQUIRE_REDIS",
        "redis-server is not installed (apt-get install redis-server); cache outage tests skipped",
    )
    server = servers.Redis(tmp_path)
    settings.CACHES = {"default": {"BACKEND": "config.cache.ReusingRedisCache", "LOCATION": server.url}}
    monkeypatch.setattr(ReusingRedisCache, "RETRY_SECONDS", 0.2)  # so a restart is noticed at once
    page_cache.local_copies.clear()
    yield server
    server.stop()
    page_cache.local_copies.clear()
    page_cache.mirror.forget()


def served_from_cache(url):
    page_cache.local_copies.clear()  # as on a node that never made this page
    return Client().get(url).has_header("ETag")


def test_reader_pages_comments_and_reactions_work_while_redis_is_down(redis, caplog):
    article = ArticleFactory(title="Pijaca na Zelenom vencu ponovo radi")
    comment = ArticleCommentFactory(article=article, comment="Napokon!")
    moderation.refresh_comment_count(article.pk)
    Client().get(article.get_absolute_url())
    assert served_from_cache(article.get_absolute_url())

    redis.kill()
    with caplog.at_level(logging.WARNING, logger="config.cache"):
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

    warnings = [record for record in caplog.records if record.name == "config.cache"]
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


def test_caching_resumes_when_redis_is_back(redis):
    article = ArticleFactory()
    url = article.get_absolute_url()
    redis.kill()
    Client().get(url)
    assert not served_from_cache(url)

    redis.start()
    time.sleep(ReusingRedisCache.RETRY_SECONDS)
    Client().get(url)
    assert served_from_cache(url)
    assert Client().get("/readyz").status_code == 200


def test_a_change_made_while_redis_was_down_is_shown_once_it_is_back(redis):
    article = ArticleFactory(title="Stari naslov")
    url = article.get_absolute_url()
    Client().get(url)
    assert served_from_cache(url)
    redis.kill()
    article.title = "Novi naslov"
    article.save()
    assert "Novi naslov" in Client().get(url).content.decode()
    redis.start()  # empty, as a restarted Redis that keeps nothing on disk
    time.sleep(ReusingRedisCache.RETRY_SECONDS)
    assert "Novi naslov" in Client().get(url).content.decode()


def test_a_redis_that_stops_answering_costs_one_timeout_then_nothing(settings):
    """A host that swallows packets: the connection opens (the kernel accepts it) but no answer comes."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)
        location = f"redis://127.0.0.1:{silent.getsockname()[1]}/0"
        settings.CACHES = {"default": {"BACKEND": "config.cache.ReusingRedisCache", "LOCATION": location}}
        started = time.monotonic()
        assert cache.get("page:front") is None
        first = time.monotonic() - started
        started = time.monotonic()
        for _ in range(100):
            assert cache.get("page:front") is None
            cache.set("page:front", "stored nowhere")
        rest = time.monotonic() - started
    assert first < 2
    assert rest < 0.05


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
