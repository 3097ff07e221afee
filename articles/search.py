"""Full-text search over published articles.

On PostgreSQL each article has a weighted tsvector (title A, lead B, body C) built with the ``citaonica``
text search configuration (``serbian`` with ``unaccent``, see migration 0008) and a GIN index over it;
queries go through ``websearch_to_tsquery``, which accepts any input. Elsewhere (SQLite in development) every
word of the query must occur in the article's folded text.

Documents and queries pass through the same ``normalize_for_search``, so both sides agree on scripts and
on "đ": Cyrillic becomes Latin and "đ" becomes "dj", which is what readers type ("djokovic" finds "Đoković").
"""

import html
import operator
import re
import unicodedata
from functools import reduce

from django.core.paginator import Paginator
from django.db import connections, transaction
from django.db.models import Case, ExpressionWrapper, F, IntegerField, Q, Value, When
from django.db.models.functions import StrIndex
from django.db.models.lookups import LessThan
from django.utils.functional import cached_property
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .models import Article, SearchEntry
from .transliteration import to_latin

CONFIG = "citaonica"
RESULTS_PER_PAGE = 20
MAX_COUNTED = 1000
INDEX_BATCH_SIZE = 500

_TAG = re.compile(r"<[^>]*>")
_SPACES = re.compile(r"\s+")
# A word is a run of letters and digits; the underscore counts as punctuation here.
_WORD = re.compile(r"[^\W_]+")

# Snippets are cut around matched words in the text readers see (original diacritics and script).
SNIPPET_WORDS = 30
SNIPPET_WORDS_BEFORE = 8
SNIPPET_FRAGMENTS = 2
ELLIPSIS = "…"
# Characters that never occur in articles: they delimit the words PostgreSQL marks as matching.
_START, _STOP = "\ue000", "\ue001"
_MARKED = re.compile(f"{_START}(.*?){_STOP}", re.DOTALL)
_TRAILING_PUNCTUATION = re.compile(r"[.,;:!?…»“”’\"')]*")


def html_to_text(value):
    """The text of an HTML body: tags become spaces (so paragraphs do not run together), entities text."""
    return _SPACES.sub(" ", html.unescape(_TAG.sub(" ", value))).strip()


def normalize_for_search(text, *, is_html=False):
    """Text as search compares it: Latin script, "đ" written "dj"; with ``is_html``, tags and entities gone.

    Used for documents and queries alike. Plain fields (title, lead, the query) keep "<" and ">" as text.
    """
    if is_html:
        text = html_to_text(text)
    # The site's one transliteration (a no-op without Cyrillic); the editors' exceptions do not matter here.
    text = to_latin(text, keep=())
    # "Đ" on its own would lose its stroke in unaccent and become "D"; readers who cannot type it write "Dj".
    return text.replace("đ", "dj").replace("Đ", "Dj")


