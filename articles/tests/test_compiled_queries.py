"""The front page's compiled queries (articles/compiled_queries.py, used by articles/views.py home) give the
objects their querysets give: the same rows in the same order, the same field values, the section and photo
loaded with them, the body left behind, the reads counted, for whatever moment and window they are run."""

from datetime import timedelta
from functools import partial

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import views
from articles.models import Article, HourlyReadCount, Section
from articles.tests.factories import ArticleFactory, ImageFactory, SectionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive():
    now = timezone.now()
    sections = [SectionFactory(), SectionFactory()]
    photo = ImageFactory()
    articles = []
    for n in range(16):
        articles.append(
            ArticleFactory(
                section=sections[n % 2],
                hero_image=photo if n % 3 else None,
                is_lead=n in (3, 7),
                kicker="" if n % 4 else "Vest",
                published_at=now - timedelta(hours=n * 5, minutes=n),
            )
        )
    # Scheduled: published at a later moment only; same second as another: the later made first.
    ArticleFactory(section=sections[0], is_lead=True, published_at=now + timedelta(hours=1))
    ArticleFactory(section=sections[1], published_at=articles[2].published_at)
    ArticleFactory(status=Article.Status.DRAFT, published_at=now - timedelta(minutes=5))
    for n, article in enumerate(articles[:9]):
        for hours in (1, 30, 100):
            hour = (now - timedelta(hours=hours)).replace(minute=0, second=0, microsecond=0)
            HourlyReadCount.objects.create(article=article, hour=hour, reads=(n * 7) % 5 + hours % 7)
    return now


def state(objects):
    """What a page can read of each object, and what was not loaded."""
    return [
        (
            {key: value for key, value in vars(obj).items() if key != "_state"},
            vars(obj.section) if obj.section_id else None,
            vars(obj.hero_image) if obj.hero_image_id else None,
            obj.get_deferred_fields(),
        )
        for obj in objects
    ]


def clean(rows):
    for fields, section, photo, _ in rows:
        for part in (fields, section or {}, photo or {}):
            part.pop("_state", None)
            part.pop("_prefetched_objects_cache", None)
    return rows


MOMENTS = {
    "now": timedelta(0),
    "scheduled-is-out": timedelta(hours=1, minutes=1),
    "earlier": -timedelta(hours=12),
}


@pytest.mark.parametrize("shift", MOMENTS.values(), ids=MOMENTS.keys())
def test_newest_and_flagged_lead_are_the_querysets_objects(archive, shift):
    now = archive + shift
    listed = Article.objects.published(now).for_listing()
    for compiled, queryset in [
        (views.NEWEST, listed[: views.LATEST_HEADLINES + 1]),
        (views.FLAGGED_LEAD, listed.filter(is_lead=True)[:1]),
    ]:
        expected = clean(state(list(queryset)))
        with CaptureQueriesContext(connection) as queries:
            got = compiled(now=now)
            got_state = clean(state(got))  # section and photo came with the rows
        assert len(queries) == 1
        assert got_state == expected
        assert got  # the data gives each of them rows


WINDOWS = {
    "day": timedelta(hours=24),
    "week": timedelta(days=7),
    "hour": timedelta(hours=1),
    "none": timedelta(0),
}


@pytest.mark.parametrize("window", WINDOWS.values(), ids=WINDOWS.keys())
@pytest.mark.parametrize("shift", MOMENTS.values(), ids=MOMENTS.keys())
def test_most_read_is_the_querysets_ranking_with_its_counts(archive, window, shift):
    now = archive + shift
    since = views._hour(now - window)
    expected = list(Article.objects.most_read(since=since, limit=views.RANKED_LIST_SIZE, now=now))
    got = views.MOST_READ(since=since, now=now)
    assert clean(state(got)) == clean(state(expected))
    assert [obj.recent_reads for obj in got] == [obj.recent_reads for obj in expected]


EXCLUDED = {"none": [], "one": [0], "top-five": [0, 1, 2, 3, 4], "twice": [1, 1, 5]}


@pytest.mark.parametrize("excluded", EXCLUDED.values(), ids=EXCLUDED.keys())
@pytest.mark.parametrize("shift", MOMENTS.values(), ids=MOMENTS.keys())
def test_section_blocks_are_the_querysets_articles(archive, excluded, shift):
    now = archive + shift
    newest = list(Article.objects.published(now).for_listing())
    exclude = [newest[n].pk for n in excluded]
    SectionFactory()  # a section with nothing published
    expected = Section.objects.with_newest_articles(
        views.SECTION_BLOCK_SIZE,
        exclude=exclude,
        newest_per_section=lambda section_ids, exclude: Article.objects.exclude(
            pk__in=exclude
        ).newest_per_section(section_ids, views.SECTION_BLOCK_SIZE, now=now),
    )
    compiled = partial(views.NEWEST_PER_SECTION, now=now)
    with CaptureQueriesContext(connection) as queries:
        got = Section.objects.with_newest_articles(
            views.SECTION_BLOCK_SIZE, exclude=exclude, newest_per_section=compiled
        )
        got_state = [clean(state(section.newest_articles)) for section in got]
    assert len(queries) == 2
    assert [section.pk for section in got] == [section.pk for section in expected]
    assert got_state == [clean(state(section.newest_articles)) for section in expected]
    shown = [article.pk for section in got for article in section.newest_articles]
    assert shown and not set(shown) & set(exclude)
