"""Accepting a reader's comment: when commenting is open, what is refused, and how it is stored.

A comment is stored held for a moderator, except that a banned word rejects it at once and, when the trust
ladder is on, a proven commenter's comment is published; either way the decision is recorded.

Trust needs proof that the address is the poster's: a signed-in account with that address, or the
verification link mailed to it. Only approved comments whose address was proven count toward trust, and a
comment is published on trust only once its own address is proven: at once for a signed-in account, when the
link is opened for anyone else. Anyone can type a regular's address into the form.
"""

import functools
import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMessage
from django.db import connection, transaction
from django.db.models import Count, Min, OuterRef, Q, Subquery
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django_comments_xtd.models import MaxThreadLevelExceededException

from articles.models import Article
from config.delivery.client_address import client_address
from config.delivery.reader_script import current_script, in_reader_script, reader_script

from . import moderation
from .models import (
    ArticleComment,
    Ban,
    CommentSettings,
    CommentToken,
    Decision,
    HoldReason,
    ReaderProfile,
    RejectReason,
)
from .wordlists import WordList

_LINK = re.compile(r"(https?://|www\.)\S+", re.IGNORECASE)
DUPLICATE_WINDOW = timedelta(days=1)
VERIFICATION_VALID_FOR = timedelta(days=3)


class CommentRefused(Exception):
    """A comment that will not be stored, with the reason to show the reader and the HTTP status."""

    def __init__(self, message, status=400):
        super().__init__(message)
        self.message = message
        self.status = status


def outside_desk_hours(comment_settings, now=None):
    """True when desk hours are set and the desk is closed now (hours may span midnight)."""
    if not comment_settings.desk_hours_enabled:
        return False
    local = timezone.localtime(now or timezone.now()).time()
    opens, closes = comment_settings.desk_opens, comment_settings.desk_closes
    if opens <= closes:
        return not opens <= local < closes
    return closes <= local < opens


def after_hours_notice(comment_settings):
    """What the form says outside desk hours when comments are still accepted, or ""."""
    if comment_settings.after_hours == comment_settings.AfterHours.NOTICE and outside_desk_hours(
        comment_settings
    ):
        opens = time_format(comment_settings.desk_opens, "H:i")
        return _("Moderators are back at %(time)s: comments sent now will be reviewed in the morning.") % {
            "time": opens
        }
    return ""


def closing_reason(article, comment_settings):
    """Why readers cannot comment on this article now, or None when they can.

    ``article`` comes from ``Article.objects.with_publication_state()``.
    """
    if not article.is_live:
        return _("Comments are not possible on this article.")
    if not article.comments_enabled:
        return _("Comments are closed.")
    days = comment_settings.close_after_days
    if days and article.published_at + timedelta(days=days) < timezone.now():
        return _("Comments are closed.")
    if comment_settings.after_hours == comment_settings.AfterHours.PAUSE and outside_desk_hours(
        comment_settings
    ):
        opens = time_format(comment_settings.desk_opens, "H:i")
        return _("Commenting is paused for the night and opens again at %(time)s.") % {"time": opens}
    return None


ACCOUNT_NOT_READY = (
    "Da biste komentarisali prijavljeni, potrebni su vam potvrđena e-adresa i ime koje se prikazuje. "
    "Podesite ih na stranici svog naloga."
)


@dataclass(frozen=True)
class ReaderAccount:
    """A signed-in reader as the comment form knows them: the name shown and the account's proven address.

    Either may be empty while the account is not ready to comment (no profile yet, no verified address).
    """

    user_id: int
    name: str
    email: str

    @property
    def ready(self):
        return bool(self.name and self.email)


def reader_account(user):
    """The signed-in reader commenting with their account, in one query; None for anonymous readers and
    for staff, who keep typing a name and an address as before."""
    if not user.is_authenticated or user.is_staff:
        return None
    verified = EmailAddress.objects.filter(user=OuterRef("pk"), verified=True).order_by("-primary", "pk")
    row = (
        get_user_model()
        .objects.filter(pk=user.pk)
        .annotate(
            shown_name=Subquery(ReaderProfile.objects.filter(user=OuterRef("pk")).values("display_name")[:1]),
            proven_email=Subquery(verified.filter(primary=True).values("email")[:1]),
        )
        .values_list("shown_name", "proven_email")
        .first()
    )
    name, email = row or ("", "")
    return ReaderAccount(user_id=user.pk, name=name or "", email=email or "")


