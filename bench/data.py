"""The benchmark's database: the measured articles with known comment threads, then filler up to each size.

Articles go in with bulk_create. Comments are three tables (django-contrib-comments' Comment,
django-comments-xtd's XtdComment and our ArticleComment, multi-table inheritance, which bulk_create refuses),
so their rows are written directly, with COPY on PostgreSQL, and their thread fields are computed here the
way ``XtdComment.save()`` computes them one by one; ``check_threading`` proves the two agree. Denormalized
counts and the search index are then brought up to date with the functions the site itself uses.
"""

import functools
import io
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from tqdm import tqdm

from articles import demo_content
from articles.demo_photos import draw_demo_photo
from articles.models import Article, ArticleAuthor, Author, HourlyReadCount, Image, Section, Tag
from articles.renditions import generate_renditions
from articles.search import index_articles
from articles.text import serbian_slugify
from comments.models import ArticleComment, CommentSettings
from comments.moderation import refresh_comment_counts

from .text import SerbianText


@dataclass(frozen=True)
class Size:
    articles: int
    comments: int

    @property
    def label(self):
        return f"{self.articles:,} articles, {self.comments:,} comments"


# The database grows through these sizes within one run; everything is measured at the last one.
SCALES = {
    "fast": (Size(1_000, 20_000), Size(5_000, 50_000)),
    "large": (Size(1_000, 20_000), Size(10_000, 200_000), Size(100_000, 1_000_000)),
}
MEASURED_COMMENTS = 200
COMMENTS_PER_ARTICLE = (0, 50, MEASURED_COMMENTS, 500)
MEASURED_WORDS = 600
# The key of the copy of the 200-comment article whose commenters had no account (the second reference).
ANONYMOUS = "anonymous"
# A measured thread, as the parent of each comment by position: a root, two replies to it and a reply to
# the first reply (COMMENTS_XTD_MAX_THREAD_LEVEL is 2).
THREAD_SHAPE = (None, 0, 0, 1)
BATCH = 2_000
COMMENT_FLUSH = 20_000

EXTRA_SECTIONS = ["Svet", "Beograd", "Srbija"]
EXTRA_TAGS = [
    "Izbori", "Vlada", "Obrazovanje", "Univerzitet", "Energetika", "Cene", "Turizam", "Nauka", "Film",
    "Muzika", "Književnost", "Tenis", "Odbojka", "Vojvodina", "Šumadija", "Kragujevac", "Subotica",
]  # fmt: skip
FIRST_NAMES = [
    "Jelena", "Nikola", "Dragan", "Milica", "Sanja", "Petar", "Ljiljana", "Džemal", "Marko", "Ivana",
    "Đorđe", "Snežana", "Vuk", "Tijana", "Zoran", "Gordana", "Stefan", "Maja", "Nenad", "Ana", "Bojan",
    "Katarina", "Miloš", "Dušica", "Aleksandar", "Jovana", "Branko", "Vesna",
]  # fmt: skip
LAST_NAMES = [
    "Marković", "Ilić", "Đukić", "Jovanović", "Petrović", "Nikolić", "Stojanović", "Kovačević", "Lukić",
    "Pavlović", "Živković", "Šarić", "Čolić", "Radojević", "Todorović", "Popović", "Milošević", "Savić",
]  # fmt: skip


@dataclass
class MeasuredArticle:
    article: Article
    comments: int
    # The comments the first page of the section shows, oldest thread first.
    first_page_ids: list = field(default_factory=list)

    @property
    def path(self):
        return self.article.get_absolute_url()


def measured_shape(count):
    """Parents by position of ``count`` comments in threads of THREAD_SHAPE (the last one maybe shorter)."""
    shape = []
    for position in range(count):
        parent = THREAD_SHAPE[position % len(THREAD_SHAPE)]
        shape.append(None if parent is None else position - position % len(THREAD_SHAPE) + parent)
    return shape


def thread_fields(comments):
    """django-comments-xtd's thread fields for ``(id, parent id or None)`` pairs in the order they were made.

    ``XtdComment.save()`` puts a reply after its parent's last descendant, so ``order`` numbers a thread
    depth first with replies in the order they came; ``nested_count`` counts a comment's descendants.
    Returns ``{id: (thread_id, parent_id, level, order, nested_count)}``.
    """
    children, parents = {}, {}
    for comment_id, parent_id in comments:
        children[comment_id] = []
        parents[comment_id] = parent_id
        if parent_id is not None:
            children[parent_id].append(comment_id)
    fields = {}

    def visit(comment_id, thread_id, level, order):
        start = order
        parent_id = parents[comment_id]
        for child in children[comment_id]:
            order = visit(child, thread_id, level + 1, order + 1)
        nested = order - start
        fields[comment_id] = (thread_id, comment_id if parent_id is None else parent_id, level, start, nested)
        return order

    for comment_id, parent_id in comments:
        if parent_id is None:
            visit(comment_id, comment_id, 0, 1)
    return fields


