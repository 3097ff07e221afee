import html
from datetime import UTC, datetime, timedelta

import feedparser
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article
from articles.tests.factories import ArticleFactory, AuthorFactory, ImageFactory, SectionFactory, TagFactory

pytestmark = pytest.mark.django_db

SITE_URL = "https://citaonica.example"
FEED_URLS = ["/rss/", "/atom/"]
FEED_QUERY_BUDGET = 3  # articles, their bylines, their tags
SECTION_FEED_QUERY_BUDGET = 4  # and the section


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE_URL


def read_feed(client, url):
    response = client.get(url)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    return feed


@pytest.fixture
def full_article():
    return ArticleFactory(
        section=SectionFactory(name="Sport", slug="sport"),
        title="Đoković osvojio turnir na Žabljaku",
        lead="Posle tri sata igre Đoković je slavio; publika je ćutke ispratila poslednji poen.",
        hero_image=ImageFactory(),
        published_at=datetime(2026, 3, 2, 18, 30, tzinfo=UTC),
        updated_at=datetime(2026, 3, 2, 21, 0, tzinfo=UTC),
        authors=[AuthorFactory(name="Jelena Đurić"), AuthorFactory(name="Petar Šarić")],
        tags=[TagFactory(name="Tenis")],
    )


@pytest.mark.parametrize("url", FEED_URLS)
def test_feed_shows_the_article_with_lead_photo_and_byline_on_the_site_url(client, full_article, url):
    feed = read_feed(client, url)
    entry = feed.entries[0]
    article_url = SITE_URL + full_article.get_absolute_url()
    assert feed.feed.title == "Čitaonica: najnovije vesti"
    assert feed.feed.link == SITE_URL + "/"
    assert html.unescape(entry.title) == "Đoković osvojio turnir na Žabljaku"
    assert html.unescape(entry.summary) == full_article.lead
    assert entry.link == article_url and entry.id == article_url
    assert entry.author == "Jelena Đurić, Petar Šarić"
    assert [tag.term for tag in entry.tags] == ["Sport", "Tenis"]
    assert entry.published_parsed[:5] == (2026, 3, 2, 18, 30)
    [enclosure] = entry.enclosures
    photo = full_article.hero_image.file
    assert enclosure.href == SITE_URL + photo.url
    assert enclosure.type == "image/jpeg" and int(enclosure.length) == photo.size


@pytest.mark.parametrize("url", FEED_URLS)
def test_feed_points_to_itself_and_says_it_is_serbian(client, url):
    ArticleFactory()
    response = client.get(url)
    feed = feedparser.parse(response.content)
    assert {link.href for link in feed.feed.links if link.rel == "self"} == {SITE_URL + url}
    assert feed.feed.language == "sr-Latn"
    assert response["Content-Type"].endswith("charset=utf-8")


def test_atom_entry_is_updated_when_the_newsroom_updated_it(client, full_article):
    entry = read_feed(client, "/atom/").entries[0]
    assert entry.updated_parsed[:5] == (2026, 3, 2, 21, 0)


def test_titles_with_markup_characters_reach_readers_as_written(client):
    ArticleFactory(title="Rat & mir <uživo>", lead="Prvi & drugi < treći")
    rss, atom = read_feed(client, "/rss/").entries[0], read_feed(client, "/atom/").entries[0]
    # RSS readers take the title as HTML, Atom ones as plain text; both show what the newsroom wrote.
    assert html.unescape(rss.title) == "Rat & mir <uživo>"
    assert atom.title == "Rat & mir <uživo>"
    assert html.unescape(rss.summary) == html.unescape(atom.summary) == "Prvi & drugi < treći"


@pytest.mark.parametrize("url", FEED_URLS)
def test_feed_lists_only_published_articles(client, url):
    ArticleFactory(title="Objavljena vest")
    ArticleFactory(title="Nacrt", status=Article.Status.DRAFT)
    ArticleFactory(title="Spremno", status=Article.Status.READY)
    ArticleFactory(title="Povučena vest", status=Article.Status.WITHDRAWN)
    ArticleFactory(title="Zakazana vest", published_at=timezone.now() + timedelta(hours=1))
    assert [entry.title for entry in read_feed(client, url).entries] == ["Objavljena vest"]


