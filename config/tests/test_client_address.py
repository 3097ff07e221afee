"""One function decides the reader's address behind proxies; every limit, lockout and stored comment uses it.

The header named by DJANGO_CLIENT_IP_HEADER is read from the right (DJANGO_TRUSTED_PROXY_COUNT entries were
appended by our own proxies); whatever is missing, malformed or only written by the client falls back to the
connection's address and never fails a request.
"""

import pytest
from axes.models import AccessAttempt
from django.test import Client, RequestFactory

from articles.tests.factories import ArticleFactory
from comments.models import ArticleComment
from comments.tests.conftest import comment_form_fields
from comments.tests.factories import ArticleCommentFactory
from config.delivery.client_address import UNKNOWN, client_address, rate_limit_address

PROXY = "10.0.0.7"  # the connection's address: our own proxy's
XFF = "HTTP_X_FORWARDED_FOR"

HEADER_VALUES = [
    pytest.param(None, 1, PROXY, id="missing"),
    pytest.param("", 1, PROXY, id="empty"),
    pytest.param("garbage", 1, PROXY, id="garbage"),
    pytest.param("1.2.3.4", 1, "1.2.3.4", id="one-address"),
    pytest.param("1.2.3.4, 5.6.7.8", 1, "5.6.7.8", id="list-rightmost"),
    pytest.param("  5.6.7.8 ", 1, "5.6.7.8", id="spaces"),
    pytest.param("\t5.6.7.8", 1, "5.6.7.8", id="tab"),
    pytest.param("unknown, 1.2.3.4", 1, "1.2.3.4", id="unknown-then-address"),
    pytest.param("1.2.3.4, unknown", 1, PROXY, id="address-then-unknown-never-leftmost"),
    pytest.param("2001:db8::1", 1, "2001:db8::1", id="ipv6"),
    pytest.param("2001:DB8:0:0::1", 1, "2001:db8::1", id="ipv6-normalised"),
    pytest.param("[2001:db8::1]:443", 1, "2001:db8::1", id="ipv6-brackets-port"),
    pytest.param("[::1]:80", 1, "::1", id="ipv6-loopback-port"),
    pytest.param("[::1", 1, PROXY, id="ipv6-bracket-unclosed"),
    pytest.param("203.0.113.9:51234", 1, "203.0.113.9", id="ipv4-port"),
    pytest.param("203.0.113.9:99999999", 1, PROXY, id="ipv4-bad-port"),
    pytest.param("::ffff:203.0.113.9", 1, "203.0.113.9", id="ipv4-mapped"),
    pytest.param("fe80::1%eth0", 1, PROXY, id="ipv6-zone"),
    pytest.param("9.9.9.9, 8.8.8.8, 1.2.3.4, 5.6.7.8", 1, "5.6.7.8", id="longer-than-trusted"),
    pytest.param("9.9.9.9, 8.8.8.8, 1.2.3.4, 5.6.7.8", 2, "1.2.3.4", id="two-trusted"),
    pytest.param("1.2.3.4, 5.6.7.8", 2, "1.2.3.4", id="two-trusted-exactly-two"),
    pytest.param("5.6.7.8", 2, PROXY, id="fewer-than-trusted"),
    pytest.param("1.2.3.4, 5.6.7.8", 3, PROXY, id="fewer-than-three-trusted"),
    pytest.param("1.2.3.4," * 50_000 + "5.6.7.8", 1, "5.6.7.8", id="overlong-list"),
    pytest.param("1" * 100_000, 1, PROXY, id="overlong-entry"),
    pytest.param("5.6.7.8\x00", 1, PROXY, id="nul"),
    pytest.param("\x00", 1, PROXY, id="only-nul"),
    pytest.param("<script>, ne-adresa", 1, PROXY, id="markup"),
    pytest.param(", ", 1, PROXY, id="empty-entries"),
    pytest.param("1.2.3.4,", 1, PROXY, id="trailing-comma"),
    pytest.param("1.2.3.4 5.6.7.8", 1, PROXY, id="space-separated"),
    pytest.param("256.1.1.1", 1, PROXY, id="octet-out-of-range"),
    pytest.param("01.2.3.4", 1, PROXY, id="leading-zero"),
    pytest.param("١.٢.٣.٤", 1, PROXY, id="arabic-digits"),
]


