"""Readers' accounts (django-allauth under /nalog/): sign-up and sign-in by an e-mailed code, staff apart,
hostile ``next`` addresses, rate limits, private answers and the profile page."""

import html
import re
from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from allauth.account.models import EmailAddress
from axes.models import AccessAttempt, AccessLog
from django.contrib.auth import SESSION_KEY
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.tests.factories import ArticleFactory
from comments import accounts
from comments.demo import load_demo_reader
from comments.display_names import name_key
from comments.models import ReaderProfile
from comments.tests.factories import ArticleCommentFactory
from config.tests.test_accounts import PASSWORD, log_in

pytestmark = pytest.mark.django_db

SIGNUP = "/nalog/signup/"
REQUEST_CODE = "/nalog/login/code/"
CONFIRM_CODE = "/nalog/login/code/confirm/"
CONFIRM_EMAIL = "/nalog/confirm-email/"
PROFILE = "/nalog/profil/"


def sent_code(mailoutbox):
    return re.search(r"\b(\d{8})\b", mailoutbox[-1].body).group(1)


def signed_in(client):
    return SESSION_KEY in client.session


def make_reader(django_user_model, email="citalac@example.com", name="Vesna Čitalac"):
    user = django_user_model.objects.create_user("citalac-" + email.split("@")[0], email=email)
    user.set_unusable_password()
    user.save()
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    ReaderProfile.objects.create(user=user, display_name=name, name_key=name_key(name))
    return user


@pytest.fixture
def reader(django_user_model):
    return make_reader(django_user_model)


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_user(
        "urednica", email="Urednica@Example.com", password=PASSWORD, is_staff=True
    )


