from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article
from articles.tests.factories import ArticleFactory, AuthorFactory, ImageFactory, SectionFactory, TagFactory

pytestmark = pytest.mark.django_db


def test_front_page_leads_with_the_flagged_story_and_lists_the_rest(client):
    older_lead = ArticleFactory(
        is_lead=True, title="Glavna vest dana", published_at=timezone.now() - timedelta(hours=5)
    )
    newest = ArticleFactory(title="Najnovija vest")
    ArticleFactory(status=Article.Status.DRAFT, title="Nacrt koji se ne vidi")
    page = client.get("/").content.decode()
    assert page.index("Glavna vest dana") < page.index("Najnovija vest")
    assert "Nacrt koji se ne vidi" not in page
    assert older_lead.get_absolute_url() in page and newest.get_absolute_url() in page


def test_front_page_without_articles_says_so(client):
    assert "Još nema objavljenih članaka." in client.get("/").content.decode()


def test_section_page_lists_only_its_published_articles(client):
    sport = SectionFactory(name="Sport", slug="sport")
    ArticleFactory(section=sport, title="Mladi košarkaši osvojili turnir")
    ArticleFactory(title="Vest iz druge rubrike")
    ArticleFactory(section=sport, title="Zakazana vest", published_at=timezone.now() + timedelta(days=1))
    response = client.get("/sport/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Mladi košarkaši osvojili turnir" in page
    assert "Vest iz druge rubrike" not in page and "Zakazana vest" not in page
    assert 'aria-current="page"' in page


@pytest.mark.parametrize("page_param", ["abc", "-1", "0", "99999", "1.5", "%00", "9" * 40])
def test_nonsense_page_numbers_still_answer_a_page(client, page_param):
    sport = SectionFactory(slug="sport")
    ArticleFactory(section=sport)
    assert client.get("/sport/", {"page": page_param}).status_code == 200


def test_tag_and_author_pages_list_their_articles(client):
    tag, author = TagFactory(name="Biciklizam"), AuthorFactory(name="Vesna Kovač", bio="Piše o saobraćaju.")
    ArticleFactory(title="Nove staze kroz park", tags=[tag], authors=[author])
    tag_page = client.get(tag.get_absolute_url()).content.decode()
    author_page = client.get(author.get_absolute_url()).content.decode()
    assert "Nove staze kroz park" in tag_page and "Biciklizam" in tag_page
    assert "Nove staze kroz park" in author_page and "Piše o saobraćaju." in author_page


@pytest.mark.parametrize("url_name", ["/", "/sport/"])
def test_listing_query_count_does_not_grow_with_articles(client, url_name):
    sport = SectionFactory(slug="sport")

    def count():
        client.get(url_name)  # warm caches
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url_name).status_code == 200
        return len(queries)

    ArticleFactory(section=sport, hero_image=ImageFactory())
    ArticleFactory(section=sport, hero_image=ImageFactory())
    few = count()
    for _ in range(8):
        ArticleFactory(section=sport, hero_image=ImageFactory())
    assert count() == few
