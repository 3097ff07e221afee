"""The focal point as an editor sets it: a click on the photo, the arrow keys, and the card crop following."""

import pytest
from playwright.sync_api import expect

from articles.models import Image
from articles.tests.browser import (
    EDITOR_PASSWORD,
    card_image_url,
    newsroom_editor,
    open_photo_form,
    set_focal_point,
    sign_in,
)
from articles.tests.factories import ArticleFactory
from articles.tests.test_focal_point import BLUE, RED, opened, photo
from config.tests.test_csp_browser import complaints  # noqa: F401 (CSP reports and uncaught errors)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


def colour_at_left(url, live_server_url):
    picture = opened(url.removeprefix(live_server_url)).convert("RGB")
    return picture.getpixel((3, picture.height // 2))


def near(colour, expected):
    return all(abs(a - b) < 40 for a, b in zip(colour, expected, strict=True))


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_editor_clicks_a_focal_point_and_the_front_page_card_crop_follows(
    live_server, page, django_user_model, request, viewport
):
    reported = request.getfixturevalue("complaints")
    page.set_viewport_size(viewport)
    image = photo(4000, 1000)  # red on the left half, blue on the right
    article = ArticleFactory(hero_image=image, title="Most na reci dobija novu rasvetu")
    newsroom_editor(django_user_model, "urednica")
    sign_in(page, live_server.url, "urednica", EDITOR_PASSWORD, "/")

    before = card_image_url(page, article)
    assert "/16x10-0500-0500-" in before

    x, y = set_focal_point(page, image.pk, 0.9, 0.4)  # near the right side
    assert x == pytest.approx(0.9, abs=0.02) and y == pytest.approx(0.4, abs=0.02)
    image.refresh_from_db()
    assert (image.focal_x, image.focal_y) == (x, y)
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]

    after = card_image_url(page, article)
    assert after != before
    assert f"/16x10-{round(x * 1000):04d}-{round(y * 1000):04d}-" in after
    assert near(colour_at_left(before, live_server.url), RED)  # the centred crop starts on the red half
    assert near(colour_at_left(after, live_server.url), BLUE)  # the moved one shows only the right side

    x, y = set_focal_point(page, image.pk, 0.05, 0.5)  # and back to the left
    assert near(colour_at_left(card_image_url(page, article), live_server.url), RED)
    assert reported == []


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_editor_moves_the_focal_point_with_the_arrow_keys(
    live_server, page, django_user_model, request, viewport
):
    reported = request.getfixturevalue("complaints")
    page.set_viewport_size(viewport)
    image = photo(2000, 1000, focal_x=0.5, focal_y=0.5)
    newsroom_editor(django_user_model, "urednica")
    sign_in(page, live_server.url, "urednica", EDITOR_PASSWORD, "/admin/")

    photo_widget = open_photo_form(page, image.pk)
    focal_x, focal_y = page.locator("#id_focal_x"), page.locator("#id_focal_y")
    card_preview = page.locator(".focal-point__crop--16x10 img")
    src_before = card_preview.get_attribute("src")

    photo_widget.focus()
    expect(photo_widget).to_be_focused()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    expect(focal_x).to_have_value("0.52")
    page.keyboard.press("Shift+ArrowUp")
    expect(focal_y).to_have_value("0.4")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowDown")
    expect(focal_x).to_have_value("0.51")
    expect(focal_y).to_have_value("0.41")
    expect(photo_widget).to_have_attribute("aria-valuetext", "vodoravno 51 %, uspravno 41 %")
    for _ in range(12):  # never past the edge
        page.keyboard.press("Shift+ArrowRight")
    expect(focal_x).to_have_value("1")
    # The previews are redrawn from the photo by the server's rule as the point moves.
    assert card_preview.get_attribute("src") != src_before
    assert card_preview.evaluate("img => img.style.left") == "-25%"  # 2000 × 1000: the 1600 box at 400

    # The number inputs drive the marker too, and the form saves what they hold.
    focal_y.fill("0.9")
    expect(photo_widget).to_have_attribute("aria-valuetext", "vodoravno 100 %, uspravno 90 %")
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    image = Image.objects.get(pk=image.pk)
    assert (image.focal_x, image.focal_y) == (1.0, 0.9)
    assert reported == []
