"""Live blogs: entries on the page and in its polled part, "UŽIVO" on cards, the end with no save, JSON-LD."""

import json
import re
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import live, services
from articles.models import Article, LiveEntry, SiteSettings
from config.delivery import fragments

from .factories import ArticleFactory, ImageFactory, SectionFactory
from .test_article_page import ARTICLE_PAGE_QUERY_BUDGET

pytestmark = pytest.mark.django_db

# A live blog's page: the article page's budget (articles/tests/test_article_page.py) and its entries.
LIVE_PAGE_QUERY_BUDGET = ARTICLE_PAGE_QUERY_BUDGET + 1
YOUTUBE = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"


@pytest.fixture
def live_blog():
    SiteSettings.get_solo()
    return ArticleFactory(
        section=SectionFactory(name="Politika", slug="politika"),
        title="Izborna noć: rezultati uživo",
        is_live_blog=True,
        live_summary="Biračka mesta su zatvorena.\n\nPrvi rezultati stižu oko 21 čas.",
        published_at=timezone.now() - timedelta(hours=2),
    )


def add_entry(article, text, **values):
    entry = LiveEntry(article=article, text=text, **values)
    live.save_entry(entry)
    return entry


def page(url, client=None):
    response = (client or Client()).get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_live_blog_page_shows_badge_summary_and_entries_newest_first(live_blog):
    first = add_entry(live_blog, "Zatvorena su biračka mesta.\n\nIzlaznost je 58 odsto.")
    second = add_entry(
        live_blog, "Prvi preliminarni rezultati <b>stižu</b>.", embed_url=YOUTUBE, embed_title="Konferencija"
    )
    html = page(live_blog.get_absolute_url())
    assert '<p class="live-badge">' in html and "UŽIVO" in html
    assert "Biračka mesta su zatvorena." in html
    assert html.index(f'id="unos-{second.pk}"') < html.index(f'id="unos-{first.pk}"')
    assert "<p>Zatvorena su biračka mesta.</p>" in html and "<p>Izlaznost je 58 odsto.</p>" in html
    assert "&lt;b&gt;stižu&lt;/b&gt;" in html  # entries are plain text
    assert 'data-embed-provider="youtube"' in html and "<iframe" not in html  # loaded only on a click
    assert "js/live.js" in html and "js/embeds.js" in html
    local = timezone.localtime(second.posted_at)
    assert f">{local:%H:%M}</time>" in html


def test_entry_with_photo_shows_the_figure(live_blog):
    photo = ImageFactory(caption="Štab posle zatvaranja birališta", credit="Ana Ilić")
    add_entry(live_blog, "Atmosfera u štabu.", image=photo)
    html = page(live_blog.get_absolute_url())
    assert "Štab posle zatvaranja birališta" in html and "Foto: Ana Ilić" in html
    assert "<picture" in html.split('class="live-entry"')[1]


def test_a_normal_article_has_no_live_parts(live_blog):
    article = ArticleFactory(section=live_blog.section, title="Obična vest")
    html = page(article.get_absolute_url())
    assert "live-badge" not in html and "js/live.js" not in html and 'class="live"' not in html


def test_entry_older_than_today_shows_its_date(live_blog):
    entry = add_entry(live_blog, "Juče je počela kampanja.")
    LiveEntry.objects.filter(pk=entry.pk).update(posted_at=timezone.now() - timedelta(days=2))
    services.save_shown(SiteSettings.get_solo())
    html = page(live_blog.get_absolute_url())
    day = timezone.localtime(timezone.now() - timedelta(days=2))
    assert re.search(rf">{day.day}\. [a-z]+, {day:%H:%M}</time>", html)


def test_adding_an_entry_shows_at_once_and_marks_the_article_updated(live_blog):
    url = live_blog.get_absolute_url()
    page(url)
    page(url)  # kept
    before = timezone.now()
    add_entry(live_blog, "Stigli su rezultati sa 30 odsto prebrojanih glasova.")
    assert "30 odsto prebrojanih" in page(url)
    live_blog.refresh_from_db()
    assert live_blog.updated_at >= before
    assert "Ažurirano:" in page(url)


def test_deleting_and_editing_entries_reach_the_page(live_blog):
    entry = add_entry(live_blog, "Pogrešan podatak o izlaznosti.")
    url = live_blog.get_absolute_url()
    assert "Pogrešan podatak" in page(url)
    entry.text = "Ispravljen podatak o izlaznosti."
    live.save_entry(entry)
    assert "Ispravljen podatak" in page(url) and "Pogrešan podatak" not in page(url)
    live.delete_entries([entry])
    assert "Ispravljen podatak" not in page(url)


