"""Everything that changes what readers see of comments: decisions, bans, edits, reports, reactions, settings.

Every decision is recorded (who, when, what, why, state before and after), keeps ``Article.comment_count``
exact, and never touches a comment's replies. Deciding on many comments costs the same number of queries as
deciding on one.

Each write here ends in one ``invalidate``. A comment that appears (approved, featured, published on trust)
and a reaction may reach cached pages a few seconds late (``may_lag``); a comment that disappears (rejected,
hidden, removed, deleted, a decision undone), an edited comment, a ban and the settings show at once.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from config.delivery import invalidation
from config.delivery.invalidation import COMMENTS, SITE, invalidate
from config.delivery.reader_script import in_reader_script, reader_script

from .models import (
    ArticleComment,
    Ban,
    CommentSettings,
    CommentToken,
    Decision,
    Reaction,
    RejectReason,
    Report,
    hash_token,
    moderation_state,
    visible_condition,
)

UNSUBSCRIBE_VALID_FOR = timedelta(days=30)
# How long a network's reactions and reports count against its caps.
SIGNAL_WINDOW = timedelta(hours=24)
Action = Decision.Action

# What each decision sets; everything else about the comment stays as it was.
ACTION_CHANGES = {
    Action.APPROVE: {"is_public": True, "is_removed": False, "hidden_by_reports": False, "reject_reason": ""},
    Action.FEATURE: {
        "is_public": True,
        "is_removed": False,
        "hidden_by_reports": False,
        "reject_reason": "",
        "is_featured": True,
    },
    Action.UNFEATURE: {"is_featured": False},
    Action.REJECT: {"is_public": False, "is_removed": True, "is_featured": False},
    Action.HIDE: {"hidden_by_reports": True},
    # An author's correction of an approved comment (comments/editing.py): taken in, or dropped.
    Action.APPROVE_EDIT: {"edited_text": "", "edited_at": None},
    Action.REJECT_EDIT: {"edited_text": "", "edited_at": None},
}
EDIT_ACTIONS = {Action.APPROVE_EDIT, Action.REJECT_EDIT}

# Decisions their authors hear of, if their account asks (ReaderProfile.notify_outcomes).
OUTCOMES = {Action.APPROVE, Action.REJECT}
# Decisions that only bring comments into view (or reorder them): cached pages may show them a little late.
MAY_LAG = {Action.APPROVE, Action.FEATURE, Action.UNFEATURE}


@dataclass
class Outcome:
    applied: list = field(default_factory=list)
    conflicts: list = field(default_factory=list)


def refresh_comment_counts(article_ids, *, may_lag=False):
    """Recounts what readers see under these articles, in one query however many there are.

    Every change readers can see of comments (approval, removal, featuring, hiding) ends with this recount,
    which tells their pages: at once, or ``may_lag`` for a change that only brings comments into view.
    """
    visible = (
        ArticleComment.objects.filter(article=OuterRef("pk"))
        .filter(visible_condition())
        .order_by()
        .values("article")
        .annotate(count=Count("pk"))
        .values("count")
    )
    article_ids = sorted(set(article_ids))
    with transaction.atomic():
        # Recounts of one article take turns: the count then runs after the lock is ours and sees what the
        # recount before committed (an UPDATE that waited would count with the snapshot it started with).
        # NO KEY UPDATE does not wait for comments being inserted, whose foreign keys hold KEY SHARE.
        locked = Article.objects.select_for_update(no_key=True).filter(pk__in=article_ids).order_by("pk")
        list(locked.values_list("pk", flat=True))
        Article.objects.filter(pk__in=article_ids).update(comment_count=Coalesce(Subquery(visible), 0))
    if article_ids:
        invalidate(*map(invalidation.article, article_ids), may_lag=may_lag)
        invalidate(COMMENTS, may_lag=True)  # the counts on other pages' cards may lag


def refresh_comment_count(article_id, *, may_lag=False):
    refresh_comment_counts([article_id], may_lag=may_lag)


def decide(comment_ids, action, *, moderator=None, reason="", note="", versions=None):
    """Applies one decision to each comment and records it.

    ``versions`` maps comment ids to the version the moderator saw: a comment decided on by someone else in
    the meantime is left as it is, and the late decision is recorded as not applied.
    """
    versions = versions or {}
    changes = dict(ACTION_CHANGES[action])
    state = _edit_state if action in EDIT_ACTIONS else moderation_state
    if action == Action.REJECT:
        changes["reject_reason"] = reason
    with transaction.atomic():
        comments = list(
            ArticleComment.objects.select_related(None)
            .select_for_update()
            .filter(pk__in=comment_ids)
            .not_withdrawn()
            .order_by("pk")
        )
        outcome, decisions, newly_visible, decided = Outcome(), [], [], []
        for comment in comments:
            before = state(comment)
            seen = versions.get(comment.pk)
            stale = seen is not None and seen != comment.version
            if stale or (action in EDIT_ACTIONS and not comment.edited_at):
                outcome.conflicts.append(comment)
                decisions.append(
                    _decision(comment, action, moderator, reason, note, before, before, applied=False)
                )
                continue
            was_visible = comment.is_visible
            if action == Action.APPROVE_EDIT:
                comment.comment = comment.edited_text
            for name, value in changes.items():
                setattr(comment, name, value)
            comment.version += 1
            decisions.append(_decision(comment, action, moderator, reason, note, before, state(comment)))
            outcome.applied.append(comment)
            if comment.is_visible and not was_visible:
                newly_visible.append(comment)
            wants_outcome = comment.user_id or comment.notify_outcome
            if action in OUTCOMES and moderation_state(comment) != before and wants_outcome:
                decided.append(comment.pk)
        if outcome.applied:
            _store(outcome.applied, action, changes)
        Decision.objects.bulk_create(decisions)
        refresh_comment_counts((comment.article_id for comment in outcome.applied), may_lag=action in MAY_LAG)
        notify_parent_authors([comment for comment in newly_visible if comment.level > 0])
        if decided:  # once the decision stands: a rolled-back one tells nobody anything
            transaction.on_commit(lambda: notify_outcomes(decided, action))
    return outcome


def _edit_state(comment):
    """An edit decision's state: the texts too, so that undoing it puts them back."""
    edited_at = comment.edited_at
    if isinstance(edited_at, datetime):  # a string when an undo has just put it back
        edited_at = edited_at.isoformat()
    return {"comment": comment.comment, "edited_text": comment.edited_text, "edited_at": edited_at}


