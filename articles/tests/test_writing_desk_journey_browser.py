"""The writing desk's whole day in one journey, on a phone and on a desktop.

An editor writes an article with two library photos, loses the browser mid-sentence, gets the text back in a
fresh browser, saves; a second editor saves in between; the first editor's scheduling is caught as a conflict,
saved again after looking, and a reader sees the article at its time and not before.
"""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Article, ArticleAutosave
from articles.tests.browser import EDITOR_PASSWORD as PASSWORD
from articles.tests.browser import newsroom_editor, save, sign_in
from articles.tests.factories import ImageFactory, SectionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
# The autosave waits 2.5 s after the last keystroke; a loaded machine may take a while longer.
AUTOSAVE_WAIT_MS = 15000


def desk(browser, live_server, viewport, username, path):
    """A fresh browser (no cookies, no storage) signed in as ``username`` on ``path`` of the admin."""
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    sign_in(page, live_server.url, username, PASSWORD, path)
    expect(page.locator("#id_title")).to_be_visible()
    return context, page


def body_editor(page):
    return page.locator(".field-body .ProseMirror:visible").first


def insert_library_photo(page, words, name):
    page.get_by_title("Fotografija iz biblioteke").click()
    page.locator(".library-photo-picker input").fill(words)
    page.get_by_role("button", name=name).click()
    expect(page.locator("dialog[open]")).to_have_count(0)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_an_article_written_restored_after_a_crash_caught_in_a_conflict_and_scheduled_reaches_readers(
    browser, live_server, django_user_model, settings, viewport
):
    settings.PAGE_CACHE_SECONDS = 3600  # only the schedule itself may bring the article to readers
    section = SectionFactory(name="Kultura", slug="kultura")
    stage = ImageFactory(caption="Pozornica pred festival", credit="Ana Ilić", alt_text="Prazna pozornica")
    actors = ImageFactory(caption="Glumci na probi", credit="Marko Marić", alt_text="Glumci u kostimima")
    newsroom_editor(django_user_model, "ana", "Ana")
    newsroom_editor(django_user_model, "marko", "Marko")
    add_path = "/admin/articles/article/add/"

    # Ana writes: headline, lead, section, a paragraph, two photos, and the browser dies mid-sentence.
    context, page = desk(browser, live_server, viewport, "ana", add_path)
    expect(page.locator("#id_kicker")).to_be_focused()  # Django's own focus move is over before typing
    page.locator("#id_title").fill("Festival otvara „Hamlet“ na Velikoj sceni")
    page.locator("#id_lead").fill("Deset predstava za deset dana.")
    page.locator("#id_section").select_option(label="Kultura")
    body = body_editor(page)
    body.click()
    page.keyboard.type("Festival počinje večeras u osam.")
    insert_library_photo(page, "Pozornica", "Pozornica pred festival · Foto: Ana Ilić")
    insert_library_photo(page, "probi", "Glumci na probi · Foto: Marko Marić")
    page.keyboard.type("Glumci su probali do kasno u no")
    expect(page.get_by_role("status").filter(has_text="Automatski sačuvano u")).to_be_visible(
        timeout=AUTOSAVE_WAIT_MS
    )
    context.close()
    assert not Article.objects.exists()  # an autosave is never the article

    # In a fresh browser the add form offers the text back, photos and all.
    context, page = desk(browser, live_server, viewport, "ana", add_path)
    page.get_by_role("button", name="Vrati nesačuvane izmene").click()
    body = body_editor(page)
    expect(body).to_contain_text("Glumci su probali do kasno u no")
    expect(body.locator("figure.library-photo")).to_have_count(2)
    expect(page.locator("#id_title")).to_have_value("Festival otvara „Hamlet“ na Velikoj sceni")
    # The caret to the end of the text, where the sentence broke off (as a click after its last letter would).
    body.evaluate("e => e.editor.commands.focus('end')")
    expect(body).to_be_focused()
    page.keyboard.type("ći.")
    page.get_by_role("button", name="Sačuvaj nacrt").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    expect(page.locator(".article-desk__state")).to_contain_text("Nacrt")
    article = Article.objects.get()
    assert article.body == (
        "<p>Festival počinje večeras u osam.</p>"
        f'<figure data-image-id="{stage.pk}"></figure><figure data-image-id="{actors.pk}"></figure>'
        "<p>Glumci su probali do kasno u noći.</p>"
    )
    assert not ArticleAutosave.objects.exists()

    # Marko corrects the headline while Ana still has the form open.
    marko_context, marko = desk(
        browser, live_server, viewport, "marko", f"/admin/articles/article/{article.pk}/change/"
    )
    marko.locator("#id_title").fill("Festival otvara „Hamlet“")
    save(marko)
    expect(marko.locator(".messagelist .success")).to_be_visible()
    marko_context.close()

    # Ana schedules: her save is stopped and tells her whose save came between, then goes through.
    publish_at = timezone.localtime(timezone.now() + timedelta(minutes=30)).replace(second=0, microsecond=0)
    page.locator("#id_published_at_0").fill(publish_at.strftime("%d.%m.%Y."))
    page.locator("#id_published_at_1").fill(publish_at.strftime("%H:%M:%S"))
    page.get_by_role("button", name="Zakaži objavu").click()
    expect(page.locator("ul.errorlist.nonfield")).to_contain_text(
        "Članak je u međuvremenu sačuvao/la Marko u "
    )
    expect(page.get_by_role("link", name="Pogledajte razlike")).to_be_visible()
    assert Article.objects.get().status == Article.Status.DRAFT
    page.get_by_role("button", name="Zakaži objavu").click()  # after looking: a deliberate overwrite
    expect(page.locator(".messagelist .success")).to_be_visible()
    expect(page.locator(".article-desk__state")).to_contain_text("Zakazano: objavljuje se u ")
    article.refresh_from_db()
    assert (article.status, article.published_at) == (Article.Status.PUBLISHED, publish_at)
    assert article.title == "Festival otvara „Hamlet“ na Velikoj sceni"
    context.close()

    # A reader: nothing before its time; at its time the article with both photos, with no save by anyone.
    reader_context = browser.new_context(viewport=viewport)
    reader = reader_context.new_page()
    assert reader.goto(live_server.url + article.get_absolute_url()).status == 404
    reader.goto(live_server.url + section.get_absolute_url())
    expect(reader.get_by_text("Festival otvara „Hamlet“ na Velikoj sceni")).to_have_count(0)
    with time_machine.travel(publish_at + timedelta(seconds=1), tick=True):
        reader.reload()
        expect(reader.get_by_role("link", name="Festival otvara „Hamlet“ na Velikoj sceni")).to_be_visible()
        assert reader.goto(live_server.url + article.get_absolute_url()).status == 200
        expect(reader.get_by_role("heading", level=1)).to_have_text(
            "Festival otvara „Hamlet“ na Velikoj sceni"
        )
        expect(reader.get_by_role("img", name="Prazna pozornica")).to_be_visible()
        expect(reader.get_by_role("img", name="Glumci u kostimima")).to_be_visible()
        expect(reader.locator("article")).to_contain_text("Glumci su probali do kasno u noći.")
    reader_context.close()
