"""Who reaches which address: every route of the URLconf, role by role, and what a refused POST leaves behind.

A route added without an expectation here fails ``test_every_route_has_an_expectation``.
"""

from base64 import b32decode
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cached_property
from typing import Any
from urllib.parse import urlsplit

import pytest
import reversion
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.contrib.sites.models import Site
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.mail import EmailMessage
from django.test import Client
from django.urls import URLResolver, get_resolver, resolve, reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from mailer.models import RESULT_SUCCESS, DontSendEntry, Message, MessageLog
from reversion.models import Version

from articles.models import (
    Article,
    ArticleAutosave,
    ArticleNote,
    BreakingNews,
    Image,
    Impresum,
    InfoPage,
    LiveEntry,
    SiteSettings,
    Tag,
    TransliterationException,
)
from articles.tests.factories import (
    ArticleFactory,
    AuthorFactory,
    GalleryFactory,
    ImageFactory,
    SectionFactory,
    TagFactory,
    jpeg_bytes,
)
from articles.tests.test_revisions import admin_form_fields
from comments import moderation
from comments.admin import CommentSettingsForm, SiteSettingsForm
from comments.display_names import name_key
from comments.models import ArticleComment, Ban, CommentSettings, Decision, Reaction, ReaderProfile, Report
from comments.tests.conftest import comment_form_fields
from comments.tests.factories import ArticleCommentFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "reader", "staff", "moderator", "editor", "superuser"]
OUTSIDERS = {"anonymous", "reader"}  # never inside the admin, whatever they ask for
STAFF = {"staff", "moderator", "editor", "superuser"}
EDITORS = {"editor", "superuser"}
DESK = {"moderator", "editor", "superuser"}  # editors moderate too (comments migration 0003)
ADMINS = {"superuser"}
NOBODY = set()

# What a role gets: a status code, or where a redirect leads.
OK, BAD, UNAUTHORIZED, DENIED, MISSING, NOT_ALLOWED = 200, 400, 401, 403, 404, 405
LOGIN, REDIRECT = "to sign-in", "redirect"


def outcome(response):
    if response.status_code in (301, 302):
        return LOGIN if urlsplit(response["Location"]).path == reverse("admin:login") else REDIRECT
    return response.status_code


def everyone(answer):
    return dict.fromkeys(ROLES, answer)


def admin_page(allowed, ok=OK, refused=DENIED):
    """An admin address: outsiders are sent to sign in, the ``allowed`` staff get ``ok``, other staff not."""
    return {role: LOGIN if role in OUTSIDERS else ok if role in allowed else refused for role in ROLES}


class World:
    """The objects the addresses point at, each made on first use so a test pays only for what it opens."""

    def __init__(self, users):
        self.users = users

    @cached_property
    def section(self):
        return SectionFactory(name="Grad", slug="grad")

    @cached_property
    def author(self):
        return AuthorFactory()

    @cached_property
    def tag(self):
        return TagFactory()

    @cached_property
    def image(self):
        return small_image()

    @cached_property
    def awaiting_image(self):
        """A bulk-uploaded photo still waiting for its description."""
        return Image.objects.create(
            file=ContentFile(jpeg_bytes(120, 80), name="nova.jpg"), alt_text="", awaiting_details=True
        )

    @cached_property
    def gallery(self):
        return GalleryFactory(images=[self.image])

    @cached_property
    def article(self):
        return ArticleFactory(section=self.section, authors=[self.author], tags=[self.tag])

    @cached_property
    def live_blog(self):
        return ArticleFactory(section=self.section, is_live_blog=True)

    @cached_property
    def live_entry(self):
        return LiveEntry.objects.create(article=self.live_blog, text="Prvi unos praćenja.")

    @cached_property
    def draft(self):
        return ArticleFactory(section=self.section, status=Article.Status.DRAFT, published_at=None)

    @cached_property
    def comment(self):
        return ArticleCommentFactory(article=self.article)

    @cached_property
    def pending_comment(self):
        return ArticleCommentFactory(article=self.article, is_public=False)

    @cached_property
    def report(self):
        moderation.report(self.comment, "citalac-1", Report.Reason.SPAM)
        return Report.objects.get(comment=self.comment)

    @cached_property
    def ban(self):
        return Ban.objects.create(
            email="nasilnik@example.org", reason="Uvrede", created_by=self.users["superuser"]
        )

    @cached_property
    def reader_profile(self):
        if "reader" in self.users:
            return self.users["reader"].reader_profile
        user = get_user_model().objects.create_user("citateljka", email="citateljka@example.com")
        name = "Čitateljka"
        return ReaderProfile.objects.create(user=user, display_name=name, name_key=name_key(name))

    @cached_property
    def decision(self):
        """The moderator's own last decision, which the desk's undo takes back."""
        moderation.decide(
            [self.pending_comment.pk], Decision.Action.APPROVE, moderator=self.users["moderator"]
        )
        return Decision.objects.get(comment=self.pending_comment)

    @cached_property
    def editors_autosave(self):
        """What the editor typed into the article's form and did not save; only they may discard it."""
        return ArticleAutosave.objects.create(
            user=self.users["editor"],
            article=self.article,
            fields={"title": "Nesačuvano"},
            saved_at=timezone.now(),
        )

    @cached_property
    def transliteration_exception(self):
        return TransliterationException.objects.create(text="Reuters-test")

    @cached_property
    def breaking_news(self):
        now = timezone.now()
        return BreakingNews.objects.create(
            text="Traka za test", url="/", starts_at=now, expires_at=now + timedelta(hours=2)
        )

    @cached_property
    def site_settings(self):
        return SiteSettings.get_solo()

    @cached_property
    def note(self):
        return ArticleNote.objects.create(article=self.article, kind="correction", text="Ispravka.")

    @cached_property
    def impresum(self):
        return Impresum.get_solo()

    @cached_property
    def info_page(self):
        return InfoPage.objects.get(key="kontakt")

    @cached_property
    def comment_settings(self):
        return CommentSettings.get_solo()

    @cached_property
    def user(self):
        return self.users["editor"]

    @cached_property
    def group(self):
        return Group.objects.get(name="Urednici")

    @cached_property
    def site(self):
        return Site.objects.get_current()

    @cached_property
    def mail(self):
        # Directly: the tests' mail backend never reaches django-mailer's queue.
        message = Message()
        message.email = EmailMessage("Potvrda adrese", "Tekst.", "redakcija@example.org", ["c@example.org"])
        message.save()
        return message

    @cached_property
    def mail_log(self):
        return MessageLog.objects.log(self.mail, RESULT_SUCCESS)

    @cached_property
    def dont_send(self):
        return DontSendEntry.objects.create(to_address="ne-salji@example.org", when_added=timezone.now())

    @cached_property
    def access_attempt(self):
        from axes.models import AccessAttempt

        return AccessAttempt.objects.create(
            username="urednik", ip_address="198.51.100.7", user_agent="test", failures_since_start=3
        )

    @cached_property
    def access_log(self):
        from axes.models import AccessLog

        return AccessLog.objects.create(username="urednik", ip_address="198.51.100.7", user_agent="test")

    @cached_property
    def access_failure(self):
        from axes.models import AccessFailureLog

        return AccessFailureLog.objects.create(username="urednik", ip_address="198.51.100.7", user_agent="t")

    @cached_property
    def totp_device(self):
        return TOTPDevice.objects.create(user=self.users["editor"], name="Telefon", confirmed=True)

    @cached_property
    def static_device(self):
        return StaticDevice.objects.create(user=self.users["editor"], name="Rezervni kodovi")

    def versions(self, obj):
        """Two saved versions of ``obj``, oldest first, as two admin saves would leave them."""
        for _ in range(2):
            with reversion.create_revision():
                obj.save()
        return list(Version.objects.get_for_object(obj).order_by("pk"))

    def deleted_version(self, factory):
        with reversion.create_revision():
            obj = factory()
        obj.delete()
        return Version.objects.get_deleted(type(obj)).get()


