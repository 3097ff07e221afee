from datetime import timedelta

from django import template
from django.utils import timezone

from comments.desk import pending_summary
from comments.rendering import ThreadWriter
from comments.selectors import most_commented

register = template.Library()


@register.simple_tag
def comment_threads(threads, can_reply):
    """The threads' comments as list items (comments/rendering.py: the page's costliest part, made fast)."""
    return ThreadWriter(can_reply=can_reply).threads(threads)


@register.inclusion_tag("admin/comments/summary.html")
def moderation_summary():
    """Pending count and the oldest pending comment's age, for the admin index."""
    return {"summary": pending_summary()}


@register.simple_tag
def most_commented_articles(days=7, limit=5):
    """For the front page's "Najkomentarisanije" block."""
    return list(most_commented(since=timezone.now() - timedelta(days=days), limit=limit))