def request_with(value, remote_addr=PROXY, **meta):
    if value is not None:
        meta[XFF] = value
    return RequestFactory().get("/", REMOTE_ADDR=remote_addr, **meta)


@pytest.mark.parametrize(("value", "trusted", "expected"), HEADER_VALUES)
def test_the_address_from_a_forwarded_header(settings, value, trusted, expected):
    settings.CLIENT_IP_HEADER, settings.TRUSTED_PROXY_COUNT = XFF, trusted
    assert client_address(request_with(value)) == expected


def test_a_single_value_header_is_taken_as_it_is(settings):
    settings.CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_REAL_IP=" 203.0.113.9 ")
    assert client_address(request) == "203.0.113.9"


def test_without_a_configured_header_the_connection_counts_and_headers_are_ignored(settings):
    settings.CLIENT_IP_HEADER = "REMOTE_ADDR"
    assert client_address(request_with("1.2.3.4", HTTP_X_REAL_IP="1.2.3.4")) == PROXY


@pytest.mark.parametrize("remote_addr", ["", "unix:/run/gunicorn.sock", "\x00"])
def test_no_usable_address_at_all_is_none_and_one_shared_rate_limit_key(settings, remote_addr):
    settings.CLIENT_IP_HEADER = XFF
    request = request_with("garbage", remote_addr=remote_addr)
    assert client_address(request) is None
    assert rate_limit_address(request) == UNKNOWN


def test_every_consumer_uses_the_one_function(settings):
    from django_ratelimit.core import _get_ip

    settings.CLIENT_IP_HEADER = XFF
    request = request_with("6.6.6.6, 203.0.113.9")
    assert _get_ip(request) == "203.0.113.9"  # django-ratelimit reads RATELIMIT_IP_META_KEY itself
    from axes.helpers import get_client_ip_address

    assert get_client_ip_address(request) == "203.0.113.9"


def test_the_access_log_gets_the_same_address(behind_proxy, db):
    from config.delivery.request_id import CLIENT_ADDRESS_ENVIRON

    response = Client().get("/robots.txt", **{XFF: "6.6.6.6, 203.0.113.9"})
    assert response.wsgi_request.META[CLIENT_ADDRESS_ENVIRON] == "203.0.113.9"


# Through real requests to every endpoint a rate limit or lockout guards.

BAD_HEADERS = [
    pytest.param({}, id="missing"),
    pytest.param({XFF: ""}, id="empty"),
    pytest.param({XFF: "garbage"}, id="garbage"),
    pytest.param({XFF: "1.2.3.4, garbage"}, id="list-ending-in-garbage"),
    pytest.param({XFF: "[::1"}, id="broken-ipv6"),
    pytest.param({XFF: "1.2.3.4\x00"}, id="nul"),
    pytest.param({XFF: "9" * 10_000}, id="overlong"),
    pytest.param({XFF: ",,,"}, id="only-commas"),
]


@pytest.fixture
def behind_proxy(settings):
    settings.CLIENT_IP_HEADER = XFF
    settings.TRUSTED_PROXY_COUNT = 1


@pytest.fixture
def article(db):
    return ArticleFactory(title="Novi most preko Save")


def post_comment(client, article, email="milena@example.org", **headers):
    data = comment_form_fields(client.get(article.get_absolute_url()).content.decode())
    data.update(name="Milena Petrović", email=email, comment="Zanimljiv tekst, hvala.")
    return client.post("/komentari/posalji/", data, **headers)