def sign_up(client, mailoutbox, email="nova@example.com", name="Nova Čitateljka", next_url=None):
    data = {"email": email, "display_name": name}
    if next_url is not None:
        data["next"] = next_url
    response = client.post(SIGNUP, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return client.post(CONFIRM_EMAIL, {"code": sent_code(mailoutbox)})


def sign_in(client, mailoutbox, email, next_url=None):
    """As a browser does it: the code page it is sent to carries ``next`` on."""
    data = {"email": email} if next_url is None else {"email": email, "next": next_url}
    confirm = client.post(REQUEST_CODE, data)["Location"]
    page = client.get(confirm).content.decode()
    code_form = page.split('action="/nalog/login/code/confirm/"', 1)[1].split("</form>", 1)[0]
    found = re.search(r'<input type="hidden" name="next" value="([^"]*)"', code_form)
    fields = {"next": html.unescape(found.group(1))} if found else {}
    return client.post(confirm, {"code": sent_code(mailoutbox), **fields})


# Sign-up and sign-in --------------------------------------------------------------------------------------


def test_sign_up_page_asks_for_address_and_name_in_serbian_without_a_password(client):
    page = client.get(SIGNUP).content.decode()
    assert "Otvorite nalog čitaoca" in page and "Ime koje se prikazuje uz komentare" in page
    assert 'name="email"' in page and 'name="display_name"' in page
    assert "password" not in page and "Password" not in page and "Sign" not in page


def test_reader_signs_up_with_an_emailed_code_and_lands_signed_in_on_the_profile(client, mailoutbox):
    response = sign_up(client, mailoutbox)
    assert response.status_code == 302 and response["Location"] == PROFILE
    assert signed_in(client)
    profile = ReaderProfile.objects.get(display_name="Nova Čitateljka")
    assert profile.user.email == "nova@example.com" and not profile.user.is_staff
    assert not profile.user.has_usable_password()
    assert EmailAddress.objects.get(user=profile.user).verified
    assert "Nova Čitateljka" in client.get(PROFILE).content.decode()
    assert mailoutbox[0].subject == "Potvrdite e-adresu"


def test_the_code_email_is_in_the_readers_script(client, mailoutbox):
    client.post("/cir" + SIGNUP, {"email": "nova@example.com", "display_name": "Нова"})
    assert mailoutbox[-1].subject == "Потврдите е-адресу"
    assert re.search(r"\b\d{8}\b", mailoutbox[-1].body)


@pytest.mark.parametrize(
    "name, message",
    [
        ("Moderator", "rezervisano"),
        ("Уредник", "rezervisano"),
        ("Pe\u200dra", "nevidljive"),
        ("", "Unesite ime"),
        ("x" * 41, "najviše"),
    ],
)
def test_sign_up_with_a_bad_name_is_refused_and_saves_nothing(client, mailoutbox, name, message):
    response = client.post(SIGNUP, {"email": "nova@example.com", "display_name": name})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ReaderProfile.objects.exists() and not EmailAddress.objects.exists()
    assert not mailoutbox


def test_sign_up_with_a_name_another_reader_has_is_refused(client, reader, mailoutbox):
    response = client.post(SIGNUP, {"email": "nova@example.com", "display_name": "vesna citalac"})
    assert response.status_code == 400 and "već koristi drugi čitalac" in response.content.decode()
    assert ReaderProfile.objects.count() == 1


@pytest.mark.parametrize("email", ["", "nije-adresa", "a@b", "x" * 300 + "@example.com"])
def test_sign_up_with_a_bad_address_is_refused(client, mailoutbox, email):
    response = client.post(SIGNUP, {"email": email, "display_name": "Nova"})
    assert response.status_code == 400
    assert not EmailAddress.objects.exists() and not mailoutbox


def test_reader_signs_in_with_a_code_sent_by_email(client, reader, mailoutbox):
    response = client.post(REQUEST_CODE, {"email": "CITALAC@example.com"})
    assert response.status_code == 302 and response["Location"] == CONFIRM_CODE
    assert mailoutbox[-1].subject == "Kod za prijavu: " + sent_code(mailoutbox)
    response = client.post(CONFIRM_CODE, {"code": sent_code(mailoutbox)})
    assert response.status_code == 302 and response["Location"] == PROFILE
    assert client.session[SESSION_KEY] == str(reader.pk)


def test_wrong_code_is_refused_in_serbian_and_signs_no_one_in(client, reader, mailoutbox):
    client.post(REQUEST_CODE, {"email": reader.email})
    right = sent_code(mailoutbox)
    wrong = "00000000" if right != "00000000" else "11111111"
    response = client.post(CONFIRM_CODE, {"code": wrong})
    assert response.status_code == 400 and "Netačan kod" in response.content.decode()
    assert not signed_in(client)


def test_after_too_many_wrong_codes_even_the_right_one_is_refused(client, reader, mailoutbox, settings):
    client.post(REQUEST_CODE, {"email": reader.email})
    right = sent_code(mailoutbox)
    wrong = "00000000" if right != "00000000" else "11111111"
    for _ in range(settings.ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS):
        client.post(CONFIRM_CODE, {"code": wrong})
    client.post(CONFIRM_CODE, {"code": right})
    assert not signed_in(client)


def test_a_code_cannot_be_used_twice(client, reader, mailoutbox):
    sign_in(client, mailoutbox, reader.email)
    client.post(reverse("account_logout"))
    assert not signed_in(client)
    response = client.post(CONFIRM_CODE, {"code": sent_code(mailoutbox)})
    assert not signed_in(client)
    assert response.status_code in (302, 400)


def test_an_expired_code_signs_no_one_in(client, reader, mailoutbox, settings):
    client.post(REQUEST_CODE, {"email": reader.email})
    later = timezone.now() + timedelta(seconds=settings.ACCOUNT_LOGIN_BY_CODE_TIMEOUT + 5)
    with time_machine.travel(later):
        client.post(CONFIRM_CODE, {"code": sent_code(mailoutbox)})
    assert not signed_in(client)


def test_code_for_an_unknown_address_answers_like_a_known_one(client, mailoutbox):
    response = client.post(REQUEST_CODE, {"email": "niko@example.com"})
    assert response.status_code == 302 and response["Location"] == CONFIRM_CODE
    assert mailoutbox[-1].subject == "Nalog ne postoji"


def test_password_sign_in_leads_to_the_code_sign_in_keeping_next(client):
    response = client.get("/nalog/login/?next=/grad/")
    assert response.status_code == 302 and response["Location"] == REQUEST_CODE + "?next=%2Fgrad%2F"


def test_the_forms_sign_in_link_returns_the_reader_to_the_page_they_came_from(client):
    """The link is the same on every article (shared pages carry nothing of one reader): the way back is the
    Referer of our own page, and the next step is allauth's code sign-in, which checks it again."""
    response = client.get("/nalog/login/", HTTP_REFERER="http://testserver/sport/5-derbi/?redosled=novi")
    assert response["Location"] == REQUEST_CODE + "?next=%2Fsport%2F5-derbi%2F%3Fredosled%3Dnovi"
    given = client.get("/nalog/login/?next=/grad/", HTTP_REFERER="http://testserver/sport/5-derbi/")
    assert given["Location"] == REQUEST_CODE + "?next=%2Fgrad%2F"  # an explicit next wins


@pytest.mark.parametrize(
    "referer",
    [
        "https://evil.example/sport/5-derbi/",
        "http://testserver.evil.example/sport/",
        "//evil.example/",
        "http://testserver//evil.example/",
        "http://testserver/\\evil.example/",
        "javascript:alert(1)",
        "http://testserver/nalog/login/code/",
        "http://[::1/",
        "nije adresa",
    ],
)
def test_a_foreign_or_broken_referer_gives_no_way_back(client, referer):
    response = client.get("/nalog/login/", HTTP_REFERER=referer)
    assert response.status_code == 302 and response["Location"] == REQUEST_CODE


@pytest.mark.parametrize(
    "path",
    [
        "/nalog/password/change/",
        "/nalog/password/set/",
        "/nalog/password/reset/",
        "/nalog/password/reset/done/",
        "/nalog/password/reset/key/1-abc/",
        "/nalog/email/",
        "/nalog/reauthenticate/",
        "/nalog/3rdparty/",
    ],
)
def test_pages_readers_have_no_use_for_answer_not_found(client, reader, path):
    client.force_login(reader)
    assert client.get(path).status_code == 404


# Where a sign-in leads -------------------------------------------------------------------------------------


def test_after_sign_in_the_reader_goes_back_to_the_page_they_came_from(client, reader, mailoutbox):
    article = ArticleFactory()
    response = sign_in(client, mailoutbox, reader.email, next_url=article.get_absolute_url())
    assert response["Location"] == article.get_absolute_url()


@pytest.mark.parametrize(
    "hostile",
    [
        "//evil.example/",
        "/\\evil.example/",
        "https:evil.example",
        "https://evil.example/",
        "javascript:alert(1)",
        "\\\\evil.example",
        " //evil.example",
        "http:///evil.example",
    ],
)
def test_a_hostile_next_address_leads_to_the_profile_instead(client, reader, mailoutbox, hostile):
    response = sign_in(client, mailoutbox, reader.email, next_url=hostile)
    assert signed_in(client)
    assert response["Location"] == PROFILE


def test_sign_up_honours_a_safe_next_and_refuses_a_hostile_one(client, mailoutbox):
    response = sign_up(client, mailoutbox, next_url="//evil.example/")
    assert response["Location"] == PROFILE


# Staff stay apart -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lowercase_in_account", [False, True])
@pytest.mark.parametrize(
    "address",
    ["Urednica@Example.com", "urednica@example.com", "UREDNICA@EXAMPLE.COM", "ｕrednica@example.com"],
)
def test_a_staff_address_gets_no_code_and_the_same_answer_as_anyone(
    client, editor, mailoutbox, address, lowercase_in_account
):
    if lowercase_in_account:
        editor.email = editor.email.lower()
        editor.save()
    response = client.post(REQUEST_CODE, {"email": address})
    assert response.status_code in (302, 400)
    if response.status_code == 302:
        assert response["Location"] == CONFIRM_CODE
    assert not mailoutbox
    assert not signed_in(client)
    assert client.get(reverse("admin:index"))["Location"].startswith(reverse("admin:login"))


def test_a_staff_user_who_gets_a_code_anyway_is_refused_and_gets_no_session(client, editor, mailoutbox):
    editor.email = "urednica@example.com"
    editor.save()
    with mock.patch.object(accounts, "is_staff_address", return_value=False):
        client.post(REQUEST_CODE, {"email": editor.email})
        response = client.post(CONFIRM_CODE, {"code": sent_code(mailoutbox)})
    assert response.status_code == 403
    assert "ne može da se prijavi kao čitalac" in response.content.decode()
    assert not signed_in(client)
    assert client.get(reverse("admin:index"))["Location"].startswith(reverse("admin:login"))
    assert not AccessAttempt.objects.exists() and not AccessLog.objects.exists()


def test_a_superuser_is_refused_like_staff(client, django_user_model, mailoutbox):
    boss = django_user_model.objects.create_user("glavna", email="glavna@example.com", is_superuser=True)
    with mock.patch.object(accounts, "is_staff_address", return_value=False):
        client.post(REQUEST_CODE, {"email": boss.email})
        client.post(CONFIRM_CODE, {"code": sent_code(mailoutbox)})
    assert not signed_in(client)


def test_signing_up_with_a_staff_address_makes_no_account_and_signs_no_one_in(client, editor, mailoutbox):
    response = client.post(SIGNUP, {"email": "urednica@example.com", "display_name": "Nova"})
    assert response.status_code in (302, 400)
    assert not signed_in(client)
    assert not ReaderProfile.objects.exists()
    assert not mailoutbox
    assert list(type(editor).objects.all()) == [editor]


def test_a_signed_in_reader_is_not_staff_and_the_admin_sends_them_to_its_sign_in(client, reader, mailoutbox):
    sign_in(client, mailoutbox, reader.email)
    reader.refresh_from_db()
    assert not reader.is_staff and not reader.is_superuser
    assert client.get(reverse("admin:index"))["Location"].startswith(reverse("admin:login"))


def test_readers_wrong_codes_never_count_towards_the_staff_lockout(
    client, editor, reader, mailoutbox, settings
):
    client.post(REQUEST_CODE, {"email": reader.email})
    wrong = "00000000" if sent_code(mailoutbox) != "00000000" else "11111111"
    for _ in range(settings.AXES_FAILURE_LIMIT + 2):
        client.post(CONFIRM_CODE, {"code": wrong})
        client.post(REQUEST_CODE, {"email": editor.email})
    assert not AccessAttempt.objects.exists()
    response = log_in(client, "urednica", PASSWORD)
    assert response.status_code == 302 and signed_in(client)


# Rate limits and private answers --------------------------------------------------------------------------


def test_too_many_code_requests_for_one_address_get_our_page(reader, mailoutbox):
    answers = [Client().post(REQUEST_CODE, {"email": reader.email}).status_code for _ in range(3)]
    assert answers == [302, 302, 302]
    response = Client().post(REQUEST_CODE, {"email": reader.email.upper()})
    assert response.status_code == 429
    assert "Previše pokušaja" in response.content.decode()
    assert "private" in response["Cache-Control"]
    assert len(mailoutbox) == 3


def test_too_many_code_requests_from_one_network_get_our_page():
    answers = [
        Client().post(REQUEST_CODE, {"email": f"citalac{n}@example.com"}).status_code for n in range(21)
    ]
    assert answers[:20] == [302] * 20 and answers[20] == 429
    other_network = Client(REMOTE_ADDR="192.0.2.7").post(REQUEST_CODE, {"email": "citalac0@example.com"})
    assert other_network.status_code == 302


@pytest.mark.parametrize("path", [SIGNUP, REQUEST_CODE, "/nalog/logout/", "/cir" + SIGNUP])
def test_account_pages_are_private_and_never_shared(client, path):
    response = client.get(path)
    assert response.status_code in (200, 302)
    cache_control = response["Cache-Control"]
    assert "private" in cache_control and "no-store" in cache_control


def test_the_profile_page_is_private(client, reader):
    client.force_login(reader)
    response = client.get(PROFILE)
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


def test_sign_out_takes_a_post(client, reader):
    client.force_login(reader)
    client.get("/nalog/logout/")
    assert signed_in(client)
    client.post("/nalog/logout/")
    assert not signed_in(client)


# Profile page ----------------------------------------------------------------------------------------------


def test_profile_asks_anonymous_readers_to_sign_in(client):
    response = client.get(PROFILE)
    assert response.status_code == 302
    assert response["Location"] == REQUEST_CODE + "?next=" + PROFILE


def test_profile_refuses_staff(client, editor):
    client.force_login(editor)
    assert client.get(PROFILE).status_code == 403


def test_reader_changes_name_and_notification_choices(client, reader):
    client.force_login(reader)
    response = client.post(PROFILE, {"display_name": "Vesna Nova", "notify_outcomes": "on"})
    assert response.status_code == 200 and "Sačuvano" in response.content.decode()
    profile = ReaderProfile.objects.get(user=reader)
    assert (profile.display_name, profile.notify_replies, profile.notify_outcomes) == (
        "Vesna Nova",
        False,
        True,
    )
    assert profile.name_key == name_key("Vesna Nova")


@pytest.mark.parametrize("name", ["Moderator", "Vesna\u200b", "", "Pеra"])
def test_profile_refuses_a_bad_name_and_keeps_the_old_one(client, reader, name):
    client.force_login(reader)
    response = client.post(PROFILE, {"display_name": name, "notify_replies": "on"})
    assert response.status_code == 400 and "nisu sačuvane" in response.content.decode()
    assert ReaderProfile.objects.get(user=reader).display_name == "Vesna Čitalac"


def test_profile_refuses_a_name_taken_by_another_reader(client, reader, django_user_model):
    make_reader(django_user_model, "druga@example.com", "Druga Osoba")
    client.force_login(reader)
    response = client.post(PROFILE, {"display_name": "druga osoba"})
    assert response.status_code == 400 and "već koristi drugi čitalac" in response.content.decode()


def test_a_race_for_a_name_answers_with_the_message_not_an_error(client, reader, django_user_model):
    make_reader(django_user_model, "druga@example.com", "Druga Osoba")
    client.force_login(reader)
    taken = ("Druga Osoba", name_key("Druga Osoba"))
    with mock.patch.object(accounts, "clean_display_name", return_value=taken):
        response = client.post(PROFILE, {"display_name": "Druga Osoba"})
    assert response.status_code == 400 and "već koristi drugi čitalac" in response.content.decode()
    assert ReaderProfile.objects.get(user=reader).display_name == "Vesna Čitalac"


def test_profile_lists_only_the_readers_visible_comments(client, reader, django_user_model):
    other = make_reader(django_user_model, "druga@example.com", "Druga Osoba")
    article = ArticleFactory(title="Most na Savi")
    ArticleCommentFactory(article=article, user=reader, comment="Moj vidljivi komentar")
    ArticleCommentFactory(article=article, user=reader, comment="Moj skriveni komentar", is_public=False)
    ArticleCommentFactory(article=article, user=other, comment="Tuđi komentar")
    client.force_login(reader)
    page = client.get(PROFILE).content.decode()
    assert "Moj vidljivi komentar" in page and "Most na Savi" in page
    assert "Moj skriveni komentar" not in page and "Tuđi komentar" not in page
    assert 'href="/nalog/obrisi/"' in page


# The session, the user, the profile, the page of comments and their count, and the site's frame.
PROFILE_QUERIES = 7


def profile_queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(PROFILE).status_code == 200
    return len(queries)


def test_profile_queries_do_not_grow_with_comments(client, reader):
    article = ArticleFactory()
    ArticleCommentFactory(article=article, user=reader)
    client.force_login(reader)
    profile_queries(client)  # the site's settings are cached after the first page
    few = profile_queries(client)
    for other in ArticleFactory.create_batch(3):
        ArticleCommentFactory.create_batch(5, article=other, user=reader)
    assert profile_queries(client) == few == PROFILE_QUERIES


def test_profile_pages_through_many_comments(client, reader):
    article = ArticleFactory()
    ArticleCommentFactory.create_batch(25, article=article, user=reader)
    client.force_login(reader)
    assert client.get(PROFILE + "?strana=2").status_code == 200
    assert "Strana 2 od 2" in client.get(PROFILE + "?strana=2").content.decode()
    assert client.get(PROFILE + "?strana=nije-broj").status_code == 200


def test_the_demo_reader_can_sign_in_by_code_and_loading_twice_changes_nothing(client, mailoutbox):
    email = load_demo_reader()
    assert load_demo_reader() == email
    profile = ReaderProfile.objects.get()
    assert profile.display_name == "Vesna Čitateljka"
    sign_in(client, mailoutbox, email)
    assert client.session[SESSION_KEY] == str(profile.user.pk)


def test_pages_a_signed_in_reader_opened_carry_nothing_of_theirs_to_anonymous_readers(client, reader):
    article = ArticleFactory()
    ArticleCommentFactory(article=article)
    client.force_login(reader)
    for path in ("/", article.get_absolute_url(), "/cir" + article.get_absolute_url()):
        assert client.get(path).status_code == 200
    anonymous = Client()
    for path in ("/", article.get_absolute_url(), "/cir" + article.get_absolute_url()):
        page = anonymous.get(path).content.decode()
        assert "Vesna" not in page and "Весна" not in page and reader.email not in page


def test_a_readers_sign_in_and_out_leave_nothing_in_the_staff_sign_in_log(client, reader, editor, mailoutbox):
    sign_in(client, mailoutbox, reader.email)
    client.post(reverse("account_logout"))
    assert not AccessLog.objects.exists() and not AccessAttempt.objects.exists()
    log_in(client, "urednica", PASSWORD)
    assert list(AccessLog.objects.values_list("username", flat=True)) == ["urednica"]


ENGLISH = re.compile(
    r"\b(Sign|Email|E-mail|Password|Code|Confirm|Cancel|Request|Continue|Account|Log|Third|Menu|Back)\b"
)


def visible_text(response):
    main = response.content.decode().split("<main", 1)[1].split("</main>", 1)[0]
    return re.sub(r"<[^>]+>", " ", main)


@pytest.mark.parametrize(
    "path",
    [
        SIGNUP,
        REQUEST_CODE,
        "/nalog/inactive/",
        "/nalog/3rdparty/login/cancelled/",
        "/nalog/3rdparty/login/error/",
    ],
)
def test_account_pages_speak_serbian(client, path):
    text = visible_text(client.get(path))
    assert not ENGLISH.findall(text), text


def test_the_code_pages_and_sign_out_speak_serbian(client, reader, mailoutbox):
    client.post(REQUEST_CODE, {"email": reader.email})
    assert not ENGLISH.findall(visible_text(client.get(CONFIRM_CODE)))
    wrong = client.post(CONFIRM_CODE, {"code": "nije-kod"})
    assert not ENGLISH.findall(visible_text(wrong))
    client.post(CONFIRM_CODE, {"code": sent_code(mailoutbox)})
    assert not ENGLISH.findall(visible_text(client.get("/nalog/logout/")))
    assert not ENGLISH.findall(visible_text(client.get(PROFILE)))
    limited = [Client().post(REQUEST_CODE, {"email": reader.email}) for _ in range(4)][-1]
    assert limited.status_code == 429 and not ENGLISH.findall(visible_text(limited))


def test_sign_up_brings_the_reader_back_to_the_article(client, mailoutbox):
    article = ArticleFactory()
    response = sign_up(client, mailoutbox, next_url=article.get_absolute_url())
    assert response["Location"] == article.get_absolute_url()


@pytest.mark.parametrize("path", [SIGNUP, REQUEST_CODE, "/cir" + REQUEST_CODE])
def test_account_pages_are_made_afresh_for_each_request_never_served_from_a_stored_copy(path):
    tokens = [
        re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', Client().get(path).content.decode()).group(1)
        for _ in range(2)
    ]
    assert tokens[0] != tokens[1]


def test_a_staff_users_two_factor_device_is_untouched_by_a_refused_reader_sign_in(client, editor, mailoutbox):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=editor, name="default", confirmed=True)
    editor.email = "urednica@example.com"
    editor.save()
    with mock.patch.object(accounts, "is_staff_address", return_value=False):
        client.post(REQUEST_CODE, {"email": editor.email})
        client.post(CONFIRM_CODE, {"code": sent_code(mailoutbox)})
    assert not signed_in(client)
    device.refresh_from_db()
    assert device.throttling_failure_count == 0 and device.last_t == -1
    # The admin still wants the password and then the app's code.
    response = log_in(client, "urednica", PASSWORD)
    assert response.status_code == 200 and not signed_in(client)


