"""Commenting signed in: the account's name and proven address, own pending comments shown to their author
only, bans by account, and nothing of it on a page the page cache shares."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.cache import SessionStore
from django.db import connection
from django.http import QueryDict
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from articles import page_sections
from articles.models import Article, SiteSettings
from articles.tests.factories import ArticleFactory
from comments import moderation
from comments.models import ArticleComment, Ban, HoldReason
from comments.posting import commenter_history
from comments.tests.conftest import comment_form_fields
from comments.tests.factories import ArticleCommentFactory, signed_in_client, signed_in_reader

pytestmark = pytest.mark.django_db

ACCOUNT_NOT_READY = "potrebni su vam potvrđena e-adresa i ime koje se prikazuje"


@pytest.fixture
def article(comment_settings):
    SiteSettings.get_solo()
    return ArticleFactory(title="Novi most preko Dunava otvoren za saobraćaj")


@pytest.fixture
def reader():
    return signed_in_reader("Jelena Marković", "jelena@example.org")


def form_data(article, **fields):
    """The article's comment form as an anonymous page carries it (the signed fields), with ``fields``."""
    data = comment_form_fields(Client().get(article.get_absolute_url()).content.decode())
    data.update(comment="Konačno jedan most na vreme.")
    data.update(fields)
    return data


def test_a_signed_in_reader_comments_as_their_account_without_typing_a_name(article, reader):
    client = signed_in_client(reader)
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Komentarišete kao <strong>Jelena Marković</strong>" in page
    assert 'action="/nalog/logout/"' in page and 'form="odjava-forma"' in page
    fields = comment_form_fields(page)
    assert "name" not in fields and "email" not in fields and "csrfmiddlewaretoken" in fields
    assert "Imate nalog?" not in page

    response = client.post("/komentari/posalji/", {**fields, "comment": "Konačno jedan most na vreme."})
    assert response.status_code == 302
    comment = ArticleComment.objects.get()
    assert (comment.user, comment.user_name, comment.user_email) == (
        reader,
        "Jelena Marković",
        "jelena@example.org",
    )
    assert comment.email_verified and HoldReason.UNVERIFIED_EMAIL not in comment.hold_reasons


@pytest.mark.parametrize(
    "forged",
    [
        {"name": "Urednik", "email": "urednik@example.org"},
        {"name": "Drugi Čitalac"},
        {"email": "neko.drugi@example.org"},
        {"name": "", "email": ""},
    ],
    ids=["both", "name", "email", "emptied"],
)
def test_a_signed_in_readers_post_cannot_forge_name_or_address(article, reader, forged):
    response = signed_in_client(reader).post("/komentari/posalji/", form_data(article, **forged))
    assert response.status_code == 302
    comment = ArticleComment.objects.get()
    assert (comment.user_name, comment.email_key) == ("Jelena Marković", "jelena@example.org")


@pytest.mark.parametrize(
    "account",
    [{"verified": False}, {"profile": False}, {"verified": False, "profile": False}],
    ids=["address-not-verified", "no-profile", "neither"],
)
def test_an_account_not_ready_is_told_what_to_do_and_its_post_is_refused(article, account):
    user = signed_in_reader("Petar Ilić", "petar@example.org", **account)
    client = signed_in_client(user)
    page = client.get(article.get_absolute_url()).content.decode()
    assert ACCOUNT_NOT_READY in page and 'href="/nalog/profil/"' in page
    assert 'id="komentar-forma"' not in page
    response = client.post("/komentari/posalji/", form_data(article, name="Petar", email="petar@example.org"))
    assert response.status_code == 403
    assert ACCOUNT_NOT_READY in response.content.decode()
    assert not ArticleComment.objects.exists()


def test_staff_signed_in_type_a_name_and_address_as_before(article, django_user_model):
    editor = django_user_model.objects.create_user("urednica", email="urednica@example.org", is_staff=True)
    client = signed_in_client(editor)
    page = client.get(article.get_absolute_url()).content.decode()
    fields = comment_form_fields(page)
    assert "name" in fields and "email" in fields and "Komentarišete kao" not in page
    response = client.post(
        "/komentari/posalji/", form_data(article, name="Ana Urednica", email="urednica@example.org")
    )
    assert response.status_code == 302
    comment = ArticleComment.objects.get()
    assert comment.user_name == "Ana Urednica" and comment.email_verified


