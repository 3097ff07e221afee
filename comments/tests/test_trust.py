"""The trust ladder publishes a regular's comment at once, but only for a poster who proves the address.

Proof is a signed-in account with that address or the verification link mailed to it; typing the address
into the form is not proof. Everything goes through the real form, the real mail and the real link.
"""

import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from articles.tests.factories import ArticleFactory
from comments import moderation
from comments.models import ArticleComment, Decision, HoldReason
from comments.tests.factories import ArticleCommentFactory, signed_in_reader

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite_pass]

REGULAR = "stalni@example.org"
LINK = re.compile(r"http://127\.0\.0\.1:8000(/komentari/potvrda/[^/\s]+/)")
PUBLISHED = "Hvala! Vaš komentar je objavljen."
HELD = (
    "Hvala! Vaš komentar čeka odobrenje moderatora. "
    "Poslali smo vam e-poruku: potvrdite adresu linkom iz nje."
)


@pytest.fixture
def article():
    return ArticleFactory(published_at=timezone.now() - timedelta(hours=2))


@pytest.fixture
def trust_on(comment_settings):
    comment_settings.trust_enabled, comment_settings.trust_min_approved = True, 3
    comment_settings.save()
    return comment_settings


def approved_comments(article, email, count=3, proven=True):
    return [
        ArticleCommentFactory(article=article, user_email=email, email_verified=proven, comment=f"Staro {n}")
        for n in range(count)
    ]


@pytest.fixture
def regular(article, trust_on):
    """An address with three approved comments, each proven (by a link or by signing in)."""
    approved_comments(article, REGULAR)
    return REGULAR


def signed_in(django_user_model, email, username="stalni"):
    """A reader signed in with an account whose address ``email`` is verified (comments/posting.py)."""
    client = Client()
    client.force_login(signed_in_reader(f"Čitalac {username}", email))
    return client


def link_in(message):
    return LINK.search(message.body).group(1)


def comment_with(text):
    return ArticleComment.objects.get(comment=text)


def on_page(article, text):
    return text in Client().get(article.get_absolute_url()).content.decode()


def assert_held(article, text):
    comment = comment_with(text)
    assert not comment.is_public and not comment.is_removed
    assert not Decision.objects.filter(comment=comment).exists()
    assert not on_page(article, text)


@pytest.mark.parametrize(
    "typed",
    [REGULAR, "STALNI@EXAMPLE.ORG", "Stalni@Example.Org", f"  {REGULAR}  ", f"\t{REGULAR}\n"],
    ids=["same", "upper-case", "mixed-case", "spaces", "tab-and-newline"],
)
def test_typing_a_regulars_address_does_not_publish_but_mails_the_address_a_link(
    post_comment, article, regular, mailoutbox, typed
):
    response = post_comment(article, email=typed, comment="Podmetnut komentar.", json=True)
    assert response.status_code == 201 and response.json()["message"] == HELD
    assert_held(article, "Podmetnut komentar.")
    comment = comment_with("Podmetnut komentar.")
    assert HoldReason.UNVERIFIED_EMAIL in comment.hold_reasons and not comment.email_verified
    (message,) = mailoutbox  # the link goes to the address's owner, not to whoever typed it
    assert message.to == [typed.strip()] and link_in(message)


def test_a_signed_in_account_with_another_address_gets_no_trust_for_a_regulars(
    post_comment, article, regular, django_user_model, mailoutbox
):
    client = signed_in(django_user_model, "urednik@example.org", "urednik")
    response = post_comment(article, http_client=client, email=REGULAR, comment="Tuđa adresa.", json=True)
    assert response.json()["message"] == "Hvala! Vaš komentar čeka odobrenje moderatora."  # and no link
    assert_held(article, "Tuđa adresa.")
    # The account comments with its own address, whatever the post says: the regular's earns it nothing.
    assert comment_with("Tuđa adresa.").email_key == "urednik@example.org" and mailoutbox == []


def test_the_answer_does_not_tell_a_regulars_address_from_an_unknown_one(
    post_comment, article, regular, mailoutbox
):
    regulars = post_comment(article, email=REGULAR, comment="Prvi tekst.", json=True)
    unknown = post_comment(article, email="niko@example.org", comment="Drugi tekst.", json=True)
    def answer(response):  # each answer's edit grant names its own comment, token and time
        body = response.json()
        return response.status_code, body["message"], sorted(body), sorted(body["edit"])

    assert answer(regulars) == answer(unknown)
    assert [message.to for message in mailoutbox] == [[REGULAR], ["niko@example.org"]]


@pytest.mark.parametrize("account_email", [REGULAR, "Stalni@Example.ORG"], ids=["same", "other-case"])
def test_signed_in_account_with_the_regulars_address_is_published_at_once(
    post_comment, article, regular, django_user_model, mailoutbox, account_email
):
    client = signed_in(django_user_model, account_email)
    response = post_comment(article, http_client=client, email=REGULAR, comment="Moj komentar.", json=True)
    assert response.status_code == 201 and response.json()["message"] == PUBLISHED
    comment = comment_with("Moj komentar.")
    assert comment.is_public and comment.email_verified
    assert Decision.objects.get(comment=comment).reason == "trusted"
    assert on_page(article, "Moj komentar.") and mailoutbox == []


