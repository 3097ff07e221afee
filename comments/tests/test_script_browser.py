"""A reader who reads in Cyrillic: the article, its photo caption and its comments, and the next article."""

import pytest
from playwright.sync_api import expect

from articles.models import TransliterationException
from articles.tests.factories import ArticleFactory, ImageFactory, SectionFactory
from comments.moderation import refresh_comment_counts
from comments.tests.factories import ArticleCommentFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def test_reader_switches_an_article_to_cyrillic_and_stays_in_cyrillic(live_server, page):
    # Browser tests empty the database between tests, seeded exceptions included.
    TransliterationException.objects.get_or_create(text="EPA-EFE")
    section = SectionFactory(name="Društvo", slug="drustvo")
    article = ArticleFactory(
        section=section,
        title="Džon i Ljiljana otvorili knjižaru u Šapcu",
        hero_image=ImageFactory(
            caption="Njihova knjižara na uglu", credit="EPA-EFE", alt_text="Izlog knjižare"
        ),
    )
    other = ArticleFactory(section=section, title="Đaci čitaju naglas u parku")
    ArticleCommentFactory(article=article, user_name="Milena", comment="Želim im puno uspeha!")
    refresh_comment_counts([article.pk])

    page.set_viewport_size(PHONE)
    page.goto(live_server.url + article.get_absolute_url())
    page.get_by_role("navigation", name="Pismo").get_by_role("link", name="Ćirilica").click()

    expect(page).to_have_url(live_server.url + "/cir" + article.get_absolute_url())
    expect(page.locator("html")).to_have_attribute("lang", "sr-Cyrl")
    expect(page.get_by_role("heading", level=1)).to_have_text("Џон и Љиљана отворили књижару у Шапцу")
    expect(page.locator("figure.figure--hero figcaption")).to_contain_text("Њихова књижара на углу")
    expect(page.locator("figure.figure--hero figcaption")).to_contain_text("EPA-EFE")
    expect(page.locator(".comment-list li").first).to_contain_text("Желим им пуно успеха!")
    expect(
        page.get_by_role("navigation", name="Писмо").get_by_role("link", name="Ћирилица")
    ).to_have_attribute("aria-current", "true")

    page.get_by_role("link", name="Ђаци читају наглас у парку").first.click()
    expect(page).to_have_url(live_server.url + "/cir" + other.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text("Ђаци читају наглас у парку")

    # The choice is remembered: a Latin address brings the reader back to Cyrillic.
    page.goto(live_server.url + "/")
    expect(page).to_have_url(live_server.url + "/cir/")
