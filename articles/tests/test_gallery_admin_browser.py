"""A gallery built in the admin as an editor does it: three library photos, put in order by dragging and by
keyboard, saved, and attached to an article as its lead; on a phone and on a desktop."""

import pytest
from playwright.sync_api import expect

from articles.models import Article, Gallery
from articles.tests.browser import EDITOR_PASSWORD, newsroom_editor, save, sign_in
from articles.tests.factories import ArticleFactory, GalleryFactory, ImageFactory, SectionFactory
from config.tests.test_csp_browser import complaints  # noqa: F401 (CSP reports and uncaught errors)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 900}}


def rows(page):
    return page.locator("#items-group .inline-related:not(.empty-form)")


def choose_photo(page, row, words, name):
    row.get_by_role("button", name="Izaberi fotografiju").click()
    dialog = page.get_by_role("dialog", name="Fotografija za galeriju")
    dialog.get_by_role("searchbox").fill(words)
    dialog.get_by_role("button", name=name).click()
    expect(page.locator("dialog[open]")).to_have_count(0)


def drag_above(page, row, target):
    """Drags ``row`` by its handle (mouse, pen or finger alike: pointer events) to above ``target``."""
    target.evaluate("row => row.scrollIntoView({block: 'start'})")
    handle = row.locator("[data-gallery-handle]")
    box = handle.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x, target.bounding_box()["y"] + 4, steps=10)
    page.mouse.up()


def captions(page, count=None):
    """The captions of the first ``count`` rows (all rows by default), in the order shown."""
    count = rows(page).count() if count is None else count
    return [rows(page).nth(i).locator(".gallery-photo__caption").inner_text() for i in range(count)]


@pytest.mark.parametrize("viewport", VIEWPORTS.values(), ids=VIEWPORTS.keys())
def test_editor_builds_orders_and_attaches_a_gallery(live_server, page, django_user_model, request, viewport):
    request.getfixturevalue("complaints")
    page.set_viewport_size(viewport)
    bridge = ImageFactory(caption="Most pod vodom", credit="Ana Ilić")
    boat = ImageFactory(caption="Spasioci u čamcu", credit="Tanjug")
    school = ImageFactory(caption="Škola kao sklonište", credit="Marko Marić")
    article = ArticleFactory(
        title="Voda se povlači", section=SectionFactory(), status=Article.Status.DRAFT, published_at=None
    )
    newsroom_editor(django_user_model, "urednica")
    sign_in(page, live_server.url, "urednica", EDITOR_PASSWORD, "/admin/articles/gallery/add/")

    page.get_by_label("Naslov").fill("Poplave u Obrenovcu")
    expect(rows(page)).to_have_count(3)
    choose_photo(page, rows(page).nth(0), "most", "Most pod vodom · Foto: Ana Ilić")
    choose_photo(page, rows(page).nth(1), "čamcu", "Spasioci u čamcu · Foto: Tanjug")
    choose_photo(page, rows(page).nth(2), "škola", "Škola kao sklonište · Foto: Marko Marić")
    expect(rows(page).nth(1)).to_contain_text("Foto: Tanjug")
    assert captions(page) == ["Most pod vodom", "Spasioci u čamcu", "Škola kao sklonište"]
    live = page.locator(".gallery-order__live")

    # By dragging: the boat goes first.
    drag_above(page, rows(page).nth(1), rows(page).nth(0))
    expect(live).to_have_text("Fotografija premeštena na mesto 1 od 3.")
    assert captions(page) == ["Spasioci u čamcu", "Most pod vodom", "Škola kao sklonište"]

    # By keyboard: the boat's handle, two steps down; then the school's "Gore".
    rows(page).nth(0).locator("[data-gallery-handle]").focus()
    page.keyboard.press("ArrowDown")
    expect(live).to_have_text("Fotografija premeštena na mesto 2 od 3.")
    page.keyboard.press("ArrowDown")
    expect(live).to_have_text("Fotografija premeštena na mesto 3 od 3.")
    expect(rows(page).nth(2).locator("[data-gallery-handle]")).to_be_focused()  # it moved with its row
    assert captions(page) == ["Most pod vodom", "Škola kao sklonište", "Spasioci u čamcu"]
    rows(page).nth(1).get_by_role("button", name="Gore").click()
    expect(live).to_have_text("Fotografija premeštena na mesto 1 od 3.")
    assert captions(page) == ["Škola kao sklonište", "Most pod vodom", "Spasioci u čamcu"]
    expect(rows(page).nth(0).get_by_role("button", name="Gore")).to_be_disabled()

    page.get_by_role("button", name="Sačuvaj", exact=True).click()
    expect(page.locator("ul.messagelist")).to_be_visible()
    gallery = Gallery.objects.get()
    assert [item.image for item in gallery.items.order_by("position")] == [school, bridge, boat]
    assert list(gallery.items.order_by("position").values_list("position", flat=True)) == [1, 2, 3]

    # Attached as the article's lead, chosen by its title in the search box.
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    page.locator(".field-lead_gallery .select2-selection").click()
    page.locator("[aria-controls=select2-id_lead_gallery-results]").fill("poplave")
    page.locator(".select2-results__option", has_text="Poplave u Obrenovcu").click()
    # And once more in the body, by the editor's "Galerija" button: shown by its title and size.
    page.locator(".field-body .ProseMirror:visible").first.click()
    page.get_by_title("Galerija", exact=True).click()
    dialog = page.get_by_role("dialog", name="Galerija")
    dialog.get_by_role("searchbox").fill("poplave")
    dialog.get_by_role("button", name="Galerija: Poplave u Obrenovcu (3 fotografije)").click()
    block = page.locator(".field-body figure.library-gallery")
    expect(block).to_have_text("Galerija: Poplave u Obrenovcu (3 fotografije)")
    save(page)
    expect(page.locator("ul.messagelist")).to_be_visible()
    article.refresh_from_db()
    assert article.lead_gallery == gallery
    assert f'<figure data-gallery-id="{gallery.pk}"></figure>' in article.body