def test_anonymous_readers_get_one_static_line_pointing_to_sign_in(article):
    page = Client().get(article.get_absolute_url())
    html = page.content.decode()
    assert 'Imate nalog? <a href="/nalog/login/">Prijavite se</a>' in html
    assert "Komentarišete kao" not in html and "csrfmiddlewaretoken" not in html
    assert {"name", "email"} <= set(comment_form_fields(html))
    assert Client().get(article.get_absolute_url()).has_header("ETag")  # still shared


def test_only_a_verified_account_address_counts_toward_trust(article, comment_settings, reader):
    comment_settings.trust_enabled = True
    comment_settings.trust_min_approved = 1
    comment_settings.save()
    client = signed_in_client(reader)
    client.post("/komentari/posalji/", form_data(article, comment="Prvi komentar."))
    moderation.approve(ArticleComment.objects.get())
    assert commenter_history("jelena@example.org").proven_approved == 1

    # Someone typing the reader's address without the account: held, and not counted.
    Client().post(
        "/komentari/posalji/",
        form_data(article, name="Jelena Marković", email="jelena@example.org", comment="Tuđi pokušaj."),
    )
    stranger = ArticleComment.objects.get(comment="Tuđi pokušaj.")
    assert not stranger.email_verified and not stranger.is_public

    # The reader's own next comment is published on trust.
    client.post("/komentari/posalji/", form_data(article, comment="Drugi komentar."))
    assert ArticleComment.objects.get(comment="Drugi komentar.").is_public


def test_an_account_whose_address_is_not_verified_gets_no_proof_from_a_matching_user_email(article):
    user = signed_in_reader("Marko Lazić", "marko@example.org", verified=False)
    assert user.email == "marko@example.org"
    response = signed_in_client(user).post("/komentari/posalji/", form_data(article))
    assert response.status_code == 403 and not ArticleComment.objects.exists()


def test_own_pending_comments_are_shown_to_their_author_only(article, reader):
    parent = ArticleCommentFactory(article=article, user_name="Vesna Tomić", comment="Most je lep.")
    ArticleCommentFactory(
        article=article,
        user=reader,
        user_name="Jelena Marković",
        comment="Moj komentar čeka.",
        is_public=False,
    )
    ArticleCommentFactory(
        article=article,
        parent=parent,
        user=reader,
        user_name="Jelena Marković",
        comment="Moj odgovor čeka.",
        is_public=False,
    )
    other = signed_in_reader("Ivan Perić", "ivan@example.org")
    ArticleCommentFactory(article=article, user=other, comment="Ivanov komentar čeka.", is_public=False)
    ArticleCommentFactory(article=article, user=reader, comment="Odbijen.", is_public=False, is_removed=True)
    moderation.refresh_comment_count(article.pk)

    url = article.get_absolute_url()
    own = signed_in_client(reader).get(url)
    html = own.content.decode()
    assert "Moj komentar čeka." in html and "Moj odgovor čeka." in html
    assert "odgovor na Vesna Tomić" in html and html.count("čeka odobrenje</span>") == 2
    assert "Ivanov komentar čeka." not in html and "Odbijen." not in html
    assert "private" in own["Cache-Control"] and not own.has_header("ETag")

    for client in (Client(), signed_in_client(other)):
        html = client.get(url).content.decode()
        assert "Moj komentar čeka." not in html and "Moj odgovor čeka." not in html


@pytest.mark.parametrize("reader_first", [True, False], ids=["reader-first", "anonymous-first"])
def test_no_shared_page_carries_a_signed_in_readers_pending_comment(article, reader, reader_first):
    ArticleCommentFactory(article=article, comment="Javni komentar.")
    ArticleCommentFactory(article=article, user=reader, comment="Samo moj, na čekanju.", is_public=False)
    moderation.refresh_comment_count(article.pk)
    url = article.get_absolute_url()
    signed_in = signed_in_client(reader)
    if reader_first:
        assert "Samo moj, na čekanju." in signed_in.get(url).content.decode()
    anonymous = [Client().get(url) for _ in range(2)]
    assert anonymous[1].has_header("ETag")  # the second one came from the shared cache
    for response in anonymous:
        html = response.content.decode()
        assert "Javni komentar." in html
        assert "Samo moj, na čekanju." not in html and "Komentarišete kao" not in html
        assert "Jelena Marković" not in html
    if not reader_first:
        mine = signed_in.get(url)
        assert "Samo moj, na čekanju." in mine.content.decode() and not mine.has_header("ETag")


