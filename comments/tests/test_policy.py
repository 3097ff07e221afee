from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from articles.tests.factories import ArticleFactory
from comments.models import ArticleComment, Ban, Decision, HoldReason, RejectReason
from comments.tests.conftest import comment_form_fields

pytestmark = pytest.mark.django_db

BELGRADE = ZoneInfo("Europe/Belgrade")


@pytest.fixture
def article():
    return ArticleFactory(published_at=timezone.now() - timedelta(hours=2))


@pytest.fixture
def word_lists(comment_settings):
    comment_settings.banned_words = "budala\nglup*\n"
    comment_settings.suspect_words = "lopov\n"
    comment_settings.save()
    return comment_settings


@pytest.mark.parametrize(
    "text",
    ["Ti si BUDALA.", "ти си будала", "Ti si budаla", "Ti si bu\u200bdala!", "Kakva GLUPOST", "ГЛУПИ ЉУДИ"],
)
def test_banned_word_rejects_at_once_across_case_diacritics_script_and_spoofing(
    post_comment, article, word_lists, text
):
    response = post_comment(article, comment=text, json=True)
    assert response.status_code == 201  # silent to the reader
    comment = ArticleComment.objects.get()
    assert comment.is_removed and not comment.is_public and comment.reject_reason == RejectReason.BANNED_WORD
    decision = Decision.objects.get(comment=comment)
    assert (
        decision.moderator is None
        and decision.reason == "banned_word"
        and decision.note in {"budala", "glup*"}
    )
    assert text not in Client().get(article.get_absolute_url()).content.decode()


@pytest.mark.parametrize("text", ["Budalaština je reč.", "Glupan", "Fudbal je lep."])
def test_ordinary_words_that_only_contain_a_banned_one_pass(post_comment, article, comment_settings, text):
    comment_settings.banned_words = "budala\nglup"
    comment_settings.save()
    post_comment(article, comment=text)
    comment = ArticleComment.objects.get()
    assert not comment.is_removed and not Decision.objects.exists()


def test_suspect_word_holds_the_comment_with_that_reason(post_comment, article, word_lists):
    post_comment(article, comment="Taj LOPOV je opet pobegao.")
    comment = ArticleComment.objects.get()
    assert HoldReason.SUSPECT_WORD in comment.hold_reasons and not comment.is_removed


def test_first_comment_of_an_address_is_marked_new(post_comment, article):
    post_comment(article, email="prvi@example.org", comment="Prvi put.")
    first = ArticleComment.objects.get()
    assert HoldReason.NEW_COMMENTER in first.hold_reasons
    ArticleComment.objects.filter(pk=first.pk).update(is_public=True)
    post_comment(article, email="PRVI@example.org", comment="Drugi put.")
    assert HoldReason.NEW_COMMENTER not in ArticleComment.objects.get(comment="Drugi put.").hold_reasons


@pytest.fixture
def desk_hours(comment_settings):
    comment_settings.desk_hours_enabled = True
    comment_settings.save()
    return comment_settings


def at(hour, days=1):
    """Tomorrow (or ``days`` on) at ``hour``:30 in Belgrade: after the article fixture's publication."""
    day = timezone.localdate() + timedelta(days=days)
    return time_machine.travel(datetime.combine(day, time(hour, 30), tzinfo=BELGRADE), tick=False)


def test_at_night_comments_are_accepted_with_a_morning_notice(post_comment, article, desk_hours):
    with at(2):
        page = Client().get(article.get_absolute_url()).content.decode()
        assert "Moderatori su ponovo tu u 07:00" in page
        response = post_comment(article, json=True)
    assert response.status_code == 201 and "07:00" in response.json()["message"]
    assert ArticleComment.objects.count() == 1


def test_at_night_commenting_can_pause_instead(post_comment, article, desk_hours):
    desk_hours.after_hours = desk_hours.AfterHours.PAUSE
    desk_hours.save()
    with at(2):
        fields = comment_form_fields(Client().get(article.get_absolute_url()).content.decode())
        assert fields == {}
        page = Client().get(article.get_absolute_url()).content.decode()
        assert "Komentarisanje je pauzirano" in page
    with at(12):
        fields = comment_form_fields(Client().get(article.get_absolute_url()).content.decode())
        fields.update(name="Noćni", email="nocni@example.org", comment="Tokom dana.")
    with at(3, days=2):  # the page was left open from the day before
        response = Client().post("/komentari/posalji/", fields)
    assert response.status_code == 400 and "Komentarisanje je pauzirano" in response.content.decode()
    assert not ArticleComment.objects.exists()
    with at(12, days=2):
        assert Client().post("/komentari/posalji/", fields).status_code == 302


def test_during_desk_hours_nothing_changes(post_comment, article, desk_hours):
    with at(12):
        page = Client().get(article.get_absolute_url()).content.decode()
        assert "Moderatori su ponovo tu" not in page
        assert post_comment(article).status_code == 302


@pytest.mark.parametrize("ban", [{"email": "zabranjen@example.org"}, {"ip_address": "127.0.0.1"}])
def test_banned_commenter_is_refused_neutrally_and_nothing_is_stored(post_comment, article, ban):
    Ban.objects.create(reason="uvrede", **ban)
    response = post_comment(article, email="ZABRANJEN@example.org")
    assert response.status_code == 403
    assert "Vaš komentar ne može biti objavljen." in response.content.decode()
    assert not ArticleComment.objects.exists()


def test_ban_expires_and_can_be_lifted(post_comment, article):
    ban = Ban.objects.create(
        email="privremeno@example.org", reason="spam", expires_at=timezone.now() + timedelta(days=1)
    )
    assert post_comment(article, email="privremeno@example.org", comment="Prvi").status_code == 403
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        assert post_comment(article, email="privremeno@example.org", comment="Drugi").status_code == 302
    Ban.objects.filter(pk=ban.pk).update(expires_at=None)
    assert post_comment(article, email="privremeno@example.org", comment="Treći").status_code == 403
    Ban.objects.filter(pk=ban.pk).update(lifted_at=timezone.now())
    assert post_comment(article, email="privremeno@example.org", comment="Četvrti").status_code == 302
