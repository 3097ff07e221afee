"""Serbian text helpers: transliteration to ASCII for slugs, and how long a text takes to read."""

import html
import math
import re

from django.utils.text import slugify

# What a reader of news gets through in a minute; the header says "4 min čitanja" from it.
WORDS_PER_MINUTE = 200
_TAG = re.compile(r"<[^>]*>")

# Serbian Cyrillic to Latin is one-to-one (Љ → Lj, Џ → Dž); the Latin letters are then folded to ASCII.
CYRILLIC_TO_LATIN = {
    "А": "A", "Б": "B", "В": "V", "Г": "G", "Д": "D", "Ђ": "Đ", "Е": "E", "Ж": "Ž", "З": "Z", "И": "I",
    "Ј": "J", "К": "K", "Л": "L", "Љ": "Lj", "М": "M", "Н": "N", "Њ": "Nj", "О": "O", "П": "P", "Р": "R",
    "С": "S", "Т": "T", "Ћ": "Ć", "У": "U", "Ф": "F", "Х": "H", "Ц": "C", "Ч": "Č", "Џ": "Dž", "Ш": "Š",
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "ђ": "đ", "е": "e", "ж": "ž", "з": "z", "и": "i",
    "ј": "j", "к": "k", "л": "l", "љ": "lj", "м": "m", "н": "n", "њ": "nj", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "ћ": "ć", "у": "u", "ф": "f", "х": "h", "ц": "c", "ч": "č", "џ": "dž", "ш": "š",
}  # fmt: skip

# Latin letters that Unicode decomposition would drop or mangle ("Đ" has no decomposition at all).
LATIN_TO_ASCII = {
    "č": "c", "ć": "c", "š": "s", "ž": "z", "đ": "dj",
    "Č": "C", "Ć": "C", "Š": "S", "Ž": "Z", "Đ": "Dj",
}  # fmt: skip

# One table for the server and for the admin's slug filler in the browser (it is sent as JSON).
SLUG_TRANSLITERATION = {
    **{cyr: "".join(LATIN_TO_ASCII.get(ch, ch) for ch in lat) for cyr, lat in CYRILLIC_TO_LATIN.items()},
    **LATIN_TO_ASCII,
}

_SLUG_TABLE = str.maketrans(SLUG_TRANSLITERATION)


def to_ascii(text):
    """Serbian text in either script, folded to ASCII letters ("Đoković" → "Djokovic")."""
    return text.translate(_SLUG_TABLE)


def serbian_slugify(text, max_length=80):
    """An ASCII slug that keeps Serbian words readable: "Đoković" → "djokovic", "Шабац" → "sabac"."""
    # Cut the way the admin's slug filler does, so browser and server agree on long titles too.
    return slugify(to_ascii(text))[:max_length].rstrip("-")


def reading_minutes(body_html):
    """Whole minutes to read an HTML body at WORDS_PER_MINUTE, at least 1: only its words count, not
    markup, attributes or entities (a tag between two words parts them)."""
    words = len(html.unescape(_TAG.sub(" ", body_html or "")).split())
    return max(1, math.ceil(words / WORDS_PER_MINUTE))
