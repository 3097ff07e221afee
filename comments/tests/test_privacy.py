"""No pending or removed text, and no commenter's e-mail or IP address, reaches anything public."""

import re

import pytest
from django.test import Client

from articles.tests.factories import ArticleFactory
from comments import moderation
from comments.tests.factories import ArticleCommentFactory

pytestmark = pytest.mark.django_db

EMAIL, IP = "tajna.adresa@example.org", "203.0.113.77"


@pytest.fixture
def discussion():
    article = ArticleFactory()
    public = ArticleCommentFactory(article=article, user_email=EMAIL, ip_address=IP, comment="JAVNI tekst.")
    reply = ArticleCommentFactory(
        article=article, parent=public, user_email=EMAIL, ip_address=IP, comment="JAVNI odgovor."
    )
    pending = ArticleCommentFactory(article=article, is_public=False, comment="NA ČEKANJU tekst.")
    pending_reply = ArticleCommentFactory(
        article=article, parent=public, is_public=False, comment="NA ČEKANJU odgovor."
    )
    removed = ArticleCommentFactory(article=article, is_removed=True, comment="UKLONJEN tekst.")
    hidden = ArticleCommentFactory(article=article, hidden_by_reports=True, comment="SAKRIVEN tekst.")
    moderation.refresh_comment_count(article.pk)
    return article, [public, reply], [pending, pending_reply, removed, hidden]


def public_responses(article, comments, hidden):
    client = Client()
    urls = [
        article.get_absolute_url(),
        article.get_absolute_url() + "?redosled=najnovije",
        article.get_absolute_url() + "?redosled=najpopularnije",
        "/",
        article.section.get_absolute_url(),
        f"/komentari/clanak/{article.pk}/",
    ]
    urls += [article.get_absolute_url() + f"?odgovor={comment.pk}" for comment in comments + hidden]
    responses = [client.get(url) for url in urls]
    responses += [client.get(f"/komentari/{comment.pk}/", follow=True) for comment in comments]
    for comment in comments:
        responses.append(
            client.post(f"/komentari/{comment.pk}/reakcija/", {"value": "1"}, HTTP_ACCEPT="application/json")
        )
        responses.append(
            client.post(
                f"/komentari/{comment.pk}/prijava/", {"reason": "spam"}, HTTP_ACCEPT="application/json"
            )
        )
    return responses


def test_no_email_or_ip_address_in_any_public_response(discussion):
    article, comments, hidden = discussion
    for response in public_responses(article, comments, hidden):
        body = response.content.decode()
        assert EMAIL not in body and "tajna.adresa" not in body and IP not in body, response.request[
            "PATH_INFO"
        ]


def test_no_pending_removed_or_hidden_text_in_any_public_response(discussion):
    article, comments, hidden = discussion
    page = Client().get(article.get_absolute_url()).content.decode()
    assert "JAVNI tekst." in page and "JAVNI odgovor." in page
    assert '<span class="comments__count">(2)</span>' in page
    for response in public_responses(article, comments, hidden):
        body = response.content.decode()
        for comment in hidden:
            assert comment.comment not in body


def test_avatars_are_initials_drawn_here_with_no_third_party(discussion):
    article, _, _ = discussion
    page = Client().get(article.get_absolute_url()).content.decode()
    assert "gravatar" not in page.lower()
    assert re.search(r"<b class=a[0-7] data-i=ČĐ>", page)  # drawn by site.css from the initials


def test_comment_text_is_shown_inert(client):
    comment = ArticleCommentFactory(
        comment='<script>alert("x")</script> <img src=x onerror=alert(1)> „navodnici“'
    )
    moderation.refresh_comment_count(comment.article_id)
    page = client.get(comment.article.get_absolute_url()).content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page and "<img src=x" not in page
    assert "„navodnici“" in page


def test_section_has_no_inline_script_or_bootstrap_markup(client, discussion):
    article, _, _ = discussion
    page = client.get(article.get_absolute_url()).content.decode()
    section = page[page.index('id="komentari"') :]
    assert "<script" not in section and "onsubmit" not in section and "onclick" not in section
    assert "form-control" not in section and "btn " not in section and "bi bi-" not in section
