"""A reader opens an account with an e-mailed code and lands on their profile; a staff address is refused.

On a phone (390) and a desktop (1366), in Latin and under /cir/.
"""

import re
from unittest import mock

import pytest
from playwright.sync_api import expect

from comments import accounts
from comments.models import ReaderProfile

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 768}}
SCRIPTS = {"latin": "", "cyrillic": "/cir"}


@pytest.fixture(params=list(VIEWPORTS))
def page_at(request, new_context):
    return new_context(viewport=VIEWPORTS[request.param]).new_page()


def last_code(mailoutbox):
    return re.search(r"\b(\d{8})\b", mailoutbox[-1].body).group(1)


def fits_the_screen(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("script", list(SCRIPTS))
def test_reader_signs_up_by_emailed_code_and_lands_signed_in_on_the_profile(
    live_server, page_at, mailoutbox, script
):
    page, prefix = page_at, SCRIPTS[script]
    page.goto(f"{live_server.url}{prefix}/nalog/signup/")
    assert fits_the_screen(page)
    page.locator("input[name=email]").fill("nova@example.com")
    page.locator("input[name=display_name]").fill("Nova Čitateljka")
    page.locator(".reader-account__form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/nalog/confirm-email/$"))
    assert len(mailoutbox) == 1
    page.locator("input[name=code]").fill(last_code(mailoutbox))
    page.locator(".reader-account__form button[type=submit]").click()
    expect(page).to_have_url(f"{live_server.url}{prefix}/nalog/profil/")
    heading = "Мој налог" if script == "cyrillic" else "Moj nalog"
    expect(page.get_by_role("heading", name=heading)).to_be_visible()
    # The reader's own name, as they wrote it, in either script.
    expect(page.locator("input[name=display_name]")).to_have_value("Nova Čitateljka")
    assert fits_the_screen(page)
    assert ReaderProfile.objects.get().display_name == "Nova Čitateljka"


def test_a_staff_address_trying_the_reader_sign_in_is_refused(
    live_server, page_at, mailoutbox, django_user_model
):
    django_user_model.objects.create_user("urednik", email="urednik@example.com", password="x", is_staff=True)
    page = page_at
    page.goto(f"{live_server.url}/nalog/login/code/")
    page.locator("input[name=email]").fill("urednik@example.com")
    page.locator(".reader-account__form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/nalog/login/code/confirm/$"))
    assert not mailoutbox  # no code goes to a staff address
    # Even with a code (as if it had been sent), the last step refuses and gives no session.
    page.get_by_role("button", name="Odustani").click()
    expect(page).to_have_url(re.compile(r"/nalog/login/code/$"))
    with mock.patch.object(accounts, "is_staff_address", return_value=False):
        page.locator("input[name=email]").fill("urednik@example.com")
        page.locator(".reader-account__form button[type=submit]").click()
        page.locator("input[name=code]").fill(last_code(mailoutbox))
        page.locator(".reader-account__form button[type=submit]").click()
    expect(page.get_by_text("ne može da se prijavi kao čitalac")).to_be_visible()
    page.goto(f"{live_server.url}/admin/")
    expect(page).to_have_url(re.compile(r"/admin/login/"))
