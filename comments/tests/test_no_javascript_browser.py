"""With JavaScript off every control of the comment section works: sort, pages, react, reply, report."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from articles.tests.factories import ArticleFactory
from comments import moderation
from comments.models import ArticleComment, Reaction, Report
from comments.tests.factories import ArticleCommentFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def thread_ids(page):
    threads = page.locator(".comment-list > li")
    return [threads.nth(n).get_attribute("id") for n in range(threads.count())]


def test_reader_without_javascript_sorts_pages_reacts_replies_and_reports(
    live_server, browser, comment_settings
):
    comment_settings.threads_per_page = 5
    comment_settings.save()
    article = ArticleFactory(title="Gradska biblioteka produžava radno vreme")
    start = timezone.now() - timedelta(hours=3)
    threads = [
        ArticleCommentFactory(
            article=article,
            user_name=f"Čitalac {n}",
            comment=f"Nit broj {n}.",
            submit_date=start + timedelta(minutes=n),
        )
        for n in range(7)
    ]
    moderation.refresh_comment_count(article.pk)
    oldest_first = [f"k{thread.pk}" for thread in threads]

    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + article.get_absolute_url())
    assert thread_ids(page) == oldest_first[:5]

    # Sort: the newest threads first.
    page.get_by_role("link", name="Najnovije").click()
    expect(page.locator(".comment-list > li").first).to_have_id(oldest_first[-1])
    assert thread_ids(page) == oldest_first[::-1][:5]

    # Pages: the next page of threads, then back.
    page.get_by_role("link", name="Prikaži još").click()
    expect(page.locator(".comment-list > li")).to_have_count(2)
    assert thread_ids(page) == oldest_first[::-1][5:]
    page.get_by_role("link", name="Prethodni komentari").click()
    expect(page.locator(".comment-list > li")).to_have_count(5)

    # Like one comment, dislike another: the page comes back with the counts.
    first = page.locator(f"#k{threads[6].pk}")
    first.get_by_role("button", name="Sviđa mi se 0", exact=True).click()
    expect(
        page.locator(f"#k{threads[6].pk}").get_by_role("button", name="Sviđa mi se 1", exact=True)
    ).to_be_visible()
    second = page.locator(f"#k{threads[5].pk}")
    second.get_by_role("button", name="Ne sviđa mi se 0", exact=True).click()
    expect(
        page.locator(f"#k{threads[5].pk}").get_by_role("button", name="Ne sviđa mi se 1", exact=True)
    ).to_be_visible()
    reactions = Reaction.objects.values_list("comment", "value")
    assert sorted(reactions) == sorted([(threads[6].pk, Reaction.LIKE), (threads[5].pk, Reaction.DISLIKE)])
    threads[6].refresh_from_db()
    assert (threads[6].like_count, threads[6].dislike_count) == (1, 0)

    # Reply: the form opens replying to the comment and the reply waits for a moderator.
    page.locator(f"#k{threads[6].pk}").get_by_role("button", name="Odgovori").click()
    form = page.locator("#komentar-forma")
    expect(form.locator("[data-replying]")).to_contain_text("Čitalac 6")
    form.get_by_role("textbox", name="Ime").fill("Marko Ilić")
    form.get_by_label("E-adresa").fill("marko@example.org")
    form.get_by_role("textbox", name="Komentar").fill("Slažem se, subotom je najpotrebnije.")
    form.get_by_role("button", name="Pošalji komentar").click()
    expect(page.get_by_text("čeka odobrenje moderatora")).to_be_visible()
    reply = ArticleComment.objects.get(comment="Slažem se, subotom je najpotrebnije.")
    assert reply.parent_id == threads[6].pk and not reply.is_public

    # Report: the report page's form, then back to the article.
    page.goto(live_server.url + article.get_absolute_url())
    page.locator(f"#k{threads[1].pk}").get_by_role("button", name="Prijavi").click()
    expect(page.get_by_role("heading", name="Prijava komentara")).to_be_visible()
    page.get_by_label("Razlog").select_option("spam")
    page.get_by_role("button", name="Pošalji prijavu").click()
    expect(page.get_by_text("Moderatori će pregledati komentar")).to_be_visible()
    assert list(Report.objects.values_list("comment", "reason")) == [(threads[1].pk, "spam")]
    context.close()
