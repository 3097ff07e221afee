"""A request id on every response and on every log record made while the request is handled.

A reader who reports a problem can quote the ``X-Request-ID`` header (or a proxy in front can set it), and the
same id finds every log line of that request, the access log's included. The access log names the reader
by the address client_address.py decides (behind a proxy, not the proxy's), which this middleware
leaves in the WSGI environ for it.
"""

import logging
import re
import uuid
from contextvars import ContextVar

from django.core.signals import request_finished

from .client_address import client_address

HEADER = "X-Request-ID"
# gunicorn's access_log_format reads it as %({citaonica.client_address}e)s.
CLIENT_ADDRESS_ENVIRON = "citaonica.client_address"
NO_REQUEST = "-"
# An id from outside is taken only if it cannot forge log lines or carry anything but an id.
SAFE_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")

_current = ContextVar("request_id", default=NO_REQUEST)


def current_request_id():
    return _current.get()


def request_id_for(request):
    offered = request.headers.get(HEADER, "")
    return offered if SAFE_ID.fullmatch(offered) else uuid.uuid4().hex


class RequestIdMiddleware:
    """First in MIDDLEWARE, so answers from WhiteNoise and the page cache carry the id too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request_id_for(request)
        request.META[CLIENT_ADDRESS_ENVIRON] = client_address(request) or NO_REQUEST
        # Kept until the response is closed: Django logs 4xx/5xx answers and gunicorn its access line
        # after the middleware has returned, and those lines belong to the request as well.
        _current.set(request_id)
        response = self.get_response(request)
        response[HEADER] = request_id
        return response


def _forget_request_id(**kwargs):
    _current.set(NO_REQUEST)


request_finished.connect(_forget_request_id, dispatch_uid="config.delivery.request_id.forget")


class RequestIdFilter(logging.Filter):
    """Gives every record a ``request_id`` ("-" outside requests) for the formatter."""

    def filter(self, record):
        record.request_id = current_request_id()
        return True
