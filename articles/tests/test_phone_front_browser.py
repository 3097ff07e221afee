"""The front page on a phone (390 × 844) and, for comparison, on a desktop (1366 px): what a reader sees
before the lead story, how far the fifth story is, touch targets, the search icon, the menu, the end."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from playwright.sync_api import expect

from articles.renditions import generate_renditions
from articles.tests.factories import ArticleFactory, ImageFactory, SectionFactory, jpeg_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
SHOTS = Path("/tmp/shots-b")
SECTIONS = ["Politika", "Ekonomija", "Društvo", "Kultura", "Sport", "Svet", "Zdravlje", "Tehnologija"]
TOPICS = [
    "Gradsko veće usvojilo plan mreže biciklističkih staza kroz centar",
    "Zadruga povrtara otvorila sopstvenu tezgu na gradskoj pijaci",
    "Voćari grade zajedničku hladnjaču kako bi malinu prodavali bez posrednika",
    "Biblioteka digitalizovala sedam decenija lokalnog lista",
]


@pytest.fixture
def front_page():
    """Eight sections of four stories each, with photos; the newest stories' photos have real renditions."""
    now = timezone.now()
    stories = []
    for position, name in enumerate(SECTIONS):
        section = SectionFactory(name=name, slug=name.lower().replace("š", "s"), position=position)
        for number, topic in enumerate(TOPICS):
            # The lead and the top stories: photos as large as the newsroom's.
            big = ContentFile(jpeg_bytes(1600, 1000), name="velika.jpg")
            photo = ImageFactory(file=big) if len(stories) < 6 else None
            stories.append(
                ArticleFactory(
                    section=section,
                    title=f"{topic} ({name}, {number + 1})",
                    published_at=now - timedelta(minutes=10 + 7 * len(stories)),
                    hero_image=photo or ImageFactory(),
                    is_lead=not stories,
                )
            )
            if photo:
                generate_renditions(photo)
    return stories


def open_front(page, live_server, path="/", viewport=PHONE):
    page.set_viewport_size(viewport)
    page.goto(live_server.url + path)
    expect(page.locator("main .article-card").first).to_be_visible()


@pytest.mark.parametrize("path", ["/", "/cir/"])
def test_the_fifth_story_starts_within_two_screen_heights_on_a_phone(live_server, page, front_page, path):
    open_front(page, live_server, path)
    fifth = page.locator("main .article-card").nth(4)
    top = fifth.evaluate("card => card.getBoundingClientRect().top + window.scrollY")
    assert top < 2 * PHONE["height"], top
    # Before the lead story: one masthead row and the section menu, not screens of chrome.
    lead_top = page.locator("main .article-card").first.evaluate("card => card.getBoundingClientRect().top")
    assert lead_top < 200, lead_top
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SHOTS / f"phone-front{path.replace('/', '-')}.png")


HEIGHTS = """() => [...document.querySelectorAll("header a, header button, main a, main button")]
    .filter(element => element.getClientRects().length && getComputedStyle(element).visibility !== "hidden")
    .map(element => [element.getBoundingClientRect().height, element.outerHTML.slice(0, 120)])"""


@pytest.mark.parametrize("path", ["/", "/cir/"])
def test_every_link_and_button_on_the_phone_front_page_is_at_least_44_px_tall(
    live_server, page, front_page, path
):
    open_front(page, live_server, path)
    # Opened, so that the form's button is measured too.
    page.get_by_role("button", name=re.compile("Pretraga|Претрага")).click()
    heights = page.evaluate(HEIGHTS)
    assert len(heights) > 60  # the masthead, the menu, the cards, the lists
    too_small = [(height, html) for height, html in heights if height < 43.99]
    assert not too_small, too_small


def test_the_search_icon_opens_the_search_form_and_puts_the_cursor_in_it(live_server, page, front_page):
    open_front(page, live_server)
    field = page.get_by_role("searchbox", name="Pretraga sajta")
    expect(field).to_be_hidden()
    icon = page.get_by_role("button", name="Pretraga")
    expect(icon).to_have_attribute("aria-expanded", "false")
    icon.click()
    expect(icon).to_have_attribute("aria-expanded", "true")
    expect(field).to_be_focused()
    field.fill("hladnjacu")
    field.press("Enter")
    expect(page).to_have_url(re.compile(r"/pretraga/\?q=hladnjacu$"))
    expect(page.locator(".article-card").first).to_contain_text("hladnjaču")


def test_without_javascript_the_search_icon_is_a_link_to_the_search_page(live_server, browser, front_page):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    page.goto(live_server.url + "/")
    expect(page.get_by_role("searchbox", name="Pretraga sajta")).to_be_hidden()
    expect(page.get_by_role("button", name="Pretraga")).to_have_count(0)
    page.get_by_role("link", name="Pretraga", exact=True).click()
    expect(page).to_have_url(live_server.url + "/pretraga/")
    context.close()


def test_the_script_switch_stays_in_the_masthead_row_on_a_phone(live_server, page, front_page):
    open_front(page, live_server)
    name = page.locator(".masthead__name").bounding_box()
    switch = page.get_by_role("navigation", name="Pismo").get_by_role("link", name="Ćirilica")
    icon = page.get_by_role("button", name="Pretraga").bounding_box()
    box = switch.bounding_box()
    assert abs(box["y"] - name["y"]) < 10 and abs(icon["y"] - name["y"]) < 10  # one row
    switch.click()
    expect(page).to_have_url(live_server.url + "/cir/")