@dataclass(frozen=True)
class Access:
    """Who may open a model's list, change page and history (``view``), its add page and its delete page."""

    view: set
    add: set
    delete: set
    instance: str  # the World attribute holding an object to open


# The policy, written out rather than read from the permissions it checks.
MODEL_ACCESS = {
    "articles.article": Access(EDITORS, EDITORS, EDITORS, "article"),
    "articles.image": Access(EDITORS, EDITORS, EDITORS, "image"),
    "articles.section": Access(EDITORS, EDITORS, EDITORS, "section"),
    "articles.author": Access(EDITORS, EDITORS, EDITORS, "author"),
    "articles.tag": Access(EDITORS, EDITORS, EDITORS, "tag"),
    "articles.transliterationexception": Access(EDITORS, EDITORS, EDITORS, "transliteration_exception"),
    "articles.gallery": Access(EDITORS, EDITORS, EDITORS, "gallery"),
    "articles.liveentry": Access(EDITORS, EDITORS, EDITORS, "live_entry"),
    # Corrections and replies: the newsroom's; moderators have no part in them.
    "articles.articlenote": Access(EDITORS, EDITORS, EDITORS, "note"),
    # The pages every daily must have are the administrators'; an info page is edited, never deleted.
    "articles.impresum": Access(ADMINS, NOBODY, NOBODY, "impresum"),
    "articles.infopage": Access(ADMINS, ADMINS, NOBODY, "info_page"),
    "articles.breakingnews": Access(EDITORS, EDITORS, EDITORS, "breaking_news"),
    # Singletons: nobody adds a second one or deletes the one there is.
    "articles.sitesettings": Access(ADMINS, NOBODY, NOBODY, "site_settings"),
    "comments.commentsettings": Access(ADMINS, NOBODY, NOBODY, "comment_settings"),
    # Comments arrive through the form and reports from readers, never from the admin.
    "comments.articlecomment": Access(DESK, NOBODY, ADMINS, "comment"),
    "comments.report": Access(DESK, NOBODY, ADMINS, "report"),
    "comments.ban": Access(DESK, DESK, ADMINS, "ban"),
    # The decision log is a record: nobody writes into it by hand, not even an administrator.
    "comments.decision": Access(DESK, NOBODY, NOBODY, "decision"),
    # Readers' accounts, to look up: names change on the profile page, accounts are deleted by readers.
    "comments.readerprofile": Access(ADMINS, NOBODY, NOBODY, "reader_profile"),
    "auth.user": Access(ADMINS, ADMINS, ADMINS, "user"),
    "auth.group": Access(ADMINS, ADMINS, ADMINS, "group"),
    "sites.site": Access(ADMINS, ADMINS, ADMINS, "site"),
    "mailer.message": Access(ADMINS, ADMINS, ADMINS, "mail"),
    "mailer.messagelog": Access(ADMINS, ADMINS, ADMINS, "mail_log"),
    "mailer.dontsendentry": Access(ADMINS, ADMINS, ADMINS, "dont_send"),
    # django-axes' records of sign-in attempts are written by sign-ins only.
    "axes.accessattempt": Access(ADMINS, NOBODY, ADMINS, "access_attempt"),
    "axes.accesslog": Access(ADMINS, NOBODY, ADMINS, "access_log"),
    "axes.accessfailurelog": Access(ADMINS, NOBODY, ADMINS, "access_failure"),
    # Everyone's second factors: only administrators; staff manage their own on the two-factor page.
    "otp_totp.totpdevice": Access(ADMINS, ADMINS, ADMINS, "totp_device"),
    "otp_static.staticdevice": Access(ADMINS, ADMINS, ADMINS, "static_device"),
}

