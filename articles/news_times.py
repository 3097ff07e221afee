"""When something was published, as a Serbian paper says it, without Django's date formatting for each time.

A page of 200 comments spent some 100 µs a comment in ``timezone.localtime`` and ``date_format`` (a
``DateFormat`` object, a format lookup and a translation per letter of the format), a front page some 60 µs
a card. Here the offset from UTC is looked up once per hour of UTC time, the date once per day, for each
zone and language the process serves, and a minute is an f-string: the same text as Django's formatting,
which articles/tests/test_news_times.py compares across DST changes, midnights, years and months.
"""

from datetime import UTC, timedelta

from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.formats import date_format, get_format
from django.utils.translation import get_language, gettext, ngettext

# Until then news_datetime says "pre 3 sata"; after, the date and the minute.
RELATIVE_TIMES_FOR = timedelta(hours=6)
# The format written here by hand ("27. novembar 2026. u 23:03"); with any other Django formats.
WRITTEN_FORMAT = "j. F Y. \\u H:i"
HOUR = timedelta(hours=1)
REMEMBERED = 20_000  # hours and days each writer keeps, at most (some 2 years of hours)


class WrittenTimes:
    """Moments written in WRITTEN_FORMAT in one time zone and language."""

    def __init__(self, zone):
        self.zone = zone
        self.months = {number: str(name) for number, name in MONTHS.items()}  # in the active language
        self.offsets = {}  # UTC hour -> the zone's offset through that hour, or None where it changes
        self.days = {}  # local (year, month, day) -> "27. novembar 2026."

    def __call__(self, moment):
        utc = moment.astimezone(UTC) if moment.utcoffset() else moment
        hour = utc.replace(minute=0, second=0, microsecond=0)
        offsets = self.offsets
        if hour in offsets:
            offset = offsets[hour]
        else:
            if len(offsets) >= REMEMBERED:
                offsets.clear()
            start = hour.astimezone(self.zone).utcoffset()
            end = (hour + HOUR).astimezone(self.zone).utcoffset()
            offset = offsets[hour] = start if start == end else None
        local = utc + offset if offset is not None else utc.astimezone(self.zone)
        day = (local.year, local.month, local.day)
        date = self.days.get(day)
        if date is None:
            if len(self.days) >= REMEMBERED:
                self.days.clear()
            date = self.days[day] = f"{local.day}. {self.months[local.month]} {local.year:04d}."
        return f"{date} u {local.hour:02d}:{local.minute:02d}"


_writers = {}  # (zone, language) -> WrittenTimes, for the life of the process


def written_times():
    """The writer for the active zone and language; None if the active format is not the one written here."""
    if get_format("DATETIME_FORMAT") != WRITTEN_FORMAT:
        return None
    zone = timezone.get_current_timezone()
    key = (zone, get_language())
    writer = _writers.get(key)
    if writer is None:
        if len(_writers) >= 64:
            _writers.clear()
        writer = _writers[key] = WrittenTimes(zone)
    return writer


def relative_time(age):
    """For an age under RELATIVE_TIMES_FOR "upravo sada", "pre 5 minuta", "pre 3 sata"; else None."""
    if timedelta(0) <= age < timedelta(minutes=1):
        return gettext("just now")
    if timedelta(0) <= age < timedelta(hours=1):
        minutes = age.seconds // 60
        return ngettext("%(count)d minute ago", "%(count)d minutes ago", minutes) % {"count": minutes}
    if timedelta(0) <= age < RELATIVE_TIMES_FOR:
        hours = age.seconds // 3600
        return ngettext("%(count)d hour ago", "%(count)d hours ago", hours) % {"count": hours}
    return None


def written_datetime(moment):
    """Always the date and the minute, "27. novembar 2026. u 23:03": for what is kept and shown for hours
    (an article's header, which a relative "pre 5 minuta" would leave stale in the cache)."""
    if moment is None:
        return ""
    writer = written_times()
    if writer is None:
        return date_format(timezone.localtime(moment), "DATETIME_FORMAT")
    return writer(moment)


def news_datetime(moment):
    """As a Serbian paper says it: "pre 5 minuta", "pre 3 sata", then "27. novembar 2026. u 23:03"."""
    if moment is None:
        return ""
    relative = relative_time(timezone.now() - moment)
    if relative is not None:
        return relative
    return written_datetime(moment)


class NewsTimes:
    """What ``news_datetime`` says of each moment, for moments formatted together (one page's comments)."""

    def __init__(self, now=None):
        self.now = now or timezone.now()
        self.writer = written_times()
        self.written_here = self.writer is not None

    def __call__(self, moment):
        if self.now - moment < RELATIVE_TIMES_FOR or self.writer is None:
            return news_datetime(moment)  # "pre 5 minuta" and the like, and formats not written here
        return self.writer(moment)
