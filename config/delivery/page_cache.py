"""Whole reader pages kept in the shared cache, per script, and dropped the moment what they show changes.

A page view that declares itself cacheable (``cached_page``) names the *scopes* its content depends on:
``SITE`` (articles, sections, authors, tags, photos, site settings), ``COMMENTS`` (comment counts on
listings) and one scope per article (its own comments and reactions). Each scope has a generation number in
the cache; a page's key holds the generations of its scopes, so bumping a scope (``changed``) makes every page
that shows it miss on its next request, on every node sharing the cache, without finding or deleting keys.
An article that reaches its scheduled time changes the site with no save: the earliest scheduled
publication is kept beside the generations and passing it bumps ``SITE``.

Only anonymous requests with no personal cookie (session, messages, the reader's reaction key) are served
from or stored in the cache, and only complete 200 answers that set no cookie and are not marked private.
Django's cache middleware was not enough: it knows nothing of what a page shows (only time-outs), keys on
the host a request names, and runs inside the middleware that transliterates Cyrillic pages, which cached
pages here skip.

A page's key is its path and the query parameters its view declares (``params``), normalised; the view is
handed only those, so any other parameter neither makes a new copy nor a new render, and a view reading one
it did not declare is reported (an error with DEBUG). Nothing else of the request may shape a shared page:
absolute addresses come from ``DJANGO_SITE_URL`` (``addresses.py``), and a request naming a host the site
does not serve is refused before the cache is asked, as it would be without the cache. The copies live in
the ``pages`` cache, which may evict; the generations stay in ``default``, which must not.

Cached pages carry an ETag (answered with 304) and a Cache-Control a CDN can act on; browsers revalidate
every time (max-age=0) so a reader who has just posted a comment sees the page's notice, not an old copy.

A change may also *lag* (``changed_may_lag``: a reaction, an approved comment, counts): it leaves the key
alone and counts up the scope's *lag number* instead, noting when. A copy records the lag numbers it was made
from. A copy that misses lagging changes is still served while the oldest change it misses is at most
``PAGE_CACHE_LAG_SECONDS`` old, and meanwhile one request per page, across every worker and node (a lock
taken with ``add`` in the shared cache), makes the new copy; once that change is older, the old copy is never
served again (a miss), so a renderer that died cannot hold readers on it. A hot page is thus never made by
every worker at once after a reaction, and no reader sees a change later than promised.
"""

import contextvars
import functools
import hashlib
import json
import logging
import os
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import DEFAULT_CACHE_ALIAS, cache, caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.redis import RedisCache
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.db import transaction
from django.http import HttpResponse, QueryDict
from django.urls import Resolver404, resolve
from django.utils.cache import patch_cache_control

from . import reader_script

logger = logging.getLogger(__name__)

SITE = "site"
COMMENTS = "comments"
KEY_PREFIX = "page:"
GENERATION_PREFIX = "page-generation:"
NEXT_PUBLICATION = "page-generation:next-publication"
# A scope's lag number, and beside it (":<number>") when the change that made it was made.
LAG_PREFIX = "page-lag:"
# Taken by the one request that makes the new copy of a page that misses lagging changes.
RENDER_LOCK_PREFIX = "page-render:"
NO_PUBLICATION_PENDING = float("inf")
# Headers of the finished response that a cached copy must give again.
KEPT_HEADERS = ("Content-Type", "Content-Language", "Vary", "Link", "X-Robots-Tag", "ETag", "Cache-Control")
# Pages each process also keeps in its own memory (see LocalCopies).
LOCAL_COPIES = 200
# The cache holding the copies of pages (settings.CACHES), apart from the generations in "default".
PAGES_CACHE_ALIAS = "pages"


_filling_shared_copy = contextvars.ContextVar("filling_shared_copy", default=False)


def filling_shared_copy():
    """True while this request makes the copy the cache will share (the replica router asks)."""
    return _filling_shared_copy.get()


def personal_cookies():
    """The cookies that make a request personal, by the names the settings give them: the session (signed in,
    a comment form's state) and the messages a page shows once. Django names the messages cookie in code."""
    return (settings.SESSION_COOKIE_NAME, CookieStorage.cookie_name)


def article_scope(article_id):
    return f"article:{article_id}"


@dataclass(frozen=True)
class Param:
    """A query parameter a cacheable view reads; ``normalise`` gives the value it is handed ("" drops it)."""

    name: str
    normalise: object = str.strip


