import pytest
from playwright.sync_api import expect

from articles.tests.browser import sign_in
from articles.tests.factories import ArticleFactory
from comments.models import ArticleComment
from comments.tests.factories import ArticleCommentFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_moderator_approves_and_rejects_by_keyboard_and_only_the_approved_is_shown(
    live_server, page, django_user_model, moderators_group
):
    moderator = django_user_model.objects.create_user("dezurna", password="tajna-lozinka-42", is_staff=True)
    moderator.groups.add(moderators_group)
    article = ArticleFactory(title="Gradska biblioteka produžava radno vreme")
    good = ArticleCommentFactory(article=article, is_public=False, comment="Divna vest za studente.")
    bad = ArticleCommentFactory(article=article, is_public=False, comment="Kupite jeftine satove ovde.")

    sign_in(page, live_server.url, "dezurna", "tajna-lozinka-42")
    expect(page.locator("[data-pending-count]")).to_have_text("2")
    page.get_by_role("link", name="2 na čekanju").click()

    first = page.locator(f"#d{good.pk}")
    expect(first).to_be_focused()
    page.keyboard.press("a")
    expect(page.locator("[data-desk-status]")).to_have_text("Odobreno")
    expect(first.locator("[data-state]")).to_have_text("odobren")
    expect(page.locator(f"#d{bad.pk}")).to_be_focused()
    page.keyboard.press("r")
    page.keyboard.press("5")  # reklama
    expect(page.locator("[data-desk-status]")).to_have_text("Odbijeno")
    expect(page.locator(f"#d{bad.pk} [data-state]")).to_have_text("odbijen")
    assert ArticleComment.objects.get(pk=bad.pk).reject_reason == "advertising"

    reader = page.context.browser.new_context().new_page()
    reader.goto(live_server.url + article.get_absolute_url())
    expect(reader.get_by_text("Divna vest za studente.")).to_be_visible()
    expect(reader.get_by_text("Kupite jeftine satove ovde.")).to_have_count(0)
    expect(reader.locator("#komentari-naslov")).to_contain_text("(1)")