SINGLETONS = {"articles.sitesettings", "articles.impresum", "comments.commentsettings"}


@dataclass(frozen=True)
class Case:
    """An address (built from the World) and what each role gets when it opens it."""

    label: str
    url: Any
    expected: dict
    query: dict = field(default_factory=dict)


def model_cases(label, access):
    app_label, model_name = label.split(".")
    prefix = f"admin:{app_label}_{model_name}"

    def url(suffix, with_object=True):
        def build(world):
            instance = getattr(world, access.instance)  # a singleton's pages need its row
            return reverse(f"{prefix}_{suffix}", args=[instance.pk] if with_object else [])

        return build

    cases = [
        Case(f"{label} list", url("changelist", with_object=False), admin_page(access.view)),
        Case(f"{label} add", url("add", with_object=False), admin_page(access.add)),
        Case(f"{label} change", url("change"), admin_page(access.view)),
        Case(f"{label} history", url("history"), admin_page(access.view)),
        Case(f"{label} delete", url("delete"), admin_page(access.delete)),
        # The admin's bare object address only redirects to the change page, for any staff member.
        Case(
            f"{label} bare address",
            lambda world: (
                url("changelist", with_object=False)(world) + f"{getattr(world, access.instance).pk}/"
            ),
            admin_page(STAFF, ok=REDIRECT),
        ),
    ]
    if label in SINGLETONS:
        # django-solo's own page and history at the model's address, without an object id.
        cases += [
            Case(f"{label} page", url("change", with_object=False), admin_page(access.view)),
            Case(f"{label} page history", url("history", with_object=False), admin_page(access.view)),
        ]
    return cases


def versioned_cases(model_name, factory):
    """django-reversion's pages: compare two versions, restore one, recover a deleted object."""
    prefix = f"admin:articles_{model_name}"

    def compare(world):
        obj = getattr(world, model_name)
        return reverse(f"{prefix}_compare", args=[obj.pk])

    def compare_query(world):
        old, new = world.versions(getattr(world, model_name))
        return {"version_id1": old.pk, "version_id2": new.pk}

    def revision(world):
        obj = getattr(world, model_name)
        old, _ = world.versions(obj)
        return reverse(f"{prefix}_revision", args=[obj.pk, old.pk])

    return [
        Case(f"articles.{model_name} compare", compare, admin_page(EDITORS), query=compare_query),
        Case(f"articles.{model_name} restore version", revision, admin_page(EDITORS)),
        Case(
            f"articles.{model_name} deleted list",
            lambda w: reverse(f"{prefix}_recoverlist"),
            admin_page(EDITORS),
        ),
        Case(
            f"articles.{model_name} recover deleted",
            lambda w: reverse(f"{prefix}_recover", args=[w.deleted_version(factory).pk]),
            admin_page(EDITORS),
        ),
    ]


def small_image():
    """Small, so the admin's thumbnails are quick to make."""
    return ImageFactory(file=ContentFile(jpeg_bytes(120, 80), name="foto.jpg"))


