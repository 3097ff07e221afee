from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import reads
from articles.models import Article, HourlyReadCount
from articles.tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

BROWSER = (
    "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36"
)


@pytest.fixture(autouse=True)
def rare_flushes(settings):
    settings.READ_COUNT_FLUSH_SECONDS = 3600


def open_article(client, article, user_agent=BROWSER, **headers):
    response = client.get(article.get_absolute_url(), headers={"User-Agent": user_agent, **headers})
    assert response.status_code == 200
    return response


def total_reads(article):
    return sum(HourlyReadCount.objects.filter(article=article).values_list("reads", flat=True))


def test_readings_are_buffered_without_a_database_write_per_view(client):
    article = ArticleFactory()
    open_article(client, article)  # warm-up: site settings cache
    with CaptureQueriesContext(connection) as queries:
        for _ in range(5):
            open_article(client, article)
    assert not [query for query in queries if "hourlyreadcount" in query["sql"].lower()]
    assert not HourlyReadCount.objects.exists()
    assert reads.waiting_views() == 6


def test_flush_writes_the_buffered_readings_and_adds_to_earlier_ones(client):
    article = ArticleFactory()
    for _ in range(3):
        open_article(client, article)
    assert reads.flush() == 1
    assert total_reads(article) == 3
    open_article(client, article)
    reads.flush()
    assert total_reads(article) == 4
    assert HourlyReadCount.objects.count() == 1


def test_the_page_writes_the_buffer_once_the_interval_has_passed(client, settings):
    settings.READ_COUNT_FLUSH_SECONDS = 0
    article = ArticleFactory()
    open_article(client, article)
    assert total_reads(article) == 1
    assert reads.waiting_views() == 0


@pytest.mark.parametrize(
    "user_agent",
    [
        "",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "curl/8.5.0",
        "python-requests/2.32.3",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0",
    ],
)
def test_crawlers_and_scripts_are_not_counted(client, user_agent):
    article = ArticleFactory()
    open_article(client, article, user_agent=user_agent)
    assert reads.waiting_views() == 0


def test_browser_prefetch_is_not_counted(client):
    open_article(client, ArticleFactory(), **{"Sec-Purpose": "prefetch"})
    assert reads.waiting_views() == 0


def test_newsroom_staff_are_not_counted(client):
    editor = get_user_model().objects.create_user("urednica", password="x", is_staff=True)
    client.force_login(editor)
    open_article(client, ArticleFactory())
    assert reads.waiting_views() == 0


def test_signed_in_readers_are_counted(client):
    client.force_login(get_user_model().objects.create_user("citalac", password="x"))
    open_article(client, ArticleFactory())
    assert reads.waiting_views() == 1


def test_previews_of_unpublished_articles_are_not_counted(client):
    # Not staff, so only the preview itself keeps this reading out of the counts.
    previewer = get_user_model().objects.create_user("lektorka", password="x")
    previewer.user_permissions.add(Permission.objects.get(codename="preview_article"))
    client.force_login(previewer)
    draft = ArticleFactory(status=Article.Status.DRAFT)
    response = client.get(draft.get_absolute_url(), headers={"User-Agent": BROWSER})
    assert response.status_code == 200 and "Pregled" in response.content.decode()
    assert reads.waiting_views() == 0


def test_a_failing_database_never_fails_the_page_and_keeps_the_readings(client, settings, monkeypatch):
    settings.READ_COUNT_FLUSH_SECONDS = 0
    article = ArticleFactory()

    def broken_write(batch):
        raise DatabaseError("disk full")

    monkeypatch.setattr(reads, "_write", broken_write)
    open_article(client, article)
    open_article(client, article)
    assert reads.waiting_views() == 2
    monkeypatch.undo()
    reads.flush()
    assert total_reads(article) == 2


def test_a_broken_counter_never_fails_the_page(client, monkeypatch):
    def broken(request):
        raise RuntimeError("counter bug")

    monkeypatch.setattr(reads, "is_reader", broken)
    assert "Komentari" in open_article(client, ArticleFactory()).content.decode()


def test_readings_of_a_deleted_article_are_dropped(client):
    kept, deleted = ArticleFactory(), ArticleFactory()
    open_article(client, kept)
    open_article(client, deleted)
    deleted.delete()
    assert reads.flush() == 1
    assert total_reads(kept) == 1


def test_counts_older_than_a_month_are_pruned(client):
    article = ArticleFactory()
    HourlyReadCount.objects.create(article=article, hour=timezone.now() - timedelta(days=40), reads=7)
    open_article(client, article)
    reads.flush()
    assert total_reads(article) == 1
