"""``news_datetime`` for the many times of one page, without Django's date formatting for each of them.

A page of 200 comments spent some 100 µs a comment in ``timezone.localtime`` and ``date_format`` (a
``DateFormat`` object, a format lookup and a translation per letter of the format). Here the offset from UTC
is looked up once per hour of UTC time, the date once per day, and a minute is an f-string: the same text,
which articles/tests/test_news_times.py compares with ``news_datetime`` across DST changes, midnights, years
and months.
"""

from datetime import UTC, timedelta

from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.formats import get_format

from articles.templatetags.articles_tags import RELATIVE_TIMES_FOR, news_datetime

# The format written here by hand ("27. novembar 2026. u 23:03"); with any other the slow path is taken.
WRITTEN_FORMAT = "j. F Y. \\u H:i"
HOUR = timedelta(hours=1)


class NewsTimes:
    """What ``news_datetime`` says of each moment, for moments formatted together (one page's comments)."""

    def __init__(self, now=None):
        self.now = now or timezone.now()
        self.zone = timezone.get_current_timezone()
        self.written_here = get_format("DATETIME_FORMAT") == WRITTEN_FORMAT
        self.months = {number: str(name) for number, name in MONTHS.items()}  # in the active language
        self.offsets = {}  # UTC hour -> the zone's offset through that hour, or None where it changes
        self.days = {}  # local (year, month, day) -> "27. novembar 2026."

    def __call__(self, moment):
        if self.now - moment < RELATIVE_TIMES_FOR or not self.written_here:
            return news_datetime(moment)  # "pre 5 minuta" and the like, and formats not written here
        utc = moment.astimezone(UTC) if moment.utcoffset() else moment
        hour = utc.replace(minute=0, second=0, microsecond=0)
        if hour not in self.offsets:
            start = hour.astimezone(self.zone).utcoffset()
            end = (hour + HOUR).astimezone(self.zone).utcoffset()
            self.offsets[hour] = start if start == end else None
        offset = self.offsets[hour]
        local = utc + offset if offset is not None else utc.astimezone(self.zone)
        day = (local.year, local.month, local.day)
        date = self.days.get(day)
        if date is None:
            date = self.days[day] = f"{local.day}. {self.months[local.month]} {local.year:04d}."
        return f"{date} u {local.hour:02d}:{local.minute:02d}"
