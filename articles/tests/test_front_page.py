import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, HourlyReadCount
from articles.tests.factories import ArticleFactory, ImageFactory, SectionFactory
from comments.tests.factories import ArticleCommentFactory

pytestmark = pytest.mark.django_db

BELGRADE = ZoneInfo("Europe/Belgrade")


def block(page, heading_id):
    """The HTML of one front-page block, from its heading to the end of its <section>."""
    start = page.index(f'id="{heading_id}"')
    return page[start : page.index("</section>", start)]


def hours_ago(hours):
    return timezone.now() - timedelta(hours=hours)


def read(article, reads, hours_ago_=1):
    hour = (timezone.now() - timedelta(hours=hours_ago_)).replace(minute=0, second=0, microsecond=0)
    HourlyReadCount.objects.create(article=article, hour=hour, reads=reads)


def test_blocks_appear_in_reading_order(client):
    politics = SectionFactory(name="Politika", slug="politika", position=1)
    sport = SectionFactory(name="Sport", slug="sport", position=2)
    for hours in range(1, 8):
        ArticleFactory(section=politics if hours % 2 else sport, published_at=hours_ago(hours))
    page = client.get("/").content.decode()
    markers = [
        'aria-label="Glavna vest"',
        'aria-label="Izdvojene vesti"',
        'id="najnovije-naslov"',
        'id="najcitanije-naslov"',
        'id="najkomentarisanije-naslov"',
        'id="rubrika-politika"',
        'id="rubrika-sport"',
    ]
    positions = [page.index(marker) for marker in markers]
    assert positions == sorted(positions)


def test_flagged_lead_story_wins_over_newer_ones(client):
    ArticleFactory(title="Starija glavna vest", is_lead=True, published_at=hours_ago(6))
    ArticleFactory(title="Sveža vest", published_at=hours_ago(1))
    page = client.get("/").content.decode()
    lead = page[page.index('aria-label="Glavna vest"') : page.index('aria-label="Izdvojene vesti"')]
    assert "Starija glavna vest" in lead and "Sveža vest" not in lead


def test_without_a_flag_the_newest_story_leads(client):
    ArticleFactory(title="Jučerašnja vest", published_at=hours_ago(20))
    ArticleFactory(title="Vest od pre sat vremena", published_at=hours_ago(1))
    ArticleFactory(title="Zakazana vest", is_lead=True, published_at=timezone.now() + timedelta(hours=2))
    page = client.get("/").content.decode()
    lead = page[page.index('aria-label="Glavna vest"') : page.index('aria-label="Izdvojene vesti"')]
    assert "Vest od pre sat vremena" in lead
    assert "Zakazana vest" not in page


def test_of_several_flagged_stories_the_newest_leads(client):
    ArticleFactory(title="Prva glavna", is_lead=True, published_at=hours_ago(9))
    ArticleFactory(title="Druga glavna", is_lead=True, published_at=hours_ago(3))
    ArticleFactory(title="Obična vest", published_at=hours_ago(1))
    page = client.get("/").content.decode()
    lead = page[page.index('aria-label="Glavna vest"') : page.index('aria-label="Izdvojene vesti"')]
    assert "Druga glavna" in lead and "Prva glavna" not in lead


def test_lead_story_is_shown_large_with_its_photo(client):
    ArticleFactory(title="Vest sa fotografijom", hero_image=ImageFactory(alt_text="Most u magli"))
    page = client.get("/").content.decode()
    lead = page[page.index('aria-label="Glavna vest"') :]
    assert "article-card--lead" in lead[:200]
    assert 'alt="Most u magli"' in lead and 'fetchpriority="high"' in lead


