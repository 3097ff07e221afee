"""Reading counts for "Najčitanije", at no cost to the reader.

Each process adds views up in memory and writes them in one statement every READ_COUNT_FLUSH_SECONDS (or
when many articles are waiting), so a page view never waits on a database write. Hand-written because the
counters we looked at write per view or need Redis; here a crash loses at most one interval's views, which a
"most read" list does not notice. Counting must never hurt the page: every failure is logged and swallowed.
"""

import atexit
import logging
import re
import threading
import time
from collections import Counter
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from config.delivery.invalidation import COMMENTS, invalidate

from .models import Article, HourlyReadCount

logger = logging.getLogger(__name__)

# Crawlers, link previews, monitors and scripts: not readers.
BOT_USER_AGENT = re.compile(
    r"bot|crawl|spider|slurp|archiver|facebookexternalhit|embedly|preview|lighthouse|pingdom|monitor|"
    r"headless|phantom|curl|wget|python|httpx|aiohttp|java/|go-http|okhttp|scrapy|feed|reader|fetch",
    re.IGNORECASE,
)
MAX_WAITING_ARTICLES = 1000
KEEP_DAYS = 30

_lock = threading.Lock()
_waiting = Counter()  # (article id, hour) -> views not yet written
_last_flush = time.monotonic()


def is_reader(request):
    """A person reading: not a crawler, not a browser prefetch, not the newsroom."""
    user_agent = request.headers.get("User-Agent", "")
    if not user_agent or BOT_USER_AGENT.search(user_agent):
        return False
    if "prefetch" in request.headers.get("Sec-Purpose", request.headers.get("Purpose", "")):
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated and user.is_staff)


def current_hour():
    return timezone.now().replace(minute=0, second=0, microsecond=0)


def count_read(request, article_id):
    """Notes one reading of the article if a reader made the request; never raises."""
    try:
        if not is_reader(request):
            return
        global _last_flush
        with _lock:
            _waiting[(article_id, current_hour())] += 1
            due = (
                time.monotonic() - _last_flush >= settings.READ_COUNT_FLUSH_SECONDS
                or len(_waiting) >= MAX_WAITING_ARTICLES
            )
        if due:
            flush()
    except Exception:
        logger.exception("Counting a reading of article %s failed", article_id)


def flush():
    """Writes the waiting views in one statement; on failure keeps them for the next try. Returns rows."""
    global _last_flush
    with _lock:
        batch = dict(_waiting)
        _waiting.clear()
        _last_flush = time.monotonic()
    if not batch:
        return 0
    try:
        with transaction.atomic():
            written = _write(batch)
            # "Najčitanije" on the listings may be a few seconds behind; it is counted in hours anyway.
            invalidate(COMMENTS, may_lag=True)
    except DatabaseError:
        logger.exception("Writing %d reading counts failed; kept for the next flush", len(batch))
        with _lock:
            _waiting.update(batch)
        return 0
    return written


def _write(batch):
    existing = set(Article.objects.filter(pk__in={pk for pk, _ in batch}).values_list("pk", flat=True))
    rows = [(pk, hour, reads) for (pk, hour), reads in batch.items() if pk in existing]
    table = connection.ops.quote_name(HourlyReadCount._meta.db_table)
    # Django's bulk_create(update_conflicts=True) can only overwrite a count, not add to it; this upsert
    # (PostgreSQL and SQLite alike) adds, so two processes flushing the same hour both count.
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (article_id, hour, reads) VALUES (%s, %s, %s) "
            f"ON CONFLICT (article_id, hour) DO UPDATE SET reads = {table}.reads + EXCLUDED.reads",
            rows,
        )
    HourlyReadCount.objects.filter(hour__lt=timezone.now() - timedelta(days=KEEP_DAYS)).delete()
    return len(rows)


def waiting_views():
    with _lock:
        return sum(_waiting.values())


def discard_waiting():
    """Forgets unwritten views (tests start from nothing)."""
    with _lock:
        _waiting.clear()


def _flush_at_exit():
    try:
        flush()
    except Exception:  # the database may already be gone when the process ends
        logger.warning("Reading counts could not be written at exit", exc_info=True)


atexit.register(_flush_at_exit)