def notify_outcomes(comment_ids, action):
    """Mails the authors of these comments who asked for it (an account on its page, anyone else in the form)
    what the moderator decided: published, or rejected with the reason in words (never the moderator's note).
    In the comment's script."""
    from .my_comments import rejection_words  # my_comments imports this module

    comments = (
        ArticleComment.objects.filter(pk__in=comment_ids)
        .filter(Q(user__reader_profile__notify_outcomes=True) | Q(user__isnull=True, notify_outcome=True))
        .select_related("article", "user__reader_profile")
        .exclude(user_email="")
    )
    messages = []
    for comment in comments:
        with reader_script(comment.script):
            context = {
                "comment": comment,
                "article": comment.article,
                "approved": action == Action.APPROVE,
                "reason": rejection_words(comment),
                "name": comment.user.reader_profile.display_name if comment.user_id else comment.user_name,
                "has_account": bool(comment.user_id),
                "comment_url": settings.SITE_URL + comment.get_absolute_url(),
                "my_comments_url": settings.SITE_URL
                + reverse("reader_comments" if comment.user_id else "comments:my_comments_request"),
            }
            subject = render_to_string("comments/email/outcome_subject.txt", context).strip()
            subject = in_reader_script(subject)
            body = in_reader_script(render_to_string("comments/email/outcome_body.txt", context))
        messages.append(EmailMessage(subject=subject, body=body, to=[comment.user_email]))
    if messages:
        get_connection().send_messages(messages)


def _decision(comment, action, moderator, reason, note, before, after, applied=True):
    return Decision(
        comment=comment,
        moderator=moderator,
        action=action,
        reason=reason,
        note=note[:300],
        state_before=before,
        state_after=after,
        applied=applied,
    )