def page_number(value):
    """A page number as listings read it: anything but a number above 1 is the first page (dropped)."""
    value = value.strip()
    if not (value.isascii() and value.isdigit()) or len(value) > 5:
        return ""
    number = int(value)
    return str(number) if number > 1 else ""


def number_or_refused(value):
    """A page number for a view that refuses a bad one (Django's sitemaps): canonical; anything else kept."""
    value = value.strip()
    if value.isascii() and value.isdigit() and len(value) <= 5:
        return str(int(value)) if int(value) != 1 else ""
    return value[:20]


def object_id(value):
    """A numeric id (a comment replied to); anything else names nothing."""
    value = value.strip()
    return value.lstrip("0") if value.isascii() and value.isdigit() and len(value) <= 10 else ""


def one_of(*choices):
    """One of a few words, in any case; another word means the default (dropped)."""

    def normalise(value):
        value = value.strip().casefold()
        return value if value in choices else ""

    return normalise


@dataclass(frozen=True)
class PageCacheRule:
    scopes: object
    on_hit: object
    params: tuple
    same_for_everyone: bool = False  # no cookie shapes it: signed-in readers get the shared copy too

    def query(self, query_dict):
        """The declared parameters as the view gets them: sorted, normalised, the last of repeated ones."""
        pairs = []
        for param in sorted(self.params, key=lambda param: param.name):
            values = [param.normalise(value) for value in query_dict.getlist(param.name)]
            values = [value for value in values if value]
            if values:
                pairs.append((param.name, values[-1]))  # as QueryDict.get reads a repeated one
        return pairs


