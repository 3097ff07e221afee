"""The article header as a reader sees it on a phone and a desktop, in both scripts: the date, the reading
time, and the comments link that takes them to the comments."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Image
from articles.tests.factories import ArticleFactory, ImageFactory
from comments import moderation
from comments.tests.factories import ArticleCommentFactory
from config.delivery import reader_script
from config.tests.test_csp_browser import complaints  # noqa: F401 (CSP reports and uncaught errors)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 900}}
SHOWN = {
    reader_script.LATIN: {"comments": "2 komentara", "reading": "3 min čitanja", "updated": "Ažurirano:"},
    reader_script.CYRILLIC: {"comments": "2 коментара", "reading": "3 мин читања", "updated": "Ажурирано:"},
}


@pytest.mark.parametrize("script", [reader_script.LATIN, reader_script.CYRILLIC])
@pytest.mark.parametrize("screen", SCREENS)
def test_the_header_says_when_and_its_comments_link_leads_to_the_comments(
    live_server, page, request, screen, script
):
    reported = request.getfixturevalue("complaints")
    page.set_viewport_size(SCREENS[screen])
    published = timezone.now() - timedelta(minutes=1)
    article = ArticleFactory(
        title="Sednica skupštine uživo",
        published_at=published,
        updated_at=published + timedelta(seconds=30),
        body="".join(f"<p>{' '.join(['reč'] * 50)}</p>" for _ in range(10)),
        hero_image=ImageFactory(credit="EPA-EFE/KCNA", restriction=Image.Restriction.EDITORIAL),
    )
    for text in ("Prvi komentar.", "Drugi komentar."):
        ArticleCommentFactory(article=article, comment=text)
    moderation.refresh_comment_count(article.pk)

    page.goto(live_server.url + reader_script.path_in(script, article.get_absolute_url()))
    header = page.locator("header.article__header")
    local = timezone.localtime(published)
    date = header.locator("time.article__published")
    expect(date).to_be_visible()
    expect(date).to_contain_text(f"{local.year}. ")
    expect(date).to_contain_text(f"{local:%H:%M}")
    expect(date).not_to_contain_text("pre ")
    expect(header.locator(".article__updated")).to_contain_text(SHOWN[script]["updated"])
    expect(header.locator(".article__reading")).to_have_text(SHOWN[script]["reading"])
    expect(page.locator(".figure__restriction [lang=en]")).to_have_text("EDITORIAL USE ONLY")

    comments = page.locator("#komentari")
    expect(comments).not_to_be_in_viewport()
    link = header.get_by_role("link", name=SHOWN[script]["comments"])
    box = link.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= SCREENS[screen]["width"]  # not cut off on a phone
    assert box["height"] >= 20  # a target a thumb can hit
    link.click()
    expect(comments).to_be_in_viewport()
    assert page.url.endswith("#komentari")
    assert reported == []
