"""How long readers' personal data is kept once its use is over.

A commenter's network address serves moderation and abuse handling while the comment is fresh; after
COMMENTS_IP_RETENTION_DAYS it is erased. Bans keep theirs: a ban is a moderator's deliberate decision and its
address is what it bans. Reactions and reports never store an address, only a keyed hash of the sender's
network (comments/readers.py) for the caps on what one network may do; it is erased on the same schedule.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_comments.models import Comment

from .models import CommentToken, MyCommentsLinkRequest, Reaction, Report
from .my_comments import REQUEST_KEPT_FOR


@dataclass(frozen=True)
class Erasure:
    addresses: int
    expired_links: int
    link_requests: int
    networks: int = 0


def erase_old_personal_data(days=None, *, dry_run=False):
    """Erases commenters' network addresses and readers' hashed networks older than ``days``, expired "Moji
    komentari" links and requests for them that were never answered (the sender was not running).

    Returns what was (or, with ``dry_run``, would be) erased.
    """
    days = settings.COMMENTS_IP_RETENTION_DAYS if days is None else days
    now = timezone.now()
    # Every comment row (django-comments-xtd's and ours share django_comments' table) holds the address.
    old = Comment.objects.filter(submit_date__lt=now - timedelta(days=days), ip_address__isnull=False)
    links = CommentToken.objects.filter(purpose=CommentToken.Purpose.MY_COMMENTS).expired(now)
    requests = MyCommentsLinkRequest.objects.filter(created_at__lt=now - REQUEST_KEPT_FOR)
    signals = [
        model.objects.filter(created_at__lt=now - timedelta(days=days)).exclude(network="")
        for model in (Reaction, Report)
    ]
    if dry_run:
        return Erasure(
            addresses=old.count(),
            expired_links=links.count(),
            link_requests=requests.count(),
            networks=sum(signal.count() for signal in signals),
        )
    with transaction.atomic():
        addresses = old.update(ip_address=None)
        networks = sum(signal.update(network="") for signal in signals)
        expired_links, _ = links.delete()
        link_requests, _ = requests.delete()
    return Erasure(
        addresses=addresses, expired_links=expired_links, link_requests=link_requests, networks=networks
    )
