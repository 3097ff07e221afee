import logging
import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone
from mailer import engine
from mailer.models import RESULT_FAILURE, Message, MessageLog

from articles.tests.factories import ArticleFactory
from comments import moderation
from comments.models import ArticleComment, CommentToken, HoldReason
from comments.tests.conftest import comment_form_fields
from comments.tests.factories import ArticleCommentFactory, signed_in_reader

pytestmark = pytest.mark.django_db

LINK = re.compile(r"http://127\.0\.0\.1:8000(/komentari/(?:potvrda|odjava)/[^/\s]+/)")


@pytest.fixture
def verification_required(comment_settings):
    comment_settings.require_email_verification = True
    comment_settings.save()


def test_unverified_comment_is_held_marked_and_mailed_a_short_link(
    post_comment, verification_required, mailoutbox
):
    article = ArticleFactory()
    response = post_comment(article, email="nova@example.org", json=True)
    assert "potvrdite adresu" in response.json()["message"]
    comment = ArticleComment.objects.get()
    assert HoldReason.UNVERIFIED_EMAIL in comment.hold_reasons and not comment.email_verified

    (message,) = mailoutbox
    assert message.to == ["nova@example.org"] and message.subject == "Potvrdite svoju e-adresu"
    assert article.title in message.body and "Link važi 3 dana." in message.body
    path = LINK.search(message.body).group(1)
    token = path.rstrip("/").rsplit("/", 1)[1]
    assert len(token) <= 32 and "nova" not in path and "@" not in path
    assert not CommentToken.objects.filter(token_hash=token).exists()  # only the hash is stored

    page = Client().get(path)
    assert page.status_code == 200 and "Adresa je potvrđena" in page.content.decode()
    comment.refresh_from_db()
    assert comment.email_verified and not comment.is_public
    assert comment.hold_reasons == [HoldReason.NEW_COMMENTER]
    assert Client().get(path).status_code == 200  # clicking twice is harmless


def test_expired_or_unknown_verification_link_is_refused_clearly(
    post_comment, verification_required, mailoutbox
):
    post_comment(ArticleFactory())
    path = LINK.search(mailoutbox[0].body).group(1)
    with time_machine.travel(timezone.now() + timedelta(days=4)):
        response = Client().get(path)
    assert response.status_code == 400 and "nije važeći ili je istekao" in response.content.decode()
    for bad in [
        "/komentari/potvrda/nepostoji/",
        "/komentari/potvrda/%27%3B--/",
        "/komentari/potvrda/" + "a" * 500 + "/",
    ]:
        assert Client().get(bad).status_code == 400
    assert not ArticleComment.objects.get().email_verified


def test_signed_in_reader_with_that_address_needs_no_verification(
    client, post_comment, verification_required, django_user_model, mailoutbox
):
    client.force_login(signed_in_reader("Ana Jović", "ana@example.org"))
    post_comment(ArticleFactory(), email="ana@example.org")
    assert ArticleComment.objects.get().email_verified and mailoutbox == []


@pytest.fixture
def parent():
    return ArticleCommentFactory(
        article=ArticleFactory(title="Novi most za bicikliste"),
        user_name="Jelena",
        user_email="jelena@example.org",
        followup=True,
        comment="Jedva čekam most.",
    )