ADMIN_CASES = [
    Case("admin index", lambda w: reverse("admin:index"), admin_page(STAFF)),
    Case(
        "admin sign-in",
        lambda w: reverse("admin:login"),
        everyone(OK),
    ),
    # Signing out takes a POST; a GET from someone not signed in to the admin goes to its index.
    Case(
        "admin sign-out by GET",
        lambda w: reverse("admin:logout"),
        {"anonymous": REDIRECT, "reader": REDIRECT, **dict.fromkeys(STAFF, NOT_ALLOWED)},
    ),
    Case("own password change", lambda w: reverse("admin:password_change"), admin_page(STAFF)),
    Case("own password changed", lambda w: reverse("admin:password_change_done"), admin_page(STAFF)),
    # django-two-factor-auth's screens: staff only; backup codes and switching off need a session signed in
    # with the app (these are signed in by password alone), and the QR code exists only during setup.
    Case("own two-factor sign-in", lambda w: reverse("two_factor:profile"), admin_page(STAFF)),
    Case("two-factor setup", lambda w: reverse("two_factor:setup"), admin_page(STAFF)),
    Case("two-factor QR code", lambda w: reverse("two_factor:qr"), admin_page(STAFF, ok=MISSING)),
    Case("two-factor set up", lambda w: reverse("two_factor:setup_complete"), everyone(LOGIN)),
    Case("two-factor backup codes", lambda w: reverse("two_factor:backup_tokens"), everyone(LOGIN)),
    Case("two-factor switch-off", lambda w: reverse("two_factor:disable"), admin_page(STAFF, ok=REDIRECT)),
    Case("admin translations", lambda w: reverse("admin:jsi18n"), admin_page(STAFF)),
    Case(
        "autocomplete of an article's tags",
        lambda w: reverse("admin:autocomplete"),
        admin_page(EDITORS),
        query={"app_label": "articles", "model_name": "article", "field_name": "tags", "term": "Tema"},
    ),
    Case(
        "view on site",
        lambda w: reverse(
            "admin:view_on_site", args=[ContentType.objects.get_for_model(Article).pk, w.article.pk]
        ),
        admin_page(STAFF, ok=REDIRECT),
    ),
    Case(
        "app articles",
        lambda w: reverse("admin:app_list", args=["articles"]),
        admin_page(EDITORS, refused=MISSING),
    ),
    Case(
        "app comments",
        lambda w: reverse("admin:app_list", args=["comments"]),
        admin_page(DESK, refused=MISSING),
    ),
    *[
        Case(
            f"app {app}",
            lambda w, app=app: reverse("admin:app_list", args=[app]),
            admin_page(ADMINS, refused=MISSING),
        )
        for app in ("auth", "sites", "mailer", "axes", "otp_totp", "otp_static")
    ],
    Case(
        "admin address that does not exist",
        lambda w: reverse("admin:index") + "nepostojeca-strana/",
        admin_page(STAFF, ok=MISSING),
    ),
    Case(
        "someone else's password",
        lambda w: reverse("admin:auth_user_password_change", args=[w.users["editor"].pk]),
        admin_page(ADMINS),
    ),
    Case(
        "photo picker",
        lambda w: reverse("admin:articles_image_picker"),
        admin_page(EDITORS),
        query={"q": "reka"},
    ),
    Case(
        "gallery chooser of the body editor",
        lambda w: reverse("admin:articles_gallery_picker"),
        admin_page(EDITORS),
        query={"q": "poplave"},
    ),
    Case(
        "photo library bulk upload",
        lambda w: reverse("admin:articles_image_bulk_upload"),
        admin_page(EDITORS),
    ),
    # One file of a bulk upload only answers POST; its POST is checked below.
    Case(
        "photo upload by GET",
        lambda w: reverse("admin:articles_image_upload"),
        admin_page(STAFF, ok=NOT_ALLOWED),
    ),
    Case(
        "photo batch details",
        lambda w: reverse("admin:articles_image_batch_details"),
        admin_page(EDITORS),
        query=lambda w: {"ids": f"{w.awaiting_image.pk},{w.image.pk}"},
    ),
    Case("editors' day overview", lambda w: reverse("admin:articles_overview"), admin_page(EDITORS)),
    Case(
        "live blog's quick entry page",
        lambda w: reverse("admin:articles_article_live", args=[w.live_blog.pk]),
        admin_page(EDITORS),
    ),
    Case(
        "end of live coverage confirmation",
        lambda w: reverse("admin:articles_article_live_end", args=[w.live_blog.pk]),
        admin_page(EDITORS),
    ),
    Case(
        "withdrawal confirmation",
        lambda w: reverse("admin:articles_article_withdraw", args=[w.article.pk]),
        admin_page(EDITORS),
    ),
    # The presence heartbeat only answers POST; its POST is checked below.
    Case(
        "article presence by GET",
        lambda w: reverse("admin:articles_article_presence", args=[w.article.pk]),
        admin_page(STAFF, ok=NOT_ALLOWED),
    ),
    # Autosaves and their discarding only answer POST; their POSTs are checked below.
    *[
        Case(
            f"{name} by GET",
            lambda w, name=name: reverse(f"admin:articles_article_{name}", args=[w.article.pk]),
            admin_page(STAFF, ok=NOT_ALLOWED),
        )
        for name in ("autosave", "autosave_discard")
    ],
    *[
        Case(
            f"new article {name} by GET",
            lambda w, name=name: reverse(f"admin:articles_article_add_{name}"),
            admin_page(STAFF, ok=NOT_ALLOWED),
        )
        for name in ("autosave", "autosave_discard")
    ],
    *versioned_cases("article", ArticleFactory),
    *versioned_cases("image", small_image),
    Case("moderation desk", lambda w: reverse("admin:comments_desk"), admin_page(DESK)),
    Case("own decisions", lambda w: reverse("admin:comments_desk_mine"), admin_page(DESK)),
    *[
        Case(
            f"desk {name} by GET",
            lambda w, name=name: reverse(f"admin:comments_desk_{name}"),
            admin_page(STAFF, ok=NOT_ALLOWED),
        )
        for name in ("decide", "ban", "undo")
    ],
    # Nobody reads another person's authenticator secret (OTP_ADMIN_HIDE_SENSITIVE_DATA).
    Case(
        "TOTP device secret",
        lambda w: reverse("admin:otp_totp_totpdevice_config", args=[w.totp_device.pk]),
        admin_page(NOBODY),
    ),
    Case(
        "TOTP device QR code",
        lambda w: reverse("admin:otp_totp_totpdevice_qrcode", args=[w.totp_device.pk]),
        admin_page(NOBODY),
    ),
    Case(
        "TOTP secret of no device",
        lambda w: reverse("admin:otp_totp_totpdevice_config", args=[987654]),
        admin_page(NOBODY),
    ),
]

