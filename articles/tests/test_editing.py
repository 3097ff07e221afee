from datetime import timedelta
from functools import partial

import pytest
import time_machine
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import include, path
from django.utils import timezone

from articles.editing import (
    PRESENCE_SECONDS,
    editing_context,
    mark_editing,
    other_editors,
    presence,
    stop_editing,
)
from articles.tests.factories import ArticleFactory
from config import urls as site_urls

# Every test runs against the URLconf below, the only one that mounts the view until ArticleAdmin does.
pytestmark = [pytest.mark.django_db, pytest.mark.urls("articles.tests.test_editing")]

# The presence view mounted in the admin namespace at the path ArticleAdmin.get_urls will give it.
urlpatterns = [
    path(
        "admin/",
        include(
            (
                [
                    path(
                        "articles/article/<path:object_id>/prisustvo/",
                        admin.site.admin_view(partial(presence, admin_site=admin.site)),
                        name="articles_article_presence",
                    ),
                    *admin.site.get_urls(),
                ],
                "admin",
            ),
            namespace="admin",
        ),
    ),
    # The rest of the site, which the 404 page links to.
    *(pattern for pattern in site_urls.urlpatterns if getattr(pattern, "namespace", None) != "admin"),
]


def presence_url(object_id):
    return f"/admin/articles/article/{object_id}/prisustvo/"


@pytest.fixture
def make_editor(django_user_model):
    def make(username, first_name="", last_name="", may_change=True):
        user = django_user_model.objects.create_user(
            username, password="x", first_name=first_name, last_name=last_name, is_staff=True
        )
        if may_change:
            user.user_permissions.add(Permission.objects.get(codename="change_article"))
        return user

    return make


def test_second_editor_sees_the_first_editors_name(make_editor):
    ana = make_editor("ana", "Ana", "Đurić")
    marko = make_editor("marko")

    mark_editing(7, ana)
    mark_editing(7, marko)

    assert other_editors(7, marko) == ["Ana Đurić"]
    assert other_editors(7, ana) == ["marko"]  # no full name: the username stands in


def test_editors_of_another_article_are_not_reported(make_editor):
    ana, marko = make_editor("ana"), make_editor("marko")

    mark_editing(7, ana)

    assert other_editors(8, marko) == []


def test_own_presence_is_not_reported(make_editor):
    ana = make_editor("ana", "Ana", "Đurić")

    mark_editing(7, ana)
    mark_editing(7, ana)

    assert other_editors(7, ana) == []


def test_other_editors_are_sorted_by_name(make_editor):
    me = make_editor("ja")
    for username, first_name in [("z", "Zoran"), ("a", "Ana"), ("m", "Milica")]:
        mark_editing(7, make_editor(username, first_name))

    assert other_editors(7, me) == ["Ana", "Milica", "Zoran"]


def test_presence_expires_after_presence_seconds(make_editor):
    ana, marko = make_editor("ana", "Ana"), make_editor("marko")
    start = timezone.now()

    with time_machine.travel(start, tick=False):
        mark_editing(7, ana)
    with time_machine.travel(start + timedelta(seconds=PRESENCE_SECONDS - 1), tick=False):
        assert other_editors(7, marko) == ["Ana"]
    with time_machine.travel(start + timedelta(seconds=PRESENCE_SECONDS), tick=False):
        assert other_editors(7, marko) == []


def test_heartbeat_keeps_an_editor_present_past_presence_seconds(make_editor):
    ana, marko = make_editor("ana", "Ana"), make_editor("marko")
    start = timezone.now()

    with time_machine.travel(start, tick=False):
        mark_editing(7, ana)
    with time_machine.travel(start + timedelta(seconds=60), tick=False):
        mark_editing(7, ana)
    with time_machine.travel(start + timedelta(seconds=PRESENCE_SECONDS + 30), tick=False):
        assert other_editors(7, marko) == ["Ana"]


def test_stop_editing_removes_only_that_editor(make_editor):
    ana, marko, jelena = make_editor("ana", "Ana"), make_editor("marko", "Marko"), make_editor("jelena")
    mark_editing(7, ana)
    mark_editing(7, marko)

    stop_editing(7, ana)
    stop_editing(7, jelena)  # was never there: nothing to do, nothing breaks

    assert other_editors(7, jelena) == ["Marko"]


def test_presence_view_refuses_get(client, make_editor):
    article = ArticleFactory()
    client.force_login(make_editor("ana"))

    response = client.get(presence_url(article.pk))

    assert response.status_code == 405


