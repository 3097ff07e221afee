"""Live blogs ("Praćenje uživo"): entries added while a story runs, what the page and the polled part show,
and the writes that tell readers' pages (each ending in one ``invalidate``, as in ``services``).

An entry changes only its article's page (and the polled part, which shows the same scope); starting or
ending coverage changes cards and the front page too ("UŽIVO"), so those bump ``SITE``. An end set in the
future needs no write at all: ``next_live_end`` is a schedule source of the page cache (``apps.py``).
"""

from django.db import transaction
from django.utils import timezone

from config.delivery.invalidation import SITE, article, invalidate

from .models import Article, LiveEntry

# The newest entries a page shows; older ones stay in the database (a day of coverage is far fewer).
PAGE_ENTRIES = 200
# The entries the polled part gives at most: a reader away longer reloads the page (the part says so).
POLLED_ENTRIES = 50
# Entries in the page's JSON-LD (liveBlogUpdate).
JSON_LD_ENTRIES = 20
POLL_SECONDS = 20


def entries(article_obj, limit=PAGE_ENTRIES, after=None):
    """The article's entries, newest first, each with its photo, in one query."""
    shown = LiveEntry.objects.filter(article_id=article_obj.pk).select_related("image")
    if after:
        shown = shown.filter(pk__gt=after)
    return list(shown.order_by("-posted_at", "-pk")[:limit])


def live_article(pk):
    """A published live blog for the polled part, or None (unpublished, withdrawn, missing, not live)."""
    return (
        Article.objects.published()
        .filter(pk=pk, is_live_blog=True)
        .only("pk", "is_live_blog", "live_until", "status", "published_at")
        .first()
    )


def save_entry(entry, user=None):
    """Saves a new or edited entry; a new one also marks the article as updated now."""
    with transaction.atomic():
        adding = entry._state.adding
        if adding:
            entry.created_by = user
        entry.save()
        if adding:
            Article.objects.filter(pk=entry.article_id).update(updated_at=timezone.now())
            # Feeds and sitemaps give the update time: they may follow within the lag, as after a reaction,
            # so a busy live blog does not remake every page of the site at once for each entry.
            invalidate(SITE, may_lag=True)
        invalidate(article(entry.article_id))


def delete_entries(entries_to_delete):
    """Deletes entries (a query set or a list): their articles' pages drop them."""
    with transaction.atomic():
        entries_list = list(entries_to_delete)
        for entry in entries_list:
            entry.delete()
        scopes = {article(entry.article_id) for entry in entries_list}
        if scopes:
            invalidate(*scopes)


def end_coverage(article_obj):
    """Ends live coverage now: the article, its cards and the front page no longer say "UŽIVO"."""
    with transaction.atomic():
        now = timezone.now()
        Article.objects.filter(pk=article_obj.pk).update(live_until=now)
        article_obj.live_until = now
        invalidate(SITE, article(article_obj.pk))


def next_live_end():
    """When the next running live blog's coverage ends: its pages and cards change then with no write."""
    ends = (
        Article.objects.filter(is_live_blog=True, live_until__gt=timezone.now())
        .order_by("live_until")
        .values_list("live_until", flat=True)
    )
    return ends.first()
