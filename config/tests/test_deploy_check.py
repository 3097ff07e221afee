"""Production configuration: Django's deployment checks, and the site as config/gunicorn.py serves it.

The gunicorn tests start a real server in a subprocess on a loopback port, with production settings, a
migrated SQLite database in a temporary folder and collected static files.
"""

import http.client
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

ROOT = Path(__file__).resolve().parents[2]
START_SECONDS = 30

PRODUCTION = {
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_SECURE": "1",
    "DJANGO_HSTS_SECONDS": "31536000",
    "DJANGO_HSTS_INCLUDE_SUBDOMAINS": "1",
    "DJANGO_HSTS_PRELOAD": "1",
    "DJANGO_SECURE_SSL_REDIRECT": "1",
    "DJANGO_ALLOWED_HOSTS": "citaonica.example",
}


def environment(**variables):
    """This process's environment without any of the site's own variables, plus the given ones."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "COMMENTS_", "GUNICORN_"))
    }
    return {**env, "DJANGO_SETTINGS_MODULE": "config.settings", **variables}


def deploy_check(**variables):
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment(**variables),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deployment_checks_find_nothing_with_the_production_variables():
    result = deploy_check(**PRODUCTION)

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNINGS" not in result.stderr


@pytest.mark.parametrize(
    ("changed", "warning"),
    [
        ({"DJANGO_HSTS_SECONDS": "0"}, "security.W004"),
        ({"DJANGO_HSTS_INCLUDE_SUBDOMAINS": "0"}, "security.W005"),
        ({"DJANGO_HSTS_PRELOAD": "0"}, "security.W021"),
        ({"DJANGO_SECURE_SSL_REDIRECT": "0"}, "security.W008"),
        ({"DJANGO_SECRET_KEY": "kratak-kljuc"}, "security.W009"),
        ({"DJANGO_SECURE": "0"}, "security.W012"),
    ],
)
def test_deployment_checks_fail_when_a_production_variable_is_missing(changed, warning):
    result = deploy_check(**{**PRODUCTION, **changed})

    assert result.returncode != 0
    assert warning in result.stderr


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def raw_request(port, request):
    """Status line and headers of the answer to bytes sent as they are (no client would send them)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(request)
        answer = b""
        while b"\r\n\r\n" not in answer and (chunk := connection.recv(65536)):
            answer += chunk
    return answer.split(b"\r\n\r\n")[0].decode("latin-1")


@pytest.fixture(scope="module")
def static_root(tmp_path_factory):
    """Collected static files with their manifest, which production settings need to render any page.

    Collected without compression (the slow part of `collectstatic`): the server finds the same names.
    """
    root = tmp_path_factory.mktemp("static")
    manifest = {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}
    with override_settings(STATIC_ROOT=root, STORAGES={**settings.STORAGES, "staticfiles": manifest}):
        call_command("collectstatic", interactive=False, verbosity=0)
    return root


@pytest.fixture(scope="module")
def gunicorn_server(static_root, tmp_path_factory):
    """(port, access log path) of gunicorn with config/gunicorn.py and production settings."""
    folder = tmp_path_factory.mktemp("gunicorn")
    port = free_port()
    env = environment(
        **{**PRODUCTION, "DJANGO_ALLOWED_HOSTS": "127.0.0.1"},
        # The tests talk plain http on loopback and say https through the proxy header, like a TLS proxy.
        DJANGO_BEHIND_PROXY="1",
        DJANGO_CLIENT_IP_HEADER="HTTP_X_FORWARDED_FOR",
        DATABASE_URL=f"sqlite:///{folder / 'db.sqlite3'}",
        DJANGO_STATIC_ROOT=str(static_root),
        DJANGO_MEDIA_ROOT=str(folder / "media"),
        DJANGO_MAILER_LOCK_PATH=str(folder / "send_mail"),
        DJANGO_LOG_LEVEL="WARNING",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS="1",
    )
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=300,
    )
    log = folder / "gunicorn.log"
    with log.open("wb") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py", "config.wsgi"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stopping it stops its worker too
        )
    try:
        deadline = time.monotonic() + START_SECONDS
        while server.poll() is None and time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail(f"gunicorn did not start:\n{log.read_text(errors='replace')[-5000:]}")
        yield port, log
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=40)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()


