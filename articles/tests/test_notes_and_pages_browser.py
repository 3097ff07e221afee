"""What readers and editors do with corrections, replies, withdrawn articles and the site's pages, on a phone
and a desktop, in both scripts."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from articles import services
from articles.models import Article, ArticleNote, Impresum, SiteSettings
from articles.tests.browser import EDITOR_PASSWORD, newsroom_editor, sign_in
from articles.tests.factories import ArticleFactory, SectionFactory
from config.delivery import reader_script
from config.tests.test_csp_browser import complaints  # noqa: F401 (CSP reports and uncaught errors)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 900}}
SCRIPTS = [reader_script.LATIN, reader_script.CYRILLIC]
CORRECTION = "U ranijoj verziji pogrešno je navedeno da most ima četiri trake."
REPLY = "Radovi nisu kasnili; rok je produžen odlukom grada."
NOTICE = "Tekst je povučen jer se oslanjao na neproveren izvor."
SHOWN = {
    reader_script.LATIN: {
        "notes": "Ispravke i odgovori",
        "correction": "Ispravka",
        "reply": "Odgovor — Direkcija za puteve",
        "correction_text": CORRECTION,
        "withdrawn": "Članak je povučen",
        "notice": NOTICE,
        "missing": "Stranica nije pronađena",
        "impresum": "Impresum",
        "editor": "Jovana Jovanović",
    },
    reader_script.CYRILLIC: {
        "notes": "Исправке и одговори",
        "correction": "Исправка",
        "reply": "Одговор — Дирекција за путеве",
        "correction_text": "У ранијој верзији погрешно је наведено да мост има четири траке.",
        "withdrawn": "Чланак је повучен",
        "notice": "Текст је повучен јер се ослањао на непроверен извор.",
        "missing": "Страница није пронађена",
        "impresum": "Импресум",
        "editor": "Јована Јовановић",
    },
}


def bridge_story():
    SiteSettings.get_solo()
    return ArticleFactory(
        section=SectionFactory(name="Grad", slug="grad"),
        title="Most na Adi dobija novu rasvetu",
        published_at=timezone.now() - timedelta(days=1),
    )


@pytest.mark.parametrize("screen", SCREENS)
def test_an_editor_adds_a_correction_and_a_reply_and_readers_see_both_at_the_end(
    live_server, page, request, django_user_model, screen
):
    reported = request.getfixturevalue("complaints")
    page.set_viewport_size(SCREENS[screen])
    article = bridge_story()
    newsroom_editor(django_user_model, "urednica")
    sign_in(
        page, live_server.url, "urednica", EDITOR_PASSWORD, f"/admin/articles/article/{article.pk}/change/"
    )

    page.get_by_role("link", name="Dodaj ispravku ili odgovor").click()
    expect(page.locator("#id_article")).to_have_value(str(article.pk))  # the article is chosen already
    page.get_by_label("Vrsta").select_option(label="Ispravka")
    page.get_by_label("Tekst").fill(CORRECTION)
    page.get_by_role("button", name="Sačuvaj i dodaj sledeći").click()
    expect(page.locator(".messagelist")).to_contain_text("Dodato: ispravka ili odgovor")

    page.goto(f"{live_server.url}/admin/articles/articlenote/add/?article={article.pk}")
    page.get_by_label("Vrsta").select_option(label="Odgovor")
    page.get_by_label("Tekst").fill(REPLY)
    page.get_by_role("button", name="Sačuvaj", exact=True).click()
    expect(page.locator(".errorlist")).to_contain_text("Upišite ko odgovara")
    page.get_by_label("Od koga").fill("Direkcija za puteve")
    page.get_by_role("button", name="Sačuvaj", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("Čitaoci ga vide na kraju članka")
    expect(page.locator("#result_list")).to_contain_text("Direkcija za puteve")
    assert ArticleNote.objects.filter(article=article).count() == 2

    for script in SCRIPTS:
        shown = SHOWN[script]
        page.goto(live_server.url + reader_script.path_in(script, article.get_absolute_url()))
        notes = page.get_by_role("region", name=shown["notes"])
        expect(notes).to_be_visible()
        labels = notes.locator(".article-note__label")
        expect(labels).to_have_text([shown["correction"], shown["reply"]])
        expect(notes).to_contain_text(shown["correction_text"])
        expect(notes.locator("time")).to_have_count(2)
        expect(page.locator(".article__updated")).to_be_visible()  # the header says it was updated
        box = notes.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= SCREENS[screen]["width"]
        # At the article's end: after the body, before the comments.
        assert page.locator(".article__body").bounding_box()["y"] < box["y"]
        assert box["y"] < page.locator("#komentari").bounding_box()["y"]
    assert reported == []


@pytest.mark.parametrize("script", SCRIPTS)
@pytest.mark.parametrize("screen", SCREENS)
def test_a_withdrawn_article_says_so_and_a_never_published_one_is_not_found(
    live_server, page, request, screen, script
):
    reported = request.getfixturevalue("complaints")
    page.set_viewport_size(SCREENS[screen])
    shown = SHOWN[script]
    article = bridge_story()
    services.withdraw([article.pk], note="interno", notice=NOTICE)
    draft = ArticleFactory(section=article.section, status=Article.Status.DRAFT, published_at=None)

    response = page.goto(live_server.url + reader_script.path_in(script, article.get_absolute_url()))
    assert response.status == 410
    expect(page.get_by_role("heading", level=1)).to_have_text(shown["withdrawn"])
    expect(page.locator("main")).to_contain_text(shown["notice"])
    expect(page.locator("main")).not_to_contain_text("interno")

    response = page.goto(live_server.url + reader_script.path_in(script, draft.get_absolute_url()))
    assert response.status == 404
    expect(page.locator("main")).to_contain_text(shown["missing"])
    expect(page.locator("main")).not_to_contain_text(draft.title)
    assert reported == []


@pytest.mark.parametrize("script", SCRIPTS)
@pytest.mark.parametrize("screen", SCREENS)
def test_the_impresum_opens_from_the_footer(live_server, page, request, screen, script):
    reported = request.getfixturevalue("complaints")
    page.set_viewport_size(SCREENS[screen])
    SiteSettings.get_solo()
    impresum = Impresum.get_solo()
    impresum.publisher = "Čitaonica mediji d.o.o."
    impresum.editor_in_chief = "Jovana Jovanović"
    impresum.registration_number = "NV 000123"
    impresum.contact_email = "redakcija@citaonica.example"
    services.save_shown(impresum)

    page.goto(live_server.url + reader_script.path_in(script, "/"))
    footer = page.locator("footer.site-footer")
    links = footer.locator(".site-footer__page")
    expect(links).to_have_count(5)
    for index in range(5):
        box = links.nth(index).bounding_box()
        assert box["height"] >= 44  # a finger finds each link on a phone
        assert box["x"] >= 0 and box["x"] + box["width"] <= SCREENS[screen]["width"]
    footer.get_by_role("link", name=SHOWN[script]["impresum"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(SHOWN[script]["impresum"])
    expect(page.locator(".impresum")).to_contain_text(SHOWN[script]["editor"])
    expect(page.get_by_role("link", name="redakcija@citaonica.example")).to_have_attribute(
        "href", "mailto:redakcija@citaonica.example"
    )
    assert page.url.endswith(reader_script.path_in(script, "/impresum/"))
    assert reported == []
