"""A database that cannot be reached: readers are told to come back (503 + Retry-After), nothing half-saved.

The first tests break the connection inside this process. The last one stops a real PostgreSQL server under
a running gunicorn node and starts it again: the node answers 503 meanwhile and recovers without a restart.
"""

import json
import os
import random
import signal
import threading
from collections import Counter

import psycopg
import pytest
from django.db import DatabaseError, OperationalError, connection
from django.test import Client, RequestFactory
from django.urls import reverse
from mailer.models import Message

from articles.tests.factories import ArticleFactory
from comments.models import ArticleComment, CommentSettings, CommentToken
from comments.tests.conftest import comment_form_fields
from config.delivery.faults import database_unreachable, server_error

from . import servers

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader():
    # A browser sees the error page; the test client would otherwise raise the view's exception.
    return Client(raise_request_exception=False)


@pytest.fixture
def database_down(monkeypatch):
    """Every query fails as with a stopped server; undo() brings the database back."""

    def refuse():
        raise OperationalError('connection to server on socket "/run/postgresql" failed: Connection refused')

    class Outage:
        def start(self):
            monkeypatch.setattr(connection, "ensure_connection", refuse)

        def undo(self):
            monkeypatch.undo()

    return Outage()


def assert_told_to_come_back(response):
    body = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Cache-Control"] == "no-store"
    assert "Sajt je privremeno nedostupan" in body
    assert "Traceback" not in body and "OperationalError" not in body and "socket" not in body


def test_a_reader_page_answers_503_with_retry_after_while_the_database_is_down(reader, database_down):
    article = ArticleFactory(title="Vodovod najavio radove u centru")
    database_down.start()
    assert_told_to_come_back(reader.get(article.get_absolute_url()))
    assert_told_to_come_back(reader.get(reverse("articles:search"), {"q": "vodovod"}))
    assert_told_to_come_back(reader.get("/cir/"))


def test_pages_answer_again_as_soon_as_the_database_is_back(reader, database_down):
    article = ArticleFactory(title="Vodovod najavio radove u centru")
    database_down.start()
    assert reader.get(article.get_absolute_url()).status_code == 503
    database_down.undo()
    page = reader.get(article.get_absolute_url())
    assert page.status_code == 200
    assert "Vodovod najavio radove u centru" in page.content.decode()


def test_a_comment_posted_while_the_database_is_down_is_refused_and_nothing_is_stored(reader, database_down):
    article = ArticleFactory()
    data = comment_form_fields(reader.get(article.get_absolute_url()).content.decode())
    data.update(name="Milena Petrović", email="milena@example.org", comment="Konačno neko da popravi cevi.")
    database_down.start()
    answer = reader.post("/komentari/posalji/", data)
    database_down.undo()
    assert_told_to_come_back(answer)
    assert "Komentar nije sačuvan: pošaljite ponovo kada se stranica učita." in answer.content.decode()
    assert not ArticleComment.objects.exists()


def test_a_script_posting_a_comment_gets_the_reason_as_json(reader, database_down):
    article = ArticleFactory()
    data = comment_form_fields(reader.get(article.get_absolute_url()).content.decode())
    data.update(name="Milena Petrović", email="milena@example.org", comment="Konačno neko da popravi cevi.")
    database_down.start()
    answer = reader.post("/komentari/posalji/", data, HTTP_ACCEPT="application/json")
    database_down.undo()
    assert answer.status_code == 503
    assert answer["Retry-After"] == "30"
    assert json.loads(answer.content) == {
        "ok": False,
        "message": "Komentar nije sačuvan: sajt je trenutno nedostupan. Pokušajte ponovo za pola minuta.",
    }
    assert not ArticleComment.objects.exists()


# Every write names what it did not do; a reaction or a report that failed never says a comment was lost.
WRITES = [
    pytest.param("post", "/komentari/posalji/", "comment form", "Komentar nije sačuvan", id="comment"),
    pytest.param("post", "/komentari/7/reakcija/", {"value": "1"}, "Reakcija nije zabeležena", id="reaction"),
    pytest.param("post", "/komentari/7/reakcija/", {"value": "-1"}, "Reakcija nije zabeležena", id="dislike"),
    pytest.param("post", "/komentari/7/prijava/", {"reason": "spam"}, "Prijava nije poslata", id="report"),
    pytest.param(
        "post", "/komentari/odjava/abc123/", {}, "Odjava od obaveštenja nije zabeležena", id="unsubscribe"
    ),
    pytest.param("get", "/komentari/potvrda/abc123/", None, "Adresa nije potvrđena", id="verify-link"),
    pytest.param(
        "post",
        "/komentari/moji/",
        {"email": "milena@example.org"},
        "Link za Moje komentare nije poslat",
        id="my-comments-link",
    ),
    pytest.param(
        "post", "/komentari/moji/abc123/obrisi/", {"komentar": "7"}, "Komentar nije obrisan", id="my-delete"
    ),
    pytest.param("post", "admin:login", {"username": "urednik"}, "Ništa nije sačuvano", id="other-address"),
]


