"""Accepting a reader's comment: when commenting is open, what is refused, and storing it held."""

import re
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_comments_xtd.models import MaxThreadLevelExceededException

from articles.models import Article

from .models import ArticleComment, CommentToken, HoldReason

_LINK = re.compile(r"(https?://|www\.)\S+", re.IGNORECASE)
DUPLICATE_WINDOW = timedelta(days=1)
VERIFICATION_VALID_FOR = timedelta(days=3)


class CommentRefused(Exception):
    """A comment that will not be stored, with the reason to show the reader and the HTTP status."""

    def __init__(self, message, status=400):
        super().__init__(message)
        self.message = message
        self.status = status


def client_ip(request):
    return request.META.get(settings.RATELIMIT_IP_META_KEY) or request.META.get("REMOTE_ADDR") or None


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
    return None


def hold_reasons_for(text, email_verified, comment_settings):
    reasons = []
    if len(_LINK.findall(text)) > comment_settings.max_links:
        reasons.append(HoldReason.LINKS)
    if comment_settings.require_email_verification and not email_verified:
        reasons.append(HoldReason.UNVERIFIED_EMAIL)
    return reasons


def submit_comment(*, form, article, request, comment_settings):
    """Stores the comment, never public, with its hold reasons; everything or nothing."""
    data = form.cleaned_data
    email = data["email"]
    user = request.user if request.user.is_authenticated else None
    email_verified = bool(user and user.email and user.email.lower() == email.lower())
    duplicate = ArticleComment.objects.filter(
        article=article,
        user_email__iexact=email,
        comment=data["comment"],
        submit_date__gte=timezone.now() - DUPLICATE_WINDOW,
    )
    if duplicate.exists():
        raise CommentRefused(
            _("You have already sent this comment; it is waiting for a moderator."), status=409
        )

    comment = ArticleComment(
        content_type=ContentType.objects.get_for_model(Article),
        object_pk=str(article.pk),
        article=article,
        site_id=settings.SITE_ID,
        user=user,
        user_name=data["name"],
        user_email=email,
        comment=data["comment"],
        ip_address=client_ip(request),
        is_public=False,
        is_removed=False,
        followup=data["followup"],
        parent_id=data["reply_to"] or 0,
        email_verified=email_verified,
        hold_reasons=hold_reasons_for(data["comment"], email_verified, comment_settings),
    )
    try:
        with transaction.atomic():
            comment.save()
            if HoldReason.UNVERIFIED_EMAIL in comment.hold_reasons:
                send_verification_email(comment)
    except MaxThreadLevelExceededException as error:
        raise CommentRefused(_("Replies to this comment are not possible.")) from error
    return comment


def send_verification_email(comment):
    token = CommentToken.issue(comment, CommentToken.Purpose.VERIFY_EMAIL, valid_for=VERIFICATION_VALID_FOR)
    context = {
        "comment": comment,
        "article": comment.article,
        "link": settings.SITE_URL + reverse("comments:verify", kwargs={"token": token}),
        "valid_days": VERIFICATION_VALID_FOR.days,
    }
    EmailMessage(
        subject=render_to_string("comments/email/verify_subject.txt", context).strip(),
        body=render_to_string("comments/email/verify_body.txt", context),
        to=[comment.user_email],
    ).send()
