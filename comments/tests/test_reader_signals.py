"""Reactions and reports cannot be forged: by another site, by a client without an identity, or by one
collecting fresh identities. Identities come from their own uncached endpoint, and what one network can do
to a comment is capped (comments/readers.py, comments/moderation.py)."""

import threading
from datetime import timedelta

import pytest
import time_machine
from django.db import connection, connections
from django.test import Client
from django.utils import timezone

from articles.models import Article, SiteSettings
from articles.tests.factories import ArticleFactory
from comments import moderation
from comments.models import ArticleComment, Reaction, Report
from comments.readers import READER_COOKIE, network_key
from comments.retention import erase_old_personal_data
from comments.tests.factories import ArticleCommentFactory

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite_pass]

JSON = {"Accept": "application/json"}
FOREIGN_MESSAGE = "Reakcije i prijave primamo samo sa stranica ovog sajta."
THREADS = 8
CAPPED_MESSAGE = "Iz vaše mreže danas je stiglo dovoljno reakcija na ovaj komentar; vaša se ne računa."


@pytest.fixture
def comment(comment_settings):
    SiteSettings.get_solo()
    # Published long ago: some tests send signals from the past, when the article must already be public.
    article = ArticleFactory(published_at=timezone.now() - timedelta(days=60))
    comment = ArticleCommentFactory(article=article, comment="Komentar na meti.")
    moderation.refresh_comment_count(comment.article_id)
    return comment


def react(client, comment, value="1", **headers):
    return client.post(f"/komentari/{comment.pk}/reakcija/", {"value": value}, headers={**JSON, **headers})


def report(client, comment, reason="spam", **headers):
    return client.post(f"/komentari/{comment.pk}/prijava/", {"reason": reason}, headers={**JSON, **headers})


def counts(comment):
    comment.refresh_from_db()
    return comment.like_count, comment.dislike_count


def hidden(comment):
    comment.refresh_from_db()
    return comment.hidden_by_reports


# From another site: refused with a Serbian message before anything is looked up or written.

FOREIGN = {
    "foreign origin, cross-site": {"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"},
    "foreign origin only": {"Origin": "https://evil.example"},
    "cross-site only": {"Sec-Fetch-Site": "cross-site"},
    "same-site sibling": {"Origin": "http://blog.testserver", "Sec-Fetch-Site": "same-site"},
    "null origin (sandboxed page)": {"Origin": "null"},
    "our host over https, request over http": {"Origin": "https://testserver"},
    "our host with a port": {"Origin": "http://testserver:8080"},
    "our host as a prefix": {"Origin": "http://testserver.evil.example"},
    "same-origin claimed, foreign origin": {
        "Origin": "https://evil.example",
        "Sec-Fetch-Site": "same-origin",
    },
    "unknown fetch site": {"Sec-Fetch-Site": "somewhere"},
    "foreign referer only": {"Referer": "https://evil.example/stranica/"},
    "unreadable referer only": {"Referer": "nije adresa"},
}


@pytest.mark.parametrize("headers", FOREIGN.values(), ids=FOREIGN.keys())
def test_reactions_and_reports_from_another_site_are_refused(comment, reader_browser, headers):
    # Even a reader with an identity, whose browser another page drives.
    reader = Client(headers=headers)
    reader.cookies[READER_COOKIE] = reader_browser().cookies[READER_COOKIE].value
    for answer in (react(reader, comment, **headers), report(reader, comment, **headers)):
        assert answer.status_code == 403
        assert answer.json() == {"ok": False, "message": FOREIGN_MESSAGE, "errors": {}}
    page = reader.post(f"/komentari/{comment.pk}/reakcija/", {"value": "1"}, headers=headers)
    assert page.status_code == 403 and FOREIGN_MESSAGE in page.content.decode()
    identity = Client().post("/komentari/citalac/", headers=headers)
    assert identity.status_code == 403 and READER_COOKIE not in identity.cookies
    assert counts(comment) == (0, 0)
    assert not Reaction.objects.exists() and not Report.objects.exists()
    assert comment.report_count == 0


@pytest.mark.parametrize("headers", FOREIGN.values(), ids=FOREIGN.keys())
def test_another_site_learns_nothing_of_a_comment_that_is_not_shown(headers):
    missing = react(Client(), ArticleCommentFactory.build(pk=987654), **headers)
    held = report(Client(), ArticleCommentFactory(is_public=False), **headers)
    assert missing.status_code == held.status_code == 403
    assert missing.content == held.content


SAME = {
    "same origin": {"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"},
    "origin only (browser without fetch metadata)": {"Origin": "http://testserver"},
    "fetch metadata only": {"Sec-Fetch-Site": "same-origin"},
    "typed by the reader": {"Sec-Fetch-Site": "none"},
    "the site address": {"Origin": "https://www.citaonica.example", "Sec-Fetch-Site": "same-origin"},
}