class DeclaredQuery(QueryDict):
    """``request.GET`` of a cacheable view: its declared parameters only; reading another is reported."""

    def __init__(self, query_string=None, mutable=False, encoding=None, *, declared=None, view=""):
        super().__init__(query_string, mutable=mutable, encoding=encoding)
        self.declared = declared
        self.view = view

    @classmethod
    def of(cls, pairs, declared, view):
        query = cls(mutable=True, declared=frozenset(declared), view=view)
        for name, value in pairs:
            query.appendlist(name, value)
        query._mutable = False
        return query

    def _check(self, key):
        if self.declared is not None and key not in self.declared:
            undeclared_read(self.view, key)

    def __getitem__(self, key):
        self._check(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        self._check(key)
        return super().__contains__(key)

    def getlist(self, key, default=None):
        self._check(key)
        return super().getlist(key, default)


def undeclared_read(view, name):
    """A cacheable view read a parameter its key leaves out: it sees nothing, and its page would not vary."""
    message = f"{view} reads the query parameter {name!r}, which its cached_page(params=...) does not declare"
    if settings.DEBUG:
        raise ImproperlyConfigured(message)
    logger.error(message)


def cached_page(scopes, on_hit=None, params=(), same_for_everyone=False):
    """Marks a view's anonymous answers as cacheable.

    ``scopes(kwargs)`` gives the scopes a page depends on from the URL's arguments;
    ``on_hit(request, kwargs)`` runs when the cache answers instead of the view (the read counter);
    ``params`` names the query parameters the view reads (names or ``Param``): the only ones in the page's
    key and the only ones the view is handed. ``same_for_everyone``: the view reads no cookie, session or
    user (a polled part of a page), so readers with personal cookies are served the shared copy too.
    """
    rule = PageCacheRule(
        scopes,
        on_hit,
        tuple(param if isinstance(param, Param) else Param(param) for param in params),
        same_for_everyone,
    )
    declared = [param.name for param in rule.params]

    def mark(view):
        shown = getattr(view, "view_class", view)  # a class-based view by its class
        name = getattr(shown, "__qualname__", None) or type(shown).__qualname__

        @functools.wraps(view)
        def cacheable_view(request, *args, **kwargs):
            request.GET = DeclaredQuery.of(rule.query(request.GET), declared, name)
            return view(request, *args, **kwargs)

        cacheable_view.page_cache = rule
        return cacheable_view

    return mark


def site_pages(kwargs):
    """Feeds, sitemaps: what is published."""
    return (SITE,)


def listing_pages(kwargs):
    """The front page and listings also show comment counts."""
    return (SITE, COMMENTS)


def article_page(kwargs):
    """An article's page also shows other articles' comment counts (the related cards)."""
    return (SITE, COMMENTS, article_scope(kwargs["pk"]))


def changed(*scopes):
    """Pages showing any of ``scopes`` are made again on their next request.

    Bumped now (so later requests in this transaction's thread see the change) and again after the commit,
    which drops any copy another request made from the data as it was before the commit.
    """
    _bump(scopes)
    if not transaction.get_autocommit():
        transaction.on_commit(lambda: _bump(scopes), robust=True)


def changed_may_lag(*scopes):
    """Like ``changed``, for a change readers may see up to ``PAGE_CACHE_LAG_SECONDS`` late: until then the
    copies from before are served while one request makes each page again (``invalidation.invalidate``)."""
    if settings.PAGE_CACHE_LAG_SECONDS <= 0 or isinstance(caches[DEFAULT_CACHE_ALIAS], DummyCache):
        # Nothing lags without lag numbers (a dummy cache, DJANGO_CACHE=off, keeps none and has no copies).
        changed(*scopes)
        return
    _bump_lag(scopes)
    if not transaction.get_autocommit():
        transaction.on_commit(lambda: _bump_lag(scopes), robust=True)


def _bump(scopes):
    stamp = time.time_ns()
    values = {GENERATION_PREFIX + scope: stamp for scope in scopes}
    try:
        cache.set_many(values, timeout=None)
        if SITE in scopes:  # the schedule may have changed too
            cache.delete(NEXT_PUBLICATION)
            values[NEXT_PUBLICATION] = None
        mirror.publish(values)
    except Exception:  # a cache outage must not fail the editor's save; its copies are gone with it
        logger.exception("Could not invalidate cached pages for %s", scopes)


def _bump_lag(scopes):
    """Counts up each scope's lag number and notes when; the key of its pages stays as it was."""
    now = time.time()
    values = {}
    try:
        for scope in scopes:
            key = LAG_PREFIX + scope
            cache.add(key, 0, timeout=None)
            number = cache.incr(key)
            # Kept well past the lag: a note that is gone means a change too old to lag any more.
            cache.set(f"{key}:{number}", now, timeout=_lag_note_seconds())
            values[key] = number
        mirror.publish(values)
    except Exception:  # as in _bump: the reader's action stands; pages then wait for their time-out
        logger.exception("Could not mark cached pages for %s as changed (may lag)", scopes)


def _lag_note_seconds():
    return max(60, 2 * settings.PAGE_CACHE_LAG_SECONDS)


class GenerationMirror:
    """The generations (and the next scheduled publication) in this process's memory, kept current by Redis.

    Reading them from Redis on every request was a round trip per page served from the cache, half its
    cost. Instead each process subscribes to a channel on which every change is published, and before each
    lookup drains it without waiting. A change is published before the request that made it answers, so by
    the time anyone can ask for the changed page, the news is already in this process's socket. Keys not
    yet in memory, a cache that is not Redis (one process: nothing to mirror) and a subscription that is
    down or has not answered a ping for a while all mean reading the shared cache, as before; and every
    two seconds the mirror is read afresh, so a message lost in a reconnection costs at most that long.
    """

    CHANNEL = "citaonica:page-generations"
    PING_SECONDS = 2

    def __init__(self):
        self.lock = threading.Lock()
        self.values = {}
        self.pubsub = None
        self.pid = None
        self.client = None
        self.confirmed_at = 0.0
        self.retry_at = 0.0

    def get_many(self, keys):
        with self.lock:
            try:
                listening = self._listening()
            except Exception:  # the subscription died with Redis: the cache copes with that on its own
                logger.exception("Page generation subscription lost while checking it; reading the cache")
                self._stop()
                listening = False
            if not listening:
                return cache.get_many(keys)
            try:
                self._drain()
                missing = [key for key in keys if key not in self.values]
                if missing:
                    self.values.update(cache.get_many(missing))
                    self._drain()  # changes published while we read win
                return {key: self.values[key] for key in keys if key in self.values}
            except Exception:
                logger.exception("Page generation subscription lost; reading them from the cache")
                self._stop()
                return cache.get_many(keys)

    def publish(self, values):
        client = self._redis_client()
        if client is not None and not _cache_unreachable():
            client.publish(self.CHANNEL, json.dumps(values))

    def forget(self):
        with self.lock:
            self.values.clear()

    @staticmethod
    def _redis_client():
        backend = caches[DEFAULT_CACHE_ALIAS]
        return backend._cache.get_client(write=True) if isinstance(backend, RedisCache) else None

    def _listening(self):
        client = self._redis_client()
        if self.pid != os.getpid() or client is not self.client:
            # A forked worker (the parent's connection is not ours) or another cache (tests).
            self.pubsub, self.pid, self.client, self.retry_at = None, os.getpid(), client, 0.0
            self.values.clear()
        if client is None:
            return False
        if self.pubsub is None:
            if time.monotonic() < self.retry_at or _cache_unreachable():
                return False
            try:
                pubsub = client.pubsub(ignore_subscribe_messages=False)
                pubsub.subscribe(self.CHANNEL)
                confirmation = pubsub.get_message(timeout=1)
                if not confirmation or confirmation["type"] != "subscribe":
                    raise ConnectionError("no subscription confirmation")
            except Exception:
                logger.exception("Could not subscribe to page generations; reading them from the cache")
                self.retry_at = time.monotonic() + 5
                return False
            self.pubsub, self.confirmed_at = pubsub, time.monotonic()
            self.values.clear()  # only what is read after subscribing is kept current
        if time.monotonic() - self.confirmed_at > self.PING_SECONDS:
            # A connection that died without a word would deliver nothing: check it answers. redis-py also
            # reconnects on its own, losing what was published meanwhile: so the mirror is read afresh too.
            self.pubsub.ping()
            deadline = time.monotonic() + 0.5
            while (
                message := self.pubsub.get_message(timeout=max(0.0, deadline - time.monotonic()))
            ) is not None:
                if message["type"] == "pong":
                    self.confirmed_at = time.monotonic()
                    self.values.clear()
                    break
                self._apply(message)
            else:
                self._stop()
                return False
        return True

    def _drain(self):
        while (message := self.pubsub.get_message(timeout=0)) is not None:
            self._apply(message)

    def _apply(self, message):
        if message["type"] != "message":
            return
        for key, value in json.loads(message["data"]).items():
            if value is None:
                self.values.pop(key, None)
            elif key.startswith(LAG_PREFIX):
                # Two changes counted at once may be published out of order: a lag number never goes back.
                self.values[key] = max(value, self.values.get(key, value))
            else:
                self.values[key] = value

    def _stop(self):
        try:
            if self.pubsub is not None:
                self.pubsub.close()
        except Exception:  # closing a connection that is already broken: nothing is lost but the socket
            logger.warning("Could not close the page generation subscription", exc_info=True)
        self.pubsub = None
        self.values.clear()
        self.retry_at = time.monotonic() + 5


mirror = GenerationMirror()


def pages_cache():
    """Where copies of pages are kept: their own cache when configured (it may evict), else the default."""
    return caches[PAGES_CACHE_ALIAS if PAGES_CACHE_ALIAS in settings.CACHES else DEFAULT_CACHE_ALIAS]


def _cache_unreachable():
    """True while the shared cache is down and answering every call as a miss (config/delivery/cache.py)."""
    unreachable = getattr(caches[DEFAULT_CACHE_ALIAS], "unreachable", None)
    return unreachable is not None and unreachable()


@dataclass
class CachedPage:
    body: bytes
    headers: dict  # what the response must say again, ETag and Cache-Control included
    expires_at: float
    lags: tuple = ()  # the lag numbers of the page's scopes when it was made


class LocalCopies:
    """The most used pages again in this process's memory, so a hit fetches only the generations.

    A key names the generations a page was made from, so a local copy can be no staler than the shared one;
    it expires when the shared one does.
    """

    def __init__(self, size=LOCAL_COPIES):
        self.size = size
        self.pages = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            page = self.pages.get(key)
            if page is None:
                return None
            if page.expires_at <= time.time():
                del self.pages[key]
                return None
            self.pages.move_to_end(key)
            return page

    def put(self, key, page):
        with self.lock:
            self.pages[key] = page
            self.pages.move_to_end(key)
            while len(self.pages) > self.size:
                self.pages.popitem(last=False)

    def drop(self, key):
        with self.lock:
            self.pages.pop(key, None)

    def clear(self):
        with self.lock:
            self.pages.clear()


local_copies = LocalCopies()


class PageCacheMiddleware:
    """Serves and stores cacheable pages. Sits just inside WhiteNoise, outside the script middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = settings.PAGE_CACHE_SECONDS  # read per request so a test can turn the cache off
        page = self._cacheable_page(request) if seconds else None
        if page is None:
            return self.get_response(request)
        view, kwargs, path = page
        request.get_host()  # a host the site does not serve is refused here, as further in on a miss
        if self._is_personal(request) and not view.page_cache.same_for_everyone:
            # Made for this reader (signed in, a notice, their reactions): no shared cache may keep it.
            response = self.get_response(request)
            if not response.has_header("Cache-Control"):
                patch_cache_control(response, private=True, no_cache=True)
            return response
        rule = view.page_cache
        try:
            scopes = tuple(rule.scopes(kwargs))
            generations, lags = _state(scopes)
            key = self._key(path, rule.query(request.GET), generations)
            cached, source = self._lookup(key)
            if _cache_unreachable():
                # The generations read as misses, so a copy kept now could outlive a change: none is kept.
                return self.get_response(request)
            lock = None
            if cached is not None and cached.lags != lags:
                if not _within_lag(scopes, cached.lags, lags):
                    cached = None  # it misses a change older than promised: made again, as after `changed`
                elif not cache.add(RENDER_LOCK_PREFIX + key, os.getpid(), timeout=_lock_seconds()):
                    source = "stale"  # another request is making the new copy; until it is stored, this one
                else:
                    # Ours: the new copy unless one was stored before (a renderer keeps the lock until then).
                    lock = RENDER_LOCK_PREFIX + key
                    cached, source = pages_cache().get(key), "shared"
                    if cached is not None and cached.lags == lags:
                        local_copies.put(key, cached)
                        _release(lock, path)
                        lock = None
                    else:
                        cached = None
        except Exception:
            logger.exception("Page cache unavailable; serving %s uncached", path)
            return self.get_response(request)
        if cached is not None:
            if rule.on_hit is not None:
                rule.on_hit(request, kwargs)
            response = self._answer(request, cached)
            response.page_cache_hit = source  # for tests: where the answer came from (not sent)
            return response
        try:
            return self._make(request, path, key, lags, seconds)
        finally:
            if lock is not None:
                _release(lock, path)

    def _lookup(self, key):
        """This process's copy of the page, else the shared one."""
        cached = local_copies.get(key)
        if cached is not None:
            return cached, "memory"
        cached = pages_cache().get(key)
        if cached is not None:
            local_copies.put(key, cached)
        return cached, "shared"

    def _make(self, request, path, key, lags, seconds):
        """The view's answer, kept as the page's copy (made from ``lags``) when it may be shared."""
        token = _filling_shared_copy.set(True)  # read from the primary: a replica may not have the change yet
        try:
            response = self.get_response(request)
        finally:
            _filling_shared_copy.reset(token)
        try:
            if self._storable(response):
                self._add_caching_headers(response, seconds)
                cached = CachedPage(
                    body=response.content,
                    headers={name: response[name] for name in KEPT_HEADERS if response.has_header(name)},
                    expires_at=time.time() + seconds,
                    lags=lags,
                )
                pages_cache().set(key, cached, seconds)
                local_copies.put(key, cached)
                if _etag_matches(request.headers.get("If-None-Match", ""), cached.headers["ETag"]):
                    return self._answer(request, cached)  # unchanged since the reader's copy: 304 here too
            else:  # an old copy (one that misses lagging changes) must not outlive the page
                local_copies.drop(key)
                pages_cache().delete(key)
        except Exception:
            logger.exception("Could not store %s in the page cache", path)
        return response

    def _cacheable_page(self, request):
        """The view, its URL arguments and the path as asked (script prefix and all), if cacheable."""
        if request.method not in ("GET", "HEAD"):
            return None
        path = request.path_info
        latin = reader_script.latin_path(path)
        if latin == path and request.COOKIES.get(reader_script.COOKIE_NAME) == reader_script.CYRILLIC:
            return None  # the script middleware sends this reader to the Cyrillic address
        match = _resolve(latin)
        if match is None:
            return None
        if not hasattr(match.func, "page_cache"):
            return None
        return match.func, match.kwargs, path

    @staticmethod
    def _is_personal(request):
        return any(name in request.COOKIES for name in personal_cookies())

    def _key(self, path, query, generations):
        address = f"{path}?{urlencode(query)}"
        address = hashlib.blake2b(address.encode(), digest_size=20).hexdigest()
        return f"{KEY_PREFIX}{address}:{generations}"

    def _storable(self, response):
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not response.has_header("Cache-Control")  # the view chose (a preview: never)
        )

    def _answer(self, request, cached):
        if _etag_matches(request.headers.get("If-None-Match", ""), cached.headers["ETag"]):
            response = HttpResponse(status=304)
        else:
            response = HttpResponse(cached.body)
        for name, value in cached.headers.items():
            response[name] = value
        return response

    def _add_caching_headers(self, response, seconds):
        response["ETag"] = f'"{hashlib.blake2b(response.content, digest_size=16).hexdigest()}"'
        patch_cache_control(
            response,
            public=True,
            max_age=0,
            s_maxage=seconds,
            stale_while_revalidate=settings.PAGE_CACHE_STALE_SECONDS,
        )


