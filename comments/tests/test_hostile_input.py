"""Hostile input through every door readers have into the comments: the form, reactions, reports, links.

Every field of the comment form, every parameter and every token takes naughty strings, attack payloads,
Hypothesis text and bytes that are not UTF-8. Nothing fails (5xx); a refusal is in Serbian and stores
nothing; an accepted comment is stored as typed and, wherever it is shown (both scripts, the permalink,
the desk, the admin, the e-mails), it is text, never markup.
"""

import re
from urllib.parse import quote

import pytest
from django.test import Client
from django.utils.html import escape
from hypothesis import given
from hypothesis import strategies as st
from mailer.models import Message

from articles.tests.factories import ArticleFactory
from articles.tests.test_hostile_input import (
    HOSTILE,
    assert_answered_in_serbian,
    assert_inert,
    encoded,
)
from comments import moderation
from comments.models import ArticleComment, CommentSettings, Reaction, Report
from comments.tests.conftest import comment_form_fields
from comments.tests.factories import ArticleCommentFactory

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite_pass]

POST = "/komentari/posalji/"
FORM_FIELDS = [
    "name",
    "email",
    "comment",
    "reply_to",
    "followup",
    "honeypot",
    "timestamp",
    "security_hash",
    "content_type",
    "object_pk",
    "url",
]
# Strings a browser can send as form text: what a lone surrogate becomes on the wire is tested with raw bytes.
SENDABLE = [text for text in HOSTILE if not re.search(r"[\ud800-\udfff]", text)]
# Comments that would run if shown as markup; each sets a flag a browser test can look for, too.
XSS = [
    "<script>window.__pwned=1</script>",
    '"><img src=x onerror="window.__pwned=1">',
    "</textarea><svg onload=window.__pwned=1>",
    '<a href="javascript:window.__pwned=1">klik</a> javascript:alert(1)',
    "<!--<script>--></p><iframe srcdoc='<script>parent.__pwned=1</script>'>",
    "{{7*7}} {% debug %} ' OR 1=1 -- http://example.org/<script>",
]


@pytest.fixture(autouse=True)
def no_rate_limits(settings):
    # Hundreds of posts from one address are the point here; rate limits have their own tests.
    settings.COMMENTS_RATE_PER_ADDRESS = settings.COMMENTS_RATE_PER_EMAIL = "100000/m"
    settings.COMMENTS_REACTIONS_RATE = settings.COMMENTS_REPORTS_RATE = "100000/m"


@pytest.fixture
def article():
    return ArticleFactory(title="Gradsko veće i nove staze")


@pytest.fixture
def form(article):
    """The signed fields of the article's real form, filled in as an honest reader would."""
    fields = comment_form_fields(Client().get(article.get_absolute_url()).content.decode())
    fields.update(name="Milena", email="milena@example.org", comment="Zanimljiv tekst.")
    return fields


class Poster:
    """Posts the form with one field changed; each post from a new address, so none is a duplicate."""

    def __init__(self, form):
        self.form = form
        self.client = Client()
        self.count = 0

    def __call__(self, **changes):
        self.count += 1
        data = {**self.form, "email": f"citalac{self.count}@example.org", **changes}
        return self.client.post(POST, data)

    def raw(self, body, content_type="application/x-www-form-urlencoded"):
        return self.client.generic("POST", POST, body, content_type=content_type)


@pytest.fixture
def poster(form):
    return Poster(form)


def assert_refused_in_serbian(response):
    assert 400 <= response.status_code < 500, response.status_code
    assert_answered_in_serbian(response)


@pytest.mark.parametrize("field", FORM_FIELDS)
def test_no_value_in_any_field_of_the_comment_form_makes_it_fail(poster, field):
    for value in SENDABLE:
        before = ArticleComment.objects.count()
        response = poster(**{field: value})
        assert response.status_code < 500, (field, value[:50])
        stored = ArticleComment.objects.count() - before
        if response.status_code == 302:
            assert stored == 1, (field, value[:50])
            comment = ArticleComment.objects.latest("pk")
            if field in ("name", "comment"):
                assert getattr(comment, {"name": "user_name", "comment": "comment"}[field]) == value.strip()
        else:
            assert stored == 0, (field, value[:50])
            assert_refused_in_serbian(response)


