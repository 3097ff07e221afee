"""A commenter lists and deletes their own comments through a link mailed to them ("Moji komentari")."""

import hashlib
import io
import re
from datetime import timedelta

import pytest
import time_machine
from django.apps import apps
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection, models
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from mailer import engine
from mailer.models import Message, MessageLog

from articles.tests.factories import ArticleFactory
from comments import desk, moderation
from comments.models import (
    ArticleComment,
    CommentToken,
    Decision,
    MyCommentsLinkRequest,
    Reaction,
    Report,
)
from comments.my_comments import delete_comments, send_requested_links
from comments.my_comments_views import NOTICE
from comments.tests.factories import ArticleCommentFactory

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite_pass]

EMAIL = "milena.tajna@example.org"
LINK = re.compile(r"http://127\.0\.0\.1:8000(/komentari/moji/([^/\s]+)/)")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def ask_for_link(email, client=None, *, sender_runs=True, **extra):
    """Fills in the page's form as a browser would, CSRF token and empty honeypot included; then the queued
    request is handled as the sender run by cron handles it, unless ``sender_runs`` is false."""
    client = client or Client(enforce_csrf_checks=True)
    page = client.get("/komentari/moji/")
    assert page.status_code == 200
    token = CSRF.search(page.content.decode()).group(1)
    data = {"csrfmiddlewaretoken": token, "email": email, "honeypot": "", **extra}
    response = client.post("/komentari/moji/", data)
    if sender_runs:
        send_requested_links()
    return response


def mailed_link(message):
    return LINK.search(message.body).group(1)


def post_with_csrf(client, path, data):
    page = client.get(path, data)
    token = CSRF.search(page.content.decode()).group(1)
    return client.post(path, {**data, "csrfmiddlewaretoken": token})


@pytest.fixture
def milena():
    article = ArticleFactory(title="Novi most za bicikliste")
    published = ArticleCommentFactory(article=article, user_email=EMAIL, comment="Objavljeno mišljenje.")
    pending = ArticleCommentFactory(
        article=article, user_email="Milena.Tajna@Example.org", is_public=False, comment="Čeka moderatora."
    )
    rejected = ArticleCommentFactory(
        article=article, user_email=EMAIL, is_public=False, is_removed=True, comment="Odbijena psovka."
    )
    someone_else = ArticleCommentFactory(article=article, comment="Tuđi komentar.")
    moderation.refresh_comment_count(article.pk)
    return article, [published, pending, rejected], someone_else


def test_mailed_link_lists_every_comment_of_the_address_with_its_state(milena, mailoutbox):
    article, (published, pending, rejected), someone_else = milena
    response = ask_for_link("  MILENA.tajna@example.org ")
    assert response.status_code == 200 and NOTICE in response.content.decode()

    (message,) = mailoutbox
    assert message.to == [EMAIL] and message.subject == "Vaši komentari na Čitaonici"
    assert "Veza važi 24 sata" in message.body
    path, token = LINK.search(message.body).groups()
    assert "milena" not in path and len(token) <= 32
    assert not CommentToken.objects.filter(token_hash=token).exists()  # only its hash is kept

    page = Client().get(path)
    body = page.content.decode()
    assert page.status_code == 200 and page["Referrer-Policy"] == "no-referrer"
    assert "no-store" in page["Cache-Control"]
    for comment, state in [(published, "objavljen"), (pending, "čeka odobrenje"), (rejected, "odbijen")]:
        assert comment.comment in body
        assert f"<strong>{state}</strong>" in body
    assert body.count(article.title) >= 3 and article.get_absolute_url() in body
    assert someone_else.comment not in body


def test_link_goes_through_the_mail_queue_like_every_other_mail(milena, settings):
    settings.EMAIL_BACKEND = "mailer.backend.DbBackend"
    settings.MAILER_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.MAILER_USE_FILE_LOCK = False
    ask_for_link(EMAIL)
    assert mail.outbox == []  # queued, not sent during the request
    engine.send_all()
    (message,) = mail.outbox
    assert Client().get(mailed_link(message)).status_code == 200


def test_unknown_address_gets_the_same_answer_and_no_mail(milena, mailoutbox):
    known = ask_for_link(EMAIL)
    unknown = ask_for_link("niko.nikad@example.org")
    assert unknown.status_code == known.status_code == 200
    assert unknown.content == known.content
    assert [message.to for message in mailoutbox] == [[EMAIL]]


