"""Django's built-in Redis cache backend, with each Redis client made once and a Redis outage seen as misses.

``RedisCacheClient.get_client`` builds a new ``redis.Redis`` for every cache call; building one fills a table
of some 170 response callbacks, about 0.4 ms of CPU, more than the network round trip it wraps. A page served
from the page cache makes one cache call, so that was most of its cost. The clients share the backend's
connection pools and are thread-safe, so one per pool is enough.

The cache only ever saves work, so an unreachable Redis must not fail a page: a call that cannot reach it
answers like a miss (nothing found, nothing stored). After a failure, calls do not try Redis again for
``RETRY_SECONDS`` (a Redis that drops packets would otherwise cost every call its connect timeout), and the
outage is logged once a minute at most. ``ping()`` is the one call that still fails, for the readiness check.
"""

import logging
import threading
import time
import uuid

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError)


class ReusingRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class Outage:
    """Whether one Redis location is being skipped, shared by the backend instances of all threads."""

    WARN_SECONDS = 60

    def __init__(self):
        self.lock = threading.Lock()
        self.skip_until = 0.0
        self.warned_at = None
        self.failures = 0

    def began(self, location, error, retry_seconds):
        with self.lock:
            now = time.monotonic()
            self.skip_until = now + retry_seconds
            self.failures += 1
            if self.warned_at is None or now - self.warned_at >= self.WARN_SECONDS:
                self.warned_at = now
                logger.warning(
                    "Cache at %s unreachable (%s: %s); pages are made without it until it answers",
                    location,
                    type(error).__name__,
                    error,
                )

    def ended(self, location):
        with self.lock:
            if self.failures:
                logger.warning("Cache at %s answers again after %d failed calls", location, self.failures)
            self.skip_until, self.warned_at, self.failures = 0.0, None, 0


_outages = {}
_outages_lock = threading.Lock()


def _outage_for(location):
    with _outages_lock:
        return _outages.setdefault(location, Outage())


class ReusingRedisCache(RedisCache):
    RETRY_SECONDS = 2
    # Without these a Redis host that drops packets holds a request for the system's TCP timeout (minutes).
    DEFAULT_OPTIONS = {"socket_connect_timeout": 0.25, "socket_timeout": 1.0}

    def __init__(self, server, params):
        options = {**self.DEFAULT_OPTIONS, **params.get("OPTIONS", {})}
        super().__init__(server, {**params, "OPTIONS": options})
        self._class = ReusingRedisCacheClient
        self._location = ",".join(self._servers)
        self._outage = _outage_for(self._location)

    def unreachable(self):
        """True while calls are answered as misses without asking Redis."""
        return time.monotonic() < self._outage.skip_until

    def ping(self):
        """Stores and reads back a value in Redis, raising when it cannot: never answered as a miss."""
        client = self._cache.get_client(write=True)
        key, token = self.make_key(f"ping:{uuid.uuid4().hex}"), uuid.uuid4().hex.encode()
        client.set(key, token, ex=10)
        answered = client.get(key)
        client.delete(key)
        if answered != token:
            raise RedisConnectionError("the cache did not return the value just stored")
        if self._outage.failures:
            self._outage.ended(self._location)

    def _softly(self, call, missed):
        if self.unreachable():
            return missed
        try:
            result = call()
        except UNREACHABLE as error:
            self._outage.began(self._location, error, self.RETRY_SECONDS)
            return missed
        if self._outage.failures:
            self._outage.ended(self._location)
        return result

    def add(self, *args, **kwargs):
        return self._softly(lambda: super(ReusingRedisCache, self).add(*args, **kwargs), False)

    def get(self, key, default=None, version=None):
        return self._softly(lambda: super(ReusingRedisCache, self).get(key, default, version), default)

    def set(self, *args, **kwargs):
        return self._softly(lambda: super(ReusingRedisCache, self).set(*args, **kwargs), None)

    def touch(self, *args, **kwargs):
        return self._softly(lambda: super(ReusingRedisCache, self).touch(*args, **kwargs), False)

    def delete(self, *args, **kwargs):
        return self._softly(lambda: super(ReusingRedisCache, self).delete(*args, **kwargs), False)

    def get_many(self, *args, **kwargs):
        return self._softly(lambda: super(ReusingRedisCache, self).get_many(*args, **kwargs), {})

    def has_key(self, *args, **kwargs):
        return self._softly(lambda: super(ReusingRedisCache, self).has_key(*args, **kwargs), False)

    def incr(self, key, delta=1, version=None):
        missing = object()
        result = self._softly(lambda: super(ReusingRedisCache, self).incr(key, delta, version), missing)
        if result is missing:
            # What a missing key gives; django-ratelimit then follows RATELIMIT_FAIL_OPEN.
            raise ValueError(f"Key '{key}' not found (the cache is unreachable)")
        return result

    def set_many(self, data, *args, **kwargs):
        return self._softly(
            lambda: super(ReusingRedisCache, self).set_many(data, *args, **kwargs), list(data)
        )

    def delete_many(self, *args, **kwargs):
        return self._softly(lambda: super(ReusingRedisCache, self).delete_many(*args, **kwargs), None)

    def clear(self):
        return self._softly(lambda: super(ReusingRedisCache, self).clear(), False)
