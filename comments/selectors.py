"""What the comments section shows: a page of threads in a fixed number of queries, whatever their size."""

from collections import namedtuple
from dataclasses import dataclass, field, replace
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import connections
from django.db.models import Count, F, OuterRef, Q, Subquery, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_comments.models import Comment

from articles.models import Article
from articles.page_sections import NotCanonical
from config.delivery import fragments, invalidation
from config.delivery.page_cache import Param, object_id, one_of
from config.delivery.page_cache import page_number as page_number_param

from .editing import editable_json
from .forms import ArticleCommentForm
from .models import THREAD_FIELDS, ArticleComment, CommentSettings, Reaction, Report, visible_condition
from .posting import after_hours_notice, closing_reason, reader_account

# Featured ("Izdvojeno") threads lead in every order.
ORDERINGS = {
    "najstarije": ("-is_featured", "submit_date", "pk"),
    "najnovije": ("-is_featured", "-submit_date", "-pk"),
    "najpopularnije": ("-is_featured", "-popularity", "submit_date", "pk"),
}
DEFAULT_ORDERING = "najstarije"
ORDERING_LABELS = [
    ("najstarije", _("Oldest")),
    ("najnovije", _("Newest")),
    ("najpopularnije", _("Most popular")),
]

# The section's query parameters, as the article page declares them to the page cache: the ordering, the page
# of threads and the comment replied to without JavaScript. A default or meaningless value normalises to "".
ORDERING_PARAM = Param("redosled", one_of(*(name for name in ORDERINGS if name != DEFAULT_ORDERING)))
PAGE_PARAM = Param("komentari", page_number_param)
REPLY_TO_PARAM = Param("odgovor", object_id)
SECTION_PARAMS = (ORDERING_PARAM, PAGE_PARAM, REPLY_TO_PARAM)


@dataclass(frozen=True)
class SectionParams:
    """What a reader asks of the comments section in the address, normalised."""

    ordering: str = DEFAULT_ORDERING
    page_number: int = 1
    reply_to: int | None = None

    @classmethod
    def from_query(cls, query):
        """From a query (a QueryDict, or the article page's declared parameters) as the page cache reads it:
        each parameter normalised, the last meaningful value of a repeated one."""
        values = {}
        for param in SECTION_PARAMS:
            given = query.getlist(param.name) if hasattr(query, "getlist") else [query.get(param.name, "")]
            meaningful = [value for value in map(param.normalise, given) if value]
            values[param.name] = meaningful[-1] if meaningful else ""
        return cls(
            ordering=values["redosled"] or DEFAULT_ORDERING,
            page_number=int(values["komentari"] or 1),
            reply_to=int(values["odgovor"]) if values["odgovor"] else None,
        )

    def query(self):
        """The parameters that ask for this, defaults left out."""
        query = {}
        if self.ordering != DEFAULT_ORDERING:
            query["redosled"] = self.ordering
        if self.page_number > 1:
            query["komentari"] = str(self.page_number)
        if self.reply_to is not None:
            query["odgovor"] = str(self.reply_to)
        return query


class ShownComment(namedtuple("ShownCommentRow", ("pk", *THREAD_FIELDS))):
    """A comment as the list shows it, a row of THREAD_FIELDS: a model instance costs ten times more."""

    __slots__ = ()

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


class KeptThreadPage:
    """A page of threads whose HTML is kept as a fragment (config/delivery/fragments.py): it exists and has
    threads (the fragment was made from them and the article's comments have not changed since), and they
    are read only if the fragment is made after all."""

    def __init__(self, number, load):
        self.number = number
        self._load = load
        self._page = None

    def _loaded(self):
        if self._page is None:
            self._page = self._load() or ThreadPage(self.number, [], False)
        return self._page

    @property
    def threads(self):
        return _KeptThreads(self._loaded)

    @property
    def has_next(self):
        return self._loaded().has_next

    has_previous = ThreadPage.has_previous
    next_page_number = ThreadPage.next_page_number
    previous_page_number = ThreadPage.previous_page_number


