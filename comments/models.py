import datetime
import hashlib
import secrets

from django.conf import settings
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
        help_text="Posle ovoliko prijava u 24 sata, od različitih čitalaca iz isto toliko različitih mreža, "
        "komentar se skriva dok moderator ne odluči.",
    )
    max_links = models.PositiveSmallIntegerField(
        "najviše linkova bez zadržavanja",
        default=2,
        help_text="Komentar sa više linkova se zadržava uz razlog „linkovi“.",
    )
    threads_per_page = models.PositiveSmallIntegerField(
        "niti po strani", default=50, validators=[MinValueValidator(5), MaxValueValidator(500)]
    )
    banned_words = models.TextField(
        "zabranjene reči",
        blank=True,
        help_text="Jedna po redu. Komentar sa ovakvom reči odmah se odbija. Velika i mala slova, kvačice i "
        "pismo se ne razlikuju; „glup*“ obuhvata i sve nastavke.",
    )
    suspect_words = models.TextField(
        "sumnjive reči",
        blank=True,
        help_text="Jedna po redu. Komentar se zadržava, a reč se ističe moderatoru. Ista pravila kao gore.",
    )
    trust_enabled = models.BooleanField(
        "lestvica poverenja",
        default=False,
        help_text="Komentari proverenih čitalaca objavljuju se bez čekanja. Poverenje se stiče samo "
        "dokazanom e-adresom (prijavom ili linkom iz e-poruke), pa tada svaki neprijavljeni čitalac dobija "
        "link za potvrdu; njegov komentar se po poverenju objavljuje tek kad otvori link.",
    )
    trust_min_approved = models.PositiveSmallIntegerField(
        "odobrenih komentara za poverenje", default=5, validators=[MinValueValidator(1)]
    )
    trust_clean_days = models.PositiveSmallIntegerField(
        "dana bez odbijenog komentara", default=30, validators=[MinValueValidator(1)]
    )

    edit_minutes = models.PositiveSmallIntegerField(
        "vreme za izmenu komentara (minuta)",
        default=10,
        validators=[MaxValueValidator(120)],
        help_text="Koliko minuta posle slanja autor može da ispravi svoj komentar. 0: izmene nisu moguće.",
    )

    class AfterHours(models.TextChoices):
        NOTICE = "notice", "primaj komentare, pregled ujutru"
        PAUSE = "pause", "pauziraj komentarisanje"

    desk_hours_enabled = models.BooleanField("radno vreme moderatora", default=False)
    desk_opens = models.TimeField("početak", default=datetime.time(7, 0))
    desk_closes = models.TimeField("kraj", default=datetime.time(23, 0))
    after_hours = models.CharField(
        "van radnog vremena", max_length=10, choices=AfterHours.choices, default=AfterHours.NOTICE
    )

    class Meta:
        verbose_name = "podešavanja komentara"

    def __str__(self):
        return "Podešavanja komentara"


class HoldReason(models.TextChoices):
    LINKS = "links", _("too many links")
    UNVERIFIED_EMAIL = "unverified_email", _("unverified e-mail address")
    SUSPECT_WORD = "suspect_word", _("suspect word")
    NEW_COMMENTER = "new_commenter", _("new commenter")


class RejectReason(models.TextChoices):
    SPAM = "spam", "spam"
    INSULT = "insult", "uvreda"
    HATE = "hate", "govor mržnje"
    OFF_TOPIC = "off_topic", "nije na temu"
    ADVERTISING = "advertising", "reklama"
    ILLEGAL = "illegal", "nezakonit sadržaj"
    OTHER = "other", "drugo"
    BANNED_WORD = "banned_word", "zabranjena reč"


def max_thread_level():
    """How deep replies may go under articles (django-comments-xtd's setting; content types are cached)."""
    return max_thread_level_for_content_type(ContentType.objects.get_for_model(Article))


def visible_condition(prefix=""):
    """What moderation lets readers see: approved, not removed and not hidden by reports.

    Whether the article is public is not part of it: ``ArticleCommentQuerySet.visible()`` adds that.
    """
    return Q(
        **{f"{prefix}is_public": True, f"{prefix}is_removed": False, f"{prefix}hidden_by_reports": False}
    )