def test_filled_honeypot_gets_the_usual_answer_and_no_mail(milena, mailoutbox):
    response = ask_for_link(EMAIL, honeypot="http://spam.example")
    assert response.status_code == 200 and NOTICE in response.content.decode()
    assert mailoutbox == []


@pytest.mark.parametrize(
    "bad, message",
    [
        ("", "Unesite e-adresu."),
        ("   ", "Unesite e-adresu."),
        ("nije-adresa", "Unesite ispravnu e-adresu."),
        ("milena@@example.org", "Unesite ispravnu e-adresu."),
        ("milena@exa mple.org", "Unesite ispravnu e-adresu."),
        ("<script>@example.org", "Unesite ispravnu e-adresu."),
        ("a" * 250 + "@example.org", "E-adresa je predugačka."),
        ("x@" + "a" * 70 + ".org", "Unesite ispravnu e-adresu."),
        ("milena.tajna@example.org\x00", "karakteri nisu dozvoljeni"),
        ("mil\x00ena.tajna@example.org", "karakteri nisu dozvoljeni"),
    ],
    ids=[
        "empty", "blank", "no-at", "double-at", "space", "markup",
        "overlong", "long-label", "nul-end", "nul",
    ],
)
def test_bad_address_is_refused_in_serbian_and_queues_nothing(milena, mailoutbox, bad, message):
    response = ask_for_link(bad)
    assert response.status_code == 400 and message in response.content.decode()
    assert not MyCommentsLinkRequest.objects.exists() and mailoutbox == []


def test_form_without_csrf_token_is_refused():
    response = Client(enforce_csrf_checks=True).post("/komentari/moji/", {"email": EMAIL})
    assert response.status_code == 403


def test_too_many_requests_are_refused_in_serbian(milena, mailoutbox):
    client = Client(enforce_csrf_checks=True)
    for number in range(5):
        assert ask_for_link(f"drugi{number}@example.org", client).status_code == 200
    response = ask_for_link(EMAIL, client)
    assert response.status_code == 429 and "Previše zahteva" in response.content.decode()
    assert mailoutbox == []


def test_one_address_cannot_be_mailed_over_and_over_from_many_networks(milena, mailoutbox):
    clients = [Client(enforce_csrf_checks=True, REMOTE_ADDR=f"203.0.113.{number + 1}") for number in range(7)]
    statuses = [ask_for_link(EMAIL, client).status_code for client in clients]
    assert statuses == [200] * 5 + [429] * 2
    assert len(mailoutbox) == 5  # the sender ran after each request


def test_refused_requests_are_not_queued(milena, mailoutbox):
    client = Client(enforce_csrf_checks=True)
    for number in range(5):
        ask_for_link(f"drugi{number}@example.org", client, sender_runs=False)
    assert ask_for_link(EMAIL, client, sender_runs=False).status_code == 429
    assert MyCommentsLinkRequest.objects.count() == 5
    send_requested_links()
    assert mailoutbox == [] and not MyCommentsLinkRequest.objects.exists()


def test_wrong_expired_or_tampered_link_is_refused_in_serbian(milena, mailoutbox):
    ask_for_link(EMAIL)
    path, token = LINK.search(mailoutbox[0].body).groups()
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    bad_paths = [
        "/komentari/moji/nepostoji/",
        f"/komentari/moji/{tampered}/",
        "/komentari/moji/" + "a" * 500 + "/",
        "/komentari/moji/%27%3B--/",
        f"/komentari/moji/{tampered}/obrisi/?sve=1",
    ]
    for bad in bad_paths:
        response = Client().get(bad)
        assert response.status_code == 400 and "Veza ne važi" in response.content.decode(), bad
    assert Client().post(f"/komentari/moji/{tampered}/obrisi/", {"sve": "1"}).status_code == 400
    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        assert Client().get(path).status_code == 400
        assert Client().post(path + "obrisi/", {"sve": "1"}).status_code == 400
    assert ArticleComment.objects.filter(email_key=EMAIL).count() == 3


def test_verification_link_does_not_open_the_list():
    comment = ArticleCommentFactory(user_email=EMAIL)
    token = CommentToken.issue(comment, CommentToken.Purpose.VERIFY_EMAIL)
    assert Client().get(f"/komentari/moji/{token}/").status_code == 400


