"""Two-factor sign-in in Chromium, as staff go through it: set up the app, make backup codes, sign in."""

import re
from base64 import b32decode

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from playwright.sync_api import expect

from articles.tests.browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "lozinka-za-test-1"
COMPLAINT = re.compile(r"Content.Security.Policy|Refused to", re.IGNORECASE)


def app_code(secret, seconds_ahead=0):
    totp = TOTP(b32decode(secret.replace(" ", "")))
    totp.time = timezone.now().timestamp() + seconds_ahead
    return f"{totp.token():06d}"


def fits(page):
    """Nothing wider than the screen: no sideways scrolling on a phone."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("width", [390, 1366])
def test_staff_member_sets_up_the_app_and_then_signs_in_with_its_code(
    live_server, page, django_user_model, tmp_path, width
):
    complaints = []
    page.on("console", lambda message: COMPLAINT.search(message.text) and complaints.append(message.text))
    page.set_viewport_size({"width": width, "height": 900})
    django_user_model.objects.create_user("urednica", password=PASSWORD, is_staff=True)
    shot = 0

    def screenshot(name):
        nonlocal shot
        shot += 1
        page.screenshot(path=tmp_path / f"{width}-{shot}-{name}.png", full_page=True)
        assert fits(page), name

    sign_in(page, live_server.url, "urednica", PASSWORD)
    expect(page).to_have_url(live_server.url + reverse("admin:index"))
    page.get_by_role("link", name="Dvofaktorska prijava").click()
    page.get_by_role("link", name="Uključi dvofaktorsku prijavu").click()

    qr = page.get_by_role("img", name="QR kod za aplikaciju za prijavu")
    expect(qr).to_be_visible()
    # decode() waits for the image to arrive (a busy run was still loading it) and fails if it is broken.
    assert qr.evaluate("img => img.decode().then(() => img.naturalWidth > 0, () => false)")
    secret = page.locator("#content-main code").inner_text()
    screenshot("setup")
    page.get_by_label("Kod za potvrdu").fill(app_code(secret))
    page.get_by_role("button", name="Uključi dvofaktorsku prijavu").click()
    expect(page.get_by_text("Dvofaktorska prijava je uključena.")).to_be_visible()

    page.get_by_role("link", name="Rezervni kodovi").click()
    page.get_by_role("button", name="Napravi nove kodove").click()
    expect(page.locator(".two-factor__tokens li")).to_have_count(10)
    screenshot("backup-tokens")

    page.get_by_role("button", name="Odjava").click()
    page.goto(f"{live_server.url}{reverse('admin:login')}?next={reverse('admin:password_change')}")
    screenshot("login")
    page.get_by_label("Korisničko ime").fill("urednica")
    page.get_by_label("Lozinka").fill(PASSWORD)
    page.get_by_role("button", name="Prijava").click()
    expect(page.get_by_text("Unesite kod koji sada prikazuje aplikacija")).to_be_visible()
    screenshot("token")
    page.get_by_role("button", name="Unesi rezervni kod").click()
    expect(page.get_by_text("Unesite jedan od rezervnih kodova")).to_be_visible()
    screenshot("backup-step")
    page.get_by_role("button", name="Nazad").click()
    page.get_by_label("Korisničko ime").fill("urednica")
    page.get_by_label("Lozinka").fill(PASSWORD)
    page.get_by_role("button", name="Prijava").click()
    # The setup used this time step's code, and a code is accepted once: the next one.
    page.get_by_label("Kod za potvrdu").fill(app_code(secret, seconds_ahead=30))
    page.get_by_role("button", name="Potvrdi").click()
    expect(page).to_have_url(live_server.url + reverse("admin:password_change"))
    assert complaints == []
