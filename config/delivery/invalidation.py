"""The one way to say that what readers see has changed: ``invalidate(...)``.

Writes that change a public page go through the domain's service functions (``articles.services``,
``comments.moderation`` and kin); those, and nothing else, call ``invalidate``. No signal receiver, admin
action or read path drops cached pages on its own.

A scope names what a page shows (``page_cache``): ``SITE`` (articles, sections, authors, tags, photos, site
settings: every page), ``COMMENTS`` (comment counts on listings and "Najčitanije") and ``article(pk)`` (one
article's comments and reactions).

Two kinds of change:

- **At once** (the default): a withdrawal, a correction, an edit of published text, a removed or rejected
  comment, a ban. The next request for any page showing the scope is made afresh; no copy from before is
  served again, on any node.
- **May lag** (``may_lag=True``): a reaction, an approved comment, counts on cards. Readers keep getting the
  previous copy for at most ``PAGE_CACHE_LAG_SECONDS`` while one request (across all workers and nodes) makes
  the new one, so a hot page is never rendered by every worker at once.

Both take effect when the transaction commits, and once before (so the writer's own next read in this
transaction's thread misses too).
"""

from .page_cache import COMMENTS, SITE, article_scope, changed, changed_may_lag

__all__ = ["COMMENTS", "SITE", "article", "invalidate"]


def article(article_id):
    """The scope of one article's own page: its comments and reactions."""
    return article_scope(article_id)


def invalidate(*scopes, may_lag=False):
    """Pages showing any of ``scopes`` change: at once, or within the promised lag with ``may_lag``."""
    if not scopes:
        raise ValueError("invalidate() needs at least one scope")
    if may_lag:
        changed_may_lag(*scopes)
    else:
        changed(*scopes)