def test_ending_coverage_removes_uzivo_from_page_and_cards(live_blog):
    ArticleFactory(
        section=live_blog.section, title="Novija vest"
    )  # the front page's lead: the blog is listed
    url = live_blog.get_absolute_url()
    assert "live-badge" in page(url)
    assert "article-card__live" in page("/politika/") and "headline-list__live" in page("/")
    live.end_coverage(live_blog)
    assert "live-badge" not in page(url) and "Praćenje je završeno" in page(url)
    assert "article-card__live" not in page("/politika/") and "headline-list__live" not in page("/")


def test_coverage_ends_at_live_until_with_no_save(live_blog):
    end = timezone.now() + timedelta(minutes=30)
    live_blog.live_until = end
    services.save_article(live_blog)
    url = live_blog.get_absolute_url()
    assert "live-badge" in page(url) and "article-card__live" in page("/politika/")
    assert "live-badge" in page(url)  # from the cache
    with time_machine.travel(end + timedelta(seconds=1)):
        assert "live-badge" not in page(url)
        assert "article-card__live" not in page("/politika/")
        assert "headline-list__live" not in page("/")
        polled = page(f"/uzivo/{live_blog.pk}/")
        assert 'data-live-state="ended"' in polled


def test_next_live_end_is_the_nearest_future_end(live_blog):
    assert live.next_live_end() is None  # no end set
    near = timezone.now() + timedelta(minutes=5)
    ArticleFactory(is_live_blog=True, live_until=timezone.now() + timedelta(hours=1))
    ArticleFactory(is_live_blog=True, live_until=near)
    ArticleFactory(is_live_blog=True, live_until=timezone.now() - timedelta(minutes=1))
    assert live.next_live_end() == near


# The polled part


def test_polled_part_gives_newer_entries_only(live_blog):
    first = add_entry(live_blog, "Prvi unos.")
    second = add_entry(live_blog, "Drugi unos.")
    everything = page(f"/uzivo/{live_blog.pk}/")
    assert "Prvi unos." in everything and "Drugi unos." in everything
    assert f'data-live-newest="{second.pk}"' in everything and 'data-live-state="live"' in everything
    newer = page(f"/uzivo/{live_blog.pk}/?posle={first.pk}")
    assert "Drugi unos." in newer and "Prvi unos." not in newer
    nothing = page(f"/uzivo/{live_blog.pk}/?posle={second.pk}")
    assert "live-entry" not in nothing and f'data-live-newest="{second.pk}"' in nothing
    assert "<html" not in everything  # a part, not a page


def test_polled_part_answers_304_while_unchanged_and_200_after_an_entry(live_blog):
    first = add_entry(live_blog, "Prvi unos.")
    url = f"/uzivo/{live_blog.pk}/?posle={first.pk}"
    made = Client().get(url)
    etag = made["ETag"]
    assert made.status_code == 200 and etag
    cache_control = {part.strip() for part in made["Cache-Control"].split(",")}
    assert {"public", "max-age=0"} <= cache_control
    with CaptureQueriesContext(connection) as queries:
        hit = Client().get(url, HTTP_IF_NONE_MATCH=etag)
    assert hit.status_code == 304 and hit.content == b"" and len(queries) == 0
    with CaptureQueriesContext(connection) as queries:
        full = Client().get(url)
    assert full.status_code == 200 and full.page_cache_hit and len(queries) == 0
    add_entry(live_blog, "Novi unos.")
    changed = Client().get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and "Novi unos." in changed.content.decode()
    # Made afresh, and the reader already has it: 304 from the view's first answer too.
    from config.delivery.page_cache import local_copies, pages_cache

    pages_cache().clear()
    local_copies.clear()
    again = Client().get(url, HTTP_IF_NONE_MATCH=changed["ETag"])
    assert again.status_code == 304


def test_signed_in_readers_share_the_polled_part(live_blog, django_user_model):
    add_entry(live_blog, "Prvi unos.")
    url = f"/uzivo/{live_blog.pk}/"
    page(url)
    reader = django_user_model.objects.create_user("citalac", password="x")
    client = Client()
    client.force_login(reader)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200 and len(queries) == 0


def test_polled_part_is_missing_alike_for_every_article_that_is_not_a_public_live_blog(live_blog):
    normal = ArticleFactory(section=live_blog.section)
    draft = ArticleFactory(is_live_blog=True, status=Article.Status.DRAFT, published_at=None)
    scheduled = ArticleFactory(is_live_blog=True, published_at=timezone.now() + timedelta(hours=1))
    withdrawn = ArticleFactory(is_live_blog=True)
    services.withdraw([withdrawn.pk])
    ids = (normal.pk, draft.pk, scheduled.pk, withdrawn.pk, 999999)
    answers = [Client().get(f"/uzivo/{pk}/") for pk in ids]
    assert {answer.status_code for answer in answers} == {404}
    # The same page but for its own address.
    assert (
        len(
            {
                answer.content.replace(f"/uzivo/{pk}/".encode(), b"")
                for answer, pk in zip(answers, ids, strict=True)
            }
        )
        == 1
    )
    assert Client().get(f"/uzivo/{live_blog.pk}/?posle=abc").status_code == 200  # a bad id names nothing


