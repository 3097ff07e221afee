"""Lagging and at-once changes on two gunicorn nodes sharing one database and two Redis, as in production.

Each node is its own process with its own copies of pages and its own mirror of the generations; what they
share is Redis. A render under way elsewhere is played by this test holding the page's render lock in the
shared cache. The lag is long here (DJANGO_PAGE_CACHE_LAG_SECONDS=600) so that no step races the clock;
what happens past the lag is tested with a moved clock in test_page_cache_lag.py.
"""


import pytest
from django.core.cache import cache, caches

from articles.models import SiteSettings
from articles.tests.factories import ArticleFactory
from comments import moderation
from comments.models import ArticleComment
from comments.tests.factories import ArticleCommentFactory
from config.delivery import page_cache
from config.delivery.invalidation import article, invalidate
from config.tests import servers

pytestmark = pytest.mark.django_db(transaction=True)

LAG = 600


@pytest.fixture
def nodes(static_root, tmp_path, settings):
    """Two one-worker nodes on a fresh pair of Redis servers, which this test process shares too."""
    started = []
    try:
        redis_dir = tmp_path / "redis"
        redis_dir.mkdir()
        redis = servers.Redis(redis_dir)
        started.append(redis)
        pages_redis = servers.Redis.for_pages(redis_dir)
        started.append(pages_redis)
        settings.CACHES = {
            "default": {"BACKEND": "config.delivery.cache.ReusingRedisCache", "LOCATION": redis.url},
            "pages": {"BACKEND": "config.delivery.cache.ReusingRedisCache", "LOCATION": pages_redis.url},
        }
        settings.PAGE_CACHE_LAG_SECONDS = LAG
        for _ in range(2):
            node = servers.start_node(
                tmp_path,
                database_url=servers.database_url_of_tests(),
                static_root=static_root,
                DJANGO_REDIS_URL=redis.url,
                DJANGO_PAGE_CACHE_REDIS_URL=pages_redis.url,
                DJANGO_PAGE_CACHE_LAG_SECONDS=LAG,
            )
            started.append(node)
        yield [servers.Visitor(node.url) for node in started[2:]]
        for server in started:
            if server.process.poll() is not None:
                pytest.fail(f"{server.name} stopped during the test:\n{server.stderr()}")
    finally:
        cache.clear()
        caches["pages"].clear()
        for server in reversed(started):
            server.stop()


def title_on(visitor, path):
    status, body, _ = visitor.get(path)
    assert status == 200, (path, status, body[-2000:])
    return next(title for title in TITLES if f">{title}<" in body)


TITLES = ["Most preko Save otvoren", "Most preko Save zatvoren", "Most preko Save ponovo otvoren"]


def retitle(story, title):
    """The text of the article's one comment (what its own scope shows) as a write changes it, with no
    invalidation of its own: the test makes it. (The title is the site's scope, as are its fragments.)"""
    ArticleComment.objects.filter(article=story).update(comment=title)


def take_render_lock(story):
    """What a node that began making the article's page again holds in the shared cache."""
    generations, _ = page_cache._state(page_cache.article_page({"pk": story.pk}))
    key = page_cache.PageCacheMiddleware(None)._key(story.get_absolute_url(), [], generations)
    lock = page_cache.RENDER_LOCK_PREFIX + key
    assert cache.add(lock, "another node", timeout=LAG)
    return lock


def test_nodes_serve_the_old_copy_while_another_renders_a_lagging_change_and_never_after_an_at_once_one(
    nodes,
):
    SiteSettings.get_solo()
    story = ArticleFactory(title="Most preko Save")
    ArticleCommentFactory(article=story, comment=TITLES[0])
    moderation.refresh_comment_count(story.pk)
    path = story.get_absolute_url()
    for visitor in nodes * 2:
        assert title_on(visitor, path) == TITLES[0]  # made once, then each node has it in its memory

    lock = take_render_lock(story)
    retitle(story, TITLES[1])
    invalidate(article(story.pk), may_lag=True)  # heard by each node's mirror through Redis
    for visitor in nodes * 2:
        assert title_on(visitor, path) == TITLES[0]  # the old copy: the page is being made elsewhere
    cache.delete(lock)  # that render went away: the next request on any node makes the page
    for visitor in nodes:
        assert title_on(visitor, path) == TITLES[1]

    take_render_lock(story)
    retitle(story, TITLES[2])
    invalidate(article(story.pk))  # at once: no old copy, whoever holds a lock
    for visitor in reversed(nodes):
        assert title_on(visitor, path) == TITLES[2]