def _store(comments, action, changes):
    extra = {"version": F("version") + 1}
    if action in (Action.APPROVE, Action.FEATURE, Action.REJECT):
        extra.update(moderated_at=timezone.now())
    if action in (Action.APPROVE, Action.FEATURE):
        extra.update(report_count=0)  # reports so far are ruled on
    ArticleComment.objects.filter(pk__in=[comment.pk for comment in comments]).update(**changes, **extra)
    if action == Action.APPROVE_EDIT:  # the text is the parent table's: one more query for them all
        ArticleComment.objects.bulk_update(comments, ["comment"])


def approve(comment, moderator=None):
    return decide([comment.pk], Action.APPROVE, moderator=moderator)


def reject(comment, moderator=None, reason="", note=""):
    return decide([comment.pk], Action.REJECT, moderator=moderator, reason=reason, note=note)


def undo_last(moderator):
    """Puts back the state before this moderator's last applied decision, and records that."""
    last = (
        Decision.objects.filter(moderator=moderator, applied=True, undone=False)
        .exclude(action=Action.UNDO)
        .exclude(comment__decisions__action=Action.WITHDRAW)
        .select_related("comment")
        .first()
    )
    if last is None:
        return None
    with transaction.atomic():
        comment = ArticleComment.objects.select_related(None).select_for_update().get(pk=last.comment_id)
        before = _edit_state(comment) if last.action in EDIT_ACTIONS else moderation_state(comment)
        was_visible = comment.is_visible
        for name, value in last.state_before.items():
            setattr(comment, name, value)
        comment.version += 1
        comment.save(update_fields=[*last.state_before, "version"])
        Decision.objects.filter(pk=last.pk).update(undone=True)
        Decision.objects.create(
            comment=comment,
            moderator=moderator,
            action=Action.UNDO,
            reason=last.action,
            state_before=before,
            state_after=_edit_state(comment) if last.action in EDIT_ACTIONS else moderation_state(comment),
        )
        refresh_comment_count(comment.article_id)
        if comment.is_visible and not was_visible and comment.level > 0:
            notify_parent_authors([comment])
    return last


def notify_parent_authors(replies):
    """Queues "someone replied to you" e-mails for the parents' authors who asked for them, all at once."""
    if not replies:
        return
    parents = ArticleComment.objects.select_related(None).in_bulk({reply.parent_id for reply in replies})
    notices = []
    for reply in replies:
        parent = parents.get(reply.parent_id)
        if (
            parent is None
            or parent.pk == reply.pk
            or not parent.followup
            or not parent.user_email
            or parent.email_key == reply.email_key
        ):
            continue
        notices.append((reply, parent, CommentToken.new_token()))
    if not notices:
        return
    CommentToken.objects.bulk_create(
        CommentToken(
            comment=parent,
            purpose=CommentToken.Purpose.UNSUBSCRIBE,
            token_hash=hash_token(token),
            expires_at=timezone.now() + UNSUBSCRIBE_VALID_FOR,
        )
        for _, parent, token in notices
    )
    articles = Article.objects.in_bulk({reply.article_id for reply, _, _ in notices})
    messages = [
        _reply_notice(reply, parent, token, articles[reply.article_id]) for reply, parent, token in notices
    ]
    get_connection().send_messages(messages)


