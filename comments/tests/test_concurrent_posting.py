"""Many readers posting and reacting at once: each accepted comment is stored once, with its decision, and
each recorded reaction is counted; nothing else is stored, and nobody gets a 5xx.

The posts go to a real gunicorn (four sync workers, production settings, a Redis of its own) rather than
pytest-django's live_server: separate processes with their own database connections race in the database
the way production nodes do, where live_server's threads would share one interpreter and its GIL. The server
reads the test database, so the test is transactional. It runs on PostgreSQL and, in the SQLite pass
(`make test-sqlite`), on the embedded default's SQLite in a file, where four processes contend for one lock.
"""

import json
import os
import shutil
import threading
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client, override_settings
from mailer.models import Message

from articles.models import Article
from articles.tests.factories import ArticleFactory
from bench import servers
from comments.models import ArticleComment, CommentToken, Decision, HoldReason, Reaction, RejectReason
from comments.tests.conftest import comment_form_fields
from comments.tests.factories import ArticleCommentFactory, signed_in_reader
from config.tests.servers import database_url_of_tests, require, shareable_database

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.sqlite_pass]

THREADS = 8
POSTS_PER_THREAD = 25
WORKERS = 4
BANNED_WORD = "prostakluk"
# Each thread posts these kinds in turn; "duplicate" sends its last "held" post again, word for word.
KINDS = (
    "held", "held_form", "reply", "banned", "trusted", "held", "honeypot", "trusted_reply", "bad_parent",
    "duplicate",
)  # fmt: skip
ACCEPTED_KINDS = {"held", "held_form", "reply", "banned", "trusted", "trusted_reply"}
REFUSED_STATUS = {"honeypot": 400, "bad_parent": 400, "duplicate": 409}
# Each reader also reacts after every post, each time as a new reader, spread so no comment gets more than 3.
REACTION_TARGETS = 72
HELD_NOTICE = "Hvala! Vaš komentar čeka odobrenje moderatora."
PUBLISHED_NOTICE = "Hvala! Vaš komentar je objavljen."


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # the browser below follows redirects itself, to keep the cookies they set


class Browser:
    """A reader's browser without JavaScript or with it (JSON answers), keeping its cookies."""

    opener = urllib.request.build_opener(NoRedirects)

    def __init__(self, base_url, cookies=None):
        self.base_url = base_url
        self.cookies = dict(cookies or {})

    def request(self, path, data=None, json=False, headers=None):
        """(status, body, headers)."""
        headers = {**({"Accept": "application/json"} if json else {}), **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base_url + path, data=body, headers=headers)
        try:
            response = self.opener.open(request, timeout=30)
        except urllib.error.HTTPError as error:
            response = error
        with response:
            status, text = response.status, response.read().decode(errors="replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            value, _, attributes = rest.partition(";")
            if "max-age=0" in attributes.lower().replace(" ", ""):
                self.cookies.pop(name.strip(), None)
            else:
                self.cookies[name.strip()] = value
        return status, text, response.headers

    def form(self, article, reply_to=0):
        status, page, _ = self.request(article.get_absolute_url())
        assert status == 200, (status, page[-2000:])
        fields = comment_form_fields(page)
        assert fields, "the article page has no comment form"
        fields["reply_to"] = str(reply_to)
        return fields


@dataclass
class Post:
    marker: str
    kind: str
    article_id: int
    email: str
    status: int = 0
    notice: str = ""
    parent_id: int = 0

    @property
    def accepted(self):
        return self.status in (201, 302) and self.notice.startswith("Hvala!")


@dataclass
class Reacted:
    comment_id: int
    value: int
    identity_status: int = 0
    status: int = 0
    answer: dict | None = None


@pytest.fixture(scope="module")
def database_and_redis_servers():
    require(
        shareable_database(),
        "REQUIRE_POSTGRES",
        "concurrent posting needs a database other processes can open: PostgreSQL (.ci/with-database) "
        "or SQLite in a file (DJANGO_SQLITE_TEST_FILE, as `make test-sqlite` runs it)",
    )
    require(
        shutil.which("redis-server"),
        "REQUIRE_REDIS",
        "redis-server is not installed (apt-get install redis-server); concurrent posting tests skipped",
    )


@pytest.fixture(scope="module")
def static_root(database_and_redis_servers, tmp_path_factory):
    """Collected static files with their manifest, which production settings need to render any page."""
    root = tmp_path_factory.mktemp("static")
    manifest = {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}
    with override_settings(STATIC_ROOT=root, STORAGES={**settings.STORAGES, "staticfiles": manifest}):
        call_command("collectstatic", interactive=False, verbosity=0)
    return root


@pytest.fixture
def server(static_root, tmp_path):
    """A gunicorn node on the test database with a Redis of its own; yields its base URL."""
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "COMMENTS_"))
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_DEBUG="0",
        # The test's own key: the sessions it signs in with are signed and checked with it.
        DJANGO_SECRET_KEY=settings.SECRET_KEY,
        DJANGO_SECURE="0",
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=database_url_of_tests(),
        DJANGO_STATIC_ROOT=str(static_root),
        DJANGO_MEDIA_ROOT=str(tmp_path / "media"),
        DJANGO_MAILER_LOCK_PATH=str(tmp_path / "send_mail"),
        DJANGO_LOG_LEVEL="WARNING",
        COMMENTS_RATE_PER_ADDRESS="100000/d",  # every reader here posts from 127.0.0.1
        COMMENTS_RATE_PER_EMAIL="100000/d",
        COMMENTS_REACTIONS_RATE="100000/d",
        COMMENTS_READER_IDS_RATE="100000/d",
    )
    redis_dir = tmp_path / "redis"
    redis_dir.mkdir()
    with servers.redis_server(redis_dir) as redis_url:
        environment["DJANGO_REDIS_URL"] = redis_url
        with servers.gunicorn(environment, WORKERS) as base_url:
            yield base_url


