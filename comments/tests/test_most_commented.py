"""The front page's "Najkomentarisanije" block: comments readers can see, posted in the last 7 days."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from articles.tests.factories import ArticleFactory
from comments.models import ArticleComment
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
