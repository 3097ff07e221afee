"""Two app servers sharing one database and one Redis, as in production: what one does, the other sees.

Each test starts Debian's redis-server and two gunicorn nodes with production settings on loopback ports;
the nodes read the test database, so the tests are transactional (the servers see committed rows only).
"""

import http.cookiejar
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from articles.tests.factories import ArticleFactory
from comments.models import ArticleComment
from comments.tests.conftest import comment_form_fields
from comments.tests.factories import ArticleCommentFactory

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
START_SECONDS = 20
DESK = "/admin/comments/articlecomment/desk/"
PASSWORD = "lozinka-za-dezurnu-urednicu"


def require(available, variable, message):
    """Skips without what the test needs, or fails when the environment says it must run (CI)."""
    if available:
        return
    if os.environ.get(variable) == "1":
        pytest.fail(message)
    pytest.skip(message)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url_for_servers():
    """DATABASE_URL for the servers: the test database this test process writes to."""
    database = connection.settings_dict
    user = quote(database["USER"] or "", safe="")
    if database["PASSWORD"]:
        user += ":" + quote(database["PASSWORD"], safe="")
    query = dict(database.get("OPTIONS") or {})
    query.update({key: database[key.upper()] for key in ("host", "port") if database[key.upper()]})
    return f"postgres://{user + '@' if user else ''}/{quote(database['NAME'], safe='')}?{urlencode(query)}"


class Server:
    def __init__(self, name, command, workdir, env=None):
        self.name = name
        self.stderr_path = workdir / f"{name}.stderr"
        with self.stderr_path.open("wb") as stderr:
            self.process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=stderr,
                start_new_session=True,  # its own process group: stopping it stops its workers too
            )

    def wait_until(self, ready):
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            if ready():
                return
            time.sleep(0.2)
        self.stop()
        pytest.fail(f"{self.name} did not start within {START_SECONDS} s:\n{self.stderr()}")

    def stderr(self):
        return self.stderr_path.read_text(errors="replace")[-5000:]

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def answers(url):
    try:
        urllib.request.urlopen(url, timeout=2).close()
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False
    return True


def redis_answers(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as probe:
            probe.sendall(b"PING\r\n")
            return probe.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@pytest.fixture(scope="module")
def database_and_redis_servers():
    require(
        connection.vendor == "postgresql",
        "REQUIRE_POSTGRES",
        "two nodes need a database server: run with PostgreSQL (.ci/with-database)",
    )
    require(
        shutil.which("redis-server"),
        "REQUIRE_REDIS",
        "redis-server is not installed (apt-get install redis-server); two-node tests skipped",
    )


@pytest.fixture(scope="module")
def static_root(database_and_redis_servers, tmp_path_factory, django_db_setup):
    """Collected static files with their manifest, which production settings need to render any page.

    Collected without compression (the slow part of `collectstatic`): the nodes serve the same hashed names.
    """
    root = tmp_path_factory.mktemp("static")
    manifest = {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}
    with override_settings(STATIC_ROOT=root, STORAGES={**settings.STORAGES, "staticfiles": manifest}):
        call_command("collectstatic", interactive=False, verbosity=0)
    return root


@pytest.fixture
def nodes(static_root, tmp_path):
    """Base URLs of two gunicorn nodes sharing the test database and a fresh Redis."""
    servers = []
    try:
        redis_port = free_port()
        redis_dir = tmp_path / "redis"
        redis_dir.mkdir()
        redis = Server(
            "redis-server",
            [
                "redis-server",
                *("--port", str(redis_port), "--bind", "127.0.0.1", "--dir", str(redis_dir)),
                *("--save", "", "--appendonly", "no"),
            ],
            tmp_path,
        )
        servers.append(redis)
        redis.wait_until(lambda: redis_answers(redis_port))

        env = {
            key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "COMMENTS_"))
        }
        env.update(
            DJANGO_SETTINGS_MODULE="config.settings",
            DJANGO_DEBUG="0",
            DJANGO_SECRET_KEY="two-nodes-test-secret-key-" + "x" * 30,
            DJANGO_SECURE="0",
            DJANGO_ALLOWED_HOSTS="127.0.0.1",
            DJANGO_REDIS_URL=f"redis://127.0.0.1:{redis_port}/0",
            DATABASE_URL=database_url_for_servers(),
            DJANGO_STATIC_ROOT=str(static_root),
            DJANGO_MEDIA_ROOT=str(tmp_path / "media"),
            DJANGO_MAILER_LOCK_PATH=str(tmp_path / "send_mail"),
            DJANGO_LOG_LEVEL="WARNING",
            # The limit under test counts per day so a ten-minute window cannot roll over mid-test;
            # the per-address count is the one both nodes must share, so the per-e-mail one stays out of it.
            COMMENTS_RATE_PER_ADDRESS="5/d",
            COMMENTS_RATE_PER_EMAIL="1000/d",
        )
        # One worker a node: a page cached or a post counted in a worker's own memory would then be met again
        # on that node's next request, so only what the nodes really share makes the tests pass.
        urls = []
        for number in (1, 2):
            port = free_port()
            node = Server(
                f"node {number}",
                [
                    *(sys.executable, "-m", "gunicorn", "config.wsgi"),
                    *("--bind", f"127.0.0.1:{port}", "--workers", "1", "--graceful-timeout", "5"),
                ],
                tmp_path,
                env,
            )
            servers.append(node)
            urls.append(f"http://127.0.0.1:{port}")
        for node, url in zip(servers[1:], urls, strict=True):
            node.wait_until(lambda url=url: answers(url + "/robots.txt"))
        yield urls
        for server in servers:
            if server.process.poll() is not None:
                pytest.fail(f"{server.name} stopped during the test:\n{server.stderr()}")
    finally:
        for server in reversed(servers):
            server.stop()