@pytest.mark.parametrize("url", [*FEED_URLS, "/sport/rss/", "/sport/atom/"])
def test_feed_without_articles_is_still_a_valid_feed(client, url):
    SectionFactory(name="Sport", slug="sport")
    assert read_feed(client, url).entries == []


@pytest.mark.parametrize("url", FEED_URLS)
def test_feed_holds_the_thirty_newest_articles_newest_first(client, url):
    now = timezone.now()
    for minutes in range(31):
        ArticleFactory(title=f"Vest {minutes}", published_at=now - timedelta(minutes=minutes + 1))
    titles = [entry.title for entry in read_feed(client, url).entries]
    assert titles == [f"Vest {minutes}" for minutes in range(30)]


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_section_feed_has_only_that_section(client, kind):
    politics = SectionFactory(name="Politika", slug="politika")
    ArticleFactory(section=politics, title="Skupština zasedala do ponoći")
    ArticleFactory(title="Vest iz druge rubrike")
    ArticleFactory(section=politics, title="Zakazana vest", published_at=timezone.now() + timedelta(days=1))
    feed = read_feed(client, f"/politika/{kind}/")
    assert feed.feed.title == "Čitaonica: Politika"
    assert feed.feed.link == SITE_URL + "/politika/"
    assert [entry.title for entry in feed.entries] == ["Skupština zasedala do ponoći"]


@pytest.mark.parametrize("url", ["/nepostojeca/rss/", "/nepostojeca/atom/"])
def test_feed_of_unknown_section_is_not_found(client, url):
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("url", FEED_URLS)
def test_missing_photo_file_leaves_the_item_without_enclosure(client, url):
    photo = ImageFactory()
    ArticleFactory(title="Vest bez fotografije na disku", hero_image=photo)
    photo.file.storage.delete(photo.file.name)
    [entry] = read_feed(client, url).entries
    assert entry.title == "Vest bez fotografije na disku"
    assert entry.enclosures == []


@pytest.mark.parametrize(
    ("url", "budget"),
    [
        ("/rss/", FEED_QUERY_BUDGET),
        ("/atom/", FEED_QUERY_BUDGET),
        ("/sport/rss/", SECTION_FEED_QUERY_BUDGET),
        ("/sport/atom/", SECTION_FEED_QUERY_BUDGET),
    ],
)
@pytest.mark.usefixtures("uncached_pages")
def test_feed_query_count_does_not_grow_with_items(client, django_assert_max_num_queries, url, budget):
    sport = SectionFactory(name="Sport", slug="sport")

    def add_articles(count):
        for _ in range(count):
            ArticleFactory(
                section=sport,
                hero_image=ImageFactory(),
                authors=[AuthorFactory(), AuthorFactory()],
                tags=[TagFactory(), TagFactory()],
            )

    def count_queries():
        client.get(url)  # site settings and the Site row are cached after the first request
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    add_articles(3)
    few = count_queries()
    add_articles(27)
    assert count_queries() == few
    with django_assert_max_num_queries(budget):
        assert len(read_feed(client, url).entries) == 30


@pytest.mark.parametrize("url", ["/cir/rss/", "/cir/atom/", "/cir/kultura/rss/"])
def test_cyrillic_feeds_carry_the_texts_in_cyrillic_and_links_to_cyrillic_pages(client, settings, url):
    settings.SITE_URL = "https://citaonica.example"
    section = SectionFactory(name="Kultura", slug="kultura")
    article = ArticleFactory(section=section, title="Džez & bluz u Šapcu", lead="Ljubitelji muzike stižu.")
    feed = feedparser.parse(client.get(url).content)
    assert feed.bozo == 0
    assert feed.feed.language == "sr-Cyrl"
    (entry,) = feed.entries
    assert html.unescape(entry.title) == "Џез & блуз у Шапцу"
    assert entry.summary == "Љубитељи музике стижу."
    assert entry.link == "https://citaonica.example/cir" + article.get_absolute_url()
    assert "Култура" in [tag.term for tag in entry.tags]
