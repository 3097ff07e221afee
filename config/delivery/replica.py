"""Which requests may read from the read replica: anonymous readers looking at reader pages.

A replica lags the primary by a moment. Readers who are not signed in can live with a page a moment old; the
newsroom, signed-in readers and anyone who has just written must see their own writes, so they read from the
primary. The middleware marks the requests that may use the replica; ``routers`` reads the mark.
"""

import contextvars
import re

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

from .page_cache import filling_shared_copy

REPLICA = "replica"
READ_METHODS = frozenset({"GET", "HEAD"})
# The newsroom: the admin (DJANGO_ADMIN_URL), including the comment moderation desk under it.
STAFF_PREFIXES = (f"/{settings.ADMIN_URL}",)
# After a reader writes (a comment, a reaction, a report), their next pages come from the primary for this
# long, so they see what they did even while the replica catches up.
PRIMARY_COOKIE = "citaonica_primary"
PRIMARY_COOKIE_SECONDS = 30
# Statements that change data. Not get_or_create() as such: it asks the router for the primary even when it
# only finds the row, which every page does for the site settings.
_WRITE = re.compile(r"\s*(INSERT|UPDATE|DELETE|MERGE)\b", re.IGNORECASE)


class _ReplicaReads:
    """Per request: reads may go to the replica until the request writes."""

    def __init__(self):
        self.allowed = True


_reads = contextvars.ContextVar("replica_reads", default=None)


def has_replica():
    return REPLICA in connections


def read_alias():
    """The replica's alias when the current request may read from it, else None."""
    reads = _reads.get()
    return REPLICA if reads is not None and reads.allowed else None


def _note_writes(execute, sql, params, many, context):
    """After a write, the rest of the request reads from the primary."""
    if _WRITE.match(sql):
        reads = _reads.get()
        if reads is not None:
            reads.allowed = False
    return execute(sql, params, many, context)


def may_read_from_replica(request):
    """A reader page looked at by someone with no session (signing in makes one) who has not just written.

    Not a page the page cache will share (``page_cache``): it is made right after a change and kept until
    the next one, so it must not come from a replica that may not have the change yet.
    """
    if request.method not in READ_METHODS or request.path_info.startswith(STAFF_PREFIXES):
        return False
    if filling_shared_copy():
        return False
    return settings.SESSION_COOKIE_NAME not in request.COOKIES and PRIMARY_COOKIE not in request.COOKIES


class ReplicaReadsMiddleware:
    """Lets an anonymous reader's page read from the replica.

    It needs nothing before it but the page cache (whose copies it must not make from the replica), and no
    session is loaded to tell who is signed in.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not has_replica():
            return self.get_response(request)
        if not may_read_from_replica(request):
            response = self.get_response(request)
            if request.method not in READ_METHODS:
                response.set_cookie(
                    PRIMARY_COOKIE,
                    "1",
                    max_age=PRIMARY_COOKIE_SECONDS,
                    samesite="Lax",
                    secure=settings.SESSION_COOKIE_SECURE,
                    httponly=True,
                )
            return response
        token = _reads.set(_ReplicaReads())
        try:
            with connections[DEFAULT_DB_ALIAS].execute_wrapper(_note_writes):
                return self.get_response(request)
        finally:
            _reads.reset(token)
