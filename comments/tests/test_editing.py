"""The editing window: authors correct their own comments for a few minutes, and nobody else can."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from articles.models import SiteSettings
from articles.tests.factories import ArticleFactory
from comments import moderation
from comments.editing import word_diff
from comments.models import ArticleComment, CommentToken, Decision, HoldReason

from .conftest import comment_form_fields
from .factories import ArticleCommentFactory, signed_in_reader

pytestmark = pytest.mark.django_db
JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def article(comment_settings):
    SiteSettings.get_solo()
    return ArticleFactory(title="Nova linija tramvaja do Novog Beograda")


@pytest.fixture
def posted(post_comment, article):
    """An anonymous reader's comment as posted with JavaScript: the answer carries the edit token."""
    answer = post_comment(article, json=True, comment="Tramvaj je odlična vest za grad.").json()
    comment = ArticleComment.objects.get()
    assert answer["edit"]["id"] == comment.pk
    return comment, answer["edit"]["token"]


def edit(pk, token="", text="Ispravljen tekst komentara.", client=None, **headers):
    client = client or Client()
    data = {"token": token, "comment": text}
    return client.post(f"/komentari/{pk}/izmena/", data, **JSON, **headers)


def test_the_post_answer_carries_an_edit_token_stored_only_as_a_hash(posted):
    comment, token = posted
    stored = CommentToken.objects.get(purpose=CommentToken.Purpose.EDIT)
    assert stored.comment == comment and token not in stored.token_hash
    assert timedelta(minutes=69) < stored.expires_at - timezone.now() <= timedelta(minutes=70)


def test_posting_sets_no_new_cookie(post_comment, article):
    response = post_comment(article, json=True, http_client=Client())
    assert response.status_code == 201 and not response.cookies


def test_the_author_corrects_a_pending_comment_in_place(posted):
    comment, token = posted
    response = edit(comment.pk, token, "Tramvaj je odlična vest za ceo grad.")
    assert response.status_code == 200
    assert response.json()["message"] == "Izmena je sačuvana."
    comment.refresh_from_db()
    assert comment.comment == "Tramvaj je odlična vest za ceo grad." and not comment.is_public
    assert not comment.edited_text


def test_an_edited_pending_comment_is_held_again_for_its_new_links(posted, comment_settings):
    comment, token = posted
    links = "Vidi http://a.example http://b.example http://c.example"
    assert edit(comment.pk, token, links).status_code == 200
    comment.refresh_from_db()
    assert HoldReason.LINKS in comment.hold_reasons and HoldReason.NEW_COMMENTER in comment.hold_reasons
    assert edit(comment.pk, token, "Bez linkova sada.").status_code == 200
    comment.refresh_from_db()
    assert HoldReason.LINKS not in comment.hold_reasons


def test_a_banned_word_in_an_edit_rejects_a_pending_comment(posted, comment_settings):
    comment_settings.banned_words = "pogan*"
    comment_settings.save()
    comment, token = posted
    response = edit(comment.pk, token, "Ti si pogani lažov.")
    assert response.status_code == 400
    comment.refresh_from_db()
    assert comment.is_removed and comment.reject_reason == "banned_word"
    assert edit(comment.pk, token, "Izvinjavam se.").status_code == 403


def test_an_approved_comment_keeps_its_text_public_until_the_edit_is_approved(posted, article):
    comment, token = posted
    moderation.approve(comment)
    url = article.get_absolute_url()
    for prefix in ("", "/cir"):
        Client().get(prefix + url)  # in the shared cache before the edit
    response = edit(comment.pk, token, "Tramvaj je loša vest.")
    assert response.json()["message"].startswith("Izmena je sačuvana i čeka odobrenje")
    for prefix, old, new in [
        ("", "Tramvaj je odlična vest za grad.", "Tramvaj je loša vest."),
        ("/cir", "Трамвај је одлична вест за град.", "Трамвај је лоша вест."),
    ]:
        shown = Client().get(prefix + url).content.decode()
        assert old in shown and new not in shown
    moderation.decide([comment.pk], Decision.Action.APPROVE_EDIT)
    for prefix, old, new in [
        ("", "Tramvaj je odlična vest za grad.", "Tramvaj je loša vest."),
        ("/cir", "Трамвај је одлична вест за град.", "Трамвај је лоша вест."),
    ]:
        shown = Client().get(prefix + url).content.decode()
        assert new in shown and old not in shown
    comment.refresh_from_db()
    assert comment.comment == "Tramvaj je loša vest." and not comment.edited_text and not comment.edited_at


