import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from articles.tests.factories import ArticleFactory, ImageFactory, SectionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def test_reader_on_a_phone_goes_from_front_page_to_section_to_search_to_article(live_server, page):
    politics = SectionFactory(name="Politika", slug="politika", position=1)
    culture = SectionFactory(name="Kultura", slug="kultura", position=2)
    ArticleFactory(
        section=politics,
        title="Skupština usvojila budžet za iduću godinu",
        is_lead=True,
        hero_image=ImageFactory(alt_text="Sala skupštine"),
    )
    ArticleFactory(
        section=culture,
        title="Džez festival u Šapcu počinje u petak",
        lead="Džez muzičari iz regiona nastupiće na tri bine u centru Šapca.",
        published_at=timezone.now() - timedelta(hours=3),
    )
    ArticleFactory(section=culture, title="Pozorište najavilo novu sezonu")

    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/")
    expect(page.get_by_role("region", name="Glavna vest")).to_contain_text("Skupština usvojila budžet")
    expect(page.get_by_role("heading", name="Najčitanije")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    page.get_by_role("navigation", name="Rubrike").get_by_role("link", name="Kultura").click()
    expect(page).to_have_url(re.compile(r"/kultura/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Kultura")
    expect(page.locator(".article-card")).to_have_count(2)

    page.get_by_role("button", name="Pretraga").click()  # on a phone the search opens from its icon
    search = page.get_by_role("searchbox", name="Pretraga sajta")
    expect(search).to_be_focused()
    search.fill("dzez sapcu")  # as typed on a phone keyboard without Serbian letters
    search.press("Enter")
    expect(page).to_have_url(re.compile(r"/pretraga/\?q=dzez\+sapcu"))
    result = page.locator(".article-card").filter(has_text="Džez festival u Šapcu počinje u petak")
    expect(result).to_have_count(1)
    expect(result.locator("mark").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    result.get_by_role("link", name="Džez festival u Šapcu počinje u petak").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Džez festival u Šapcu počinje u petak")
    expect(page).to_have_url(re.compile(r"/kultura/\d+-dzez-festival-u-sapcu-pocinje-u-petak/$"))


def test_most_read_switches_between_a_day_and_a_week(live_server, page):
    from articles.models import HourlyReadCount

    today = ArticleFactory(title="Današnja najčitanija")
    week = ArticleFactory(title="Najčitanija ove nedelje", published_at=timezone.now() - timedelta(days=3))
    hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    HourlyReadCount.objects.create(article=today, hour=hour, reads=50)
    HourlyReadCount.objects.create(article=week, hour=hour - timedelta(days=2), reads=900)

    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/")
    day_tab = page.get_by_role("tab", name="24 sata")
    week_tab = page.get_by_role("tab", name="7 dana")
    expect(day_tab).to_have_attribute("aria-selected", "true")
    day_panel = page.locator("#najcitanije-dan")
    week_panel = page.locator("#najcitanije-nedelja")
    expect(day_panel).to_contain_text("Današnja najčitanija")
    expect(day_panel).not_to_contain_text("Najčitanija ove nedelje")
    expect(week_panel).to_be_hidden()

    week_tab.click()
    expect(week_tab).to_have_attribute("aria-selected", "true")
    expect(day_panel).to_be_hidden()
    expect(week_panel.locator("li").first).to_contain_text("Najčitanija ove nedelje")
    week_tab.press("ArrowLeft")
    expect(day_tab).to_be_focused()
    expect(day_panel).to_be_visible()


def test_a_card_is_one_link_its_photo_opens_the_article_and_its_section_link_still_works(live_server, page):
    culture = SectionFactory(name="Kultura", slug="kultura", position=1)
    article = ArticleFactory(
        section=culture, title="Biblioteka u magacinu", hero_image=ImageFactory(alt_text="Police sa knjigama")
    )
    page.goto(live_server.url + culture.get_absolute_url())
    card = page.locator(".article-card").filter(has_text="Biblioteka u magacinu")
    expect(card.locator(f'a[href="{article.get_absolute_url()}"]')).to_have_count(1)  # no hidden duplicate

    # A reader clicking the photo clicks the title's link, stretched over the whole card.
    box = card.locator(".article-card__image img").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(page.get_by_role("heading", level=1)).to_have_text("Biblioteka u magacinu")

    page.go_back()
    card.get_by_role("link", name="Kultura").click()  # drawn above the stretched link
    expect(page).to_have_url(re.compile(r"/kultura/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Kultura")