# Read by comments/selectors.py and written out by comments/rendering.py.
THREAD_FIELDS = (
    "article_id",
    "thread_id",
    "parent_id",
    "level",
    "order",
    "user_name",
    "comment",
    "submit_date",
    "is_public",
    "is_removed",
    "hidden_by_reports",
    "is_featured",
    "like_count",
    "dislike_count",
)


class ArticleCommentQuerySet(models.QuerySet):
    def visible(self):
        """What readers may see now: let through by moderation, under an article the public may see now.

        Every address that names a comment finds it here, so a comment under an article that went back to
        draft, was withdrawn or is scheduled answers like a comment that never was.
        """
        return self.filter(visible_condition(), article__in=Article.objects.published())

    def pending(self):
        return self.filter(is_public=False, is_removed=False)

    def not_withdrawn(self):
        """Without the placeholders their authors withdrew (comments/my_comments.py): nothing to moderate."""
        return self.exclude(decisions__action="withdraw")

    def for_threads(self):
        """Just what the comment list shows: no user or content type joined, no moderation fields loaded."""
        return self.select_related(None).only(*THREAD_FIELDS)


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
    is_featured = models.BooleanField("izdvojen", default=False)
    reject_reason = models.CharField(
        "razlog odbijanja", max_length=20, choices=RejectReason.choices, blank=True
    )
    notify_outcome = models.BooleanField(
        "e-poruka autoru o odluci",
        default=False,
        db_default=False,  # rows written without the ORM (bulk loads) have not asked
        help_text="Autor bez naloga je tražio da mu javimo odluku (nalog to bira na svojoj stranici).",
    )
    email_key = models.CharField(
        "e-adresa za pretragu", max_length=254, blank=True, db_index=True, editable=False
    )
    version = models.PositiveIntegerField(
        "verzija odluke",
        default=0,
        help_text="Raste sa svakom odlukom; dve istovremene odluke ne prolaze obe.",
    )
    # An approved comment's correction by its author waits here for a moderator; the approved text stays
    # public until then (comments/editing.py).
    edited_text = models.TextField(
        "izmena koja čeka odobrenje", blank=True, default="", db_default="", editable=False
    )
    edited_at = models.DateTimeField("izmenjen", null=True, blank=True, editable=False)
    script = models.CharField(
        "pismo čitaoca",
        max_length=3,
        choices=[("lat", "Latinica"), ("cir", "Ćirilica")],
        default="lat",
        editable=False,
        help_text="Pismo stranice sa koje je komentar poslat; e-poruke čitaocu stižu na tom pismu.",
    )

    objects = ArticleCommentManager()

    class Meta:
        verbose_name = "komentar"
        verbose_name_plural = "komentari"
        ordering = ["thread_id", "order"]
        indexes = [
            models.Index(fields=["article", "hidden_by_reports"], name="comment_article_hidden"),
            # The few comments hidden by reports, left out of the front page's counts of the week's comments.
            models.Index(
                fields=["xtdcomment_ptr"], condition=Q(hidden_by_reports=True), name="comment_hidden"
            ),
        ]

    def __str__(self):
        return f"{self.user_name}: {self.comment[:60]}"

    def save(self, *args, **kwargs):
        self.email_key = (self.user_email or "").strip().lower()
        super().save(*args, **kwargs)

    def get_absolute_url(self, anchor_pattern=None):
        return reverse("comments:permalink", kwargs={"pk": self.pk})

    @property
    def is_visible(self):
        return self.is_public and not self.is_removed and not self.hidden_by_reports

    @property
    def is_pending(self):
        """Waiting for a moderator (as ``ArticleCommentQuerySet.pending`` finds them)."""
        return not self.is_public and not self.is_removed

    @property
    def accepts_replies(self):
        return self.level < max_thread_level()

    @property
    def hold_reason_labels(self):
        return [HoldReason(reason).label for reason in self.hold_reasons if reason in HoldReason.values]


def hashed_network_field():
    """Where a reaction or report came from: the sender's network as a keyed hash (comments/readers.py)."""
    return models.CharField(
        "mreža (heš)",
        max_length=32,
        blank=True,
        editable=False,
        help_text="Ključni heš mreže čitaoca (IPv4 /24, IPv6 /64), nikad adresa; briše se sa IP adresama.",
    )


