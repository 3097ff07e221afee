"""A signed-in reader's whole article page: made for them on every request (never from the page cache), in a
number of queries that does not grow with the comments under it, theirs or anyone's."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from articles.tests.factories import ArticleFactory
from articles.tests.test_article_page import ARTICLE_PAGE_QUERY_BUDGET, ARTICLE_PAGE_WARM_QUERY_BUDGET
from comments import moderation
from config.delivery import fragments

from .factories import ArticleCommentFactory, signed_in_reader

pytestmark = pytest.mark.django_db

# What a signed-in reader's page costs beyond an anonymous reader's: the session and the user (Django's
# authentication), whether the account may comment, and its own comments (pending or still editable).
SIGNED_IN_EXTRA = 4


def discussion(article, reader, threads):
    """``threads`` threads of a comment and a reply each, and one comment of the reader's, pending."""
    for _ in range(threads):
        ArticleCommentFactory(article=article, parent=ArticleCommentFactory(article=article))
    ArticleCommentFactory(article=article, user=reader, comment="Moj komentar na čekanju.", is_public=False)
    moderation.refresh_comment_count(article.pk)


def page_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_a_signed_in_readers_page_with_200_comments_costs_what_it_costs_with_2(
    client, settings, comment_settings
):
    comment_settings.threads_per_page = 100
    comment_settings.save()
    reader = signed_in_reader("Milena Stojić")
    small, large = ArticleFactory(), ArticleFactory()
    discussion(small, reader, 1)
    discussion(large, reader, 100)
    client.force_login(reader)
    page_queries(client, small.get_absolute_url())  # the settings' and the schedule's caches
    settings.FRAGMENTS_COLD = fragments.COLD_ALL  # every part made from scratch, as after a site change
    _, small_count = page_queries(client, small.get_absolute_url())
    html, large_count = page_queries(client, large.get_absolute_url())
    assert html.count("<li id=k") == 200  # everyone's comments, all on the page
    assert "Komentarišete kao <strong>Milena Stojić</strong>" in html
    assert "Moj komentar na čekanju." in html  # the reader's own, shown to them
    _, anonymous_count = page_queries(Client(), large.get_absolute_url())
    assert small_count == large_count == anonymous_count + SIGNED_IN_EXTRA
    assert large_count <= ARTICLE_PAGE_QUERY_BUDGET + SIGNED_IN_EXTRA
    settings.FRAGMENTS_COLD = ""
    page_queries(client, large.get_absolute_url())  # its shared parts kept
    with CaptureQueriesContext(connection) as queries:
        client.get(large.get_absolute_url())
    # The article, then only what is the reader's: every shared part of the page comes from its fragment.
    assert len(queries) == 1 + SIGNED_IN_EXTRA <= ARTICLE_PAGE_WARM_QUERY_BUDGET + SIGNED_IN_EXTRA
