"""Commenters' network addresses are kept COMMENTS_IP_RETENTION_DAYS, then erased by a daily command."""

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.utils import timezone

from comments.models import ArticleComment, Ban, CommentToken, hash_token
from comments.tests.factories import ArticleCommentFactory

pytestmark = pytest.mark.django_db


def written_days_ago(days, **fields):
    with time_machine.travel(timezone.now() - timedelta(days=days)):
        return ArticleCommentFactory(ip_address="203.0.113.9", **fields)


def erase(*args):
    out = StringIO()
    call_command("erase_commenter_ips", *args, stdout=out)
    return out.getvalue()


def addresses():
    return dict(ArticleComment.objects.values_list("comment", "ip_address"))


def test_addresses_older_than_the_retention_are_erased_and_newer_ones_kept(settings):
    settings.COMMENTS_IP_RETENTION_DAYS = 90
    written_days_ago(91, comment="staro", is_public=False, is_removed=True)
    written_days_ago(89, comment="novije")
    ban = Ban.objects.create(ip_address="203.0.113.9", reason="pretnje")
    Ban.objects.filter(pk=ban.pk).update(created_at=timezone.now() - timedelta(days=400))

    assert "Erased 1 commenter network addresses older than 90 days" in erase()
    assert addresses() == {"staro": None, "novije": "203.0.113.9"}
    assert Ban.objects.get().ip_address == "203.0.113.9"  # a moderator's decision keeps its address
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        erase()
    assert addresses() == {"staro": None, "novije": None}


def test_dry_run_only_counts(settings):
    settings.COMMENTS_IP_RETENTION_DAYS = 30
    written_days_ago(31, comment="staro")
    assert "Would erase 1 commenter network addresses older than 30 days" in erase("--dry-run")
    assert addresses() == {"staro": "203.0.113.9"}


def test_days_can_be_given_for_one_run_but_not_negative(settings):
    settings.COMMENTS_IP_RETENTION_DAYS = 90
    written_days_ago(8, comment="nedelju dana")
    assert "Erased 1" in erase("--days", "7")
    assert addresses() == {"nedelju dana": None}
    with pytest.raises(CommandError, match="negative"):
        erase("--days", "-1")


def test_expired_my_comments_links_are_deleted_with_the_address_they_name():
    def link(expires_in):
        CommentToken.objects.create(
            purpose=CommentToken.Purpose.MY_COMMENTS,
            email_key="stara@example.org",
            token_hash=hash_token(str(expires_in)),
            expires_at=timezone.now() + expires_in,
        )

    link(timedelta(hours=-1))
    link(timedelta(hours=1))
    assert "and 1 expired 'Moji komentari' links" in erase()
    (kept,) = CommentToken.objects.all()
    assert kept.expires_at > timezone.now()
