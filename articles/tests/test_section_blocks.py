"""The front page's section blocks: each section's newest published articles, from its own index range."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article, Section
from articles.tests.factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db


def reference(count, exclude=()):
    """What the blocks must show, said the plain way: every section's published articles, newest first."""
    articles = sorted(Article.objects.published(), key=lambda article: (article.published_at, article.pk))
    articles.reverse()
    articles = [article for article in articles if article.pk not in exclude]
    return {
        section.slug: [article.pk for article in articles if article.section_id == section.pk][:count]
        for section in Section.objects.all()
    }


@pytest.fixture
def newsroom():
    """Sections with more articles than a block shows, ties to the second, articles the public may not see
    (drafts, scheduled, withdrawn, ready) newer than the published ones, a section of old news only, a section
    with nothing published and an empty one."""
    now = timezone.now().replace(microsecond=0)
    busy = SectionFactory(slug="politika", position=1)
    tied = SectionFactory(slug="kultura", position=2)
    old = SectionFactory(slug="istorija", position=3)
    hidden = SectionFactory(slug="nacrti", position=4)
    SectionFactory(slug="prazna", position=5)
    for hours in range(9):
        ArticleFactory(section=busy, published_at=now - timedelta(hours=hours, minutes=5))
    same_second = now - timedelta(hours=2)
    for _ in range(6):
        ArticleFactory(section=tied, published_at=same_second)
    ArticleFactory(section=tied, published_at=now - timedelta(days=3))
    for days in range(3):
        ArticleFactory(section=old, published_at=now - timedelta(days=3 * 365 + days))
    withdrawn = Article.Status.WITHDRAWN
    for section in (busy, tied, hidden):
        ArticleFactory(section=section, status=Article.Status.DRAFT, published_at=None)
        ArticleFactory(section=section, status=Article.Status.READY, published_at=None)
        ArticleFactory(section=section, published_at=now + timedelta(hours=1))  # scheduled
        ArticleFactory(section=section, status=withdrawn, published_at=now - timedelta(minutes=1))


def shown(sections):
    return {section.slug: [article.pk for article in section.newest_articles] for section in sections}


@pytest.mark.parametrize("count", [1, 4, 10], ids=["one", "a-block", "more-than-any-has"])
def test_each_section_shows_its_newest_published_articles_as_the_plain_definition_does(newsroom, count):
    assert shown(Section.objects.with_newest_articles(count)) == reference(count)


@pytest.mark.parametrize("leading", [1, 5, 12], ids=["lead-only", "lead-and-top", "more-than-a-block"])
def test_articles_already_on_top_are_left_out_and_the_next_ones_take_their_place(newsroom, leading):
    on_top = [article.pk for article in Article.objects.published().for_listing()[:leading]]
    sections = Section.objects.with_newest_articles(4, exclude=on_top)
    assert shown(sections) == reference(4, exclude=on_top)
    assert not {pk for pks in shown(sections).values() for pk in pks} & set(on_top)


def test_sections_keep_their_navigation_order_and_cards_come_with_section_and_photo(
    newsroom, django_assert_num_queries
):
    with django_assert_num_queries(2):
        sections = Section.objects.with_newest_articles(4)
        cards = [(card.section.slug, card.hero_image) for block in sections for card in block.newest_articles]
    assert [section.slug for section in sections] == ["politika", "kultura", "istorija", "nacrti", "prazna"]
    assert cards and all(slug for slug, _image in cards)


def test_no_sections_need_no_article_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        assert Section.objects.with_newest_articles(4) == []
