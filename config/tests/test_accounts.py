import importlib
import re
from base64 import b32decode
from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.apps import apps as django_apps
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db

PASSWORD = "tačna-lozinka-za-redakciju"
LOCKED = "Previše neuspešnih pokušaja prijave"


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_user("urednica", password=PASSWORD, is_staff=True)


WIZARD = "staff_login_view-current_step"


def log_in(client, username, password, token="", **extra):
    """The sign-in wizard as a browser goes through it: the password, then (when asked) the app's code."""
    data = {
        WIZARD: "auth",
        "auth-username": username,
        "auth-password": password,
        "next": reverse("admin:index"),
    }
    response = client.post(reverse("admin:login"), data, **extra)
    if token and response.status_code == 200 and response.context["wizard"]["steps"].current == "token":
        response = give_code(client, token, **extra)
    return response


def give_code(client, token, step="token", **extra):
    data = {WIZARD: step, f"{step}-otp_token": token, "next": reverse("admin:index")}
    return client.post(reverse("admin:login"), data, **extra)


def signed_in(client):
    return "_auth_user_id" in client.session


def code(device, seconds_ahead=0):
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = timezone.now().timestamp() + seconds_ahead
    return f"{totp.token():06d}"


def with_app(user):
    return TOTPDevice.objects.create(user=user, name="default", confirmed=True)


