"""Readers' display names: names that read alike clash, reserved and staff names are refused."""

import pytest
from django.core.exceptions import ValidationError

from comments.display_names import clean_display_name, name_key
from comments.models import ReaderProfile

pytestmark = pytest.mark.django_db


def refusal(name, user=None):
    with pytest.raises(ValidationError) as caught:
        clean_display_name(name, user)
    return caught.value.code, caught.value.messages[0]


@pytest.mark.parametrize(
    "a, b",
    [
        ("Модератор", "moderator"),
        ("M0derator", "moderator"),
        ("moderátor", "moderator"),
        ("Čitaonica", "Citaonica"),
        ("Читаоница", "Citaonica"),
        ("Đorđe", "Djordje"),
        ("Ђорђе", "djordje"),
        ("Mila Ilić", "MILA 1LIC"),
        ("Ana-Marija", "ana marija"),
        ("Маrko", "Marko"),  # Cyrillic М, folded by transliteration
        ("Ｐera", "Pera"),  # full-width letter
        ("Kornelije", "Komelije"),  # "rn" reads as "m"
    ],
)
def test_names_that_read_alike_have_one_key(a, b):
    assert name_key(a) == name_key(b)


def test_different_names_keep_different_keys():
    assert name_key("Pera Perić") != name_key("Pera Perović")
    assert name_key("Marko") != name_key("Marta")


@pytest.mark.parametrize(
    "name",
    [
        "Moderator",
        "Модератор",
        "M0derator",
        "moderátor",
        "Moderatorka",
        "Urednik",
        "Уредник",
        "urednikova",
        "Redakcija",
        "admin",
        "ADMINISTRATOR",
        "Adm1n",
        "Čitaonica",
        "Citaonica",
        "Читаоница",
        "Čitaonica.rs",
        "Glavni urednik",
        "Urednica",
        "Уредница",
        "Čitaonici",
        "Redakciji",
        "Administratorka",
    ],
)
def test_reserved_names_are_refused_in_any_script_and_spelling(name):
    code, message = refusal(name)
    assert code == "reserved"
    assert "rezervisano" in message


@pytest.mark.parametrize(
    "name, code",
    [
        ("", "short"),
        ("   ", "short"),
        ("A", "short"),
        ("x" * 41, "long"),
        ("Pe\u200dra", "invisible"),  # zero-width joiner
        ("Pe\u200bra", "invisible"),  # zero-width space
        ("Pera\u0000", "invisible"),
        ("Pera\u202e", "invisible"),  # right-to-left override
        ("Pera\u00a0Perić", "invisible"),  # no-break space
        ("Pera <b>", "characters"),
        ("Pera 😀", "characters"),
        ("Πera", "characters"),  # Greek capital pi
        ("Pеra", "mixed"),  # Cyrillic е inside a Latin name
        ("...", "letters"),
        ("12345", "letters"),
    ],
)
def test_bad_names_are_refused_with_a_serbian_message(name, code):
    got, message = refusal(name)
    assert got == code
    assert message.startswith("Ime ")


def test_a_name_another_reader_has_is_taken_in_any_spelling(django_user_model):
    other = django_user_model.objects.create_user("citalac", email="c@example.com")
    ReaderProfile.objects.create(user=other, display_name="Đorđe Jović", name_key=name_key("Đorđe Jović"))
    me = django_user_model.objects.create_user("ja", email="ja@example.com")
    for variant in ["Đorđe Jović", "djordje jovic", "Ђорђе Јовић", "Dj0rdje J0vic"]:
        assert refusal(variant, me)[0] == "taken"
    # The reader who has it may keep it.
    assert clean_display_name("Đorđe Jović", other) == ("Đorđe Jović", name_key("Đorđe Jović"))


def test_staff_names_and_usernames_are_reserved(django_user_model):
    django_user_model.objects.create_user(
        "jelena.m", first_name="Jelena", last_name="Marković", is_staff=True
    )
    django_user_model.objects.create_user("obican", first_name="Petar", last_name="Petrović")
    assert refusal("Jelena Marković")[0] == "reserved"
    assert refusal("Јелена Марковић")[0] == "reserved"
    assert refusal("jelena.m")[0] == "reserved"
    assert clean_display_name("Petar Petrović")[0] == "Petar Petrović"


def test_an_accepted_name_is_shown_as_written_with_spaces_squeezed():
    assert clean_display_name("  Ana   Ilić ") == ("Ana Ilić", name_key("Ana Ilić"))
    assert clean_display_name("Драган Илић")[0] == "Драган Илић"


@pytest.mark.parametrize("name", ["Admir Hodžić", "Uroš", "Redžep", "Čita Knjige", "Moderna Žena"])
def test_ordinary_names_near_reserved_ones_are_accepted(name):
    assert clean_display_name(name)[0] == name
