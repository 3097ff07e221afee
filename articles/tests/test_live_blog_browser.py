"""A reader watching a live blog: a new entry appears on top without a reload, announced politely, on a phone
and a desktop, in Latin and in Cyrillic; a hidden tab does not poll; the end of coverage stops the polling."""

import pytest
from playwright.sync_api import expect

from articles import live
from articles.models import LiveEntry
from articles.tests.factories import ArticleFactory, SectionFactory
from config.tests.test_csp_browser import complaints  # noqa: F401 (CSP reports and uncaught errors)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}

WORDS = {
    "latin": {
        "prefix": "",
        "badge": "UŽIVO",
        "first": "Birališta su zatvorena u 20 časova.",
        "new": "Prvi rezultati: izlaznost 58 odsto.",
        "news": "1 novi unos",
    },
    "cyrillic": {
        "prefix": "/cir",
        "badge": "УЖИВО",
        "first": "Биралишта су затворена у 20 часова.",
        "new": "Први резултати: излазност 58 одсто.",
        "news": "1 нови унос",
    },
}


def add_entry(article, text):
    entry = LiveEntry(article=article, text=text)
    live.save_entry(entry)
    return entry


@pytest.fixture
def quick_polls(monkeypatch):
    """Polls every second instead of every 20 (the page says so in data-live-interval)."""
    monkeypatch.setattr(live, "POLL_SECONDS", 1)


@pytest.mark.usefixtures("quick_polls")
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("script", ["latin", "cyrillic"])
def test_a_new_entry_appears_on_top_without_a_reload(live_server, page, request, viewport, script):
    reported = request.getfixturevalue("complaints")
    words = WORDS[script]
    page.set_viewport_size(viewport)
    blog = ArticleFactory(
        section=SectionFactory(name="Politika", slug="politika"),
        title="Izborna noć uživo",
        is_live_blog=True,
        live_summary="Pratimo izbore iz minuta u minut.",
    )
    first = add_entry(blog, "Birališta su zatvorena u 20 časova.")
    polls = []
    page.on("request", lambda sent: "/uzivo/" in sent.url and polls.append(sent.url))
    page.goto(live_server.url + words["prefix"] + blog.get_absolute_url())
    expect(page.locator(".live-badge")).to_have_text(words["badge"])
    expect(page.locator(f"#unos-{first.pk}")).to_contain_text(words["first"])
    page.evaluate("() => { window.notReloaded = true; }")
    focused = page.evaluate("() => document.activeElement.tagName")

    entry = add_entry(blog, "Prvi rezultati: izlaznost 58 odsto.")
    shown = page.locator(f"#unos-{entry.pk}")
    expect(shown).to_contain_text(words["new"], timeout=15_000)
    expect(page.locator(".live-entry").first).to_have_id(f"unos-{entry.pk}")  # newest on top
    expect(page.locator(".live__news")).to_have_text(words["news"])
    expect(page.locator(".live__news")).to_have_attribute("aria-live", "polite")
    assert page.evaluate("() => window.notReloaded") is True
    assert page.evaluate("() => document.activeElement.tagName") == focused  # focus stays where it was
    assert all(f"/cir/uzivo/{blog.pk}/" in url for url in polls) == (script == "cyrillic"), polls
    assert shown.bounding_box()["width"] <= viewport["width"]
    assert not reported, reported


@pytest.mark.usefixtures("quick_polls")
def test_a_hidden_tab_does_not_poll_and_the_end_of_coverage_stops_polling(live_server, page):
    page.set_viewport_size(DESKTOP)
    blog = ArticleFactory(title="Maraton uživo", is_live_blog=True)
    add_entry(blog, "Start je u 20 časova.")
    polls = []
    page.on("request", lambda sent: "/uzivo/" in sent.url and polls.append(sent.url))
    page.goto(live_server.url + blog.get_absolute_url())
    page.wait_for_function("() => document.querySelector('.live[data-live-url]') !== null")
    page.wait_for_timeout(2_500)
    assert polls, "the visible page polls"

    page.evaluate(
        """() => {
        Object.defineProperty(document, "hidden", {configurable: true, get: () => true});
        document.dispatchEvent(new Event("visibilitychange"));
    }"""
    )
    page.wait_for_timeout(500)  # a poll already on its way may still land
    polls.clear()
    hidden_entry = add_entry(blog, "Trkači su na petom kilometru.")
    page.wait_for_timeout(3_000)
    assert polls == []
    expect(page.locator(f"#unos-{hidden_entry.pk}")).to_have_count(0)

    page.evaluate(
        """() => {
        Object.defineProperty(document, "hidden", {configurable: true, get: () => false});
        document.dispatchEvent(new Event("visibilitychange"));
    }"""
    )
    expect(page.locator(f"#unos-{hidden_entry.pk}")).to_be_visible(timeout=10_000)

    live.end_coverage(blog)
    page.wait_for_function("() => !document.querySelector('.live').hasAttribute('data-live-url')")
    polls.clear()
    page.wait_for_timeout(2_500)
    assert polls == []