@pytest.fixture
def newsroom(comment_settings, django_user_model):
    """Three articles, each with an approved comment to reply to and a held one nobody may reply to, two
    signed-in readers with enough approved comments to be trusted, and approved comments to react to."""
    comment_settings.banned_words = BANNED_WORD
    comment_settings.require_email_verification = True
    comment_settings.trust_enabled = True
    comment_settings.trust_min_approved = 2
    comment_settings.save()
    articles = [ArticleFactory() for _ in range(3)]
    approved = {article.pk: ArticleCommentFactory(article=article).pk for article in articles}
    held = {article.pk: ArticleCommentFactory(article=article, is_public=False).pk for article in articles}
    sessions = []
    for number in range(2):
        # A reader account with a verified address: its comments are proven (comments/posting.py).
        reader = signed_in_reader(f"Stalni Čitalac {number}", f"stalni{number}@example.org")
        for article in articles[:2]:
            ArticleCommentFactory(article=article, user=reader, user_email=reader.email, email_verified=True)
        client = Client()
        client.force_login(reader)
        sessions.append({settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value})
    targets = [
        ArticleCommentFactory(article=articles[number % len(articles)]).pk
        for number in range(REACTION_TARGETS)
    ]
    for article in articles:
        count = ArticleComment.objects.visible().filter(article=article).count()
        Article.objects.filter(pk=article.pk).update(comment_count=count)
    return articles, approved, held, sessions, targets


def send(post, base_url, article, approved, held, session, previous_held):
    """Posts one comment of the given kind the way a reader's browser does; fills in the answer."""
    kind = post.kind
    signed_in = kind.startswith("trusted")
    browser = Browser(base_url, session if signed_in else None)
    if kind in ("reply", "trusted_reply"):
        post.parent_id = approved[article.pk]
    elif kind == "bad_parent":
        post.parent_id = held[article.pk]
    data = browser.form(article, post.parent_id)
    text = f"{post.marker} Mišljenje čitaoca o ovom tekstu, đačko i šaljivo."
    if kind == "banned":
        text += f" Pravi {BANNED_WORD.upper()}!"
    if not signed_in:
        data.update(name="Čitalac Đurić", email=post.email)
    data["comment"] = text
    if kind == "honeypot":
        data["honeypot"] = "http://spam.example"
    if kind == "duplicate":
        data.update(previous_held)
    status, body, headers = browser.request("/komentari/posalji/", data, json=kind != "held_form")
    post.status = status
    if status == 201:
        post.notice = json.loads(body)["message"]
    elif status == 302:
        assert headers["Location"] == article.get_absolute_url() + "#komentari"
        _, page, _ = browser.request(article.get_absolute_url())
        post.notice = HELD_NOTICE if HELD_NOTICE in page else ""
    else:
        post.notice = body[:300]
    return {"comment": text, "email": data.get("email", "")}