@pytest.mark.parametrize("headers", SAME.values(), ids=SAME.keys())
def test_our_own_pages_react_with_the_readers_identity(comment, reader_browser, settings, headers):
    settings.SITE_URL = "https://www.citaonica.example"
    reader = reader_browser(headers=headers)
    assert react(reader, comment).json()["mine"] == 1
    assert react(reader, comment).json()["mine"] is None  # the identity's own toggle: withdrawn
    assert report(reader, comment).status_code == 200
    assert Report.objects.get().reader_key.startswith("a:")


# A scripted attacker on one network: no cookie, a fresh identity each time, or both by turns.


def test_a_client_without_identity_moves_a_count_once(comment):
    attacker = Client(REMOTE_ADDR="203.0.113.66")
    for headers in ({}, {"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"}) * 5:
        assert react(attacker, comment, **headers).status_code == 200
    assert counts(comment) == (1, 0)
    assert READER_COOKIE not in attacker.cookies  # using a reaction never mints an identity


def test_fresh_identities_from_one_network_add_at_most_three_reactions_a_day(comment, reader_browser):
    answers = [react(reader_browser(f"203.0.113.{n}"), comment) for n in range(1, 9)]
    assert [answer.status_code for answer in answers] == [200] * 3 + [429] * 5
    assert answers[-1].json()["message"] == CAPPED_MESSAGE
    assert react(Client(REMOTE_ADDR="203.0.113.99"), comment).status_code == 429  # nor without identity
    assert counts(comment) == (3, 0)
    assert react(reader_browser("198.51.100.7"), comment, "-1").status_code == 200  # another network
    assert counts(comment) == (3, 1)

    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        later = [react(reader_browser(f"203.0.113.{n}"), comment).status_code for n in range(10, 14)]
    assert later == [200, 200, 200, 429]
    assert counts(comment) == (6, 1)


def test_a_reader_at_the_cap_can_still_change_or_withdraw(comment, reader_browser):
    first = reader_browser("203.0.113.1")
    react(first, comment)
    for n in (2, 3):
        react(reader_browser(f"203.0.113.{n}"), comment)
    assert react(reader_browser("203.0.113.4"), comment).status_code == 429
    assert react(first, comment, "-1").json()["mine"] == -1
    assert counts(comment) == (2, 1)
    assert react(first, comment, "-1").json()["mine"] is None
    assert counts(comment) == (2, 0)
    assert react(reader_browser("203.0.113.4"), comment).status_code == 200  # the slot is free again


def test_fresh_identities_from_one_network_cannot_hide_a_comment(comment, reader_browser):
    for n in range(1, 11):
        assert report(reader_browser(f"203.0.113.{n}"), comment).status_code == 200
    for n in range(1, 6):
        assert report(Client(REMOTE_ADDR=f"203.0.113.{n + 100}"), comment).status_code in (200, 409)
    assert not hidden(comment)
    assert comment.report_count == Report.objects.count() == 11  # the moderators still see each report
    assert "Komentar na meti." in Client().get(comment.article.get_absolute_url()).content.decode()


NETWORKS = {
    "IPv4, one /24": (["203.0.113.1", "203.0.113.77", "203.0.113.254"], False),
    "IPv4, three /24s": (["203.0.113.1", "203.0.114.1", "198.51.100.1"], True),
    "IPv4 mapped in IPv6 and plain, one /24": (["::ffff:203.0.113.1", "203.0.113.2", "198.51.100.1"], False),
    "IPv4 mapped in IPv6, three /24s": (
        ["::ffff:203.0.113.1", "::ffff:198.51.100.1", "::ffff:192.0.2.1"],
        True,
    ),
    "IPv6, one /64": (["2001:db8:1:2::1", "2001:db8:1:2:aaaa::1", "2001:db8:1:2:ffff:ffff:ffff:ffff"], False),
    "IPv6, three /64s of one /48": (["2001:db8:1:2::1", "2001:db8:1:3::1", "2001:db8:1:4::1"], True),
    "two networks": (["203.0.113.1", "203.0.113.2", "198.51.100.1"], False),
}


@pytest.mark.parametrize(("addresses", "hides"), NETWORKS.values(), ids=NETWORKS.keys())
def test_three_identities_hide_a_comment_only_from_three_networks(comment, reader_browser, addresses, hides):
    for address in addresses:
        assert report(reader_browser(address), comment).status_code == 200
    assert hidden(comment) is hides
    assert comment.report_count == 3


def test_one_identity_counts_once_from_any_number_of_networks(comment, reader_browser):
    reader = reader_browser("203.0.113.1")
    cookie = reader.cookies[READER_COOKIE].value
    for address in ("203.0.113.1", "198.51.100.1", "192.0.2.1"):
        roaming = Client(headers={"Origin": "http://testserver"}, REMOTE_ADDR=address)
        roaming.cookies[READER_COOKIE] = cookie
        report(roaming, comment)
    assert Report.objects.count() == 1 and not hidden(comment)


