"""Two app servers sharing one database and one Redis, as in production: what one does, the other sees.

Each test starts Debian's redis-server and two gunicorn nodes with production settings on loopback ports;
the nodes read the test database, so the tests are transactional (the servers see committed rows only).
"""

import json
from html.parser import HTMLParser

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher

from articles.tests.factories import ArticleFactory
from comments.models import ArticleComment
from comments.tests.conftest import comment_form_fields
from comments.tests.factories import ArticleCommentFactory
from config.tests import servers

pytestmark = pytest.mark.django_db(transaction=True)

DESK = "/admin/comments/articlecomment/desk/"
PASSWORD = "lozinka-za-dezurnu-urednicu"


@pytest.fixture
def nodes(static_root, tmp_path):
    """Base URLs of two gunicorn nodes sharing the test database and a fresh Redis."""
    started = []
    try:
        redis_dir = tmp_path / "redis"
        redis_dir.mkdir()
        redis = servers.Redis(redis_dir)
        started.append(redis)
        pages_redis = servers.Redis.for_pages(redis_dir)  # as in production: pages apart, evicting
        started.append(pages_redis)
        # One worker a node: a page cached or a post counted in a worker's own memory would then be met again
        # on that node's next request, so only what the nodes really share makes the tests pass.
        for _ in range(2):
            node = servers.start_node(
                tmp_path,
                database_url=servers.database_url_of_tests(),
                static_root=static_root,
                DJANGO_REDIS_URL=redis.url,
                DJANGO_PAGE_CACHE_REDIS_URL=pages_redis.url,
                # The limit under test counts per day so a ten-minute window cannot roll over mid-test;
                # the per-address count is the one both nodes must share, so the per-e-mail one stays out.
                COMMENTS_RATE_PER_ADDRESS="5/d",
                COMMENTS_RATE_PER_EMAIL="1000/d",
            )
            started.append(node)
        yield [node.url for node in started[2:]]
        for server in started:
            if server.process.poll() is not None:
                pytest.fail(f"{server.name} stopped during the test:\n{server.stderr()}")
    finally:
        for server in reversed(started):
            server.stop()


def page(visitor, path):
    """The body of a page that must answer 200."""
    status, body, _ = visitor.get(path)
    assert status == 200, (path, status, body[-2000:])
    return body


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
    moderator = servers.Visitor(base_url, cookies=True)
    page(moderator, "/admin/login/")
    status, _, _ = moderator.post(
        "/admin/login/?next=/admin/",
        {
            "staff_login_view-current_step": "auth",
            "auth-username": "dezurna",
            "auth-password": PASSWORD,
            "csrfmiddlewaretoken": moderator.cookie("csrftoken"),
        },
    )
    landed = moderator.last_url
    assert status == 200 and landed.endswith("/admin/"), (status, landed)
    return moderator


def test_a_comment_approved_on_one_node_is_shown_by_the_other_on_the_next_request(
    nodes, moderators_group, django_user_model
):
    first, second = nodes
    article = ArticleFactory(title="Gradska biblioteka dobija čitaonicu na krovu")
    comment = ArticleCommentFactory(article=article, is_public=False, comment="Odlična vest za ceo kraj!")
    reader = servers.Visitor(first)
    for _ in range(2):  # the second answer may come from the page cache both nodes share
        shown = page(reader, article.get_absolute_url())
        assert "Gradska biblioteka dobija čitaonicu na krovu" in shown
        assert "Odlična vest za ceo kraj!" not in shown

    moderator = signed_in_moderator(second, moderators_group, django_user_model)
    form = decision_form(page(moderator, DESK), comment.pk)
    status, desk_after, _ = moderator.post(DESK + "odluka/", {**form, "action": "approve"})
    assert status == 200 and "Odobreno" in desk_after
    comment.refresh_from_db()
    assert comment.is_public

    assert "Odlična vest za ceo kraj!" in page(reader, article.get_absolute_url())


def post_comment(base_url, article, number):
    reader = servers.Visitor(base_url)
    data = comment_form_fields(page(reader, article.get_absolute_url()))
    assert data, "the article page has no comment form"
    data.update(
        name=f"Čitalac {number}", email=f"citalac{number}@example.org", comment=f"Mišljenje broj {number}."
    )
    status, body, _ = reader.post("/komentari/posalji/", data, accept="application/json")
    return status, json.loads(body)["message"] if body.startswith("{") else body[-2000:]


def test_the_comment_rate_limit_counts_posts_on_both_nodes_together(nodes):
    article = ArticleFactory()
    answered = [post_comment(nodes[number % 2], article, number) for number in range(6)]
    assert [status for status, _ in answered] == [201] * 5 + [429], answered
    assert answered[-1][1].startswith("Šaljete komentare prebrzo")
    assert ArticleComment.objects.filter(article=article).count() == 5
