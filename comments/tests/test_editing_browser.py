"""A remembered anonymous reader corrects their comment in the window and is forgotten again."""

from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from articles.tests.browser import sign_in
from articles.tests.factories import ArticleFactory
from articles.transliteration import to_cyrillic
from comments import moderation
from comments.models import ArticleComment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 768}}


def shot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png")


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("prefix", ["", "/cir"], ids=["latin", "cyrillic"])
def test_remembered_reader_edits_in_the_window_and_is_forgotten(live_server, new_context, viewport, prefix):
    script = to_cyrillic if prefix else str
    first = ArticleFactory(title="Nova linija tramvaja do Novog Beograda")
    second = ArticleFactory(title="Most na Adi dobija novu rasvetu")
    context = new_context(viewport=VIEWPORTS[viewport])
    page = context.new_page()
    page.clock.install()  # the page's own clock, moved on below to close the window
    page.goto(live_server.url + prefix + first.get_absolute_url())

    form = page.locator("#komentar-forma")
    form.get_by_role("textbox", name=script("Ime")).fill("Dragan Ilić")
    form.get_by_label(script("E-adresa")).fill("dragan@example.org")
    form.get_by_role("textbox", name=script("Komentar")).fill("Tramvaj je odlčna vest.")
    form.get_by_label(script("Zapamti me na ovom uređaju")).check()
    form.get_by_role("button", name=script("Pošalji komentar")).click()
    notice = page.locator("[data-comment-notice]")
    expect(notice).to_contain_text(script("čeka odobrenje moderatora"))
    assert not any("dragan" in cookie["value"] for cookie in context.cookies())

    # The pending comment is shown to its author on this device only, with "Izmeni" and the minutes left.
    own = page.locator("[data-own-comment]")
    expect(own).to_contain_text("Tramvaj je odlčna vest.")
    edit = own.get_by_role("button", name=script("Izmeni"))
    expect(edit).to_contain_text(script("još 10 min"))
    edit.click()
    field = own.get_by_role("textbox", name=script("Izmena komentara"))
    expect(field).to_be_focused()
    expect(field).to_have_value("Tramvaj je odlčna vest.")
    field.fill("Tramvaj je odlična vest.")
    shot(page, f"editing-{viewport}-{prefix.strip('/') or 'lat'}-1-editor")
    own.get_by_role("button", name=script("Sačuvaj izmenu")).click()
    expect(notice).to_have_text(script("Izmena je sačuvana."))
    expect(own.locator("[data-own-text]")).to_have_text("Tramvaj je odlična vest.")
    assert ArticleComment.objects.get().comment == "Tramvaj je odlična vest."
    expect(own.get_by_role("button", name=script("Izmeni"))).to_be_focused()

    # Another article: the form is filled from this device's storage; the page itself is everyone's.
    url = live_server.url + prefix + second.get_absolute_url()
    page.goto(url)
    form = page.locator("#komentar-forma")
    expect(form.get_by_role("textbox", name=script("Ime"))).to_have_value("Dragan Ilić")
    expect(form.get_by_label(script("E-adresa"))).to_have_value("dragan@example.org")
    expect(form.locator("[data-remembered]")).to_contain_text(script("Zapamćeni ste kao") + " Dragan Ilić")
    form.scroll_into_view_if_needed()
    shot(page, f"editing-{viewport}-{prefix.strip('/') or 'lat'}-2-remembered")
    stranger = new_context().new_page()
    assert page.context.request.get(url).body() == stranger.request.get(url).body()

    # Back on the first article after the window: no "Izmeni" any more.
    page.goto(live_server.url + prefix + first.get_absolute_url())
    expect(page.locator("[data-own-comment]").get_by_role("button", name=script("Izmeni"))).to_be_visible()
    page.clock.fast_forward("10:30")
    expect(page.locator("[data-edit-open]")).to_have_count(0)

    page.locator("#komentar-forma").get_by_role("button", name=script("Zaboravi me")).click()
    form = page.locator("#komentar-forma")
    expect(form.get_by_role("textbox", name=script("Ime"))).to_have_value("")
    expect(form.get_by_label(script("E-adresa"))).to_have_value("")
    expect(form.locator("[data-remembered]")).to_have_count(0)
    expect(notice).to_have_text(script("Više niste zapamćeni na ovom uređaju."))
    page.goto(url)
    expect(page.locator("#komentar-forma").get_by_role("textbox", name=script("Ime"))).to_have_value("")


def test_moderator_sees_what_an_edit_changed_and_approves_it_by_key(
    live_server, new_context, django_user_model, moderators_group
):
    article = ArticleFactory(title="Nova linija tramvaja do Novog Beograda")
    page = new_context(viewport=VIEWPORTS["desktop"]).new_page()
    page.goto(live_server.url + article.get_absolute_url())
    form = page.locator("#komentar-forma")
    form.get_by_role("textbox", name="Ime").fill("Ljiljana Njegoš")
    form.get_by_label("E-adresa").fill("ljiljana@example.org")
    form.get_by_role("textbox", name="Komentar").fill("Linija će voziti svakih deset minuta.")
    form.get_by_role("button", name="Pošalji komentar").click()
    expect(page.locator("[data-own-comment]")).to_be_visible()
    comment = ArticleComment.objects.get()
    moderation.approve(comment)

    page.reload()
    item = page.locator(f"#k{comment.pk}")
    item.get_by_role("button", name="Izmeni").click()
    item.get_by_role("textbox", name="Izmena komentara").fill("Linija će voziti svakih osam minuta.")
    item.get_by_role("button", name="Sačuvaj izmenu").click()
    expect(page.locator("[data-comment-notice]")).to_contain_text("čeka odobrenje moderatora")
    expect(item).to_contain_text("svakih deset minuta")  # the approved text stays until the edit is approved

    moderator = django_user_model.objects.create_user("dezurna", password="tajna-lozinka-42", is_staff=True)
    moderator.groups.add(moderators_group)
    desk = new_context(viewport=VIEWPORTS["desktop"]).new_page()
    sign_in(desk, live_server.url, "dezurna", "tajna-lozinka-42")
    desk.goto(live_server.url + "/admin/comments/articlecomment/desk/")
    edited = desk.locator(f"#d{comment.pk}")
    expect(edited.locator("[data-state]")).to_have_text("izmena čeka odobrenje")
    expect(edited.locator("[data-edit-diff] del")).to_have_text("deset")
    expect(edited.locator("[data-edit-diff] ins")).to_have_text("osam")
    edited.focus()
    desk.keyboard.press("a")
    expect(desk.locator("[data-desk-status]")).to_have_text("Izmena odobrena")

    page.reload()
    expect(page.locator(f"#k{comment.pk}")).to_contain_text("svakih osam minuta")
