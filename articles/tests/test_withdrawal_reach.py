"""A withdrawn article is gone from every listing; unpublished ids tell nobody they exist."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from articles import services
from articles.models import Article, HourlyReadCount, SiteSettings
from articles.tests.factories import ArticleFactory, AuthorFactory, SectionFactory, TagFactory

pytestmark = pytest.mark.django_db

NOTICE = "Tekst je povučen na zahtev izvora."
# What differs from one request to the next by design: its id, the CSP nonce, the clock.
PER_REQUEST = {"x-request-id", "content-security-policy", "date"}


def answer(response):
    headers = {
        name.lower(): value for name, value in response.headers.items() if name.lower() not in PER_REQUEST
    }
    return response.status_code, headers, response.content


@pytest.mark.parametrize("prefix", ["", "/cir"], ids=["latin", "cyrillic"])
@pytest.mark.parametrize(
    "cookies", [{}, {"sessionid": "nepostojeca", "csrftoken": "x" * 32}], ids=["bare", "cookies"]
)
@pytest.mark.parametrize(
    "fields",
    [
        {"status": Article.Status.DRAFT, "published_at": None},
        {"status": Article.Status.READY, "published_at": None},
        {"published_at": "FUTURE"},
        {"published_at": "FUTURE", "withdrawn": True},  # withdrawn before it went live
    ],
    ids=["draft", "ready", "scheduled", "withdrawn-while-scheduled"],
)
@pytest.mark.parametrize("address", ["own", "other-slug", "other-section"])
def test_unpublished_ids_answer_byte_for_byte_as_a_missing_one(prefix, cookies, fields, address):
    """The same address, asked while the article is unpublished and after it is deleted: the same answer,
    status, headers and body (what differs per request by design aside)."""
    SiteSettings.get_solo()
    SectionFactory(name="Sport", slug="sport")
    fields = dict(fields)
    withdrawn = fields.pop("withdrawn", False)
    if fields.get("published_at") == "FUTURE":
        fields["published_at"] = timezone.now() + timedelta(days=1)
    article = ArticleFactory(section=SectionFactory(name="Politika", slug="politika"), slug="tekst", **fields)
    if withdrawn:
        services.withdraw([article.pk], notice=NOTICE)
    url = {
        "own": f"{prefix}/politika/{article.pk}-tekst/",
        "other-slug": f"{prefix}/politika/{article.pk}-drugi-naslov/",
        "other-section": f"{prefix}/sport/{article.pk}/",
    }[address]

    def get():
        client = Client()
        for name, value in cookies.items():
            client.cookies[name] = value
        return answer(client.get(url))

    unpublished = get()
    services.delete_shown([article])
    missing = get()
    assert missing[0] == 404
    assert unpublished == missing


@pytest.fixture
def withdrawn():
    SiteSettings.get_solo()
    section = SectionFactory(name="Hronika", slug="hronika")
    author, tag = AuthorFactory(slug="pisac"), TagFactory(slug="sud")
    kept = ArticleFactory(section=section, title="Presuda u drugom slučaju", authors=[author], tags=[tag])
    gone = ArticleFactory(
        section=section,
        title="Povučena vest o mostu",
        lead="Most se zatvara zbog popravki.",
        authors=[author],
        tags=[tag],
        published_at=timezone.now() - timedelta(minutes=5),
    )
    HourlyReadCount.objects.create(
        article=gone, hour=timezone.now().replace(minute=0, second=0, microsecond=0), reads=999
    )
    return kept, gone


def test_a_withdrawn_article_leaves_every_listing_feed_sitemap_and_search(withdrawn):
    kept, gone = withdrawn
    pages = [
        "/",
        "/hronika/",
        "/autor/pisac/",
        "/tema/sud/",
        "/rss/",
        "/atom/",
        "/hronika/rss/",
        "/sitemap-clanci.xml",
        "/sitemap-news.xml",
        "/pretraga/?q=most",
        kept.get_absolute_url(),  # "Povezano"
        f"/arhiva/{timezone.localdate(gone.published_at):%Y/%m/%d}/".replace("/0", "/"),
    ]

    def shows_it(page):
        return "Povučena vest o mostu" in page or gone.get_absolute_url() in page

    before = [url for url in pages if shows_it(Client().get(url).content.decode())]  # now in the page cache
    assert before == pages
    services.withdraw([gone.pk], notice=NOTICE)
    for url in pages:
        response = Client().get(url)
        assert response.status_code == 200, url
        assert not shows_it(response.content.decode()), url


@pytest.mark.parametrize("prefix", ["", "/cir"], ids=["latin", "cyrillic"])
def test_a_withdrawn_article_answers_410_with_the_notice_and_is_never_indexed(withdrawn, prefix):
    _, gone = withdrawn
    services.withdraw([gone.pk], notice=NOTICE)
    response = Client().get(prefix + gone.get_absolute_url())
    assert response.status_code == 410
    page = response.content.decode()
    assert '<meta name="robots" content="noindex">' in page
    assert ("на захтев извора" if prefix else NOTICE) in page
    assert "no-store" in response.headers["Cache-Control"]  # a browser keeps no 410 of an article