class RowWriter:
    """Writes rows of a model and of its parents' tables straight to the database: COPY on PostgreSQL.

    A row is a dict of attribute names (``id`` for the primary key); missing ones take the field's default.
    """

    def __init__(self, model):
        quote = connection.ops.quote_name
        self.tables = []
        for concrete in (*reversed(model._meta.get_parent_list()), model):
            fields = concrete._meta.local_concrete_fields
            keys = ["id" if f.primary_key else f.attname for f in fields]
            prepare = [self._preparer(f) for f in fields]
            defaults = {
                key: prep(f.get_default()) for key, prep, f in zip(keys, prepare, fields, strict=True)
            }
            columns = ", ".join(quote(f.column) for f in fields)
            self.tables.append((quote(concrete._meta.db_table), columns, keys, prepare, defaults))
        self.model = model

    @staticmethod
    def _preparer(model_field):
        if model_field.get_internal_type() in {"DateTimeField", "JSONField"}:
            return lambda value: model_field.get_db_prep_save(value, connection)
        return lambda value: value

    def write(self, rows):
        for table, columns, keys, prepare, defaults in self.tables:
            values = [
                tuple(
                    prep(row[key]) if key in row else defaults[key]
                    for key, prep in zip(keys, prepare, strict=True)
                )
                for row in rows
            ]
            with connection.cursor() as cursor:
                if connection.vendor == "postgresql":
                    with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                        for value in values:
                            copy.write_row(value)
                else:
                    placeholders = ", ".join(["%s"] * len(keys))
                    cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", values)

    def next_id(self):
        return (self.model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1

    def reset_sequences(self):
        """New rows made with save() continue after the ids written here."""
        models = [*self.model._meta.get_parent_list(), self.model]
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)


