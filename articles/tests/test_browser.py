import pytest
from playwright.sync_api import expect

from articles.models import Image
from articles.tests.browser import open_new_article_form
from articles.tests.factories import ArticleFactory, AuthorFactory, ImageFactory, SectionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_article_on_a_phone_shows_the_hero_figure_without_sideways_scrolling(live_server, page):
    hero = ImageFactory(
        caption="Novi most preko reke otvoren je za pešake i bicikliste",
        credit="EPA-EFE/KCNA",
        restriction=Image.Restriction.EDITORIAL,
    )
    article = ArticleFactory(
        section=SectionFactory(name="Društvo", slug="drustvo"),
        title="Otvoren novi most za pešake i bicikliste u centru grada",
        hero_image=hero,
        authors=[AuthorFactory(name="Milica Đorđević")],
        body="<p>" + "Dugačak pasus o mostu i gradu. " * 30 + "</p>",
    )
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(live_server.url + article.get_absolute_url())

    figure = page.locator("figure.figure--hero")
    expect(figure).to_be_visible()
    expect(figure.locator("img")).to_be_visible()
    caption = figure.locator("figcaption")
    expect(caption).to_be_visible()
    expect(caption).to_contain_text("Novi most preko reke otvoren je za pešake i bicikliste")
    expect(caption).to_contain_text("Foto: EPA-EFE/KCNA")
    expect(caption).to_contain_text("EDITORIAL USE ONLY")
    # The photo really loaded (a rendition was made and served), and it fits the screen.
    assert figure.locator("img").evaluate("img => img.complete && img.naturalWidth > 0")
    assert figure.bounding_box()["width"] <= 375
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_editor_sees_the_serbian_slug_and_word_count_while_writing(live_server, page, django_user_model):
    open_new_article_form(live_server, page, django_user_model)

    page.locator("#id_title").press_sequentially("Đak iz Šapca osvojio „zlato“ na olimpijadi")
    expect(page.locator("#id_slug")).to_have_value("djak-iz-sapca-osvojio-zlato-na-olimpijadi")
    page.locator(".field-body .ProseMirror:visible").first.click()
    page.keyboard.type("Prva reč u tekstu, pa još nekoliko reči. ")
    expect(page.locator("[data-word-count]")).to_have_text("8 reči · oko 1 min čitanja")


def font_files_loaded(page):
    page.evaluate("document.fonts.ready")
    names = page.evaluate("performance.getEntriesByType('resource').map(entry => entry.name)")
    return {name.rsplit("/", 1)[-1].split(".")[0] for name in names if ".woff2" in name}


def test_serbian_latin_pages_load_small_fonts_and_the_large_subset_only_for_rarer_letters(live_server, page):
    serbian = ArticleFactory(title="Đurđevdanski uranak kod Ćuprije", body="<p>Čačak, Šabac i Žabalj.</p>")
    page.goto(live_server.url + serbian.get_absolute_url())
    loaded = font_files_loaded(page)
    assert "noto-serif-serbian-latin-wght-normal" in loaded
    assert not any("latin-ext" in name for name in loaded), loaded

    foreign = ArticleFactory(title="Gostovanje orkestra iz Łódźa", body="<p>Koncert je u subotu.</p>")
    page.goto(live_server.url + foreign.get_absolute_url())
    assert "noto-serif-latin-ext-wght-normal" in font_files_loaded(page)
