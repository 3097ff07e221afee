"""Nothing lost: what an editor types is offered back in a new browser; conflicting saves are caught."""

from datetime import timedelta

import pytest
import reversion
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Article, ArticleAutosave
from articles.tests.browser import EDITOR_PASSWORD as PASSWORD
from articles.tests.browser import newsroom_editor, save, sign_in
from articles.tests.factories import ArticleFactory, TagFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The script waits 2.5 s after the last keystroke; a loaded machine may take a while longer.
AUTOSAVE_WAIT_MS = 15000


def open_change_form(browser, live_server, username, article):
    """A fresh browser (no cookies, no storage) signed in as ``username`` on the article's change form."""
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, live_server.url, username, PASSWORD, f"/admin/articles/article/{article.pk}/change/")
    expect(page.locator("#id_title")).to_have_value(article.title)
    return context, page


def body_editor(page):
    return page.locator(".prose-editor .ProseMirror:visible").first


def test_text_typed_before_the_browser_closed_is_restored_in_a_fresh_browser_and_saved(
    browser, live_server, django_user_model
):
    newsroom_editor(django_user_model, "urednica")
    article = ArticleFactory(title="Most na Savi", body="<p>Radovi su počeli.</p>")
    TagFactory(name="Saobraćaj")

    context, page = open_change_form(browser, live_server, "urednica", article)
    page.locator("#id_tags + .select2 .select2-selection").click()
    page.keyboard.type("Saobr")
    page.locator(".select2-results__option", has_text="Saobraćaj").click()
    body = body_editor(page)
    body.click()
    page.keyboard.press("Control+End")
    page.keyboard.type(" Most će biti otvoren za saobra")  # mid-word, mid-sentence
    expect(page.get_by_role("status").filter(has_text="Automatski sačuvano u")).to_be_visible(
        timeout=AUTOSAVE_WAIT_MS
    )
    context.close()  # the whole browser goes: no unload handler gets a chance it could rely on

    context, page = open_change_form(browser, live_server, "urednica", article)
    offer = page.get_by_role("region", name="Imate nesačuvane izmene od")
    expect(offer).to_be_visible()
    expect(body_editor(page)).not_to_contain_text("saobra")
    page.get_by_role("button", name="Vrati nesačuvane izmene").click()

    expect(body_editor(page)).to_contain_text("Radovi su počeli. Most će biti otvoren za saobra")
    expect(offer).to_have_count(0)
    expect(page.locator("#id_body")).to_have_value("<p>Radovi su počeli. Most će biti otvoren za saobra</p>")
    # The tag's own name, though the page was made with no tags chosen (autocomplete lists only the chosen).
    expect(page.locator("#id_tags + .select2")).to_contain_text("Saobraćaj")
    save(page)
    expect(page.locator(".messagelist .success")).to_be_visible()
    context.close()

    article.refresh_from_db()
    assert article.body == "<p>Radovi su počeli. Most će biti otvoren za saobra</p>"
    assert [tag.name for tag in article.tags.all()] == ["Saobraćaj"]
    assert not ArticleAutosave.objects.exists()


def test_discarding_the_offer_deletes_the_autosave(browser, live_server, django_user_model):
    user = newsroom_editor(django_user_model, "urednica")
    article = ArticleFactory(title="Most na Savi")
    ArticleAutosave.objects.create(
        user=user,
        article=article,
        fields={"title": "Nesačuvan"},
        saved_at=article.modified_at + timedelta(minutes=1),
    )

    context, page = open_change_form(browser, live_server, "urednica", article)
    page.get_by_role("button", name="Odbaci").click()
    expect(page.get_by_role("status").filter(has_text="Nesačuvane izmene su odbačene.")).to_be_visible()
    expect(page.locator("#id_title")).to_have_value("Most na Savi")
    context.close()
    assert not ArticleAutosave.objects.exists()


def test_a_second_editors_save_in_between_is_caught_as_a_conflict(browser, live_server, django_user_model):
    newsroom_editor(django_user_model, "ana", "Ana")
    newsroom_editor(django_user_model, "marko", "Marko")
    article = ArticleFactory(title="Most na Savi")
    with reversion.create_revision():  # its history has begun, as every article saved through the form
        reversion.add_to_revision(article)

    ana_context, ana = open_change_form(browser, live_server, "ana", article)
    marko_context, marko = open_change_form(browser, live_server, "marko", article)
    marko.locator("#id_title").fill("Most na Savi otvoren")
    save(marko)
    expect(marko.locator(".messagelist .success")).to_be_visible()

    ana.locator("#id_lead").fill("Anin uvod.")
    save(ana)
    error = ana.locator("ul.errorlist.nonfield")
    expect(error).to_contain_text("Članak je u međuvremenu sačuvao/la Marko u ")
    compare = ana.get_by_role("link", name="Pogledajte razlike").get_attribute("href")
    assert compare.startswith(f"/admin/articles/article/{article.pk}/history/compare/?version_id1=")
    diff = ana_context.new_page()
    assert diff.goto(live_server.url + compare).status == 200
    expect(diff.locator("#content")).to_contain_text("Most na Savi otvoren")
    diff.close()
    expect(ana.locator("#id_lead")).to_have_value("Anin uvod.")
    assert Article.objects.get(pk=article.pk).title == "Most na Savi otvoren"

    save(ana)  # after looking: a deliberate overwrite
    expect(ana.locator(".messagelist .success")).to_be_visible()
    article.refresh_from_db()
    assert (article.title, article.lead) == ("Most na Savi", "Anin uvod.")
    ana_context.close()
    marko_context.close()


