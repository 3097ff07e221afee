"""The article page with 200 comments, built like the benchmark's, stays within its size budget."""

import re

import pytest

from bench import data

BUDGET_BYTES = 120 * 1024


@pytest.fixture
def measured_article(db):
    generator = data.Generator(seed=2026)  # bench/run.py's default seed
    generator.create_newsroom(photos=1)
    return generator.create_measured_articles()[data.MEASURED_COMMENTS]


def test_article_page_with_200_comments_fits_the_budget_and_shows_every_comment(client, measured_article):
    response = client.get(measured_article.path)

    assert response.status_code == 200
    html = response.content.decode()
    shown = {int(pk) for pk in re.findall(r'<li id=k(\d+)>', html)}
    assert len(measured_article.first_page_ids) == data.MEASURED_COMMENTS
    assert shown == set(measured_article.first_page_ids)
    assert len(response.content) <= BUDGET_BYTES, f"{len(response.content) / 1024:.1f} KB"
