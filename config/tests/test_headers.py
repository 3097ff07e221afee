"""Security headers and cookie flags on every kind of answer: pages, cached pages, static, errors, JSON."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from articles.tests.factories import ArticleFactory
from config.delivery.content_security_policy import media_origins

pytestmark = pytest.mark.django_db

FEATURES_OFF = ("camera", "microphone", "geolocation", "payment", "usb", "browsing-topics")


def policy(response):
    """The Content-Security-Policy as {directive: [sources]}."""
    directives = (part.split() for part in response["Content-Security-Policy"].split(";") if part.strip())
    return {name: sources for name, *sources in directives}


def assert_security_headers(response):
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    permissions = response["Permissions-Policy"]
    for feature in FEATURES_OFF:
        assert f"{feature}=()" in permissions
    csp = policy(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"][0] == "'self'"
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"]
    assert csp["form-action"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert not any(
        source in ("'unsafe-inline'", "'unsafe-eval'", "*")
        for source in csp["script-src"] + csp["default-src"]
    )
    assert "Server" not in response
    return csp


def test_reader_page_fresh_and_from_the_page_cache_carries_strict_headers():
    url = ArticleFactory().get_absolute_url()
    Client().get(url)  # makes the settings singletons a page reads, which renews every cached page
    fresh = Client().get(url)
    with CaptureQueriesContext(connection) as queries:
        cached = Client().get(url)

    assert len(queries) == 0  # answered by the page cache, before most middleware
    assert fresh.status_code == cached.status_code == 200
    for response in (fresh, cached):
        csp = assert_security_headers(response)
        assert csp["script-src"] == ["'self'"]
        assert csp["style-src"] == ["'self'"]
        assert csp["img-src"] == ["'self'", "data:"]


def test_static_file_served_by_whitenoise_carries_the_headers(client, settings):
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True

    response = client.get("/static/js/site.js")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert_security_headers(response)


def test_missing_page_carries_the_headers(client):
    response = client.get("/nema-ove-stranice/")

    assert response.status_code == 404
    assert_security_headers(response)


def test_admin_login_allows_inline_styles_but_no_inline_scripts(client):
    response = client.get("/admin/login/")

    assert response.status_code == 200
    csp = assert_security_headers(response)
    assert csp["style-src"] == ["'self'", "'unsafe-inline'"]
    # The body editor's import map is allowed by its hash only.
    assert [source for source in csp["script-src"] if not source.startswith("'sha256-")] == ["'self'"]


def test_json_answer_carries_the_headers(client):
    response = client.post("/komentari/posalji/", {}, HTTP_ACCEPT="application/json")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert_security_headers(response)


def test_photos_may_come_from_the_media_host_named_by_the_environment():
    assert media_origins({"DJANGO_MEDIA_URL": "https://slike.citaonica.example/media/"}) == [
        "https://slike.citaonica.example"
    ]
    assert media_origins(
        {"DJANGO_S3_BUCKET": "foto", "DJANGO_S3_CUSTOM_DOMAIN": "cdn.citaonica.example"}
    ) == ["https://cdn.citaonica.example"]
    assert media_origins({"DJANGO_S3_BUCKET": "foto"}) == ["https://foto.s3.amazonaws.com"]
    assert media_origins({"DJANGO_MEDIA_URL": "/media/"}) == []


def test_strict_transport_security_follows_its_settings_on_https(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True

    response = client.get("/nema-ove-stranice/", secure=True)

    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert "Strict-Transport-Security" not in client.get("/nema-ove-stranice/")  # never over plain http


def test_session_and_csrf_cookies_are_secure_http_only_and_same_site(client, django_user_model):
    django_user_model.objects.create_user("urednica", password="lozinka-za-test-1", is_staff=True)
    client.get("/admin/login/")
    csrf = client.cookies["csrftoken"]
    response = client.post(
        "/admin/login/",
        {
            "staff_login_view-current_step": "auth",
            "auth-username": "urednica",
            "auth-password": "lozinka-za-test-1",
            "csrfmiddlewaretoken": csrf.value,
        },
    )

    assert response.status_code == 302
    for cookie in (csrf, response.cookies["sessionid"]):
        assert cookie["secure"] is True
        assert cookie["httponly"] is True
        assert cookie["samesite"] == "Lax"
