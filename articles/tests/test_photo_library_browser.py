"""The photo library as an editor uses it: bulk upload of three photos, details on one screen, the grid, and a
focal point that the front page's card crop follows."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from articles.models import Image
from articles.tests.browser import (
    EDITOR_PASSWORD,
    bulk_upload,
    card_image_url,
    describe_batch,
    newsroom_editor,
    photo_files,
    set_focal_point,
    sign_in,
)
from articles.tests.factories import ArticleFactory, jpeg_bytes
from articles.uploads import NOT_A_PHOTO
from config.tests.test_csp_browser import complaints  # noqa: F401 (CSP reports and uncaught errors)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 900}}


@pytest.mark.parametrize("size", SIZES, ids=str)
def test_editor_bulk_uploads_three_photos_describes_them_and_the_card_crop_follows_a_focal_point(
    live_server, page, django_user_model, tmp_path, request, size
):
    reported = request.getfixturevalue("complaints")
    page.set_viewport_size(SIZES[size])
    newsroom_editor(django_user_model, "urednica")
    sign_in(page, live_server.url, "urednica", EDITOR_PASSWORD)

    ids = bulk_upload(page, live_server.url, photo_files(tmp_path, 3))
    assert len(ids) == 3
    assert Image.objects.awaiting_details().count() == 3

    alt_texts = ["Most na Savi u svitanje", "Kalemegdan pod snegom", "Tramvaj na Slaviji"]
    describe_batch(page, alt_texts, credit="Ana Ilić")

    tiles = page.locator("tr.photo-library__tile")
    expect(tiles).to_have_count(3)
    for alt_text in alt_texts:
        expect(tiles.filter(has_text=alt_text)).to_have_count(1)
    expect(tiles.filter(has_text="Foto: Ana Ilić")).to_have_count(3)
    expect(tiles.filter(has_text="čeka opis")).to_have_count(0)
    expect(tiles.first.locator("img.photo-tile__thumb")).to_be_visible()
    assert (
        tiles.first.locator("img.photo-tile__thumb").evaluate(
            "img => img.decode().then(() => img.naturalWidth)"
        )
        > 0
    )
    assert sorted(Image.objects.values_list("alt_text", "credit", "awaiting_details")) == sorted(
        (alt_text, "Ana Ilić", False) for alt_text in alt_texts
    )
    # Selecting a tile still works as in any admin list: the actions bar counts it.
    tiles.first.locator("input.action-select").check()
    expect(page.locator(".action-counter")).to_contain_text("1")
    # Nothing overflows the page sideways, on a phone either.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    # The first photo leads a published story; the editor moves its focal point to the bottom, and the front
    # page's card is cut again around it.
    article = ArticleFactory(hero_image=Image.objects.get(pk=ids[0]), title="Novi most preko Save")
    before = card_image_url(page, article)
    assert "/16x10-0500-0500-" in before
    x, y = set_focal_point(page, ids[0], 0.5, 0.9)
    after = card_image_url(page, article)
    assert f"/16x10-{round(x * 1000):04d}-{round(y * 1000):04d}-" in after
    assert after != before
    assert reported == []


def test_dropped_files_are_sent_one_by_one_and_a_refused_one_says_why(
    live_server, page, django_user_model, request
):
    reported = request.getfixturevalue("complaints")
    page.set_viewport_size(SIZES["desktop"])
    newsroom_editor(django_user_model, "urednica")
    sign_in(page, live_server.url, "urednica", EDITOR_PASSWORD, reverse("admin:articles_image_bulk_upload"))
    expect(page.get_by_text("…ili ih prevucite ovde.")).to_be_visible()
    dropped = page.evaluate_handle(
        """([photo]) => {
            const files = new DataTransfer();
            files.items.add(new File([new Uint8Array(photo)], "trg.jpg", {type: "image/jpeg"}));
            files.items.add(new File(["<svg onload=alert(1)>"], "crtez.jpg", {type: "image/jpeg"}));
            return files;
        }""",
        [list(jpeg_bytes(320, 240))],
    )
    page.locator("[data-drop-zone]").dispatch_event("drop", {"dataTransfer": dropped})
    items = page.locator(".bulk-upload__item")
    expect(items).to_have_count(2)
    expect(items.nth(0)).to_contain_text("Sačuvana (320 × 240 px)")
    expect(items.nth(1)).to_contain_text(f"Odbijena: {NOT_A_PHOTO}")
    expect(page.locator("[data-upload-summary]")).to_have_text("Gotovo. Sačuvano: 1, odbijeno: 1.")
    link = page.get_by_role("link", name="Dalje: opis fotografija")
    expect(link).to_have_attribute("href", re.compile(r"/opis/\?ids=\d+$"))
    assert Image.objects.awaiting_details().count() == 1
    assert reported == []