@functools.lru_cache(maxsize=8)
def word_list(entries_text):
    """A compiled word list, remembered while the administrators' text stays the same."""
    return WordList(entries_text.splitlines())


@dataclass(frozen=True)
class CommenterHistory:
    approved: int = 0
    proven_approved: int = 0
    rejected: int = 0
    recent_rejections: int = 0
    first_seen: datetime | None = None


def commenter_history(email_key, clean_days=30):
    """How this e-mail address has fared so far, in one query."""
    since = timezone.now() - timedelta(days=clean_days)
    history = ArticleComment.objects.filter(email_key=email_key).aggregate(
        approved=Count("pk", filter=Q(is_public=True, is_removed=False)),
        proven_approved=Count("pk", filter=Q(is_public=True, is_removed=False, email_verified=True)),
        rejected=Count("pk", filter=Q(is_removed=True)),
        recent_rejections=Count("pk", filter=Q(is_removed=True, moderated_at__gte=since)),
        first_seen=Min("submit_date"),
    )
    return CommenterHistory(**history)


def asks_for_proof(email_verified, comment_settings):
    """Whether the address gets a verification link: when the site requires it, and whenever trust could
    follow from it. Asking everyone alike tells a poster nothing about whose address they typed."""
    return not email_verified and (
        comment_settings.require_email_verification or comment_settings.trust_enabled
    )


def hold_reasons_for(text, email_verified, comment_settings, history):
    reasons = []
    if len(_LINK.findall(text)) > comment_settings.max_links:
        reasons.append(HoldReason.LINKS)
    if word_list(comment_settings.suspect_words).find(text):
        reasons.append(HoldReason.SUSPECT_WORD)
    if asks_for_proof(email_verified, comment_settings):
        reasons.append(HoldReason.UNVERIFIED_EMAIL)
    if not history.approved:
        reasons.append(HoldReason.NEW_COMMENTER)
    return reasons


def is_trusted(history, hold_reasons, comment_settings, email_verified):
    """The trust ladder: this comment's address proven, enough approved comments from a proven address, no
    recent rejection, nothing else to look at."""
    blocking = set(hold_reasons) - {HoldReason.NEW_COMMENTER, HoldReason.UNVERIFIED_EMAIL}
    return (
        comment_settings.trust_enabled
        and email_verified
        and not blocking
        and history.proven_approved >= comment_settings.trust_min_approved
        and not history.recent_rejections
    )


def one_post_at_a_time(article, email_key):
    """Posts from one address under one article wait for each other until the transaction ends.

    A second click sends the form again while the first post is on its way; after the wait, its duplicate
    check sees the first comment. On SQLite each transaction takes the write lock when it begins (IMMEDIATE),
    so posts wait for each other there without a lock of their own.
    """
    if connection.vendor == "postgresql":
        key = hashlib.blake2b(f"{article.pk}:{email_key}".encode(), digest_size=8).digest()
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [int.from_bytes(key, "big", signed=True)])