def test_author_is_mailed_when_a_reply_to_their_comment_is_approved(parent, mailoutbox):
    reply = ArticleCommentFactory(
        article=parent.article,
        parent=parent,
        is_public=False,
        user_name="Marko",
        user_email="marko@example.org",
        comment="I ja, biće odličan.",
    )
    assert mailoutbox == []  # held replies notify nobody
    moderation.approve(reply)
    (message,) = mailoutbox
    assert message.to == ["jelena@example.org"]
    assert message.subject == "Novi odgovor na vaš komentar"
    assert "Marko je odgovorio/la na vaš komentar ispod članka „Novi most za bicikliste“" in message.body
    assert "I ja, biće odličan." in message.body and "marko@example.org" not in message.body
    unsubscribe = LINK.search(message.body.split("otvorite:")[-1]).group(0)
    assert message.extra_headers["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    moderation.approve(reply)  # approving again sends nothing more
    assert len(mailoutbox) == 1


def test_no_mail_without_followup_to_oneself_or_for_top_level_comments(parent, mailoutbox):
    ArticleComment.objects.filter(pk=parent.pk).update(followup=False)
    moderation.approve(ArticleCommentFactory(article=parent.article, parent=parent, is_public=False))
    ArticleComment.objects.filter(pk=parent.pk).update(followup=True)
    moderation.approve(
        ArticleCommentFactory(
            article=parent.article, parent=parent, is_public=False, user_email="JELENA@example.org"
        )
    )
    moderation.approve(ArticleCommentFactory(article=parent.article, is_public=False))
    assert mailoutbox == []


def test_one_click_unsubscribe_stops_reply_mail_and_expires(parent, mailoutbox):
    moderation.approve(ArticleCommentFactory(article=parent.article, parent=parent, is_public=False))
    path = LINK.search(mailoutbox[0].body).group(1)
    page = Client().get(path)
    assert page.status_code == 200 and "Odjavi me" in page.content.decode()
    parent.refresh_from_db()
    assert parent.followup  # a mail scanner's GET changes nothing
    response = Client(enforce_csrf_checks=True).post(path)  # the mail client's one-click POST
    assert response.status_code == 200 and "Odjavljeni ste" in response.content.decode()
    parent.refresh_from_db()
    assert not parent.followup
    moderation.approve(ArticleCommentFactory(article=parent.article, parent=parent, is_public=False))
    assert len(mailoutbox) == 1
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        assert Client().post(path).status_code == 400


class DeadMailServer:
    """A mail backend whose server refuses every connection."""

    def __init__(self, *args, **kwargs):
        pass

    def open(self):
        raise ConnectionRefusedError(111, "Connection refused")

    def close(self):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError(111, "Connection refused")


def test_dead_mail_server_loses_no_comment_and_mail_is_retried(
    post_comment, verification_required, settings, mailoutbox, caplog
):
    settings.EMAIL_BACKEND = "mailer.backend.DbBackend"
    settings.MAILER_EMAIL_BACKEND = f"{__name__}.DeadMailServer"
    settings.MAILER_USE_FILE_LOCK = False
    response = post_comment(ArticleFactory(), email="citalac@example.org")
    assert response.status_code == 302
    assert ArticleComment.objects.count() == 1 and Message.objects.count() == 1

    with caplog.at_level(logging.INFO, logger="mailer"):
        engine.send_all()
    assert MessageLog.objects.filter(result=RESULT_FAILURE).count() == 1
    assert "Connection refused" in caplog.text
    assert mailoutbox == []

    settings.MAILER_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    Message.objects.retry_deferred()
    engine.send_all()
    assert [message.to for message in mail.outbox] == [["citalac@example.org"]]
    assert ArticleComment.objects.count() == 1


def test_reader_who_wrote_from_a_cyrillic_page_is_mailed_in_cyrillic(
    client, comment_settings, verification_required, mailoutbox
):
    article = ArticleFactory(title="Novi most za bicikliste")
    page = client.get("/cir" + article.get_absolute_url()).content.decode()
    assert 'action="/cir/komentari/posalji/"' in page
    data = comment_form_fields(page)
    data.update(name="Јелена", email="jelena@example.org", comment="Једва чекам мост.")
    assert client.post("/cir/komentari/posalji/", data).status_code in (200, 201, 302)
    comment = ArticleComment.objects.get()
    assert comment.script == "cir" and comment.comment == "Једва чекам мост."  # stored as written

    (message,) = mailoutbox
    assert message.subject == "Потврдите своју е-адресу"
    assert "Нови мост за бициклисте" in message.body
    assert "http://127.0.0.1:8000/cir/komentari/potvrda/" in message.body


def test_reply_notice_goes_out_in_the_script_the_parent_was_written_in(parent, mailoutbox):
    ArticleComment.objects.filter(pk=parent.pk).update(script="cir")
    reply = ArticleCommentFactory(
        article=parent.article,
        parent=parent,
        is_public=False,
        user_name="Marko",
        comment="I ja, biće odličan.",
    )
    moderation.approve(reply)  # by a moderator in the (Latin) admin
    (message,) = mailoutbox
    assert message.subject == "Нови одговор на ваш коментар"
    assert "И ја, биће одличан." in message.body
    assert "http://127.0.0.1:8000/cir/" in message.body and "/komentari/odjava/" in message.body