def test_the_verification_link_publishes_the_regulars_comment(post_comment, article, regular, mailoutbox):
    post_comment(article, email=REGULAR, comment="Potvrđujem linkom.")
    assert_held(article, "Potvrđujem linkom.")
    page = Client().get(link_in(mailoutbox[0]))
    assert page.status_code == 200
    assert "Vaša e-adresa je potvrđena i komentar je objavljen." in page.content.decode()
    comment = comment_with("Potvrđujem linkom.")
    assert comment.is_public and comment.email_verified and comment.hold_reasons == []
    decision = Decision.objects.get(comment=comment)
    assert (decision.reason, decision.moderator) == ("trusted", None)
    assert on_page(article, "Potvrđujem linkom.")
    assert Client().get(link_in(mailoutbox[0])).status_code == 200  # a second click changes nothing
    assert Decision.objects.filter(comment=comment).count() == 1


def test_a_link_for_one_comment_does_not_publish_another_unproven_one(
    post_comment, article, regular, mailoutbox
):
    post_comment(article, email=REGULAR, comment="Pravi autor.")
    post_comment(article, email=REGULAR.upper(), comment="Uljez sa istom adresom.")
    first_link = link_in(mailoutbox[0])
    assert Client().get(first_link).status_code == 200
    assert comment_with("Pravi autor.").is_public
    assert_held(article, "Uljez sa istom adresom.")
    assert not comment_with("Uljez sa istom adresom.").email_verified


@pytest.mark.parametrize(
    "proven, unproven", [(0, 3), (0, 10), (2, 5)], ids=["none-proven", "many-unproven", "too-few-proven"]
)
def test_approved_comments_from_an_unproven_address_earn_no_trust(
    post_comment, article, trust_on, django_user_model, mailoutbox, proven, unproven
):
    approved_comments(article, REGULAR, proven, proven=True)
    approved_comments(article, REGULAR, unproven, proven=False)
    client = signed_in(django_user_model, REGULAR)
    post_comment(article, http_client=client, email=REGULAR, comment="Sa nalogom.")
    assert_held(article, "Sa nalogom.")
    post_comment(article, email=REGULAR, comment="Sa linkom.")
    page = Client().get(link_in(mailoutbox[0]))
    assert "komentar čeka odobrenje moderatora" in page.content.decode()
    assert_held(article, "Sa linkom.")


def test_an_address_proven_by_links_climbs_the_ladder(post_comment, article, trust_on, mailoutbox):
    for number in range(3):
        post_comment(article, email="nova@example.org", comment=f"Komentar {number}.")
        assert Client().get(link_in(mailoutbox[-1])).status_code == 200
        assert_held(article, f"Komentar {number}.")  # not trusted yet: a moderator decides
        moderation.approve(comment_with(f"Komentar {number}."))
    post_comment(article, email="nova@example.org", comment="Četvrti.")
    assert_held(article, "Četvrti.")
    Client().get(link_in(mailoutbox[-1]))
    assert comment_with("Četvrti.").is_public and on_page(article, "Četvrti.")


def test_an_address_never_proven_does_not_climb_the_ladder(post_comment, article, trust_on, mailoutbox):
    for number in range(4):
        post_comment(article, email="nova@example.org", comment=f"Komentar {number}.")
        moderation.approve(comment_with(f"Komentar {number}."))  # approved, link never opened
    post_comment(article, email="nova@example.org", comment="Peti.")
    assert_held(article, "Peti.")


def test_the_link_does_not_overrule_a_moderator_or_a_recent_rejection(
    post_comment, article, regular, mailoutbox
):
    post_comment(article, email=REGULAR, comment="Moderator ga je odbio.")
    moderation.reject(comment_with("Moderator ga je odbio."))
    Client().get(link_in(mailoutbox[0]))
    rejected = comment_with("Moderator ga je odbio.")
    assert rejected.is_removed and not rejected.is_public

    post_comment(article, email=REGULAR, comment="Posle odbijanja.")
    page = Client().get(link_in(mailoutbox[1]))
    assert "čeka odobrenje" in page.content.decode()
    assert_held(article, "Posle odbijanja.")


def test_too_many_links_keep_a_proven_regular_waiting(post_comment, article, regular, mailoutbox):
    text = "https://a.example https://b.example https://c.example"
    post_comment(article, email=REGULAR, comment=text)
    Client().get(link_in(mailoutbox[0]))
    assert_held(article, text)


def test_an_expired_link_publishes_nothing(post_comment, article, regular, mailoutbox):
    post_comment(article, email=REGULAR, comment="Kasno otvoren link.")
    with time_machine.travel(timezone.now() + timedelta(days=4)):
        assert Client().get(link_in(mailoutbox[0])).status_code == 400
    assert_held(article, "Kasno otvoren link.")


def test_with_the_ladder_off_a_proven_regular_waits_and_gets_no_link(
    post_comment, article, comment_settings, django_user_model, mailoutbox
):
    approved_comments(article, REGULAR)
    post_comment(article, email=REGULAR, comment="Bez lestvice.")
    assert_held(article, "Bez lestvice.")
    client = signed_in(django_user_model, REGULAR)
    post_comment(article, http_client=client, email=REGULAR, comment="Prijavljen, bez lestvice.")
    assert_held(article, "Prijavljen, bez lestvice.")
    assert mailoutbox == []
