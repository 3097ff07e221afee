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
from django.urls import Resolver404, resolve
from django.views.decorators.csrf import requires_csrf_token
from mailer.models import RESULT_FAILURE, MessageLog

from .http import wants_json

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
UNAVAILABLE_MESSAGE = "Sajt je trenutno nedostupan zbog tehničkih problema. Pokušajte ponovo za pola minuta."
# What a write that failed did not do, by the view it went to: a failed reaction must not say that a comment
# was lost. A write to any other address says that nothing was saved.
NOT_DONE = {
    "comments:post": "Komentar nije sačuvan",
    "comments:react": "Reakcija nije zabeležena",
    "comments:report": "Prijava nije poslata",
    "comments:unsubscribe": "Odjava od obaveštenja nije zabeležena",
    "comments:verify": "Adresa nije potvrđena",
    "comments:my_comments_request": "Link za Moje komentare nije poslat",
    "comments:my_comments_delete": "Komentar nije obrisan",
}
WRITES_ON_GET = {"comments:verify"}  # the link in the e-mail confirms the address when it is opened
NOTHING_SAVED = "Ništa nije sačuvano"
NOT_DONE_MESSAGE = "{}: sajt je trenutno nedostupan. Pokušajte ponovo za pola minuta."
COMMENT_NOT_SAVED = NOT_DONE_MESSAGE.format(NOT_DONE["comments:post"])
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


def not_done(request):
    """What the failed request did not do ("Reakcija nije zabeležena"), or "" for a page that only reads."""
    match = getattr(request, "resolver_match", None)
    if match is None:  # the error came before the address was resolved
        try:
            match = resolve(request.path_info)
        except Resolver404:
            match = None
    view_name = match.view_name if match else ""
    if request.method in ("GET", "HEAD", "OPTIONS") and view_name not in WRITES_ON_GET:
        return ""
    return NOT_DONE.get(view_name, NOTHING_SAVED)


def service_unavailable(request):
    """503 with Retry-After: JSON for scripts that asked for it, else a page that needs nothing but itself.

    Either says what the request did not do when it was a write (the comment, the reaction, the report...).
    """
    what = not_done(request)
    if wants_json(request):
        message = NOT_DONE_MESSAGE.format(what) if what else UNAVAILABLE_MESSAGE
        response = JsonResponse({"ok": False, "message": message}, status=503)
    else:
        response = HttpResponse(loader.get_template("503.html").render({"not_done": what}), status=503)
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
