import importlib

import pytest
from django.urls import clear_url_caches, reverse

import config.urls

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_elsewhere(settings):
    """The URLconf as a deployment with DJANGO_ADMIN_URL=redakcija-7q/ builds it."""
    original = settings.ADMIN_URL
    settings.ADMIN_URL = "redakcija-7q/"
    clear_url_caches()
    importlib.reload(config.urls)
    yield
    settings.ADMIN_URL = original
    clear_url_caches()
    importlib.reload(config.urls)


@pytest.mark.usefixtures("admin_elsewhere")
def test_admin_lives_at_the_configured_address_and_not_at_admin(client, django_user_model):
    assert client.get("/admin/").status_code == 404
    assert client.get("/admin/login/").status_code == 404
    response = client.get("/redakcija-7q/")
    assert response.status_code == 302 and response["Location"].startswith("/redakcija-7q/login/")
    login = client.get("/redakcija-7q/login/").content.decode()
    assert 'id="login-form"' in login

    django_user_model.objects.create_user("urednica", password="tačna-lozinka-za-redakciju", is_staff=True)
    signed_in = client.post(
        "/redakcija-7q/login/",
        {
            "staff_login_view-current_step": "auth",
            "auth-username": "urednica",
            "auth-password": "tačna-lozinka-za-redakciju",
            "next": "/redakcija-7q/",
        },
    )
    assert signed_in["Location"] == "/redakcija-7q/"
    assert client.get("/redakcija-7q/").status_code == 200
    assert reverse("two_factor:profile") == "/redakcija-7q/dvofaktorska-prijava/"
    assert reverse("two_factor:setup").startswith("/redakcija-7q/dvofaktorska-prijava/")


def test_robots_txt_does_not_give_away_the_admin_address(client):
    assert reverse("admin:index") not in client.get("/robots.txt").content.decode()