def test_delete_one_asks_first_then_the_page_no_longer_shows_it(milena, mailoutbox):
    article, (published, pending, _), _ = milena
    ask_for_link(EMAIL)
    path = mailed_link(mailoutbox[0])
    client = Client(enforce_csrf_checks=True)
    assert published.comment in client.get(article.get_absolute_url()).content.decode()

    confirm = client.get(path + "obrisi/", {"komentar": published.pk})
    assert confirm.status_code == 200 and "Obrisati ovaj komentar?" in confirm.content.decode()
    assert published.comment in confirm.content.decode()
    assert ArticleComment.objects.filter(pk=published.pk).exists()  # looking deletes nothing

    response = post_with_csrf(client, path + "obrisi/", {"komentar": str(published.pk)})
    assert response.status_code == 302 and response["Location"] == path
    listing = client.get(path).content.decode()
    assert "Komentar je obrisan." in listing
    assert published.comment not in listing and pending.comment in listing
    assert not ArticleComment.objects.filter(pk=published.pk).exists()

    page = client.get(article.get_absolute_url()).content.decode()
    assert published.comment not in page
    assert '<span class="comments__count">(1)</span>' in page  # only someone else's comment is left


def test_delete_without_csrf_token_is_refused(milena, mailoutbox):
    ask_for_link(EMAIL)
    path = mailed_link(mailoutbox[0])
    response = Client(enforce_csrf_checks=True).post(path + "obrisi/", {"sve": "1"})
    assert response.status_code == 403
    assert ArticleComment.objects.filter(email_key=EMAIL).count() == 3


def test_someone_elses_comment_cannot_be_deleted_with_my_link(milena, mailoutbox):
    _, _, someone_else = milena
    ask_for_link(EMAIL)
    path = mailed_link(mailoutbox[0])
    for value in [str(someone_else.pk), "999999999", "abc", "", "1" * 40]:
        response = Client().post(path + "obrisi/", {"komentar": value})
        assert response.status_code == 404 and "nije pronađen" in response.content.decode()
    assert ArticleComment.objects.filter(pk=someone_else.pk).exists()


def text_columns():
    for model in apps.get_models():
        if model._meta.proxy:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField):
                yield model, field.name


def rows_mentioning(text):
    return [
        f"{model._meta.label}.{name}"
        for model, name in text_columns()
        if model._default_manager.filter(**{f"{name}__icontains": text}).exists()
    ]


def test_delete_all_spares_others_replies_and_leaves_no_trace_of_the_address(settings):
    settings.EMAIL_BACKEND = "mailer.backend.DbBackend"
    settings.MAILER_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.MAILER_USE_FILE_LOCK = False
    article = ArticleFactory()
    answered = ArticleCommentFactory(article=article, user_email=EMAIL, comment="Na ovo su odgovorili.")
    others_reply = ArticleCommentFactory(article=article, parent=answered, comment="Tuđi javni odgovor.")
    held = ArticleCommentFactory(article=article, user_email=EMAIL, comment="Ima tuđi odgovor na čekanju.")
    others_pending = ArticleCommentFactory(
        article=article, parent=held, is_public=False, comment="Tuđi odgovor čeka."
    )
    lonely = ArticleCommentFactory(article=article, user_email=EMAIL, comment="Niko nije odgovorio.")
    own_reply = ArticleCommentFactory(
        article=article, parent=lonely, user_email=EMAIL, comment="Sam sebi odgovaram."
    )
    under_others = ArticleCommentFactory(
        article=article, parent=others_reply, user_email=EMAIL, comment="Moj odgovor tuđem."
    )
    Reaction.objects.create(comment=answered, reader_key="a:x", value=Reaction.LIKE)
    Report.objects.create(comment=lonely, reader_key="a:y", reason="spam")
    moderation.refresh_comment_count(article.pk)
    own_texts = [c.comment for c in (answered, held, lonely, own_reply, under_others)]

    ask_for_link(EMAIL)
    engine.send_all()
    path = mailed_link(mail.outbox[0])
    client = Client(enforce_csrf_checks=True)
    confirm = client.get(path + "obrisi/", {"sve": "1"}).content.decode()
    assert "Obrisati sve vaše komentare?" in confirm and "(ukupno: 5)" in confirm
    response = post_with_csrf(client, path + "obrisi/", {"sve": "1"})
    assert response.status_code == 200 and "Ova veza više ne važi" in response.content.decode()

    page = client.get(article.get_absolute_url()).content.decode()
    assert others_reply.comment in page
    assert page.count("Ovaj komentar više nije dostupan.") == 1  # the answered one keeps its place
    assert not any(text in page for text in own_texts)
    assert '<span class="comments__count">(1)</span>' in page

    assert set(ArticleComment.objects.values_list("pk", flat=True)) == {
        answered.pk,
        others_reply.pk,
        held.pk,
        others_pending.pk,
    }
    for placeholder in ArticleComment.objects.filter(pk__in=[answered.pk, held.pk]):
        assert placeholder.is_removed and not placeholder.is_public
        assert (placeholder.comment, placeholder.user_name, placeholder.user_email) == ("", "", "")
        assert placeholder.ip_address is None and placeholder.email_key == ""
    others_pending.refresh_from_db()
    assert not others_pending.is_public and others_pending.comment == "Tuđi odgovor čeka."

    withdrawals = Decision.objects.filter(action=Decision.Action.WITHDRAW)
    assert sorted(withdrawals.values_list("comment_id", flat=True)) == [answered.pk, held.pk]
    assert all(EMAIL not in str(d.state_before) + str(d.state_after) + d.note for d in withdrawals)
    assert rows_mentioning("milena.tajna") == []
    # django-mailer's log stores messages pickled, out of the search's reach: it must keep none.
    assert MessageLog.objects.exists() and not any(log.email for log in MessageLog.objects.all())
    assert not any(rows_mentioning(text) for text in own_texts)
    assert client.get(path).status_code == 400