def test_reports_older_than_a_day_do_not_count(comment, reader_browser):
    with time_machine.travel(timezone.now() - timedelta(hours=25)):
        for address in ("203.0.113.1", "198.51.100.1"):
            report(reader_browser(address), comment)
    report(reader_browser("192.0.2.1"), comment)
    assert not hidden(comment) and comment.report_count == 3
    report(reader_browser("192.0.3.1"), comment)
    assert not hidden(comment)
    report(reader_browser("192.0.4.1"), comment)
    assert hidden(comment)


def test_the_configured_number_of_reports_hides(comment, comment_settings, reader_browser):
    comment_settings.reports_to_hide = 2
    comment_settings.save()
    report(reader_browser("203.0.113.1"), comment)
    report(reader_browser("203.0.113.2"), comment)
    assert not hidden(comment)
    report(reader_browser("198.51.100.1"), comment)
    assert hidden(comment)


# Without JavaScript: plain forms work, and count for the network only.


def test_without_javascript_a_reader_reacts_and_reports_for_the_network(comment):
    reader = Client(REMOTE_ADDR="203.0.113.8")
    reacted = reader.post(f"/komentari/{comment.pk}/reakcija/", {"value": "1"})
    assert reacted.status_code == 302 and reacted["Location"] == f"/komentari/{comment.pk}/"
    neighbour = Client(REMOTE_ADDR="203.0.113.9")
    assert neighbour.post(f"/komentari/{comment.pk}/reakcija/", {"value": "1"}).status_code == 302
    assert counts(comment) == (1, 0)  # the network's one reaction, kept (not toggled off) by a neighbour
    neighbour.post(f"/komentari/{comment.pk}/reakcija/", {"value": "-1"})
    assert counts(comment) == (0, 1)

    form = reader.get(f"/komentari/{comment.pk}/prijava/")
    assert form.status_code == 200 and 'name="reason"' in form.content.decode()
    reported = reader.post(f"/komentari/{comment.pk}/prijava/", {"reason": "abuse"})
    assert reported.status_code == 302
    again = neighbour.post(f"/komentari/{comment.pk}/prijava/", {"reason": "spam"}, headers=JSON)
    assert again.status_code == 409
    assert again.json()["message"] == "Ovaj komentar je već prijavljen iz vaše mreže."
    assert Report.objects.get().reader_key.startswith("n:")


def test_a_cookie_without_the_browsers_word_on_the_origin_counts_for_the_network(comment, reader_browser):
    cookies = [reader_browser(f"203.0.113.{n}").cookies[READER_COOKIE].value for n in range(1, 4)]
    for n, cookie in enumerate(cookies, start=1):
        old_browser = Client(REMOTE_ADDR=f"203.0.113.{n}")  # neither Origin nor Sec-Fetch-Site
        old_browser.cookies[READER_COOKIE] = cookie
        react(old_browser, comment)
    assert counts(comment) == (1, 0)


def test_unidentified_reports_count_once_per_network(comment):
    for address in ("203.0.113.1", "203.0.113.2", "198.51.100.1"):
        report(Client(REMOTE_ADDR=address), comment)
    assert not hidden(comment)
    report(Client(REMOTE_ADDR="192.0.2.1"), comment)
    assert hidden(comment)


# The identity endpoint and the reader's own reactions: uncached, and pages stay shared.


