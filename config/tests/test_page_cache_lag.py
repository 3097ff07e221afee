"""Changes that may lag and changes that must show at once, as readers of cached pages see them.

A lagging change (``invalidate(..., may_lag=True)``) leaves readers on the previous copy while exactly one
request makes the new one, never past ``PAGE_CACHE_LAG_SECONDS``; an at-once change is never answered from a
copy made before it, on any node. Each test runs on the process-memory cache and on two real Redis servers
(the generations' mirror and the render lock across processes); a "node" is a second set of the process's own
copies and mirror, sharing only the cache, as another gunicorn worker or machine does.
"""

import re
import shutil
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import pytest
import time_machine
from django.core.cache import cache, caches
from django.http import HttpResponse
from django.test import Client
from django.urls import path

from config.delivery import page_cache
from config.delivery.invalidation import COMMENTS, SITE, article, invalidate
from config.delivery.page_cache import article_page, cached_page, listing_pages

from . import servers

LAG = 5
WAIT = 10  # seconds a test waits for a thread's condition before failing (never a fixed sleep)


class Newsroom:
    """What the test pages show (a number, the same in both scripts) and how often they were made."""

    def __init__(self):
        self.version = 1
        self.renders = 0
        self.lock = threading.Lock()
        self.holding = False  # the next render waits for release()
        self.rendering = threading.Event()
        self.released = threading.Event()
        self.every_release = [self.released]
        self.crash = None  # raised by the next render
        self.threads = []

    def render(self):
        with self.lock:
            self.renders += 1
            version, holding, crash = self.version, self.holding, self.crash
            rendering, released = self.rendering, self.released
            self.holding, self.crash = False, None
        if holding:
            rendering.set()
            released.wait(WAIT)
        if crash is not None:
            raise crash
        return HttpResponse(f"<p>{version}</p>")

    def hold(self):
        """The next render waits (``rendering`` is set meanwhile) until ``release()``."""
        with self.lock:
            self.holding = True
            self.rendering, self.released = threading.Event(), threading.Event()
            self.every_release.append(self.released)

    def release(self):
        self.released.set()


newsroom = Newsroom()


@cached_page(article_page)
def article_view(request, pk):
    return newsroom.render()


@cached_page(listing_pages)
def front_view(request):
    return newsroom.render()


urlpatterns = [path("vest/<int:pk>/", article_view), path("naslovna/", front_view)]

pytestmark = [pytest.mark.urls(__name__), pytest.mark.django_db]


class WorkerKilled(BaseException):
    """A worker killed mid-render: no finally of ours runs (its lock stays), nothing is stored."""


@pytest.fixture(scope="module")
def redis_urls(tmp_path_factory):
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


@pytest.fixture(params=["memory", "redis"])
def shared_cache(request, settings):
    """The cache every node shares: process memory (one process's threads) or Redis, as in production."""
    if request.param == "redis":
        default, pages = request.getfixturevalue("redis_urls")
        settings.CACHES = {
            "default": {"BACKEND": "config.delivery.cache.ReusingRedisCache", "LOCATION": default},
            "pages": {"BACKEND": "config.delivery.cache.ReusingRedisCache", "LOCATION": pages},
        }
    settings.PAGE_CACHE_LAG_SECONDS = LAG
    cache.clear()
    caches["pages"].clear()
    yield request.param
    cache.clear()
    caches["pages"].clear()


@pytest.fixture
def news(shared_cache, monkeypatch):
    global newsroom
    monkeypatch.setattr(page_cache, "_scheduled_sources", [])  # these pages show no articles
    newsroom = Newsroom()
    yield newsroom
    for released in newsroom.every_release:  # a thread still waiting in a render goes home
        released.set()
    for thread in newsroom.threads:
        thread.join(WAIT)


class Node:
    """Another worker or machine: its own local copies and generation mirror, the same shared cache."""

    def __init__(self):
        self.copies = page_cache.LocalCopies()
        self.mirror = page_cache.GenerationMirror()

    @contextmanager
    def serving(self):
        saved = page_cache.local_copies, page_cache.mirror
        page_cache.local_copies, page_cache.mirror = self.copies, self.mirror
        try:
            yield
        finally:
            page_cache.local_copies, page_cache.mirror = saved

    def get(self, url, **headers):
        with self.serving():
            return Client().get(url, **headers)


def shown(response):
    assert response.status_code == 200, response.status_code
    return int(re.search(rb"<p>(\d+)</p>", response.content).group(1))


def hit(response):
    return getattr(response, "page_cache_hit", None)


def get(url, **headers):
    return Client().get(url, **headers)


# The page, and the scope a change names that the page shows.
PAGES = [
    pytest.param("/vest/7/", article(7), id="article-its-own-scope"),
    pytest.param("/vest/7/", SITE, id="article-site"),
    pytest.param("/cir/vest/7/", article(7), id="article-in-cyrillic"),
    pytest.param("/naslovna/", COMMENTS, id="front-page-comment-counts"),
]


