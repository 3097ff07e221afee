"""news_datetime (the filter of cards and article pages) and NewsTimes (a page's comments) say of every moment
what Django's formatting says, only without Django's formatting for each."""

from datetime import UTC, datetime, timedelta

import pytest
from django.template import Context, Template
from django.utils import formats, timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext

from articles.news_times import RELATIVE_TIMES_FOR, NewsTimes
from articles.templatetags.articles_tags import news_datetime


def django_news_datetime(moment):
    """What news_datetime said when it was written with Django's formatting: the reference."""
    if moment is None:
        return ""
    age = timezone.now() - moment
    if timedelta(0) <= age < timedelta(minutes=1):
        return gettext("just now")
    if timedelta(0) <= age < timedelta(hours=1):
        minutes = age.seconds // 60
        return ngettext("%(count)d minute ago", "%(count)d minutes ago", minutes) % {"count": minutes}
    if timedelta(0) <= age < RELATIVE_TIMES_FOR:
        hours = age.seconds // 3600
        return ngettext("%(count)d hour ago", "%(count)d hours ago", hours) % {"count": hours}
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


NOW = datetime(2027, 3, 1, 12, 0, 30, tzinfo=UTC)


def utc(*fields):
    return datetime(*fields, tzinfo=UTC)


# In Europe/Belgrade summer time starts on the last Sunday of March at 01:00 UTC (02:00 → 03:00) and ends on
# the last Sunday of October at 01:00 UTC (03:00 → 02:00, the hour from 02:00 read twice).
MOMENTS = {
    "spring-last-winter-minute": utc(2026, 3, 29, 0, 59, 59),
    "spring-first-summer-minute": utc(2026, 3, 29, 1, 0),
    "spring-half-past": utc(2026, 3, 29, 1, 30),
    "spring-day-before": utc(2026, 3, 28, 23, 0),
    "autumn-first-02-summer": utc(2026, 10, 25, 0, 0),
    "autumn-last-summer-minute": utc(2026, 10, 25, 0, 59, 59, 999999),
    "autumn-first-winter-minute": utc(2026, 10, 25, 1, 0),
    "autumn-second-02-winter": utc(2026, 10, 25, 1, 30),
    "autumn-2025": utc(2025, 10, 26, 1, 0),
    "spring-2025": utc(2025, 3, 30, 0, 59),
    "summer-last-minute-of-day": utc(2026, 6, 30, 21, 59, 59),
    "summer-midnight": utc(2026, 6, 30, 22, 0),
    "winter-last-minute-of-day": utc(2026, 1, 15, 22, 59),
    "winter-midnight": utc(2026, 1, 15, 23, 0),
    "utc-midnight": utc(2026, 2, 10, 0, 0),
    "last-minute-of-year": utc(2025, 12, 31, 22, 59, 59),
    "new-year-local": utc(2025, 12, 31, 23, 0),
    "new-year-utc": utc(2026, 1, 1, 0, 0),
    "leap-day": utc(2024, 2, 29, 11, 11),
    "single-digit-day-and-hour": utc(2026, 5, 1, 6, 5),
    **{f"month-{month:02d}": utc(2026, month, 9, 13, 45, 17) for month in range(1, 13)},
    **{f"month-{month:02d}-end": utc(2026, month, 28, 23, 59) for month in range(1, 13)},
    "seven-hours-ago": NOW - timedelta(hours=7),
    "just-over-six-hours-ago": NOW - timedelta(hours=6, seconds=1),
    "six-hours-ago": NOW - timedelta(hours=6),
    "five-hours-ago": NOW - timedelta(hours=5, minutes=59),
    "one-hour-ago": NOW - timedelta(hours=1),
    "five-minutes-ago": NOW - timedelta(minutes=5, seconds=3),
    "one-minute-ago": NOW - timedelta(minutes=1),
    "just-now": NOW - timedelta(seconds=20),
    "in-the-future": NOW + timedelta(minutes=3),
    "far-future": NOW + timedelta(days=40),
    "in-another-zone": datetime(2026, 10, 25, 3, 30, tzinfo=timezone.get_fixed_timezone(120)),
}
ZONES = [
    "Europe/Belgrade",
    "UTC",
    "America/St_Johns",
    "Asia/Kolkata",
    "Australia/Lord_Howe",
    "America/Sao_Paulo",
]


