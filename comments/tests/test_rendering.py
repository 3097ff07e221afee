"""The comment list written by comments/rendering.py says what the template filters would have said."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.template.defaultfilters import linebreaksbr, urlizetrunc
from django.utils import timezone
from django.utils.html import escape

from articles.templatetags.articles_tags import news_datetime
from articles.tests.factories import ArticleFactory
from comments import moderation
from comments.rendering import ThreadWriter, comment_text_html, initials
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
    shown = dict(re.findall(r'<li id="k(\d+)">.*?<time datetime="[^"]*">([^<]*)</time>', page))
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


@pytest.mark.django_db
@pytest.mark.parametrize("name", NAMES.values(), ids=NAMES.keys())
def test_commenter_name_and_initials_are_escaped_as_django_escapes_them(name):
    written = ThreadWriter(can_reply=False)._author(name)
    assert f"<b>{escape(name)}</b>" in written
    assert f'aria-hidden="true">{escape(initials(name))}</i>' in written
    assert name in ("Јелена Ђурић", "Jelena Đurić") or name not in written
