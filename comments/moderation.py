"""Everything that changes what readers see of a comment: approval, removal, reports and reactions.

Each change keeps ``Article.comment_count`` exact, and none touches a comment's replies.
"""

from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from articles.models import Article

from .models import ArticleComment, CommentSettings, CommentToken, Reaction, Report

UNSUBSCRIBE_VALID_FOR = timedelta(days=30)


def refresh_comment_count(article_id):
    count = ArticleComment.objects.filter(article_id=article_id).visible().count()
    Article.objects.filter(pk=article_id).update(comment_count=count)


def _locked(comment):
    # The manager joins the (nullable) user; PostgreSQL cannot lock across an outer join.
    return ArticleComment.objects.select_related(None).select_for_update().get(pk=comment.pk)


def approve(comment):
    """Publishes the comment (and clears a report hiding); its author's parent gets a reply notice."""
    with transaction.atomic():
        comment = _locked(comment)
        was_visible = comment.is_visible
        comment.is_public, comment.is_removed, comment.hidden_by_reports = True, False, False
        comment.report_count, comment.moderated_at = 0, timezone.now()
        comment.save(
            update_fields=["is_public", "is_removed", "hidden_by_reports", "report_count", "moderated_at"]
        )
        refresh_comment_count(comment.article_id)
        if not was_visible and comment.level > 0:
            notify_parent_author(comment)
    return comment


def reject(comment):
    """Removes the comment from readers' view for good; its text is never shown."""
    with transaction.atomic():
        comment = _locked(comment)
        comment.is_public, comment.is_removed, comment.moderated_at = False, True, timezone.now()
        comment.save(update_fields=["is_public", "is_removed", "moderated_at"])
        refresh_comment_count(comment.article_id)
    return comment


def notify_parent_author(reply):
    """Queues the "someone replied to you" e-mail, when the parent's author asked for it."""
    parent = ArticleComment.objects.filter(pk=reply.parent_id).exclude(pk=reply.pk).first()
    if (
        parent is None
        or not parent.followup
        or not parent.user_email
        or parent.user_email.lower() == reply.user_email.lower()
    ):
        return
    token = CommentToken.issue(parent, CommentToken.Purpose.UNSUBSCRIBE, valid_for=UNSUBSCRIBE_VALID_FOR)
    unsubscribe_url = settings.SITE_URL + reverse("comments:unsubscribe", kwargs={"token": token})
    context = {
        "parent": parent,
        "reply": reply,
        "article": reply.article,
        "reply_url": settings.SITE_URL + reply.get_absolute_url(),
        "unsubscribe_url": unsubscribe_url,
        "valid_days": UNSUBSCRIBE_VALID_FOR.days,
    }
    EmailMessage(
        subject=render_to_string("comments/email/reply_subject.txt", context).strip(),
        body=render_to_string("comments/email/reply_body.txt", context),
        to=[parent.user_email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    ).send()


def react(comment, reader_key, value):
    """Sets, changes or (same value again) withdraws a reader's reaction; returns the reaction now."""
    with transaction.atomic():
        existing = Reaction.objects.select_for_update().filter(comment=comment, reader_key=reader_key).first()
        if existing is None:
            try:
                with transaction.atomic():
                    Reaction.objects.create(comment=comment, reader_key=reader_key, value=value)
            except IntegrityError:  # the same reader's parallel request won
                return None
            _count(comment, value, +1)
            return value
        _count(comment, existing.value, -1)
        if existing.value == value:
            existing.delete()
            return None
        existing.value = value
        existing.save(update_fields=["value", "created_at"])
        _count(comment, value, +1)
        return value


def _count(comment, value, delta):
    field = "like_count" if value == Reaction.LIKE else "dislike_count"
    ArticleComment.objects.filter(pk=comment.pk).update(**{field: F(field) + delta})


def report(comment, reader_key, reason, note=""):
    """Records one reader's report; returns False if this reader had reported it already.

    Enough reports from distinct readers hide the comment until a moderator decides.
    """
    with transaction.atomic():
        try:
            with transaction.atomic():
                Report.objects.create(comment=comment, reader_key=reader_key, reason=reason, note=note)
        except IntegrityError:
            return False
        reports = Report.objects.filter(comment=comment)
        if comment.moderated_at:  # a moderator has already ruled on the earlier reports
            reports = reports.filter(created_at__gt=comment.moderated_at)
        count = reports.count()
        hide = count >= CommentSettings.get_solo().reports_to_hide
        ArticleComment.objects.filter(pk=comment.pk).update(
            report_count=count, **({"hidden_by_reports": True} if hide else {})
        )
        if hide:
            refresh_comment_count(comment.article_id)
    return True
