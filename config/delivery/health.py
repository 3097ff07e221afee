"""Health checks for load balancers and orchestrators: ``/healthz`` (alive) and ``/readyz`` (can serve).

Answered by the first middleware, before host validation, HTTPS redirects, sessions and the page cache: a
load balancer probing a node by its IP address over plain HTTP gets the answer, not a 400 or a redirect, and
nothing it says is stored. They show no more than "ok" or "down", so answering any host gives nothing away.

``/healthz`` touches nothing: a node whose database is down is still alive, and restarting it would not help.
``/readyz`` asks the database for ``SELECT 1`` and the cache for a value it has just stored; a node that
fails it should get no traffic until it passes (Retry-After says when to ask again).
"""

import logging
import uuid

from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.db import connections
from django.http import HttpResponse, JsonResponse

from config.delivery.faults import RETRY_AFTER_SECONDS

logger = logging.getLogger(__name__)

HEALTH_PATH = "/healthz"
READY_PATH = "/readyz"


def check_database(alias):
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_cache():
    """A value stored and read back; the Redis backend's ``ping`` does it without hiding an outage."""
    backend = caches[DEFAULT_CACHE_ALIAS]
    if hasattr(backend, "ping"):
        backend.ping()
        return
    key, token = f"readyz:{uuid.uuid4().hex}", uuid.uuid4().hex
    backend.set(key, token, 10)
    answered = backend.get(key)
    backend.delete(key)
    if answered != token:
        raise ConnectionError("the cache did not return the value just stored")


def checks():
    """Each dependency with a check and "ok", "down" or "off" (a cache turned off by DJANGO_CACHE=off)."""
    planned = {
        ("database" if alias == "default" else f"database:{alias}"): lambda alias=alias: check_database(alias)
        for alias in settings.DATABASES
    }
    if settings.CACHE_ENABLED:
        planned["cache"] = check_cache
    results = {} if settings.CACHE_ENABLED else {"cache": "off"}
    for name, check in planned.items():
        try:
            check()
        except Exception as error:
            logger.warning("Readiness check %s failed: %s: %s", name, type(error).__name__, error)
            results[name] = "down"
        else:
            results[name] = "ok"
    return results


def healthz():
    response = HttpResponse("ok", content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response


def readyz():
    results = checks()
    ready = "down" not in results.values()
    response = JsonResponse(
        {"status": "ok" if ready else "down", "checks": results}, status=200 if ready else 503
    )
    response["Cache-Control"] = "no-store"
    if not ready:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class HealthCheckMiddleware:
    """First in MIDDLEWARE: answers the two health paths before anything else runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD"):
            if request.path_info == HEALTH_PATH:
                return healthz()
            if request.path_info == READY_PATH:
                return readyz()
        return self.get_response(request)