@given(name=st.text(max_size=80), text=st.text(min_size=1, max_size=2000))
def test_any_text_is_either_stored_exactly_or_refused_in_serbian(poster, name, text):
    before = ArticleComment.objects.count()
    response = poster(name=name, comment=text)
    if response.status_code == 302:
        comment = ArticleComment.objects.latest("pk")
        assert (comment.user_name, comment.comment) == (name.strip(), text.strip())
    else:
        assert ArticleComment.objects.count() == before
        assert_refused_in_serbian(response)


@given(body=st.binary(max_size=2000))
def test_any_bytes_as_the_form_body_never_fail_and_store_at_most_one_comment(poster, body):
    before = ArticleComment.objects.count()
    response = poster.raw(body)
    assert ArticleComment.objects.count() - before in (0, 1)
    if response.status_code >= 400:
        assert_refused_in_serbian(response)


def test_invalid_utf8_in_the_form_body_is_stored_as_replacement_characters(form):
    data = {**form, "comment": "PLACEHOLDER"}
    body = "&".join(f"{key}={quote(value)}" for key, value in data.items())
    body = body.replace("PLACEHOLDER", "Dobar%ff%fe tekst %ed%a0%80 kraj")
    response = Client().generic("POST", POST, body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 302
    assert ArticleComment.objects.get().comment == "Dobar\ufffd\ufffd tekst \ufffd\ufffd\ufffd kraj"


def test_a_nul_byte_in_the_comment_is_refused_in_serbian_and_stores_nothing(poster):
    response = poster(comment="Pre\x00posle")
    assert_refused_in_serbian(response)
    assert "karakteri nisu dozvoljeni" in response.content.decode()
    assert not ArticleComment.objects.exists()


def test_refused_form_shows_the_readers_payload_back_as_text(poster):
    for payload in XSS:
        response = poster(name=payload, comment=payload, email="nije-adresa")
        assert response.status_code == 400
        html = response.content.decode()
        assert_inert(html)
        assert escape(payload) in html
    assert not ArticleComment.objects.exists()


# Request limits (config/settings.py): whatever goes over them gets the Serbian 400 page and stores nothing.


def test_oversized_comment_body_is_refused_with_the_serbian_page(form, settings):
    body = (
        "&".join(f"{key}={quote(value)}" for key, value in form.items())
        + "&comment="
        + "a" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    )
    response = Client().generic("POST", POST, body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert "Neispravan zahtev" in response.content.decode()
    assert not ArticleComment.objects.exists()


def test_too_many_fields_are_refused_with_the_serbian_page(form, settings):
    extra = "&".join(f"polje{number}=x" for number in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))
    body = "&".join(f"{key}={quote(value)}" for key, value in form.items()) + "&" + extra
    response = Client().generic("POST", POST, body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400 and "Neispravan zahtev" in response.content.decode()
    assert not ArticleComment.objects.exists()


def test_too_many_files_are_refused_with_the_serbian_page(form, settings):
    boundary = "granica"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="f{n}"; filename="f{n}.txt"\r\n\r\nx\r\n'
        for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FILES + 1)
    ]
    body = "".join(parts) + f"--{boundary}--\r\n"
    response = Client().generic("POST", POST, body, content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 400 and "Neispravan zahtev" in response.content.decode()
    assert not ArticleComment.objects.exists()


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (
            b'--x\r\nContent-Disposition: form-data; name="comment"\r\n\r\ntekst',
            "multipart/form-data; boundary=y",
        ),
        (b"anything", "multipart/form-data"),
        (b"anything", "multipart/form-data; boundary="),
        (b"--" + b"x" * 100 + b"\r\n", "multipart/form-data; boundary=" + "x" * 100),
        (b'{"comment": "tekst"}', "application/json"),
        (b"<comment>tekst</comment>", "text/xml"),
        (b"name=a&comment=b", "text/plain; charset=utf-8"),
        (b"name=a&comment=b", "application/x-www-form-urlencoded; charset=nepostojeci"),
    ],
    ids=[
        "wrong-boundary",
        "no-boundary",
        "empty-boundary",
        "long-boundary",
        "json",
        "xml",
        "plain",
        "bad-charset",
    ],
)
def test_broken_or_foreign_bodies_are_refused_and_store_nothing(body, content_type):
    response = Client().generic("POST", POST, body, content_type=content_type)
    assert_refused_in_serbian(response)
    assert not ArticleComment.objects.exists()


