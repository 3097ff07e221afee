from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.tests.factories import ArticleFactory, AuthorFactory, ImageFactory, SectionFactory, TagFactory

pytestmark = pytest.mark.django_db


def test_front_page_leads_with_the_flagged_story_and_lists_the_rest(client):
    older_lead = ArticleFactory(
        is_lead=True, title="Glavna vest dana", published_at=timezone.now() - timedelta(hours=5)
    )
    newest = ArticleFactory(title="Najnovija vest")
    ArticleFactory(status=Article.Status.DRAFT, title="Nacrt koji se ne vidi")
    page = client.get("/").content.decode()
    assert page.index("Glavna vest dana") < page.index("Najnovija vest")
    assert "Nacrt koji se ne vidi" not in page
    assert older_lead.get_absolute_url() in page and newest.get_absolute_url() in page


def test_front_page_without_articles_says_so(client):
    assert "Još nema objavljenih članaka." in client.get("/").content.decode()


def test_section_page_lists_only_its_published_articles(client):
    sport = SectionFactory(name="Sport", slug="sport")
    ArticleFactory(section=sport, title="Mladi košarkaši osvojili turnir")
    ArticleFactory(title="Vest iz druge rubrike")
    ArticleFactory(section=sport, title="Zakazana vest", published_at=timezone.now() + timedelta(days=1))
    response = client.get("/sport/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Mladi košarkaši osvojili turnir" in page
    assert "Vest iz druge rubrike" not in page and "Zakazana vest" not in page
    assert 'aria-current="page"' in page


@pytest.mark.parametrize("page_param", ["abc", "-1", "0", "1.5", "%00", "9" * 40])
def test_nonsense_page_numbers_still_answer_a_page(client, page_param):
    sport = SectionFactory(slug="sport")
    ArticleFactory(section=sport)
    assert client.get("/sport/", {"page": page_param}).status_code == 200


@pytest.mark.parametrize("page_param", ["2", "99999", "00002"])
def test_a_page_past_the_last_is_not_found(client, page_param):
    sport = SectionFactory(slug="sport")
    ArticleFactory(section=sport)
    assert client.get("/sport/", {"page": page_param}).status_code == 404


def test_tag_and_author_pages_list_their_articles(client):
    tag, author = TagFactory(name="Biciklizam"), AuthorFactory(name="Vesna Kovač", bio="Piše o saobraćaju.")
    ArticleFactory(title="Nove staze kroz park", tags=[tag], authors=[author])
    tag_page = client.get(tag.get_absolute_url()).content.decode()
    author_page = client.get(author.get_absolute_url()).content.decode()
    assert "Nove staze kroz park" in tag_page and "Biciklizam" in tag_page
    assert "Nove staze kroz park" in author_page and "Piše o saobraćaju." in author_page


@pytest.mark.usefixtures("uncached_pages")
@pytest.mark.parametrize("url_name", ["/", "/sport/", "/tema/biciklizam/", "/autor/vesna-kovac/", "today"])
def test_listing_query_count_does_not_grow_with_articles(client, url_name):
    sport = SectionFactory(slug="sport")
    tag, author = TagFactory(slug="biciklizam"), AuthorFactory(slug="vesna-kovac")
    if url_name == "today":
        url_name = reverse("articles:archive_day", args=day_args(timezone.localdate()))

    def count():
        client.get(url_name)  # warm caches
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url_name).status_code == 200
        return len(queries)

    def add_articles(count):
        for _ in range(count):
            ArticleFactory(section=sport, hero_image=ImageFactory(), tags=[tag], authors=[author])

    add_articles(2)
    few = count()
    add_articles(8)
    assert count() == few <= (10 if url_name == "/" else 6)


def day_args(day):
    return [day.year, day.month, day.day]


