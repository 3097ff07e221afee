"""The writing desk in a real browser: layout on a desktop and a phone, publishing by keyboard alone."""

import pytest
from playwright.sync_api import expect

from articles.models import Article
from articles.tests.browser import open_new_article_form
from articles.tests.factories import SectionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
FOCUSED_ID = "() => document.activeElement && (document.activeElement.id || document.activeElement.className)"


def tab_until(page, matches, backwards=False, limit=80):
    """Presses Tab (or Shift+Tab) until the focused element matches the CSS selector ``matches``."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(limit):
        if page.evaluate("selector => document.activeElement.matches(selector)", matches):
            return
        page.keyboard.press(key)
    raise AssertionError(f"{matches} never got the focus; last: {page.evaluate(FOCUSED_ID)}")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_editor_writes_and_publishes_an_article_with_the_keyboard_alone(
    live_server, page, django_user_model, viewport
):
    SectionFactory(name="Kultura", slug="kultura")
    page.set_viewport_size(viewport)
    open_new_article_form(live_server, page, django_user_model)

    page.keyboard.type("Pozorište")
    page.keyboard.press("Tab")
    page.keyboard.type("Festival otvara Hamlet")
    tab_until(page, "#id_lead")
    page.keyboard.type("Deset predstava za deset dana.")
    tab_until(page, ".ProseMirror[contenteditable]")
    expect(page.locator(".ProseMirror[contenteditable]")).to_have_accessible_name("Tekst:")
    page.keyboard.type("Festival počinje večeras u osam.")
    # Text first, then the sidebar: the publishing buttons, then the section further down.
    tab_until(page, "button[value=draft]")
    tab_until(page, "#id_section")
    page.keyboard.press("ArrowDown")  # the first section
    expect(page.locator("#id_section")).to_have_value(str(SectionFactory(slug="kultura").pk))
    tab_until(page, "button[value=publish]", backwards=True)
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # the focus can be seen
    page.keyboard.press("Enter")

    expect(page.locator(".messagelist .success")).to_be_visible()
    expect(page.locator(".article-desk__state")).to_contain_text("Objavljeno")
    article = Article.objects.get()
    assert (article.title, article.status) == ("Festival otvara Hamlet", "published")
    assert "večeras u osam" in article.body


def test_desktop_layout_has_a_wide_headline_a_tall_editor_and_the_sidebar_to_the_right(
    live_server, page, django_user_model
):
    page.set_viewport_size(DESKTOP)
    open_new_article_form(live_server, page, django_user_model)
    title = page.locator("#id_title").bounding_box()
    main = page.locator(".article-desk__main").bounding_box()
    side = page.locator(".article-desk__side").bounding_box()
    editor = page.locator(".ProseMirror[contenteditable]").bounding_box()
    assert title["width"] >= 600
    assert side["x"] >= main["x"] + main["width"]
    assert editor["height"] >= 0.6 * DESKTOP["height"] - 1
    # The authors (the real inline formset) are in the sidebar, and SEO is folded away.
    expect(page.locator(".article-desk__side #articleauthor_set-group")).to_have_count(1)
    expect(page.locator("#id_seo_description")).to_be_hidden()
    # The editor grows with the text instead of scrolling inside itself.
    page.locator(".ProseMirror[contenteditable]").click()
    for _ in range(40):
        page.keyboard.type("Još jedan pasus teksta.")
        page.keyboard.press("Enter")
    grown = page.locator(".ProseMirror[contenteditable]").evaluate("e => [e.scrollHeight, e.clientHeight]")
    assert grown[0] <= grown[1] + 1


def test_phone_layout_is_one_column_with_nothing_cut_and_buttons_a_thumb_can_hit(
    live_server, page, django_user_model
):
    page.set_viewport_size(PHONE)
    open_new_article_form(live_server, page, django_user_model)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    main = page.locator(".article-desk__main").bounding_box()
    side = page.locator(".article-desk__side").bounding_box()
    assert side["y"] >= main["y"] + main["height"]  # below the text, not beside it
    for button in page.locator(".article-desk__button").all():
        assert button.bounding_box()["height"] >= 44