@functools.lru_cache(maxsize=4096)
def _resolve(path):
    """URL resolution, remembered: on a page served from the cache it was a tenth of the work."""
    try:
        return resolve(path)
    except Resolver404:  # not an error here: no page to cache; Django answers the 404 further in
        return None


def _forget_resolutions(setting, **kwargs):
    if setting == "ROOT_URLCONF":
        _resolve.cache_clear()


setting_changed.connect(_forget_resolutions)


def _state(scopes):
    """The current generation of each scope, as one string for the key, and their lag numbers; passing a
    scheduled publication bumps SITE (at once)."""
    keys = [GENERATION_PREFIX + scope for scope in scopes]
    lag_keys = [LAG_PREFIX + scope for scope in scopes]
    found = mirror.get_many([*keys, *lag_keys, NEXT_PUBLICATION])
    next_publication = found.get(NEXT_PUBLICATION)
    if next_publication is None:
        next_publication = _remember_next_publication()
    if next_publication <= time.time():
        _bump([SITE])
        found = mirror.get_many([*keys, *lag_keys])
        _remember_next_publication()
    missing = [key for key in (*keys, *lag_keys) if key not in found]
    if missing:
        stamp = time.time_ns()
        for key in missing:
            cache.add(key, stamp if key.startswith(GENERATION_PREFIX) else 0, timeout=None)
        found.update(mirror.get_many(missing))
    return "-".join(str(found.get(key, 0)) for key in keys), tuple(found.get(key, 0) for key in lag_keys)