@pytest.mark.parametrize("width", [360, 375, 390])
@pytest.mark.parametrize("path", ["/", "/cir/"], ids=["latin", "cyrillic"])
def test_the_masthead_row_fits_narrow_phones_in_both_scripts(live_server, page, front_page, path, width):
    """The Cyrillic name is wider than the Latin: at 375 px the search icon once pushed the page sideways."""
    open_front(page, live_server, path, {"width": width, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    icon = page.locator(".masthead__search--toggle").bounding_box()  # the link stands in without JavaScript
    assert icon["x"] + icon["width"] <= width and icon["height"] >= 44


def test_the_section_menu_scrolls_sideways_and_shows_that_it_does(live_server, page, front_page):
    open_front(page, live_server)
    menu = page.get_by_role("navigation", name="Rubrike").locator("ul")
    widths = menu.evaluate("list => [list.scrollWidth, list.clientWidth]")
    assert widths[0] > widths[1] + 100, widths
    last = page.get_by_role("navigation", name="Rubrike").get_by_role("link", name="Arhiva")
    expect(last).not_to_be_in_viewport()
    # A link cut by the edge, and a shadow over that edge, say there is more.
    cut = menu.evaluate(
        """list => [...list.querySelectorAll("a")].some(link => {
            const box = link.getBoundingClientRect();
            return box.left < window.innerWidth && box.right > window.innerWidth;
        })"""
    )
    assert cut
    assert menu.evaluate("list => getComputedStyle(list).backgroundImage").count("linear-gradient") == 4
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # only the menu scrolls
    last.scroll_into_view_if_needed()
    expect(last).to_be_in_viewport()
    assert page.evaluate("window.scrollX") == 0


# The width of the rendition the browser chose, read off the srcset entry it loaded.
RENDITION_WIDTH = """img => {
    const source = img.parentElement.querySelector("source");
    const entries = (source ? source.srcset : img.srcset).split(",").map(entry => entry.trim().split(" "));
    const loaded = entries.find(([url]) => img.currentSrc.endsWith(url));
    return loaded ? parseInt(loaded[1]) : null;
}"""


def test_secondary_stories_are_compact_rows_with_small_photos(live_server, browser, front_page):
    context = browser.new_context(viewport=PHONE, device_scale_factor=3)
    page = context.new_page()
    open_front(page, live_server)
    story = page.locator(".front-stories .article-card").first
    photo = story.locator("img")
    expect(photo).to_have_js_property("complete", True)
    photo_box, title_box = photo.bounding_box(), story.locator("h3").bounding_box()
    assert photo_box["width"] <= 120 and title_box["x"] >= photo_box["x"] + photo_box["width"] + 8  # beside
    # Three device pixels per CSS pixel: a 7rem photo needs the smallest rendition, the full-width lead more.
    assert photo.evaluate(RENDITION_WIDTH) == 480
    lead = page.locator(".front-lead img")
    expect(lead).to_have_js_property("complete", True)
    assert lead.evaluate(RENDITION_WIDTH) >= 1200
    section_story = page.locator(".section-block .article-card").first
    section_story.scroll_into_view_if_needed()
    block_photo = section_story.locator("picture").bounding_box()
    assert block_photo["width"] <= 120
    context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_jumping_to_the_end_leaves_no_blank_screen_and_barely_moves_the_page(
    live_server, page, front_page, viewport
):
    open_front(page, live_server, viewport=viewport)
    before = page.evaluate("document.documentElement.scrollHeight")
    page.keyboard.press("End")
    page.wait_for_timeout(500)  # the blocks near the end laid out (the CSP forbids wait_for_function)
    assert page.evaluate("window.scrollY") > 0
    after = page.evaluate("document.documentElement.scrollHeight")
    assert abs(after - before) <= before * 0.1, (before, after)
    # What the reader lands on is drawn: the last section's stories are on the screen.
    expect(page.locator(".section-block").last.locator(".article-card").last).to_be_in_viewport()


def test_the_desktop_front_page_keeps_its_layout(live_server, page, front_page):
    open_front(page, live_server, viewport=DESKTOP)
    expect(page.get_by_role("searchbox", name="Pretraga sajta")).to_be_visible()
    expect(page.get_by_role("button", name="Pretraga")).to_be_hidden()
    expect(page.get_by_role("link", name="Pretraga", exact=True)).to_be_hidden()
    name = page.locator(".masthead__name").bounding_box()
    assert abs(name["x"] + name["width"] / 2 - DESKTOP["width"] / 2) < 20  # centred, as before
    lead = page.locator(".front-lead").bounding_box()
    stories = page.locator(".front-stories").bounding_box()
    assert stories["x"] > lead["x"] + lead["width"] - 1 and abs(stories["y"] - lead["y"]) < 5  # side by side
    links = page.get_by_role("navigation", name="Rubrike").get_by_role("link")
    tops = {round(box["y"]) for box in (links.nth(i).bounding_box() for i in range(links.count()))}
    assert len(tops) == 1  # one row of sections, none hidden
    assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SHOTS / "desktop-front.png")
