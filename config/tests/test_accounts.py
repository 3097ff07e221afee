from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.test import Client
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


def log_in(client, username, password, token="", **extra):
    data = {"username": username, "password": password, "otp_token": token, "next": reverse("admin:index")}
    return client.post(reverse("admin:login"), data, **extra)


def signed_in(client):
    return "_auth_user_id" in client.session


def code(device, seconds_ahead=0):
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = timezone.now().timestamp() + seconds_ahead
    return f"{totp.token():06d}"


def with_app(user):
    return TOTPDevice.objects.create(user=user, name="Telefon", confirmed=True)


def test_staff_without_a_device_signs_in_with_password_alone(client, editor):
    response = log_in(client, "urednica", PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("admin:index")
    assert client.get(reverse("admin:index")).status_code == 200


def test_login_and_logout_pages_render_in_serbian_and_keep_out_of_search_engines(client, editor):
    page = client.get(reverse("admin:login")).content.decode()
    assert "Kod za potvrdu" in page and "Prijava" in page
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


def test_with_an_app_the_password_alone_is_not_enough(client, editor):
    with_app(editor)
    page = log_in(client, "urednica", PASSWORD).content.decode()
    assert "unesite i kod iz aplikacije" in page
    assert not signed_in(client)


def test_with_an_app_password_and_current_code_sign_in(client, editor):
    device = with_app(editor)
    response = log_in(client, "urednica", PASSWORD, code(device))
    assert response.status_code == 302 and signed_in(client)
    assert client.session["otp_device_id"] == device.persistent_id


def test_wrong_code_is_refused_and_counts_towards_the_lockout(client, editor):
    device = with_app(editor)
    wrong = f"{(int(code(device)) + 1) % 1_000_000:06d}"
    page = log_in(client, "urednica", PASSWORD, wrong).content.decode()
    assert "Kod za potvrdu nije tačan" in page and not signed_in(client)
    assert AccessAttempt.objects.get().failures_since_start == 1
    for _ in range(4):
        response = log_in(client, "urednica", PASSWORD, wrong)
    assert response.status_code == 429 and LOCKED in response.content.decode()


def test_a_recovery_code_works_once(client, editor):
    with_app(editor)
    recovery = StaticDevice.objects.create(user=editor, name="Rezervni kodovi")
    recovery.token_set.create(token="abcd2345")
    assert log_in(client, "urednica", PASSWORD, "abcd2345").status_code == 302
    client.post(reverse("admin:logout"))
    assert log_in(client, "urednica", PASSWORD, "abcd2345").status_code == 200
    assert not signed_in(client)


def test_staff_member_enrols_an_app_and_then_needs_its_code(client, editor):
    client.force_login(editor)
    page = client.get(reverse("two_factor")).content.decode()
    assert "<svg" in page and "data:" not in page
    device = TOTPDevice.objects.get(user=editor, confirmed=False)
    assert (
        "".join(page.split('<code class="two-factor__secret">')[1].split("<")[0].split()) in device.config_url
    )

    refused = client.post(reverse("two_factor"), {"action": "confirm", "token": "12x"})
    assert refused.status_code == 400 and "Kod za potvrdu nije tačan" in refused.content.decode()
    with time_machine.travel(timezone.now() + timedelta(seconds=5)):  # django-otp pauses after a wrong code
        accepted = client.post(reverse("two_factor"), {"action": "confirm", "token": code(device)})
        assert accepted.status_code == 302
        assert "je uključena" in client.get(reverse("two_factor")).content.decode()
    device.refresh_from_db()
    assert device.confirmed

    client.post(reverse("admin:logout"))
    assert log_in(client, "urednica", PASSWORD).status_code == 200 and not signed_in(client)
    with time_machine.travel(timezone.now() + timedelta(seconds=65)):
        assert log_in(client, "urednica", PASSWORD, code(device)).status_code == 302


def test_staff_member_removes_the_app_with_a_current_code(client, editor):
    device = with_app(editor)
    client.force_login(editor)
    assert client.post(reverse("two_factor"), {"action": "remove", "token": ""}).status_code == 400
    assert client.post(reverse("two_factor"), {"action": "remove", "token": code(device)}).status_code == 302
    assert not TOTPDevice.objects.filter(user=editor).exists()
    client.post(reverse("admin:logout"))
    assert log_in(client, "urednica", PASSWORD).status_code == 302


def test_enrolment_page_is_for_signed_in_staff_only(client, django_user_model):
    assert client.get(reverse("two_factor")).status_code == 302
    client.force_login(django_user_model.objects.create_user("citalac", password=PASSWORD))
    response = client.get(reverse("two_factor"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))


def test_a_nonsense_enrolment_request_changes_nothing(client, editor):
    client.force_login(editor)
    response = client.post(reverse("two_factor"), {"action": "remove", "token": "123456"}, follow=True)
    assert "Zahtev nije važeći" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=editor, confirmed=True).exists()


def test_when_required_staff_without_an_app_are_sent_to_enrol(client, editor, settings):
    settings.ADMIN_REQUIRE_2FA = True
    assert log_in(client, "urednica", PASSWORD).status_code == 302
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and response["Location"] == reverse("two_factor")
    page = client.get(reverse("two_factor")).content.decode()
    assert "potrebna je dvofaktorska prijava" in page
    device = TOTPDevice.objects.get(user=editor)
    assert client.post(reverse("two_factor"), {"action": "confirm", "token": code(device)}).status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_when_required_staff_with_an_app_sign_in_with_its_code(client, editor, settings):
    settings.ADMIN_REQUIRE_2FA = True
    device = with_app(editor)
    assert log_in(client, "urednica", PASSWORD, code(device)).status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200
