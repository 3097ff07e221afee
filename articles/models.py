from datetime import datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connections, models
from django.db.models import Count, Exists, ExpressionWrapper, OuterRef, Q, Subquery, Sum, Value, Window
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Coalesce, Concat, NullIf, RowNumber, Trim
from django.db.models.lookups import Contains
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext
from solo.models import SingletonModel

from .addresses import ReversedPath
from .richtext import inline_gallery_ids, inline_image_ids, sanitize_html
from .text import reading_minutes, serbian_slugify

# get_absolute_url of sections and articles: a front page asks for some 180 of them.
SECTION_PATH = ReversedPath("articles:section", "slug")
ARTICLE_PATH = ReversedPath("articles:article", "section", "slug", ids=("pk",))

# First path segments that belong to other pages, so no section may take them as its slug.
RESERVED_SLUGS = {
    "admin", "autor", "tema", "static", "media", "pretraga", "komentari", "cir", "rss", "feed",
    "sitemap", "robots", "api", "nalog", "healthz", "readyz", "pismo", "arhiva", "atom",
    "impresum", "kontakt", "uslovi-koriscenja", "privatnost", "pristupacnost", "uzivo",
}  # fmt: skip


def validate_section_slug(value):
    if value in RESERVED_SLUGS or value == settings.ADMIN_URL.split("/")[0]:
        raise ValidationError("Ova adresa je rezervisana za drugu stranicu sajta; izaberite drugu.")