ARTICLE = "articles:article"
PUBLIC_CASES = [
    Case("front page", lambda w: reverse("articles:home"), everyone(OK)),
    Case("search", lambda w: reverse("articles:search"), everyone(OK), query={"q": "biciklističke staze"}),
    Case("switch to Cyrillic", lambda w: reverse("articles:switch_script", args=["cir"]), everyone(REDIRECT)),
    Case("today's archive", lambda w: reverse("articles:archive_today"), everyone(REDIRECT)),
    Case("a day's archive", lambda w: reverse("articles:archive_day", args=[2024, 5, 17]), everyone(OK)),
    Case(
        "a day that never was",
        lambda w: reverse("articles:archive_day", args=[2024, 2, 30]),
        everyone(MISSING),
    ),
    Case("RSS", lambda w: reverse("articles:feed_rss"), everyone(OK)),
    Case("Atom", lambda w: reverse("articles:feed_atom"), everyone(OK)),
    Case("robots.txt", lambda w: reverse("articles:robots_txt"), everyone(OK)),
    Case("sitemap index", lambda w: reverse("articles:sitemap_index"), everyone(OK)),
    Case("news sitemap", lambda w: reverse("articles:sitemap_news"), everyone(OK)),
    Case("articles sitemap", lambda w: reverse("articles:sitemap_section", args=["clanci"]), everyone(OK)),
    Case("unknown sitemap", lambda w: reverse("articles:sitemap_section", args=["nema"]), everyone(MISSING)),
    Case("impresum", lambda w: reverse("articles:impresum"), everyone(OK)),
    *[
        Case(f"site page {key}", lambda w, key=key: f"/{key}/", everyone(OK))
        for key in ("kontakt", "uslovi-koriscenja", "privatnost", "pristupacnost")
    ],
    Case("author", lambda w: reverse("articles:author", args=[w.author.slug]), everyone(OK)),
    Case("unknown author", lambda w: reverse("articles:author", args=["niko-nepoznat"]), everyone(MISSING)),
    Case("tag", lambda w: reverse("articles:tag", args=[w.tag.slug]), everyone(OK)),
    Case("section", lambda w: reverse("articles:section", args=[w.section.slug]), everyone(OK)),
    Case("unknown section", lambda w: reverse("articles:section", args=["nema-je"]), everyone(MISSING)),
    Case("section RSS", lambda w: reverse("articles:section_feed_rss", args=[w.section.slug]), everyone(OK)),
    Case(
        "section Atom", lambda w: reverse("articles:section_feed_atom", args=[w.section.slug]), everyone(OK)
    ),
    Case("article", lambda w: w.article.get_absolute_url(), everyone(OK)),
    Case(
        "live blog's polled part",
        lambda w: reverse("articles:live_entries", args=[w.live_blog.pk]),
        everyone(OK),
    ),
    Case(
        "polled part of an article that is not live",
        lambda w: reverse("articles:live_entries", args=[w.article.pk]),
        everyone(MISSING),
    ),
    # A draft exists only for those who may preview it; to everyone else it is not there at all.
    Case(
        "draft article",
        lambda w: w.draft.get_absolute_url(),
        {**everyone(MISSING), "editor": OK, "superuser": OK},
    ),
    Case(
        "article without its slug",
        lambda w: reverse("articles:article_without_slug", args=[w.article.section.slug, w.article.pk]),
        everyone(REDIRECT),
    ),
    Case(
        "unknown article",
        lambda w: reverse(ARTICLE, args=[w.section.slug, 987654, "nema-ga"]),
        everyone(MISSING),
    ),
    Case(
        "comment permalink", lambda w: reverse("comments:permalink", args=[w.comment.pk]), everyone(REDIRECT)
    ),
    Case(
        "permalink of a held comment",
        lambda w: reverse("comments:permalink", args=[w.pending_comment.pk]),
        everyone(MISSING),
    ),
    Case("more comment threads", lambda w: reverse("comments:more", args=[w.article.pk]), everyone(OK)),
    Case("more threads of a draft", lambda w: reverse("comments:more", args=[w.draft.pk]), everyone(MISSING)),
    Case("report form", lambda w: reverse("comments:report", args=[w.comment.pk]), everyone(OK)),
    Case("reaction by GET", lambda w: reverse("comments:react", args=[w.comment.pk]), everyone(NOT_ALLOWED)),
    Case(
        "comment edit by GET", lambda w: reverse("comments:edit", args=[w.comment.pk]), everyone(NOT_ALLOWED)
    ),
    Case("comment list's buttons by GET", lambda w: reverse("comments:list_button"), everyone(NOT_ALLOWED)),
    Case("reader identity by GET", lambda w: reverse("comments:reader"), everyone(NOT_ALLOWED)),
    Case("own reactions", lambda w: reverse("comments:my_reactions", args=[w.article.pk]), everyone(OK)),
    Case("reaction words stylesheet", lambda w: reverse("comments:reaction_words"), everyone(OK)),
    Case(
        "own reactions under a draft",
        lambda w: reverse("comments:my_reactions", args=[w.draft.pk]),
        everyone(MISSING),
    ),
    Case("comment form by GET", lambda w: reverse("comments:post"), everyone(NOT_ALLOWED)),
    Case(
        "address confirmation, bad link",
        lambda w: reverse("comments:verify", args=["nevazeci"]),
        everyone(BAD),
    ),
    Case(
        "unsubscribe, bad link", lambda w: reverse("comments:unsubscribe", args=["nevazeci"]), everyone(BAD)
    ),
    Case("my comments: ask for a link", lambda w: reverse("comments:my_comments_request"), everyone(OK)),
    Case(
        "my comments, bad link", lambda w: reverse("comments:my_comments", args=["nevazeci"]), everyone(BAD)
    ),
    Case(
        "deleting my comments, bad link",
        lambda w: reverse("comments:my_comments_delete", args=["nevazeci"]),
        everyone(BAD),
    ),
    # A reader's own pages: anonymous readers are sent to the readers' sign-in, staff are not readers.
    Case(
        "a reader's comments",
        lambda w: reverse("reader_comments"),
        {role: REDIRECT if role == "anonymous" else OK if role == "reader" else DENIED for role in ROLES},
    ),
    Case(
        "deleting a reader's account (the confirmation page)",
        lambda w: reverse("reader_account_delete"),
        {role: REDIRECT if role == "anonymous" else OK if role == "reader" else DENIED for role in ROLES},
    ),
    Case("photo file", lambda w: w.image.file.url, everyone(OK)),
    Case("missing media file", lambda w: settings.MEDIA_URL + "nema/slike.jpg", everyone(MISSING)),
    Case(
        "file outside the media folder", lambda w: settings.MEDIA_URL + "../config/settings.py", everyone(BAD)
    ),
]