def test_signed_in_reader_without_a_csrf_token_gets_the_serbian_expired_form_page(form, django_user_model):
    client = Client(enforce_csrf_checks=True)
    client.force_login(django_user_model.objects.create_user("citalac", password="x"))
    response = client.post(POST, {key: value for key, value in form.items() if key != "csrfmiddlewaretoken"})
    assert response.status_code == 403
    assert "Obrazac je istekao" in response.content.decode()
    assert_answered_in_serbian(response)
    assert not ArticleComment.objects.exists()


def test_staff_without_moderation_rights_get_the_serbian_forbidden_page(django_user_model):
    client = Client()
    client.force_login(django_user_model.objects.create_user("pripravnik", password="x", is_staff=True))
    response = client.get("/admin/comments/articlecomment/desk/")
    assert response.status_code == 403
    assert "Pristup nije dozvoljen" in response.content.decode()


def test_wrong_method_gets_a_serbian_page_or_message():
    response = Client().get(POST)
    assert response.status_code == 405 and response["Allow"] == "POST"
    assert "Ova adresa se ne otvara na taj način" in response.content.decode()
    assert_answered_in_serbian(Client().get("/cir" + POST))
    scripted = Client().get(POST, HTTP_ACCEPT="application/json")
    assert scripted.status_code == 405 and "ne otvara" in scripted.json()["message"]


# Reactions, reports and the links readers get by e-mail.


@pytest.fixture
def comment(article):
    comment = ArticleCommentFactory(article=article, comment="Komentar za reakcije.")
    moderation.refresh_comment_count(article.pk)
    return comment


def test_no_reaction_value_but_like_or_dislike_is_stored(comment):
    client = Client()
    for value in SENDABLE:
        before = Reaction.objects.count()
        response = client.post(f"/komentari/{comment.pk}/reakcija/", {"value": value})
        if value not in ("1", "-1"):
            assert_refused_in_serbian(response)
            assert Reaction.objects.count() == before
        else:
            assert response.status_code == 302


def test_report_reason_and_note_refuse_anything_else_in_serbian(comment):
    for value in SENDABLE:
        reader = Client()  # a reader may report a comment only once
        response = reader.post(f"/komentari/{comment.pk}/prijava/", {"reason": value, "note": value})
        assert response.status_code < 500
        assert_refused_in_serbian(response)
    assert not Report.objects.exists()
    reason = Report.Reason.choices[0][0]
    for note in XSS:
        reported = ArticleCommentFactory(article=comment.article)  # enough reports would hide one comment
        response = Client().post(f"/komentari/{reported.pk}/prijava/", {"reason": reason, "note": note})
        assert response.status_code == 302
    assert sorted(Report.objects.values_list("note", flat=True)) == sorted(note.strip() for note in XSS)


@pytest.mark.parametrize(
    "template",
    [
        "/komentari/{}/",
        "/komentari/{}/reakcija/",
        "/komentari/{}/prijava/",
        "/komentari/clanak/{}/",
        "/komentari/potvrda/{}/",
        "/komentari/odjava/{}/",
        "/cir/komentari/{}/",
    ],
)
def test_no_id_or_token_in_a_comments_address_makes_it_fail(comment, template):
    client = Client()
    for value in HOSTILE:
        address = template.format(encoded(value))
        assert_answered_in_serbian(client.get(address))
        assert_answered_in_serbian(client.post(address, {"value": "1", "reason": "spam"}))


@pytest.mark.parametrize("parameter", ["komentari", "redosled", "strana"])
def test_no_value_of_the_thread_parameters_makes_more_threads_fail(comment, parameter):
    client = Client()
    for value in HOSTILE:
        response = client.get(f"/komentari/clanak/{comment.article_id}/?{parameter}={encoded(value)}")
        assert_answered_in_serbian(response)


# An approved comment full of payloads, wherever it is shown.


