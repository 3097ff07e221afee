"""Authors correcting their own comments for a few minutes after posting (``CommentSettings.edit_minutes``).

Proof of authorship is the signed-in account the comment was posted with, or for anyone else a random token
issued with the post's answer (only its hash is stored, ``CommentToken.Purpose.EDIT``) that comments.js
keeps in that browser's local storage, never in a cookie: pages stay the same for everyone.

A comment still waiting for a moderator takes the new text at once and is held again for what the new text
holds (links, suspect words); a banned word rejects it as at posting. An approved comment keeps its
approved text public: the new text waits in ``edited_text`` until a moderator approves or rejects the edit
(``moderation.decide`` with ``APPROVE_EDIT`` / ``REJECT_EDIT``).
"""

import difflib
import json
import re
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from articles.models import Article

from . import moderation
from .models import ArticleComment, CommentSettings, CommentToken, Decision, HoldReason, RejectReason
from .posting import _LINK, word_list

Action = Decision.Action
# Hold reasons that come from the text; the others (the address, a new commenter) stay as they were.
TEXT_REASONS = {HoldReason.LINKS, HoldReason.SUSPECT_WORD}

NOT_FOUND = "Ovaj komentar ne postoji ili ga ne možete menjati."
NOT_EDITABLE = "Ovaj komentar se više ne može menjati."
WINDOW_OVER = "Vreme za izmenu je isteklo."
TOKEN_GRACE = timedelta(hours=1)


class EditRefused(Exception):
    def __init__(self, message, status):
        super().__init__(message)
        self.message = message
        self.status = status


def edit_deadline(comment, comment_settings):
    """Until when the author may correct the comment, or None when editing is off."""
    if not comment_settings.edit_minutes:
        return None
    return comment.submit_date + timedelta(minutes=comment_settings.edit_minutes)


def issue_edit_token(comment, comment_settings):
    """The token an anonymous author's browser keeps to correct this comment, or None when editing is off."""
    deadline = edit_deadline(comment, comment_settings)
    if deadline is None or comment.is_removed:
        return None
    # Kept an hour past the window: a late edit is then told the window is over, not that it is unknown.
    valid_for = deadline - timezone.now() + TOKEN_GRACE
    return CommentToken.issue(comment, CommentToken.Purpose.EDIT, valid_for=valid_for)


def editable_json(own, comment_settings, now=None):
    """Of a signed-in reader's comments under an article (``own``), those still in the window, for comments.js
    as JSON (the section's ``data-own-editable``, outside the shared fragment); "" when there are none."""
    if not comment_settings.edit_minutes:
        return ""
    now = now or timezone.now()
    editable = {
        str(comment.pk): {
            "until": deadline.isoformat(),
            "text": comment.edited_text or comment.comment,
        }
        for comment in own
        if not (comment.is_removed or comment.hidden_by_reports)
        and (deadline := edit_deadline(comment, comment_settings)) > now
    }
    return json.dumps(editable, ensure_ascii=False) if editable else ""


def _authored(comment_id, user, token):
    """The comment if this request proves it is its author's, else None (the same for every reason)."""
    comment = (
        ArticleComment.objects.select_related(None)
        .not_withdrawn()
        .filter(pk=comment_id, article__in=Article.objects.published())
        .first()
    )
    if comment is None:
        return None
    if user.is_authenticated and comment.user_id == user.pk:
        return comment
    tokens = CommentToken.objects.usable(token, CommentToken.Purpose.EDIT) if token else None
    if tokens is not None and tokens.filter(comment=comment).exists():
        return comment
    return None


def check_author(comment_id, user, token):
    """The comment the author may correct now; EditRefused with the reader's message otherwise."""
    comment = _authored(comment_id, user, token)
    if comment is None:
        raise EditRefused(NOT_FOUND, 404)
    if comment.is_removed or comment.hidden_by_reports:
        raise EditRefused(NOT_EDITABLE, 403)
    deadline = edit_deadline(comment, CommentSettings.get_solo())
    if deadline is None or timezone.now() >= deadline:
        raise EditRefused(WINDOW_OVER, 403)
    return comment


def edit_comment(comment, text):
    """Applies the author's correction; returns the comment as stored now.

    The row is locked and read again: two saves of one edit wait for each other, and a moderator's decision
    that came in between is seen (the version grows with each edit, so a decision made on the old text is
    refused as late).
    """
    comment_settings = CommentSettings.get_solo()
    with transaction.atomic():
        comment = ArticleComment.objects.select_related(None).select_for_update().get(pk=comment.pk)
        if comment.is_removed:
            raise EditRefused(NOT_EDITABLE, 403)
        if comment.is_public:
            return _edit_approved(comment, text, comment_settings)
        return _edit_pending(comment, text, comment_settings)


def _text_reasons(text, comment_settings):
    reasons = []
    if len(_LINK.findall(text)) > comment_settings.max_links:
        reasons.append(HoldReason.LINKS)
    if word_list(comment_settings.suspect_words).find(text):
        reasons.append(HoldReason.SUSPECT_WORD)
    return reasons


def _banned(text, comment_settings):
    return ", ".join(sorted({match.entry for match in word_list(comment_settings.banned_words).find(text)}))


def _edit_pending(comment, text, comment_settings):
    if text == comment.comment:
        return comment
    kept = [reason for reason in comment.hold_reasons if reason not in TEXT_REASONS]
    comment.comment = text
    comment.hold_reasons = _text_reasons(text, comment_settings) + kept
    comment.version += 1
    comment.save(update_fields=["comment", "hold_reasons", "version"])
    if banned := _banned(text, comment_settings):
        moderation.decide([comment.pk], Action.REJECT, reason=RejectReason.BANNED_WORD, note=banned)
        comment.refresh_from_db(fields=["is_public", "is_removed", "version"])
    return comment


def _edit_approved(comment, text, comment_settings):
    if text == (comment.edited_text or comment.comment):
        return comment
    if text == comment.comment:  # back to the approved text: nothing waits any more
        comment.edited_text, comment.edited_at = "", None
    else:
        comment.edited_text, comment.edited_at = text, timezone.now()
    comment.version += 1
    comment.save(update_fields=["edited_text", "edited_at", "version"])
    if comment.edited_at and (banned := _banned(text, comment_settings)):
        moderation.decide([comment.pk], Action.REJECT_EDIT, reason=RejectReason.BANNED_WORD, note=banned)
        comment.refresh_from_db(fields=["edited_text", "edited_at", "version"])
        comment.edit_rejected = True
    return comment


_WORDS = re.compile(r"\s+|\S+")


def word_diff(old, new):
    """The change as HTML, word by word: removed words struck (``<del>``), new ones marked (``<ins>``)."""
    old_words, new_words = _WORDS.findall(old), _WORDS.findall(new)
    parts = []
    matcher = difflib.SequenceMatcher(None, old_words, new_words, autojunk=False)
    for operation, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        removed = escape("".join(old_words[old_start:old_end]))
        added = escape("".join(new_words[new_start:new_end]))
        if operation == "equal":
            parts.append(added)
            continue
        if removed:
            parts.append(f"<del>{removed}</del>")
        if added:
            parts.append(f"<ins>{added}</ins>")
    return mark_safe("".join(parts))