def test_a_rejected_edit_leaves_the_approved_text(posted, article):
    comment, token = posted
    moderation.approve(comment)
    edit(comment.pk, token, "Nešto sasvim drugo.")
    moderation.decide([comment.pk], Decision.Action.REJECT_EDIT, reason="other")
    comment.refresh_from_db()
    assert comment.comment == "Tramvaj je odlična vest za grad." and comment.is_public
    assert not comment.edited_text
    shown = Client().get(article.get_absolute_url()).content.decode()
    assert "Tramvaj je odlična vest za grad." in shown and "Nešto sasvim drugo." not in shown


def test_undoing_an_approved_edit_puts_the_old_text_back(posted, moderator_client, django_user_model):
    comment, token = posted
    moderation.approve(comment)
    edit(comment.pk, token, "Druga verzija.")
    moderator = django_user_model.objects.get(username="moderatorka")
    moderation.decide([comment.pk], Decision.Action.APPROVE_EDIT, moderator=moderator)
    moderation.undo_last(moderator)
    comment.refresh_from_db()
    assert comment.comment == "Tramvaj je odlična vest za grad." and comment.edited_text == "Druga verzija."


def test_a_decision_on_the_text_before_an_edit_is_late(posted):
    comment, token = posted
    seen = comment.version
    edit(comment.pk, token, "Druga verzija.")
    outcome = moderation.decide([comment.pk], Decision.Action.APPROVE, versions={comment.pk: seen})
    assert not outcome.applied
    comment.refresh_from_db()
    assert not comment.is_public


def test_a_wrong_token_another_comments_token_and_a_missing_comment_answer_alike(posted, article):
    comment, token = posted
    other = ArticleCommentFactory(article=article, is_public=False)
    answers = [
        edit(comment.pk, "pogresan-token"),
        edit(comment.pk, ""),
        edit(other.pk, token),
        edit(999999, token),
    ]
    assert {answer.status_code for answer in answers} == {404}
    assert len({answer.content for answer in answers}) == 1
    assert answers[0].json()["message"] == "Ovaj komentar ne postoji ili ga ne možete menjati."
    other.refresh_from_db()
    assert other.comment.startswith("Komentar broj")


def test_edits_after_the_window_are_refused(posted):
    comment, token = posted
    with time_machine.travel(timezone.now() + timedelta(minutes=10, seconds=1)):
        response = edit(comment.pk, token)
    assert response.status_code == 403
    assert response.json()["message"] == "Vreme za izmenu je isteklo."
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        assert edit(comment.pk, token).status_code == 404  # the token itself is gone by now
    comment.refresh_from_db()
    assert comment.comment == "Tramvaj je odlična vest za grad."


def test_the_window_closes_by_the_setting_even_with_a_live_token(posted, comment_settings):
    comment, token = posted
    comment_settings.edit_minutes = 1
    comment_settings.save()
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        response = edit(comment.pk, token)
    assert response.status_code == 403
    assert response.json()["message"] == "Vreme za izmenu je isteklo."


def test_editing_off_issues_no_token(post_comment, article, comment_settings):
    comment_settings.edit_minutes = 0
    comment_settings.save()
    answer = post_comment(article, json=True).json()
    assert answer["edit"] is None
    assert not CommentToken.objects.filter(purpose=CommentToken.Purpose.EDIT).exists()


def test_removed_comments_cannot_be_edited(posted):
    comment, token = posted
    moderation.reject(comment, reason="spam")
    response = edit(comment.pk, token)
    assert response.status_code == 403
    assert response.json()["message"] == "Ovaj komentar se više ne može menjati."


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Komentar ne može biti prazan."),
        ("   \n ", "Komentar ne može biti prazan."),
        ("x" * 1501, "Komentar može imati najviše 1500 znakova (ima 1501)."),
        ("Nul\x00znak", "Komentar sadrži nedozvoljen znak."),
    ],
)
def test_bad_text_is_refused_and_nothing_changes(posted, text, message):
    comment, token = posted
    response = edit(comment.pk, token, text)
    assert response.status_code == 400
    assert response.json()["errors"]["comment"] == [message]
    comment.refresh_from_db()
    assert comment.comment == "Tramvaj je odlična vest za grad."


def test_a_foreign_origin_is_refused(posted):
    comment, token = posted
    response = edit(comment.pk, token, HTTP_ORIGIN="https://napadac.example")
    assert response.status_code == 403
    response = edit(comment.pk, token, HTTP_SEC_FETCH_SITE="cross-site")
    assert response.status_code == 403
    comment.refresh_from_db()
    assert comment.comment == "Tramvaj je odlična vest za grad."