def clocked_change_form(browser, live_server, article):
    """The change form in a fresh browser whose clock moves only when the test moves it; caret in the body."""
    context = browser.new_context()
    page = context.new_page()
    page.clock.install()
    sign_in(page, live_server.url, "urednica", PASSWORD, f"/admin/articles/article/{article.pk}/change/")
    expect(page.locator("#id_title")).to_have_value(article.title)
    page.clock.pause_at(timezone.now() + timedelta(seconds=1))
    body_editor(page).click()
    page.keyboard.press("Control+End")
    return context, page


def test_typing_on_without_a_pause_is_still_kept_within_eight_seconds(
    browser, live_server, django_user_model
):
    newsroom_editor(django_user_model, "urednica")
    article = ArticleFactory(title="Most na Savi", body="<p>Radovi su počeli.</p>")
    context, page = clocked_change_form(browser, live_server, article)

    for word in ["Most", "će", "biti", "otvoren", "za", "saobraćaj", "u", "petak"]:
        page.keyboard.type(f" {word}")
        page.clock.run_for(1000)  # never the 2.5 s pause after which the script sends at once
    expect(page.get_by_role("status").filter(has_text="Automatski sačuvano u")).to_be_visible()
    context.close()

    kept = ArticleAutosave.objects.get().fields["body"]
    assert kept.startswith("<p>Radovi su počeli. Most će biti otvoren za saobraćaj u")


def test_without_a_connection_the_form_says_so_and_sends_again_on_the_next_tick(
    browser, live_server, django_user_model
):
    newsroom_editor(django_user_model, "urednica")
    article = ArticleFactory(title="Most na Savi", body="<p>Radovi su počeli.</p>")
    context, page = clocked_change_form(browser, live_server, article)
    status = page.get_by_role("status").filter(has_text="Nije sačuvano")

    context.set_offline(True)
    page.keyboard.type(" Most će biti otvoren")
    page.clock.run_for(3000)
    expect(status).to_have_text("Nije sačuvano: nema veze")
    assert not ArticleAutosave.objects.exists()

    context.set_offline(False)
    page.clock.run_for(8000)  # no keystroke since: the retry alone sends it
    expect(page.get_by_role("status").filter(has_text="Automatski sačuvano u")).to_be_visible()
    context.close()
    assert ArticleAutosave.objects.get().fields["body"] == "<p>Radovi su počeli. Most će biti otvoren</p>"


def test_leaving_the_page_before_the_next_tick_sends_what_was_typed(browser, live_server, django_user_model):
    newsroom_editor(django_user_model, "urednica")
    article = ArticleFactory(title="Most na Savi", body="<p>Radovi su počeli.</p>")
    context, page = clocked_change_form(browser, live_server, article)
    page.keyboard.type(" Most će")  # the clock stands: no timer has sent it

    page.goto(f"{live_server.url}/admin/articles/article/")  # the page hides and goes: a beacon is sent

    for _ in range(100):  # the beacon arrives on its own time: wait for the row, not for a fixed while
        if ArticleAutosave.objects.exists():
            break
        page.wait_for_timeout(100)
    context.close()
    assert ArticleAutosave.objects.get().fields["body"] == "<p>Radovi su počeli. Most će</p>"


def test_saving_the_form_sends_no_autosave_after_it(browser, live_server, django_user_model):
    """The save deletes the autosave; a beacon as the page goes must not bring it back."""
    newsroom_editor(django_user_model, "urednica")
    article = ArticleFactory(title="Most na Savi", body="<p>Radovi su počeli.</p>")
    context, page = clocked_change_form(browser, live_server, article)
    sent = []
    context.on("request", lambda request: "/autosave/" in request.url and sent.append(request.url))
    page.keyboard.type(" Most je otvoren.")  # unsent: the clock stands

    save(page)
    expect(page.locator(".messagelist .success")).to_be_visible()
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    expect(page.locator(".autosave-offer")).to_have_count(0)
    context.close()

    assert sent == []
    assert not ArticleAutosave.objects.exists()
    article.refresh_from_db()
    assert article.body == "<p>Radovi su počeli. Most je otvoren.</p>"


def test_restoring_empties_the_checkboxes_and_tags_that_were_empty_when_kept(
    browser, live_server, django_user_model
):
    """An unticked box and a list with nothing chosen post nothing, so the autosave has no entry for them."""
    user = newsroom_editor(django_user_model, "urednica")
    article = ArticleFactory(title="Most na Savi", comments_enabled=True, tags=[TagFactory(name="Grad")])
    ArticleAutosave.objects.create(
        user=user,
        article=article,
        fields={"title": "Most na Savi, bez oznaka"},
        saved_at=article.modified_at + timedelta(minutes=1),
    )

    context, page = open_change_form(browser, live_server, "urednica", article)
    expect(page.locator("#id_comments_enabled")).to_be_checked()
    page.get_by_role("button", name="Vrati nesačuvane izmene").click()

    expect(page.locator("#id_title")).to_have_value("Most na Savi, bez oznaka")
    expect(page.locator("#id_comments_enabled")).not_to_be_checked()
    expect(page.locator("#id_tags option:checked")).to_have_count(0)
    context.close()