def test_polled_part_in_cyrillic(live_blog):
    add_entry(live_blog, "Šef izbornog štaba čestitao je pobedniku.")
    html = page(f"/cir/uzivo/{live_blog.pk}/")
    assert "Шеф изборног штаба" in html
    live_page = page("/cir" + live_blog.get_absolute_url())
    assert f'data-live-url="/cir/uzivo/{live_blog.pk}/"' in live_page
    assert "УЖИВО" in live_page


# Query counts


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.usefixtures("uncached_pages")
def test_live_blog_page_query_count_does_not_grow_with_entries(client, settings, live_blog):
    small = live_blog
    large = ArticleFactory(section=small.section, is_live_blog=True)
    photo = ImageFactory()
    for number in range(3):
        add_entry(small, f"Unos {number}.", image=photo if number == 0 else None)
    for number in range(30):
        add_entry(
            large, f"Unos {number}.", image=ImageFactory() if number % 3 == 0 else None, embed_url=YOUTUBE
        )
    settings.FRAGMENTS_COLD = fragments.COLD_ALL
    _queries(client, small.get_absolute_url())
    assert _queries(client, small.get_absolute_url()) == _queries(client, large.get_absolute_url())
    live_count = _queries(client, large.get_absolute_url())
    assert live_count <= LIVE_PAGE_QUERY_BUDGET
    # The entries are the one query a live blog adds; an article that is not one keeps its count.
    Article.objects.filter(pk=large.pk).update(is_live_blog=False)
    assert _queries(client, large.get_absolute_url()) == live_count - 1


@pytest.mark.usefixtures("uncached_pages")
def test_polled_part_query_count_is_fixed(client, live_blog):
    for number in range(20):
        add_entry(live_blog, f"Unos {number}.", image=ImageFactory() if number % 2 else None)
    assert _queries(client, f"/uzivo/{live_blog.pk}/") == 2  # the article, then its entries


def test_cards_say_uzivo_with_no_query_per_card(live_blog, client, settings):
    settings.PAGE_CACHE_SECONDS = 0
    ended = ArticleFactory(section=live_blog.section, is_live_blog=True, live_until=timezone.now())
    page("/politika/")
    one_live = _queries(client, "/politika/")
    for _ in range(3):
        ArticleFactory(section=live_blog.section, is_live_blog=True)
    html = page("/politika/")
    assert html.count('<span class="article-card__live">UŽIVO</span>') == 4
    assert ended.title in html  # its card, with no badge: 4 of 5 live blogs still run
    assert _queries(client, "/politika/") == one_live


# JSON-LD


def json_ld(html):
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [json.loads(block) for block in blocks]


def test_live_blog_json_ld_is_a_live_blog_posting(live_blog):
    entries = [add_entry(live_blog, f"Unos broj {number} o rezultatima.") for number in range(25)]
    data = json_ld(page(live_blog.get_absolute_url()))[0]
    assert data["@type"] == "LiveBlogPosting"
    assert data["coverageStartTime"] and "coverageEndTime" not in data
    updates = data["liveBlogUpdate"]
    assert len(updates) == live.JSON_LD_ENTRIES
    assert updates[0]["@type"] == "BlogPosting"
    assert updates[0]["articleBody"] == entries[-1].text and updates[0]["headline"]
    assert updates[0]["url"].endswith(f"#unos-{entries[-1].pk}") and updates[0]["datePublished"]
    live.end_coverage(live_blog)
    ended = json_ld(page(live_blog.get_absolute_url()))[0]
    assert ended["coverageEndTime"]


def test_normal_article_json_ld_stays_a_news_article(live_blog):
    article = ArticleFactory(section=live_blog.section)
    assert json_ld(page(article.get_absolute_url()))[0]["@type"] == "NewsArticle"


def test_a_preview_of_an_unpublished_live_blog_does_not_poll(client, django_user_model):
    from django.contrib.auth.models import Group

    draft = ArticleFactory(is_live_blog=True, status=Article.Status.DRAFT, published_at=None)
    add_entry(draft, "Probni unos pre objave.")
    editor = django_user_model.objects.create_user("urednica", password="x", is_staff=True)
    editor.groups.add(Group.objects.get(name="Urednici"))
    client.force_login(editor)
    html = page(draft.get_absolute_url(), client)
    assert "Probni unos pre objave." in html and "data-live-url" not in html
    assert Client().get(f"/uzivo/{draft.pk}/").status_code == 404


def test_feeds_prefix_a_running_live_blog_with_uzivo(live_blog):
    for url in ("/rss/", "/atom/"):
        assert "UŽIVO: Izborna noć: rezultati uživo" in page(url)
    live.end_coverage(live_blog)
    for url in ("/rss/", "/atom/"):
        feed = page(url)
        assert "Izborna noć: rezultati uživo" in feed and "UŽIVO:" not in feed