def test_a_profile_post_from_anyone_but_the_reader_changes_nothing(client, reader, editor):
    data = {"display_name": "Tuđe Ime", "notify_outcomes": "on", "user": editor.pk, "user_id": editor.pk}
    assert client.post(PROFILE, data).status_code == 302
    client.force_login(editor)
    assert client.post(PROFILE, data).status_code == 403
    assert list(ReaderProfile.objects.values_list("user", "display_name")) == [(reader.pk, "Vesna Čitalac")]
    # The reader's own post changes only the reader's profile, whatever user it names.
    client.force_login(reader)
    assert client.post(PROFILE, data).status_code == 200
    assert list(ReaderProfile.objects.values_list("user", "display_name")) == [(reader.pk, "Tuđe Ime")]


def test_mails_link_to_the_site_in_the_readers_script(client, reader, settings, mailoutbox):
    settings.SITE_URL = "https://citaonica.example"
    client.post(SIGNUP, {"email": reader.email, "display_name": "Neko Novi"})
    assert "https://citaonica.example/nalog/login/code/" in mailoutbox[-1].body
    Client().post("/cir" + REQUEST_CODE, {"email": "niko@example.com"})
    assert mailoutbox[-1].subject == "Налог не постоји"
    assert "https://citaonica.example/cir/nalog/signup/" in mailoutbox[-1].body
