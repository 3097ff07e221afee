"""Galleries as readers get them: a plain list of numbered figures in both scripts, which photo stands for
the article in feeds, link previews and JSON-LD (never a restricted one), and a query count that does not
grow with the photos."""

import re

import feedparser
import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Image
from articles.tests.factories import (
    ArticleFactory,
    GalleryFactory,
    ImageFactory,
    SectionFactory,
    gallery_figure,
)
from articles.tests.test_article_page import ARTICLE_PAGE_QUERY_BUDGET, ARTICLE_PAGE_WARM_QUERY_BUDGET
from articles.tests.test_feeds import FEED_QUERY_BUDGET
from articles.tests.test_metadata import Head
from config.delivery import fragments, reader_script
from config.delivery.page_cache import pages_cache

pytestmark = pytest.mark.django_db

SITE = "https://citaonica.example"
# The article page's budget (articles/tests/test_article_page.py) less the photos between paragraphs (there
# are none here), plus one query for all its galleries' photos and one for the link preview's photo (the
# first unrestricted one of the lead gallery, as it has no hero).
GALLERY_PAGE_QUERY_BUDGET = ARTICLE_PAGE_QUERY_BUDGET - 1 + 2

EDITORIAL = Image.Restriction.EDITORIAL
THIS_ARTICLE = Image.Restriction.THIS_ARTICLE


