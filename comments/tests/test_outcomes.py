"""Outcomes in words: the author sees what the moderators decided, on their comments page and, if they chose
it, by e-mail, once per decision and in the script they wrote in."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from articles.tests.factories import ArticleFactory
from comments import moderation
from comments.models import ArticleComment, ReaderProfile, RejectReason
from comments.tests.factories import ArticleCommentFactory, signed_in_client, signed_in_reader

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader():
    return signed_in_reader("Jelena Marković", "jelena@example.org")


@pytest.fixture
def article():
    return ArticleFactory(title="Novi most preko Dunava")


def written_by(user, article, text, **fields):
    fields.setdefault("is_public", False)
    return ArticleCommentFactory(
        article=article,
        user=user,
        user_name="Jelena Marković",
        user_email="jelena@example.org",
        comment=text,
        **fields,
    )


def test_the_account_page_lists_every_state_with_the_reason_in_words(reader, article):
    written_by(reader, article, "Objavljen tekst.", is_public=True)
    written_by(reader, article, "Čeka tekst.")
    written_by(reader, article, "Uvredljiv tekst.", is_removed=True, reject_reason=RejectReason.INSULT)
    written_by(reader, article, "Drugi razlog.", is_removed=True, reject_reason=RejectReason.OTHER)
    ArticleCommentFactory(article=article, comment="Tuđi komentar.", user_email="jelena@example.org")
    page = signed_in_client(reader).get("/nalog/komentari/")
    assert page.status_code == 200 and "private" in page["Cache-Control"]
    html = page.content.decode()
    assert "<strong>objavljen</strong>" in html and "<strong>čeka odobrenje</strong>" in html
    assert "<strong>odbijen, razlog: uvreda</strong>" in html
    assert "<strong>odbijen</strong>" in html  # "drugo" says nothing: no reason shown, never the note
    assert "Tuđi komentar." not in html  # typed with the address, not written with the account
    assert 'href="/nalog/obrisi/"' in html


def test_a_moderators_note_never_reaches_the_author(reader, article):
    comment = written_by(reader, article, "Tekst.")
    moderation.reject(comment, reason=RejectReason.SPAM, note="interna beleška: isti IP kao bot")
    html = signed_in_client(reader).get("/nalog/komentari/").content.decode()
    assert "odbijen, razlog: spam" in html and "interna beleška" not in html


def test_the_account_page_runs_the_same_queries_for_1_and_30_comments(reader, article):
    client = signed_in_client(reader)
    written_by(reader, article, "Prvi.")
    client.get("/nalog/komentari/")
    with CaptureQueriesContext(connection) as few:
        client.get("/nalog/komentari/")
    for n in range(29):
        written_by(reader, ArticleFactory(), f"Komentar {n}.", is_removed=n % 2 == 0, reject_reason="hate")
    with CaptureQueriesContext(connection) as many:
        html = client.get("/nalog/komentari/").content.decode()
    assert html.count('class="my-comments__item"') == 30
    assert len(few) == len(many)


def test_the_account_page_is_for_signed_in_readers_only(django_user_model):
    assert Client().get("/nalog/komentari/")["Location"].startswith("/nalog/login/")
    editor = django_user_model.objects.create_user("urednik", is_staff=True)
    assert signed_in_client(editor).get("/nalog/komentari/").status_code == 403


@pytest.mark.parametrize(
    ("decide", "subject", "words"),
    [
        (lambda c: moderation.approve(c), "Vaš komentar je objavljen", "je sada objavljen"),
        (
            lambda c: moderation.reject(c, reason=RejectReason.HATE, note="beleška"),
            "Vaš komentar nije objavljen",
            "Razlog: govor mržnje.",
        ),
    ],
    ids=["approved", "rejected"],
)
def test_a_decision_is_mailed_once_to_an_author_who_asked(
    reader, article, mailoutbox, django_capture_on_commit_callbacks, decide, subject, words
):
    ReaderProfile.objects.filter(user=reader).update(notify_outcomes=True)
    comment = written_by(reader, article, "Moj komentar o mostu.")
    with django_capture_on_commit_callbacks(execute=True):
        decide(comment)
    (message,) = mailoutbox
    assert message.subject == subject and message.to == ["jelena@example.org"]
    assert words in message.body and "Moj komentar o mostu." in message.body and "beleška" not in message.body
    with django_capture_on_commit_callbacks(execute=True):
        decide(comment)  # the same decision again changes nothing and tells nothing
    assert len(mailoutbox) == 1


def test_no_mail_for_authors_who_did_not_ask_or_have_no_account(
    reader, article, mailoutbox, django_capture_on_commit_callbacks
):
    mine = written_by(reader, article, "Bez poruke.")
    anonymous = ArticleCommentFactory(article=article, is_public=False)
    with django_capture_on_commit_callbacks(execute=True):
        moderation.decide([mine.pk, anonymous.pk], moderation.Action.APPROVE)
    assert mailoutbox == []


def test_the_outcome_mail_is_in_the_script_the_comment_was_written_in(
    reader, article, mailoutbox, django_capture_on_commit_callbacks
):
    ReaderProfile.objects.filter(user=reader).update(notify_outcomes=True)
    comment = written_by(reader, article, "Ћирилицом.", script="cir")
    with django_capture_on_commit_callbacks(execute=True):
        moderation.approve(comment)
    (message,) = mailoutbox
    assert message.subject == "Ваш коментар је објављен"
    assert "/cir/" in message.body


def test_the_demo_reader_sees_each_outcome_on_their_page():
    from comments.demo import load_demo_comments, load_demo_reader

    ArticleFactory()
    load_demo_comments()
    email = load_demo_reader()
    assert email and load_demo_reader() == email
    assert ArticleComment.objects.filter(user_email=email).count() == 3  # made once
    user = ReaderProfile.objects.get(display_name="Vesna Čitateljka").user
    html = signed_in_client(user).get("/nalog/komentari/").content.decode()
    for state in ("objavljen", "čeka odobrenje", "odbijen, razlog: reklama"):
        assert f"<strong>{state}</strong>" in html


@pytest.mark.parametrize("asked", [True, False], ids=["asked", "did-not-ask"])
def test_a_commenter_without_an_account_hears_of_the_decision_only_if_they_ticked_it(
    post_comment, article, mailoutbox, django_capture_on_commit_callbacks, asked
):
    ticked = "on" if asked else None
    response = post_comment(article, comment="Moj komentar bez naloga.", notify_outcome=ticked)
    assert response.status_code == 302
    comment = ArticleComment.objects.get(comment="Moj komentar bez naloga.")
    assert comment.notify_outcome is asked
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        moderation.reject(comment, reason=RejectReason.OFF_TOPIC, note="interna beleška")
    if not asked:
        assert mailoutbox == []
        return
    (message,) = mailoutbox
    assert message.to == ["milena@example.org"]
    assert "Razlog: nije na temu" in message.body and "interna beleška" not in message.body
    assert "Zdravo, Milena Petrović" in message.body
    assert "/komentari/moji/" in message.body  # "Moji komentari" by address: there is no account page


def test_an_account_chooses_on_its_page_so_its_form_has_no_such_box(client, article, reader):
    anonymous = Client().get(article.get_absolute_url()).content.decode()
    assert 'name="notify_outcome"' in anonymous
    signed_in = signed_in_client(reader).get(article.get_absolute_url()).content.decode()
    assert 'name="notify_outcome"' not in signed_in
