"""Who may open which admin page and take which action: the whole matrix, role by role."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from articles.tests.factories import ArticleFactory
from comments.models import ArticleComment
from comments.tests.factories import ArticleCommentFactory

pytestmark = pytest.mark.django_db

ROLES = ["reader", "moderator", "editor", "administrator"]
OK, DENIED, LOGIN = 200, 403, 302

# page: expected answer for reader, moderator, editor, administrator
PAGES = {
    "/admin/": (LOGIN, OK, OK, OK),
    "/admin/articles/article/": (LOGIN, DENIED, OK, OK),
    "/admin/articles/article/add/": (LOGIN, DENIED, OK, OK),
    "/admin/articles/image/": (LOGIN, DENIED, OK, OK),
    "/admin/articles/section/": (LOGIN, DENIED, OK, OK),
    "/admin/articles/author/": (LOGIN, DENIED, OK, OK),
    "/admin/articles/tag/": (LOGIN, DENIED, OK, OK),
    "/admin/articles/sitesettings/": (LOGIN, DENIED, DENIED, OK),
    "/admin/comments/commentsettings/": (LOGIN, DENIED, DENIED, OK),
    "/admin/comments/articlecomment/": (LOGIN, OK, OK, OK),
    "/admin/comments/articlecomment/desk/": (LOGIN, OK, OK, OK),
    "/admin/comments/articlecomment/desk/moje-odluke/": (LOGIN, OK, OK, OK),
    "/admin/comments/ban/": (LOGIN, OK, OK, OK),
    "/admin/comments/ban/add/": (LOGIN, OK, OK, OK),
    "/admin/comments/decision/": (LOGIN, OK, OK, OK),
    "/admin/comments/report/": (LOGIN, OK, OK, OK),
    "/admin/auth/user/": (LOGIN, DENIED, DENIED, OK),
    "/admin/auth/group/": (LOGIN, DENIED, DENIED, OK),
    "/admin/mailer/message/": (LOGIN, DENIED, DENIED, OK),
}


@pytest.fixture
def clients(django_user_model):
    made = {}
    for role in ROLES:
        user = django_user_model.objects.create_user(
            role, password="x", is_staff=role != "reader", is_superuser=role == "administrator"
        )
        group = {"moderator": "Moderatori", "editor": "Urednici"}.get(role)
        if group:
            user.groups.add(Group.objects.get(name=group))
        client = Client()
        client.force_login(user)
        made[role] = client
    return made


@pytest.mark.parametrize("url", list(PAGES))
def test_each_role_against_each_admin_page(clients, url):
    answers = {role: clients[role].get(url).status_code for role in ROLES}
    assert answers == dict(zip(ROLES, PAGES[url], strict=True))


@pytest.mark.parametrize(
    ("role", "allowed"), [("reader", False), ("moderator", True), ("editor", True), ("administrator", True)]
)
def test_who_may_decide_on_a_comment(clients, role, allowed):
    comment = ArticleCommentFactory(is_public=False)
    clients[role].post(
        "/admin/comments/articlecomment/desk/odluka/", {"action": "approve", "comments": [comment.pk]}
    )
    assert ArticleComment.objects.get(pk=comment.pk).is_public is allowed


@pytest.mark.parametrize(
    ("role", "allowed"), [("reader", False), ("moderator", False), ("editor", True), ("administrator", True)]
)
def test_who_may_open_an_article_for_editing(clients, role, allowed):
    article = ArticleFactory(title="Prvobitni naslov")
    response = clients[role].get(f"/admin/articles/article/{article.pk}/change/")
    assert (response.status_code == 200) is allowed


def test_staff_without_a_role_may_do_nothing(django_user_model):
    user = django_user_model.objects.create_user("pripravnik", password="x", is_staff=True)
    client = Client()
    client.force_login(user)
    assert client.get("/admin/comments/articlecomment/desk/").status_code == 403
    assert client.get("/admin/articles/article/").status_code == 403