@pytest.fixture
def frozen_now(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)


@pytest.mark.usefixtures("frozen_now")
@pytest.mark.parametrize("zone", ZONES)
@pytest.mark.parametrize("moment", MOMENTS.values(), ids=MOMENTS.keys())
def test_each_moment_reads_as_django_formats_it(zone, moment):
    with timezone.override(zone):
        expected = django_news_datetime(moment)
        assert NewsTimes()(moment) == expected
        for _ in range(2):  # the first time, then from what the process remembers
            assert news_datetime(moment) == expected


@pytest.mark.usefixtures("frozen_now")
@pytest.mark.parametrize("language", ["sr-latn", "en"])
@pytest.mark.parametrize("moment", MOMENTS.values(), ids=MOMENTS.keys())
def test_in_the_other_interface_language_too(language, moment):
    with translation.override(language), timezone.override("Europe/Belgrade"):
        assert news_datetime(moment) == NewsTimes()(moment) == django_news_datetime(moment)


@pytest.mark.usefixtures("frozen_now")
def test_the_card_filter_in_a_template_reads_as_django_formats_it():
    template = Template(
        "{% load articles_tags %}{% for moment in moments %}{{ moment|news_datetime }}|{% endfor %}"
    )
    moments = list(MOMENTS.values())
    with timezone.override("Europe/Belgrade"):
        expected = "".join(f"{django_news_datetime(moment)}|" for moment in moments)
        assert template.render(Context({"moments": moments})) == expected
    nothing = Template("{% load articles_tags %}{{ nothing|news_datetime }}")
    assert nothing.render(Context({"nothing": None})) == ""


@pytest.mark.usefixtures("frozen_now")
@pytest.mark.parametrize("zone", ZONES)
def test_a_page_of_times_in_any_order_reads_as_django_formats_it(zone):
    """One formatter for many moments, as a page uses it: every 53 minutes over two years, then backwards."""
    moments = [utc(2025, 1, 1) + timedelta(minutes=53 * step, seconds=step % 60) for step in range(20_000)]
    with timezone.override(zone):
        times = NewsTimes()
        expected = [django_news_datetime(moment) for moment in moments]
        assert [times(moment) for moment in moments] == expected
        assert [times(moment) for moment in reversed(moments)] == expected[::-1]
        assert [news_datetime(moment) for moment in moments] == expected


@pytest.mark.usefixtures("frozen_now")
def test_the_site_format_is_written_by_hand_and_reads_like_a_paper():
    times = NewsTimes()
    assert times.written_here
    assert times(utc(2026, 12, 6, 22, 47)) == "6. decembar 2026. u 23:47"
    assert times(utc(2026, 8, 6, 22, 47)) == "7. avgust 2026. u 00:47"


@pytest.fixture
def django_formats(settings):
    """Django's own Serbian formats ("29. mart 2026. 03:00", no "u") instead of the site's."""
    settings.FORMAT_MODULE_PATH = None
    formats.reset_format_cache()
    yield
    formats.reset_format_cache()


@pytest.mark.usefixtures("frozen_now", "django_formats")
def test_another_format_is_left_to_django():
    moment = utc(2026, 3, 29, 1, 0)
    with timezone.override("Europe/Belgrade"):
        times = NewsTimes()
        assert not times.written_here
        assert times(moment) == news_datetime(moment) == django_news_datetime(moment)
        assert news_datetime(moment) == "29. mart 2026. 03:00"
