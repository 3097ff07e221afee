"""A reader sees the "Najnovije" strip on a phone and a desktop, in both scripts, and a page loaded after its
expiry no longer shows it, with no save in between."""

import re
import time
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import BreakingNews, SiteSettings
from articles.tests.factories import ArticleFactory, SectionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 900}}
LIFETIME = timedelta(seconds=6)


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_a_reader_sees_the_strip_until_it_expires(live_server, page, viewport):
    SiteSettings.get_solo()
    article = ArticleFactory(section=SectionFactory(name="Sport", slug="sport"), title="Derbi odložen")
    expires_at = timezone.now() + LIFETIME
    BreakingNews.objects.create(
        text="Derbi odložen zbog nevremena",
        url=article.get_absolute_url(),
        starts_at=timezone.now() - timedelta(minutes=1),
        expires_at=expires_at,
    )
    page.set_viewport_size(VIEWPORTS[viewport])

    page.goto(live_server.url + "/")
    strip = page.get_by_role("region", name="Najnovije vesti")
    expect(strip).to_be_visible()
    link = strip.get_by_role("link", name="Derbi odložen zbog nevremena")
    box = link.bounding_box()
    assert box["height"] >= 44  # a touch target, and compact: at most two lines on a phone
    assert box["height"] <= 80
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS[viewport]["width"]
    page.goto(live_server.url + "/cir/")
    cyrillic = page.get_by_role("region", name="Најновије вести")
    expect(cyrillic.get_by_role("link", name="Дерби одложен због невремена")).to_be_visible()
    cyrillic.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/cir/sport/\d+-"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Дерби одложен")
    expect(page.get_by_role("region", name="Најновије вести")).to_be_visible()  # on the article too

    time.sleep(max(0, (expires_at - timezone.now()).total_seconds()) + 0.5)
    latin = "Najnovije vesti"
    pages = [("/", latin), ("/cir/", "Најновије вести"), (article.get_absolute_url(), latin)]
    for path, name in pages:
        page.goto(live_server.url + path)
        expect(page.locator("main .article-card, main article").first).to_be_visible()
        expect(page.get_by_role("region", name=name)).to_have_count(0)
