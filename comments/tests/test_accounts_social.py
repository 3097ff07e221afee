"""Social sign-in, tested with allauth's own test provider (pyproject: DJANGO_SOCIAL_PROVIDERS=dummy)."""

from unittest import mock

import pytest
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import SESSION_KEY

from comments.models import ReaderProfile
from comments.tests.test_accounts import REQUEST_CODE, SIGNUP, make_reader

pytestmark = pytest.mark.django_db


def provider_answers(client, **data):
    """Starts a sign-in with the test provider and sends back what the provider says about the person."""
    response = client.post("/nalog/dummy/login/")
    assert response.status_code == 302, response.content.decode()[:500]
    return client.post(response["Location"], {"id": 4242, "email_verified": "on", **data})


def test_a_social_sign_up_with_a_name_makes_a_reader_with_a_profile(client):
    response = provider_answers(client, email="drustvena@example.com", first_name="Ana", last_name="Pavlović")
    assert response.status_code == 302 and response["Location"] == "/nalog/profil/"
    profile = ReaderProfile.objects.get(display_name="Ana Pavlović")
    assert client.session[SESSION_KEY] == str(profile.user.pk)
    assert not profile.user.is_staff and not profile.user.has_usable_password()


def test_a_social_sign_up_without_a_name_asks_for_one(client):
    response = provider_answers(client, email="bezimena@example.com")
    assert response.status_code == 302 and response["Location"] == "/nalog/3rdparty/signup/"
    page = client.get("/nalog/3rdparty/signup/").content.decode()
    assert "Izaberite ime" in page and 'name="display_name"' in page
    response = client.post(
        "/nalog/3rdparty/signup/", {"email": "bezimena@example.com", "display_name": "Moderator"}
    )
    assert response.status_code == 400 and "rezervisano" in response.content.decode()
    assert SESSION_KEY not in client.session
    client.post(
        "/nalog/3rdparty/signup/", {"email": "bezimena@example.com", "display_name": "Tiha Čitateljka"}
    )
    profile = ReaderProfile.objects.get(display_name="Tiha Čitateljka")
    assert client.session[SESSION_KEY] == str(profile.user.pk)


def test_a_social_login_with_an_existing_readers_address_never_attaches_to_that_account(
    client, django_user_model
):
    reader = make_reader(django_user_model, "postoji@example.com", "Postojeća Čitateljka")
    provider_answers(client, email="postoji@example.com", first_name="Neko", last_name="Drugi")
    assert client.session.get(SESSION_KEY) != str(reader.pk)
    assert not SocialAccount.objects.filter(user=reader).exists()


@pytest.mark.parametrize("address", ["urednik@example.com", "UREDNIK@example.com"])
def test_a_social_login_for_a_staff_address_is_refused(client, django_user_model, address):
    staff = django_user_model.objects.create_user("urednik", email="urednik@example.com", is_staff=True)
    response = provider_answers(client, email=address, first_name="Pera", last_name="Perić")
    assert response.status_code == 403 and "ne može da se prijavi kao čitalac" in response.content.decode()
    assert SESSION_KEY not in client.session
    assert not SocialAccount.objects.exists()
    assert list(django_user_model.objects.all()) == [staff]


def test_the_sign_in_pages_offer_a_configured_provider(client):
    for path in (REQUEST_CODE, SIGNUP):
        page = client.get(path).content.decode()
        assert 'action="/nalog/dummy/login/' in page


def test_with_no_provider_configured_the_sign_in_pages_show_no_social_buttons(client):
    with mock.patch.object(DefaultSocialAccountAdapter, "list_providers", return_value=[]):
        for path in (REQUEST_CODE, SIGNUP):
            page = client.get(path).content.decode()
            assert "Ili nastavite preko" not in page and "/dummy/" not in page


def settings_from(environment):
    """config/settings.py as read with the given environment: a fresh copy, Django's own untouched."""
    import importlib.util

    from django.conf import settings as live

    spec = importlib.util.spec_from_file_location("settings_copy", live.BASE_DIR / "config" / "settings.py")
    module = importlib.util.module_from_spec(spec)
    with mock.patch.dict("os.environ", environment):
        spec.loader.exec_module(module)
    return module


def test_social_providers_are_switched_on_by_configuration_only():
    off = settings_from({"DJANGO_SOCIAL_PROVIDERS": ""})
    assert not [app for app in off.INSTALLED_APPS if ".providers." in app]
    assert off.SOCIALACCOUNT_PROVIDERS == {}
    on = settings_from(
        {
            "DJANGO_SOCIAL_PROVIDERS": "google,apple",
            "DJANGO_SOCIAL_GOOGLE_CLIENT_ID": "id-g",
            "DJANGO_SOCIAL_GOOGLE_SECRET": "tajna-g",
            "DJANGO_SOCIAL_APPLE_CLIENT_ID": "id-a",
            "DJANGO_SOCIAL_APPLE_SECRET": "tajna-a",
            "DJANGO_SOCIAL_APPLE_KEY": "kljuc-a",
        }
    )
    assert [app for app in on.INSTALLED_APPS if ".providers." in app] == [
        "allauth.socialaccount.providers.google",
        "allauth.socialaccount.providers.apple",
    ]
    google = {"client_id": "id-g", "secret": "tajna-g", "key": ""}
    assert on.SOCIALACCOUNT_PROVIDERS["google"]["APPS"] == [google]
    assert on.SOCIALACCOUNT_PROVIDERS["apple"]["APPS"][0]["key"] == "kljuc-a"
    assert on.SOCIALACCOUNT_EMAIL_AUTHENTICATION is False
    assert on.SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT is False
