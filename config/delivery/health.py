"""Health checks for load balancers and orchestrators: ``/healthz`` (alive) and ``/readyz`` (can serve).

Answered by a middleware near the top of the stack, before host validation, HTTPS redirects, sessions and the
page cache: a load balancer probing a node by its IP address over plain HTTP gets the answer, not a 400 or a
redirect, and nothing it says is stored. They show no more than "ok" or "down", so answering any host gives
nothing away; why a check failed goes to the log (django-health-check logs each failure with its reason).

``/healthz`` touches nothing: a node whose database is down is still alive, and restarting it would not help.
``/readyz`` runs django-health-check's checks: ``SELECT 1`` on each database and a value stored in the cache
and read back (for Redis, asked of Redis itself, see ``Cache``). A node that fails it should get no
traffic until it passes: 503, with Retry-After saying when to ask again. The library's own view is not used:
it answers 500 without Retry-After, sends its own cache headers and names each failure in the body.
"""

import asyncio
import dataclasses
from concurrent.futures import ThreadPoolExecutor

import health_check
from asgiref.sync import async_to_sync, sync_to_async
from django.conf import settings
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS
from django.http import HttpResponse, JsonResponse
from health_check.exceptions import ServiceUnavailable
from redis.exceptions import RedisError

from config.delivery.cache import ReusingRedisCache
from config.delivery.faults import RETRY_AFTER_SECONDS

HEALTH_PATH = "/healthz"
READY_PATH = "/readyz"


@dataclasses.dataclass
class Database(health_check.Database):
    """The library's ``SELECT 1``, in the request's thread and so on the connection its worker already holds.

    The library runs a synchronous check in a thread of its own, where every probe would open a connection.
    """

    async def run(self):
        await sync_to_async(super().run)()


@dataclasses.dataclass
class Cache(health_check.Cache):
    """The library's store-and-read-back, except on our Redis cache, whose ``ping()`` asks Redis itself.

    ``ReusingRedisCache`` answers a miss while Redis is down and, after a failure, does not ask Redis for a
    few seconds: the library's check would see only a value that does not match, and would go on failing for
    those seconds after Redis is back. ``ping()`` asks Redis on every probe and raises when it gets no answer.
    """

    async def run(self):
        if isinstance(caches[self.alias], ReusingRedisCache):
            await sync_to_async(self.ping)()
        else:
            await super().run()

    def ping(self):
        try:
            caches[self.alias].ping()
        except RedisError as error:
            raise ServiceUnavailable(f"Redis does not answer ({type(error).__name__})") from error


def readiness_checks():
    """The checks of /readyz by the name it reports: each database, and the cache unless it is turned off."""
    checks = {
        ("database" if alias == DEFAULT_DB_ALIAS else f"database:{alias}"): Database(alias=alias)
        for alias in settings.DATABASES
    }
    if settings.CACHE_ENABLED:
        checks["cache"] = Cache()
    return checks


async def results(checks):
    """The library's runner: each check within its time limit, each failure logged with its reason."""
    return await asyncio.gather(*(check.get_result() for check in checks))


def run_checks(checks):
    """The checks' results, in a plain worker thread or in one whose event loop runs."""
    # asyncio._get_running_loop answers None instead of raising: asking is not an error here.
    if asyncio._get_running_loop() is None:
        return async_to_sync(results)(checks)
    # async_to_sync refuses a thread whose loop is running (an async server, a test's browser driver): the
    # checks get a thread of their own, and a connection of their own with it.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="readyz") as pool:
        return pool.submit(async_to_sync(results), checks).result()


def readiness():
    """Each dependency with "ok" or "down"; the cache "off" when DJANGO_CACHE=off turned it off."""
    checks = readiness_checks()
    answers = {
        name: "down" if result.error else "ok"
        for name, result in zip(checks, run_checks(checks.values()), strict=True)
    }
    return answers if settings.CACHE_ENABLED else {**answers, "cache": "off"}


def healthz():
    response = HttpResponse("ok", content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response


def readyz():
    answers = readiness()
    ready = "down" not in answers.values()
    response = JsonResponse(
        {"status": "ok" if ready else "down", "checks": answers}, status=200 if ready else 503
    )
    response["Cache-Control"] = "no-store"
    if not ready:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class HealthCheckMiddleware:
    """Answers the two health paths before host checks, redirects and the page cache run."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD"):
            if request.path_info == HEALTH_PATH:
                return healthz()
            if request.path_info == READY_PATH:
                return readyz()
        return self.get_response(request)