def test_deleting_the_last_comment_ends_the_link_and_asking_again_sends_nothing(mailoutbox):
    comment = ArticleCommentFactory(user_email=EMAIL)
    ask_for_link(EMAIL)
    path = mailed_link(mailoutbox[0])
    post_with_csrf(Client(enforce_csrf_checks=True), path + "obrisi/", {"komentar": str(comment.pk)})
    assert not CommentToken.objects.exists()
    ask_for_link(EMAIL)
    assert len(mailoutbox) == 1


def test_page_is_linked_from_every_page_footer():
    page = Client().get(ArticleFactory().get_absolute_url()).content.decode()
    assert 'href="/komentari/moji/"' in page


def test_withdrawn_placeholder_leaves_the_desk_and_no_decision_brings_it_back(admin_user):
    article = ArticleFactory()
    answered = ArticleCommentFactory(article=article, user_email=EMAIL, comment="Povučeni komentar.")
    ArticleCommentFactory(article=article, parent=answered, comment="Tuđi odgovor ostaje.")
    moderation.decide([answered.pk], Decision.Action.REJECT, moderator=admin_user)
    delete_comments(answered.email_key)

    assert desk.filtered().filter(pk=answered.pk).count() == 0
    assert moderation.decide([answered.pk], Decision.Action.APPROVE, moderator=admin_user).applied == []
    assert moderation.undo_last(admin_user) is None  # the rejection before the withdrawal stays as it is
    answered.refresh_from_db()
    assert answered.is_removed and not answered.is_public and answered.comment == ""


LITERALS = re.compile(r"'(?:[^']|'')*'|\b\d+(?:\.\d+)?\b")


def statements_of_asking(email):
    """The SQL the request for a link runs, with its literals (hash, time, ids) taken out."""
    client = Client(enforce_csrf_checks=True)
    token = CSRF.search(client.get("/komentari/moji/").content.decode()).group(1)
    with CaptureQueriesContext(connection) as queries:
        response = client.post("/komentari/moji/", {"csrfmiddlewaretoken": token, "email": email})
    assert response.status_code == 200 and NOTICE in response.content.decode()
    return [LITERALS.sub("?", query["sql"]) for query in queries.captured_queries]


