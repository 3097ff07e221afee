"""Every redirect to an address a request gave stays on this site (config/delivery/redirects.py).

Each view that redirects gets every hostile variant below, in the place it takes an address from (a
``next`` parameter, the path itself, a link's token). Whatever it answers, it never fails, and a ``Location``
it sends is a path of this site as a browser reads it. Hypothesis adds arbitrary strings and compositions
of the dangerous pieces. Legitimate addresses, in both scripts and with their query, still lead there.
"""

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from functools import cached_property
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from django.contrib.auth.models import Group
from django.test import Client, RequestFactory
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from articles.tests.factories import ArticleFactory
from comments.models import CommentToken, hash_token
from comments.my_comments import MY_COMMENTS
from comments.tests.factories import ArticleCommentFactory
from config.delivery.redirects import is_site_path

pytestmark = pytest.mark.django_db

PASSWORD = "lozinka-za-preusmeravanja"
EMAIL = "milica@example.org"
DESK_DECIDE = "/admin/comments/articlecomment/desk/odluka/"
# The page a redirect is answered on, to resolve its Location the way a browser does.
HERE = "https://citaonica.rs/komentari/moji/"

HOSTILE = {
    "scheme-relative": "//evil.com",
    "slash-backslash": "/\\evil.com",
    "backslashes": "\\\\evil.com",
    "three-slashes": "///evil.com",
    "encoded-slashes": "/%2F%2Fevil.com",
    "double-encoded-slashes": "/%252F%252Fevil.com",
    "encoded-backslash": "/%5Cevil.com",
    "encoded-backslashes-no-slash": "%5C%5Cevil.com",
    "encoded-tab": "/%09/evil.com",
    "tab": "/\t/evil.com",
    "newline": "/\n/evil.com",
    "carriage-return": "/\r/evil.com",
    "nul": "/\x00/evil.com",
    "leading-spaces": "  //evil.com",
    "leading-tab": "\t//evil.com",
    "header-injection": "/politika/\r\nSet-Cookie: x=1",
    "https": "https://evil.com",
    "javascript": "javascript:alert(1)",
    "javascript-mixed-case": "JaVaScRiPt:alert(1)",
    "data": "data:text/html,<script>alert(1)</script>",
    "userinfo": "https://ok@evil.com",
    "userinfo-scheme-relative": "//citaonica.rs@evil.com",
    "idn-host": "//еxample.com",  # the first letter is Cyrillic
    "punycode-host": "//xn--xample-2of.com",
    "fullwidth-slashes": "／／evil.com",
    "http-without-slashes": "http:evil.com",
    "https-backslashes": "https:\\\\evil.com",
    "cyrillic-scheme-relative": "/cir//evil.com",
    "cyrillic-doubled": "/cir/cir//evil.com",
    "cyrillic-backslash": "/cir/\\evil.com",
    "cyrillic-encoded-slashes": "/cir/%2F%2Fevil.com",
    "cyrillic-three-slashes": "/cir///evil.com",
    "cyrillic-tab": "/cir/\t/evil.com",
    "cyrillic-https": "/cir/https://evil.com",
    "dot-segment": "/.//evil.com",
    "overlong": "/" + "a" * 10_000,
}


def as_browser_reads(location):
    """Where a browser goes: it trims C0 controls and spaces, drops tabs and newlines, reads "\\" as "/"."""
    text = location.strip("".join(map(chr, range(0x21))))
    text = text.replace("\t", "").replace("\n", "").replace("\r", "").replace("\\", "/")
    return urljoin(HERE, text)


def assert_on_site(response):
    assert response.status_code < 500
    location = response.headers.get("Location")
    if location is None:
        return
    assert location.startswith("/") and not location.startswith(("//", "/\\")), location
    assert "\\" not in location and not any(unicodedata.category(char)[0] in "CZ" for char in location)
    parts = urlsplit(location)
    assert not parts.scheme and not parts.netloc, location
    # Not even once a proxy has decoded it (twice): Django's own slash-appending redirect keeps an encoded
    # backslash inside the path, which is harmless there.
    assert not unquote(unquote(parts.path)).replace("\\", "/").startswith("//"), location
    reached = urlsplit(as_browser_reads(location))
    assert (reached.scheme, reached.netloc) == ("https", "citaonica.rs"), location


