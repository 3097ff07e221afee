"""Komentari on cached pages: each decision shows on the next request; nothing personal is shared."""

import pytest
from django.test import Client

from articles.models import SiteSettings
from articles.tests.factories import ArticleFactory
from comments import moderation
from comments.models import ArticleComment, Decision

from .factories import ArticleCommentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(comment_settings):
    SiteSettings.get_solo()  # the singletons exist, as on a running site: making one renews every page
    return ArticleFactory(title="Most preko Save otvoren za saobraćaj")


def page(url):
    return Client().get(url).content.decode()


def cached_page(url):
    """The page as the second reader gets it: from the cache."""
    page(url)
    response = Client().get(url)
    assert response.has_header("ETag")
    return response.content.decode()


def test_an_approved_comment_is_on_the_next_request(article):
    url = article.get_absolute_url()
    waiting = ArticleCommentFactory(article=article, comment="Konačno, posle deset godina!", is_public=False)
    assert "Konačno, posle deset godina!" not in cached_page(url)
    moderation.approve(waiting)
    assert "Konačno, posle deset godina!" in page(url)


def test_the_front_page_count_follows_approvals(article):
    ArticleCommentFactory(article=article)
    moderation.refresh_comment_count(article.pk)
    waiting = ArticleCommentFactory(article=article, is_public=False)
    front = cached_page("/")
    assert "1 komentar<" in front
    moderation.approve(waiting)
    front = page("/")
    assert "2 komentara<" in front


def test_a_rejected_comment_leaves_the_page_on_the_next_request(article):
    url = article.get_absolute_url()
    shown = ArticleCommentFactory(article=article, comment="Ovo će moderator ipak ukloniti.")
    assert "Ovo će moderator ipak ukloniti." in cached_page(url)
    moderation.reject(shown, reason="uvreda")
    assert "Ovo će moderator ipak ukloniti." not in page(url)


def test_a_comment_deleted_in_the_admin_leaves_the_page(article, admin_client):
    url = article.get_absolute_url()
    shown = ArticleCommentFactory(article=article, comment="Obrisan u administraciji.")
    assert "Obrisan u administraciji." in cached_page(url)
    response = admin_client.post(f"/admin/comments/articlecomment/{shown.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and not ArticleComment.objects.filter(pk=shown.pk).exists()
    assert "Obrisan u administraciji." not in page(url)


def test_featuring_shows_on_the_next_request(article):
    url = article.get_absolute_url()
    shown = ArticleCommentFactory(article=article)
    assert "Izdvojeno" not in cached_page(url)
    moderation.decide([shown.pk], Decision.Action.FEATURE)
    assert '<span class="featured">Izdvojeno</span>' in page(url)


def test_reactions_show_on_the_next_request(article):
    url = article.get_absolute_url()
    shown = ArticleCommentFactory(article=article)
    assert 'aria-label="Sviđa mi se: 0"' in cached_page(url)
    assert Client().post(f"/komentari/{shown.pk}/reakcija/", {"value": "1"}).status_code == 302
    assert 'aria-label="Sviđa mi se: 1"' in page(url)


def test_comment_settings_show_on_the_next_request(article, comment_settings):
    url = article.get_absolute_url()
    cached_page(url)
    comment_settings.rules = "Pišite kratko i pristojno."
    moderation.save_settings(comment_settings)
    assert "Pišite kratko i pristojno." in page(url)


def test_the_comment_form_of_a_cached_page_posts(article, post_comment):
    cached_page(article.get_absolute_url())
    reader = Client()
    response = post_comment(article, http_client=reader, comment="Poslato sa zapamćene stranice.")
    assert response.status_code == 302
    assert ArticleComment.objects.get(comment="Poslato sa zapamćene stranice.").is_public is False


def test_the_readers_own_notice_is_never_shared(article, post_comment):
    url = article.get_absolute_url()
    cached_page(url)
    reader = Client()
    post_comment(article, http_client=reader, comment="Čekam odobrenje.")
    own = reader.get(url)
    assert "čeka odobrenje moderatora" in own.content.decode()
    assert "private" in own["Cache-Control"] and not own.has_header("ETag")
    assert "čeka odobrenje moderatora" not in page(url)
    assert "Čekam odobrenje." not in page(url)


def test_form_errors_are_never_shared(article, post_comment):
    url = article.get_absolute_url()
    cached_page(url)
    refused = post_comment(article, http_client=Client(), email="nije-adresa")
    assert refused.status_code == 400 and "nije-adresa" in refused.content.decode()
    assert "nije-adresa" not in page(url)


def test_a_reader_who_reacted_gets_the_shared_copy_with_nothing_of_theirs(article, reader_browser):
    url = article.get_absolute_url()
    shown = ArticleCommentFactory(article=article)
    cached_page(url)
    reader = reader_browser()
    reader.post(f"/komentari/{shown.pk}/reakcija/", {"value": "1"}, headers={"Accept": "application/json"})
    own = reader.get(url)
    assert own.has_header("ETag") and 'aria-pressed="true"' not in own.content.decode()
    assert own.content.decode() == page(url)