@pytest.fixture
def write(reader):
    """Sends one of WRITES (with a real comment form for "comment form") and returns the answer."""

    def send(method, path, data, **headers):
        if data == "comment form":
            article = ArticleFactory()
            data = comment_form_fields(reader.get(article.get_absolute_url()).content.decode())
            data.update(name="Milena Petrović", email="milena@example.org", comment="Konačno.")
        if not path.startswith("/"):
            path = reverse(path)
        return lambda: getattr(reader, method)(path, data, **headers)

    return send


@pytest.mark.parametrize(("method", "path", "data", "not_done"), WRITES)
def test_a_failed_write_says_what_was_not_done_in_json(write, database_down, method, path, data, not_done):
    send = write(method, path, data, HTTP_ACCEPT="application/json")
    database_down.start()
    answer = send()
    database_down.undo()
    assert (answer.status_code, answer["Retry-After"]) == (503, "30")
    message = json.loads(answer.content)["message"]
    assert message == f"{not_done}: sajt je trenutno nedostupan. Pokušajte ponovo za pola minuta."
    if not_done != "Komentar nije sačuvan":
        assert "Komentar nije sačuvan" not in message


@pytest.mark.parametrize(("method", "path", "data", "not_done"), WRITES)
def test_a_failed_write_says_what_was_not_done_on_the_page(
    write, database_down, method, path, data, not_done
):
    send = write(method, path, data)
    database_down.start()
    answer = send()
    database_down.undo()
    assert_told_to_come_back(answer)
    body = answer.content.decode()
    assert f"{not_done}: pošaljite ponovo kada se stranica učita." in body
    assert body.count("nije") == 1, body  # no other failure is named


@pytest.mark.parametrize("path", ["/", "/komentari/7/prijava/", "/komentari/moji/", "/pretraga/?q=voda"])
def test_a_page_that_only_reads_names_nothing_as_lost(reader, database_down, path):
    database_down.start()
    answer = reader.get(path)
    as_json = reader.get(path, HTTP_ACCEPT="application/json")
    database_down.undo()
    assert_told_to_come_back(answer)
    assert "nije" not in answer.content.decode()
    assert json.loads(as_json.content)["message"] == (
        "Sajt je trenutno nedostupan zbog tehničkih problema. Pokušajte ponovo za pola minuta."
    )


def test_the_newsroom_gets_the_same_503_when_the_database_is_down(reader, database_down, admin_user):
    reader.force_login(admin_user)
    assert reader.get(reverse("admin:index")).status_code == 200
    database_down.start()
    assert_told_to_come_back(reader.get(reverse("admin:index")))


def test_a_bug_is_still_a_500_not_a_503():
    request = RequestFactory().get("/")
    try:
        raise ZeroDivisionError("a bug, not an outage")
    except ZeroDivisionError:
        response = server_error(request)
    assert response.status_code == 500
    assert not response.has_header("Retry-After")


def test_a_driver_error_behind_another_error_counts_as_an_outage():
    try:
        try:
            raise psycopg.OperationalError("server closed the connection unexpectedly")
        except psycopg.OperationalError as lost:
            raise DatabaseError("could not commit") from lost
    except DatabaseError as error:
        assert database_unreachable(error)
    assert not database_unreachable(DatabaseError("duplicate key value violates unique constraint"))


# A real PostgreSQL stopped and started under a running node.


@pytest.fixture(scope="module")
def own_cluster():
    servers.require(
        connection.vendor == "postgresql" and servers.postgres_bin(),
        "REQUIRE_POSTGRES",
        "stopping a real database needs PostgreSQL (.ci/with-database)",
    )
    cluster = servers.PostgresCluster()
    cluster.start()
    cluster.create_database("citaonica")
    yield cluster
    cluster.destroy()


def test_a_node_answers_503_while_postgresql_is_stopped_and_recovers_without_restart(
    own_cluster, tmp_path, tmp_path_factory
):
    database_url = own_cluster.url("citaonica")
    servers.manage(database_url, "migrate", "--no-input")
    article_path = servers.manage_shell(
        database_url,
        "from articles.tests.factories import ArticleFactory\n"
        "print(ArticleFactory(title='Vodovod najavio radove u centru').get_absolute_url())",
    ).strip()
    static_root = servers.collect_static(tmp_path_factory.mktemp("static"))
    node = servers.start_node(tmp_path, database_url=database_url, static_root=static_root)
    visitor = servers.Visitor(node.url)
    try:
        assert visitor.get(article_path)[0] == 200
        form = comment_form_fields(visitor.get(article_path)[1])
        form.update(
            name="Milena Petrović", email="milena@example.org", comment="Konačno neko da popravi cevi."
        )

        own_cluster.stop()
        status, body, headers = visitor.get("/pretraga/?q=vodovod")
        assert (status, headers.get("Retry-After")) == (503, "30"), body[-2000:]
        assert "Sajt je privremeno nedostupan" in body
        status, body, headers = visitor.post("/komentari/posalji/", form, accept="application/json")
        assert (status, headers.get("Retry-After")) == (503, "30"), body[-2000:]
        assert json.loads(body)["message"].startswith("Komentar nije sačuvan")

        own_cluster.start()
        # The node's next request reconnects; wait for that answer, not for a guessed time.
        servers.wait_until(
            lambda: visitor.get("/pretraga/?q=vodovod")[0] == 200,
            "the search page answering 200 after PostgreSQL came back",
            node.process,
            seconds=10,
        )
        status, body, _ = visitor.post("/komentari/posalji/", form, accept="application/json")
        assert status == 201, body[-2000:]
        assert node.process.poll() is None  # the same node, not a restarted one
    finally:
        node.stop()
    stored = servers.manage_shell(
        database_url, "from comments.models import ArticleComment\nprint(ArticleComment.objects.count())"
    )
    assert stored.strip() == "1"


