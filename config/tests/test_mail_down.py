"""The mail server is down: comments are still accepted, their mail waits in the queue and goes out later.

Real SMTP over loopback: first to a port nothing listens on, then to a small SMTP sink started by the test.
"""

import email
import logging
import socketserver
import threading

import pytest
from django.core.management import call_command
from django.test import Client
from mailer.models import Message

from articles.tests.factories import ArticleFactory
from comments.models import ArticleComment, CommentSettings
from comments.tests.conftest import comment_form_fields

from .servers import free_port

pytestmark = pytest.mark.django_db

READER_ADDRESS = "milena.petrovic@example.org"


class SmtpHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP for smtplib: every command accepted, each message kept with its recipients."""

    def reply(self, line):
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self):
        self.reply("220 sink.test ESMTP")
        recipients, data = [], None
        while line := self.rfile.readline():
            if data is not None:
                if line == b".\r\n":
                    self.server.messages.append((recipients, b"".join(data)))
                    recipients, data = [], None
                    self.reply("250 queued")
                else:
                    data.append(line[1:] if line.startswith(b"..") else line)
                continue
            verb = line[:4].decode("ascii", "replace").upper()
            if verb == "RCPT":
                recipients.append(line.decode().split(":", 1)[1].strip().strip("<>"))
            if verb == "DATA":
                data = []
                self.reply("354 end data with <CR><LF>.<CR><LF>")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("250 ok")


class SmtpSink(socketserver.ThreadingTCPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), SmtpHandler)
        self.messages = []
        self.port = self.server_address[1]


@pytest.fixture
def smtp_queue(settings, tmp_path, monkeypatch):
    """Mail queued in the database and sent over SMTP to a port where nothing listens (yet)."""
    settings.EMAIL_BACKEND = "mailer.backend.DbBackend"
    settings.MAILER_EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()
    settings.EMAIL_TIMEOUT = 5
    # django-mailer reads its lock path once, at import: a fresh checkout has no var/ to put it in.
    monkeypatch.setattr("mailer.engine.LOCK_PATH", str(tmp_path / "send_mail"))
    comment_settings = CommentSettings.get_solo()
    comment_settings.require_email_verification = True
    comment_settings.save()
    return settings


@pytest.fixture
def smtp_sink():
    sink = SmtpSink()
    thread = threading.Thread(target=sink.serve_forever, daemon=True)
    thread.start()
    yield sink
    sink.shutdown()
    sink.server_close()


def test_a_comment_is_accepted_while_the_mail_server_is_down_and_its_mail_goes_out_later(
    smtp_queue, smtp_sink, caplog
):
    reader = Client()
    article = ArticleFactory()
    data = comment_form_fields(reader.get(article.get_absolute_url()).content.decode())
    data.update(name="Milena Petrović", email=READER_ADDRESS, comment="Hvala na tekstu o vodovodu.")
    answer = reader.post("/komentari/posalji/", data, follow=True)
    assert answer.status_code == 200
    assert "Poslali smo vam e-poruku" in answer.content.decode()
    assert ArticleComment.objects.filter(user_email=READER_ADDRESS).exists()
    assert Message.objects.count() == 1

    with caplog.at_level(logging.WARNING):
        call_command("send_mail")
    assert Message.objects.deferred().count() == 1
    warnings = [record.getMessage() for record in caplog.records if record.levelno >= logging.WARNING]
    assert any("not delivered (ConnectionRefusedError: Connection refused)" in line for line in warnings)
    assert not any(READER_ADDRESS in line for line in warnings)

    smtp_queue.EMAIL_PORT = smtp_sink.port  # the mail server is back
    call_command("send_mail")
    assert smtp_sink.messages == []  # deferred mail waits for retry_deferred
    call_command("retry_deferred")
    call_command("send_mail")
    assert Message.objects.count() == 0
    [(recipients, raw)] = smtp_sink.messages
    assert recipients == [READER_ADDRESS]
    body = email.message_from_bytes(raw).get_payload(decode=True).decode()
    assert "/komentari/potvrda/" in body