def test_presence_view_refuses_staff_without_change_permission(client, make_editor):
    article = ArticleFactory()
    client.force_login(make_editor("ana", may_change=False))

    response = client.post(presence_url(article.pk))

    assert response.status_code == 403


def test_presence_view_sends_anonymous_visitors_to_the_login(client):
    article = ArticleFactory()

    response = client.post(presence_url(article.pk))

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize("object_id", ["abc", "1.5", "-1", "²", "1/2", "99999999999999999999"])
def test_presence_view_answers_404_for_a_bad_article_id(client, make_editor, object_id):
    client.force_login(make_editor("ana"))

    response = client.post(presence_url(object_id))

    assert response.status_code == 404


def test_presence_view_answers_404_for_a_missing_article(client, make_editor):
    article = ArticleFactory()
    client.force_login(make_editor("ana"))

    response = client.post(presence_url(article.pk + 1))

    assert response.status_code == 404


def test_presence_view_marks_the_editor_and_lists_the_others(client, make_editor):
    article = ArticleFactory()
    ana, marko = make_editor("ana", "Ana", "Đurić"), make_editor("marko")
    mark_editing(article.pk, ana)
    client.force_login(marko)

    response = client.post(presence_url(article.pk))

    assert response.status_code == 200
    assert response.json() == {"others": ["Ana Đurić"]}
    assert other_editors(article.pk, ana) == ["marko"]


def test_presence_view_accepts_the_csrf_header_the_script_sends(make_editor):
    client = Client(enforce_csrf_checks=True)
    article = ArticleFactory()
    client.force_login(make_editor("ana"))
    client.get("/admin/")  # sets the CSRF cookie, as the change form does
    token = client.cookies["csrftoken"].value

    assert client.post(presence_url(article.pk)).status_code == 403
    assert client.post(presence_url(article.pk), headers={"X-CSRFToken": token}).status_code == 200


def test_editing_context_marks_the_editor_and_gives_the_presence_url(make_editor):
    article = ArticleFactory()
    ana, marko = make_editor("ana", "Ana"), make_editor("marko")
    mark_editing(article.pk, ana)
    request = RequestFactory().get("/")
    request.user = marko

    context = editing_context(request, article)

    assert context == {"other_editors": ["Ana"], "presence_url": presence_url(article.pk)}
    assert other_editors(article.pk, ana) == ["marko"]


def test_warning_names_the_other_editors():
    html = render_to_string(
        "admin/articles/editing_warning.html",
        {
            "other_editors": ["Ana Đurić", "<b>Marko</b>"],
            "presence_url": "/admin/articles/article/7/prisustvo/",
        },
    )

    assert 'data-presence-url="/admin/articles/article/7/prisustvo/"' in html
    assert 'role="status" aria-live="polite"' in html
    assert (
        '<ul class="messagelist"><li class="warning">Pažnja: ovaj članak upravo uređuju i Ana Đurić, '
        "&lt;b&gt;Marko&lt;/b&gt;. Izmene koje sačuvate mogu da ponište tuđe.</li></ul>"
    ) in html
    assert "admin/js/editing_presence.js" in html and "defer" in html


def test_warning_region_is_present_but_empty_for_a_lone_editor():
    html = render_to_string(
        "admin/articles/editing_warning.html",
        {"other_editors": [], "presence_url": "/admin/articles/article/7/prisustvo/"},
    )

    assert 'data-presence-url="/admin/articles/article/7/prisustvo/"' in html
    assert "warning" not in html and "Pažnja" not in html


def test_warning_snippet_has_no_inline_script():
    html = render_to_string(
        "admin/articles/editing_warning.html",
        {"other_editors": ["Ana"], "presence_url": "/admin/articles/article/7/prisustvo/"},
    )

    assert html.count("<script") == html.count("<script src=")


def test_second_editor_opening_the_article_in_the_admin_is_warned(django_user_model):
    article = ArticleFactory()
    clients = []
    for name in ("Ana", "Marko"):
        user = django_user_model.objects.create_user(
            name.lower(), first_name=name, password="x", is_staff=True
        )
        user.groups.add(Group.objects.get(name="Urednici"))
        client = Client()
        client.force_login(user)
        clients.append(client)
    first = clients[0].get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    assert "Pažnja" not in first and "data-presence-url" in first
    second = clients[1].get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    assert "Pažnja: ovaj članak upravo uređuje i Ana." in second
    assert clients[1].post(f"/admin/articles/article/{article.pk}/prisustvo/").json() == {"others": ["Ana"]}