def fold(text):
    """Normalized, lower-cased and without diacritics: "Šta će Đoković" → "sta ce djokovic"."""
    decomposed = unicodedata.normalize("NFKD", normalize_for_search(text).lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def query_words(query_text):
    """The query's words, folded; empty when it holds only punctuation."""
    return _WORD.findall(fold(query_text))


def is_postgresql(using="default"):
    return connections[using].vendor == "postgresql"


# Indexing


def _postgresql_upsert(table):
    # Raw SQL: PostgreSQL computes the weighted vector from the normalized texts inside an upsert, one
    # statement per row sent in one executemany per batch; bulk_create can neither call to_tsvector on its
    # parameters nor update on conflict with such expressions.
    return f"""
        INSERT INTO {table} (article_id, vector, folded)
        VALUES (
            %s,
            setweight(to_tsvector('{CONFIG}', %s), 'A')
            || setweight(to_tsvector('{CONFIG}', %s), 'B')
            || setweight(to_tsvector('{CONFIG}', %s), 'C'),
            ''
        )
        ON CONFLICT (article_id) DO UPDATE SET vector = EXCLUDED.vector, folded = EXCLUDED.folded
    """


def _fallback_upsert(table):
    # The same statement shape as on PostgreSQL, so the migration's backfill needs no model class.
    return f"""
        INSERT INTO {table} (article_id, vector, folded) VALUES (%s, NULL, %s)
        ON CONFLICT (article_id) DO UPDATE SET vector = NULL, folded = excluded.folded
    """


def _entry_row(article, postgresql):
    title = article.title.replace("\n", " ")
    if postgresql:
        return (
            article.pk,
            normalize_for_search(title),
            normalize_for_search(article.lead),
            normalize_for_search(article.body, is_html=True),
        )
    # The title is the first line, so ranking can tell a title match from a match further down.
    return (article.pk, "\n".join([fold(title), fold(article.lead), fold(html_to_text(article.body))]))


def index_articles(articles, *, batch_size=INDEX_BATCH_SIZE, using="default", progress=None):
    """Writes the search entries of ``articles`` (anything with pk, title, lead and body) in batches.

    Returns how many were indexed; ``progress(done)`` is called after each batch.
    """
    postgresql = is_postgresql(using)
    table = SearchEntry._meta.db_table
    sql = _postgresql_upsert(table) if postgresql else _fallback_upsert(table)
    done = 0
    batch = []

    def flush():
        nonlocal done
        with transaction.atomic(using=using), connections[using].cursor() as cursor:
            cursor.executemany(sql, batch)
        done += len(batch)
        batch.clear()
        if progress:
            progress(done)

    for article in articles:
        batch.append(_entry_row(article, postgresql))
        if len(batch) >= batch_size:
            flush()
    if batch:
        flush()
    return done


def index_all_articles(*, batch_size=INDEX_BATCH_SIZE, progress=None, queryset=None, using="default"):
    """Re-indexes every article (drafts too: publication is checked when searching, not when indexing)."""
    articles = (queryset if queryset is not None else Article.objects.using(using)).only(
        "pk", "title", "lead", "body"
    )
    return index_articles(
        articles.order_by("pk").iterator(chunk_size=batch_size),
        batch_size=batch_size,
        using=using,
        progress=progress,
    )


def reindex_saved_article(sender, instance, raw=False, update_fields=None, **kwargs):
    """post_save receiver: the saved article's entry follows its title, lead and body."""
    if raw:  # fixtures: run the index_articles command after loading them
        return
    if update_fields is not None and not {"title", "lead", "body"} & set(update_fields):
        return
    index_articles([instance])


# Searching


def search_articles(query_text, section=None, date_from=None, date_to=None):
    """Published articles matching the query, most relevant first, then newest."""
    articles = Article.objects.published().for_listing().defer(None)  # snippets are cut from the body
    if section is not None:
        articles = articles.filter(section=section)
    if date_from is not None:
        articles = articles.filter(published_at__date__gte=date_from)
    if date_to is not None:
        articles = articles.filter(published_at__date__lte=date_to)
    if is_postgresql():
        return _postgresql_search(articles, query_text)
    return _fallback_search(articles, query_text)


def matches(query_text):
    """A condition on articles: their search entry matches the query, as reader search matches it.

    Any state (the newsroom's admin search uses it for drafts too); nothing when the query has no word.
    """
    if is_postgresql():
        return Q(search_entry__vector=_search_query(query_text))
    words = query_words(query_text)
    if not words:
        return Q(pk__in=[])
    return reduce(operator.and_, [Q(search_entry__folded__contains=word) for word in words])


def _search_query(query_text):
    from django.contrib.postgres.search import SearchQuery

    return SearchQuery(normalize_for_search(query_text), config=CONFIG, search_type="websearch")


def _postgresql_search(articles, query_text):
    from django.contrib.postgres.search import SearchRank

    query = _search_query(query_text)
    # ts_rank's default weights (A 1.0, B 0.4, C 0.2, D 0.1) without length normalization: a word's repeats
    # add at most 0.6 times its best weight, so a title match ranks above any number of body matches.
    return (
        articles.filter(search_entry__vector=query)
        .annotate(rank=SearchRank(F("search_entry__vector"), query))
        .order_by("-rank", "-published_at", "-pk")
    )


def _fallback_search(articles, query_text):
    words = query_words(query_text)
    if not words:
        return articles.none()
    # The folded text starts with the title line: a word found before the first newline is a title match.
    title_end = StrIndex("search_entry__folded", Value("\n"))
    title_hits = []
    for word in words:
        articles = articles.filter(search_entry__folded__contains=word)
        position = StrIndex("search_entry__folded", Value(word))
        title_hits.append(Case(When(LessThan(position, title_end), then=Value(1)), default=Value(0)))
    rank = reduce(operator.add, title_hits)
    return articles.annotate(rank=ExpressionWrapper(rank, output_field=IntegerField())).order_by(
        "-rank", "-published_at", "-pk"
    )


# Snippets


class SearchPaginator(Paginator):
    """Counts matches only up to ``max_counted``, and so offers that many results at most.

    An exact count of a broad query ("grad" in a third of the archive) costs as much as ranking it, and no
    reader pages that far; ``is_capped`` tells the page to say "more than".
    """

    max_counted = MAX_COUNTED

    @cached_property
    def counted(self):
        return self.object_list.order_by().values("pk")[: self.max_counted + 1].count()

    @cached_property
    def count(self):
        return min(self.counted, self.max_counted)

    @property
    def is_capped(self):
        return self.counted > self.max_counted


def search_page(query_text, page_number=None, *, per_page=RESULTS_PER_PAGE, **filters):
    """One page of results, as the search page shows it: each article carries ``search_snippet``.

    Queries: the (capped) count, the page's rows and, on PostgreSQL, one for the page's snippets.
    """
    paginator = SearchPaginator(search_articles(query_text, **filters), per_page)
    page = paginator.get_page(page_number)
    page.object_list = list(page.object_list)
    attach_snippets(page.object_list, query_text)
    return page


def attach_snippets(articles, query_text):
    """Sets ``search_snippet`` on each article: its lead and body around the matches, matches in <mark>."""
    texts = [html_to_text(f"{escape(article.lead)}\n{article.body}") for article in articles]
    tokens = [list(_WORD.finditer(text)) for text in texts]
    # Whether a word matches is decided once per distinct word of the page, as written.
    words = {token.group() for text_tokens in tokens for token in text_tokens}
    if not words:
        matching = set()
    elif is_postgresql():
        matching = _postgresql_matching_words(words, query_text)
    else:
        query = query_words(query_text)
        matching = {word for word in words if any(query_word in fold(word) for query_word in query)}
    for article, text, text_tokens in zip(articles, texts, tokens, strict=True):
        article.search_snippet = build_snippet(text, matching.__contains__, text_tokens)


def _beginning(word):
    """The first two letters as the fold gives them, cheaply for the usual ASCII start."""
    start = word[:2]
    return start.lower() if start.isascii() else fold(word[:3])[:2]


def _postgresql_matching_words(words, query_text):
    """Which of ``words`` match the query by PostgreSQL's parser, dictionaries and query.

    ts_headline marks every word that matches; it gets the words normalized as the index was, and the
    snippets are then cut from the text as written. Stemming only removes endings, so only words that begin
    like a query word are sent: ts_headline costs microseconds per word.
    """
    beginnings = {word[:2] for word in query_words(query_text)}
    by_form = {}
    for word in words:
        if _beginning(word) in beginnings:
            by_form.setdefault(normalize_for_search(word).lower(), []).append(word)
    if not by_form:
        return set()
    options = f"HighlightAll=true, StartSel={_START}, StopSel={_STOP}"
    with connections["default"].cursor() as cursor:
        cursor.execute(
            f"SELECT ts_headline('{CONFIG}', %s, websearch_to_tsquery('{CONFIG}', %s), %s)",
            [" ".join(sorted(by_form)), normalize_for_search(query_text), options],
        )
        (headline,) = cursor.fetchone()
    return {word for form in _MARKED.findall(headline) for word in by_form.get(form.lower(), ())}


def build_snippet(text, is_match, words=None):
    """Up to two fragments of about 30 words around matched words, HTML-escaped, matches in <mark>.

    ``words`` are the text's word matches when already found. Without a match in ``text`` (only the title
    matched) the snippet is the text's beginning.
    """
    if words is None:
        words = list(_WORD.finditer(text))
    fragments = []
    index = 0
    while index < len(words) and len(fragments) < SNIPPET_FRAGMENTS:
        if is_match(words[index].group()):
            start = max(fragments[-1][1] if fragments else 0, index - SNIPPET_WORDS_BEFORE)
            index = min(len(words), start + SNIPPET_WORDS)
            fragments.append((start, index))
        else:
            index += 1
    if not fragments:
        fragments.append((0, min(len(words), SNIPPET_WORDS)))

    parts = [ELLIPSIS + " "] if fragments[0][0] > 0 else []
    previous_end = None
    for start, end in fragments:
        if previous_end is not None:
            parts.append(" " if start == previous_end else f" {ELLIPSIS} ")
        parts.append(_marked_fragment(text, words[start:end], is_match, from_text_start=start == 0))
        previous_end = end
    if previous_end < len(words):
        parts.append(" " + ELLIPSIS)
    # Every piece of the articles' text went through escape(); only the <mark> tags are ours.
    return mark_safe("".join(parts))


def _marked_fragment(text, words, is_match, from_text_start):
    if not words:
        return ""
    pieces = []
    position = 0 if from_text_start else words[0].start()
    for word in words:
        if is_match(word.group()):
            pieces.append(f"{escape(text[position : word.start()])}<mark>{escape(word.group())}</mark>")
            position = word.end()
    # Punctuation right after the last word (a full stop, a closing quote) belongs to the fragment.
    end = _TRAILING_PUNCTUATION.match(text, words[-1].end()).end()
    pieces.append(escape(text[position:end]))
    return "".join(pieces)
