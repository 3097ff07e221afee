"""How long readers' personal data is kept once its use is over.

A commenter's network address serves moderation and abuse handling while the comment is fresh; after
COMMENTS_IP_RETENTION_DAYS it is erased. Bans keep theirs: a ban is a moderator's deliberate decision and its
address is what it bans. Reactions and reports never stored one (they key readers by account or cookie).
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_comments.models import Comment

from .models import CommentToken, MyCommentsLinkRequest
from .my_comments import REQUEST_KEPT_FOR


@dataclass(frozen=True)
class Erasure:
    addresses: int
    expired_links: int
    link_requests: int


def erase_old_personal_data(days=None, *, dry_run=False):
    """Erases commenters' network addresses older than ``days``, expired "Moji komentari" links and requests
    for them that were never answered (the sender was not running).

    Returns what was (or, with ``dry_run``, would be) erased.
    """
    days = settings.COMMENTS_IP_RETENTION_DAYS if days is None else days
    now = timezone.now()
    # Every comment row (django-comments-xtd's and ours share django_comments' table) holds the address.
    old = Comment.objects.filter(submit_date__lt=now - timedelta(days=days), ip_address__isnull=False)
    links = CommentToken.objects.filter(purpose=CommentToken.Purpose.MY_COMMENTS).expired(now)
    requests = MyCommentsLinkRequest.objects.filter(created_at__lt=now - REQUEST_KEPT_FOR)
    if dry_run:
        return Erasure(addresses=old.count(), expired_links=links.count(), link_requests=requests.count())
    with transaction.atomic():
        addresses = old.update(ip_address=None)
        expired_links, _ = links.delete()
        link_requests, _ = requests.delete()
    return Erasure(addresses=addresses, expired_links=expired_links, link_requests=link_requests)