class Reaction(models.Model):
    """A reader's 👍 (+1) or 👎 (-1) on a comment: one per reader, changeable."""

    LIKE, DISLIKE = 1, -1

    comment = models.ForeignKey(ArticleComment, on_delete=models.CASCADE, related_name="reactions")
    reader_key = models.CharField(max_length=64)
    network = hashed_network_field()
    value = models.SmallIntegerField(choices=[(LIKE, "👍"), (DISLIKE, "👎")])
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "reakcija"
        verbose_name_plural = "reakcije"
        indexes = [
            models.Index(fields=["comment", "network", "created_at"], name="reaction_network_recent"),
        ]
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
    network = hashed_network_field()
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

    def expired(self, now=None):
        return self.filter(expires_at__lte=now or timezone.now())


class CommentToken(models.Model):
    """A short random token for a link in an e-mail; only its hash is stored, the link carries no data.

    A token names one comment, or (for "Moji komentari") one commenter's e-mail address.
    """

    class Purpose(models.TextChoices):
        VERIFY_EMAIL = "verify", "potvrda e-adrese"
        UNSUBSCRIBE = "unsubscribe", "odjava od obaveštenja"
        MY_COMMENTS = "my_comments", "pregled sopstvenih komentara"
        EDIT = "edit", "izmena komentara"

    comment = models.ForeignKey(
        ArticleComment, on_delete=models.CASCADE, related_name="tokens", null=True, blank=True
    )
    email_key = models.CharField(max_length=254, blank=True, db_index=True)
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    objects = CommentTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "token"
        verbose_name_plural = "tokeni"
        constraints = [
            models.CheckConstraint(
                condition=Q(comment__isnull=False) | ~Q(email_key=""), name="token_names_comment_or_address"
            ),
        ]

    def __str__(self):
        return f"{self.get_purpose_display()} ({self.comment_id or 'e-adresa'})"

    @staticmethod
    def new_token():
        return secrets.token_urlsafe(16)

    @classmethod
    def issue(cls, comment, purpose, valid_for=datetime.timedelta(days=7)):
        """Stores a new token's hash and returns the token itself, to be put in a link once."""
        token = cls.new_token()
        cls.objects.create(
            comment=comment,
            purpose=purpose,
            token_hash=hash_token(token),
            expires_at=timezone.now() + valid_for,
        )
        return token


class MyCommentsLinkRequest(models.Model):
    """A reader's request for a "Moji komentari" link, waiting for ``manage.py send_my_comments_links``.

    Asking costs the same whether or not the address has commented here: the request stores only a keyed hash
    of the address, and the sender later finds the address among the commenters' and mails the link. An
    address that never commented is never stored, and each request is deleted once handled.
    """

    address_hash = models.CharField("otisak e-adrese", max_length=64, editable=False)
    created_at = models.DateTimeField("zatraženo", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "zahtev za vezu „Moji komentari“"
        verbose_name_plural = "zahtevi za vezu „Moji komentari“"
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"Zahtev za vezu {self.pk}"


DECISION_FIELDS = ["is_public", "is_removed", "hidden_by_reports", "is_featured", "reject_reason"]


def moderation_state(comment):
    """What a decision changes, as recorded before and after it."""
    return {field: getattr(comment, field) for field in DECISION_FIELDS}


class Decision(models.Model):
    """One moderation decision on one comment: who, when, what, why, and the state before and after."""

    class Action(models.TextChoices):
        APPROVE = "approve", "odobren"
        REJECT = "reject", "odbijen"
        FEATURE = "feature", "izdvojen"
        UNFEATURE = "unfeature", "više nije izdvojen"
        UNDO = "undo", "poništena odluka"
        HIDE = "hide", "sakriven zbog prijava"
        WITHDRAW = "withdraw", "obrisao autor"
        APPROVE_EDIT = "approve_edit", "izmena odobrena"
        REJECT_EDIT = "reject_edit", "izmena odbijena"

    comment = models.ForeignKey(ArticleComment, on_delete=models.CASCADE, related_name="decisions")
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="moderator",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comment_decisions",
        help_text="Prazno: odluka sistema (zabranjena reč, poverenje, prijave).",
    )
    action = models.CharField("odluka", max_length=20, choices=Action.choices)
    reason = models.CharField("razlog", max_length=30, blank=True)
    note = models.CharField("napomena", max_length=300, blank=True)
    state_before = models.JSONField("stanje pre", default=dict)
    state_after = models.JSONField("stanje posle", default=dict)
    applied = models.BooleanField(
        "sprovedena", default=True, help_text="Ne: neko je istovremeno već odlučio o ovom komentaru."
    )
    undone = models.BooleanField("poništena", default=False)
    created_at = models.DateTimeField("vreme", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "odluka"
        verbose_name_plural = "odluke"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["moderator", "-created_at"], name="decision_moderator_recent")]

    def __str__(self):
        return f"{self.get_action_display()}: {self.comment_id}"

    @property
    def reason_label(self):
        if self.reason in RejectReason.values:
            return RejectReason(self.reason).label
        return self.reason


