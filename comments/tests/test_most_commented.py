"""The front page's "Najkomentarisanije" block: comments readers can see, posted in the last 7 days."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from articles.tests.factories import ArticleFactory
from comments.models import ArticleComment
from comments.selectors import most_commented
from comments.tests.factories import ArticleCommentFactory

pytestmark = pytest.mark.django_db


def comment_on(article, count, days_ago=1, **fields):
    for _ in range(count):
        comment = ArticleCommentFactory(article=article, **fields)
        # submit_date is set on save; move it back afterwards.
        ArticleComment.objects.filter(pk=comment.pk).update(
            submit_date=timezone.now() - timedelta(days=days_ago)
        )


def most_commented_block(client):
    page = client.get("/").content.decode()
    start = page.index('id="najkomentarisanije-naslov"')
    return page[start : page.index("</section>", start)]


def test_ranks_articles_by_visible_comments_of_the_last_week(client):
    busy = ArticleFactory(title="Vest o kojoj svi pričaju")
    calm = ArticleFactory(title="Mirna vest")
    old_debate = ArticleFactory(title="Stara rasprava", published_at=timezone.now() - timedelta(days=30))
    comment_on(busy, 4)
    comment_on(calm, 2)
    comment_on(calm, 5, is_public=False)  # waiting for a moderator
    comment_on(calm, 5, is_removed=True)
    comment_on(old_debate, 3, days_ago=2)  # an old article discussed this week counts
    comment_on(old_debate, 20, days_ago=10)  # last month's debate does not
    block = most_commented_block(client)
    titles = re.findall(r"Vest o kojoj svi pričaju|Mirna vest|Stara rasprava", block)
    assert titles == ["Vest o kojoj svi pričaju", "Stara rasprava", "Mirna vest"]
    assert "(4 komentara)" in block and "(2 komentara)" in block


def test_unpublished_articles_never_appear(client):
    withdrawn = ArticleFactory(title="Povučen članak", status=Article.Status.WITHDRAWN)
    discussed = ArticleFactory(title="Objavljen članak")
    comment_on(withdrawn, 3)
    comment_on(discussed, 1)
    block = most_commented_block(client)
    assert "Objavljen članak" in block and "Povučen članak" not in block


def reference(since, limit):
    """The ranking said the plain way: visible comments since ``since`` under published articles, counted per
    article in Python; most first, then the newer article, then the later made."""
    published = set(Article.objects.published().values_list("pk", flat=True))
    counts = {}
    for comment in ArticleComment.objects.filter(submit_date__gte=since):
        if comment.is_visible and comment.article_id in published:
            counts[comment.article_id] = counts.get(comment.article_id, 0) + 1
    articles = Article.objects.in_bulk(counts)
    ranked = sorted(counts, key=lambda pk: (-counts[pk], -articles[pk].published_at.timestamp(), -pk))
    return [(pk, counts[pk]) for pk in ranked[:limit]]


@pytest.fixture
def busy_week():
    """Ties in counts and in publication times to the second, hidden, removed and pending comments, old ones,
    and the most commented articles of all not public (withdrawn, scheduled, back to draft), more of them
    than the ranking first looks at."""
    now = timezone.now().replace(microsecond=0)
    same_second = now - timedelta(days=2)
    for position, count in enumerate([9, 7, 7, 7, 5, 5, 3, 3, 3, 3, 2, 1, 1]):
        published_at = same_second if position % 3 else now - timedelta(hours=position)
        article = ArticleFactory(published_at=published_at)
        comment_on(article, count, days_ago=position % 4 + 1)
        comment_on(article, position % 3, days_ago=8)  # older than the week
    hidden = ArticleFactory(published_at=now - timedelta(hours=1))
    comment_on(hidden, 6, hidden_by_reports=True)
    comment_on(hidden, 2)
    comment_on(ArticleFactory(published_at=now - timedelta(hours=3)), 8, is_removed=True)
    comment_on(ArticleFactory(published_at=now - timedelta(hours=4)), 8, is_public=False)
    not_public = [
        (Article.Status.WITHDRAWN, now - timedelta(days=1)),
        (Article.Status.PUBLISHED, now + timedelta(hours=2)),  # scheduled
        (Article.Status.DRAFT, None),
    ]
    # Counts among the public ones: the ranking's first looks find too few public ones for most limits.
    for number in range(17):
        status, published_at = not_public[number % 3]
        comment_on(ArticleFactory(status=status, published_at=published_at), 20 - number)


@pytest.mark.parametrize("limit", [1, 2, 3, 4, 5, 20], ids=["one", "two", "three", "four", "front", "all"])
def test_ranking_equals_the_plain_definition(busy_week, limit):
    since = timezone.now() - timedelta(days=7)
    ranked = [(article.pk, article.recent_comments) for article in most_commented(since, limit=limit)]
    assert ranked == reference(since, limit)


@pytest.mark.parametrize("articles", [6, 40], ids=["few", "many"])
def test_ranking_reads_three_queries_whatever_the_week_holds_and_cards_need_none(
    articles, django_assert_num_queries
):
    for count in range(articles):
        comment_on(ArticleFactory(), count % 7 + 1)
    with django_assert_num_queries(3):
        ranked = most_commented(timezone.now() - timedelta(days=7), limit=5)
        [(article.get_absolute_url(), article.section.name) for article in ranked]
    assert len(ranked) == 5


@pytest.mark.parametrize("tied", [2, 4, 16], ids=["two", "more-than-looked-up-first", "many"])
def test_of_many_equally_commented_articles_the_newest_leads(tied):
    now = timezone.now()
    for hours in range(tied, 0, -1):  # the newest made last
        comment_on(ArticleFactory(title=f"Vest {hours}", published_at=now - timedelta(hours=hours)), 3)
    ranked = most_commented(now - timedelta(days=7), limit=1)
    assert [article.title for article in ranked] == ["Vest 1"]


def test_no_comments_this_week_make_an_empty_ranking():
    comment_on(ArticleFactory(), 3, days_ago=10)
    assert most_commented(timezone.now() - timedelta(days=7)) == []
