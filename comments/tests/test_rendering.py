"""The comment list written by comments/rendering.py says what the template filters would have said."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.template.defaultfilters import linebreaksbr, urlizetrunc
from django.utils import timezone, translation
from django.utils.html import escape

from articles.templatetags.articles_tags import news_datetime
from articles.tests.factories import ArticleFactory
from articles.transliteration import to_latin
from comments import moderation, rendering
from comments.rendering import ThreadWriter, comment_text_html, initials
from comments.selectors import CommentNode, ShownComment
from comments.tests.factories import ArticleCommentFactory

SAMPLES = [
    "Obično mišljenje, bez linkova.\nU dva reda.",
    "Cena je 5.000 dinara, a počinje u 12:30. Kraj.",
    "Pogledajte https://example.org/vesti/2026/11/28/vrlo-dugacka-adresa-koja-se-skracuje i www.primer.rs",
    "Pišite na urednik@example.org ili na primer.com/kontakt, a ne na primer.rs.",
    "<script>alert('x')</script> & „navodnici“ \"i\" 'apostrofi'",
    "Windows\r\nnovi red i\rstari Mac red",
    "EXAMPLE.COM velikim slovima i HTTP://VIKA.ORG",
]


@pytest.mark.parametrize("text", SAMPLES)
def test_comment_text_is_what_the_template_filters_make(text):
    assert comment_text_html(text) == linebreaksbr(urlizetrunc(text, 40, autoescape=True), autoescape=True)


# Times around a change of summer time, a midnight, a new year and recent ones that read as "pre 5 minuta".
COMMENT_TIMES = {
    "summer-time-starts": datetime(2026, 3, 29, 1, 0, tzinfo=UTC),
    "winter-time-returns": datetime(2026, 10, 25, 1, 30, tzinfo=UTC),
    "before-local-midnight": datetime(2026, 6, 30, 21, 59, 59, tzinfo=UTC),
    "local-midnight": datetime(2026, 6, 30, 22, 0, tzinfo=UTC),
    "new-year": datetime(2025, 12, 31, 23, 0, tzinfo=UTC),
    **{f"month-{month}": datetime(2026, month, 3, 9, 7, tzinfo=UTC) for month in range(1, 13)},
    "five-minutes-ago": timedelta(minutes=5),
    "three-hours-ago": timedelta(hours=3),
    "just-now": timedelta(seconds=10),
}


@pytest.mark.django_db
@pytest.mark.usefixtures("uncached_pages")
def test_each_comment_time_on_the_page_is_what_news_datetime_says(client):
    article = ArticleFactory()
    now = timezone.now()
    comments = {
        label: ArticleCommentFactory(
            article=article, submit_date=now - when if isinstance(when, timedelta) else when
        )
        for label, when in COMMENT_TIMES.items()
    }
    moderation.refresh_comment_count(article.pk)
    page = client.get(article.get_absolute_url()).content.decode()
    shown = dict(re.findall(r"<li id=k(\d+)>.*?<a href=/komentari/\d+/>([^<]*)</a>", page))
    assert len(shown) == len(comments)
    for label, comment in comments.items():
        assert shown[str(comment.pk)] == news_datetime(comment.submit_date), label
    assert shown[str(comments["winter-time-returns"].pk)] == "25. oktobar 2026. u 02:30"
    assert shown[str(comments["five-minutes-ago"].pk)] == "pre 5 minuta"


NAMES = {
    "markup": "<script>alert('x')</script>",
    "quotes-and-ampersand": 'Mika "Laza" & O\'Brajan',
    "attribute-breakout": '"><img src=x onerror=alert(1)>',
    "cyrillic": "Јелена Ђурић",
    "plain": "Jelena Đurić",
}


def _shown(**fields):
    row = {
        "pk": 7,
        "article_id": 1,
        "thread_id": 7,
        "parent_id": 7,
        "level": 0,
        "order": 1,
        "user_name": "Jelena Đurić",
        "comment": "Tekst komentara.",
        "submit_date": datetime(2026, 6, 30, 12, 0, tzinfo=UTC),
        "is_public": True,
        "is_removed": False,
        "hidden_by_reports": False,
        "is_featured": False,
        "like_count": 0,
        "dislike_count": 0,
    }
    return ShownComment(**{**row, **fields})


def _written(comment, can_reply=True):
    return ThreadWriter(can_reply=can_reply).threads([CommentNode(comment.pk, comment)])


@pytest.mark.django_db
@pytest.mark.parametrize("name", NAMES.values(), ids=NAMES.keys())
def test_commenter_name_and_initials_are_escaped_as_django_escapes_them(name):
    written = _written(_shown(user_name=name))
    letters = initials(to_latin(name))  # a Latin page
    letters = letters if letters.isalnum() else f'"{escape(letters)}"'
    assert f" data-i={letters}>{escape(name)}</b>" in written
    assert name in (NAMES["cyrillic"], NAMES["plain"]) or name not in written


CHANGES = {
    "reactions": {"like_count": 3, "dislike_count": 2},
    "text": {"comment": "Ispravljen tekst."},
    "name": {"user_name": "Petar Petrović"},
    "featured": {"is_featured": True},
    "deeper": {"level": 2},
    "time": {"submit_date": datetime(2026, 7, 1, 8, 30, tzinfo=UTC)},
}


@pytest.mark.django_db
@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
def test_a_comment_written_again_after_a_change_shows_the_change(change):
    """Comments are kept as written in the process: a change of any field they show is written anew."""
    before = _written(_shown())
    assert _written(_shown()) == before
    after = _written(_shown(**change))
    assert after != before
    rendering._kept.cache_clear()
    assert _written(_shown(**change)) == after  # as a comment never kept is written
    assert _written(_shown()) == before


@pytest.mark.django_db
def test_a_comment_kept_in_one_language_or_without_replies_is_not_shown_in_another():
    comment = _shown(level=0)
    reply = f"<button name=o{comment.pk}>"
    assert reply in _written(comment) and reply not in _written(comment, can_reply=False)
    with translation.override("en"):
        assert ">Reply</button>" in _written(comment)
    assert ">Reply</button>" not in _written(comment)