@pytest.mark.parametrize("payload", XSS)
def test_posted_payload_is_stored_as_typed_and_shown_inert_everywhere(
    poster, article, moderator_client, payload
):
    response = poster(name=payload[:50], comment=payload)
    assert response.status_code == 302
    comment = ArticleComment.objects.get()
    assert (comment.user_name, comment.comment) == (payload[:50].strip(), payload)

    desk = moderator_client.get("/admin/comments/articlecomment/desk/")
    assert desk.status_code == 200 and escape(comment.user_name) in desk.content.decode()
    moderation.approve(comment)
    reader = Client()
    pages = [
        article.get_absolute_url(),
        "/cir" + article.get_absolute_url(),
        f"/komentari/clanak/{article.pk}/",
        f"/komentari/{comment.pk}/prijava/",
    ]
    for address in pages:
        page = reader.get(address)
        assert page.status_code == 200, address
        assert_inert(page.content.decode())
    latin = reader.get(article.get_absolute_url()).content.decode()
    assert escape(comment.user_name) in latin
    permalink = reader.get(f"/komentari/{comment.pk}/", follow=True)
    assert permalink.status_code == 200
    assert_inert(permalink.content.decode())
    for address in [
        "/admin/comments/articlecomment/desk/?red=sve",
        "/admin/comments/articlecomment/",
        f"/admin/comments/articlecomment/{comment.pk}/change/",
        "/admin/comments/report/",
    ]:
        page = moderator_client.get(address)
        assert page.status_code == 200, address
        html = page.content.decode()
        assert "<script>window.__pwned" not in html and 'onerror="window.__pwned' not in html, address
        assert "<svg onload" not in html and "<iframe srcdoc" not in html, address


def test_reply_notification_mail_is_plain_text_with_the_payload_as_typed(article, mailoutbox):
    payload = XSS[1]
    parent = ArticleCommentFactory(
        article=article, user_name=XSS[0][:50], user_email="jelena@example.org", followup=True
    )
    reply = ArticleCommentFactory(
        article=article, parent=parent, is_public=False, user_name=payload[:50], comment=payload
    )
    moderation.approve(reply)
    (message,) = mailoutbox
    assert message.content_subtype == "plain" and not getattr(message, "alternatives", None)
    assert payload in message.body and "&lt;" not in message.body and "&quot;" not in message.body
    assert "\n" not in message.subject


def test_verification_mail_is_queued_as_plain_text_with_the_payload_as_typed(
    poster, comment_settings, settings
):
    settings.EMAIL_BACKEND = "mailer.backend.DbBackend"
    comment_settings.require_email_verification = True
    comment_settings.save()
    CommentSettings.get_solo()
    response = poster(name=XSS[0][:50], comment=XSS[1])
    assert response.status_code == 302
    (queued,) = Message.objects.all()
    email = queued.email
    assert email.content_subtype == "plain" and not getattr(email, "alternatives", None)
    assert XSS[0][:50] in email.body and "&lt;" not in email.body


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_payloads_never_run_in_a_real_browser(live_server, browser, django_user_model):
    """Chromium opens every page that shows a payload; none sets ``window.__pwned``.

    The browser ignores our Content-Security-Policy here, so it is the escaping that is tested, not the CSP
    that would otherwise block inline scripts anyway.
    """
    article = ArticleFactory(title='Naslov "><img src=x onerror="window.__pwned=1">')
    shown = ArticleCommentFactory(article=article, user_name=XSS[1][:50], comment=" ".join(XSS[:4]))
    held = ArticleCommentFactory(article=article, is_public=False, user_name=XSS[0][:50], comment=XSS[4])
    moderation.refresh_comment_count(article.pk)
    # The newsroom's every screen: the desk, the comment and the article forms.
    moderator = django_user_model.objects.create_superuser("urednica", password="x")
    signed_in = Client()
    signed_in.force_login(moderator)

    context = browser.new_context(bypass_csp=True)
    context.add_cookies(
        [{"name": "sessionid", "value": signed_in.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    for address, visible in [
        (article.get_absolute_url(), "window.__pwned=1</script>"),
        ("/cir" + article.get_absolute_url(), None),  # Latin words are transliterated there too
        ("/admin/comments/articlecomment/desk/", "parent.__pwned=1"),
        (f"/admin/comments/articlecomment/{shown.pk}/change/", "window.__pwned=1</script>"),
        (f"/admin/comments/articlecomment/{held.pk}/change/", "parent.__pwned=1"),
        (f"/admin/articles/article/{article.pk}/change/", None),
    ]:
        response = page.goto(live_server.url + address)
        assert response.status == 200, address
        page.wait_for_load_state("load")
        if visible:
            assert visible in page.content().replace("&lt;", "<").replace("&gt;", ">"), address
        assert page.evaluate("window.__pwned") is None, address
    context.close()