def test_the_identity_endpoint_issues_once_never_cached(reader_browser):
    reader = Client(headers={"Origin": "http://testserver"})
    first = reader.post("/komentari/citalac/", headers=JSON)
    assert first.status_code == 200 and first.json()["issued"] is True
    cookie = first.cookies[READER_COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    for answer in (first, reader.post("/komentari/citalac/")):
        assert set(answer["Cache-Control"].replace(" ", "").split(",")) >= {"private", "no-store"}
    again = reader.post("/komentari/citalac/")
    assert again.json()["issued"] is False and READER_COOKIE not in again.cookies
    assert reader.get("/komentari/citalac/").status_code == 405


def test_forged_identity_cookies_are_no_identity(comment):
    forger = Client(headers={"Origin": "http://testserver"}, REMOTE_ADDR="203.0.113.1")
    for forged in ("a1b2c3", "a1b2c3:1abc:zzz", ""):
        forger.cookies[READER_COOKIE] = forged
        react(forger, comment)
    assert list(Reaction.objects.values_list("reader_key", flat=True)) == [f"n:{network_key('203.0.113.1')}"]


def test_identities_are_issued_at_a_limited_rate_per_network(settings):
    settings.COMMENTS_READER_IDS_RATE = "2/h"

    def ask(address):
        client = Client(headers={"Origin": "http://testserver"}, REMOTE_ADDR=address)
        return client.post("/komentari/citalac/")

    assert [ask(f"203.0.113.{n}").status_code for n in range(1, 4)] == [200, 200, 429]
    refused = ask("203.0.113.200")
    assert refused.status_code == 429 and READER_COOKIE not in refused.cookies
    assert refused.json()["message"] == "Previše novih čitalaca iz vaše mreže. Pokušajte ponovo kasnije."
    assert ask("198.51.100.1").status_code == 200


def test_a_reader_holding_the_cookie_gets_the_shared_page_from_the_cache(
    comment, reader_browser, django_assert_num_queries
):
    url = comment.article.get_absolute_url()
    reader = reader_browser()
    react(reader, comment)
    assert READER_COOKIE in reader.cookies
    first = reader.get(url)
    assert first.status_code == 200 and 'aria-pressed="true"' not in first.content.decode()
    with django_assert_num_queries(0):
        second = reader.get(url)
    assert second.status_code == 200 and second.content == first.content
    assert "public" in second["Cache-Control"]
    assert Client().get(url).content == first.content  # nothing of this reader on anyone's page


def test_the_reaction_state_is_the_readers_own_and_uncached(comment, reader_browser, django_user_model):
    other_comment = ArticleCommentFactory(article=comment.article)
    held = ArticleCommentFactory(article=comment.article)
    elsewhere = ArticleCommentFactory(article=ArticleFactory())
    reader, other = reader_browser("203.0.113.1"), reader_browser("198.51.100.1")
    react(reader, comment, "1")
    react(reader, other_comment, "-1")
    react(reader, held, "1")
    react(reader, elsewhere, "1")
    react(other, comment, "-1")
    moderation.reject(held)
    url = f"/komentari/clanak/{comment.article_id}/moje-reakcije/"

    mine = reader.get(url)
    assert mine.json() == {"reactions": {str(comment.pk): 1, str(other_comment.pk): -1}}
    assert {"private", "no-store"} <= set(mine["Cache-Control"].replace(" ", "").split(","))
    assert other.get(url).json() == {"reactions": {str(comment.pk): -1}}
    assert Client().get(url).json() == {"reactions": {}}
    signed_in = Client()
    signed_in.force_login(django_user_model.objects.create_user("ivana", password="x"))
    react(signed_in, comment, "-1", Origin="http://testserver")
    assert signed_in.get(url).json() == {"reactions": {str(comment.pk): -1}}

    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    assert reader.get(f"/komentari/clanak/{draft.pk}/moje-reakcije/").status_code == 404


# Where a signal came from is kept as a keyed hash, never the address, and only as long as addresses are.


def test_networks_are_stored_hashed_and_erased_with_the_addresses(comment, reader_browser, settings):
    settings.COMMENTS_IP_RETENTION_DAYS = 30
    with time_machine.travel(timezone.now() - timedelta(days=31)):
        react(reader_browser("203.0.113.7"), comment)
        report(reader_browser("203.0.113.8"), comment)
    reader_keys_before = list(Report.objects.values_list("reader_key", flat=True))
    report(reader_browser("2001:db8:1:2::5"), comment)
    stored = [
        Reaction.objects.get().network,
        Report.objects.get(reader_key__in=reader_keys_before).network,
        Report.objects.exclude(reader_key__in=reader_keys_before).get().network,
    ]
    assert stored[0] == stored[1] == network_key("203.0.113.200") and stored[2] != stored[0]
    for network in stored:
        assert len(network) == 32 and "203" not in network and "2001" not in network
        assert network not in {"203.0.113.0/24", "2001:db8:1:2::/64"}

    erasure = erase_old_personal_data()
    assert erasure.networks == 2
    assert list(Reaction.objects.values_list("network", flat=True)) == [""]
    assert sorted(Report.objects.values_list("network", flat=True)) == sorted(["", stored[2]])
    assert ArticleComment.objects.get(pk=comment.pk).like_count == 1  # the signals themselves stay


# Many at once: the cap holds when fresh identities of one network react in the same instant.


@pytest.mark.django_db(transaction=True)
def test_simultaneous_reactions_from_one_network_stay_within_the_cap():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite runs one writer at a time")
    comment = ArticleCommentFactory(article=ArticleFactory())
    network = network_key("203.0.113.1")
    start = threading.Barrier(THREADS)
    outcomes = []

    def reader(number):
        try:
            start.wait()
            outcomes.append(moderation.react(comment, f"a:{number}", 1, network=network))
        except moderation.NetworkCapReached:
            outcomes.append("capped")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=reader, args=(number,)) for number in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(map(str, outcomes)) == ["1"] * 3 + ["capped"] * (THREADS - 3)
    assert counts(comment) == (3, 0) and Reaction.objects.count() == 3
