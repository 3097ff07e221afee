"""Readers see no English: every interface string on the public pages comes from the Serbian catalogue."""

import re
from html.parser import HTMLParser

import pytest
from django.db.models import Count
from django.test import RequestFactory
from django.utils import timezone
from django.views.defaults import server_error
from playwright.sync_api import expect

from articles import demo_content, views
from articles.demo import load_demo
from articles.models import Article, Author, Section, Tag
from articles.tests.factories import ArticleFactory
from articles.transliteration import to_cyrillic, to_latin
from comments.demo import DISCUSSION, load_demo_comments
from comments.models import ArticleComment
from comments.tests.conftest import comment_form_fields

pytestmark = pytest.mark.django_db

# English words an untranslated interface string would show. Words that are also Serbian stay out:
# "to" ("to je"), "most" (bridge), "more" (sea), "on" (he), "no" (but), "date" (given), "note", "post"
# (fasting), "front", "link" (the site says "Kopiraj link").
ENGLISH_WORDS = re.compile(
    r"\b(the|and|of|for|by|comments?|repl(?:y|ies)|pages?|next|previous|older|newer|search|submit|send|"
    r"name|e-?mail|required|field|errors?|log ?in|sign(?: ?in| ?up)?|share|read(?: more)?|tags?|authors?|"
    r"sections?|published|updated|home|archive|report|likes?|dislikes?|newest|oldest|latest|popular|"
    r"this|that|with|from|your|you|found|results?|articles?|news|photo|cancel|show|copy|copied|related|"
    r"not|optional|about|please)\b",
    re.IGNORECASE,
)
VISIBLE_ATTRIBUTES = {"alt", "title", "aria-label", "placeholder"}
HIDDEN_ELEMENTS = {"script", "style"}


