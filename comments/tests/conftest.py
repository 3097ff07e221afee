from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import Group, Permission

from comments.models import CommentSettings


class FormFields(HTMLParser):
    """The fields of the comment form (#komentar-forma) as a browser would submit them."""

    def __init__(self):
        super().__init__()
        self.inside = False
        self.fields = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == "komentar-forma":
            self.inside = True
        elif self.inside and tag in ("input", "textarea") and attrs.get("name"):
            if attrs.get("type") == "checkbox" and "checked" not in attrs:
                return
            self.fields[attrs["name"]] = attrs.get("value", "")

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False


def comment_form_fields(html):
    parser = FormFields()
    parser.feed(html)
    return parser.fields


@pytest.fixture
def moderators_group(db):
    """The Moderatori group as its data migration makes it; transactional tests flush migration data."""
    group, _ = Group.objects.get_or_create(name="Moderatori")
    codenames = [
        "view_articlecomment",
        "change_articlecomment",
        "view_report",
        "can_moderate",
        "add_ban",
        "change_ban",
        "view_ban",
        "view_decision",
    ]
    group.permissions.add(*Permission.objects.filter(codename__in=codenames))
    return group


@pytest.fixture
def comment_settings(db):
    return CommentSettings.get_solo()


@pytest.fixture
def post_comment(client):
    """Posts the real form of an article page, as a reader would, with the given fields filled in."""

    def post(article, *, http_client=None, json=False, cyrillic=False, **fields):
        http_client = http_client or client
        prefix = "/cir" if cyrillic else ""  # the page in Cyrillic posts to the Cyrillic twin of the address
        # A reply to a comment that takes none sends the reader to the page without it (comment_section()).
        page = http_client.get(
            prefix + article.get_absolute_url(), {"odgovor": fields.get("reply_to", "")}, follow=True
        )
        data = comment_form_fields(page.content.decode())
        assert data, "the article page has no comment form"
        data.update(name="Milena Petrović", email="milena@example.org", comment="Zanimljiv tekst, hvala.")
        data.update({key: value for key, value in fields.items() if value is not None})
        headers = {"HTTP_ACCEPT": "application/json"} if json else {}
        return http_client.post(prefix + "/komentari/posalji/", data, **headers)

    return post


SAME_ORIGIN = {"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"}


@pytest.fixture
def reader_browser():
    """A reader's browser on one of our pages, as comments.js drives it: same-origin headers, from
    ``address``, with an identity asked of the identity endpoint first (``identified=False``: none, as
    without JavaScript).
    """
    from django.test import Client

    def browser(address="203.0.113.5", *, identified=True, headers=SAME_ORIGIN):
        client = Client(headers=headers, REMOTE_ADDR=address)
        if identified:
            answer = client.post("/komentari/citalac/", headers={"Accept": "application/json"})
            assert answer.status_code == 200, answer.content
        return client

    return browser