def test_staff_without_a_device_signs_in_with_password_alone(client, editor):
    response = log_in(client, "urednica", PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("admin:index")
    assert client.get(reverse("admin:index")).status_code == 200


def test_login_and_logout_pages_render_in_serbian_and_keep_out_of_search_engines(client, editor):
    page = client.get(reverse("admin:login")).content.decode()
    assert "Korisničko ime" in page and "Prijava" in page and "Čitaonica: redakcija" in page
    # robots.txt no longer names the admin's (configurable) address; the admin's own meta tag does the job
    assert '<meta name="robots" content="NONE,NOARCHIVE">' in page
    client.force_login(editor)
    response = client.post(reverse("admin:logout"))
    assert response.status_code == 200 and not signed_in(client)


def test_five_wrong_passwords_lock_the_login_even_for_the_right_one(client, editor):
    for _ in range(4):
        page = log_in(client, "urednica", "pogrešna").content.decode()
        assert "unesite ispravno korisničko ime i lozinku" in page
    assert log_in(client, "urednica", "pogrešna").status_code == 429
    response = log_in(client, "urednica", PASSWORD)
    assert response.status_code == 429
    page = response.content.decode()
    assert LOCKED in page and "„urednica”" in page and "za 1\xa0sat" in page
    assert "Čitaonica: redakcija" in page  # inside the admin's frame
    assert not signed_in(client)


def test_lockout_holds_only_for_that_account_from_that_address(client, editor, django_user_model):
    django_user_model.objects.create_user("moderator", password=PASSWORD, is_staff=True)
    for _ in range(5):
        log_in(client, "urednica", "pogrešna")
    assert log_in(Client(), "moderator", PASSWORD).status_code == 302
    elsewhere = Client(REMOTE_ADDR="198.51.100.7")
    assert log_in(elsewhere, "urednica", PASSWORD).status_code == 302


def test_lockout_ends_after_the_cool_off(client, editor):
    for _ in range(6):
        log_in(client, "urednica", "pogrešna")
    start = timezone.now()
    with time_machine.travel(start + timedelta(minutes=59)):
        assert log_in(client, "urednica", PASSWORD).status_code == 429  # and the lock starts again
    with time_machine.travel(start + timedelta(minutes=59 + 61)):
        assert log_in(client, "urednica", PASSWORD).status_code == 302
        assert signed_in(client)


def test_a_successful_login_forgets_earlier_failures(client, editor):
    for _ in range(4):
        log_in(client, "urednica", "pogrešna")
    assert log_in(client, "urednica", PASSWORD).status_code == 302
    client.post(reverse("admin:logout"))
    for _ in range(4):
        log_in(client, "urednica", "pogrešna")
    assert log_in(client, "urednica", PASSWORD).status_code == 302


def test_behind_a_proxy_the_readers_own_address_counts(client, editor, settings):
    settings.CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    for _ in range(5):
        log_in(client, "urednica", "pogrešna", HTTP_X_REAL_IP="203.0.113.9")
    assert log_in(client, "urednica", PASSWORD, HTTP_X_REAL_IP="203.0.113.9").status_code == 429
    assert log_in(Client(), "urednica", PASSWORD, HTTP_X_REAL_IP="203.0.113.10").status_code == 302


def test_a_forged_address_header_falls_back_to_the_connection(client, editor, settings):
    settings.CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    response = log_in(client, "urednica", "pogrešna", HTTP_X_REAL_IP="<script>, ne-adresa")
    assert response.status_code == 200
    assert AccessAttempt.objects.get().ip_address == "127.0.0.1"


def test_short_password_is_refused_in_serbian_on_the_password_change_form(client, editor):
    client.force_login(editor)
    response = client.post(
        reverse("admin:password_change"),
        {"old_password": PASSWORD, "new_password1": "kratka-1", "new_password2": "kratka-1"},
    )
    assert "Ova lozinka je prekratka. Mora da sadrži najmanje 12 znakova." in response.content.decode()
    editor.refresh_from_db()
    assert editor.check_password(PASSWORD)


CYRILLIC = re.compile("[\u0400-\u04ff]")


def test_with_an_app_the_password_alone_is_not_enough(client, editor):
    with_app(editor)
    page = log_in(client, "urednica", PASSWORD).content.decode()
    assert "Unesite kod koji sada prikazuje aplikacija" in page and "Kod za potvrdu" in page
    assert not signed_in(client)


def test_with_an_app_password_and_current_code_sign_in(client, editor):
    device = with_app(editor)
    response = log_in(client, "urednica", PASSWORD, code(device))
    assert response.status_code == 302 and response["Location"] == reverse("admin:index")
    assert signed_in(client) and client.session["otp_device_id"] == device.persistent_id


@pytest.mark.parametrize("wrong", ["off-by-one", "letters", "too-short", "spaces"])
def test_wrong_code_is_refused_and_counts_towards_the_lockout(client, editor, wrong):
    device = with_app(editor)
    value = {
        "off-by-one": f"{(int(code(device)) + 1) % 1_000_000:06d}",
        "letters": "abcdef",
        "too-short": "123",
        "spaces": "12 34 5",
    }[wrong]
    response = log_in(client, "urednica", PASSWORD, value)
    assert response.status_code == 200 and "Kod za potvrdu" in response.content.decode()
    assert not signed_in(client)
    assert AccessAttempt.objects.get().failures_since_start == 1
    for _ in range(4):
        response = give_code(client, value)
    assert response.status_code == 429 and LOCKED in response.content.decode()
    assert "„urednica”" in response.content.decode()


def test_once_locked_even_the_right_code_is_refused(client, editor):
    """The code step never asks the password again, so it checks the lockout itself."""
    device = with_app(editor)
    wrong = f"{(int(code(device)) + 1) % 1_000_000:06d}"
    log_in(client, "urednica", PASSWORD, wrong)
    for _ in range(4):
        give_code(client, wrong)
    with time_machine.travel(timezone.now() + timedelta(seconds=40)):
        response = give_code(client, code(device))
    assert response.status_code == 429 and not signed_in(client)


def test_a_code_from_another_step_or_a_tampered_wizard_signs_no_one_in(client, editor):
    with_app(editor)
    # straight to the code step without a password
    response = client.post(reverse("admin:login"), {WIZARD: "token", "token-otp_token": "123456"})
    assert response.status_code == 200 and not signed_in(client)
    # no wizard field at all
    response = client.post(reverse("admin:login"), {"username": "urednica", "password": PASSWORD})
    assert response.status_code == 400 and not signed_in(client)


def test_a_backup_code_works_once(client, editor):
    with_app(editor)
    backup = StaticDevice.objects.create(user=editor, name="backup")
    backup.token_set.create(token="abcd2345")
    page = log_in(client, "urednica", PASSWORD).content.decode()
    assert "prijavite se rezervnim kodom" in page
    client.post(reverse("admin:login"), {"wizard_goto_step": "backup"})
    response = give_code(client, "abcd2345", step="backup")
    assert response.status_code == 302 and signed_in(client)
    client.post(reverse("admin:logout"))
    log_in(client, "urednica", PASSWORD)
    client.post(reverse("admin:login"), {"wizard_goto_step": "backup"})
    assert give_code(client, "abcd2345", step="backup").status_code == 200
    assert not signed_in(client)


def set_up_app(client):
    """The setup screen as a staff member goes through it: the QR code, then the app's first code."""
    page = client.get(reverse("two_factor:setup"))
    assert page.status_code == 200
    secret = page.context["secret_key"]
    device = TOTPDevice(key=b32decode(secret).hex())
    data = {"staff_setup_view-current_step": "generator", "generator-token": code(device)}
    return client.post(reverse("two_factor:setup"), data), device


def test_staff_member_sets_up_an_app_and_then_needs_its_code(client, editor):
    client.force_login(editor)
    page = client.get(reverse("two_factor:setup")).content.decode()
    assert f'src="{reverse("two_factor:qr")}"' in page and "U aplikaciji dodajte nalog" in page
    qr = client.get(reverse("two_factor:qr"))
    assert qr.status_code == 200 and qr["Content-Type"].startswith("image/svg+xml")

    refused = client.post(
        reverse("two_factor:setup"), {"staff_setup_view-current_step": "generator", "generator-token": "12x"}
    )
    assert refused.status_code == 200 and not TOTPDevice.objects.filter(user=editor).exists()
    response, _ = set_up_app(client)
    assert response.status_code == 302 and response["Location"] == reverse("two_factor:setup_complete")
    assert (
        "Dvofaktorska prijava je uključena"
        in client.get(reverse("two_factor:setup_complete")).content.decode()
    )
    device = TOTPDevice.objects.get(user=editor, confirmed=True)

    client.post(reverse("admin:logout"))
    assert log_in(client, "urednica", PASSWORD).status_code == 200 and not signed_in(client)
    with time_machine.travel(timezone.now() + timedelta(seconds=65)):
        assert log_in(Client(), "urednica", PASSWORD, code(device)).status_code == 302


def test_backup_codes_are_made_on_their_screen_and_replace_the_old_ones(client, editor):
    device = with_app(editor)
    log_in(client, "urednica", PASSWORD, code(device))
    assert "Još nemate rezervne kodove" in client.get(reverse("two_factor:backup_tokens")).content.decode()
    assert client.post(reverse("two_factor:backup_tokens")).status_code == 302
    first = set(StaticDevice.objects.get(user=editor).token_set.values_list("token", flat=True))
    page = client.get(reverse("two_factor:backup_tokens")).content.decode()
    assert len(first) == 10 and all(token in page for token in first)
    client.post(reverse("two_factor:backup_tokens"))
    second = set(StaticDevice.objects.get(user=editor).token_set.values_list("token", flat=True))
    assert not first & second
    assert "Imate još 10 rezervnih kodova" in client.get(reverse("two_factor:profile")).content.decode()


def test_backup_codes_need_a_session_signed_in_with_the_app(client, editor):
    with_app(editor)
    client.force_login(editor)  # a password alone, as before the app was set up
    response = client.post(reverse("two_factor:backup_tokens"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
    assert not StaticDevice.objects.exists()


def test_staff_member_disables_the_app_from_a_session_signed_in_with_it(client, editor):
    device = with_app(editor)
    log_in(client, "urednica", PASSWORD, code(device))
    assert client.post(reverse("two_factor:disable"), {}).status_code == 200  # must confirm
    assert TOTPDevice.objects.filter(user=editor).exists()
    assert client.post(reverse("two_factor:disable"), {"understand": "on"}).status_code == 302
    assert not TOTPDevice.objects.filter(user=editor).exists()
    client.post(reverse("admin:logout"))
    assert log_in(client, "urednica", PASSWORD).status_code == 302


def test_an_unverified_session_cannot_disable_the_app(client, editor):
    with_app(editor)
    client.force_login(editor)
    client.post(reverse("two_factor:disable"), {"understand": "on"})
    assert TOTPDevice.objects.filter(user=editor).exists()


TWO_FACTOR_SCREENS = ["profile", "setup", "qr", "setup_complete", "backup_tokens", "disable"]


@pytest.mark.parametrize("name", TWO_FACTOR_SCREENS)
def test_two_factor_screens_are_for_signed_in_staff_only(client, django_user_model, name):
    url = reverse(f"two_factor:{name}")
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
    client.force_login(django_user_model.objects.create_user("citalac", password=PASSWORD))
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))


def test_two_factor_screens_speak_latin_serbian_in_the_admins_frame(client, editor):
    device = with_app(editor)
    login = Client()
    pages = [login.get(reverse("admin:login")), log_in(login, "urednica", PASSWORD)]
    login.post(reverse("admin:login"), {"wizard_goto_step": "backup"})
    pages.append(login.get(reverse("admin:login")))
    log_in(client, "urednica", PASSWORD, code(device))
    pages += [client.get(reverse(f"two_factor:{name}")) for name in ("profile", "backup_tokens", "disable")]
    setup = Client()
    setup.force_login(type(editor).objects.create_user("novi", password=PASSWORD, is_staff=True))
    pages.append(setup.get(reverse("two_factor:setup")))
    for response in pages:
        page = response.content.decode()
        assert response.status_code == 200 and "Čitaonica: redakcija" in page
        assert not CYRILLIC.search(page), CYRILLIC.search(page)
        for english in ("Token", "Backup", "Enable", "Disable", "Please", "authentication", "Log in"):
            assert english not in page.split("</head>")[1], english


def test_when_required_staff_without_an_app_are_sent_to_set_one_up(client, editor, settings):
    settings.ADMIN_REQUIRE_2FA = True
    assert log_in(client, "urednica", PASSWORD).status_code == 302
    for url in (
        reverse("admin:index"),
        reverse("two_factor:backup_tokens"),
        reverse("admin:password_change"),
    ):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == reverse("two_factor:setup")
    page = client.get(reverse("two_factor:setup")).content.decode()
    assert "potrebna je dvofaktorska prijava" in page
    response, _ = set_up_app(client)
    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_when_required_staff_with_an_app_sign_in_with_its_code(client, editor, settings):
    settings.ADMIN_REQUIRE_2FA = True
    device = with_app(editor)
    assert log_in(client, "urednica", PASSWORD, code(device)).status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_devices_set_up_before_the_library_still_ask_for_their_code(client, editor):
    """The data migration names each confirmed app "default", the name django-two-factor-auth looks for."""
    migration = importlib.import_module("articles.migrations.0012_two_factor_default_devices")
    device = TOTPDevice.objects.create(user=editor, name="Aplikacija za prijavu", confirmed=True)
    migration.name_devices_default(django_apps, None)
    device.refresh_from_db()
    assert device.name == "default"
    assert log_in(client, "urednica", PASSWORD).status_code == 200 and not signed_in(client)


@pytest.mark.parametrize("kind", ["reader", "inactive staff"])
def test_only_active_staff_get_past_the_password_step(client, django_user_model, kind):
    django_user_model.objects.create_user(
        "citalac", password=PASSWORD, is_staff=kind != "reader", is_active=kind == "reader"
    )
    response = log_in(client, "citalac", PASSWORD)
    assert response.status_code == 200 and not signed_in(client)
    assert "korisničko ime i lozinku" in response.content.decode()


@pytest.mark.parametrize("step", ["token", "backup"])
def test_a_code_is_checked_against_a_locked_device_row(client, editor, step):
    """Two parallel requests with one code cannot both pass: the device's row is locked during the check."""
    device = with_app(editor)
    backup = StaticDevice.objects.create(user=editor, name="backup")
    backup.token_set.create(token="abcd2345")
    log_in(client, "urednica", PASSWORD)
    if step == "backup":
        client.post(reverse("admin:login"), {"wizard_goto_step": "backup"})
    table = {"token": TOTPDevice, "backup": StaticDevice}[step]._meta.db_table
    with CaptureQueriesContext(connection) as queries:
        response = give_code(client, code(device) if step == "token" else "abcd2345", step=step)
    assert response.status_code == 302 and signed_in(client)
    locked = [q["sql"] for q in queries if "FOR UPDATE" in q["sql"] and f'FROM "{table}"' in q["sql"]]
    assert locked or connection.vendor == "sqlite"  # SQLite writes one at a time anyway
