"""Logs carry each request's id and never a commenter's e-mail address, comment text or link token."""

import io
import logging
import os
import re
import smtplib
import subprocess
import sys

import pytest
from django.core import mail
from django.test import Client
from mailer import engine
from mailer.models import Message

from articles.tests.factories import ArticleFactory
from comments import moderation
from comments.models import ArticleComment, CommentSettings
from comments.my_comments import send_requested_links
from comments.tests.conftest import comment_form_fields
from config.delivery.request_id import RequestIdFilter
from config.log_privacy import redact

AUTHOR, AUTHOR_TEXT = "jelena.skrivena@example.org", "Jelenin tajni komentar o mostu."
REPLIER, REPLY_TEXT = "marko.skriveni@example.org", "Markov tajni odgovor Jeleni."
REFUSED_TEXT = "Ti si obična budala i lažov."
SECRETS = [AUTHOR, REPLIER, "jelena.skrivena", "marko.skriveni", AUTHOR_TEXT, REPLY_TEXT, REFUSED_TEXT]
LINK = re.compile(r"http://127\.0\.0\.1:8000(/komentari/(?:potvrda|odjava|moji)/([^/\s]+)/)")


@pytest.fixture
def site_log():
    """What the site's own log handler (LOGGING's console) writes, captured instead of printed."""
    (handler,) = [
        handler
        for handler in logging.getLogger().handlers
        if any(isinstance(log_filter, RequestIdFilter) for log_filter in handler.filters)
    ]
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


@pytest.fixture
def everything_logged(caplog):
    """Every record down to DEBUG, except Django's own, which LOGGING never lets below INFO."""
    caplog.set_level(logging.DEBUG)
    for name in ("mailer", "comments", "articles", "config", "axes"):
        caplog.set_level(logging.DEBUG, logger=name)
    return caplog


def test_django_never_logs_at_debug_where_it_writes_template_contexts_and_sql_parameters():
    code = (
        "import django, logging; django.setup(); "
        "print(*(logging.getLogger(name).getEffectiveLevel() "
        "for name in ('django.template', 'django.db.backends', 'comments')))"
    )
    environment = {**os.environ, "DJANGO_SECRET_KEY": "x" * 50, "DJANGO_LOG_LEVEL": "debug"}
    result = subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.split() == ["20", "20", "10"], result.stderr


@pytest.fixture
def at_the_source():
    """Records as the loggers that name recipients and paths hand them on, before any site handler."""
    handler = logging.Handler()
    handler.emit = lambda record: messages.append(record.getMessage())
    messages = []
    names = ("mailer.engine", "django.request")
    for name in names:
        logging.getLogger(name).addHandler(handler)
    yield messages
    for name in names:
        logging.getLogger(name).removeHandler(handler)