def _reply_notice(reply, parent, token, article):
    # In the script the parent's author wrote in, whoever approves the reply and from wherever.
    with reader_script(parent.script):
        unsubscribe_url = settings.SITE_URL + reverse("comments:unsubscribe", kwargs={"token": token})
        context = {
            "parent": parent,
            "reply": reply,
            "article": article,
            "reply_url": settings.SITE_URL + reply.get_absolute_url(),
            "unsubscribe_url": unsubscribe_url,
            "valid_days": UNSUBSCRIBE_VALID_FOR.days,
        }
        subject = in_reader_script(render_to_string("comments/email/reply_subject.txt", context).strip())
        body = in_reader_script(render_to_string("comments/email/reply_body.txt", context))
    return EmailMessage(
        subject=subject,
        body=body,
        to=[parent.user_email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


class NetworkCapReached(Exception):
    """A new reaction would pass what one network may add to a comment in a day."""


def react(comment, reader_key, value, *, network="", toggle=True):
    """Sets, changes or (same value again, with ``toggle``) withdraws a reader's reaction; returns it now.

    A reader's first reaction to a comment counts only while fewer than COMMENTS_REACTIONS_PER_NETWORK
    reactions from the same network arrived on it in the last SIGNAL_WINDOW (NetworkCapReached otherwise),
    however many identities that network holds. ``toggle=False`` is for a signal the network sends
    as a whole (no identity): the same value again keeps it, as another reader there may have meant it.
    """
    with transaction.atomic():
        # One reaction to a comment at a time: the cap's count and the new row cannot interleave.
        list(ArticleComment.objects.select_for_update(no_key=True).filter(pk=comment.pk).values_list("pk"))
        existing = Reaction.objects.select_for_update().filter(comment=comment, reader_key=reader_key).first()
        if existing is None:
            recent = Reaction.objects.filter(
                comment=comment, network=network, created_at__gte=timezone.now() - SIGNAL_WINDOW
            )
            if recent.count() >= settings.COMMENTS_REACTIONS_PER_NETWORK:
                raise NetworkCapReached
            try:
                with transaction.atomic():
                    Reaction.objects.create(
                        comment=comment, reader_key=reader_key, network=network, value=value
                    )
            except IntegrityError:  # the same reader's parallel request won
                return None
            _count(comment, value, +1)
            return value
        if existing.value == value and not toggle:
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
    invalidate(invalidation.article(comment.article_id), may_lag=True)


def report(comment, reader_key, reason, note="", *, network=""):
    """Records one reader's report; returns False if this reader had reported it already.

    The comment is hidden until a moderator decides once, since the last decision and within SIGNAL_WINDOW,
    as many reports as the settings ask for came from distinct readers on as many distinct networks. A
    reader is unique per comment (the constraint), so distinct networks is the measure: reports from one
    network count once, whatever identities they carry.
    """
    with transaction.atomic():
        list(ArticleComment.objects.select_for_update(no_key=True).filter(pk=comment.pk).values_list("pk"))
        try:
            with transaction.atomic():
                Report.objects.create(
                    comment=comment, reader_key=reader_key, network=network, reason=reason, note=note
                )
        except IntegrityError:
            return False
        reports = Report.objects.filter(comment=comment)
        if comment.moderated_at:  # a moderator has already ruled on the earlier reports
            reports = reports.filter(created_at__gt=comment.moderated_at)
        count = reports.count()
        ArticleComment.objects.filter(pk=comment.pk).update(report_count=count)
        recent = reports.filter(created_at__gte=timezone.now() - SIGNAL_WINDOW).aggregate(
            readers=Count("reader_key", distinct=True), networks=Count("network", distinct=True)
        )
        needed = CommentSettings.get_solo().reports_to_hide
        if min(recent["readers"], recent["networks"]) >= needed and not comment.hidden_by_reports:
            decide([comment.pk], Action.HIDE, reason="reports")
    return True


def ban(comment, *, moderator, reason, by_email, by_address, by_account=False, period=None):
    """Bans the comment's author (by address, network, the reader account it was written with, or several;
    for ``period`` or for good) and rejects it. ``by_account`` counts only for a comment written signed in."""
    with transaction.atomic():
        Ban.objects.create(
            email=comment.email_key if by_email else "",
            ip_address=comment.ip_address if by_address else None,
            user_id=comment.user_id if by_account else None,
            reason=reason,
            created_by=moderator,
            expires_at=timezone.now() + period if period else None,
        )
        if not comment.is_removed:
            note = f"zabrana: {reason}"
            decide([comment.pk], Action.REJECT, moderator=moderator, reason=RejectReason.OTHER, note=note)


def edit_comment(comment):
    """Saves a moderator's correction of a comment's name or text: its article's page shows it at once."""
    with transaction.atomic():
        comment.save()
        invalidate(invalidation.article(comment.article_id))


def delete_comments(comments):
    """Deletes comments (a query set or a list) with what hangs on them, and recounts their articles."""
    with transaction.atomic():
        comments = list(comments)
        article_ids = {comment.article_id for comment in comments}
        ArticleComment.objects.filter(pk__in=[comment.pk for comment in comments]).delete()
        refresh_comment_counts(article_ids)


def save_settings(*settings_or_forms):
    """Saves the site's and the comment policy's settings (or their forms) together; every page shows some."""
    with transaction.atomic():
        for changed in settings_or_forms:
            changed.save()
        invalidate(SITE)
