"""What the comments section shows: a page of threads in a fixed number of queries, whatever their size."""

from dataclasses import dataclass, field

from django.db.models import Count, F, Q

from articles.models import Article

from .models import THREAD_FIELDS, ArticleComment, Reaction, visible_condition

# Featured ("Izdvojeno") threads lead in every order.
ORDERINGS = {
    "najstarije": ("-is_featured", "submit_date", "pk"),
    "najnovije": ("-is_featured", "-submit_date", "-pk"),
    "najpopularnije": ("-is_featured", "-popularity", "submit_date", "pk"),
}
DEFAULT_ORDERING = "najstarije"


class ShownComment:
    """A comment as the list shows it, from a row of THREAD_FIELDS: a model instance costs ten times more."""

    __slots__ = ("pk", *THREAD_FIELDS)

    def __init__(self, row):
        for name, value in row.items():
            setattr(self, name, value)

    is_visible = ArticleComment.is_visible
    accepts_replies = ArticleComment.accepts_replies


@dataclass
class CommentNode:
    """A comment in the tree; ``comment`` is None for a withdrawn one that still has visible replies."""

    comment_id: int
    comment: "ShownComment | None"
    children: list = field(default_factory=list)


# The functions below show an article the caller may show (public now, or a preview for the newsroom), so
# they filter by what moderation lets through, visible_condition(), not by .visible(), which also asks whether
# the article is public now.


def thread_roots(article, ordering=DEFAULT_ORDERING):
    """Top-level comments of threads with something visible, in the reader's chosen order."""
    threads_with_visible_replies = (
        ArticleComment.objects.filter(visible_condition(), article=article, level__gt=0).values("thread_id")
    )
    return (
        ArticleComment.objects.for_threads()
        .filter(article=article, level=0)
        .filter(visible_condition() | Q(thread_id__in=threads_with_visible_replies))
        .annotate(popularity=F("like_count") - F("dislike_count"))
        .order_by(*ORDERINGS.get(ordering, ORDERINGS[DEFAULT_ORDERING]))
    )


@dataclass
class ThreadPage:
    """A page of threads; it knows whether another follows without counting them all."""

    number: int
    threads: list
    has_next: bool

    @property
    def has_previous(self):
        return self.number > 1

    @property
    def next_page_number(self):
        return self.number + 1

    @property
    def previous_page_number(self):
        return self.number - 1


def page_number_from(value):
    """A page number from the address: anything that is not a sensible number means the first page."""
    # ASCII digits only: str.isdigit() is also true of "²" and "⁰⁴⁵", which int() refuses.
    sensible = isinstance(value, str) and value.isascii() and value.isdigit() and 0 < len(value) < 6
    return int(value) if sensible and int(value) else 1


def thread_page(article, *, ordering, page_number, per_page):
    """A page of threads, the same for every reader: a reader's own reactions come from own_reactions()."""
    number = page_number_from(page_number)
    roots = list(
        thread_roots(article, ordering).values("pk", *THREAD_FIELDS)[
            (number - 1) * per_page : number * per_page + 1
        ]
    )
    if not roots and number > 1:  # past the end: show the first page instead
        return thread_page(article, ordering=ordering, page_number="1", per_page=per_page)
    has_next = len(roots) > per_page
    roots = [ShownComment(row) for row in roots[:per_page]]
    replies = [
        ShownComment(row)
        for row in ArticleComment.objects.filter(
            visible_condition(), thread_id__in=[root.thread_id for root in roots], level__gt=0
        )
        .order_by("thread_id", "order")
        .values("pk", *THREAD_FIELDS)
    ]
    return ThreadPage(number, build_threads(roots, replies), has_next)


def own_reactions(reader_key, article):
    """{comment id: +1 or -1} of this reader's reactions to the comments readers see under the article."""
    return dict(
        Reaction.objects.filter(reader_key=reader_key, comment__article=article)
        .filter(visible_condition("comment__"))
        .values_list("comment_id", "value")
    )


def build_threads(roots, replies):
    def node(comment):
        return CommentNode(comment.pk, comment if comment.is_visible else None)

    nodes = {root.pk: node(root) for root in roots}
    for reply in replies:  # in thread order, so a parent always comes before its replies
        parent = nodes.get(reply.parent_id)
        if parent is None:  # the parent was withdrawn after this reply was approved
            parent = nodes[reply.parent_id] = CommentNode(reply.parent_id, None)
            nodes[reply.thread_id].children.append(parent)
        nodes[reply.pk] = node(reply)
        parent.children.append(nodes[reply.pk])
    return [nodes[root.pk] for root in roots]


def page_of(comment, per_page):
    """The page of the section, in the default order, on which a visible comment's thread stands."""
    root = ArticleComment.objects.get(pk=comment.thread_id)
    roots = thread_roots(comment.article_id)
    before_in_time = Q(submit_date__lt=root.submit_date) | Q(submit_date=root.submit_date, pk__lt=root.pk)
    if root.is_featured:
        earlier = roots.filter(before_in_time, is_featured=True)
    else:
        earlier = roots.filter(Q(is_featured=True) | before_in_time)
    return earlier.count() // per_page + 1


def most_commented(since, limit=5):
    """Published articles with the most comments readers can see among those posted since ``since``."""
    return (
        Article.objects.published()
        .for_listing()
        .filter(visible_condition("reader_comments__"), reader_comments__submit_date__gte=since)
        .annotate(recent_comments=Count("reader_comments"))
        .order_by("-recent_comments", "-published_at", "-pk")[:limit]
    )