class _KeptThreads:
    """Non-empty (the template asks before showing them); the threads themselves when iterated."""

    def __init__(self, loaded):
        self._loaded = loaded

    def __bool__(self):
        return True

    def __iter__(self):
        return iter(self._loaded().threads)

    def __len__(self):
        return len(self._loaded().threads)


def threads_fragment(article, params, *, can_reply, per_page):
    """The threads' fragment in templates/comments/section.html: its scopes and what it varies by."""
    return {
        "scopes": (invalidation.article(article.pk),),
        "vary": (params.ordering, params.page_number, can_reply, per_page),
    }


def page_number_from(value):
    """A page number from the address: anything that is not a sensible number means the first page."""
    # ASCII digits only: str.isdigit() is also true of "²" and "⁰⁴⁵", which int() refuses.
    sensible = isinstance(value, str) and value.isascii() and value.isdigit() and 0 < len(value) < 6
    return int(value) if sensible and int(value) else 1


def thread_page(article, *, ordering, page_number, per_page):
    """A page of threads, the same for every reader, or None past the last page.

    A reader's own reactions come from own_reactions().
    """
    number = page_number_from(page_number)
    ordering = ordering if ordering in ORDERINGS else DEFAULT_ORDERING
    connection = connections[ArticleComment.objects.db]
    query = _thread_page_query(connection, ordering)
    article_id = article.pk if isinstance(article, Article) else article
    roots, replies = query.run(connection, article_id, number, per_page)
    if not roots and number > 1:
        return None  # past the last page: there is none
    has_next = len(roots) > per_page
    return ThreadPage(number, build_threads(roots[:per_page], replies), has_next)


# The page's roots and their threads' replies in one query, its SQL compiled by the ORM once per process
# (compiling the two querysets cost more than running them): roots, numbered in the reader's order, are the
# page of a CTE; the replies of the page's threads follow, in thread order.
ARTICLE_PLACEHOLDER = 918273645


class ThreadPageQuery:
    """The SQL for one database and ordering; it keeps no connection (connections belong to a thread)."""

    def __init__(self, connection, ordering):
        quote = connection.ops.quote_name
        roots = (
            thread_roots(ARTICLE_PLACEHOLDER, ordering)
            .annotate(position=Window(RowNumber(), order_by=ORDERINGS[ordering]))
            .values("pk", *THREAD_FIELDS, "position")
            .query.get_compiler(connection=connection)
        )
        roots_sql, roots_params = roots.as_sql()
        replies_sql, replies_params = (
            ArticleComment.objects.filter(visible_condition(), level__gt=0)
            .order_by()
            .values("pk", *THREAD_FIELDS)
            .query.get_compiler(connection=connection)
            .as_sql()
        )
        self.names = [alias for _, _, alias in roots.select]
        assert self.names == [*ShownComment._fields, "position"], self.names
        columns = ", ".join(quote(name) for name in self.names)
        reply_columns = ", ".join(f"reply.{quote(name)}" for name in self.names[:-1])
        number = {name: n for n, name in enumerate(self.names, start=1)}
        kind = len(self.names) + 1
        page, position, thread = quote("thread_page"), quote("position"), quote("thread_id")
        self.sql = (
            f"WITH {page} AS ({roots_sql} LIMIT %s OFFSET %s) "
            f"SELECT {columns}, 0 FROM {page} "
            f"UNION ALL SELECT {reply_columns}, 0, 1 FROM ({replies_sql}) reply "
            f"WHERE reply.{thread} IN (SELECT {thread} FROM {page} WHERE {position} <= %s) "
            f"ORDER BY {kind}, {number['position']}, {number['thread_id']}, {number['order']}"
        )
        self.roots_params = list(roots_params)
        self.replies_params = list(replies_params)
        # The backend's converters of each column (SQLite's dates and booleans), applied as the ORM does.
        self.converters = [
            (position, functions, expression)
            for position, (functions, expression) in roots.get_converters(
                [expression for expression, _, _ in roots.select]
            ).items()
        ]

    def run(self, connection, article_id, number, per_page):
        """The page's roots (one more than ``per_page`` if a page follows) and its threads' replies."""
        params = [
            *(article_id if param == ARTICLE_PLACEHOLDER else param for param in self.roots_params),
            per_page + 1,
            (number - 1) * per_page,
            *self.replies_params,
            number * per_page,
        ]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        roots, replies = [], []
        shown = ShownComment._make
        for row in rows:  # its fields, the position, then 1 for a reply
            if self.converters:
                row = list(row)
                for position, functions, expression in self.converters:
                    value = row[position]
                    for function in functions:
                        value = function(value, expression, connection)
                    row[position] = value
            (replies if row[-1] else roots).append(shown(row[:-2]))
        return roots, replies