def submit_comment(*, form, article, request, comment_settings, account=None):
    """Stores the comment with its hold reasons and any automatic decision; everything or nothing.

    ``account`` (reader_account()) is a signed-in reader's: the form's name and address are theirs, and the
    address is proven because the account's is verified.
    """
    data = form.cleaned_data
    email, text = data["email"], data["comment"]
    email_key = email.strip().lower()
    ip_address = client_address(request)
    user = request.user if request.user.is_authenticated else None
    if Ban.objects.active().matching(email_key, ip_address, user=user).exists():
        raise CommentRefused(_("Your comment cannot be published."), status=403)
    duplicate = ArticleComment.objects.filter(
        article=article, email_key=email_key, comment=text, submit_date__gte=timezone.now() - DUPLICATE_WINDOW
    )

    if account is not None:
        email_verified = account.ready and account.email.strip().lower() == email_key
    else:  # staff signed in: their own account's address (they never have a reader profile)
        email_verified = bool(user and user.is_staff and user.email and user.email.lower() == email_key)
    history = commenter_history(email_key, comment_settings.trust_clean_days)
    hold_reasons = hold_reasons_for(text, email_verified, comment_settings, history)
    banned = word_list(comment_settings.banned_words).find(text)
    comment = ArticleComment(
        content_type=ContentType.objects.get_for_model(Article),
        object_pk=str(article.pk),
        article=article,
        site_id=settings.SITE_ID,
        user=user,
        user_name=data["name"],
        user_email=email,
        comment=text,
        ip_address=ip_address,
        is_public=False,
        is_removed=False,
        followup=data["followup"],
        notify_outcome=account is None and data.get("notify_outcome", False),
        parent_id=data["reply_to"] or 0,
        script=current_script(),
        email_verified=email_verified,
        hold_reasons=hold_reasons,
    )
    try:
        with transaction.atomic():
            one_post_at_a_time(article, email_key)
            if duplicate.exists():
                raise CommentRefused(
                    _("You have already sent this comment; it is waiting for a moderator."), status=409
                )
            comment.save()
            if banned:
                entries = ", ".join(sorted({match.entry for match in banned}))
                moderation.decide(
                    [comment.pk], Decision.Action.REJECT, reason=RejectReason.BANNED_WORD, note=entries
                )
            elif is_trusted(history, hold_reasons, comment_settings, email_verified):
                moderation.decide([comment.pk], Decision.Action.APPROVE, reason="trusted")
            if HoldReason.UNVERIFIED_EMAIL in hold_reasons and not banned:
                send_verification_email(comment)
            # In the transaction: a database lost after the commit cannot turn a stored comment into a 503.
            comment.refresh_from_db(fields=["is_public", "is_removed"])
    except MaxThreadLevelExceededException as error:
        raise CommentRefused(_("Replies to this comment are not possible.")) from error
    return comment


@dataclass(frozen=True)
class Verification:
    comment: ArticleComment
    published: bool


def verify_address(token):
    """Marks the comment a verification link names as having a proven address; None if the link is not valid.

    A comment still waiting for a moderator is then published if its commenter is trusted: the link proves
    this comment's address and no other.
    """
    with transaction.atomic():  # the link is used once, whole: a double click waits for the first
        found = (
            CommentToken.objects.usable(token, CommentToken.Purpose.VERIFY_EMAIL)
            .select_for_update(of=("self",))
            .select_related("comment")
            .first()
        )
        if found is None:
            return None
        comment = found.comment
        comment.email_verified = True
        comment.hold_reasons = [
            reason for reason in comment.hold_reasons if reason != HoldReason.UNVERIFIED_EMAIL
        ]
        comment.save(update_fields=["email_verified", "hold_reasons"])
        found.used_at = timezone.now()
        found.save(update_fields=["used_at"])
        published = False
        comment_settings = CommentSettings.get_solo()
        pending = not (comment.is_public or comment.is_removed)
        if pending and comment.email_key:
            history = commenter_history(comment.email_key, comment_settings.trust_clean_days)
            if is_trusted(history, comment.hold_reasons, comment_settings, comment.email_verified):
                seen = {comment.pk: comment.version}  # a moderator's decision in the meantime stands
                approve = Decision.Action.APPROVE
                outcome = moderation.decide([comment.pk], approve, reason="trusted", versions=seen)
                published = bool(outcome.applied)
    return Verification(comment=comment, published=published)


def stop_reply_notices(token):
    """Used unsubscribe link ``token``: no more e-mails about replies to its comment (no page shows this)."""
    with transaction.atomic():
        ArticleComment.objects.filter(pk=token.comment_id).update(followup=False)
        CommentToken.objects.filter(pk=token.pk).update(used_at=timezone.now())


def send_verification_email(comment):
    token = CommentToken.issue(comment, CommentToken.Purpose.VERIFY_EMAIL, valid_for=VERIFICATION_VALID_FOR)
    with reader_script(comment.script):  # the reader's script, for the text and the link alike
        context = {
            "comment": comment,
            "article": comment.article,
            "link": settings.SITE_URL + reverse("comments:verify", kwargs={"token": token}),
            "valid_days": VERIFICATION_VALID_FOR.days,
        }
        subject = in_reader_script(render_to_string("comments/email/verify_subject.txt", context).strip())
        body = in_reader_script(render_to_string("comments/email/verify_body.txt", context))
    EmailMessage(subject=subject, body=body, to=[comment.user_email]).send()