class Visitor:
    """A browser without JavaScript: cookies kept only when it signs in."""

    def __init__(self, base_url, cookies=False):
        self.base_url = base_url
        self.jar = http.cookiejar.CookieJar()
        handlers = [urllib.request.HTTPCookieProcessor(self.jar)] if cookies else []
        self.opener = urllib.request.build_opener(*handlers)

    def request(self, path, data=None, headers=None):
        """(status, body, final URL); a redirect is followed like a browser does."""
        body = urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(self.base_url + path, data=body, headers=headers or {})
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode(), response.url
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace"), error.url

    def get(self, path):
        status, body, _ = self.request(path)
        assert status == 200, (path, status, body[-2000:])
        return body

    def cookie(self, name):
        return next(cookie.value for cookie in self.jar if cookie.name == name)


class FormsOnPage(HTMLParser):
    """The hidden fields of every form on a page."""

    def __init__(self):
        super().__init__()
        self.forms = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({})
        elif tag == "input" and attrs.get("type") == "hidden" and self.forms and attrs.get("name"):
            self.forms[-1][attrs["name"]] = attrs.get("value", "")


def decision_form(desk_page, comment_pk):
    """The desk's own form for one comment's decisions."""
    parser = FormsOnPage()
    parser.feed(desk_page)
    forms = [form for form in parser.forms if form.get("comments") == str(comment_pk) and "version" in form]
    assert forms, f"the desk does not show comment {comment_pk}"
    return forms[0]


def signed_in_moderator(base_url, moderators_group, django_user_model):
    user = django_user_model.objects.create_user("dezurna", is_staff=True)
    # The servers know Django's default hashers only, not the fast one the tests use.
    user.password = PBKDF2PasswordHasher().encode(PASSWORD, PBKDF2PasswordHasher().salt())
    user.save()
    user.groups.add(moderators_group)
    moderator = Visitor(base_url, cookies=True)
    moderator.get("/admin/login/")
    status, _, landed = moderator.request(
        "/admin/login/?next=/admin/",
        {"username": "dezurna", "password": PASSWORD, "csrfmiddlewaretoken": moderator.cookie("csrftoken")},
    )
    assert status == 200 and landed.endswith("/admin/"), (status, landed)
    return moderator


def test_a_comment_approved_on_one_node_is_shown_by_the_other_on_the_next_request(
    nodes, moderators_group, django_user_model
):
    first, second = nodes
    article = ArticleFactory(title="Gradska biblioteka dobija čitaonicu na krovu")
    comment = ArticleCommentFactory(article=article, is_public=False, comment="Odlična vest za ceo kraj!")
    reader = Visitor(first)
    for _ in range(2):  # the second answer may come from the page cache both nodes share
        page = reader.get(article.get_absolute_url())
        assert "Gradska biblioteka dobija čitaonicu na krovu" in page
        assert "Odlična vest za ceo kraj!" not in page

    moderator = signed_in_moderator(second, moderators_group, django_user_model)
    form = decision_form(moderator.get(DESK), comment.pk)
    status, desk_after, _ = moderator.request(DESK + "odluka/", {**form, "action": "approve"})
    assert status == 200 and "Odobreno" in desk_after
    comment.refresh_from_db()
    assert comment.is_public

    assert "Odlična vest za ceo kraj!" in reader.get(article.get_absolute_url())


def post_comment(base_url, article, number):
    reader = Visitor(base_url)
    data = comment_form_fields(reader.get(article.get_absolute_url()))
    assert data, "the article page has no comment form"
    data.update(
        name=f"Čitalac {number}", email=f"citalac{number}@example.org", comment=f"Mišljenje broj {number}."
    )
    status, body, _ = reader.request("/komentari/posalji/", data, headers={"Accept": "application/json"})
    return status, json.loads(body)["message"] if body.startswith("{") else body[-2000:]


def test_the_comment_rate_limit_counts_posts_on_both_nodes_together(nodes):
    article = ArticleFactory()
    answered = [post_comment(nodes[number % 2], article, number) for number in range(6)]
    assert [status for status, _ in answered] == [201] * 5 + [429], answered
    assert answered[-1][1].startswith("Šaljete komentare prebrzo")
    assert ArticleComment.objects.filter(article=article).count() == 5
