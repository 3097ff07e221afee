"""Steps that browser tests of both apps share."""

from django.contrib.auth.models import Permission
from django.urls import reverse
from playwright.sync_api import expect


def sign_in(page, base_url, username, password, next_path="/admin/"):
    """Signs in on the admin's login form, as staff do; the browser then shows ``next_path``."""
    page.goto(f"{base_url}{reverse('admin:login')}?next={next_path}")
    page.get_by_label("Korisničko ime").fill(username)
    page.get_by_label("Lozinka").fill(password)
    page.get_by_role("button", name="Prijava").click()


EDITOR_PASSWORD = "lozinka-za-test-1"


def newsroom_editor(django_user_model, username, first_name=""):
    """A staff user with every articles permission, signing in with ``EDITOR_PASSWORD``.

    Permissions directly, not the newsroom's groups: a transactional test's flush takes those groups away.
    """
    user = django_user_model.objects.create_user(
        username, password=EDITOR_PASSWORD, is_staff=True, first_name=first_name
    )
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="articles"))
    return user


def open_new_article_form(live_server, page, django_user_model):
    """Signs in as an editor with every articles permission, on the "add article" page."""
    newsroom_editor(django_user_model, "urednica")
    sign_in(page, live_server.url, "urednica", EDITOR_PASSWORD, "/admin/articles/article/add/")
    wait_for_article_form(page)


def wait_for_article_form(page):
    """Until Django's change_form.js has put the focus in the first field (the kicker) of the add form.

    Typing into the title before then loses the rest of the text to the kicker when the focus moves: a CI run
    saved "Pozorišni festi" as the title and "val otvara se uz „Hamleta“" as the kicker.
    """
    expect(page.locator("#id_kicker")).to_be_focused()


def save(page):
    """The article form's first publishing button: saves and keeps the state (draft, ready, published)."""
    page.locator("button[name=publishing].default").click()