def warm(url):
    made = get(url)
    assert shown(made) == newsroom.version and hit(get(url))
    return made


@pytest.mark.parametrize(("url", "scope"), PAGES)
def test_within_the_lag_readers_get_the_old_copy_while_one_request_makes_the_new(news, url, scope):
    old = warm(url)
    news.version = 2
    invalidate(scope, may_lag=True)
    news.hold()
    with ThreadPoolExecutor(max_workers=16) as pool:
        renderer = pool.submit(get, url)
        assert news.rendering.wait(WAIT), "no request made the new copy"
        readers = [
            pool.submit(get, url, HTTP_IF_NONE_MATCH=old["ETag"] if n % 4 == 0 else "") for n in range(48)
        ]
        answers = [reader.result(WAIT) for reader in readers]
        news.release()
        made = renderer.result(WAIT)
    assert news.renders == 2  # the first copy and the one renderer: no reader made the page
    for answer in answers:
        assert hit(answer) == "stale" and answer["ETag"] == old["ETag"]  # the old copy keeps its own ETag
        assert answer.status_code == 304 or shown(answer) == 1
    assert {answer.status_code for answer in answers} == {200, 304}
    assert shown(made) == 2 and made["ETag"] != old["ETag"]
    after = get(url)
    assert shown(after) == 2 and hit(after) in ("memory", "shared") and news.renders == 2
    assert get(url, HTTP_IF_NONE_MATCH=old["ETag"]).status_code == 200


@pytest.mark.parametrize(("url", "scope"), PAGES)
def test_the_new_copy_made_on_one_node_is_what_every_node_serves_next(news, url, scope):
    elsewhere = Node()
    warm(url)
    assert shown(elsewhere.get(url)) == 1  # in that node's own memory too
    news.version = 2
    invalidate(scope, may_lag=True)
    assert shown(get(url)) == 2  # this node made it
    answer = elsewhere.get(url)
    assert shown(answer) == 2 and hit(answer) == "shared" and news.renders == 2


@pytest.mark.parametrize(("url", "scope"), PAGES)
def test_a_copy_stored_just_after_a_reader_found_the_old_one_is_served_not_made_again(
    news, url, scope, monkeypatch
):
    elsewhere, renderer = Node(), Node()
    warm(url)
    elsewhere.get(url)
    news.version = 2
    invalidate(scope, may_lag=True)
    made = []
    check = page_cache._within_lag

    def renderer_finishes_meanwhile(*args):
        # Between this reader finding its old copy and asking for the lock, another node makes and stores
        # the new copy and lets the lock go.
        if not made:
            made.append(None)
            made[0] = renderer.get(url)
        return check(*args)

    monkeypatch.setattr(page_cache, "_within_lag", renderer_finishes_meanwhile)
    answer = elsewhere.get(url)
    assert shown(made[0]) == 2 and hit(made[0]) is None
    assert shown(answer) == 2 and hit(answer) == "shared" and news.renders == 2


@pytest.mark.parametrize("moved", [LAG + 0.5, LAG + 60, 3600])
@pytest.mark.parametrize(("url", "scope"), PAGES)
def test_after_the_lag_the_change_always_shows(news, url, scope, moved):
    elsewhere = Node()
    with time_machine.travel(time.time(), tick=False) as clock:
        warm(url)
        elsewhere.get(url)
        news.version = 2
        invalidate(scope, may_lag=True)
        clock.shift(moved)
        for node_get in (get, elsewhere.get):
            assert shown(node_get(url)) == 2


@pytest.mark.parametrize("renderer", ["hung", "killed"])
@pytest.mark.parametrize(("url", "scope"), PAGES)
def test_a_renderer_that_never_finishes_cannot_hold_readers_on_the_old_copy_past_the_lag(
    news, url, scope, renderer, monkeypatch
):
    elsewhere = Node()
    with time_machine.travel(time.time(), tick=False) as clock, ThreadPoolExecutor(max_workers=1) as pool:
        warm(url)
        elsewhere.get(url)
        news.version = 2
        invalidate(scope, may_lag=True)
        clock.shift(LAG - 2)  # the renderer starts late in the lag: its lock would outlive the lag
        if renderer == "hung":
            news.hold()
            pool.submit(get, url)
            assert news.rendering.wait(WAIT)
        else:
            news.crash = WorkerKilled()
            monkeypatch.setattr(page_cache, "_release", lambda lock, path: None)
            with pytest.raises(WorkerKilled):
                get(url)
        renders = news.renders
        for node_get in (get, elsewhere.get):
            answer = node_get(url)
            assert hit(answer) == "stale" and shown(answer) == 1  # within the lag, with the lock taken
        assert news.renders == renders
        clock.shift(2.5)  # the change is now older than the lag; the lock is still held
        for node_get in (get, elsewhere.get):
            answer = node_get(url)
            assert hit(answer) != "stale" and shown(answer) == 2
        news.release()


