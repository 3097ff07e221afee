import pytest
from django.contrib.auth.models import Group
from django.test import Client

from articles.models import Article
from articles.tests.factories import ArticleFactory
from comments.models import ArticleComment, CommentSettings
from comments.tests.factories import ArticleCommentFactory

pytestmark = pytest.mark.django_db


def staff_client(django_user_model, group=None):
    user = django_user_model.objects.create_user(f"staff-{group}", password="x", is_staff=True)
    if group:
        user.groups.add(Group.objects.get(name=group))
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("group", ["Moderatori", "Urednici"])
def test_moderators_and_editors_see_the_queue_and_approve(django_user_model, group):
    pending = ArticleCommentFactory(is_public=False, comment="Čeka odluku.", user_email="ceka@example.org")
    client = staff_client(django_user_model, group)
    listing = client.get("/admin/comments/articlecomment/", {"stanje": "na-cekanju"})
    assert listing.status_code == 200
    assert "Čeka odluku." in listing.content.decode() and "ceka@example.org" in listing.content.decode()
    client.post(
        "/admin/comments/articlecomment/", {"action": "approve_selected", "_selected_action": [pending.pk]}
    )
    pending.refresh_from_db()
    assert pending.is_public


def test_reject_action_removes_without_showing_text(django_user_model, client):
    comment = ArticleCommentFactory(comment="Odbijeni tekst.")
    staff_client(django_user_model, "Moderatori").post(
        "/admin/comments/articlecomment/", {"action": "reject_selected", "_selected_action": [comment.pk]}
    )
    comment.refresh_from_db()
    assert comment.is_removed and not comment.is_public
    assert "Odbijeni tekst." not in client.get(comment.article.get_absolute_url()).content.decode()


def test_change_form_cannot_publish_by_ticking_a_box(django_user_model):
    comment = ArticleCommentFactory(is_public=False, comment="Pokušaj zaobilaska.")
    client = staff_client(django_user_model, "Moderatori")
    form = client.get(f"/admin/comments/articlecomment/{comment.pk}/change/").content.decode()
    assert 'name="is_public"' not in form
    client.post(
        f"/admin/comments/articlecomment/{comment.pk}/change/",
        {"user_name": "x", "comment": "Ispravljen tekst.", "is_public": "on"},
    )
    comment.refresh_from_db()
    assert not comment.is_public


def test_readers_and_staff_without_the_role_cannot_moderate(django_user_model, client):
    comment = ArticleCommentFactory(is_public=False)
    assert client.get("/admin/comments/articlecomment/").status_code == 302
    bare_staff = staff_client(django_user_model)
    assert bare_staff.get("/admin/comments/articlecomment/").status_code == 403
    bare_staff.post(
        "/admin/comments/articlecomment/", {"action": "approve_selected", "_selected_action": [comment.pk]}
    )
    assert not ArticleComment.objects.get(pk=comment.pk).is_public


def test_comment_settings_page_is_for_administrators(admin_client, django_user_model):
    assert admin_client.get("/admin/comments/commentsettings/").status_code == 200
    assert (
        staff_client(django_user_model, "Moderatori").get("/admin/comments/commentsettings/").status_code
        == 403
    )


def test_article_list_shows_pending_comments_linked_to_the_desk(admin_client):
    comment = ArticleCommentFactory(is_public=False)
    ArticleCommentFactory(article=comment.article, is_public=False)
    ArticleCommentFactory(article=comment.article)
    page = admin_client.get("/admin/articles/article/").content.decode()
    desk_link = f'/admin/comments/articlecomment/desk/?red=na-cekanju&amp;clanak={comment.article_id}">2</a>'
    assert desk_link in page


def test_one_settings_page_saves_site_and_comment_settings_at_once(admin_client, client):
    page = admin_client.get("/admin/comments/commentsettings/")
    assert page.status_code == 200 and "sajt-site_name" in page.content.decode()
    data = {
        "sajt-site_name": "Novi list",
        "sajt-tagline": "Vesti iz grada",
        "sajt-follow_text": "Pratite nas.",
        "sajt-facebook_url": "facebook.com/novilist",
        "sajt-instagram_url": "",
        "sajt-x_url": "",
        "sajt-print_edition_text": "",
        "sajt-print_edition_url": "",
        "komentari-close_after_days": "10",
        "komentari-max_length": "800",
        "komentari-rules": "Budite pristojni.",
        "komentari-reports_to_hide": "3",
        "komentari-max_links": "2",
        "komentari-threads_per_page": "50",
        "komentari-edit_minutes": "0",
        "komentari-banned_words": "",
        "komentari-suspect_words": "",
        "komentari-trust_min_approved": "5",
        "komentari-trust_clean_days": "30",
        "komentari-desk_opens": "07:00",
        "komentari-desk_closes": "23:00",
        "komentari-after_hours": "notice",
    }
    assert admin_client.post("/admin/comments/commentsettings/", data).status_code == 302
    article_page = client.get(ArticleFactory().get_absolute_url()).content.decode()
    assert (
        "Novi list" in article_page
        and "Budite pristojni." in article_page
        and 'maxlength="800"' in article_page
    )
    assert 'href="https://facebook.com/novilist"' in article_page
    assert CommentSettings.get_solo().edit_minutes == 0  # editing switched off


def test_settings_page_refuses_bad_values_and_saves_nothing(admin_client):
    response = admin_client.post(
        "/admin/comments/commentsettings/", {"sajt-site_name": "", "komentari-max_length": "5"}
    )
    assert response.status_code == 400 and "Ispravite greške ispod." in response.content.decode()
    assert CommentSettings.get_solo().max_length == 1500


def test_settings_page_names_the_editing_window_and_refuses_a_long_one(admin_client):
    page = admin_client.get("/admin/comments/commentsettings/").content.decode()
    assert "Vreme za izmenu komentara (minuta)" in page and "0: izmene nisu moguće." in page
    response = admin_client.post("/admin/comments/commentsettings/", {"komentari-edit_minutes": "121"})
    assert response.status_code == 400
    assert CommentSettings.get_solo().edit_minutes == 10


def test_the_published_filter_lists_approved_comments_under_articles_no_longer_public(django_user_model):
    """Readers no longer see them, but moderators still find them by what was decided about each."""
    withdrawn = ArticleFactory(status=Article.Status.WITHDRAWN)
    approved = ArticleCommentFactory(article=withdrawn, comment="Odobren pod povučenim člankom.")
    ArticleCommentFactory(article=withdrawn, is_public=False, comment="Još čeka odluku.")
    client = staff_client(django_user_model, "Moderatori")
    listing = client.get("/admin/comments/articlecomment/", {"stanje": "objavljeni"}).content.decode()
    assert "Odobren pod povučenim člankom." in listing and "Još čeka odluku." not in listing
    assert not ArticleComment.objects.visible().filter(pk=approved.pk).exists()
