"""Readers' display names: one folding key across scripts, diacritics and look-alike letters, and the checks
a new or changed name passes (reserved names, names taken by another reader, characters a name may hold)."""

import re
import unicodedata

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q

from articles.transliteration import to_latin

MIN_LENGTH = 2
MAX_LENGTH = 40
KEY_MAX_LENGTH = 50

# Beginnings no reader's name may have, in any script, case or inflection: stems, so that "Čitaonici",
# "Urednica", "Redakciji", "Moderatorka" and "Administrator" are all caught.
RESERVED = ("Čitaonic", "moderator", "urednik", "urednic", "redakcij", "admin")

# Letters and digits that read as another letter; folded after case and diacritics are off.
_LOOK_ALIKES = str.maketrans(
    {
        "0": "o",
        "1": "l",
        "i": "l",
        "|": "l",
        "3": "e",
        "4": "a",
        "5": "s",
        "7": "t",
        "8": "b",
        "@": "a",
        "$": "s",
    }
)
_LOOK_ALIKE_PAIRS = (("rn", "m"), ("vv", "w"))
# Latin and Cyrillic letters (with their diacritics), ASCII digits and a few marks: no Greek or other
# scripts' look-alikes, no symbols.
_ALLOWED = re.compile(r"[A-Za-zÀ-ÖØ-öø-ɏЀ-ӿ0-9 .'\-_]+")
_LATIN = re.compile(r"[A-Za-zÀ-ɏ]")
_CYRILLIC = re.compile(r"[Ѐ-ӿ]")


def name_key(name: str) -> str:
    """``name`` folded so that names that read alike get the same key ("M0derátor" = "Модератор")."""
    text = unicodedata.normalize("NFKC", name)
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] not in "CZ" or ch == " ")
    text = to_latin(text, keep=()).replace("Đ", "Dj").replace("đ", "dj").casefold()
    text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    for pair, single in _LOOK_ALIKE_PAIRS:
        text = text.replace(pair, single)
    text = text.translate(_LOOK_ALIKES)
    return re.sub(r"[\W_]+", "", text)


RESERVED_KEYS = tuple(name_key(word) for word in RESERVED)


def check_characters(name: str) -> str:
    """The name as it will be shown, or ValidationError with a Serbian message for what a name may not be."""
    name = unicodedata.normalize("NFC", name or "").strip()
    if any(unicodedata.category(ch)[0] in "CZ" and ch != " " for ch in name):
        raise ValidationError("Ime ne sme sadržati nevidljive ni kontrolne znakove.", code="invisible")
    name = re.sub(" +", " ", name)
    if len(name) < MIN_LENGTH:
        raise ValidationError(f"Ime mora imati bar {MIN_LENGTH} znaka.", code="short")
    if len(name) > MAX_LENGTH:
        raise ValidationError(f"Ime može imati najviše {MAX_LENGTH} znakova.", code="long")
    if not _ALLOWED.fullmatch(name):
        raise ValidationError(
            "Ime može sadržati samo slova, brojeve, razmake i znakove . - ' _", code="characters"
        )
    if _LATIN.search(name) and _CYRILLIC.search(name):
        raise ValidationError("Ime neka bude ili latinicom ili ćirilicom, ne mešano.", code="mixed")
    key = name_key(name)
    if len(key) < MIN_LENGTH or not any(ch.isalpha() for ch in name):
        raise ValidationError("Ime mora sadržati slova.", code="letters")
    if len(key) > KEY_MAX_LENGTH:
        raise ValidationError(f"Ime može imati najviše {MAX_LENGTH} znakova.", code="long")
    return name


def staff_keys():
    """Keys of the names and usernames of staff: a reader may not take any of them."""
    staff = get_user_model().objects.filter(Q(is_staff=True) | Q(is_superuser=True))
    keys = set()
    for username, first, last in staff.values_list("username", "first_name", "last_name"):
        for value in (username, f"{first} {last}", f"{last} {first}"):
            key = name_key(value)
            if key:
                keys.add(key)
    return keys


def is_reserved(name: str) -> bool:
    words = [name_key(word) for word in re.split(r"[\s.'\-_]+", name)]
    whole = name_key(name)
    if any(key.startswith(reserved) for key in [whole, *words] for reserved in RESERVED_KEYS):
        return True
    return whole in staff_keys()


def clean_display_name(name: str, user=None) -> tuple[str, str]:
    """The name to show and its key, or ValidationError (Serbian) when it may not be used by ``user``."""
    from comments.models import ReaderProfile

    name = check_characters(name)
    if is_reserved(name):
        raise ValidationError("To ime je rezervisano. Izaberite drugo.", code="reserved")
    key = name_key(name)
    taken = ReaderProfile.objects.filter(name_key=key)
    if user is not None and user.pk:
        taken = taken.exclude(user=user)
    if taken.exists():
        raise ValidationError("To ime (ili jedno koje izgleda isto) već koristi drugi čitalac.", code="taken")
    return name, key
