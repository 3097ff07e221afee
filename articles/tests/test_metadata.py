"""Titles, descriptions, canonical links, Open Graph, Twitter cards and JSON-LD: what search engines and
link previews read from every public page."""

import json
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.utils import timezone

from articles.tests.factories import ArticleFactory, AuthorFactory, ImageFactory, SectionFactory, TagFactory

pytestmark = pytest.mark.django_db

SITE = "https://citaonica.example"


class Head(HTMLParser):
    def __init__(self, html):
        super().__init__()
        self.meta, self.links, self.json_ld, self.title = {}, [], [], ""
        self._in, self._script = None, ""
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta":
            key = attrs.get("property") or attrs.get("name")
            self.meta.setdefault(key, []).append(attrs.get("content"))
        elif tag == "link":
            self.links.append(attrs)
        elif tag == "title" or (tag == "script" and attrs.get("type") == "application/ld+json"):
            self._in, self._script = tag, ""

    def handle_data(self, data):
        if self._in:
            self._script += data

    def handle_endtag(self, tag):
        if tag == self._in == "title":
            self.title = self._script
        elif tag == self._in == "script":
            self.json_ld.append(json.loads(self._script))
        if tag == self._in:
            self._in = None

    def one(self, key):
        (value,) = self.meta[key]
        return value

    def canonical(self):
        (href,) = [link["href"] for link in self.links if link.get("rel") == "canonical"]
        return href


@pytest.fixture(autouse=True)
def public_origin(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def article():
    author = AuthorFactory(name="Milica Đorđević", slug="milica-djordjevic")
    return ArticleFactory(
        section=SectionFactory(name="Svet", slug="svet"),
        title="Pregovori u Ženevi nastavljeni posle pauze",
        lead="Delegacije su se vratile za sto. " * 10,
        hero_image=ImageFactory(alt_text="Delegacije za stolom"),
        authors=[author],
        tags=[TagFactory(name="Diplomatija", slug="diplomatija")],
        updated_at=timezone.now(),
    )


def head_of(client, url, **headers):
    response = client.get(url, headers=headers)
    assert response.status_code == 200
    return Head(response.content.decode())


def test_every_listing_page_has_title_description_canonical_and_preview_tags(client, article):
    day = timezone.localdate(article.published_at)
    pages = {
        "/": "Čitaonica",
        "/svet/": "Svet",
        "/tema/diplomatija/": "Diplomatija",
        "/autor/milica-djordjevic/": "Milica Đorđević",
        f"/arhiva/{day.year}/{day.month}/{day.day}/": "Arhiva",
    }
    for url, name in pages.items():
        head = head_of(client, url)
        assert name in head.title and "Čitaonica" in head.title, url
        assert head.one("description"), url
        assert head.canonical() == SITE + url
        assert head.one("og:url") == SITE + url
        assert name in head.one("og:title"), url
        assert head.one("og:description") == head.one("description"), url
        assert head.one("og:image").startswith(SITE + "/static/img/share")
        assert (head.one("og:image:width"), head.one("og:image:height")) == ("1200", "630")
        assert head.one("twitter:card") == "summary_large_image"


def test_article_preview_tags_carry_the_photo_with_its_size(client, article):
    head = head_of(client, article.get_absolute_url())
    assert head.title == "Pregovori u Ženevi nastavljeni posle pauze | Čitaonica"
    assert head.one("og:type") == "article"
    assert head.one("og:title") == article.title
    assert head.one("description") == head.one("og:description")
    assert len(head.one("description")) <= 160 and head.one("description").endswith(("…", "..."))
    image = head.one("og:image")
    assert image.startswith(SITE + "/media/") and image.endswith(".jpg")
    # The factory's photo is 1200 × 800: the preview is its 1200 × 630 crop.
    assert (head.one("og:image:width"), head.one("og:image:height")) == ("1200", "630")
    assert head.one("og:image:alt") == "Delegacije za stolom"
    # X reads og:title, og:description, og:image and og:image:alt when its own tags are missing: only the
    # card type, which has no og: equivalent, is repeated for it.
    assert head.one("twitter:card") == "summary_large_image"
    assert [name for name in head.meta if name and name.startswith("twitter:")] == ["twitter:card"]
    assert head.one("article:section") == "Svet"
    assert head.meta["article:tag"] == ["Diplomatija"]
    assert head.one("article:published_time") == timezone.localtime(article.published_at).isoformat()


def test_canonical_address_ignores_the_host_the_request_named(client, article):
    head = head_of(client, article.get_absolute_url(), Host="localhost")
    assert head.canonical() == SITE + article.get_absolute_url()


def test_later_pages_of_a_listing_are_their_own_canonical_page(client):
    section = SectionFactory(slug="sport")
    for hours in range(25):
        ArticleFactory(section=section, published_at=timezone.now() - timedelta(hours=hours + 1))
    assert head_of(client, "/sport/?page=2").canonical() == SITE + "/sport/?page=2"
    assert head_of(client, "/sport/?page=abc").canonical() == SITE + "/sport/"


def test_article_json_ld_describes_the_news_article_and_its_breadcrumbs(client, article):
    news, breadcrumbs = head_of(client, article.get_absolute_url()).json_ld
    url = SITE + article.get_absolute_url()
    assert news["@type"] == "NewsArticle"
    assert news["headline"] == article.title
    assert news["mainEntityOfPage"]["@id"] == url
    assert news["datePublished"] == timezone.localtime(article.published_at).isoformat()
    assert news["dateModified"] == timezone.localtime(article.updated_at).isoformat()
    assert news["datePublished"].endswith(("+01:00", "+02:00"))  # Belgrade time, as the page shows it
    assert news["author"] == [
        {"@type": "Person", "name": "Milica Đorđević", "url": SITE + "/autor/milica-djordjevic/"}
    ]
    assert news["image"][0]["width"] == 1200 and news["image"][0]["url"].startswith(SITE + "/media/")
    logo = news["publisher"]["logo"]
    assert news["publisher"]["name"] == "Čitaonica" and logo["url"].startswith(SITE + "/static/img/logo")
    assert [item["name"] for item in breadcrumbs["itemListElement"]] == ["Naslovna", "Svet", article.title]
    assert [item["position"] for item in breadcrumbs["itemListElement"]] == [1, 2, 3]


def test_editor_text_cannot_close_the_json_ld_script(client):
    hostile = 'Naslov </script><script>alert("x")</script> <!-- & kraj'
    article = ArticleFactory(title=hostile, lead="Uvod </SCRIPT> sa pokušajem", kicker="</script>")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<script>alert" not in html
    head = Head(html)
    news, breadcrumbs = head.json_ld
    assert news["headline"] == hostile
    assert news["description"] == "Uvod </SCRIPT> sa pokušajem"
    assert breadcrumbs["itemListElement"][2]["name"] == hostile


def test_pages_link_their_feeds(client, article):
    home = head_of(client, "/")
    feeds = {link["href"] for link in home.links if link.get("rel") == "alternate" and link.get("type")}
    assert feeds == {"/rss/", "/atom/"}
    section = head_of(client, "/svet/")
    feeds = {link["href"] for link in section.links if link.get("rel") == "alternate" and link.get("type")}
    assert feeds == {"/rss/", "/atom/", "/svet/rss/", "/svet/atom/"}


def test_not_found_page_is_not_indexed(client):
    response = client.get("/nema-ove-stranice/")
    assert response.status_code == 404
    head = Head(response.content.decode())
    assert head.one("robots") == "noindex"
    assert not [link for link in head.links if link.get("rel") == "canonical"]