@pytest.fixture(autouse=True)
def public_origin(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def gallery_article():
    photos = [
        ImageFactory(caption="Poplave u Obrenovcu: voda je došla do prozora", credit="Marko Ilić"),
        ImageFactory(caption="Putin i Kim", credit="EPA-EFE/KCNA", restriction=EDITORIAL),
        ImageFactory(caption="Čamci spasilaca u ulici", credit="Tanjug", restriction=THIS_ARTICLE),
    ]
    gallery = GalleryFactory(title="Poplave u Obrenovcu", images=photos)
    item = gallery.items.get(image=photos[2])
    item.caption = "Spasioci iz Šapca čamcima obilaze kuće"  # this gallery's own caption
    item.save()
    return ArticleFactory(
        title="Voda se povlači iz Obrenovca",
        hero_image=ImageFactory(caption="Naslovna fotografija koju galerija zamenjuje"),
        lead_gallery=gallery,
        body="<p>Prvi pasus.</p><p>Drugi pasus.</p>",
    )


def figures(page):
    return re.findall(r'<li class="gallery__item">(.*?)</li>', page, re.DOTALL)


def test_lead_gallery_is_a_numbered_list_of_figures_in_place_of_the_hero(client, gallery_article):
    page = client.get(gallery_article.get_absolute_url()).content.decode()

    assert (
        '<section class="gallery gallery--lead" aria-label="Galerija: Poplave u Obrenovcu" data-gallery>'
        in page
    )
    assert "Naslovna fotografija koju galerija zamenjuje" not in page
    first, second, third = figures(page)
    assert '<span class="gallery__number">1 / 3</span>' in first
    assert "Poplave u Obrenovcu: voda je došla do prozora" in first and "Foto: Marko Ilić" in first
    assert '<span class="gallery__number">2 / 3</span>' in second
    assert "Foto: EPA-EFE/KCNA" in second and "EDITORIAL USE ONLY" in second
    assert "Spasioci iz Šapca čamcima obilaze kuće" in third and "Čamci spasilaca" not in third
    assert "Samo za ovaj članak" in third or "For this article only" in third
    # The first photo is the page's largest paint; the others wait until a reader gets near them.
    assert 'fetchpriority="high"' in first and 'loading="lazy"' not in first
    assert all('loading="lazy"' in later and "fetchpriority" not in later for later in (second, third))
    # The buttons are for the script to reveal; the script comes only with a gallery.
    assert '<div class="gallery__controls" hidden>' in page
    assert "Prethodna fotografija" in page and "Sledeća fotografija" in page
    assert re.search(r'<script src="[^"]*js/gallery\.js" defer></script>', page)


def test_gallery_in_cyrillic_keeps_the_numbers_and_converts_the_captions(client, gallery_article):
    page = client.get("/cir" + gallery_article.get_absolute_url()).content.decode()

    assert 'aria-label="Галерија: Поплаве у Обреновцу"' in page
    first, second, third = figures(page)
    assert '<span class="gallery__number">1 / 3</span>' in first
    assert "Поплаве у Обреновцу: вода је дошла до прозора" in first and "Фото: Марко Илић" in first
    assert '<span class="gallery__number">2 / 3</span>' in second
    assert "Спасиоци из Шапца чамцима обилазе куће" in third
    assert "Претходна фотографија" in page and "Следећа фотографија" in page


def test_a_gallery_in_the_body_replaces_its_placeholder_and_all_its_photos_wait(client):
    gallery = GalleryFactory(title="Sa festivala", images=[ImageFactory(), ImageFactory()])
    empty = GalleryFactory(title="Prazna galerija")
    article = ArticleFactory(
        body=f"<p>Pre.</p>{gallery_figure(gallery)}<p>Posle.</p>{gallery_figure(empty)}"
        '<figure data-gallery-id="999999"></figure><p>Kraj.</p>'
    )
    page = client.get(article.get_absolute_url()).content.decode()

    body = page.split('<div class="article__body">')[1].split('<aside class="share"')[0]
    assert (
        body.index("<p>Pre.</p>") < body.index('aria-label="Galerija: Sa festivala"') < body.index("Posle.")
    )
    assert "gallery--lead" not in body
    assert len(figures(page)) == 2 and all('loading="lazy"' in figure for figure in figures(page))
    # A gallery without photos, or one that is gone, leaves nothing behind.
    assert "Prazna galerija" not in page and "data-gallery-id" not in page


def test_a_page_without_a_gallery_does_not_load_the_gallery_script(client):
    page = client.get(ArticleFactory(hero_image=ImageFactory()).get_absolute_url()).content.decode()
    assert "gallery.js" not in page and "data-gallery" not in page


def _page_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.usefixtures("uncached_pages")
def test_article_page_query_count_does_not_grow_with_gallery_photos(client, settings):
    section = SectionFactory()
    articles = []
    for count in (3, 12):
        lead = GalleryFactory(images=[ImageFactory(restriction=EDITORIAL) for _ in range(count)])
        in_body = GalleryFactory(images=[ImageFactory() for _ in range(count)])
        articles.append(
            ArticleFactory(section=section, lead_gallery=lead, body=f"<p>Tekst.</p>{gallery_figure(in_body)}")
        )
    small, large = articles
    _page_queries(client, small.get_absolute_url())  # warm the site-settings cache and the schedule's
    settings.FRAGMENTS_COLD = fragments.COLD_ALL
    assert _page_queries(client, small.get_absolute_url()) == GALLERY_PAGE_QUERY_BUDGET
    assert _page_queries(client, large.get_absolute_url()) == GALLERY_PAGE_QUERY_BUDGET
    settings.FRAGMENTS_COLD = ""
    pages_cache().clear()
    for article in (small, large):
        assert _page_queries(client, article.get_absolute_url()) <= GALLERY_PAGE_QUERY_BUDGET
        assert _page_queries(client, article.get_absolute_url()) == ARTICLE_PAGE_WARM_QUERY_BUDGET


@pytest.mark.usefixtures("uncached_pages")
@pytest.mark.parametrize("script", [reader_script.LATIN, reader_script.CYRILLIC])
def test_gallery_page_is_the_same_to_the_byte_with_fragments_cold_and_warm(
    client, monkeypatch, gallery_article, script
):
    in_body = GalleryFactory(title="Čamci", images=[ImageFactory(caption="Čamac na Savi")])
    gallery_article.body += gallery_figure(in_body)
    gallery_article.save()
    url = reader_script.path_in(script, gallery_article.get_absolute_url())
    with time_machine.travel(gallery_article.published_at, tick=False):  # one moment: the comment form's
        with monkeypatch.context() as patched:
            patched.setattr(fragments, "fragment", lambda name, *, scopes, vary=(), render: render())
            without = client.get(url).content
        assert client.get(url).content == without
        assert client.get(url).content == without
    assert without.count(b'class="gallery__item"') == 4


# Which photo stands for the article outside its page: (hero, lead gallery, what is expected).
# A photo is (restriction, restriction note); "hero" and "gallery N" name the expected photo, None the site's.
SOCIAL_PHOTO_CASES = {
    "free hero": (("", ""), None, "hero"),
    "editorial hero, no gallery": ((EDITORIAL, ""), None, None),
    "this-article hero, no gallery": ((THIS_ARTICLE, ""), None, None),
    "hero with only a restriction note": (("", "Samo uz tekst o poplavama"), None, None),
    "free hero before a gallery": (("", ""), [("", "")], "hero"),
    "no hero, first free photo of the gallery": (
        None,
        [(EDITORIAL, ""), (THIS_ARTICLE, ""), ("", "Uslovi agencije"), ("", ""), ("", "")],
        "gallery 3",
    ),
    "editorial hero, free gallery photo": (((EDITORIAL, "")), [("", "")], "gallery 0"),
    "no hero, every gallery photo restricted": (
        None,
        [(EDITORIAL, ""), (THIS_ARTICLE, ""), ("", "Uslovi agencije")],
        None,
    ),
    "no hero, empty gallery": (None, [], None),
}


def _photo(spec):
    restriction, note = spec
    return ImageFactory(restriction=restriction, restriction_note=note)


@pytest.fixture(params=SOCIAL_PHOTO_CASES.values(), ids=SOCIAL_PHOTO_CASES.keys())
def social_case(request):
    hero_spec, gallery_specs, expected = request.param
    hero = _photo(hero_spec) if hero_spec else None
    photos = [_photo(spec) for spec in gallery_specs or []]
    gallery = GalleryFactory(images=photos) if gallery_specs is not None else None
    # A free photo in a body gallery never stands for the article: only the hero and the lead gallery do.
    in_body = GalleryFactory(images=[ImageFactory()])
    article = ArticleFactory(hero_image=hero, lead_gallery=gallery, body=f"<p>A</p>{gallery_figure(in_body)}")
    if expected is None:
        return article, None
    return article, hero if expected == "hero" else photos[int(expected.split()[1])]


def _file_name(url):
    return url.rsplit("/", 1)[-1].split(".")[0]


def test_link_preview_and_json_ld_show_only_an_unrestricted_photo(client, social_case):
    article, expected = social_case
    head = Head(client.get(article.get_absolute_url()).content.decode())
    og_image = head.one("og:image")
    news = head.json_ld[0]
    if expected is None:
        assert og_image.startswith(SITE + "/static/img/share")
        assert "image" not in news
    else:
        stem = _file_name(expected.file.name)
        assert stem in og_image and head.one("og:image:alt") == expected.alt_text
        [image] = news["image"]
        assert stem in image["url"]


@pytest.mark.parametrize("url", ["/rss/", "/atom/"])
def test_feed_encloses_only_an_unrestricted_photo(client, social_case, url):
    article, expected = social_case
    feed = feedparser.parse(client.get(url).content)
    assert feed.bozo == 0
    [entry] = feed.entries
    assert entry.link == SITE + article.get_absolute_url()
    if expected is None:
        assert entry.enclosures == []
    else:
        [enclosure] = entry.enclosures
        assert enclosure.href == SITE + expected.file.url


@pytest.mark.usefixtures("uncached_pages")
@pytest.mark.parametrize("items", [2, 12])
def test_feed_finds_gallery_photos_for_every_item_in_one_query(client, items):
    for _ in range(items):
        gallery = GalleryFactory(images=[ImageFactory(restriction=EDITORIAL), ImageFactory()])
        ArticleFactory(hero_image=ImageFactory(restriction=EDITORIAL), lead_gallery=gallery)
    client.get("/rss/")  # site settings and the Site row are cached after the first request
    with CaptureQueriesContext(connection) as queries:
        feed = feedparser.parse(client.get("/rss/").content)
    assert len(queries) == FEED_QUERY_BUDGET + 1
    assert len(feed.entries) == items and all(len(entry.enclosures) == 1 for entry in feed.entries)