class RefusingMailServer:
    """A mail server that refuses the recipient, as SMTP does, naming the address in the error."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise smtplib.SMTPRecipientsRefused({messages[0].to[0]: (550, b"5.1.1 User unknown")})

    def close(self):
        pass


def post(client, article, email, text, **fields):
    data = comment_form_fields(client.get(article.get_absolute_url()).content.decode())
    data.update(name="Čitalac", email=email, comment=text, **fields)
    return client.post("/komentari/posalji/", data)


def deliver(settings, backend="django.core.mail.backends.locmem.EmailBackend"):
    settings.MAILER_EMAIL_BACKEND = backend
    engine.send_all()


@pytest.mark.django_db
def test_whole_comment_flows_log_no_address_text_or_token(
    settings, everything_logged, site_log, at_the_source
):
    settings.EMAIL_BACKEND = "mailer.backend.DbBackend"
    settings.MAILER_USE_FILE_LOCK = False
    comment_settings = CommentSettings.get_solo()
    comment_settings.require_email_verification = True
    comment_settings.banned_words = "budala"
    comment_settings.save()
    article = ArticleFactory()
    client = Client()

    # Posted and held; the verification mail fails once (the server names the address), then goes out.
    assert post(client, article, AUTHOR, AUTHOR_TEXT, followup="on").status_code == 302
    deliver(settings, f"{__name__}.RefusingMailServer")
    Message.objects.retry_deferred()
    deliver(settings)
    verify_path, verify_token = LINK.search(mail.outbox[-1].body).groups()
    assert client.get(verify_path).status_code == 200
    bad_link = client.get(verify_path.replace(verify_token, verify_token[::-1]))
    assert bad_link.status_code == 400

    comment = ArticleComment.objects.get(comment=AUTHOR_TEXT)
    moderation.approve(comment)
    # A reply, approved: the author is mailed, and unsubscribes with the mailed link.
    assert post(client, article, REPLIER, REPLY_TEXT, reply_to=str(comment.pk)).status_code == 302
    moderation.approve(ArticleComment.objects.get(comment=REPLY_TEXT))
    deliver(settings)
    unsubscribe_path = LINK.search(mail.outbox[-1].body).group(1)
    assert Client().post(unsubscribe_path).status_code == 200

    # Refused: a banned word, a broken form, and a report.
    post(client, article, REPLIER, REFUSED_TEXT)
    assert client.post("/komentari/posalji/", {"email": AUTHOR, "comment": AUTHOR_TEXT}).status_code == 400
    report = client.post(f"/komentari/{comment.pk}/prijava/", {"reason": "spam", "note": AUTHOR})
    assert report.status_code in (200, 302)

    # "Moji komentari": the link asked for, mailed and opened.
    page = Client().get("/komentari/moji/")
    assert page.status_code == 200
    Client().post("/komentari/moji/", {"email": AUTHOR})
    send_requested_links()
    deliver(settings)
    my_path = LINK.search(mail.outbox[-1].body).group(1)
    assert Client().get(my_path).status_code == 200
    assert Client().get(my_path.replace("/moji/", "/moji/x")).status_code == 400

    records = everything_logged.records
    assert {"mailer.engine", "django.request"} <= {record.name for record in records}  # it did log
    for record in records:
        text = everything_logged.handler.format(record)
        assert not any(secret.lower() in text.lower() for secret in SECRETS), text
        assert verify_token not in text
    assert any("[e-mail]" in message for message in at_the_source)
    assert not any(secret in message for message in at_the_source for secret in SECRETS)
    written = site_log.getvalue()
    assert "[e-mail]" in written and "/komentari/potvrda/[token]/" in written
    assert not any(secret.lower() in written.lower() for secret in SECRETS)
    assert verify_token not in written and verify_token[::-1] not in written

    # The 400 answer to the bad link is logged with the id that answer carried.
    (line,) = [line for line in written.splitlines() if "Bad Request: /komentari/potvrda/" in line]
    assert f" WARNING {bad_link['X-Request-ID']} django.request: " in line


@pytest.mark.django_db
def test_every_response_carries_a_request_id_cached_pages_and_errors_too(client):
    url = ArticleFactory().get_absolute_url()
    ids = [client.get(path)["X-Request-ID"] for path in (url, url, "/nema-toga/", "/komentari/moji/x/")]
    assert all(re.fullmatch(r"[0-9a-f]{32}", request_id) for request_id in ids)
    assert len(set(ids)) == 4


@pytest.mark.django_db
def test_a_safe_request_id_from_the_proxy_is_kept_and_anything_else_replaced(client):
    def answered(offered):
        return client.get("/komentari/moji/", HTTP_X_REQUEST_ID=offered)["X-Request-ID"]

    assert answered("lb-7f3a.9c21_x") == "lb-7f3a.9c21_x"
    for unsafe in ["short", "a" * 65, "abc def ghi", "abcdefgh\nFAKE log line", "<script>alert(1)</script>"]:
        assert re.fullmatch(r"[0-9a-f]{32}", answered(unsafe)), unsafe


@pytest.mark.django_db
def test_log_lines_made_during_a_request_carry_its_id_and_others_a_dash(client, site_log):
    response = client.get("/komentari/potvrda/nepostoji/")
    logging.getLogger("comments").warning("outside any request")
    lines = site_log.getvalue().splitlines()
    assert any(f"WARNING {response['X-Request-ID']} django.request: Bad Request" in line for line in lines)
    assert lines[-1].endswith("WARNING - comments: outside any request")


def test_redaction_of_addresses_link_tokens_and_signed_values():
    line = (
        "sending message 'Potvrdite' to Jelena.Đ+news@mail.example.co.rs, b@c.io; "
        "GET /cir/komentari/odjava/aB3_x-Y9/ and /komentari/moji/Zz09-_q/obrisi/?sve=1 "
        "cookie ImFydGljbGVzIg:1tXyZa:Yq3x9v0sKx1c3mB0oJ3aQw2n8rPz5sU1tV6wX7yZ8aB"
    )
    assert redact(line) == (
        "sending message 'Potvrdite' to [e-mail], [e-mail]; "
        "GET /cir/komentari/odjava/[token]/ and /komentari/moji/[token]/obrisi/?sve=1 "
        "cookie [token]"
    )