_thread_page_queries = {}


def _thread_page_query(connection, ordering):
    key = (connection.alias, connection.vendor, ordering)
    query = _thread_page_queries.get(key)
    if query is None:
        query = _thread_page_queries[key] = ThreadPageQuery(connection, ordering)
    return query


def comment_section(article, params, *, user, notices=()):
    """The comments section for ``params`` (a SectionParams): count, ordering, a page of threads, the form and
    the notices waiting for the reader; the article page and "Prikaži još" both show what this gives.

    ``article`` comes from ``Article.objects.with_publication_state()``. Raises ``NotCanonical`` with the
    parameters to ask instead for a page past the last or a reply to a comment that takes none here: their
    answer would be the same as the canonical address's, so they get no copy of their own.
    """
    comment_settings = CommentSettings.get_solo()
    closed = closing_reason(article, comment_settings)
    threads = threads_fragment(
        article, params, can_reply=not closed, per_page=comment_settings.threads_per_page
    )

    def load():
        return thread_page(
            article,
            ordering=params.ordering,
            page_number=str(params.page_number),
            per_page=comment_settings.threads_per_page,
        )

    # As the template names it: the scopes, and what the threads vary by as one value.
    if fragments.kept("comment-threads", scopes=threads["scopes"], vary=[threads["vary"]]):
        page = KeptThreadPage(params.page_number, load)
    else:
        page = load()
    replying_to = None if closed or params.reply_to is None else _reply_target(article, params.reply_to)
    canonical = params
    if page is None:
        canonical = replace(canonical, page_number=1)
    if params.reply_to is not None and replying_to is None:
        canonical = replace(canonical, reply_to=None)
    if canonical != params:
        raise NotCanonical(canonical.query())
    form = None
    account = reader_account(user)
    own = own_comments(article, user, comment_settings)
    if not closed:
        form = ArticleCommentForm(
            article,
            initial=_initial_for(user, replying_to, account),
            max_length=comment_settings.max_length,
        )
    return {
        "signed_in": user.is_authenticated,
        # A signed-in reader's own: how they comment and their comments waiting for a moderator. Never inside
        # the shared "comment-threads" fragment; the page cache keeps no page of a signed-in reader.
        "account": account,
        "own_pending": [comment for comment in own if comment.is_pending]
        if account is not None and account.ready
        else [],
        "article": article,
        "page": page,
        "ordering": params.ordering,
        "orderings": ORDERING_LABELS,
        "closed_reason": closed,
        "can_reply": not closed,
        "threads_fragment": threads,
        "form": form,
        "replying_to": replying_to,
        "report_reasons": Report.Reason.choices,
        "comment_settings": comment_settings,
        "notices": list(notices),
        "after_hours_notice": "" if closed else after_hours_notice(comment_settings),
        "own_editable": editable_json(own, comment_settings),
    }


def article_page_section(article, query, *, user, notices):
    """The article page's builder (articles/page_sections.py): the section from the page's declared query."""
    return comment_section(article, SectionParams.from_query(query), user=user, notices=notices)