def react(client, comment, **headers):
    # From our own pages, as a browser says it: reactions from other sites may be refused before any limit.
    same_origin = {"HTTP_ORIGIN": "http://testserver", "HTTP_SEC_FETCH_SITE": "same-origin"}
    return client.post(f"/komentari/{comment.pk}/reakcija/", {"value": "1"}, **same_origin, **headers)


def ask_for_link(client, email="milena@example.org", **headers):
    return client.post("/komentari/moji/", {"email": email, "honeypot": ""}, **headers)


def sign_in(client, django_user_model, **headers):
    if not django_user_model.objects.filter(username="urednica").exists():
        django_user_model.objects.create_user("urednica", password="tačna-lozinka-redakcije", is_staff=True)
    data = {
        "staff_login_view-current_step": "auth",
        "auth-username": "urednica",
        "auth-password": "pogrešna",
        "next": "/admin/",
    }
    return client.post("/admin/login/", data, **headers)


@pytest.mark.parametrize("headers", BAD_HEADERS)
def test_a_bad_header_never_fails_a_rate_limited_endpoint(behind_proxy, article, django_user_model, headers):
    comment = ArticleCommentFactory(article=article)
    answers = {
        "comment post": post_comment(Client(), article, **headers),
        "reaction": react(Client(), comment, **headers),
        "Moji komentari": ask_for_link(Client(), **headers),
        "admin sign-in": sign_in(Client(), django_user_model, **headers),
    }
    failed = {name: response.status_code for name, response in answers.items() if response.status_code >= 500}
    assert failed == {}
    stored = ArticleComment.objects.exclude(pk=comment.pk).get()
    assert stored.ip_address == "127.0.0.1"  # the test client's connection


def test_the_stored_address_is_the_one_our_proxy_saw(behind_proxy, article):
    assert post_comment(Client(), article, **{XFF: "6.6.6.6, 203.0.113.9"}).status_code == 302
    assert ArticleComment.objects.get().ip_address == "203.0.113.9"


def rotating(number):
    return {XFF: f"198.51.100.{number}, 203.0.113.9"}


def test_rotating_the_leftmost_entry_does_not_escape_the_comment_rate_limit(behind_proxy, article, settings):
    settings.COMMENTS_RATE_PER_ADDRESS = "3/10m"
    answers = [
        post_comment(Client(), article, email=f"r{number}@example.org", **rotating(number)).status_code
        for number in range(4)
    ]
    assert answers == [302, 302, 302, 429]


def test_rotating_the_leftmost_entry_does_not_escape_the_reaction_rate_limit(behind_proxy, article, settings):
    settings.COMMENTS_REACTIONS_RATE = "2/10m"
    comments = ArticleCommentFactory.create_batch(3, article=article)
    answers = [react(Client(), one, **rotating(number)).status_code for number, one in enumerate(comments)]
    assert answers == [302, 302, 429]


def test_rotating_the_leftmost_entry_does_not_escape_the_moji_komentari_limit(behind_proxy, settings, db):
    settings.COMMENTS_MY_COMMENTS_RATE = "2/h"
    answers = [ask_for_link(Client(), f"r{n}@example.org", **rotating(n)).status_code for n in range(3)]
    assert answers == [200, 200, 429]


def test_rotating_the_leftmost_entry_does_not_escape_the_sign_in_lockout(behind_proxy, django_user_model):
    answers = [sign_in(Client(), django_user_model, **rotating(number)).status_code for number in range(6)]
    assert answers == [200] * 4 + [429] * 2  # the fifth failure locks, as from one address
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.9"}


def test_another_reader_behind_the_same_proxy_is_counted_apart(behind_proxy, settings, db):
    settings.COMMENTS_MY_COMMENTS_RATE = "1/h"
    assert ask_for_link(Client(), "a@example.org", **{XFF: "203.0.113.9"}).status_code == 200
    assert ask_for_link(Client(), "b@example.org", **{XFF: "203.0.113.9"}).status_code == 429
    assert ask_for_link(Client(), "c@example.org", **{XFF: "203.0.113.10"}).status_code == 200