def created_by_field(verbose_name):
    """Who made a row, kept when the account goes (set to NULL) and never edited in a form."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )


class SlugFromNameMixin:
    """Fills an empty slug from the name with the one Serbian transliterating slug helper."""

    def fill_slug(self):
        if not self.slug:
            max_length = self._meta.get_field("slug").max_length
            self.slug = serbian_slugify(self.name, max_length=max_length) or self._meta.model_name

    def clean(self):
        # Filled before validation, so a clash with an existing slug is a form error, not a crash.
        self.fill_slug()

    def save(self, *args, **kwargs):
        self.fill_slug()
        super().save(*args, **kwargs)


class SanitizedHTMLField(models.TextField):
    """Text that is only ever stored as allowlisted HTML, whichever way it is saved."""

    def pre_save(self, model_instance, add):
        value = sanitize_html(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value

    def get_prep_value(self, value):
        return sanitize_html(super().get_prep_value(value))


class SectionQuerySet(models.QuerySet):
    def with_newest_articles(self, count, exclude=(), newest_per_section=None):
        """The sections (a list), each with ``newest_articles``: its ``count`` newest published articles but
        those in ``exclude``, newest first; all of them in one more query (``newest_per_section(section ids,
        exclude)`` if given: the front page's, compiled once)."""
        sections = list(self)
        newest = {section.pk: [] for section in sections}
        if newest_per_section is None:
            found = Article.objects.exclude(pk__in=exclude).newest_per_section(list(newest), count)
        else:
            found = newest_per_section(list(newest), list(exclude)) if newest else []
        for article in found:
            newest[article.section_id].append(article)
        for section in sections:
            section.newest_articles = sorted(newest[section.pk], key=newest_first)
        return sections


class Section(SlugFromNameMixin, models.Model):
    name = models.CharField("naziv", max_length=80, unique=True)
    slug = models.SlugField(
        "adresa",
        max_length=80,
        unique=True,
        blank=True,
        validators=[validate_section_slug],
        help_text="Deo adrese rubrike, npr. „politika“. Ostavite prazno da se popuni iz naziva.",
    )
    position = models.PositiveSmallIntegerField(
        "redosled", default=0, help_text="Manji broj stoji ranije u navigaciji."
    )

    objects = SectionQuerySet.as_manager()

    class Meta:
        verbose_name = "rubrika"
        verbose_name_plural = "rubrike"
        ordering = ["position", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return SECTION_PATH(slug=self.slug)


class Author(SlugFromNameMixin, models.Model):
    name = models.CharField("ime i prezime", max_length=120)
    slug = models.SlugField("adresa", max_length=120, unique=True, blank=True)
    bio = models.TextField("kratka biografija", blank=True)
    photo = models.ImageField("fotografija", upload_to="authors/", blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="korisnički nalog",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="author_profile",
        help_text="Nalog kojim se autor prijavljuje u administraciju, ako ga ima.",
    )

    class Meta:
        verbose_name = "autor"
        verbose_name_plural = "autori"
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:author", kwargs={"slug": self.slug})


class Tag(SlugFromNameMixin, models.Model):
    name = models.CharField("naziv", max_length=80, unique=True)
    slug = models.SlugField("adresa", max_length=80, unique=True, blank=True)

    class Meta:
        verbose_name = "oznaka"
        verbose_name_plural = "oznake"
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:tag", kwargs={"slug": self.slug})


class ImageQuerySet(models.QuerySet):
    def described(self):
        """Photos an article may use: not waiting for their description after a bulk upload."""
        return self.filter(awaiting_details=False)

    def awaiting_details(self):
        return self.filter(awaiting_details=True)

    def with_usage_count(self):
        """Each photo with ``usage_count``, how many articles show it: as the hero, between paragraphs, or in
        a gallery they show (as their lead or in the body).

        A correlated subquery: one query for a page of photos, evaluated only for the rows it returns.
        """
        marker = Concat(Value('data-image-id="'), Cast(OuterRef("pk"), models.CharField()), Value('"'))
        in_a_gallery = in_a_shown_gallery(GalleryItem.objects.filter(image_id=OuterRef(OuterRef("pk"))))
        using = (
            Article.objects.filter(Q(hero_image_id=OuterRef("pk")) | Q(body__contains=marker) | in_a_gallery)
            .order_by()
            .annotate(count=models.Func(models.F("pk"), function="COUNT"))
            .values("count")
        )
        return self.annotate(usage_count=Coalesce(Subquery(using), 0))


class Image(models.Model):
    class Restriction(models.TextChoices):
        NONE = "", "Bez ograničenja"
        EDITORIAL = "editorial", "Samo za uredničku upotrebu (EDITORIAL USE ONLY)"
        THIS_ARTICLE = "this_article", "Samo za jedan članak"

    file = models.ImageField(
        "fotografija", upload_to="photos/%Y/%m/", width_field="width", height_field="height"
    )
    width = models.PositiveIntegerField("širina", editable=False, default=0)
    height = models.PositiveIntegerField("visina", editable=False, default=0)
    alt_text = models.CharField(
        "opis za čitače ekrana",
        max_length=250,
        help_text="Šta se vidi na fotografiji, za slepe i slabovide čitaoce. Obavezno.",
    )
    caption = models.CharField("potpis", max_length=500, blank=True)
    credit = models.CharField(
        "autor ili izvor", max_length=200, blank=True, help_text="Npr. „EPA-EFE/KCNA“ ili ime fotografa."
    )
    restriction = models.CharField(
        "ograničenje upotrebe", max_length=20, choices=Restriction.choices, default="", blank=True
    )
    restriction_note = models.CharField(
        "napomena o ograničenju",
        max_length=200,
        blank=True,
        help_text="Slobodan tekst koji se prikazuje uz ograničenje, npr. uslovi agencije.",
    )
    keywords = models.CharField(
        "ključne reči",
        max_length=300,
        blank=True,
        help_text="Reči po kojima se fotografija traži u biblioteci.",
    )
    # Where the subject is, as fractions of the width and height from the top left; crops keep it in frame.
    focal_x = models.FloatField(
        "žiža (vodoravno)", default=0.5, validators=[MinValueValidator(0.0), MaxValueValidator(1.0)]
    )
    focal_y = models.FloatField(
        "žiža (uspravno)", default=0.5, validators=[MinValueValidator(0.0), MaxValueValidator(1.0)]
    )
    # A bulk upload stores each file at once; its description comes on the batch's details screen, and
    # until then the photo cannot be chosen for an article.
    awaiting_details = models.BooleanField("čeka opis", default=False, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="otpremio",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField("otpremljeno", auto_now_add=True)

    objects = ImageQuerySet.as_manager()

    class Meta:
        verbose_name = "fotografija"
        verbose_name_plural = "fotografije"
        ordering = ["-uploaded_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(alt_text="") | Q(awaiting_details=True), name="image_alt_text_required"
            ),
            models.CheckConstraint(
                condition=Q(focal_x__gte=0, focal_x__lte=1, focal_y__gte=0, focal_y__lte=1),
                name="image_focal_point_inside",
            ),
        ]

    def __str__(self):
        # A bulk-uploaded photo has neither until its description comes; the admin still needs a name.
        return self.caption or self.alt_text or f"Fotografija br. {self.pk} (čeka opis)"

    @property
    def restriction_label(self):
        """What the page prints under the photo about its use ("EDITORIAL USE ONLY"), if anything."""
        return " · ".join(text for text, _language in self.restriction_parts)

    @property
    def restriction_parts(self):
        """``restriction_label`` in parts, each with the language it is written in: the agencies' wording
        ("EDITORIAL USE ONLY") is English and stays as written on Cyrillic pages; "Samo za ovaj članak" and
        the editors' note are Serbian (typed by our editors, like the caption) and change script."""
        parts = []
        if self.restriction == self.Restriction.EDITORIAL:
            # Translators: the agencies' own wording, printed as they write it in every language.
            parts.append((gettext("EDITORIAL USE ONLY"), "en"))
        elif self.restriction == self.Restriction.THIS_ARTICLE:
            parts.append((gettext("For this article only"), ""))
        if self.restriction_note:
            parts.append((self.restriction_note, ""))
        return parts


def day_start(day):
    """Midnight starting ``day`` in the site's time zone (days are not always 24 hours long)."""
    return timezone.make_aware(datetime.combine(day, time.min))


def published_condition(now=None):
    """The one definition of published: marked published, with a publication time not in the future."""
    return Q(status=Article.Status.PUBLISHED, published_at__lte=now or timezone.now())


# Related articles: how many of each tag's newest articles are weighed.
RELATED_CANDIDATES_PER_TAG = 40


# Stands for each section's id in the SQL of newest_per_section's ranges (no id is negative).
ANY_SECTION = -7305916428

# Listings show the newest first; of articles published the same second, the later made.
LISTING_ORDER = ("-published_at", "-pk")


def newest_first(article):
    """A sort key putting articles in LISTING_ORDER."""
    return (-article.published_at.timestamp(), -article.pk)


def _page_prefetches():
    return (
        models.Prefetch("authors", queryset=Author.objects.order_by("articleauthor__position", "name")),
        "tags",
    )


def in_a_shown_gallery(items):
    """A condition for articles (the outer query) showing a gallery that holds any of ``items``, as their lead
    or in the body: in the same query, not a list of galleries fetched first."""
    marker = Concat(Value('data-gallery-id="'), Cast("gallery_id", models.CharField()), Value('"'))
    shown = Q(gallery_id=OuterRef("lead_gallery_id")) | Contains(OuterRef("body"), marker)
    return Exists(items.filter(shown))


class ArticleQuerySet(models.QuerySet):
    def using_image(self, image_id):
        """Articles that show this photo: as the hero, between paragraphs, or in a gallery they show."""
        return self.using_any_image([image_id])

    def using_any_image(self, image_ids):
        """Articles that show any of these photos: as the hero, between paragraphs, or in a gallery."""
        image_ids = list(image_ids)
        shown = Q(hero_image_id__in=image_ids)
        for image_id in image_ids:
            shown |= Q(body__contains=f'data-image-id="{image_id}"')
        return self.filter(shown | in_a_shown_gallery(GalleryItem.objects.filter(image_id__in=image_ids)))

    def using_gallery(self, gallery_id):
        """Articles that show this gallery, as their lead or in the body."""
        return self.filter(self._showing_galleries([gallery_id]))

    def _showing_galleries(self, gallery_ids):
        """A condition for articles showing any of the galleries (ids); a body names them as text."""
        shown = Q(lead_gallery_id__in=gallery_ids)
        for gallery_id in gallery_ids:
            shown |= Q(body__contains=f'data-gallery-id="{gallery_id}"')
        return shown

    def published(self, now=None):
        return self.filter(published_condition(now))

    def live_now(self, now=None):
        """Live blogs still running ("UŽIVO"): marked live, with no end or an end still to come."""
        now = now or timezone.now()
        return self.filter(Q(live_until__isnull=True) | Q(live_until__gt=now), is_live_blog=True)

    def scheduled(self):
        """Marked published with a publication time still to come: they go live with no save."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__gt=timezone.now())

    def with_publication_state(self):
        """Adds ``is_live``: whether the public may see the article, for pages that also serve previews."""
        return self.annotate(
            is_live=ExpressionWrapper(published_condition(), output_field=models.BooleanField())
        )

    def for_listing(self):
        """For cards: the body (the bulk of a row) is left in the database."""
        return self.select_related("section", "hero_image").defer("body").order_by(*LISTING_ORDER)

    def for_page(self, prefetch=True):
        """With what the article page shows; ``prefetch=False`` leaves authors and tags to
        ``prefetch_for_page``, for a page that may not need them (its fragments are kept)."""
        articles = self.select_related("section", "hero_image")
        return articles.prefetch_related(*_page_prefetches()) if prefetch else articles

    def prefetch_for_page(self, article):
        """``article`` with the authors and tags ``for_page`` would have fetched with it, and the corrections
        and replies its page shows at the end."""
        models.prefetch_related_objects([article], *_page_prefetches(), "notes")
        return article

    def newest_per_section(self, section_ids, count, now=None):
        """The ``count`` newest published articles of each section, for cards, in one query (unordered)."""
        listed = self.published(now).for_listing()
        if not section_ids:
            return listed.none()
        if connections[self.db].features.supports_slicing_ordering_in_compound:
            # One index range per section, each stopping after ``count`` rows: a window over the sections'
            # articles would read and sort every one of them, the whole archive. The ranges give only keys
            # (a UNION of whole card rows takes twice as long to compile as to run).
            # One range is compiled and repeated for each section: compiling each took most of the time.
            newest = listed.values("pk").filter(section_id=ANY_SECTION)[:count]
            sql, params = newest.query.get_compiler(self.db).as_sql()
            if params.count(ANY_SECTION) == 1:
                at = params.index(ANY_SECTION)
                before, after = params[:at], params[at + 1 :]
                ranges = RawSQL(
                    " UNION ALL ".join([f"({sql})"] * len(section_ids)),
                    [value for section_id in section_ids for value in (*before, section_id, *after)],
                )
                return listed.filter(pk__in=ranges)
            parts = [listed.values("pk").filter(section_id=section_id)[:count] for section_id in section_ids]
            return listed.filter(pk__in=parts[0].union(*parts[1:], all=True))
        # SQLite cannot slice inside a UNION; it serves small sites, where the window is cheap.
        rank = Window(RowNumber(), partition_by="section_id", order_by=LISTING_ORDER)
        return listed.filter(section_id__in=section_ids).annotate(rank=rank).filter(rank__lte=count)

    def most_read(self, since, limit=5, now=None):
        """Published articles readers opened most since ``since`` (hourly counts, so to the hour)."""
        return (
            self.published(now)
            .for_listing()
            .filter(read_counts__hour__gte=since.replace(minute=0, second=0, microsecond=0))
            .annotate(recent_reads=Sum("read_counts__reads"))
            .order_by("-recent_reads", "-published_at", "-pk")[:limit]
        )

    def published_on(self, day):
        """Published articles of one calendar day in the site's time zone."""
        return self.published().filter(
            published_at__gte=day_start(day), published_at__lt=day_start(day + timedelta(days=1))
        )

    def ready_for_publication(self):
        """Articles an editor marked ready, the longest waiting first."""
        return self.filter(status=Article.Status.READY).order_by("modified_at", "pk")

    def scheduled_between(self, start, end):
        """Scheduled articles going live from ``start`` (never before now) until ``end``, earliest first."""
        return (
            self.scheduled()
            .filter(published_at__gte=start, published_at__lt=end)
            .order_by("published_at", "pk")
        )

    def published_since(self, since):
        """Published articles that went live from ``since`` until now, newest first."""
        return self.published().filter(published_at__gte=since).order_by("-published_at", "-pk")

    def drafts_of(self, user):
        """Drafts ``user`` started, the latest changed first."""
        return self.filter(status=Article.Status.DRAFT, created_by=user).order_by("-modified_at", "-pk")

    def with_last_editor(self):
        """Adds ``last_editor``: the name (or username) of who saved the newest version in the admin."""
        from reversion.models import Version

        User = get_user_model()
        name = Concat("revision__user__first_name", Value(" "), "revision__user__last_name")
        newest = (
            Version.objects.filter(
                content_type__app_label="articles",
                content_type__model="article",
                object_id=Cast(OuterRef("pk"), models.CharField()),
                revision__user__isnull=False,
            )
            .annotate(name=Coalesce(NullIf(Trim(name), Value("")), "revision__user__" + User.USERNAME_FIELD))
            .order_by("-revision__date_created", "-pk")
            .values("name")[:1]
        )
        return self.annotate(last_editor=Subquery(newest))

    def for_overview(self):
        """For the editors' overview: the rows with their section and people, the body left behind."""
        return self.select_related("section", "created_by", "published_by").defer("body")

    def related_to(self, article, limit=4):
        """Published articles sharing the most tags with ``article`` among each tag's newest, then its
        section's newest.

        Every candidate comes from an index read of a fixed length (each tag's newest links, the section's
        newest articles), so the query costs the same with a thousand articles or a hundred thousand.
        """
        tag_ids = [tag.pk for tag in article.tags.all()]
        links = Article.tags.through.objects.exclude(article_id=article.pk)
        each_tags_newest = [
            links.filter(tag_id=tag_id)
            .order_by("-article_id")
            .values("article_id")[:RELATED_CANDIDATES_PER_TAG]
            for tag_id in tag_ids
        ]
        section_newest = (
            self.published()
            .filter(section_id=article.section_id)
            .exclude(pk=article.pk)
            .order_by("-published_at", "-pk")
            .values("pk")[:limit]
        )
        if connections[self.db].features.supports_slicing_ordering_in_compound:
            candidates = Q(pk__in=section_newest.union(*each_tags_newest, all=True))
        else:  # SQLite (development): no LIMIT inside UNION; its databases are small
            candidates = Q(pk__in=links.filter(tag_id__in=tag_ids).values("article_id")) | Q(
                pk__in=section_newest
            )
        shared_tags = (
            Article.tags.through.objects.filter(article_id=OuterRef("pk"), tag_id__in=tag_ids)
            .values("article_id")
            .annotate(count=Count("tag_id"))
            .values("count")
        )
        return (
            self.published()
            .filter(candidates)
            .annotate(shared_tags=Coalesce(Subquery(shared_tags), 0))
            .select_related("section", "hero_image")
            .defer("body")
            .order_by("-shared_tags", "-published_at", "-pk")[:limit]
        )


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Nacrt"
        READY = "ready", "Spremno za objavu"
        PUBLISHED = "published", "Objavljeno"
        WITHDRAWN = "withdrawn", "Povučeno"

    # Moving into or out of these states needs the publish permission.
    PUBLIC_STATES = {Status.PUBLISHED, Status.WITHDRAWN}

    kicker = models.CharField("nadnaslov", max_length=120, blank=True)
    title = models.CharField("naslov", max_length=200)
    slug = models.SlugField(
        "adresa",
        max_length=120,
        blank=True,
        help_text="Deo adrese posle broja članka. Ostavite prazno da se popuni iz naslova; "
        "stara adresa i posle promene vodi na članak.",
    )
    lead = models.TextField("uvod", help_text="Dve-tri rečenice ispod naslova.")
    body = SanitizedHTMLField(
        "tekst",
        help_text="Pasusi, podnaslovi, naglašavanje, linkovi, liste i citati; fotografija iz biblioteke "
        "između pasusa dugmetom sa slikom. Skripte i stilovi se uklanjaju.",
    )
    section = models.ForeignKey(
        Section, verbose_name="rubrika", on_delete=models.PROTECT, related_name="articles"
    )
    authors = models.ManyToManyField(
        Author, verbose_name="autori", through="ArticleAuthor", related_name="articles", blank=True
    )
    tags = models.ManyToManyField(Tag, verbose_name="oznake", related_name="articles", blank=True)
    hero_image = models.ForeignKey(
        Image,
        verbose_name="glavna fotografija",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hero_of",
    )
    hero_caption = models.CharField(
        "potpis uz glavnu fotografiju",
        max_length=500,
        blank=True,
        help_text="Ako je prazno, koristi se potpis iz biblioteke fotografija.",
    )
    lead_gallery = models.ForeignKey(
        "Gallery",
        verbose_name="galerija na vrhu",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="lead_of",
        help_text="Galerija fotografija umesto glavne fotografije, na vrhu članka. Kartice i pregledi "
        "linkova i dalje pokazuju glavnu fotografiju; ako je nema, postaje to prva fotografija galerije.",
    )
    status = models.CharField("status", max_length=20, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(
        "vreme objave",
        null=True,
        blank=True,
        help_text="Članak je javan od ovog trenutka. Vreme u budućnosti zakazuje objavu.",
    )
    updated_at = models.DateTimeField(
        "ažurirano",
        null=True,
        blank=True,
        help_text="Vreme poslednje uredničke izmene koja se prikazuje čitaocima.",
    )
    is_lead = models.BooleanField("glavna vest", default=False)
    comments_enabled = models.BooleanField("komentari dozvoljeni", default=True)
    comment_count = models.PositiveIntegerField(
        "broj komentara",
        default=0,
        editable=False,
        help_text="Odobreni komentari koje čitaoci vide; održava ga moderacija.",
    )
    seo_description = models.CharField(
        "opis za pretraživače",
        max_length=160,
        blank=True,
        help_text="Do 160 znakova. Ako je prazno, koristi se uvod.",
    )
    created_at = models.DateTimeField("napravljeno", auto_now_add=True)
    modified_at = models.DateTimeField("izmenjeno", auto_now=True)
    # Who started the article and who made it public, for the editors' day overview ("drafts of mine").
    created_by = created_by_field("napravio")
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="objavio",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    is_live_blog = models.BooleanField(
        "praćenje uživo",
        default=False,
        help_text="Članak se vodi kao praćenje uživo: urednici dodaju kratke unose, najnoviji na vrhu, "
        "a članak nosi oznaku „UŽIVO“ dok se praćenje ne završi.",
    )
    live_until = models.DateTimeField(
        "kraj praćenja uživo",
        null=True,
        blank=True,
        help_text="Od ovog trenutka oznaka „UŽIVO“ nestaje sama. Prazno: dok urednik ne završi praćenje.",
    )
    live_summary = models.TextField(
        "sažetak praćenja",
        blank=True,
        help_text="Kratak sažetak najvažnijeg, prikvačen iznad unosa. Može ostati prazan.",
    )
    withdrawn_at = models.DateTimeField("vreme povlačenja", null=True, blank=True, editable=False)
    withdrawal_note = models.TextField(
        "interna napomena o povlačenju",
        blank=True,
        help_text="Zašto je članak povučen; vide je samo urednici.",
    )
    withdrawal_notice = models.TextField(
        "javno obaveštenje o povlačenju",
        blank=True,
        help_text="Ako nije prazno, čitaoci ga vide na adresi povučenog članka.",
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = "članak"
        verbose_name_plural = "članci"
        ordering = ["-published_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="article_status_published"),
            models.Index(fields=["section", "status", "-published_at"], name="article_section_published"),
            # The front page's lead story: the newest of the few flagged ones.
            models.Index(fields=["-published_at"], condition=Q(is_lead=True), name="article_lead_published"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="article_published_has_time",
            ),
        ]
        permissions = [
            ("preview_article", "Može da pregleda neobjavljene članke"),
            ("publish_article", "Može da objavljuje i povlači članke"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.fill_slug()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return ARTICLE_PATH(section=self.section.slug, pk=self.pk, slug=self.slug)

    def clean(self):
        self.fill_slug()
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        if self.status != self.Status.WITHDRAWN:
            self.withdrawn_at = None  # published again or back to a draft: the withdrawal is over
        if self.updated_at and self.published_at and self.updated_at < self.published_at:
            raise ValidationError({"updated_at": "Vreme ažuriranja ne može biti pre vremena objave."})

    def fill_slug(self):
        if not self.slug:
            max_length = self._meta.get_field("slug").max_length
            self.slug = serbian_slugify(self.title, max_length=max_length) or "clanak"

    @property
    def is_scheduled(self):
        return (
            self.status == self.Status.PUBLISHED
            and bool(self.published_at)
            and self.published_at > timezone.now()
        )

    @property
    def is_live_now(self):
        """Marked "UŽIVO": a live blog whose coverage has not ended."""
        return self.is_live_blog and (self.live_until is None or self.live_until > timezone.now())

    @property
    def was_withdrawn_while_live(self):
        """Withdrawn after readers could see it: its address says so (410); others answer as missing."""
        return self.status == self.Status.WITHDRAWN and self.withdrawn_at is not None

    @property
    def state_label(self):
        """The state as the newsroom says it: a published article whose time has not come is "Zakazano"."""
        return "Zakazano" if self.is_scheduled else self.get_status_display()

    @property
    def shown_updated_at(self):
        """The update time worth showing readers: only when it is later than publication."""
        if self.updated_at and self.published_at and self.updated_at > self.published_at:
            return self.updated_at
        return None

    @property
    def reading_minutes(self):
        """Minutes the body takes to read ("4 min čitanja" in the header), at least 1."""
        return reading_minutes(self.body)

    def fill_hero_from_lead_gallery(self):
        """A photo story without a hero photo takes its gallery's first: cards, link previews and feeds show
        the hero photo (the page shows the gallery in its place)."""
        if self.lead_gallery_id and not self.hero_image_id:
            first = GalleryItem.objects.filter(gallery_id=self.lead_gallery_id).order_by("position", "pk")
            self.hero_image_id = first.values_list("image_id", flat=True).first()

    @property
    def hero_caption_text(self):
        if self.hero_caption:
            return self.hero_caption
        return self.hero_image.caption if self.hero_image else ""

    @property
    def meta_description(self):
        return self.seo_description or Truncator(self.lead).chars(160)

    def inline_image_ids(self):
        return inline_image_ids(self.body)

    def gallery_ids(self):
        """The galleries the article shows: the lead one first, then those in the body in order."""
        ids = [self.lead_gallery_id] if self.lead_gallery_id else []
        return list(dict.fromkeys([*ids, *inline_gallery_ids(self.body)]))

    def image_ids(self):
        """Every photo the article shows: hero, between paragraphs and in its galleries."""
        in_galleries = GalleryItem.objects.filter(gallery_id__in=self.gallery_ids()).values_list(
            "image_id", flat=True
        )
        return {
            *self.inline_image_ids(),
            *([self.hero_image_id] if self.hero_image_id else []),
            *(in_galleries if self.gallery_ids() else []),
        }

    def restricted_images_used_elsewhere(self):
        """Photos this article shows that are licensed for one article only and already shown by another."""
        restricted = Image.objects.filter(pk__in=self.image_ids(), restriction=Image.Restriction.THIS_ARTICLE)
        return [
            image
            for image in restricted
            if Article.objects.using_image(image.pk).exclude(pk=self.pk).exists()
        ]


class LiveEntry(models.Model):
    """One short timestamped entry of a live blog: text, and optionally a library photo or an embed."""

    article = models.ForeignKey(
        Article, verbose_name="članak", on_delete=models.CASCADE, related_name="live_entries"
    )
    posted_at = models.DateTimeField("vreme", default=timezone.now, db_index=True)
    text = models.TextField("tekst", help_text="Kratko: nekoliko rečenica. Prazan red deli pasuse.")
    image = models.ForeignKey(
        Image,
        verbose_name="fotografija",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="live_entries",
    )
    embed_url = models.URLField(
        "video ili objava",
        max_length=500,
        blank=True,
        help_text="Adresa videa ili objave (YouTube, Vimeo, X, Instagram, Facebook, TikTok).",
    )
    embed_title = models.CharField("naslov videa ili objave", max_length=200, blank=True)
    created_by = created_by_field("uneo")
    modified_at = models.DateTimeField("izmenjeno", auto_now=True)

    class Meta:
        verbose_name = "unos uživo"
        verbose_name_plural = "unosi uživo"
        ordering = ["-posted_at", "-pk"]
        indexes = [models.Index(fields=["article", "-posted_at"], name="live_entry_newest")]

    def __str__(self):
        return Truncator(self.text).chars(60)


class ArticleNote(models.Model):
    """A correction ("Ispravka") or a reply under the right of reply ("Odgovor") shown at an article's end."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", "Ispravka"
        REPLY = "reply", "Odgovor"

    article = models.ForeignKey(
        Article, verbose_name="članak", on_delete=models.CASCADE, related_name="notes"
    )
    kind = models.CharField("vrsta", max_length=20, choices=Kind.choices)
    published_at = models.DateTimeField("datum", default=timezone.now)
    replied_by = models.CharField(
        "od koga",
        max_length=200,
        blank=True,
        help_text="Za odgovor: ko odgovara (ime, funkcija, organizacija).",
    )
    text = models.TextField("tekst", help_text="Prazan red deli pasuse.")
    created_by = created_by_field("uneo")

    class Meta:
        verbose_name = "ispravka ili odgovor"
        verbose_name_plural = "ispravke i odgovori"
        ordering = ["published_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="reply") | ~Q(replied_by=""), name="article_note_reply_names_who"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {Truncator(self.text).chars(60)}"

    def clean(self):
        if self.kind == self.Kind.REPLY and not self.replied_by.strip():
            raise ValidationError({"replied_by": "Upišite ko odgovara."})


class BreakingNewsQuerySet(models.QuerySet):
    def shown(self, now=None):
        """The strip readers see now: switched on, started and not expired; the newest first."""
        now = now or timezone.now()
        shown = self.filter(is_active=True, starts_at__lte=now, expires_at__gt=now)
        return shown.order_by("-starts_at", "-pk")


class BreakingNews(models.Model):
    """The site-wide "Najnovije" strip: a text and a link, shown from its start until it expires."""

    text = models.CharField("tekst", max_length=200)
    url = models.CharField(
        "link",
        max_length=500,
        help_text="Adresa na našem sajtu (npr. /vesti/123-naslov/) ili potpuna https adresa.",
    )
    is_active = models.BooleanField("uključeno", default=True)
    starts_at = models.DateTimeField("prikazuje se od", default=timezone.now)
    expires_at = models.DateTimeField("ističe", help_text="Od ovog trenutka traka nestaje sama.")
    created_by = created_by_field("uneo")
    modified_at = models.DateTimeField("izmenjeno", auto_now=True)

    objects = BreakingNewsQuerySet.as_manager()

    class Meta:
        verbose_name = "najnovija vest (traka)"
        verbose_name_plural = "najnovije vesti (traka)"
        ordering = ["-starts_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("starts_at")), name="breaking_news_expires_after_start"
            ),
        ]

    def __str__(self):
        return self.text

    def clean(self):
        if self.starts_at and self.expires_at and self.expires_at <= self.starts_at:
            raise ValidationError({"expires_at": "Traka mora da istekne posle početka prikazivanja."})


class Impresum(SingletonModel):
    """The items Serbian media law requires of a medium, each in its own field."""

    publisher = models.CharField("izdavač", max_length=200, default="")
    address = models.CharField("adresa izdavača", max_length=300, default="")
    editor_in_chief = models.CharField("glavni i odgovorni urednik", max_length=200, default="")
    registration_number = models.CharField(
        "broj u Registru medija",
        max_length=100,
        default="",
        help_text="Registarski broj iz Registra medija Agencije za privredne registre.",
    )
    contact_email = models.EmailField("e-pošta za kontakt", blank=True)
    contact_phone = models.CharField("telefon", max_length=50, blank=True)
    other_staff = models.TextField(
        "redakcija",
        blank=True,
        help_text="Ostali urednici i saradnici, po jedan red: „funkcija: ime“.",
    )
    modified_at = models.DateTimeField("izmenjeno", auto_now=True)

    class Meta:
        verbose_name = "impresum"

    def __str__(self):
        return "Impresum"


class InfoPage(models.Model):
    """A page every daily must have, edited by administrators: contact, terms, privacy, accessibility."""

    class Key(models.TextChoices):
        CONTACT = "kontakt", "Kontakt"
        TERMS = "uslovi-koriscenja", "Uslovi korišćenja"
        PRIVACY = "privatnost", "Politika privatnosti"
        ACCESSIBILITY = "pristupacnost", "Izjava o pristupačnosti"

    key = models.CharField("stranica", max_length=40, choices=Key.choices, unique=True)
    title = models.CharField("naslov", max_length=200)
    body = SanitizedHTMLField("tekst")
    modified_at = models.DateTimeField("izmenjeno", auto_now=True)

    class Meta:
        verbose_name = "stranica sajta"
        verbose_name_plural = "stranice sajta"
        ordering = ["key"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("articles:info_" + self.key.replace("-", "_"))


class Gallery(models.Model):
    """Library photos shown one at a time in a set order, as an article's lead or between paragraphs."""

    title = models.CharField(
        "naslov",
        max_length=200,
        help_text="Za urednike i čitače ekrana, npr. „Poplave u Obrenovcu“; čitaoci ga vide iznad galerije.",
    )
    created_at = models.DateTimeField("napravljeno", auto_now_add=True)
    modified_at = models.DateTimeField("izmenjeno", auto_now=True)
    created_by = created_by_field("napravio")

    class Meta:
        verbose_name = "galerija"
        verbose_name_plural = "galerije"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.title


class GalleryItem(models.Model):
    """One photo of a gallery, in its place. The credit and the restriction are the photo's own (a licence
    goes with the photo); the caption may be written for this gallery."""

    gallery = models.ForeignKey(
        Gallery, verbose_name="galerija", on_delete=models.CASCADE, related_name="items"
    )
    image = models.ForeignKey(
        Image, verbose_name="fotografija", on_delete=models.PROTECT, related_name="gallery_items"
    )
    position = models.PositiveIntegerField("redosled", default=0)
    caption = models.CharField(
        "potpis u galeriji",
        max_length=500,
        blank=True,
        help_text="Ako je prazno, koristi se potpis iz biblioteke fotografija.",
    )

    class Meta:
        verbose_name = "fotografija u galeriji"
        verbose_name_plural = "fotografije u galeriji"
        ordering = ["position", "pk"]
        indexes = [models.Index(fields=["gallery", "position"], name="gallery_item_order")]

    def __str__(self):
        return str(self.image)

    @property
    def caption_text(self):
        return self.caption or self.image.caption


class ArticleAutosave(models.Model):
    """What an editor typed into the article form and has not saved yet, kept every few seconds.

    One row per editor and article, or per editor and never-saved new article (``new_article_key``, made by
    the add form). It is never the article: saving it writes no ``Article``, no revision and tells no page.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="article_autosaves"
    )
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, null=True, blank=True, related_name="autosaves"
    )
    new_article_key = models.UUIDField(null=True, blank=True)
    fields = models.JSONField("polja obrasca", default=dict)
    saved_at = models.DateTimeField("sačuvano")

    class Meta:
        verbose_name = "automatski sačuvan nacrt"
        verbose_name_plural = "automatski sačuvani nacrti"
        ordering = ["-saved_at"]
        constraints = [
            # Not partial: one INSERT ... ON CONFLICT names them on both databases (NULLs never collide).
            models.UniqueConstraint(fields=["user", "article"], name="autosave_user_article"),
            models.UniqueConstraint(fields=["user", "new_article_key"], name="autosave_user_new_article"),
            models.CheckConstraint(
                condition=Q(article__isnull=True) ^ Q(new_article_key__isnull=True),
                name="autosave_article_or_new_key",
            ),
        ]
        indexes = [models.Index(fields=["saved_at"], name="autosave_saved_at")]

    def __str__(self):
        return f"{self.user} @ {self.article_id or self.new_article_key}"


class ArticleAuthor(models.Model):
    """An author's place in an article's byline."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE)
    author = models.ForeignKey(Author, verbose_name="autor", on_delete=models.PROTECT)
    position = models.PositiveSmallIntegerField("redosled", default=0)

    class Meta:
        verbose_name = "autor članka"
        verbose_name_plural = "autori članka"
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["article", "author"], name="article_author_unique"),
        ]

    def __str__(self):
        return str(self.author)


class SiteSettings(SingletonModel):
    site_name = models.CharField("naziv sajta", max_length=80, default="Čitaonica")
    tagline = models.CharField("slogan", max_length=200, blank=True, default="Dnevne novine")
    follow_text = models.CharField(
        "poziv da nas pratite",
        max_length=300,
        blank=True,
        default="Pratite nas na našoj Facebook i Instagram stranici, ali i na X nalogu.",
    )
    facebook_url = models.URLField("Facebook", blank=True)
    instagram_url = models.URLField("Instagram", blank=True)
    x_url = models.URLField("X (Twitter)", blank=True)
    print_edition_text = models.CharField(
        "poziv na pretplatu na štampano izdanje",
        max_length=300,
        blank=True,
        default="Pretplatite se na PDF izdanje lista Čitaonica.",
    )
    print_edition_url = models.URLField("adresa pretplate na PDF izdanje", blank=True)

    class Meta:
        verbose_name = "podešavanja sajta"

    def __str__(self):
        return "Podešavanja sajta"

    @property
    def social_links(self):
        links = [("Facebook", self.facebook_url), ("Instagram", self.instagram_url), ("X", self.x_url)]
        return [(name, url) for name, url in links if url]


class HourlyReadCount(models.Model):
    """How many readers opened an article within one clock hour; "Najčitanije" sums these over a window."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="read_counts")
    hour = models.DateTimeField("sat")
    reads = models.PositiveIntegerField("čitanja", default=0)

    class Meta:
        verbose_name = "broj čitanja"
        verbose_name_plural = "brojevi čitanja"
        ordering = ["-hour"]
        constraints = [
            models.UniqueConstraint(fields=["article", "hour"], name="read_count_article_hour_unique"),
        ]
        indexes = [models.Index(fields=["hour", "article"], name="read_count_hour")]

    def __str__(self):
        return f"{self.article_id} @ {self.hour:%Y-%m-%d %H}h: {self.reads}"


class SearchEntry(models.Model):
    """An article's text as search sees it, kept apart so listing queries never carry it.

    On PostgreSQL ``vector`` holds the weighted tsvector (title A, lead B, body C); elsewhere ``folded`` holds
    the lower-cased text without diacritics for the simple fallback.
    """

    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, primary_key=True, related_name="search_entry"
    )
    vector = SearchVectorField(null=True)
    folded = models.TextField(blank=True)

    class Meta:
        verbose_name = "indeks pretrage"
        verbose_name_plural = "indeks pretrage"
        ordering = ["article"]

    def __str__(self):
        return f"Indeks članka {self.article_id}"


class TransliterationException(models.Model):
    """A word the Cyrillic page leaves as written: a news agency, a brand ("Reuters", "iPhone")."""

    text = models.CharField(
        "izuzetak od preslovljavanja",
        max_length=100,
        unique=True,
        help_text=(
            "Reč ili naziv koji na ćiriličnoj stranici ostaje napisan latinicom, na primer agencija ili "
            "brend: „Reuters“, „iPhone“. Važi za celu reč, tačno ovako napisanu (velika i mala slova se "
            "razlikuju); može sadržati razmak ili crticu („EPA-EFE“)."
        ),
    )

    class Meta:
        verbose_name = "izuzetak od preslovljavanja"
        verbose_name_plural = "izuzeci od preslovljavanja"
        ordering = ["text"]

    def __str__(self):
        return self.text