# Readers' accounts under /nalog/ (comments/account_urls.py): the signed-in (readers, and staff signed in to
# the admin) are sent on from the sign-in and sign-up pages; staff are refused on the profile.
SIGNED_IN = {role: REDIRECT for role in ROLES if role != "anonymous"}
ACCOUNT_CASES = [
    Case(
        "reader profile",
        lambda w: reverse("reader_profile"),
        {"anonymous": REDIRECT, "reader": OK, **dict.fromkeys(STAFF, DENIED)},
    ),
    Case("reader sign-in by password", lambda w: reverse("account_login"), everyone(REDIRECT)),
    Case(
        "reader sign-in by code",
        lambda w: reverse("account_request_login_code"),
        {"anonymous": OK, **SIGNED_IN},
    ),
    Case("reader sign-in code", lambda w: reverse("account_confirm_login_code"), everyone(REDIRECT)),
    Case("reader sign-up", lambda w: reverse("account_signup"), {"anonymous": OK, **SIGNED_IN}),
    Case(
        "reader address confirmation",
        lambda w: reverse("account_email_verification_sent"),
        everyone(REDIRECT),
    ),
    Case(
        "reader sign-out",
        lambda w: reverse("account_logout"),
        {"anonymous": REDIRECT, **dict.fromkeys(ROLES[1:], OK)},
    ),
    Case("reader account inactive", lambda w: reverse("account_inactive"), everyone(OK)),
    *[
        Case(f"readers have no {name}", lambda w, name=name: reverse(name), everyone(MISSING))
        for name in [
            "account_reauthenticate",
            "account_request_reauthentication_code",
            "account_confirm_reauthentication_code",
            "account_email",
            "account_change_password",
            "account_set_password",
            "account_reset_password",
            "account_reset_password_done",
            "account_reset_password_from_key_done",
            "socialaccount_connections",
        ]
    ],
    Case(
        "readers have no password reset link",
        lambda w: reverse("account_reset_password_from_key", args=["1", "x"]),
        everyone(MISSING),
    ),
    Case("social sign-in cancelled", lambda w: reverse("socialaccount_login_cancelled"), everyone(OK)),
    Case("social sign-in failed", lambda w: reverse("socialaccount_login_error"), everyone(UNAUTHORIZED)),
    Case(
        "social sign-up without a pending login",
        lambda w: reverse("socialaccount_signup"),
        everyone(REDIRECT),
    ),
    Case("old social sign-in cancelled", lambda w: "/nalog/social/login/cancelled/", everyone(REDIRECT)),
    Case("old social sign-in failed", lambda w: "/nalog/social/login/error/", everyone(REDIRECT)),
    Case("old social sign-up", lambda w: "/nalog/social/signup/", everyone(REDIRECT)),
    Case("old social connections", lambda w: "/nalog/social/connections/", everyone(REDIRECT)),
    Case("test provider sign-in", lambda w: reverse("dummy_login"), everyone(OK)),
    # Without the state its sign-in page started, the answer is refused.
    Case("test provider answer", lambda w: reverse("dummy_authenticate"), everyone(DENIED)),
]

CASES = [
    *[case for label, access in MODEL_ACCESS.items() for case in model_cases(label, access)],
    *ADMIN_CASES,
    *PUBLIC_CASES,
    *ACCOUNT_CASES,
]


@pytest.fixture
def users(django_user_model):
    made = {}
    for role in ROLES[1:]:
        user = django_user_model.objects.create_user(
            role,
            email=f"{role}@example.com",
            password="x",
            is_staff=role in STAFF,
            is_superuser=role == "superuser",
        )
        if role == "reader":  # a reader's account as sign-up makes it: a verified address and a profile
            user.set_unusable_password()
            user.save()
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
            ReaderProfile.objects.create(
                user=user, display_name="Čitateljka", name_key=name_key("Čitateljka")
            )
        group = {"moderator": "Moderatori", "editor": "Urednici"}.get(role)
        if group:
            user.groups.add(Group.objects.get(name=group))
        made[role] = user
    return made


def signed_in(user, **kwargs):
    client = Client(**kwargs)
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def clients(users):
    return {role: signed_in(users.get(role)) for role in ROLES}


@pytest.fixture
def world(users):
    return World(users)


@pytest.mark.parametrize("case", CASES, ids=[case.label for case in CASES])
def test_each_role_gets_the_expected_answer(clients, world, case):
    url = case.url(world)
    query = case.query(world) if callable(case.query) else case.query
    answers = {role: outcome(clients[role].get(url, query)) for role in ROLES}
    assert answers == case.expected, url


@dataclass(frozen=True)
class Change:
    """A POST that changes something, who may send it, and the state it would change."""

    label: str
    url: Any
    data: Any  # (world, acting user) -> form data
    state: Any  # world -> what the POST would change
    allowed: set


def form_of(client, url, form_id, **changes):
    """The admin form at ``url`` as a browser would send it back, with ``changes``."""
    data = admin_form_fields(client.get(url).content.decode(), form_id)
    assert data, f"no form #{form_id} at {url}"
    return {**data, **changes}


def settings_form_data(**changes):
    """The site settings page's two forms as saved now, with ``changes``."""
    forms = [
        SiteSettingsForm(instance=SiteSettings.get_solo(), prefix="sajt"),
        CommentSettingsForm(instance=CommentSettings.get_solo(), prefix="komentari"),
    ]
    data = {}
    for bound in (bound for form in forms for bound in form):
        value = bound.value()
        if value not in (None, False):
            data[bound.html_name] = "on" if value is True else value
    return {**data, **changes}