# A worker killed in the middle of comment posts.


@pytest.fixture(scope="module")
def static_root(tmp_path_factory):
    return servers.collect_static(tmp_path_factory.mktemp("static"))


def post_until_stopped(visitor, form, number, outcomes, stop):
    """Posts comments one after another; each outcome is the HTTP status, or None when no answer came."""
    sequence = 0
    while not stop.is_set():
        sequence += 1
        address = f"citalac-{number}-{sequence}@example.org"
        text = f"Mišljenje {number}-{sequence}." + (" zabranjenarec" if sequence % 3 == 0 else "")
        try:
            status, _, _ = visitor.post(
                "/komentari/posalji/", {**form, "email": address, "comment": text}, accept="application/json"
            )
        except OSError:  # the connection closed with no answer: the worker died
            status = None
        outcomes[address] = (status, text)


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_post_never_leaves_a_comment_half_stored_or_a_success_unstored(
    static_root, tmp_path
):
    servers.require(
        connection.vendor == "postgresql",
        "REQUIRE_POSTGRES",
        "gunicorn nodes need a database server: run with PostgreSQL (.ci/with-database)",
    )
    comment_settings = CommentSettings.get_solo()
    comment_settings.require_email_verification = True
    comment_settings.banned_words = "zabranjenarec"
    comment_settings.save()
    article = ArticleFactory()
    node = servers.start_node(
        tmp_path,
        database_url=servers.database_url_of_tests(),
        static_root=static_root,
        workers=2,
        COMMENTS_RATE_PER_ADDRESS="100000/d",
        COMMENTS_RATE_PER_EMAIL="100000/d",
    )
    outcomes, stop, kills, posters = {}, threading.Event(), 0, []

    def answered():
        return sum(1 for status, _ in list(outcomes.values()) if status == 201)

    def cut_off():
        return sum(1 for status, _ in list(outcomes.values()) if status is None)

    try:
        visitor = servers.Visitor(node.url)
        form = comment_form_fields(visitor.get(article.get_absolute_url())[1])
        form["name"] = "Čitalac"
        posters = [
            threading.Thread(target=post_until_stopped, args=(visitor, form, number, outcomes, stop))
            for number in range(6)
        ]
        for poster in posters:
            poster.start()
        # Five kills, and more (at most twenty) until one has met a post in flight: on a busy machine a kill
        # can find the worker between two requests, and the test is about the kills that do not.
        while kills < 5 or (not cut_off() and kills < 20):
            # A worker that has served a few posts since the last kill, so the kill meets one in flight.
            before = answered()
            servers.wait_until(
                lambda before=before: len(node.workers()) == 2 and answered() >= before + 5,
                "the restarted worker",
                node.process,
            )
            try:
                os.kill(random.choice(node.workers()), signal.SIGKILL)
            except ProcessLookupError:  # it had just gone
                continue
            kills += 1
        # Posts go on after the last kill until the restarted worker has answered some.
        before = answered()
        servers.wait_until(
            lambda: len(node.workers()) == 2 and answered() >= before + 5,
            "the last restarted worker",
            node.process,
        )
    finally:
        stop.set()
        for poster in posters:
            poster.join(timeout=60)
        node.stop()

    statuses = Counter(status for status, _ in outcomes.values())
    assert set(statuses) <= {201, None}, statuses
    assert statuses[None] >= 1, f"no post was in flight when a worker died: {statuses}"
    stored = {comment.user_email: comment for comment in ArticleComment.objects.filter(article=article)}
    for address, (status, text) in outcomes.items():
        if status == 201:
            assert address in stored, f"{address} was told its comment is saved, but it is not"
        if address in stored:
            comment = stored[address]
            assert comment.comment == text
            if "zabranjenarec" in text:
                assert comment.is_removed and comment.decisions.count() == 1, address
            else:
                verification = CommentToken.objects.filter(
                    comment=comment, purpose=CommentToken.Purpose.VERIFY_EMAIL
                )
                assert verification.count() == 1, address
    queued = Counter(address for message in Message.objects.all() for address in message.to_addresses)
    expected = Counter(
        address for address, comment in stored.items() if "zabranjenarec" not in comment.comment
    )
    assert queued == expected  # a verification e-mail for each held comment, none for a comment not stored