class VisibleText(HTMLParser):
    """The text a reader sees or hears: text outside scripts and styles, and the attributes screen readers
    and tooltips read, plus the ``data-*-label`` texts our scripts put on the page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.hidden_depth = 0

    def handle_starttag(self, tag, attrs):
        if tag in HIDDEN_ELEMENTS:
            self.hidden_depth += 1
        for name, value in attrs:
            shown = name in VISIBLE_ATTRIBUTES or (name.startswith("data-") and name.endswith("-label"))
            if value and shown:
                self.parts.append(value)
        attrs = dict(attrs)
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.parts.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag in HIDDEN_ELEMENTS and self.hidden_depth:
            self.hidden_depth -= 1

    def handle_data(self, data):
        if not self.hidden_depth and data.strip():
            self.parts.append(data.strip())


def visible_text(html):
    parser = VisibleText()
    parser.feed(html)
    parser.close()
    return "\n".join(parser.parts)


def english_words(html):
    return sorted({match.group(0) for match in ENGLISH_WORDS.finditer(visible_text(html))})


@pytest.fixture
def demo(monkeypatch):
    """The demo site with its comments, and listings of one article a page to show the pagination."""
    load_demo(photo_size=(320, 200), make_renditions=False)
    load_demo_comments()
    monkeypatch.setattr(views, "LISTING_PAGE_SIZE", 1)
    commented = Article.objects.filter(reader_comments__level__gt=0).distinct().first()
    section = Section.objects.annotate(count=Count("articles")).order_by("-count").first()
    assert section.count >= 3, "page 2 of a section shows both pagination links"
    return {
        "article": commented,
        "section": section,
        "tag": Tag.objects.filter(articles__isnull=False).first(),
        "author": Author.objects.filter(articles__isnull=False).first(),
        "day": timezone.localdate(commented.published_at),
    }


# One entry per public page. The Cyrillic pages ("/cir" + the same address) are checked the same way once
# their text is transliterated back to Latin before matching; add them as a second script parameter.
PAGES = [
    pytest.param(lambda demo: "/", id="front-page"),
    pytest.param(lambda demo: demo["article"].get_absolute_url(), id="article-with-comments"),
    pytest.param(
        lambda demo: f"{demo['article'].get_absolute_url()}?odgovor={reply_target(demo)}",
        id="article-replying",
    ),
    pytest.param(lambda demo: f"{demo['section'].get_absolute_url()}?page=2", id="section"),
    pytest.param(lambda demo: demo["tag"].get_absolute_url(), id="tag"),
    pytest.param(lambda demo: demo["author"].get_absolute_url(), id="author"),
    pytest.param(
        lambda demo: f"/arhiva/{demo['day'].year}/{demo['day'].month}/{demo['day'].day}/", id="archive-day"
    ),
    pytest.param(lambda demo: "/pretraga/", id="search-empty"),
    pytest.param(lambda demo: "/pretraga/?q=staza", id="search-with-results"),
    pytest.param(lambda demo: "/pretraga/?q=kvrgnjav", id="search-without-results"),
    pytest.param(lambda demo: "/pretraga/?q=%21%21%21", id="search-without-words"),
    pytest.param(lambda demo: "/pretraga/?q=staza&od=jucer&rubrika=nema", id="search-form-errors"),
    pytest.param(lambda demo: "/ova-stranica-ne-postoji/", id="not-found"),
]


def reply_target(demo):
    return ArticleComment.objects.filter(article=demo["article"], is_public=True, level=0).first().pk


@pytest.mark.parametrize("address", PAGES)
def test_public_page_shows_no_english_interface_words(client, demo, address):
    response = client.get(address(demo))
    assert response.status_code in (200, 400, 404)
    html = response.content.decode()
    assert "<main" in html, "the page rendered no content to check"
    assert english_words(html) == []


# A run of Latin letters (Serbian Latin included) in text that should be Cyrillic.
LATIN_WORD = re.compile(r"[A-Za-zČĆŽŠĐčćžšđ][A-Za-zČĆŽŠĐčćžšđ'-]*")


@pytest.mark.parametrize("address", PAGES)
def test_cyrillic_page_shows_no_english_and_no_stray_latin(client, demo, address):
    response = client.get("/cir" + address(demo))
    assert response.status_code in (200, 400, 404)
    html = response.content.decode()
    assert '<html lang="sr-Cyrl">' in html
    text = visible_text(html)
    # What the transliterator keeps on purpose (addresses, agencies, brands, Roman numerals, words with
    # q/w/x/y) is allowed; any other Latin word escaped transliteration.
    stray = sorted({word for word in LATIN_WORD.findall(text) if to_cyrillic(word) != word})
    assert stray == []
    assert sorted({m.group(0) for m in ENGLISH_WORDS.finditer(to_latin(text))}) == []


def test_refused_comment_page_with_form_errors_shows_no_english(client, demo):
    article = demo["article"]
    fields = comment_form_fields(client.get(article.get_absolute_url()).content.decode())
    fields.update(name="", email="nije-adresa", comment="")
    response = client.post("/komentari/posalji/", fields)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="errorlist' in html
    assert english_words(html) == []


def test_server_error_page_shows_no_english():
    assert english_words(server_error(RequestFactory().get("/")).content.decode()) == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_copying_the_link_confirms_it_in_the_words_the_page_gave(live_server, context, page):
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    article = ArticleFactory()
    page.goto(live_server.url + article.get_absolute_url())
    page.get_by_role("link", name="Kopiraj link").click()
    expect(page.locator("[data-copy-link]")).to_have_text("Link je kopiran")
    assert page.evaluate("navigator.clipboard.readText()").endswith(article.get_absolute_url())


def test_the_check_finds_english_in_text_and_read_attributes_only():
    html = (
        '<p>Read more</p><img alt="Next page" src="/the-photo.jpg">'
        '<a href="#" data-copied-label="Link copied">x</a>'
        "<script>const reply = 1;</script><style>.comment {}</style>"
    )
    assert english_words(html) == ["Next", "Read more", "copied", "page"]


def test_the_word_list_has_no_false_positives_in_serbian_text():
    shown = {"name", "bio", "kicker", "title", "lead", "body", "hero_caption", "seo_description"}
    shown |= {"alt", "caption", "credit", "restriction_note"}
    specs = [
        *demo_content.SECTIONS,
        *demo_content.AUTHORS,
        *demo_content.TAGS,
        *demo_content.IMAGES,
        *demo_content.ARTICLES,
    ]
    texts = [spec[key] for spec in specs for key in shown & spec.keys()]
    texts += [
        text
        for name, comment, replies in DISCUSSION
        for text in [name, comment, *(part for reply in replies for part in reply)]
    ]
    found = {match.group(0) for text in texts for match in ENGLISH_WORDS.finditer(visible_text(text))}
    assert found == set()
