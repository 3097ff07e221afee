"""The moderation desk's queues: everything a decision needs, a page in a fixed number of queries."""

import ipaddress
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Count, Exists, Min, OuterRef, Prefetch, Q, Subquery

from .models import ArticleComment, Ban, Decision, Report, visible_condition
from .posting import word_list
from .wordlists import highlight

PAGE_SIZE = 50


@dataclass(frozen=True)
class Queue:
    slug: str
    label: str
    condition: Q
    ordering: tuple


QUEUES = {
    queue.slug: queue
    for queue in [
        # Waiting: new comments, and approved ones whose author's edit waits (comments/editing.py).
        Queue(
            "na-cekanju",
            "Na čekanju",
            Q(is_public=False, is_removed=False) | Q(is_removed=False, edited_at__isnull=False),
            ("submit_date", "pk"),
        ),
        Queue(
            "prijavljeni",
            "Prijavljeni",
            Q(is_removed=False, report_count__gt=0),
            ("-report_count", "submit_date"),
        ),
        Queue("odobreni", "Odobreni", visible_condition(), ("-moderated_at", "-pk")),
        Queue("odbijeni", "Odbijeni", Q(is_removed=True), ("-moderated_at", "-pk")),
        Queue("svi", "Svi", Q(), ("-submit_date", "-pk")),
    ]
}
DEFAULT_QUEUE = "na-cekanju"


def filtered(*, article=None, section=None, search=""):
    comments = ArticleComment.objects.select_related(None).not_withdrawn()
    if article:
        comments = comments.filter(article_id=article)
    if section:
        comments = comments.filter(article__section_id=section)
    term = search.strip()
    if term:
        condition = (
            Q(comment__icontains=term) | Q(user_name__icontains=term) | Q(email_key__icontains=term.lower())
        )
        if _is_ip_address(term):
            condition |= Q(ip_address=term)
        comments = comments.filter(condition)
    return comments


def _is_ip_address(term):
    try:
        ipaddress.ip_address(term)
    except ValueError:
        return False
    return True


def queue_counts(comments):
    """Live counts of every queue for the current filters, in one query."""
    return comments.aggregate(
        **{queue.slug: Count("pk", filter=queue.condition) for queue in QUEUES.values()}
    )


def with_context(comments):
    """Each comment with its article, parent, reports, decisions, the commenter's history and any ban."""
    same_email = ArticleComment.objects.filter(email_key=OuterRef("email_key")).order_by().values("email_key")
    parent = ArticleComment.objects.filter(pk=OuterRef("parent_id")).exclude(pk=OuterRef("pk"))
    active_bans = Ban.objects.active().filter(
        Q(email__iexact=OuterRef("email_key"), email__gt="") | Q(ip_address=OuterRef("ip_address"))
    )
    # Its own EXISTS: in the OR above it made PostgreSQL plan the desk's page of 10,000 pending badly.
    account_bans = Ban.objects.active().filter(user_id=OuterRef("user_id"))
    return (
        comments.select_related("article__section")
        .annotate(
            parent_name=Subquery(parent.values("user_name")[:1]),
            parent_text=Subquery(parent.values("comment")[:1]),
            history_approved=Subquery(
                same_email.filter(visible_condition()).annotate(n=Count("pk")).values("n")
            ),
            history_rejected=Subquery(same_email.filter(is_removed=True).annotate(n=Count("pk")).values("n")),
            first_seen=Subquery(same_email.annotate(first=Min("submit_date")).values("first")),
            is_banned=Exists(active_bans) | Exists(account_bans),
        )
        .prefetch_related(
            Prefetch("reports", queryset=Report.objects.order_by("created_at")),
            Prefetch("decisions", queryset=Decision.objects.select_related("moderator")),
        )
    )


def desk_page(queue_slug, *, page_number=None, article=None, section=None, search=""):
    queue = QUEUES.get(queue_slug) or QUEUES[DEFAULT_QUEUE]
    comments = filtered(article=article, section=section, search=search)
    counts = queue_counts(comments)
    listing = with_context(comments.filter(queue.condition)).order_by(*queue.ordering)
    paginator = Paginator(listing, PAGE_SIZE)
    paginator.count = counts[queue.slug]  # known already: saves a COUNT query
    page = paginator.get_page(page_number)
    return queue, counts, page


def marked_text(comment, comment_settings):
    """The comment's text, escaped, with banned and suspect words marked."""
    banned = word_list(comment_settings.banned_words).find(comment.comment)
    suspect = word_list(comment_settings.suspect_words).find(comment.comment)
    kinds = {id(match): "banned" for match in banned} | {id(match): "suspect" for match in suspect}
    return highlight(
        comment.comment, banned + suspect, lambda match: f"desk-word desk-word--{kinds[id(match)]}"
    )


def pending_summary():
    """Pending count and the oldest pending comment's age, for the admin index."""
    return ArticleComment.objects.filter(QUEUES[DEFAULT_QUEUE].condition).aggregate(
        count=Count("pk"), oldest=Min("submit_date")
    )
