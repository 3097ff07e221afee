"""Deleting a reader account: personal data and the account's comments go, other readers' replies stay under
placeholders, the deletion is recorded without anything personal, and the reader is signed out."""

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model
from django.test import Client

from articles.tests.factories import ArticleFactory
from comments import moderation
from comments.models import AccountDeletion, ArticleComment, Ban, ReaderProfile
from comments.tests.factories import ArticleCommentFactory, signed_in_client, signed_in_reader

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader():
    return signed_in_reader("Jelena Marković", "jelena@example.org")


def test_a_reader_deletes_the_account_and_others_replies_survive(reader):
    article = ArticleFactory()
    answered = ArticleCommentFactory(
        article=article,
        user=reader,
        user_name="Jelena Marković",
        user_email="jelena@example.org",
        comment="Moj komentar s odgovorom.",
    )
    reply = ArticleCommentFactory(article=article, parent=answered, comment="Tuđi odgovor ostaje.")
    ArticleCommentFactory(article=article, user=reader, user_email="jelena@example.org", comment="Samo moj.")
    SocialAccount.objects.create(user=reader, provider="google", uid="123")
    moderation.refresh_comment_count(article.pk)
    client = signed_in_client(reader)

    confirm = client.get("/nalog/obrisi/")
    assert confirm.status_code == 200 and "Obrisati vaš nalog?" in confirm.content.decode()
    assert "(ukupno: 2)" in confirm.content.decode()
    assert get_user_model().objects.filter(pk=reader.pk).exists()  # asking deletes nothing

    done = client.post("/nalog/obrisi/")
    assert done.status_code == 200 and "Nalog je obrisan" in done.content.decode()
    assert not get_user_model().objects.filter(pk=reader.pk).exists()
    assert not EmailAddress.objects.exists() and not SocialAccount.objects.exists()
    assert not ReaderProfile.objects.exists()
    assert not ArticleComment.objects.filter(comment__in=["Samo moj.", "Moj komentar s odgovorom."]).exists()
    placeholder = ArticleComment.objects.get(pk=answered.pk)
    assert (placeholder.user_name, placeholder.user_email, placeholder.user_id) == ("", "", None)
    assert ArticleComment.objects.get(pk=reply.pk).comment == "Tuđi odgovor ostaje."
    page = Client().get(article.get_absolute_url()).content.decode()
    assert "Tuđi odgovor ostaje." in page and "Jelena Marković" not in page and "Samo moj." not in page

    (record,) = AccountDeletion.objects.all()
    assert (record.comments_deleted, record.comments_withdrawn) == (1, 1)
    assert "jelena" not in str(vars(record)).lower()

    # Signed out: the next request is anonymous.
    assert "_auth_user_id" not in client.session
    assert client.get("/nalog/komentari/")["Location"].startswith("/nalog/login/")


def test_deleting_is_for_signed_in_readers_only_and_needs_a_post(django_user_model, reader):
    assert Client().post("/nalog/obrisi/")["Location"].startswith("/nalog/login/")
    editor = django_user_model.objects.create_user("urednik", is_staff=True)
    assert signed_in_client(editor).post("/nalog/obrisi/").status_code == 403
    assert get_user_model().objects.filter(pk=editor.pk).exists()
    assert signed_in_client(reader).put("/nalog/obrisi/").status_code == 405
    assert get_user_model().objects.filter(pk=reader.pk).exists()


def test_deleting_without_a_csrf_token_is_refused(reader):
    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)
    assert client.post("/nalog/obrisi/").status_code == 403
    assert get_user_model().objects.filter(pk=reader.pk).exists() and not AccountDeletion.objects.exists()


def test_another_readers_comments_and_account_are_untouched(reader):
    other = signed_in_reader("Ivan Perić", "ivan@example.org")
    kept = ArticleCommentFactory(user=other, user_email="ivan@example.org", comment="Ivanov komentar.")
    Ban.objects.create(user=other, reason="test")
    signed_in_client(reader).post("/nalog/obrisi/")
    assert ArticleComment.objects.filter(pk=kept.pk).exists()
    assert get_user_model().objects.filter(pk=other.pk).exists() and Ban.objects.filter(user=other).exists()