def scope_state(scopes):
    """The current generations of ``scopes`` (one string) and their lag numbers, read as a page's key reads
    them, for other copies that must change exactly when the pages do (``fragments``); None while the shared
    cache is unreachable, when nothing keyed on them may be kept."""
    state = _state(tuple(scopes))
    return None if _cache_unreachable() else state


def _within_lag(scopes, made_from, lags):
    """Whether a copy made from the lag numbers ``made_from`` may still be served: the oldest change it
    misses is at most PAGE_CACHE_LAG_SECONDS old. A note gone, or numbers that went back (the cache was
    emptied), say nothing of when: then no."""
    if len(made_from) != len(lags):
        return False
    notes = []
    for scope, seen, current in zip(scopes, made_from, lags, strict=True):
        if current < seen:
            return False
        if current > seen:
            notes.append(f"{LAG_PREFIX}{scope}:{seen + 1}")
    made_at = cache.get_many(notes)
    if len(made_at) < len(notes):
        return False
    return time.time() - min(made_at.values()) <= settings.PAGE_CACHE_LAG_SECONDS


def _lock_seconds():
    """How long a page's renderer holds its lock at most: past the lag its old copy is not served anyway."""
    return max(1, settings.PAGE_CACHE_LAG_SECONDS)


def _release(lock, path):
    try:
        cache.delete(lock)
    except Exception:  # it expires on its own within the lag; meanwhile readers get the new copy
        logger.exception("Could not release the render lock of %s", path)


def _remember_next_publication():
    moments = [moment.timestamp() for source in _scheduled_sources if (moment := source()) is not None]
    moment = min(moments, default=NO_PUBLICATION_PENDING)
    cache.set(NEXT_PUBLICATION, moment, timeout=None)
    return moment


_scheduled_sources = []


def watch_schedule(source):
    """``source()`` gives the next moment (an aware datetime, or None) at which SITE pages change with no
    write: a scheduled publication. The domain registers it; the layer asks it when it passes."""
    if source not in _scheduled_sources:
        _scheduled_sources.append(source)


def _etag_matches(header, etag):
    if not header:
        return False
    candidates = [candidate.strip().removeprefix("W/") for candidate in header.split(",")]
    return "*" in candidates or etag in candidates