def get(port, path, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers={"X-Forwarded-Proto": "https", **(headers or {})})
        response = connection.getresponse()
        response.read()
        return response
    finally:
        connection.close()


def test_gunicorn_answers_without_naming_itself_and_with_the_security_headers(gunicorn_server):
    port, log = gunicorn_server
    response = get(port, "/")

    assert response.status == 200
    assert response.getheader("Server") is None
    assert response.getheader("Strict-Transport-Security") == "max-age=31536000; includeSubDomains; preload"
    assert "script-src 'self';" in response.getheader("Content-Security-Policy") + ";"
    assert "camera=()" in response.getheader("Permissions-Policy")
    assert response.getheader("X-Frame-Options") == "DENY"
    assert response.getheader("X-Content-Type-Options") == "nosniff"
    assert response.getheader("Cross-Origin-Opener-Policy") == "same-origin"
    assert response.getheader("Referrer-Policy") == "strict-origin-when-cross-origin"
    # The access log names each request by the X-Request-ID it was answered with.
    request_id = response.getheader("X-Request-ID")
    assert request_id
    deadline = time.monotonic() + 5
    while request_id not in log.read_text() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert any('"GET / HTTP/1.1" 200' in line and request_id in line for line in log.read_text().splitlines())


@pytest.mark.parametrize(
    ("forwarded", "logged"),
    [("198.51.100.1, 203.0.113.9", "203.0.113.9"), ("203.0.113.9, nope", "127.0.0.1"), (None, "127.0.0.1")],
    ids=["list", "garbage-rightmost", "missing"],
)
def test_the_access_log_names_the_reader_the_proxy_forwarded(gunicorn_server, forwarded, logged):
    port, log = gunicorn_server
    response = get(port, "/", {"X-Forwarded-For": forwarded} if forwarded else {})
    assert response.status == 200
    request_id = response.getheader("X-Request-ID")
    deadline = time.monotonic() + 5
    while request_id not in log.read_text() and time.monotonic() < deadline:
        time.sleep(0.1)
    line = next(line for line in log.read_text().splitlines() if request_id in line)
    assert line.startswith(f'{logged} "GET / HTTP/1.1" 200')


def test_plain_http_is_sent_to_https(gunicorn_server):
    port, _ = gunicorn_server
    response = get(port, "/", headers={"X-Forwarded-Proto": "http"})

    assert response.status == 301
    assert response.getheader("Location") == f"https://127.0.0.1:{port}/"
    assert response.getheader("Server") is None


def test_gunicorn_refuses_requests_beyond_its_limits_before_the_site_sees_them(gunicorn_server):
    port, _ = gunicorn_server
    host = f"Host: 127.0.0.1:{port}\r\nX-Forwarded-Proto: https\r\n".encode()

    # An address of 3,000 characters is still a page (not found); 5,000 is over the 4,094-byte request line.
    long_but_allowed = raw_request(port, b"GET /" + b"a" * 3000 + b"/ HTTP/1.1\r\n" + host + b"\r\n")
    assert long_but_allowed.startswith("HTTP/1.1 404")
    too_long = raw_request(port, b"GET /" + b"a" * 5000 + b" HTTP/1.1\r\n" + host + b"\r\n")
    assert too_long.startswith("HTTP/1.1 414")

    # 50 headers at most, each at most 8,190 bytes.
    many = b"".join(b"X-Polje-%d: vrednost\r\n" % number for number in range(60))
    assert raw_request(port, b"GET / HTTP/1.1\r\n" + host + many + b"\r\n").startswith("HTTP/1.1 431")
    huge = b"Cookie: " + b"a" * 9000 + b"\r\n"
    assert raw_request(port, b"GET / HTTP/1.1\r\n" + host + huge + b"\r\n").startswith("HTTP/1.1 431")
    assert "Server:" not in too_long
