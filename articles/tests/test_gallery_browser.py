"""A gallery as readers browse it, on a phone and a desktop, in both scripts: buttons, arrow keys and swipes
move one photo at a time with a counter; photos are fetched only when shown or next to the one shown; without
JavaScript the gallery is a plain list of numbered, captioned figures."""

import re

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import expect

from articles.models import Image
from articles.tests.factories import ArticleFactory, GalleryFactory, ImageFactory, jpeg_bytes
from config.tests.test_csp_browser import complaints  # noqa: F401 (CSP reports and uncaught errors)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHOTOS = 10
SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 900}}
# (path prefix, how the counter's neighbours and captions read in that script)
SCRIPTS = {
    "latin": ("", "Čamac broj {n} na reci", "Sledeća fotografija", "Prethodna fotografija"),
    "cyrillic": ("/cir", "Чамац број {n} на реци", "Следећа фотографија", "Претходна фотографија"),
}


def stem(n):
    return f"g{n:02d}-reka"


@pytest.fixture
def gallery_article():
    photos = [
        ImageFactory(
            file=ContentFile(jpeg_bytes(color=(20 * n, 90, 140)), name=f"{stem(n)}.jpg"),
            caption=f"Čamac broj {n} na reci",
            credit="EPA-EFE/KCNA" if n == 1 else f"Fotograf {n}",
            restriction=Image.Restriction.EDITORIAL if n == 1 else "",
        )
        for n in range(1, PHOTOS + 1)
    ]
    return ArticleFactory(
        title="Reka u deset slika", lead_gallery=GalleryFactory(title="Reka", images=photos)
    )


def fetched_photos(requests):
    """Which gallery photos (numbers) the browser has asked for so far."""
    return {n for n in range(1, PHOTOS + 1) for url in requests if f"/{stem(n)}" in url}


def swipe(page, target, dx):
    box = target.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + dx, y + 5, steps=8)
    page.mouse.up()


@pytest.mark.parametrize("script", SCRIPTS, ids=SCRIPTS.keys())
@pytest.mark.parametrize("size", SIZES, ids=SIZES.keys())
def test_reader_browses_a_gallery_by_buttons_keys_and_swipes(
    live_server, page, gallery_article, request, size, script
):
    reported = request.getfixturevalue("complaints")
    prefix, caption, next_label, previous_label = SCRIPTS[script]
    page.set_viewport_size(SIZES[size])
    requests = []
    page.on("request", lambda sent: requests.append(sent.url))
    page.goto(live_server.url + prefix + gallery_article.get_absolute_url())

    gallery = page.locator("[data-gallery]")
    counter = gallery.locator(".gallery__counter")
    expect(counter).to_have_text(f"1 / {PHOTOS}")
    expect(counter).to_have_attribute("aria-live", "polite")
    shown = gallery.locator(".gallery__item:visible")
    expect(shown).to_have_count(1)
    expect(shown).to_contain_text(caption.format(n=1))
    expect(shown).to_contain_text(re.compile("Foto: EPA-EFE/KCNA|Фото: "))  # agency wording: not ours
    page.wait_for_load_state("load")
    # The first photo and the next one only; the rest wait for the reader.
    assert fetched_photos(requests) <= {1, 2} and 1 in fetched_photos(requests)

    next_button = gallery.get_by_role("button", name=next_label, include_hidden=True)
    previous_button = gallery.get_by_role("button", name=previous_label, include_hidden=True)
    expect(previous_button).to_be_disabled()
    next_button.click()
    expect(counter).to_have_text(f"2 / {PHOTOS}")
    expect(shown).to_contain_text(caption.format(n=2))
    expect(previous_button).to_be_enabled()
    # Turning to the second photo asks for the third (its new neighbour), and no further.
    expect(gallery.locator(".gallery__item img").nth(2)).to_have_js_property("loading", "eager")
    assert fetched_photos(requests) <= {1, 2, 3}

    # Arrow keys while the gallery (or a button in it) has the focus.
    gallery.focus()
    page.keyboard.press("ArrowRight")
    expect(counter).to_have_text(f"3 / {PHOTOS}")
    page.keyboard.press("ArrowLeft")
    expect(counter).to_have_text(f"2 / {PHOTOS}")

    # A swipe to the left is the next photo, to the right the previous one; a short drag is nothing.
    swipe(page, shown, -160)
    expect(counter).to_have_text(f"3 / {PHOTOS}")
    expect(shown).to_contain_text(caption.format(n=3))
    swipe(page, shown, 160)
    expect(counter).to_have_text(f"2 / {PHOTOS}")
    swipe(page, shown, -12)
    expect(counter).to_have_text(f"2 / {PHOTOS}")

    # To the end: the last photo has no next one, and the focus stays in the gallery.
    for n in range(3, PHOTOS + 1):
        next_button.click()
        expect(counter).to_have_text(f"{n} / {PHOTOS}")
    expect(next_button).to_be_disabled()
    expect(previous_button).to_be_focused()
    page.keyboard.press("ArrowRight")
    expect(counter).to_have_text(f"{PHOTOS} / {PHOTOS}")
    assert fetched_photos(requests) == set(range(1, PHOTOS + 1))
    assert reported == []


@pytest.mark.parametrize("script", SCRIPTS, ids=SCRIPTS.keys())
@pytest.mark.parametrize("size", SIZES, ids=SIZES.keys())
def test_without_javascript_the_gallery_is_a_list_of_numbered_captioned_figures(
    live_server, browser, gallery_article, size, script
):
    prefix, caption, next_label, _previous = SCRIPTS[script]
    context = browser.new_context(viewport=SIZES[size], java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + prefix + gallery_article.get_absolute_url())

    figures = page.locator("[data-gallery] .gallery__item figure")
    expect(figures).to_have_count(PHOTOS)
    for n in range(1, PHOTOS + 1):
        figure = figures.nth(n - 1)
        expect(figure.get_by_role("img")).to_be_visible()
        expect(figure.locator("figcaption")).to_contain_text(re.compile(rf"^\s*{n} / {PHOTOS}\s"))
        expect(figure.locator("figcaption")).to_contain_text(caption.format(n=n))
    expect(figures.first.locator("figcaption")).to_contain_text(re.compile("Foto: EPA-EFE/KCNA|Фото: "))
    expect(page.get_by_role("button", name=next_label)).to_have_count(0)  # hidden: nothing to press
    # Browsers load every photo at once when scripts are off (lazy loading needs scripting, by the HTML
    # standard: it could track scrolling); with them on, see the test above.
    context.close()