@pytest.mark.parametrize(
    "known, unknown",
    [
        (EMAIL, "niko.nikad@example.org"),
        ("MILENA.TAJNA@EXAMPLE.ORG", "NIKO.NIKAD@EXAMPLE.ORG"),
        (f"  {EMAIL}  ", "milena.tajna@example.com"),
        ("Milena.Tajna@Example.org", "milena.tajn@example.org"),
    ],
    ids=["plain", "upper-case", "spaces-vs-other-domain", "mixed-case-vs-near-miss"],
)
def test_asking_does_the_same_database_work_whether_or_not_the_address_has_comments(
    milena, mailoutbox, known, unknown
):
    with_comments = statements_of_asking(known)
    without = statements_of_asking(unknown)
    assert with_comments == without
    (write,) = [statement for statement in with_comments if not statement.startswith("SELECT")]
    assert write.startswith('INSERT INTO "comments_mycommentslinkrequest"')  # one request queued
    for table in ('"django_comments"', '"comments_commenttoken"', '"mailer_'):  # nothing looked up or mailed
        assert not any(table in statement for statement in with_comments), table
    assert mailoutbox == [] and not Message.objects.exists()
    first, second = MyCommentsLinkRequest.objects.all()
    assert first.address_hash != second.address_hash
    assert rows_mentioning(unknown.strip()) == []  # an address that never commented is stored nowhere


def test_the_sender_mails_a_working_link_only_where_there_are_comments(milena, mailoutbox):
    known = ask_for_link("Milena.Tajna@Example.org", sender_runs=False)
    unknown = ask_for_link("niko.nikad@example.org", sender_runs=False)
    assert (known.status_code, known.content) == (unknown.status_code, unknown.content)
    assert mailoutbox == []
    out = io.StringIO()
    call_command("send_my_comments_links", stdout=out)
    assert out.getvalue().strip() == "Mailed 1 'Moji komentari' links for 2 requests (0 too old to answer)."
    (message,) = mailoutbox
    assert message.to == [EMAIL]
    assert "Objavljeno mišljenje." in Client().get(mailed_link(message)).content.decode()
    assert not MyCommentsLinkRequest.objects.exists()
    call_command("send_my_comments_links", stdout=io.StringIO())
    assert len(mailoutbox) == 1  # handled requests are gone: nothing is sent twice


def test_a_queued_request_keeps_no_address_only_a_keyed_hash(milena, settings):
    ask_for_link("Niko.Nikad@example.org", sender_runs=False)
    (request,) = MyCommentsLinkRequest.objects.all()
    assert rows_mentioning("niko") == []
    address = b"niko.nikad@example.org"
    assert request.address_hash not in {hashlib.sha256(address).hexdigest(), hashlib.md5(address).hexdigest()}
    settings.SECRET_KEY = "a-different-secret-key-for-this-test"
    ask_for_link("Niko.Nikad@example.org", sender_runs=False)
    assert MyCommentsLinkRequest.objects.last().address_hash != request.address_hash


def test_several_requests_before_the_sender_runs_get_one_mail(milena, mailoutbox):
    for number in range(3):
        client = Client(enforce_csrf_checks=True, REMOTE_ADDR=f"203.0.113.{number + 1}")
        ask_for_link(EMAIL.upper() if number else EMAIL, client, sender_runs=False)
    send_requested_links()
    assert [message.to for message in mailoutbox] == [[EMAIL]]


def test_dry_run_mails_nothing_and_keeps_the_requests(milena, mailoutbox):
    ask_for_link(EMAIL, sender_runs=False)
    out = io.StringIO()
    call_command("send_my_comments_links", "--dry-run", stdout=out)
    assert "Would mail 1 'Moji komentari' links for 1 requests" in out.getvalue()
    assert mailoutbox == [] and MyCommentsLinkRequest.objects.count() == 1
    with pytest.raises(CommandError, match="positive"):
        call_command("send_my_comments_links", "--every", "0")


def test_requests_never_answered_are_dropped_after_a_day(milena, mailoutbox):
    ask_for_link(EMAIL, sender_runs=False)
    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        assert send_requested_links().dropped == 1
    assert mailoutbox == [] and not MyCommentsLinkRequest.objects.exists()

    ask_for_link(EMAIL, sender_runs=False)
    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        call_command("erase_commenter_ips", stdout=io.StringIO())
    assert MyCommentsLinkRequest.objects.count() == 1  # still fresh: the sender will answer it
    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        out = io.StringIO()
        call_command("erase_commenter_ips", stdout=out)
    assert "and 1 unanswered requests for them" in out.getvalue()
    assert not MyCommentsLinkRequest.objects.exists() and mailoutbox == []
