"""What readers get when something the site depends on is down, and how undeliverable mail is kept.

Django turns an exception anywhere in the middleware stack into the ``handler500`` answer. A database that
cannot be reached is not a bug but an outage that will pass: ``server_error`` answers it with 503 and
``Retry-After``, which tells browsers, crawlers and load balancers to come back instead of recording a
failure. Both pages are rendered without a request, so no context processor touches the database. When the
database is back, the next request reconnects (``CONN_HEALTH_CHECKS`` drops the dead connection first).
"""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token
from mailer.models import RESULT_FAILURE, MessageLog

from comments.views import wants_json

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
UNAVAILABLE_MESSAGE = "Sajt je trenutno nedostupan zbog tehničkih problema. Pokušajte ponovo za pola minuta."
COMMENT_NOT_SAVED = "Komentar nije sačuvan: sajt je trenutno nedostupan. Pokušajte ponovo za pola minuta."
DATABASE_UNREACHABLE = (OperationalError, InterfaceError)


def database_unreachable(error):
    """True for a lost or refused database connection, also when a driver error arrives unwrapped."""
    try:
        import psycopg
    except ImportError:  # SQLite only
        driver_errors = ()
    else:
        driver_errors = (psycopg.OperationalError, psycopg.InterfaceError)
    while error is not None:
        if isinstance(error, DATABASE_UNREACHABLE + driver_errors):
            return True
        error = error.__cause__
    return False


def service_unavailable(request):
    """503 with Retry-After: JSON for scripts that asked for it, else a page that needs nothing but itself."""
    if wants_json(request):
        message = COMMENT_NOT_SAVED if request.method == "POST" else UNAVAILABLE_MESSAGE
        response = JsonResponse({"ok": False, "message": message}, status=503)
    else:
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


@requires_csrf_token
def server_error(request):
    """``handler500``: 503 while the database is unreachable, otherwise the usual 500 page."""
    if database_unreachable(sys.exc_info()[1]):
        return service_unavailable(request)
    return HttpResponseServerError(loader.get_template("500.html").render())


def defer_failed_mail(connection, message, error):
    """``MAILER_ERROR_HANDLER``: a message the mail server did not take is deferred for ``retry_deferred``.

    django-mailer's own handler logs the error's text, which for a refused recipient is the address; this
    one logs the message's number and the kind of failure only, as a warning.
    """
    if not isinstance(error, OSError):  # smtplib's errors are OSErrors too; anything else is a bug
        raise error
    message.defer()
    # The reply code or the system's error text ("Connection refused"), never a server reply that may quote
    # an address.
    detail = getattr(error, "smtp_code", None) or error.strerror
    failure = type(error).__name__ + (f": {detail}" if detail else "")
    logger.warning("Mail message %s not delivered (%s); deferred for retry_deferred", message.pk, failure)
    MessageLog.objects.log(message, RESULT_FAILURE, log_message=failure)
    return None, "deferred"