def _reply_target(article, comment_id):
    """The comment replied to without JavaScript, if it is this article's and can be replied to."""
    parent = ArticleComment.objects.visible().filter(pk=comment_id, article=article).first()
    return parent if parent and parent.accepts_replies else None


def _initial_for(user, replying_to, account=None):
    initial = {"reply_to": replying_to.pk if replying_to else 0}
    if account is not None:
        initial.update(name=account.name, email=account.email)
    elif user.is_authenticated:
        initial.update(name=user.get_full_name() or user.get_username(), email=user.email)
    return initial


# What a signed-in reader's own comments show apart from everyone's (pending, or still editable).
OWN_FIELDS = (
    "pk", "parent_id", "level", "user_name", "comment", "edited_text", "submit_date", "is_public",
    "is_removed", "hidden_by_reports",
)  # fmt: skip


def own_comments(article, user, comment_settings):
    """A signed-in user's comments under this article that are theirs to see apart from everyone's, in one
    query: those waiting for a moderator, and those still in the editing window. Oldest first; a reply carries
    ``parent_name``, the name of the comment it answers. None for anyone not signed in."""
    if not user.is_authenticated:
        return []
    theirs = Q(is_public=False, is_removed=False)
    if comment_settings.edit_minutes:
        since = timezone.now() - timedelta(minutes=comment_settings.edit_minutes)
        theirs |= Q(is_removed=False, hidden_by_reports=False, submit_date__gt=since)
    parent = ArticleComment.objects.filter(pk=OuterRef("parent_id")).exclude(pk=OuterRef("pk"))
    return list(
        ArticleComment.objects.select_related(None)
        .not_withdrawn()
        .filter(theirs, article=article, user_id=user.pk)
        .only(*OWN_FIELDS)
        .annotate(parent_name=Subquery(parent.values("user_name")[:1]))
        .order_by("submit_date", "pk")
    )


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


# "Najkomentarisanije" looks up this many times as many of the most commented articles as it shows.
RANKED_CANDIDATES = 3


def most_commented(since, limit=5):
    """Published articles with the most comments readers can see among those posted since ``since``, as a list
    with ``recent_comments``; of equal ones the newer article first. Three queries, bounded by the week's
    comments and the few articles shown, never by the archive."""
    counts = recent_comment_counts(since)
    by_count = sorted(counts, key=counts.get, reverse=True)
    published, start = [], 0
    # The most commented few are almost always published: only they are looked up, with every article tied
    # with the last of them (all the others have fewer comments), and the next few only if too few were.
    while len(published) < limit and start < len(by_count):
        end = min(start + RANKED_CANDIDATES * limit, len(by_count))
        while end < len(by_count) and counts[by_count[end]] == counts[by_count[end - 1]]:
            end += 1
        chosen = Article.objects.published().filter(pk__in=by_count[start:end])
        published += chosen.order_by().values_list("pk", "published_at")
        start = end
    ranked = sorted(published, key=lambda row: (-counts[row[0]], -row[1].timestamp(), -row[0]))[:limit]
    articles = Article.objects.for_listing().in_bulk([pk for pk, _published_at in ranked])
    for article in articles.values():
        article.recent_comments = counts[article.pk]
    return [articles[pk] for pk, _published_at in ranked]


def recent_comment_counts(since):
    """``{article id: comments readers can see among those posted since ``since``}``.

    Counted on django-contrib-comments' own table by the commented object's key, which every article comment
    carries: going through ArticleComment would look each comment of the week up in two more tables.
    """
    comments = (
        Comment.objects.filter(
            content_type=ContentType.objects.get_for_model(Article),
            submit_date__gte=since,
            is_public=True,
            is_removed=False,
        )
        .exclude(pk__in=ArticleComment.objects.filter(hidden_by_reports=True).values("pk"))
        .values_list("object_pk")
        .annotate(count=Count("pk"))
        .order_by()
    )
    return {int(object_pk): count for object_pk, count in comments}