def wsgi_path(path):
    """A path as the server hands it to Django: already percent-decoded, UTF-8 bytes as Latin-1."""
    return path.encode("utf-8", "surrogatepass").decode("latin-1")


def with_cyrillic_chosen():
    client = Client()
    client.cookies["pismo"] = "cir"
    return client


def raw_get(client, path, query=""):
    """A GET for exactly this path, which the test client would otherwise parse (``//evil.com`` is a host)."""
    return client.generic("GET", "/", PATH_INFO=wsgi_path(path), QUERY_STRING=wsgi_path(query))


class Site:
    """What the views need, made on first use."""

    @cached_property
    def staff(self):
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.create_user("dezurni", password=PASSWORD, is_staff=True)
        user.groups.add(Group.objects.get(name="Moderatori"))
        return user

    @cached_property
    def staff_client(self):
        client = Client()
        client.force_login(self.staff)
        return client

    @cached_property
    def article(self):
        return ArticleFactory(title="Most preko Save")

    @cached_property
    def comments(self):
        return [ArticleCommentFactory(article=self.article, user_email=EMAIL) for _ in range(2)]

    @cached_property
    def my_comments_token(self):
        self.comments  # noqa: B018 - the link lists the address's comments
        token = CommentToken.new_token()
        CommentToken.objects.create(
            purpose=MY_COMMENTS,
            email_key=EMAIL,
            token_hash=hash_token(token),
            expires_at=timezone.now() + timedelta(hours=24),
        )
        return token

    @cached_property
    def unsubscribe_token(self):
        return CommentToken.issue(self.comments[0], CommentToken.Purpose.UNSUBSCRIBE)


def under(prefix, value):
    return prefix + value if value.startswith("/") else f"{prefix}/{value}"


@dataclass(frozen=True)
class View:
    name: str
    answer: Callable  # (site, value) -> response

    def __str__(self):
        return self.name


def _sign_in(site, value):
    data = {
        "staff_login_view-current_step": "auth",
        "auth-username": site.staff.username,
        "auth-password": PASSWORD,
        "next": value,
    }
    return Client().post("/admin/login/", data)


def _sign_out(site, value):
    site.staff_client.force_login(site.staff)
    return site.staff_client.post("/admin/logout/", {"next": value})


def _my_comments_delete(site, value):
    path = f"/komentari/moji/{site.my_comments_token}/obrisi/"
    return Client().post(path, {"komentar": str(site.comments[0].pk), "next": value})


def _unsubscribe(site, value):
    path = f"/komentari/odjava/{site.unsubscribe_token}/"
    return Client().generic("POST", path, QUERY_STRING=wsgi_path(f"next={value}"))


VIEWS = [
    View("script switch to Latin", lambda site, value: Client().get("/pismo/lat/", {"next": value})),
    View("script switch to Cyrillic", lambda site, value: Client().get("/pismo/cir/", {"next": value})),
    View("Cyrillic address", lambda site, value: raw_get(Client(), under("/cir", value))),
    View("Cyrillic newsroom address", lambda site, value: raw_get(Client(), under("/cir/admin", value))),
    View("Cyrillic newsroom query", lambda site, value: raw_get(Client(), "/cir/admin/", f"next={value}")),
    View(
        "Latin address, Cyrillic chosen",
        lambda site, value: raw_get(with_cyrillic_chosen(), under("", value)),
    ),
    View("admin sign-in", _sign_in),
    View("admin sign-out", _sign_out),
    View("moderation desk", lambda site, value: site.staff_client.post(DESK_DECIDE, {"next": value})),
    View("Moji komentari, delete", _my_comments_delete),
    View("Moji komentari, link", lambda site, value: raw_get(Client(), under("/komentari/moji", value))),
    View("unsubscribe", _unsubscribe),
    View(
        "comment permalink",
        lambda site, value: Client().get(f"/komentari/{site.comments[0].pk}/", {"next": value}),
    ),
]


