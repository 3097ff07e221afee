import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import sitemaps
from articles.models import Article, SiteSettings
from articles.tests.factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db

SITE_URL = "https://citaonica.example"
NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE_URL


def read_xml(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return ET.fromstring(response.content)


def lastmods(root, element="sm:url"):
    """Each <loc> of the sitemap with its <lastmod>, or None where it has none."""
    return {
        entry.findtext("sm:loc", namespaces=NS): entry.findtext("sm:lastmod", namespaces=NS)
        for entry in root.findall(element, NS)
    }


def test_sitemap_index_lists_article_and_section_sitemaps_with_lastmod(client):
    ArticleFactory()
    index = lastmods(read_xml(client, "/sitemap.xml"), "sm:sitemap")
    assert list(index) == [
        f"{SITE_URL}/sitemap-clanci.xml",
        f"{SITE_URL}/sitemap-rubrike.xml",
        f"{SITE_URL}/sitemap-stranice.xml",
    ]
    assert all(index.values())


def test_sitemap_index_links_every_page_of_a_long_article_sitemap(client, monkeypatch):
    monkeypatch.setattr(sitemaps.ArticleSitemap, "limit", 2)
    first, second, newest = ArticleFactory(), ArticleFactory(), ArticleFactory()
    index = lastmods(read_xml(client, "/sitemap.xml"), "sm:sitemap")
    assert f"{SITE_URL}/sitemap-clanci.xml?p=2" in index
    # Pages follow the primary key, so a new article never pushes older ones onto another page.
    first_page = lastmods(read_xml(client, "/sitemap-clanci.xml"))
    second_page = lastmods(read_xml(client, "/sitemap-clanci.xml?p=2"))
    assert set(first_page) == {SITE_URL + first.get_absolute_url(), SITE_URL + second.get_absolute_url()}
    assert list(second_page) == [SITE_URL + newest.get_absolute_url()]


def test_article_sitemap_lists_only_published_articles(client):
    published = [ArticleFactory(), ArticleFactory(published_at=timezone.now() - timedelta(days=400))]
    ArticleFactory(status=Article.Status.DRAFT)
    ArticleFactory(status=Article.Status.READY)
    ArticleFactory(status=Article.Status.WITHDRAWN)
    ArticleFactory(published_at=timezone.now() + timedelta(hours=1))
    urls = lastmods(read_xml(client, "/sitemap-clanci.xml"))
    assert set(urls) == {SITE_URL + article.get_absolute_url() for article in published}
    assert all(urls.values())


def test_article_lastmod_is_its_latest_publication_update_or_edit(client):
    with time_machine.travel(datetime(2026, 1, 10, 12, tzinfo=UTC), tick=False):
        scheduled = ArticleFactory(published_at=datetime(2026, 1, 20, 12, tzinfo=UTC))
        earlier = datetime(2026, 1, 5, 12, tzinfo=UTC)
        updated = ArticleFactory(published_at=earlier, updated_at=datetime(2026, 1, 25, 12, tzinfo=UTC))
        edited = ArticleFactory(published_at=earlier)
    with time_machine.travel(datetime(2026, 2, 1, 12, tzinfo=UTC), tick=False):
        urls = lastmods(read_xml(client, "/sitemap-clanci.xml"))
        index = lastmods(read_xml(client, "/sitemap.xml"), "sm:sitemap")
    assert urls[SITE_URL + scheduled.get_absolute_url()] == "2026-01-20"
    assert urls[SITE_URL + updated.get_absolute_url()] == "2026-01-25"
    assert urls[SITE_URL + edited.get_absolute_url()] == "2026-01-10"
    assert index[f"{SITE_URL}/sitemap-clanci.xml"].startswith("2026-01-25T13:00:00")


def test_section_sitemap_has_the_front_page_and_every_section(client):
    sport = SectionFactory(name="Sport", slug="sport")
    SectionFactory(name="Kultura", slug="kultura")
    ArticleFactory(section=sport, published_at=datetime(2026, 1, 20, 12, tzinfo=UTC))
    ArticleFactory(section=sport, published_at=timezone.now() + timedelta(days=1))
    ArticleFactory(section=sport, status=Article.Status.DRAFT)
    urls = lastmods(read_xml(client, "/sitemap-rubrike.xml"))
    assert urls == {
        f"{SITE_URL}/": "2026-01-20",
        f"{SITE_URL}/sport/": "2026-01-20",
        f"{SITE_URL}/kultura/": None,
    }


@pytest.mark.parametrize(
    "url", ["/sitemap-nepostojeca.xml", "/sitemap-clanci.xml?p=2", "/sitemap-clanci.xml?p=abc"]
)
def test_unknown_sitemap_or_page_is_not_found(client, url):
    ArticleFactory()
    assert client.get(url).status_code == 404


def news_entries(client):
    urls = read_xml(client, "/sitemap-news.xml").findall("sm:url", NS)
    return [(url.findtext("sm:loc", namespaces=NS), url.find("news:news", NS)) for url in urls]


def test_news_sitemap_has_the_last_48_hours_newest_first(client):
    now = timezone.now()
    older = ArticleFactory(published_at=now - timedelta(hours=47))
    newer = ArticleFactory(published_at=now - timedelta(minutes=5))
    ArticleFactory(published_at=now - timedelta(hours=49))
    ArticleFactory(published_at=now + timedelta(minutes=5))
    ArticleFactory(published_at=now - timedelta(hours=1), status=Article.Status.DRAFT)
    ArticleFactory(published_at=now - timedelta(hours=1), status=Article.Status.WITHDRAWN)
    locations = [location for location, _ in news_entries(client)]
    assert locations == [SITE_URL + newer.get_absolute_url(), SITE_URL + older.get_absolute_url()]


def test_news_sitemap_describes_each_article_for_google_news(client):
    site_settings = SiteSettings.get_solo()
    site_settings.site_name = "Čitaonica & drugovi"
    site_settings.save()
    article = ArticleFactory(
        title="Rat & mir <uživo>: Đurđevdan u Žablju", published_at=datetime.now(UTC) - timedelta(hours=2)
    )
    raw = client.get("/sitemap-news.xml").content.decode()
    assert "Rat &amp; mir &lt;uživo&gt;: Đurđevdan u Žablju" in raw
    [(location, news)] = news_entries(client)
    assert location == SITE_URL + article.get_absolute_url()
    assert news.findtext("news:publication/news:name", namespaces=NS) == "Čitaonica & drugovi"
    assert news.findtext("news:publication/news:language", namespaces=NS) == "sr"
    assert news.findtext("news:title", namespaces=NS) == "Rat & mir <uživo>: Đurđevdan u Žablju"
    published = datetime.fromisoformat(news.findtext("news:publication_date", namespaces=NS))
    assert published == article.published_at


def test_news_sitemap_stops_at_its_limit(client, monkeypatch):
    monkeypatch.setattr(sitemaps, "NEWS_LIMIT", 2)
    for _ in range(3):
        ArticleFactory()
    assert len(news_entries(client)) == 2


def test_news_sitemap_without_recent_news_is_an_empty_urlset(client):
    ArticleFactory(published_at=timezone.now() - timedelta(days=3))
    assert news_entries(client) == []


def test_robots_txt_names_both_sitemaps_on_the_site_url(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert f"Sitemap: {SITE_URL}/sitemap.xml" in lines
    assert f"Sitemap: {SITE_URL}/sitemap-news.xml" in lines


@pytest.mark.parametrize(
    ("url", "budget"),
    [
        # count and latest change of articles, sections with their newest article, the site's pages (the
        # impresum is cached)
        ("/sitemap.xml", 4),
        ("/sitemap-clanci.xml", 2),  # count and page of articles
        ("/sitemap-rubrike.xml", 1),
        ("/sitemap-stranice.xml", 1),
        ("/sitemap-news.xml", 1),
    ],
)
@pytest.mark.usefixtures("uncached_pages")
def test_sitemap_query_count_does_not_grow_with_articles(client, django_assert_max_num_queries, url, budget):
    def add_articles(count):
        for _ in range(count):
            ArticleFactory(section=SectionFactory())

    def count_queries():
        client.get(url)  # site settings and the Site row are cached after the first request
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    add_articles(2)
    few = count_queries()
    add_articles(10)
    assert count_queries() == few
    with django_assert_max_num_queries(budget):
        client.get(url)