def at_once_after_nothing(url, scope):
    pass


def at_once_after_a_lagging_change(url, scope):
    invalidate(scope, may_lag=True)


def at_once_while_a_renderer_holds_the_lock(url, scope):
    invalidate(scope, may_lag=True)
    newsroom.hold()
    renderer = threading.Thread(target=get, args=(url,), daemon=True)
    newsroom.threads.append(renderer)
    renderer.start()
    assert newsroom.rendering.wait(WAIT)


@pytest.mark.parametrize(
    "before",
    [at_once_after_nothing, at_once_after_a_lagging_change, at_once_while_a_renderer_holds_the_lock],
    ids=["alone", "after-a-lagging-change", "while-a-renderer-holds-the-lock"],
)
@pytest.mark.parametrize(("url", "scope"), PAGES)
def test_an_at_once_change_is_never_answered_from_an_old_copy_on_any_node(news, url, scope, before):
    nodes = [Node(), Node()]
    warm(url)
    etag = get(url)["ETag"]
    for node in nodes:
        assert shown(node.get(url)) == 1  # each node has it in memory and mirrors the generations
    before(url, scope)
    news.version = 3  # a withdrawal, a correction, a removed comment
    invalidate(scope)
    news.hold()
    with ThreadPoolExecutor(max_workers=1) as pool:
        first = pool.submit(get, url)
        assert news.rendering.wait(WAIT)
        for node in nodes:  # while the first request after the change is still making the page
            answer = node.get(url, HTTP_IF_NONE_MATCH=etag)
            assert answer.status_code == 200 and hit(answer) != "stale" and shown(answer) == 3
        news.release()
        assert shown(first.result(WAIT)) == 3
    answer = get(url)
    assert shown(answer) == 3 and hit(answer)


@pytest.mark.parametrize(("url", "scope"), PAGES)
def test_a_change_to_another_scope_leaves_the_page_alone(news, url, scope):
    warm(url)
    invalidate(article(8), may_lag=True)
    invalidate(article(9))
    answer = get(url)
    assert hit(answer) in ("memory", "shared") and news.renders == 1


def test_a_lagging_change_in_a_transaction_counts_again_when_it_commits(
    news, django_capture_on_commit_callbacks
):
    warm("/vest/7/")
    with django_capture_on_commit_callbacks(execute=True):
        invalidate(article(7), may_lag=True)
        made_meanwhile = get("/vest/7/")  # a reader made the page again before the write was committed
        assert shown(made_meanwhile) == 1
        news.version = 2  # committed with the transaction
    answer = get("/vest/7/")
    assert shown(answer) == 2 and hit(answer) is None


def test_with_no_lag_every_change_is_at_once(news, settings):
    settings.PAGE_CACHE_LAG_SECONDS = 0
    warm("/vest/7/")
    news.version = 2
    news.hold()
    invalidate(article(7), may_lag=True)
    with ThreadPoolExecutor(max_workers=1) as pool:
        first = pool.submit(get, "/vest/7/")
        assert news.rendering.wait(WAIT)
        second = get("/vest/7/")  # while the first is still making the page: made again, not the old copy
        news.release()
        assert shown(second) == shown(first.result(WAIT)) == 2 and hit(second) is None


def test_with_the_cache_off_a_lagging_change_is_no_error(settings, caplog):
    """DJANGO_CACHE=off (benchmarks' uncached runs, the audit's loader) keeps no lag numbers to count up."""
    settings.CACHES = {
        alias: {"BACKEND": "django.core.cache.backends.dummy.DummyCache"} for alias in ("default", "pages")
    }
    with caplog.at_level("ERROR", logger="config.delivery.page_cache"):
        invalidate(COMMENTS, may_lag=True)
    assert caplog.records == []


def test_a_lag_number_heard_out_of_order_never_goes_back(redis_urls, settings):
    """Two changes counted at once on two nodes may be published in the other order."""
    default, pages = redis_urls
    settings.CACHES = {
        "default": {"BACKEND": "config.delivery.cache.ReusingRedisCache", "LOCATION": default},
        "pages": {"BACKEND": "config.delivery.cache.ReusingRedisCache", "LOCATION": pages},
    }
    key = page_cache.LAG_PREFIX + article(7)
    listening = page_cache.GenerationMirror()
    try:
        cache.set(key, 0, timeout=None)
        assert listening.get_many([key]) == {key: 0}
        page_cache.mirror.publish({key: 2})
        page_cache.mirror.publish({key: 1})
        assert listening.get_many([key]) == {key: 2}
    finally:
        listening._stop()
        cache.clear()