class Generator:
    """Makes the benchmark's articles and comments; one random generator, so every run makes the same."""

    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.text = SerbianText(self.rng)
        self.now = timezone.now().replace(second=0, microsecond=0)
        self.content_type = ContentType.objects.get_for_model(Article)
        self.site_id = settings.SITE_ID
        self.max_level = settings.COMMENTS_XTD_MAX_THREAD_LEVEL
        self.comments = RowWriter(ArticleComment)
        self.article_count = 0
        self.comment_count = 0
        self._comment_texts = []
        self._next_id = None

    # The newsroom: sections, authors, tags, photos and readers with accounts.

    def create_newsroom(self, photos=None):
        """Sections, authors, tags, the demo photos (the first ``photos`` of them, or all) and 200 readers."""
        sections = [
            Section(name=s["name"], slug=s["slug"], position=s["position"]) for s in demo_content.SECTIONS
        ]
        sections += [
            Section(name=name, slug=serbian_slugify(name), position=10 + position)
            for position, name in enumerate(EXTRA_SECTIONS)
        ]
        self.sections = Section.objects.bulk_create(sections)
        authors = [Author(name=a["name"], slug=a["slug"], bio=a["bio"]) for a in demo_content.AUTHORS]
        names = sorted({f"{first} {last}" for first in FIRST_NAMES[:8] for last in LAST_NAMES[:3]})
        authors += [Author(name=name, slug=serbian_slugify(name)) for name in names[:20]]
        self.authors = Author.objects.bulk_create(authors)
        tags = [Tag(name=t["name"], slug=t["slug"]) for t in demo_content.TAGS]
        tags += [Tag(name=name, slug=serbian_slugify(name)) for name in EXTRA_TAGS]
        self.tags = Tag.objects.bulk_create(tags)
        specs = demo_content.IMAGES[:photos]
        self.images = [self._photo(spec) for spec in tqdm(specs, desc="photos", unit="photo")]
        password = make_password(None)
        readers = []
        for number in range(200):
            first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
            readers.append(
                get_user_model()(
                    username=f"citalac{number}",
                    first_name=first,
                    last_name=last,
                    email=f"citalac{number}@example.org",
                    password=password,
                )
            )
        self.readers = get_user_model().objects.bulk_create(readers)

    def _photo(self, spec):
        buffer = io.BytesIO()
        draw_demo_photo(spec["palette"], spec["motif"]).save(buffer, format="JPEG", quality=85)
        image = Image.objects.create(
            file=ContentFile(buffer.getvalue(), name=f"{spec['key']}.jpg"),
            alt_text=spec["alt"],
            caption=spec["caption"],
            credit=spec["credit"],
        )
        generate_renditions(image)
        return image

    # Articles

    def _article(self, published_at, words, hero_image=None, status=Article.Status.PUBLISHED):
        title = self.text.title()
        return Article(
            section=self.rng.choice(self.sections),
            kicker=self.rng.choice(self.tags).name if self.rng.random() < 0.3 else "",
            title=title,
            slug=serbian_slugify(title, max_length=120) or "clanak",
            lead=" ".join(self.text.words(self.rng.randint(20, 35))),
            body=self.text.paragraphs(words),
            hero_image=hero_image,
            status=status,
            published_at=published_at,
        )

    def _save_articles(self, articles):
        with transaction.atomic():
            articles = Article.objects.bulk_create(articles)
            bylines, tagging = [], []
            for article in articles:
                for position, author in enumerate(self.rng.sample(self.authors, self.rng.choice((1, 1, 2)))):
                    bylines.append(ArticleAuthor(article=article, author=author, position=position))
                for tag in self.rng.sample(self.tags, self.rng.randint(1, 3)):
                    tagging.append(Article.tags.through(article=article, tag=tag))
            ArticleAuthor.objects.bulk_create(bylines)
            Article.tags.through.objects.bulk_create(tagging)
            index_articles(articles)
        self.article_count += len(articles)
        return articles

    def create_measured_articles(self):
        """The articles whose pages are measured: a 600-word body, one photo and 0, 50, 200 or 500 comments.

        Returns them by comment count; under "posting" one more without comments that receives the posted
        comments, and under ANONYMOUS a copy of the 200-comment article whose comments were all posted
        without an account (see ``_anonymous_copy``).
        """
        published = self.now - timedelta(hours=6)
        specs = [*COMMENTS_PER_ARTICLE, "posting"]
        articles = [
            self._article(
                published + timedelta(minutes=position), MEASURED_WORDS, self.rng.choice(self.images)
            )
            for position, _ in enumerate(specs)
        ]
        articles = self._save_articles(articles)
        threads_per_page = CommentSettings.get_solo().threads_per_page
        measured, written = {}, {}
        for spec, article in zip(specs, articles, strict=True):
            entry = MeasuredArticle(article, 0 if spec == "posting" else spec)
            if entry.comments:
                rows = self._thread_rows(article, measured_shape(entry.comments), measured=True)
                self.comments.write(rows)
                self.comment_count += len(rows)
                entry.first_page_ids = [row["id"] for row in rows[: threads_per_page * len(THREAD_SHAPE)]]
                written[spec] = rows
            measured[spec] = entry
        # Made last and without the random generator, so every other row stays as it was before it.
        source = measured[MEASURED_COMMENTS]
        measured[ANONYMOUS] = self._anonymous_copy(source, written[MEASURED_COMMENTS], threads_per_page)
        self.comments.reset_sequences()
        refresh_comment_counts([*(article.pk for article in articles), measured[ANONYMOUS].article.pk])
        return measured

    def _anonymous_copy(self, source, rows, threads_per_page):
        """A copy of ``source`` (same text, photo, authors, tags and publication time) with the same comments
        (texts, threads, dates, names, e-mail addresses, reactions) all posted without an account.

        The stock django-comments-xtd page asks the database for each comment's user; with no user it asks
        nothing more, so this is the reference at its fastest.
        """
        original = source.article
        fields = (
            "section", "kicker", "title", "slug", "lead", "body", "hero_image", "status", "published_at",
        )  # fmt: skip
        with transaction.atomic():
            copy = Article(**{name: getattr(original, name) for name in fields})
            # Just before the measured articles (a minute apart), so that no two share a time and lists
            # order them the same on every request; the comments still come after it.
            copy.published_at -= timedelta(minutes=3)
            (article,) = Article.objects.bulk_create([copy])
            ArticleAuthor.objects.bulk_create(
                ArticleAuthor(article=article, author_id=byline.author_id, position=byline.position)
                for byline in ArticleAuthor.objects.filter(article=original)
            )
            article.tags.set(original.tags.all())
            index_articles([article])
        self.article_count += 1
        first_id = self._next_comment_id()
        ids = {row["id"]: first_id + position for position, row in enumerate(rows)}
        threads = thread_fields(
            [(ids[row["id"]], None if row["level"] == 0 else ids[row["parent_id"]]) for row in rows]
        )
        copies = []
        for row in rows:
            comment_id = ids[row["id"]]
            thread_id, parent_id, level, order, nested = threads[comment_id]
            copies.append(
                {
                    **row,
                    "id": comment_id,
                    "object_pk": str(article.pk),
                    "article_id": article.pk,
                    "user_id": None,
                    "email_verified": False,
                    "thread_id": thread_id,
                    "parent_id": parent_id,
                    "level": level,
                    "order": order,
                    "nested_count": nested,
                }
            )
        self.comments.write(copies)
        self.comment_count += len(copies)
        self._next_id = first_id + len(copies)
        first_page = [row["id"] for row in copies[: threads_per_page * len(THREAD_SHAPE)]]
        return MeasuredArticle(article, len(copies), first_page)

    # Comments

    def _comment_text(self):
        # Filler comments come from a pool: a million distinct texts would take long and show nothing more.
        if len(self._comment_texts) < 5_000:
            self._comment_texts.append(self.text.comment())
            return self._comment_texts[-1]
        return self.rng.choice(self._comment_texts)

    def _filler_shape(self, count):
        """Parents by position: about 45% new threads, the rest replies to a recent comment not too deep."""
        shape, levels = [], []
        for position in range(count):
            parent = None
            if position and self.rng.random() > 0.45:
                recent = [p for p in range(max(0, position - 8), position) if levels[p] < self.max_level]
                parent = self.rng.choice(recent) if recent else None
            shape.append(parent)
            levels.append(0 if parent is None else levels[parent] + 1)
        return shape

    def _thread_rows(self, article, shape, measured=False):
        """Rows for comments on one article, made in order; ``shape`` gives each one's parent by position.

        Measured comments are all approved, with texts of their own; filler ones come from a pool and now and
        then wait for a moderator or were rejected.
        """
        first_id = self._next_comment_id()
        ids = list(range(first_id, first_id + len(shape)))
        pairs = [(ids[n], None if parent is None else ids[parent]) for n, parent in enumerate(shape)]
        threads = thread_fields(pairs)
        start = article.published_at + timedelta(minutes=2)
        span = max(
            timedelta(minutes=1), min(self.now - timedelta(minutes=5), start + timedelta(days=3)) - start
        )
        rows = []
        for position, comment_id in enumerate(ids):
            thread_id, parent_id, level, order, nested = threads[comment_id]
            submitted = start + span * position / max(1, len(ids))
            roll = 0.0 if measured else self.rng.random()
            is_public, is_removed = roll < 0.92, 0.92 <= roll < 0.95
            reader = self.rng.choice(self.readers) if self.rng.random() < 0.25 else None
            if reader:
                name, email = reader.get_full_name(), reader.email
            else:
                name = f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"
                email = f"{self._slug(name)}{self.rng.randint(1, 999)}@example.org"
            decided = is_public or is_removed
            rows.append(
                {
                    "id": comment_id,
                    "content_type_id": self.content_type.pk,
                    "object_pk": str(article.pk),
                    "site_id": self.site_id,
                    "user_id": reader.pk if reader else None,
                    "user_name": name[:50],
                    "user_email": email,
                    "comment": self.text.comment() if measured else self._comment_text(),
                    "submit_date": submitted,
                    "ip_address": f"192.0.2.{self.rng.randint(1, 254)}",
                    "is_public": is_public,
                    "is_removed": is_removed,
                    "thread_id": thread_id,
                    "parent_id": parent_id,
                    "level": level,
                    "order": order,
                    "nested_count": nested,
                    "article_id": article.pk,
                    "hold_reasons": [] if decided else ["new_commenter"],
                    "email_verified": reader is not None,
                    "like_count": self.rng.choice((0, 0, 0, 1, 2, 3, 5, 8, 13)) if is_public else 0,
                    "dislike_count": self.rng.choice((0, 0, 0, 0, 1, 2, 4)) if is_public else 0,
                    "moderated_at": submitted + timedelta(minutes=20) if decided else None,
                    "reject_reason": "spam" if is_removed else "",
                    "email_key": email.lower(),
                    "version": 1 if decided else 0,
                    "script": "cir" if self.rng.random() < 0.1 else "lat",
                }
            )
        self._next_id = first_id + len(ids)
        return rows

    @functools.cache  # noqa: B019 (one generator per run)
    def _slug(self, name):
        return serbian_slugify(name)

    def _next_comment_id(self):
        if self._next_id is None:
            self._next_id = self.comments.next_id()
        return self._next_id

    # Growing

    def grow_to(self, size):
        """Adds filler articles and comments until the database holds ``size``; counts and index follow."""
        new_articles = size.articles - self.article_count
        new_comments = size.comments - self.comment_count
        span = timedelta(days=3 * 365).total_seconds()
        created = []
        with tqdm(total=new_articles, desc=f"articles to {size.articles:,}", unit="article") as bar:
            while len(created) < new_articles:
                batch = []
                for _ in range(min(BATCH, new_articles - len(created))):
                    published = self.now - timedelta(hours=8, seconds=self.rng.random() * span)
                    draft = self.rng.random() < 0.02
                    batch.append(
                        self._article(
                            published,
                            self.rng.randint(100, 250),
                            self.rng.choice(self.images) if self.rng.random() < 0.7 else None,
                            Article.Status.DRAFT if draft else Article.Status.PUBLISHED,
                        )
                    )
                created += self._save_articles(batch)
                bar.update(len(batch))
        published = [article for article in created if article.status == Article.Status.PUBLISHED]
        if published and new_comments > 0:
            self._add_comments(published, new_comments)
        if not HourlyReadCount.objects.exists():
            self._add_reads()
        analyze()

    def _add_comments(self, articles, total):
        # A few articles draw most of the comments, as on any news site.
        weights = [min(self.rng.paretovariate(1.2), 200.0) for _ in articles]
        per_article = Counter(self.rng.choices(range(len(articles)), weights=weights, k=total))
        rows = []
        with tqdm(total=total, desc="comments", unit="comment") as bar:
            for index, count in sorted(per_article.items()):
                rows += self._thread_rows(articles[index], self._filler_shape(count))
                if len(rows) >= COMMENT_FLUSH:
                    self._flush(rows, bar)
            self._flush(rows, bar)
        self.comments.reset_sequences()
        touched = sorted({articles[index].pk for index in per_article})
        for start in range(0, len(touched), 5_000):
            refresh_comment_counts(touched[start : start + 5_000])

    def _flush(self, rows, bar):
        with transaction.atomic():
            self.comments.write(rows)
        self.comment_count += len(rows)
        bar.update(len(rows))
        rows.clear()

    def _add_reads(self):
        """Hourly reading counts over the last week for the newest articles, for "Najčitanije"."""
        newest = Article.objects.published().order_by("-published_at", "-pk")[:60]
        hour = self.now.replace(minute=0)
        counts = []
        for article in newest:
            for hours_ago in sorted(self.rng.sample(range(1, 24 * 7), 24)):
                counts.append(
                    HourlyReadCount(
                        article=article,
                        hour=hour - timedelta(hours=hours_ago),
                        reads=self.rng.randint(1, 400),
                    )
                )
        HourlyReadCount.objects.bulk_create(counts, ignore_conflicts=True)


