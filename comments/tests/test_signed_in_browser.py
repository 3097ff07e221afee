"""A signed-in reader's journey, on a phone and a desktop screen, in both scripts: comments without typing a
name, sees the pending comment (an anonymous reader does not), sees it published and the outcome on their
comments page, and deletes the account."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from playwright.sync_api import expect

from articles.tests.factories import ArticleFactory
from articles.transliteration import to_cyrillic
from comments import moderation
from comments.models import ArticleComment
from comments.tests.factories import ArticleCommentFactory, signed_in_reader

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 768}}


def signed_in_context(new_context, live_server, user, viewport):
    """A browser context carrying the session of ``user`` (signed in with force_login, as in the tests)."""
    client = Client()
    client.force_login(user)
    context = new_context(viewport=viewport)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    return context


@pytest.mark.parametrize("viewport", list(VIEWPORTS), ids=list(VIEWPORTS))
@pytest.mark.parametrize("prefix", ["", "/cir"], ids=["latin", "cyrillic"])
def test_a_signed_in_reader_comments_sees_it_pending_then_published_and_deletes_the_account(
    live_server, new_context, viewport, prefix
):
    def words(text):
        return to_cyrillic(text) if prefix else text

    article = ArticleFactory(title="Novi most preko Dunava otvoren")
    ArticleCommentFactory(article=article, comment="Prvi javni komentar.")
    moderation.refresh_comment_count(article.pk)
    reader = signed_in_reader("Jelena Marković", "jelena@example.org")
    url = live_server.url + prefix + article.get_absolute_url()

    page = signed_in_context(new_context, live_server, reader, VIEWPORTS[viewport]).new_page()
    page.goto(url)
    form = page.locator("#komentar-forma")
    expect(form).to_contain_text(words("Komentarišete kao Jelena Marković"))
    expect(form.locator("input[name=name]")).to_have_count(0)
    expect(form.locator("input[name=email]")).to_have_count(0)
    form.locator("textarea[name=comment]").fill("Most je konačno gotov, čestitke graditeljima.")
    form.locator("button[type=submit].comment-form__submit").click()
    expect(page.locator("[data-comment-notice]")).to_contain_text(words("čeka odobrenje"))

    comment = ArticleComment.objects.get(comment="Most je konačno gotov, čestitke graditeljima.")
    assert (comment.user_id, comment.user_name) == (reader.pk, "Jelena Marković")
    page.reload()
    pending = page.locator(f"#k{comment.pk}.comment--pending")
    expect(pending).to_contain_text(words("čeka odobrenje"))
    expect(pending).to_contain_text(words("Most je konačno gotov"))
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    anonymous = new_context(viewport=VIEWPORTS[viewport]).new_page()
    anonymous.goto(url)
    expect(anonymous.locator("#komentari")).to_contain_text(words("Prvi javni komentar."))
    expect(anonymous.locator(f"#k{comment.pk}")).to_have_count(0)
    expect(anonymous.locator("#komentari")).not_to_contain_text(words("Most je konačno gotov"))

    moderation.approve(comment)
    page.reload()
    expect(page.locator(".comment--pending")).to_have_count(0)
    expect(page.locator(f"li#k{comment.pk}")).to_contain_text(words("Most je konačno gotov"))

    page.goto(live_server.url + prefix + "/nalog/komentari/")
    expect(page.locator(".my-comments__item")).to_contain_text(words("objavljen"))

    page.goto(live_server.url + prefix + "/nalog/obrisi/")
    page.get_by_role("button", name=words("Da, obriši nalog")).click()
    expect(page.locator("h1")).to_contain_text(words("Nalog je obrisan"))
    assert not get_user_model().objects.filter(pk=reader.pk).exists()
    page.goto(url)
    expect(page.locator("#komentar-forma input[name=name]")).to_have_count(1)
    expect(page.locator("#komentari")).not_to_contain_text(words("Most je konačno gotov"))