class BanQuerySet(models.QuerySet):
    def active(self, now=None):
        now = now or timezone.now()
        return self.filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now), lifted_at__isnull=True)

    def matching(self, email="", ip_address=None, user=None):
        condition = Q(email__iexact=email) if email else Q(pk__in=[])
        if ip_address:
            condition |= Q(ip_address=ip_address)
        if user is not None and user.pk:
            condition |= Q(user_id=user.pk)
        return self.filter(condition)


class Ban(models.Model):
    """A commenter kept out by e-mail address, network address and/or reader account, for a while or for
    good."""

    email = models.EmailField("e-adresa", blank=True, db_index=True)
    ip_address = models.GenericIPAddressField("IP adresa", null=True, blank=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="nalog čitaoca",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="comment_bans",
    )
    reason = models.CharField("razlog", max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="zabranio", on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField("zabranjeno", auto_now_add=True)
    expires_at = models.DateTimeField("ističe", null=True, blank=True, help_text="Prazno: trajna zabrana.")
    lifted_at = models.DateTimeField("ukinuta", null=True, blank=True)

    objects = BanQuerySet.as_manager()

    class Meta:
        verbose_name = "zabrana"
        verbose_name_plural = "zabrane"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(email="") | Q(ip_address__isnull=False) | Q(user__isnull=False),
                name="ban_names_email_address_or_account",
            ),
        ]

    def __str__(self):
        account = f"nalog {self.user_id}" if self.user_id else ""
        return " / ".join(filter(None, [self.email, self.ip_address, account])) or "zabrana"


class ReaderProfile(models.Model):
    """A signed-in reader's public name and choices (comments/accounts.py). Staff never have one: they do not
    sign in as readers."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="nalog",
        on_delete=models.CASCADE,
        related_name="reader_profile",
    )
    display_name = models.CharField("ime koje se prikazuje", max_length=50)
    # The name folded across scripts, diacritics and look-alike letters: two names that read alike clash.
    name_key = models.CharField("ključ imena", max_length=50, unique=True, editable=False)
    notify_replies = models.BooleanField("e-poruka kad neko odgovori na moj komentar", default=True)
    notify_outcomes = models.BooleanField("e-poruka kad moderator odluči o mom komentaru", default=False)
    created_at = models.DateTimeField("otvoren", auto_now_add=True)

    class Meta:
        verbose_name = "nalog čitaoca"
        verbose_name_plural = "nalozi čitalaca"

    def __str__(self):
        return self.display_name


class AccountDeletion(models.Model):
    """That a reader deleted their account, when, and how many comments went with it: nothing personal."""

    deleted_at = models.DateTimeField("obrisan", auto_now_add=True)
    comments_deleted = models.PositiveIntegerField("obrisanih komentara", default=0)
    comments_withdrawn = models.PositiveIntegerField(
        "komentara zamenjenih napomenom", default=0, help_text="Ostali su zbog odgovora drugih čitalaca."
    )

    class Meta:
        verbose_name = "brisanje naloga"
        verbose_name_plural = "brisanja naloga"
        ordering = ["-deleted_at"]

    def __str__(self):
        return f"nalog obrisan {self.deleted_at:%d.%m.%Y. %H:%M}"
