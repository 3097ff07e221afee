"""A commenter's own comments ("Moji komentari"), found by the e-mail address they were written with.

The address is proven by a link mailed to it: a CommentToken that names the address, stored as a hash and
valid for a day. With it the commenter sees every comment written with that address, in any state, and can
delete any of them. Deleting never takes other readers' replies with it: a comment that has replies stays in
its place as an empty placeholder ("no longer available"), with its text, name, addresses and account erased.

Asking for the link only queues a request holding a keyed hash of the address: the same work whether or not
the address has comments, so how long the answer takes tells nobody who has commented here.
``send_requested_links`` (``manage.py send_my_comments_links``, run every minute or so) mails the links.
"""

import hashlib
import hmac
import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from config.delivery.reader_script import in_reader_script, reader_script

from .models import (
    AccountDeletion,
    ArticleComment,
    CommentToken,
    Decision,
    MyCommentsLinkRequest,
    RejectReason,
    hash_token,
    moderation_state,
)
from .moderation import refresh_comment_counts

logger = logging.getLogger(__name__)

LINK_VALID_FOR = timedelta(hours=24)
# A request the sender has not handled by then is dropped unanswered (and erased by erase_commenter_ips).
REQUEST_KEPT_FOR = timedelta(hours=24)
MY_COMMENTS = CommentToken.Purpose.MY_COMMENTS

# What a withdrawn comment with replies keeps: its place in the thread and nothing of its author.
PLACEHOLDER = {
    "comment": "",
    "user_name": "",
    "user_email": "",
    "user_url": "",
    "email_key": "",
    "ip_address": None,
    "user": None,
    "followup": False,
    "notify_outcome": False,
    "is_public": False,
    "is_removed": True,
    "is_featured": False,
    "hold_reasons": [],
}


def email_key_for(email):
    return email.strip().lower()


def comments_of(email_key):
    """Every comment written with this address, newest first, with its article."""
    if not email_key:
        return ArticleComment.objects.none()
    return (
        ArticleComment.objects.filter(email_key=email_key)
        .select_related("article__section")
        .order_by("-submit_date", "-pk")
    )


def account_comments(user):
    """Every comment a reader account wrote, in any state, newest first, with its article (one query)."""
    return (
        ArticleComment.objects.filter(user_id=user.pk)
        .select_related("article__section")
        .order_by("-submit_date", "-pk")
    )


def rejection_words(comment):
    """Why a rejected comment was rejected, in the words of the moderators' reasons; never their notes."""
    if comment.reject_reason in RejectReason.values and comment.reject_reason != RejectReason.OTHER:
        return RejectReason(comment.reject_reason).label
    return ""


def author_state(comment):
    """The comment's state as its author is told it: a rejection with the reason the moderator chose."""
    if comment.is_removed:
        reason = rejection_words(comment)
        return f"odbijen, razlog: {reason}" if reason else "odbijen"
    if comment.is_public and comment.hidden_by_reports:
        return "sakriven zbog prijava, čeka odluku moderatora"
    if comment.is_public:
        return "objavljen"
    return "čeka odobrenje"


@dataclass(frozen=True)
class OwnComment:
    comment: ArticleComment
    state: str

    @property
    def is_visible(self):
        return self.comment.is_visible


def own_comments(email_key):
    return [OwnComment(comment, author_state(comment)) for comment in comments_of(email_key)]


def own_account_comments(user):
    return [OwnComment(comment, author_state(comment)) for comment in account_comments(user)]


def address_hasher():
    """Keyed hashing of addresses: the same for the same address, meaningless without the secret key.

    The same as ``salted_hmac`` with SHA-256, with the key derived once for a whole scan of addresses.
    """
    key = hashlib.sha256(f"comments.my_comments.address{settings.SECRET_KEY}".encode()).digest()
    keyed = hmac.new(key, digestmod=hashlib.sha256)

    def hash_of(email_key):
        digest = keyed.copy()
        digest.update(email_key.encode())
        return digest.hexdigest()

    return hash_of


def address_hash(email_key):
    return address_hasher()(email_key)


def request_link(email):
    """Queues a request for a link to this address's comments; the same work whether or not it has any."""
    MyCommentsLinkRequest.objects.create(address_hash=address_hash(email_key_for(email)))


def addresses_with_hashes(hashes):
    """The commenters' addresses (lower-cased) whose keyed hashes are among ``hashes``, by hash."""
    wanted, found = set(hashes), {}
    if not wanted:
        return found
    addresses = (
        ArticleComment.objects.exclude(email_key="").order_by().values_list("email_key", flat=True).distinct()
    )
    hash_of = address_hasher()
    for email_key in addresses.iterator(chunk_size=5000):
        digest = hash_of(email_key)
        if digest in wanted:
            found[digest] = email_key
            if len(found) == len(wanted):
                break
    return found


@dataclass(frozen=True)
class LinkRequests:
    handled: int  # requests taken off the queue
    mailed: int  # addresses sent a link: one each, however many times they asked since the last run
    dropped: int  # requests older than REQUEST_KEPT_FOR, dropped unanswered


def send_requested_links(*, dry_run=False):
    """Mails a link for each queued request whose address has comments, and deletes the requests.

    Several workers may run it at once: each takes the requests the others have not locked.
    """
    with transaction.atomic():
        queued = list(MyCommentsLinkRequest.objects.select_for_update(skip_locked=True).order_by("pk"))
        too_old = timezone.now() - REQUEST_KEPT_FOR
        fresh = [request for request in queued if request.created_at >= too_old]
        found = addresses_with_hashes(request.address_hash for request in fresh)
        if dry_run:
            return LinkRequests(handled=len(queued), mailed=len(found), dropped=len(queued) - len(fresh))
        mailed = sum(send_link(email_key) for email_key in found.values())
        MyCommentsLinkRequest.objects.filter(pk__in=[request.pk for request in queued]).delete()
    return LinkRequests(handled=len(queued), mailed=mailed, dropped=len(queued) - len(fresh))


