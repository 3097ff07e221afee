from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Article
from articles.tests.browser import open_new_article_form
from articles.tests.factories import AuthorFactory, ImageFactory, SectionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_editor_writes_illustrates_and_schedules_an_article_that_appears_at_its_time(
    live_server, page, django_user_model, settings
):
    # Cached pages would outlive the wait below: only the cache's own scheduled-publication check, and the
    # published() filter, can make the article appear when its time comes.
    settings.PAGE_CACHE_SECONDS = 3600
    section = SectionFactory(name="Kultura", slug="kultura")
    AuthorFactory(name="Vesna Kovač")
    ImageFactory(caption="Pozornica pred festival", credit="Ana Ilić", alt_text="Prazna pozornica")

    open_new_article_form(live_server, page, django_user_model)

    page.locator("#id_title").press_sequentially("Pozorišni festival otvara se uz „Hamleta“")
    expect(page.locator("#id_title")).to_have_value("Pozorišni festival otvara se uz „Hamleta“")
    page.locator("#id_lead").fill("Deset predstava za deset dana.")
    body = page.locator(".field-body .ProseMirror:visible").first
    body.click()
    page.keyboard.type("Festival počinje ")
    page.keyboard.press("Control+b")
    page.keyboard.type("večeras u osam")
    page.keyboard.press("Control+b")
    page.keyboard.type(" na Velikoj sceni.")
    page.keyboard.press("Enter")
    page.keyboard.type("Ceo program je na sajtu")
    for _ in range(5):
        page.keyboard.press("Shift+ArrowLeft")
    page.get_by_title("link", exact=True).click()
    page.locator("dialog[open] input[name=href]").fill("https://example.org/program")
    page.locator("dialog[open] button[type=submit]").click()
    expect(page.locator("dialog[open]")).to_have_count(0)
    expect(body.locator("a[href='https://example.org/program']")).to_have_text("sajtu")
    # The dialog hands focus back to the editor a moment after closing, with "sajtu" selected again; only
    # then does the caret go to the end (pressing Enter over the selection would replace the link).
    expect(body).to_be_focused()
    page.keyboard.press("Control+End")
    # ProseMirror takes the browser's selection in on its own time; Enter must wait until it has.
    page.wait_for_function("editor => editor.editor.state.selection.empty", arg=body.element_handle())
    page.keyboard.press("Enter")
    expect(body.locator("a[href='https://example.org/program']")).to_have_text("sajtu")
    page.get_by_title("Fotografija iz biblioteke").click()
    page.locator(".library-photo-picker input").fill("Pozornica")
    page.get_by_role("button", name="Pozornica pred festival · Foto: Ana Ilić").click()

    page.locator("#id_section").select_option(label="Kultura")
    page.locator("#articleauthor_set-0 .select2-selection").click()
    page.keyboard.type("Vesna")
    page.locator(".select2-results__option", has_text="Vesna Kovač").click()
    publish_at = timezone.localtime(timezone.now() + timedelta(minutes=30)).replace(microsecond=0)
    page.locator("#id_published_at_0").fill(publish_at.strftime("%d.%m.%Y."))
    page.locator("#id_published_at_1").fill(publish_at.strftime("%H:%M:%S"))
    page.get_by_role("button", name="Zakaži objavu").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    expect(page.locator(".article-desk__state")).to_contain_text("Zakazano: objavljuje se")

    article = Article.objects.get()
    assert article.published_at == publish_at

    reader = page.context.browser.new_context().new_page()
    assert reader.goto(live_server.url + article.get_absolute_url()).status == 404
    reader.goto(live_server.url + section.get_absolute_url())
    expect(reader.get_by_text("Pozorišni festival otvara se uz „Hamleta“")).to_have_count(0)

    # The clock of this process, where the live server runs, moves to a second after the scheduled time.
    with time_machine.travel(publish_at + timedelta(seconds=1), tick=True):
        reader.reload()
        published_link = reader.get_by_role("link", name="Pozorišni festival otvara se uz „Hamleta“")
        published_link.first.click()
        expect(reader.locator(".article__body strong")).to_have_text("večeras u osam")
        expect(reader.locator(".article__body a[href='https://example.org/program']")).to_have_text("sajtu")
        figure = reader.locator(".article__body figure")
        expect(figure.locator("img")).to_be_visible()
        expect(figure.locator("figcaption")).to_contain_text("Pozornica pred festival")
        expect(figure.locator("figcaption")).to_contain_text("Foto: Ana Ilić")
        assert Article.objects.get().authors.get().name == "Vesna Kovač"


def test_editor_marks_a_foreign_phrase_that_cyrillic_pages_leave_in_latin(
    live_server, page, django_user_model
):
    SectionFactory(name="Svet", slug="svet")
    open_new_article_form(live_server, page, django_user_model)

    page.locator("#id_title").fill("Sloganom se završava kampanja")
    page.locator("#id_lead").fill("Kratak uvod.")
    body = page.locator(".field-body .ProseMirror:visible").first
    body.click()
    page.keyboard.type("Poruka je glasila make it happen")
    for _ in range(len("make it happen")):
        page.keyboard.press("Shift+ArrowLeft")
    page.once("dialog", lambda dialog: dialog.accept("en"))
    page.get_by_title("Strani jezik", exact=True).click()
    expect(body.locator("span[lang=en]")).to_have_text("make it happen")
    page.locator("#id_section").select_option(label="Svet")
    page.get_by_role("button", name="Objavi odmah").click()
    expect(page.locator(".messagelist .success")).to_be_visible()

    article = Article.objects.get(title="Sloganom se završava kampanja")
    assert '<span lang="en">make it happen</span>' in article.body
    page.goto(live_server.url + "/cir" + article.get_absolute_url())
    expect(page.locator(".article__body")).to_contain_text("Порука је гласила make it happen")