def test_a_double_submit_stores_the_edit_once(posted):
    comment, token = posted
    moderation.approve(comment)
    comment.refresh_from_db()
    version = comment.version
    assert edit(comment.pk, token, "Ista izmena.").status_code == 200
    assert edit(comment.pk, token, "Ista izmena.").status_code == 200
    comment.refresh_from_db()
    assert comment.version == version + 1 and comment.edited_text == "Ista izmena."


def test_edits_are_rate_limited(posted, settings):
    settings.COMMENTS_EDITS_RATE = "2/m"
    comment, token = posted
    statuses = [edit(comment.pk, token, f"Verzija {n}.").status_code for n in range(3)]
    assert statuses == [200, 200, 429]


@pytest.fixture
def reader():
    return signed_in_reader("Citateljka Proba", "citateljka@example.org")


def test_a_signed_in_author_edits_by_the_session_with_csrf(reader, article):
    comment = ArticleCommentFactory(article=article, user=reader, is_public=False, submit_date=timezone.now())
    signed_in = Client(enforce_csrf_checks=True)
    signed_in.force_login(reader)
    assert edit(comment.pk, client=signed_in).status_code == 403  # no CSRF token
    signed_in.get(article.get_absolute_url())
    csrf = signed_in.cookies["csrftoken"].value
    response = edit(comment.pk, client=signed_in, HTTP_X_CSRFTOKEN=csrf)
    assert response.status_code == 200
    comment.refresh_from_db()
    assert comment.comment == "Ispravljen tekst komentara."


def test_a_signed_in_reader_cannot_edit_someone_elses_comment(reader, article):
    comment = ArticleCommentFactory(article=article, is_public=False, submit_date=timezone.now())
    signed_in = Client()
    signed_in.force_login(reader)
    assert edit(comment.pk, client=signed_in).status_code == 404


def test_comments_under_unpublished_articles_answer_as_missing(posted, article):
    comment, token = posted
    type(article).objects.filter(pk=article.pk).update(status="draft")
    assert edit(comment.pk, token).status_code == 404


def test_word_diff_strikes_old_words_and_marks_new_ones():
    html = word_diff("Tramvaj je <dobra> vest.", "Tramvaj je loša vest.")
    assert html == "Tramvaj je <del>&lt;dobra&gt;</del><ins>loša</ins> vest."


DESK = "/admin/comments/articlecomment/desk/"


@pytest.fixture
def desk(django_user_model, moderators_group):
    user = django_user_model.objects.create_user("dezurni", password="x", is_staff=True)
    user.groups.add(moderators_group)
    client = Client()
    client.force_login(user)
    return client


def test_the_desk_shows_an_approved_comments_edit_once_with_the_change(posted, desk):
    comment, token = posted
    moderation.approve(comment)
    edit(comment.pk, token, "Tramvaj je <loša> vest za grad.")
    page = desk.get(DESK).content.decode()
    assert page.count(f'id="d{comment.pk}"') == 1
    assert "izmena čeka odobrenje" in page
    assert "<del>odlična</del><ins>&lt;loša&gt;</ins>" in page
    assert 'value="approve_edit"' in page and 'value="reject_edit"' in page


def test_an_edited_pending_comment_shows_once_with_its_new_text(posted, desk):
    comment, token = posted
    edit(comment.pk, token, "Sasvim nova verzija.")
    page = desk.get(DESK).content.decode()
    assert page.count(f'id="d{comment.pk}"') == 1 and "Sasvim nova verzija." in page
    assert "data-edit-diff" not in page


def test_the_desk_approves_and_rejects_edits(posted, desk, article):
    comment, token = posted
    moderation.approve(comment)
    edit(comment.pk, token, "Prva izmena.")
    comment.refresh_from_db()
    data = {"action": "reject_edit", "comments": comment.pk, "version": comment.version}
    assert desk.post(DESK + "odluka/", data, **JSON).status_code == 400  # a reason is needed
    data["reason"] = "off_topic"
    assert desk.post(DESK + "odluka/", data, **JSON).status_code == 200
    comment.refresh_from_db()
    assert comment.comment == "Tramvaj je odlična vest za grad." and not comment.edited_text
    assert comment.decisions.filter(action="reject_edit", reason="off_topic").exists()

    edit(comment.pk, token, "Druga izmena.")
    comment.refresh_from_db()
    data = {"action": "approve_edit", "comments": comment.pk, "version": comment.version}
    answer = desk.post(DESK + "odluka/", data, **JSON)
    assert answer.status_code == 200
    assert "Druga izmena." in Client().get(article.get_absolute_url()).content.decode()
    # Nothing waits any more: a second approval of the edit is late.
    data["version"] = answer.json()["versions"][str(comment.pk)]
    assert desk.post(DESK + "odluka/", data, **JSON).status_code == 409


