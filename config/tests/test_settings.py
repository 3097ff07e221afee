import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import RequestFactory
from django.views.defaults import server_error

ROOT = Path(__file__).resolve().parents[2]


def run_settings(**environment):
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(environment)
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DEBUG, s.DATABASES['default']['ENGINE'], "
        "s.MAILER_EMAIL_BACKEND.rsplit('.', 2)[-2], s.EMAIL_BACKEND)"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_start_up_without_a_secret_key_stops_with_a_clear_message():
    result = run_settings()
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_debug_is_off_unless_asked_and_production_queues_mail_for_smtp():
    result = run_settings(DJANGO_SECRET_KEY="x" * 50)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "False",
        "django.db.backends.sqlite3",
        "smtp",
        "mailer.backend.DbBackend",
    ]


def test_development_needs_no_secret_and_prints_mail_to_the_console():
    result = run_settings(DJANGO_DEBUG="1")
    assert result.stdout.split()[:3] == ["True", "django.db.backends.sqlite3", "console"]


def test_database_url_selects_postgresql():
    result = run_settings(
        DJANGO_SECRET_KEY="x" * 50, DATABASE_URL="postgres://u:p@db.internal:5432/citaonica"
    )
    assert result.stdout.split()[1] == "django.db.backends.postgresql"


@pytest.mark.django_db
def test_server_error_page_is_static_and_serbian():
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Došlo je do greške" in response.content.decode()