def send_link(email):
    """Mails a link to the comments written with this address, if there are any; True if a mail went out."""
    email_key = email_key_for(email)
    CommentToken.objects.filter(purpose=MY_COMMENTS).expired().delete()
    latest = comments_of(email_key).first()
    if latest is None:
        return False
    token = CommentToken.new_token()
    CommentToken.objects.create(
        purpose=MY_COMMENTS,
        email_key=email_key,
        token_hash=hash_token(token),
        expires_at=timezone.now() + LINK_VALID_FOR,
    )
    with reader_script(latest.script):  # the script of the reader's latest comment, text and link alike
        context = {
            "link": settings.SITE_URL + reverse("comments:my_comments", kwargs={"token": token}),
            "valid_hours": int(LINK_VALID_FOR.total_seconds() // 3600),
        }
        subject = in_reader_script(
            render_to_string("comments/email/my_comments_subject.txt", context).strip()
        )
        body = in_reader_script(render_to_string("comments/email/my_comments_body.txt", context))
    EmailMessage(subject=subject, body=body, to=[latest.user_email]).send()
    return True


def address_for(token):
    """The e-mail address (lower-cased) a usable "Moji komentari" link stands for, or None."""
    if not token or len(token) > 64:
        return None
    return CommentToken.objects.usable(token, MY_COMMENTS).values_list("email_key", flat=True).first()


@dataclass(frozen=True)
class Deletion:
    deleted: int
    withdrawn: int
    none_left: bool


def delete_comments(email_key, comment_ids=None):
    """Deletes this address's comments (those named, or all), sparing other readers' replies.

    A comment with replies becomes an empty placeholder and the withdrawal is recorded among the moderation
    decisions (without the text); one without replies is deleted with everything attached to it. Counts and
    cached pages of the articles concerned are brought up to date.
    """
    with transaction.atomic():
        own = ArticleComment.objects.filter(email_key=email_key)
        if comment_ids is not None:
            own = own.filter(pk__in=comment_ids)
        own, deleted, withdrawn = _delete_sparing_replies(own)
        none_left = not ArticleComment.objects.filter(email_key=email_key).exists()
        if none_left:  # nothing of this address is kept, not even the link that named it
            CommentToken.objects.filter(purpose=MY_COMMENTS, email_key=email_key).delete()
        refresh_comment_counts({comment.article_id for comment in own})
    if own:
        logger.info(
            "A commenter deleted comments %s and withdrew comments %s (kept for their replies)",
            sorted(deleted),
            sorted(comment.pk for comment in withdrawn),
        )
    return Deletion(deleted=len(deleted), withdrawn=len(withdrawn), none_left=none_left)


def _delete_sparing_replies(own):
    """Deletes the comments of ``own`` (a query set), turning those with other readers' replies into
    placeholders with the withdrawal recorded; in the caller's transaction."""
    own = own.select_related(None).select_for_update()
    # Deepest first, so a comment whose only replies are deleted now is deleted as well.
    own = list(own.order_by("-level", "-pk"))
    replies = {}
    for parent_id, reply_id in (
        ArticleComment.objects.filter(parent_id__in=[comment.pk for comment in own])
        .exclude(pk=F("parent_id"))  # a thread's first comment is its own parent
        .values_list("parent_id", "pk")
    ):
        replies.setdefault(parent_id, set()).add(reply_id)

    deleted, withdrawn = set(), []
    for comment in own:
        if replies.get(comment.pk, set()) - deleted:
            withdrawn.append(comment)
        else:
            deleted.add(comment.pk)

    decisions = []
    for comment in withdrawn:
        before = moderation_state(comment)
        for name, value in PLACEHOLDER.items():
            setattr(comment, name, value)
        decisions.append(
            Decision(
                comment=comment,
                action=Decision.Action.WITHDRAW,
                reason="author",
                state_before=before,
                state_after=moderation_state(comment),
            )
        )
    if withdrawn:
        withdrawn_ids = [comment.pk for comment in withdrawn]
        ArticleComment.objects.filter(pk__in=withdrawn_ids).update(
            **PLACEHOLDER, version=F("version") + 1, moderated_at=timezone.now()
        )
        CommentToken.objects.filter(comment_id__in=withdrawn_ids).delete()
        Decision.objects.bulk_create(decisions)
    if deleted:
        ArticleComment.objects.filter(pk__in=deleted).delete()

    return own, deleted, withdrawn


def delete_account(user):
    """Deletes a reader's account: its comments as "Moji komentari" deletes them (other readers' replies
    survive under placeholders), then the user with its addresses, social accounts, profile and bans; an
    AccountDeletion row records it without anything personal. The caller signs the reader out."""
    with transaction.atomic():
        own, deleted, withdrawn = _delete_sparing_replies(ArticleComment.objects.filter(user_id=user.pk))
        addresses = {comment.email_key for comment in own} - {""}
        leftover = ArticleComment.objects.filter(email_key__in=addresses).values_list("email_key", flat=True)
        gone = addresses - set(leftover)
        CommentToken.objects.filter(purpose=MY_COMMENTS, email_key__in=gone).delete()
        refresh_comment_counts({comment.article_id for comment in own})
        record = AccountDeletion.objects.create(
            comments_deleted=len(deleted), comments_withdrawn=len(withdrawn)
        )
        # EmailAddress, SocialAccount, ReaderProfile and the account's bans go with the user (CASCADE).
        user.delete()
    logger.info("A reader deleted their account (record %s)", record.pk)
    return record