CHANGES = [
    Change(
        "publish articles from the list",
        lambda w: reverse("admin:articles_article_changelist"),
        lambda w, user: {"action": "publish_now", "_selected_action": [w.draft.pk]},
        lambda w: Article.objects.get(pk=w.draft.pk).status,
        EDITORS,
    ),
    Change(
        "delete an article",
        lambda w: reverse("admin:articles_article_delete", args=[w.article.pk]),
        lambda w, user: {"post": "yes"},
        lambda w: Article.objects.filter(pk=w.article.pk).exists(),
        EDITORS,
    ),
    Change(
        "rename a tag",
        lambda w: reverse("admin:articles_tag_change", args=[w.tag.pk]),
        lambda w, user: {"name": "Preimenovana tema", "slug": w.tag.slug},
        lambda w: Tag.objects.get(pk=w.tag.pk).name,
        EDITORS,
    ),
    Change(
        "delete a photo",
        lambda w: reverse("admin:articles_image_delete", args=[w.image.pk]),
        lambda w, user: {"post": "yes"},
        lambda w: Image.objects.filter(pk=w.image.pk).exists(),
        EDITORS,
    ),
    Change(
        "upload one photo of a bulk upload",
        lambda w: reverse("admin:articles_image_upload"),
        lambda w, user: {
            "file": SimpleUploadedFile("nova.jpg", jpeg_bytes(120, 80), content_type="image/jpeg")
        },
        lambda w: Image.objects.count(),
        EDITORS,
    ),
    Change(
        "upload photos without the page's script",
        lambda w: reverse("admin:articles_image_bulk_upload"),
        lambda w, user: {
            "files": [SimpleUploadedFile("a.jpg", jpeg_bytes(120, 80), content_type="image/jpeg")]
        },
        lambda w: Image.objects.count(),
        EDITORS,
    ),
    Change(
        "describe a batch of uploaded photos",
        lambda w: f"{reverse('admin:articles_image_batch_details')}?ids={w.awaiting_image.pk}",
        lambda w, user: {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-0-id": str(w.awaiting_image.pk),
            "form-0-alt_text": "Opis posle otpremanja",
        },
        lambda w: Image.objects.get(pk=w.awaiting_image.pk).awaiting_details,
        EDITORS,
    ),
    Change(
        "mark an editor present on an article",
        lambda w: reverse("admin:articles_article_presence", args=[w.article.pk]),
        lambda w, user: {},
        lambda w: sorted(cache.get(f"articles:editing:{w.article.pk}", {})),
        EDITORS,
    ),
    Change(
        "withdraw an article with a public notice",
        lambda w: reverse("admin:articles_article_withdraw", args=[w.article.pk]),
        lambda w, user: {"note": "Netačan naslov", "notice": "Članak je povučen."},
        lambda w: Article.objects.filter(pk=w.article.pk).values_list("status", "withdrawal_notice").get(),
        EDITORS,
    ),
    Change(
        "autosave an article's form",
        lambda w: reverse("admin:articles_article_autosave", args=[w.article.pk]),
        lambda w, user: {"title": "Nesačuvan naslov"},
        lambda w: sorted(
            ArticleAutosave.objects.filter(article=w.article).values_list("user__username", flat=True)
        ),
        EDITORS,
    ),
    Change(
        "autosave a new article's form",
        lambda w: reverse("admin:articles_article_add_autosave"),
        lambda w, user: {"new_article_key": "5f0c6a52-7f4e-4c1e-9a53-3c1f0e1d2b7a", "title": "Nov"},
        lambda w: ArticleAutosave.objects.filter(article=None).count(),
        EDITORS,
    ),
    Change(
        "discard one's autosave of an article",
        lambda w: reverse("admin:articles_article_autosave_discard", args=[w.editors_autosave.article_id]),
        lambda w, user: {},
        lambda w: ArticleAutosave.objects.filter(pk=w.editors_autosave.pk).exists(),
        EDITORS,
    ),
    Change(
        "approve comments from the list",
        lambda w: reverse("admin:comments_articlecomment_changelist"),
        lambda w, user: {"action": "approve_selected", "_selected_action": [w.pending_comment.pk]},
        lambda w: ArticleComment.objects.get(pk=w.pending_comment.pk).is_public,
        DESK,
    ),
    Change(
        "delete a comment",
        lambda w: reverse("admin:comments_articlecomment_delete", args=[w.comment.pk]),
        lambda w, user: {"post": "yes"},
        lambda w: ArticleComment.objects.filter(pk=w.comment.pk).exists(),
        ADMINS,
    ),
    Change(
        "approve a comment at the desk",
        lambda w: reverse("admin:comments_desk_decide"),
        lambda w, user: {"action": "approve", "comments": [w.pending_comment.pk]},
        lambda w: ArticleComment.objects.get(pk=w.pending_comment.pk).is_public,
        DESK,
    ),
    Change(
        "ban a commenter at the desk",
        lambda w: reverse("admin:comments_desk_ban"),
        lambda w, user: {"comment": w.comment.pk, "by_email": "on", "period": "7", "reason": "Uvrede"},
        lambda w: Ban.objects.count(),
        DESK,
    ),
    Change(
        "undo the moderator's last decision",
        lambda w: reverse("admin:comments_desk_undo"),
        lambda w, user: {},
        lambda w: Decision.objects.get(pk=w.decision.pk).undone,
        DESK,
    ),
    Change(
        "change the site and comment settings",
        lambda w: reverse("admin:comments_commentsettings_change"),
        lambda w, user: settings_form_data(**{"komentari-close_after_days": "3"}),
        lambda w: CommentSettings.get_solo().close_after_days,
        ADMINS,
    ),
    Change(
        "make an editor a superuser",
        lambda w: reverse("admin:auth_user_change", args=[w.users["editor"].pk]),
        lambda w, user: form_of(
            signed_in(w.users["superuser"]),
            reverse("admin:auth_user_change", args=[w.users["editor"].pk]),
            "user_form",
            is_superuser="on",
        ),
        lambda w: type(w.users["editor"]).objects.get(pk=w.users["editor"].pk).is_superuser,
        ADMINS,
    ),
]