@pytest.mark.parametrize("value", HOSTILE.values(), ids=HOSTILE.keys())
@pytest.mark.parametrize("view", VIEWS, ids=str)
def test_no_hostile_address_leads_off_the_site(view, value):
    assert_on_site(view.answer(Site(), value))


PIECES = [
    "/", "//", "\\", "/cir", "/cir/", "cir", "%2F", "%5C", "%252F", "%255C", "%09", "%00", "\t", "\n", "\r",
    "\x00", " ", "\u3000", "\u200b", "／", "evil.com", "еxample.com", "@", ":", "https:", "javascript:",
    "data:", "?", "#", ".", "..", "politika", "admin", "pismo",
]  # fmt: skip
TARGETS = st.one_of(
    st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=40),
    st.lists(st.sampled_from(PIECES), min_size=1, max_size=8).map("".join),
)
QUICK_VIEWS = [view for view in VIEWS if view.name not in {"admin sign-out", "comment permalink"}]


@pytest.mark.parametrize("view", QUICK_VIEWS, ids=str)
def test_no_string_leads_off_the_site(view):
    site = Site()

    @given(TARGETS)
    def check(value):
        assert_on_site(view.answer(site, value))

    check()


@given(TARGETS)
def test_an_accepted_target_is_a_path_a_browser_keeps_on_the_site(value):
    request = RequestFactory().get("/", secure=True)
    if is_site_path(request, value):
        assert as_browser_reads(value).startswith("https://citaonica.rs/")
        assert "//" not in urlsplit(value).path and "\\" not in value


SWITCH = {view.name: view for view in VIEWS}

LEGITIMATE = [
    ("script switch to Latin", "/politika/", "/politika/"),
    ("script switch to Latin", "/cir/politika/?strana=2", "/politika/?strana=2"),
    ("script switch to Latin", "/cir/", "/"),
    ("script switch to Cyrillic", "/politika/", "/cir/politika/"),
    ("script switch to Cyrillic", "/cir/politika/", "/cir/politika/"),
    ("script switch to Cyrillic", "/pretraga/?q=%C5%A1uma&strana=2", "/cir/pretraga/?q=%C5%A1uma&strana=2"),
    ("script switch to Cyrillic", "/admin/", "/admin/"),  # the newsroom has no Cyrillic twin
    ("Cyrillic newsroom address", "/articles/", "/admin/articles/"),
    ("Latin address, Cyrillic chosen", "/politika/", "/cir/politika/"),
    ("admin sign-in", "/admin/articles/article/?q=most", "/admin/articles/article/?q=most"),
    ("admin sign-out", "/politika/", "/politika/"),
    ("moderation desk", "/admin/comments/articlecomment/desk/?red=prijave", "/admin/comments/articlecomment/desk/?red=prijave"),  # noqa: E501
]  # fmt: skip


@pytest.mark.parametrize(("name", "value", "location"), LEGITIMATE)
def test_addresses_of_the_site_still_lead_where_they_point(name, value, location):
    response = SWITCH[name].answer(Site(), value)
    assert response.status_code == 302 and response["Location"] == location


@pytest.mark.parametrize(
    ("name", "fallback"),
    [
        ("script switch to Latin", "/"),
        ("script switch to Cyrillic", "/cir/"),
        ("admin sign-in", "/admin/"),
        ("moderation desk", "/admin/comments/articlecomment/desk/"),
    ],
)
@pytest.mark.parametrize("value", ["//evil.com", "/cir//evil.com", "/cir/\\evil.com", "/%2F%2Fevil.com"])
def test_a_refused_target_leads_to_the_views_own_page(name, fallback, value):
    response = SWITCH[name].answer(Site(), value)
    assert response.status_code == 302 and response["Location"] == fallback


def test_moji_komentari_returns_to_the_list_whatever_next_says():
    site = Site()
    response = _my_comments_delete(site, "//evil.com")
    assert response.status_code == 302
    assert response["Location"] == f"/komentari/moji/{site.my_comments_token}/"