def analyze():
    """Fresh planner statistics after a bulk load, as autovacuum would gather on a live database."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def check_threading(article, generator):
    """The thread fields computed here equal those ``XtdComment.save()`` stores, for measured-like threads
    and a filler-like one; the comments saved for the comparison are rolled back."""
    filler = generator._filler_shape(12)
    shape = [*measured_shape(8), *(None if parent is None else parent + 8 for parent in filler)]
    with transaction.atomic():
        saved = []
        for parent in shape:
            comment = ArticleComment(
                content_type=generator.content_type,
                object_pk=str(article.pk),
                article=article,
                site_id=generator.site_id,
                user_name="Provera",
                user_email="provera@example.org",
                comment="Provera niti.",
                parent_id=saved[parent].pk if parent is not None else 0,
            )
            comment.save()
            saved.append(comment)
        ids = [comment.pk for comment in saved]
        stored = {
            row[0]: row[1:]
            for row in ArticleComment.objects.filter(pk__in=ids).values_list(
                "pk", "thread_id", "parent_id", "level", "order", "nested_count"
            )
        }
        transaction.set_rollback(True)
    computed = thread_fields(
        [
            (comment.pk, None if parent is None else saved[parent].pk)
            for comment, parent in zip(saved, shape, strict=True)
        ]
    )
    assert stored == computed, f"thread fields differ from django-comments-xtd's:\n{stored}\n{computed}"