def _render_section(article, user):
    request = RequestFactory().get(article.get_absolute_url())
    request.user = user or AnonymousUser()
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    article = Article.objects.for_page().with_publication_state().get(pk=article.pk)
    template = Template(
        "{% load articles_tags %}{% for section in sections %}{% page_section section %}{% endfor %}"
    )
    with CaptureQueriesContext(connection) as queries:
        sections = page_sections.build(article, QueryDict(), user=request.user, notices=[])
        html = template.render(Context({"request": request, "sections": sections}))
    return html, len(queries)


def _discussion(article, reader, threads):
    tops = [ArticleCommentFactory(article=article) for _ in range(threads)]
    for top in tops:
        ArticleCommentFactory(article=article, parent=top)
    ArticleCommentFactory(article=article, user=reader, comment="Na čekanju, nit.", is_public=False)
    ArticleCommentFactory(
        article=article, user=reader, parent=tops[0], comment="Na čekanju, odgovor.", is_public=False
    )
    moderation.refresh_comment_count(article.pk)


def test_a_signed_in_readers_section_runs_the_same_queries_for_2_and_200_comments(
    article, reader, comment_settings
):
    comment_settings.threads_per_page = 100
    comment_settings.save()
    small = ArticleFactory()
    _discussion(small, reader, 1)
    _discussion(article, reader, 100)
    _render_section(small, reader)  # warm the settings cache
    html_small, small_count = _render_section(small, reader)
    html, large_count = _render_section(article, reader)
    assert "Na čekanju, odgovor." in html and "Na čekanju, odgovor." in html_small
    assert html.count("<li id=k") == 200
    _, anonymous_count = _render_section(article, None)
    # Two more than an anonymous reader's: the account, and its own comments (pending or still editable).
    assert small_count == large_count == anonymous_count + 2


def test_a_banned_account_cannot_comment(article, reader, moderator_client):
    comment = ArticleCommentFactory(article=article, user=reader, user_email="jelena@example.org")
    moderation.ban(
        comment, moderator=None, reason="uvrede", by_email=False, by_address=False, by_account=True
    )
    ban = Ban.objects.get()
    assert ban.user == reader and ban.email == "" and ban.ip_address is None
    response = signed_in_client(reader).post("/komentari/posalji/", form_data(article, comment="Ipak pišem."))
    assert response.status_code == 403
    assert "Vaš komentar ne može biti objavljen." in response.content.decode()
    assert not ArticleComment.objects.filter(comment="Ipak pišem.").exists()
    # Another account, from the same network, is not kept out by it.
    other = signed_in_reader("Ivan Perić", "ivan@example.org")
    assert signed_in_client(other).post("/komentari/posalji/", form_data(article)).status_code == 302


DESK_BAN = "/admin/comments/articlecomment/desk/zabrana/"


def test_the_desk_bans_the_account_a_comment_was_written_with(article, reader, moderator_client):
    comment = ArticleCommentFactory(
        article=article, user=reader, user_email="jelena@example.org", is_public=False
    )
    desk = moderator_client.get("/admin/comments/articlecomment/desk/").content.decode()
    assert 'name="by_account"' in desk
    response = moderator_client.post(
        DESK_BAN, {"comment": comment.pk, "by_account": "on", "period": "zauvek", "reason": "uvrede"}
    )
    assert response.status_code == 302
    ban = Ban.objects.get()
    assert ban.user == reader and not ban.email and ban.ip_address is None and ban.expires_at is None
    comment.refresh_from_db()
    assert comment.is_removed
    assert signed_in_client(reader).post("/komentari/posalji/", form_data(article)).status_code == 403


def test_the_desk_refuses_an_account_ban_for_a_comment_written_without_one(article, moderator_client):
    comment = ArticleCommentFactory(article=article, is_public=False)
    response = moderator_client.post(
        DESK_BAN,
        {"comment": comment.pk, "by_account": "on", "period": "7", "reason": "x"},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 400 and "nije napisan s nalogom čitaoca" in response.json()["message"]
    assert not Ban.objects.exists() and not ArticleComment.objects.get(pk=comment.pk).is_removed
