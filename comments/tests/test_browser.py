import re

import pytest
from playwright.sync_api import expect

from articles.tests.factories import ArticleFactory
from comments import moderation
from comments.models import ArticleComment
from comments.tests.factories import ArticleCommentFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def reply_held(page, comment, *, to, text, name="Marko", email="marko@example.org", script=str):
    """Replies to ``comment`` through the form, as a reader would, and sees the reply held for moderation.

    ``script`` turns the page's Latin words into the reader's script (``to_cyrillic`` on /cir/ pages).
    """
    comment.get_by_role("button", name=script("Odgovori")).first.click()
    reply_form = page.locator("#komentar-forma")
    expect(reply_form.locator("[data-replying]")).to_contain_text(script(to))
    reply_form.get_by_role("textbox", name=script("Ime")).fill(name)
    reply_form.get_by_label(script("E-adresa")).fill(email)
    reply_form.get_by_role("textbox", name=script("Komentar")).fill(text)
    reply_form.get_by_role("button", name=script("Pošalji komentar")).click()
    expect(page.locator("[data-comment-notice]")).to_contain_text(script("čeka odobrenje moderatora"))


def test_reader_comments_moderator_approves_second_reader_replies_and_reacts(live_server, browser):
    article = ArticleFactory(title="Grad dobija novu biblioteku u starom magacinu")
    url = live_server.url + article.get_absolute_url()

    first = browser.new_page(viewport={"width": 375, "height": 812})
    first.goto(url)
    form = first.locator("#komentar-forma")
    form.get_by_role("textbox", name="Ime").fill("Ana Đorđević")
    form.get_by_label("E-adresa").fill("ana@example.org")
    form.get_by_role("textbox", name="Komentar").fill("Konačno mesto za čitanje u centru!")
    expect(form.locator("[data-counter]")).to_have_text("34")
    form.get_by_role("button", name="Pošalji komentar").click()
    expect(first.locator("[data-comment-notice]")).to_have_text(
        "Hvala! Vaš komentar čeka odobrenje moderatora."
    )
    assert first.url == url  # in place, no reload
    # Shown to its author alone, on this device, apart from the published comments (comments.js).
    expect(first.locator(".comment-list").get_by_text("Konačno mesto za čitanje u centru!")).to_have_count(0)
    expect(first.locator(".comment-own")).to_contain_text("Konačno mesto za čitanje u centru!")

    moderation.approve(ArticleComment.objects.get())

    second = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
    second.goto(url)
    expect(second.locator("#komentari-naslov")).to_contain_text("(1)")
    comment = second.locator(".comment-list li").filter(has_text="Konačno mesto za čitanje u centru!")
    expect(comment).to_be_visible()
    # The avatar: the initials drawn before the name, out of the accessibility tree (the name is read once).
    name = comment.locator(":scope > b")
    assert name.evaluate("b => getComputedStyle(b, '::before').content") == '"AĐ" / ""'  # drawn, alt ""
    expect(name).to_have_attribute("data-i", "AĐ")
    tree = comment.aria_snapshot()
    assert "Ana Đorđević" in tree and "AĐ" not in tree, tree

    reply_held(second, comment, to="Ana Đorđević", text="Slažem se, i radno vreme je odlično.")
    reply = ArticleComment.objects.get(comment="Slažem se, i radno vreme je odlično.")
    assert reply.parent_id == ArticleComment.objects.get(user_name="Ana Đorđević").pk and not reply.is_public

    like = comment.get_by_role("button", name=re.compile("^Sviđa mi se"))
    like.click()
    expect(like).to_have_attribute("aria-pressed", "true")
    expect(like).to_have_accessible_name("Sviđa mi se 1")
    second.reload()
    expect(
        second.locator(".comment-list li").first.get_by_role("button", name=re.compile("^Sviđa mi se"))
    ).to_have_attribute("aria-pressed", "true")


def test_show_more_appends_the_next_threads_in_the_chosen_order_without_repeating_any(
    live_server, browser, comment_settings
):
    comment_settings.threads_per_page = 3
    comment_settings.save()
    article = ArticleFactory(title="Novi most preko reke otvoren za pešake")
    threads = [ArticleCommentFactory(article=article, comment=f"Nit broj {n}.") for n in range(7)]
    moderation.refresh_comment_count(article.pk)

    page = browser.new_page()
    page.goto(live_server.url + article.get_absolute_url())
    page.get_by_role("link", name="Najnovije").click()
    shown = page.locator(".comment-list > li")
    expect(shown).to_have_count(3)
    more = page.get_by_role("link", name="Prikaži još")
    more.click()
    expect(shown).to_have_count(6)
    more.click()
    expect(shown).to_have_count(7)
    expect(more).to_have_count(0)  # nothing more to show: the link is gone
    newest_first = [f"k{thread.pk}" for thread in reversed(threads)]
    assert [shown.nth(n).get_attribute("id") for n in range(7)] == newest_first