@pytest.mark.parametrize("change", CHANGES, ids=[change.label for change in CHANGES])
def test_a_refused_post_changes_nothing_and_an_allowed_one_does(users, clients, world, change):
    url = change.url(world)
    before = change.state(world)
    refused = [role for role in ROLES if role not in change.allowed]
    for role in refused:
        response = clients[role].post(url, change.data(world, users.get(role)))
        assert (role, outcome(response)) == (role, LOGIN if role in OUTSIDERS else DENIED)
        assert change.state(world) == before, f"{role} changed something"
    # The least privileged allowed role: proof that the request above was one that would have worked.
    allowed = next(role for role in ROLES if role in change.allowed)
    clients[allowed].post(url, change.data(world, users[allowed]))
    assert change.state(world) != before, f"{allowed} could not do it"


def test_only_staff_set_up_an_authenticator_app(clients):
    """The setup wizard's key lives in the session, so each role opens the page before sending a code."""
    url = reverse("two_factor:setup")
    for role in ROLES:
        client = clients[role]
        page = client.get(url)
        key = page.context["secret_key"] if page.status_code == OK else "JBSWY3DPEHPK3PXP"
        data = {
            "staff_setup_view-current_step": "generator",
            "generator-token": f"{totp(b32decode(key)):06d}",
        }
        response = client.post(url, data)
        expected = LOGIN if role in OUTSIDERS else REDIRECT
        assert (role, outcome(response)) == (role, expected)
    assert sorted(TOTPDevice.objects.values_list("user__username", flat=True)) == sorted(STAFF)


def test_staff_without_a_role_sees_no_part_of_the_admin_on_its_index(clients):
    index = clients["staff"].get(reverse("admin:index")).content.decode()
    for app in ("articles", "comments", "auth", "sites", "mailer", "axes", "otp_totp", "otp_static"):
        assert reverse("admin:app_list", args=[app]) not in index, app


@pytest.mark.parametrize(
    ("endpoint", "data", "count"),
    [
        ("react", {"value": "1"}, Reaction.objects.count),
        ("report", {"reason": "spam"}, Report.objects.count),
    ],
)
def test_a_signed_in_readers_post_without_its_csrf_token_changes_nothing(users, world, endpoint, data, count):
    url = reverse(f"comments:{endpoint}", args=[world.comment.pk])
    response = signed_in(users["reader"], enforce_csrf_checks=True).post(url, data)
    assert response.status_code == DENIED
    assert count() == 0
    # Anonymous readers have no session to ride on; the same request from one counts.
    signed_in(None, enforce_csrf_checks=True).post(url, data)
    assert count() == 1


def test_a_signed_in_readers_list_button_without_its_csrf_token_changes_nothing(users, world):
    url, data = reverse("comments:list_button"), {f"l{world.comment.pk}": ""}
    response = signed_in(users["reader"], enforce_csrf_checks=True).post(url, data)
    assert response.status_code == DENIED
    assert Reaction.objects.count() == 0
    signed_in(None, enforce_csrf_checks=True).post(url, data)
    assert Reaction.objects.count() == 1


def test_a_signed_in_readers_comment_without_its_csrf_token_is_not_stored(users, world):
    article_url = world.article.get_absolute_url()
    before = ArticleComment.objects.count()
    for user, expected in [(users["reader"], DENIED), (None, REDIRECT)]:
        client = signed_in(user, enforce_csrf_checks=True)
        fields = comment_form_fields(client.get(article_url).content.decode())
        fields.pop("csrfmiddlewaretoken", None)
        fields.update(name="Milena Petrović", email="milena@example.org", comment="Zanimljiv tekst, hvala.")
        assert outcome(client.post(reverse("comments:post"), fields)) == expected
        assert ArticleComment.objects.count() == before + (expected == REDIRECT)


def routes(resolver=None, prefix="", namespace=""):
    """Every concrete route, spelled as ``ResolverMatch.route`` spells it when an address matches it."""
    for entry in (resolver or get_resolver()).url_patterns:
        pattern = str(entry.pattern)
        route = prefix + pattern.removeprefix("^") if prefix else pattern
        if isinstance(entry, URLResolver):
            yield from routes(entry, route, entry.namespace or namespace)
        else:
            name = entry.name or "(unnamed)"
            yield route, f"{namespace}:{name}" if namespace else name


# Routes no address can reach, each with the reason.
UNREACHABLE = {
    # django-solo answers the singleton's list address with the settings page itself.
    "admin:articles_sitesettings_changelist",
    "admin:articles_impresum_changelist",
    "admin:comments_commentsettings_changelist",
}


def test_every_route_has_an_expectation(world):
    addresses = [case.url(world) for case in CASES] + [change.url(world) for change in CHANGES]
    covered = {resolve(urlsplit(address).path).route for address in addresses}
    missing = sorted(
        f"{name} ({route})" for route, name in routes() if route not in covered and name not in UNREACHABLE
    )
    assert not missing, "routes without an expectation in the access matrix: " + ", ".join(missing)
