import hashlib
import secrets
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_comments_xtd.models import XtdComment, XtdCommentManager, max_thread_level_for_content_type
from solo.models import SingletonModel

from articles.models import Article

DEFAULT_RULES = (
    "Komentari se objavljuju posle odobrenja moderatora. Ne objavljujemo uvrede, govor mržnje, pretnje, "
    "reklame ni komentare koji nisu na temu teksta. Vaša e-adresa se nikada ne prikazuje."
)


class CommentSettings(SingletonModel):
    """Comment policy that administrators change in the admin, without a restart."""

    close_after_days = models.PositiveSmallIntegerField(
        "zatvori komentare posle (dana)",
        default=14,
        help_text="Broj dana od objave posle kojeg se komentari zatvaraju. 0: nikad.",
    )
    max_length = models.PositiveIntegerField(
        "najveća dužina komentara (znakova)",
        default=1500,
        validators=[MinValueValidator(100), MaxValueValidator(10000)],
    )
    rules = models.TextField("pravila komentarisanja", default=DEFAULT_RULES, blank=True)
    require_email_verification = models.BooleanField(
        "traži potvrdu e-adrese",
        default=False,
        help_text="Čitalac dobija link za potvrdu; nepotvrđeni komentari su označeni moderatorima.",
    )
    reports_to_hide = models.PositiveSmallIntegerField(
        "prijave do sakrivanja",
        default=3,
        validators=[MinValueValidator(1)],
        help_text="Posle ovoliko prijava različitih čitalaca komentar se skriva dok moderator ne odluči.",
    )
    max_links = models.PositiveSmallIntegerField(
        "najviše linkova bez zadržavanja",
        default=2,
        help_text="Komentar sa više linkova se zadržava uz razlog „linkovi“.",
    )
    threads_per_page = models.PositiveSmallIntegerField(
        "niti po strani", default=50, validators=[MinValueValidator(5), MaxValueValidator(500)]
    )

    class Meta:
        verbose_name = "podešavanja komentara"

    def __str__(self):
        return "Podešavanja komentara"


class HoldReason(models.TextChoices):
    LINKS = "links", _("too many links")
    UNVERIFIED_EMAIL = "unverified_email", _("unverified e-mail address")


def max_thread_level():
    """How deep replies may go under articles (django-comments-xtd's setting; content types are cached)."""
    return max_thread_level_for_content_type(ContentType.objects.get_for_model(Article))


def visible_condition(prefix=""):
    """What readers may see: approved, not removed and not hidden by reports."""
    return Q(
        **{f"{prefix}is_public": True, f"{prefix}is_removed": False, f"{prefix}hidden_by_reports": False}
    )


class ArticleCommentQuerySet(models.QuerySet):
    def visible(self):
        return self.filter(visible_condition())

    def pending(self):
        return self.filter(is_public=False, is_removed=False)

    def for_article(self, article):
        return self.filter(article=article)


class ArticleCommentManager(XtdCommentManager.from_queryset(ArticleCommentQuerySet)):
    pass


class ArticleComment(XtdComment):
    """A reader's comment on an article; django-comments-xtd keeps its place in the thread."""

    article = models.ForeignKey(
        Article, verbose_name="članak", on_delete=models.CASCADE, related_name="reader_comments"
    )
    hold_reasons = models.JSONField("razlozi zadržavanja", default=list, blank=True)
    email_verified = models.BooleanField("e-adresa potvrđena", default=False)
    hidden_by_reports = models.BooleanField("sakriven zbog prijava", default=False)
    like_count = models.PositiveIntegerField("sviđa mi se", default=0)
    dislike_count = models.PositiveIntegerField("ne sviđa mi se", default=0)
    report_count = models.PositiveIntegerField("prijave od poslednje odluke", default=0)
    moderated_at = models.DateTimeField("poslednja odluka moderatora", null=True, blank=True)

    objects = ArticleCommentManager()

    class Meta:
        verbose_name = "komentar"
        verbose_name_plural = "komentari"
        ordering = ["thread_id", "order"]
        indexes = [
            models.Index(fields=["article", "hidden_by_reports"], name="comment_article_hidden"),
        ]

    def __str__(self):
        return f"{self.user_name}: {self.comment[:60]}"

    def get_absolute_url(self, anchor_pattern=None):
        return reverse("comments:permalink", kwargs={"pk": self.pk})

    @property
    def is_visible(self):
        return self.is_public and not self.is_removed and not self.hidden_by_reports

    @property
    def accepts_replies(self):
        return self.level < max_thread_level()

    @property
    def hold_reason_labels(self):
        return [HoldReason(reason).label for reason in self.hold_reasons if reason in HoldReason.values]


class Reaction(models.Model):
    """A reader's 👍 (+1) or 👎 (-1) on a comment: one per reader, changeable."""

    LIKE, DISLIKE = 1, -1

    comment = models.ForeignKey(ArticleComment, on_delete=models.CASCADE, related_name="reactions")
    reader_key = models.CharField(max_length=64)
    value = models.SmallIntegerField(choices=[(LIKE, "👍"), (DISLIKE, "👎")])
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "reakcija"
        verbose_name_plural = "reakcije"
        constraints = [
            models.UniqueConstraint(fields=["comment", "reader_key"], name="reaction_one_per_reader"),
            models.CheckConstraint(condition=Q(value__in=[1, -1]), name="reaction_value_is_vote"),
        ]

    def __str__(self):
        return f"{self.get_value_display()} {self.comment_id}"


class Report(models.Model):
    class Reason(models.TextChoices):
        SPAM = "spam", _("spam")
        ABUSE = "abuse", _("insult or hate speech")
        OFF_TOPIC = "off_topic", _("off topic")
        OTHER = "other", _("other")

    comment = models.ForeignKey(ArticleComment, on_delete=models.CASCADE, related_name="reports")
    reader_key = models.CharField(max_length=64)
    reason = models.CharField("razlog", max_length=20, choices=Reason.choices)
    note = models.CharField("napomena", max_length=300, blank=True)
    created_at = models.DateTimeField("prijavljeno", auto_now_add=True)

    class Meta:
        verbose_name = "prijava"
        verbose_name_plural = "prijave"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["comment", "reader_key"], name="report_one_per_reader"),
        ]

    def __str__(self):
        return f"{self.get_reason_display()}: {self.comment_id}"


def hash_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


class CommentTokenQuerySet(models.QuerySet):
    def usable(self, token, purpose):
        return self.filter(token_hash=hash_token(token), purpose=purpose, expires_at__gt=timezone.now())


class CommentToken(models.Model):
    """A short random token for a link in an e-mail; only its hash is stored, the link carries no data."""

    class Purpose(models.TextChoices):
        VERIFY_EMAIL = "verify", "potvrda e-adrese"
        UNSUBSCRIBE = "unsubscribe", "odjava od obaveštenja"

    comment = models.ForeignKey(ArticleComment, on_delete=models.CASCADE, related_name="tokens")
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    objects = CommentTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "token"
        verbose_name_plural = "tokeni"

    def __str__(self):
        return f"{self.get_purpose_display()} ({self.comment_id})"

    @classmethod
    def issue(cls, comment, purpose, valid_for=timedelta(days=7)):
        """Stores a new token's hash and returns the token itself, to be put in a link once."""
        token = secrets.token_urlsafe(16)
        cls.objects.create(
            comment=comment,
            purpose=purpose,
            token_hash=hash_token(token),
            expires_at=timezone.now() + valid_for,
        )
        return token