def test_a_signed_in_authors_page_lists_their_editable_comments_outside_the_shared_part(reader, article):
    mine = ArticleCommentFactory(article=article, user=reader, is_public=False, submit_date=timezone.now())
    ArticleCommentFactory(article=article, is_public=False, submit_date=timezone.now())  # someone else's
    signed_in = Client()
    signed_in.force_login(reader)
    page = signed_in.get(article.get_absolute_url()).content.decode()
    assert f'data-own-editable="{{&quot;{mine.pk}&quot;: {{&quot;until&quot;' in page
    assert page.count("&quot;until&quot;") == 1
    assert "data-own-editable" not in Client().get(article.get_absolute_url()).content.decode()
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        assert "data-own-editable" not in signed_in.get(article.get_absolute_url()).content.decode()


def test_remember_me_is_hidden_without_javascript_and_never_sent(article, reader):
    page = Client().get(article.get_absolute_url()).content.decode()
    row = re.search(r'<div class="[^"]*" data-remember hidden>(.*?)</div>', page, re.S)
    assert row and "Zapamti me na ovom uređaju" in row.group(1)
    assert " name=" not in row.group(1)  # no name: the checkbox is never part of the post
    signed_in = Client()
    signed_in.force_login(reader)
    assert "data-remember " not in signed_in.get(article.get_absolute_url()).content.decode()


def test_the_editing_texts_reach_cyrillic_readers_in_cyrillic(article):
    page = Client().get("/cir" + article.get_absolute_url()).content.decode()
    texts = ("Запамти ме на овом уређају", "Запамћени сте као", "Заборави ме", "Сачувај измену", "Измени")
    for text in texts:
        assert text in page, text


PAYLOADS = [
    "<script>alert(1)</script>",
    "'; DROP TABLE django_comments; --",
    "\u202eevil\u202c",
    "𝕳𝖊𝖑𝖑𝖔 🙂",
    "A" * 5000,
    "../../etc/passwd",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_tokens_and_texts_never_fail(posted, payload):
    comment, token = posted
    assert edit(comment.pk, payload, "Tekst.").status_code == 404
    assert edit(comment.pk, token, payload).status_code in (200, 400)
    response = Client().post(f"/komentari/{comment.pk}/izmena/", {"token": [token, payload]}, **JSON)
    assert response.status_code < 500


@pytest.mark.parametrize(
    "address",
    [
        "/komentari/0/izmena/",
        "/komentari/99999999999999999999/izmena/",
        "/komentari/abc/izmena/",
        "/komentari/-1/izmena/",
    ],
)
def test_forged_ids_answer_as_missing(posted, address):
    _, token = posted
    assert Client().post(address, {"token": token, "comment": "Tekst."}, **JSON).status_code == 404


def test_an_approved_edit_is_shown_inert(posted, article):
    comment, token = posted
    moderation.approve(comment)
    edit(comment.pk, token, "<script>alert(1)</script> <b>masno</b>")
    moderation.decide([comment.pk], Decision.Action.APPROVE_EDIT)
    page = Client().get(article.get_absolute_url()).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &lt;b&gt;masno&lt;/b&gt;" in page
    assert "<script>alert(1)" not in page


def test_a_signed_in_authors_post_issues_no_token_and_keeps_nothing_in_the_browser(article):
    """The session proves an account's authorship; a token (and the text comments.js would keep beside it in
    localStorage) would outlive the account on that device."""
    reader = signed_in_reader("Nevena Ristić", "nevena@example.org")
    client = Client()
    client.force_login(reader)
    page = client.get(article.get_absolute_url()).content.decode()
    data = comment_form_fields(page)
    data["comment"] = "Komentar sa nalogom."
    answer = client.post("/komentari/posalji/", data, HTTP_ACCEPT="application/json").json()
    comment = ArticleComment.objects.get(comment="Komentar sa nalogom.")
    assert answer["edit"]["id"] == comment.pk and answer["edit"]["token"] == ""
    assert not CommentToken.objects.filter(comment=comment, purpose=CommentToken.Purpose.EDIT).exists()