def test_removing_an_added_row_keeps_the_saved_photos_and_the_order_shown(
    live_server, page, django_user_model, request
):
    """Django's inline script renumbers rows in page order when an added row is removed; a saved photo moved
    below added rows must not be taken for a new one, and the order shown is the order saved."""
    request.getfixturevalue("complaints")
    page.set_viewport_size(VIEWPORTS["desktop"])
    bridge = ImageFactory(caption="Most pod vodom", credit="Ana Ilić")
    boat = ImageFactory(caption="Spasioci u čamcu", credit="Tanjug")
    school = ImageFactory(caption="Škola kao sklonište", credit="Marko Marić")
    gallery = GalleryFactory(title="Poplave", images=[bridge, boat])
    newsroom_editor(django_user_model, "urednica")
    sign_in(
        page, live_server.url, "urednica", EDITOR_PASSWORD, f"/admin/articles/gallery/{gallery.pk}/change/"
    )

    expect(rows(page)).to_have_count(3)  # the two saved photos and one empty row
    add = page.locator("#items-group .add-row a")
    add.click()
    add.click()
    expect(rows(page)).to_have_count(5)
    choose_photo(page, rows(page).nth(3), "škola", "Škola kao sklonište · Foto: Marko Marić")
    for place in (3, 2, 1):  # the school to the top, above both saved photos
        rows(page).nth(place).get_by_role("button", name="Gore").click()
    assert captions(page, 3) == ["Škola kao sklonište", "Most pod vodom", "Spasioci u čamcu"]

    rows(page).nth(4).locator(".inline-deletelink").click()  # the last added row, still empty
    expect(rows(page)).to_have_count(4)
    assert captions(page, 3) == ["Škola kao sklonište", "Most pod vodom", "Spasioci u čamcu"]
    expect(rows(page).nth(0).locator(".gallery-order__place")).to_have_text("Mesto 1 od 4")

    page.get_by_role("button", name="Sačuvaj", exact=True).click()
    expect(page.locator("ul.messagelist")).to_be_visible()
    items = list(gallery.items.order_by("position"))
    assert [item.image for item in items] == [school, bridge, boat]