def test_section_blocks_show_each_sections_newest_stories_not_already_on_top(client):
    politics = SectionFactory(name="Politika", slug="politika", position=1)
    culture = SectionFactory(name="Kultura", slug="kultura", position=2)
    SectionFactory(name="Prazna rubrika", slug="prazna", position=3)
    for hours in range(1, 6):
        ArticleFactory(section=politics, title=f"Politička vest {hours}", published_at=hours_ago(hours))
    for hours in range(1, 8):
        ArticleFactory(section=culture, title=f"Kulturna vest {hours}", published_at=hours_ago(hours * 24))
    page = client.get("/").content.decode()
    culture_block = block(page, "rubrika-kultura")
    assert re.findall(r"Kulturna vest \d", culture_block) == [f"Kulturna vest {n}" for n in range(1, 5)]
    # The five newest stories (lead and top four) are all political: the block shows none twice.
    assert "rubrika-politika" not in page
    assert "rubrika-prazna" not in page


@time_machine.travel(datetime(2026, 11, 28, 14, 30, tzinfo=BELGRADE), tick=False)
def test_latest_block_lists_headlines_newest_first_with_todays_times_and_older_days(client):
    ArticleFactory(title="Jučerašnja vest", published_at=datetime(2026, 11, 27, 22, 15, tzinfo=BELGRADE))
    ArticleFactory(title="Jutarnja vest", published_at=datetime(2026, 11, 28, 9, 5, tzinfo=BELGRADE))
    ArticleFactory(title="Glavna", published_at=datetime(2026, 11, 28, 13, 0, tzinfo=BELGRADE))
    latest = block(client.get("/").content.decode(), "najnovije-naslov")
    assert latest.index("Jutarnja vest") < latest.index("Jučerašnja vest")
    assert ">09:05</time> <a" in latest and ">27.11.</time> <a" in latest


def test_most_read_ranks_by_reads_within_24_hours_and_within_7_days(client):
    steady = ArticleFactory(title="Stalno čitana", published_at=hours_ago(100))
    today = ArticleFactory(title="Današnji hit", published_at=hours_ago(5))
    quiet = ArticleFactory(title="Tiha vest", published_at=hours_ago(4))
    draft = ArticleFactory(title="Povučena vest", status=Article.Status.WITHDRAWN, published_at=hours_ago(4))
    read(steady, 500, hours_ago_=48)
    read(steady, 10, hours_ago_=2)
    read(today, 120, hours_ago_=3)
    read(today, 30, hours_ago_=1)
    read(quiet, 5, hours_ago_=1)
    read(draft, 1000, hours_ago_=1)
    read(quiet, 9999, hours_ago_=24 * 9)  # older than the week
    page = client.get("/").content.decode()
    day = page[page.index('id="najcitanije-dan"') : page.index('id="najcitanije-nedelja"')]
    week = page[page.index('id="najcitanije-nedelja"') : page.index('id="najkomentarisanije-naslov"')]
    titles = re.compile(r"Stalno čitana|Današnji hit|Tiha vest")
    assert titles.findall(day) == ["Današnji hit", "Stalno čitana", "Tiha vest"]
    assert titles.findall(week) == ["Stalno čitana", "Današnji hit", "Tiha vest"]
    assert "Povučena vest" not in page


def test_most_read_without_reads_says_there_is_not_enough_yet(client):
    ArticleFactory()
    page = client.get("/").content.decode()
    assert "Još nema dovoljno podataka." in block(page, "najcitanije-naslov")


@pytest.mark.usefixtures("uncached_pages")
def test_front_page_query_count_is_fixed_whatever_it_shows(client):
    def build(sections, per_section):
        for position in range(sections):
            section = SectionFactory(position=position)
            for hours in range(per_section):
                article = ArticleFactory(section=section, published_at=hours_ago(hours + 1))
                read(article, hours + 1)
                ArticleCommentFactory.create_batch(hours % 3 + 1, article=article)
        client.get("/")  # warms the site settings cache, as any earlier visitor would
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/").status_code == 200
        return len(queries)

    small = build(sections=2, per_section=2)
    large = build(sections=6, per_section=6)
    assert small == large, (small, large)
    # Newest, lead, sections and their blocks (2), most read in a day and a week (2), most commented (3), and
    # the "Najnovije" strip (1; kept in a fragment of the site's scope on pages that keep fragments).
    assert large == 10, large