def test_day_archive_lists_that_days_articles_by_local_midnight(client, settings):
    settings.TIME_ZONE = "Europe/Belgrade"
    belgrade = ZoneInfo("Europe/Belgrade")
    ArticleFactory(title="Kasno uveče", published_at=datetime(2026, 11, 20, 23, 30, tzinfo=belgrade))
    ArticleFactory(title="Posle ponoći", published_at=datetime(2026, 11, 21, 0, 10, tzinfo=belgrade))
    ArticleFactory(
        title="Nacrt tog dana", status="draft", published_at=datetime(2026, 11, 20, 12, tzinfo=belgrade)
    )
    page = client.get("/arhiva/2026/11/20/").content.decode()
    assert "Kasno uveče" in page
    assert "Posle ponoći" not in page and "Nacrt tog dana" not in page
    assert "20. novembar 2026." in page


def test_day_archive_links_to_the_nearest_days_with_news(client):
    belgrade = ZoneInfo("Europe/Belgrade")
    for day in (3, 10, 17):
        ArticleFactory(published_at=datetime(2026, 11, day, 9, tzinfo=belgrade))
    page = client.get("/arhiva/2026/11/10/").content.decode()
    assert 'rel="prev" href="/arhiva/2026/11/3/"' in page
    assert 'rel="next" href="/arhiva/2026/11/17/"' in page
    first_day = client.get("/arhiva/2026/11/3/").content.decode()
    assert 'rel="prev"' not in first_day


def test_day_without_news_says_so_and_still_links_onwards(client):
    ArticleFactory(published_at=datetime(2026, 11, 3, 9, tzinfo=ZoneInfo("Europe/Belgrade")))
    response = client.get("/arhiva/2026/11/5/")
    assert response.status_code == 200
    assert "Ovde još nema objavljenih članaka." in response.content.decode()
    assert 'href="/arhiva/2026/11/3/"' in response.content.decode()


def test_archive_opens_on_today(client):
    today = timezone.localdate()
    response = client.get("/arhiva/")
    assert response.status_code == 302
    assert response["Location"] == reverse("articles:archive_day", args=day_args(today))


@pytest.mark.parametrize(
    "url",
    [
        "/arhiva/2026/13/1/",
        "/arhiva/2026/2/30/",
        "/arhiva/0/1/1/",
        "/arhiva/99999999999/1/1/",
        "/arhiva/2026/11/",
        "/arhiva/danas/",
        "/rubrika-koje-nema/",
        "/tema/tema-koje-nema/",
        "/autor/autor-kojeg-nema/",
        "/rubrika-koje-nema/1-naslov/",
    ],
)
def test_nonsense_addresses_answer_404_in_serbian(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "Stranica nije pronađena" in response.content.decode()


def test_archive_of_a_future_day_is_404(client):
    tomorrow = timezone.localdate() + timedelta(days=1)
    assert client.get(reverse("articles:archive_day", args=day_args(tomorrow))).status_code == 404


@pytest.mark.parametrize("url", ["/", "/tema/biciklizam/", "/autor/vesna-kovac/", "/arhiva/2026/11/3/"])
@pytest.mark.parametrize("page_param", ["abc", "-1", "0", "99999", "1e3"])
def test_nonsense_page_numbers_on_every_listing_answer_a_page(client, url, page_param):
    tag, author = TagFactory(slug="biciklizam"), AuthorFactory(slug="vesna-kovac")
    ArticleFactory(
        tags=[tag],
        authors=[author],
        published_at=datetime(2026, 11, 3, 9, tzinfo=ZoneInfo("Europe/Belgrade")),
    )
    # A number past the last page is not a page (the front page has none, so it ignores the number).
    expected = 404 if page_param == "99999" and url != "/" else 200
    assert client.get(url, {"page": page_param}).status_code == expected


def test_listings_paginate_twenty_a_page_with_one_shared_card(client):
    sport = SectionFactory(slug="sport")
    for hours in range(25):
        ArticleFactory(
            section=sport,
            title=f"Sportska vest {hours:02}",
            published_at=timezone.now() - timedelta(hours=hours + 1),
        )
    first = client.get("/sport/").content.decode()
    second = client.get("/sport/", {"page": 2}).content.decode()
    assert first.count('class="article-card"') == 20 and second.count('class="article-card"') == 5
    assert "Sportska vest 00" in first and "Sportska vest 24" in second
    assert 'rel="next" href="?page=2"' in first and "Strana 2 od 2" in second