def react(reacted, base_url):
    """A new reader likes or dislikes a comment as comments.js does, from the page's own origin: it asks for
    a reader identity, then posts the reaction. (Where the site has no identity address, a 404, the answer to
    the reaction issues the identity.)"""
    browser = Browser(base_url)
    own_origin = {"Origin": base_url, "Sec-Fetch-Site": "same-origin"}
    reacted.identity_status, *_ = browser.request("/komentari/citalac/", {}, json=True, headers=own_origin)
    path = f"/komentari/{reacted.comment_id}/reakcija/"
    status, body, _ = browser.request(path, {"value": str(reacted.value)}, json=True, headers=own_origin)
    reacted.status = status
    try:
        reacted.answer = json.loads(body)
    except ValueError:
        reacted.answer = {"body": body[:300]}


def run_threads(base_url, articles, approved, held, sessions, targets):
    posts, reactions, failures = [], [], []

    def reader(number):
        try:
            previous_held = previous_held_article = None
            session = sessions[number % len(sessions)]
            for count in range(POSTS_PER_THREAD):
                kind = KINDS[count % len(KINDS)]
                article = articles[(number + count) % len(articles)]
                if kind == "duplicate":
                    if previous_held is None:
                        raise AssertionError(f"post {count}: the held post to send again was not accepted")
                    article = next(a for a in articles if a.pk == previous_held_article)
                post = Post(
                    marker=f"[k{number}-{count}]",
                    kind=kind,
                    article_id=article.pk,
                    email=f"citalac-{number}-{count}@example.org",
                )
                sent = send(post, base_url, article, approved, held, session, previous_held)
                posts.append(post)
                if kind == "held" and post.accepted:
                    previous_held, previous_held_article = sent, article.pk
                turn = number * POSTS_PER_THREAD + count
                reacted = Reacted(targets[turn % len(targets)], 1 if turn % 3 else -1)
                react(reacted, base_url)
                reactions.append(reacted)
        except Exception as error:  # reported by the test thread
            failures.append(f"reader {number}: {error!r}")

    threads = [threading.Thread(target=reader, args=(number,)) for number in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a reader thread hung"
    return posts, reactions, failures


def test_concurrent_posts_and_reactions_are_each_stored_once_with_their_decision(server, newsroom):
    articles, approved, held, sessions, targets = newsroom
    posts, reactions, failures = run_threads(server, articles, approved, held, sessions, targets)
    failed = [(post.kind, post.status, post.notice) for post in posts if post.status >= 500]
    failed += [
        (reacted.identity_status, reacted.status, reacted.answer)
        for reacted in reactions
        if max(reacted.identity_status, reacted.status) >= 500
    ]
    assert not failed, f"{len(failed)} answers were server errors: {failed[:5]}"
    assert not failures, failures
    assert len(posts) == len(reactions) == THREADS * POSTS_PER_THREAD

    unexpected = [
        post
        for post in posts
        if (post.kind in ACCEPTED_KINDS and not post.accepted)
        or (post.kind in REFUSED_STATUS and post.status != REFUSED_STATUS[post.kind])
    ]
    assert not unexpected, unexpected[:5]
    accepted = {post.marker: post for post in posts if post.accepted}
    refused = {post.marker for post in posts if not post.accepted}

    stored = list(ArticleComment.objects.filter(comment__startswith="[k"))
    markers = Counter(comment.comment.split(" ", 1)[0] for comment in stored)
    assert [marker for marker, count in markers.items() if count > 1] == []
    assert set(markers) == set(accepted), "stored comments differ from the accepted ones"
    assert not refused & set(markers)

    decisions = Counter(Decision.objects.values_list("comment_id", "action", "reason", "moderator_id"))
    mail_to = Counter(address for message in Message.objects.all() for address in message.to_addresses)
    tokens = Counter(
        CommentToken.objects.filter(purpose=CommentToken.Purpose.VERIFY_EMAIL).values_list(
            "comment_id", flat=True
        )
    )
    for comment in stored:
        post = accepted[comment.comment.split(" ", 1)[0]]
        # A root comment is its own parent in django-comments-xtd.
        assert (comment.article_id, comment.parent_id) == (post.article_id, post.parent_id or comment.pk)
        assert comment.level == (1 if post.parent_id else 0), post
        if post.kind.startswith("trusted"):
            assert (comment.is_public, comment.is_removed, comment.email_verified) == (True, False, True)
            assert comment.hold_reasons == []
            assert post.notice == PUBLISHED_NOTICE
            assert decisions[(comment.pk, Decision.Action.APPROVE, "trusted", None)] == 1
            assert comment.pk not in tokens
        elif post.kind == "banned":
            assert (comment.is_public, comment.is_removed) == (False, True)
            assert comment.reject_reason == RejectReason.BANNED_WORD
            assert decisions[(comment.pk, Decision.Action.REJECT, RejectReason.BANNED_WORD, None)] == 1
            assert mail_to[post.email] == 0 and comment.pk not in tokens
        else:
            assert (comment.is_public, comment.is_removed) == (False, False)
            assert comment.hold_reasons == [HoldReason.UNVERIFIED_EMAIL, HoldReason.NEW_COMMENTER]
            assert post.notice.startswith(HELD_NOTICE)
            assert not any(key[0] == comment.pk for key in decisions)
            assert mail_to[post.email] == 1 and tokens[comment.pk] == 1, post
    assert sum(decisions.values()) == sum(
        post.kind in ("banned", "trusted", "trusted_reply") for post in accepted.values()
    )

    for article in Article.objects.filter(pk__in=[article.pk for article in articles]):
        visible = ArticleComment.objects.visible().filter(article=article).count()
        assert article.comment_count == visible, article

    # Every reaction answered as recorded (each came from a new reader) is counted, and nothing else is.
    unrecorded = [reacted for reacted in reactions if reacted.status != 200 or not reacted.answer.get("ok")]
    assert not unrecorded, unrecorded[:5]
    assert all(reacted.answer["mine"] == reacted.value for reacted in reactions)
    answered = Counter((reacted.comment_id, reacted.value) for reacted in reactions)
    counted = {
        pk: (likes, dislikes)
        for pk, likes, dislikes in ArticleComment.objects.filter(pk__in=targets).values_list(
            "pk", "like_count", "dislike_count"
        )
    }
    assert counted == {pk: (answered[(pk, 1)], answered[(pk, -1)]) for pk in targets}
    stored_reactions = Counter(Reaction.objects.values_list("comment_id", "value"))
    assert stored_reactions == answered


def test_a_double_click_stores_the_comment_once(server, newsroom):
    """Without JavaScript a second click sends the form again while the first post is still on its way."""
    articles, *_ = newsroom
    answers = {}
    for number in range(10):
        data = Browser(server).form(articles[number % len(articles)])
        data.update(name="Dvoklik", email=f"dvoklik{number}@example.org", comment=f"[d{number}] Isti tekst.")
        both_sent = threading.Barrier(2)

        def click(number=number, data=data, both_sent=both_sent):
            both_sent.wait()
            status, *_ = Browser(server).request("/komentari/posalji/", data, json=True)
            answers.setdefault(number, []).append(status)

        clicks = [threading.Thread(target=click) for _ in range(2)]
        for thread in clicks:
            thread.start()
        for thread in clicks:
            thread.join(timeout=60)

    stored = Counter(
        text.split(" ", 1)[0]
        for text in ArticleComment.objects.filter(comment__startswith="[d").values_list("comment", flat=True)
    )
    assert stored == {f"[d{number}]": 1 for number in range(10)}
    assert all(sorted(statuses) == [201, 409] for statuses in answers.values()), answers
