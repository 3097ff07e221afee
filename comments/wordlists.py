"""Matching comments against the moderators' lists of banned and suspect words.

Text and entries are both reduced by ``fold`` so that case, diacritics, script (Latin or Cyrillic),
invisible characters and mixed-script lookalikes do not matter. Matching is by whole word; an entry
ending in ``*`` matches any ending, and an entry of several words matches them in sequence.
"""

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from articles.text import CYRILLIC_TO_LATIN

# Non-Serbian Cyrillic "і" is a common spoofing letter; read it as the "i" it is everywhere else.
_TRANSLITERATION = {**CYRILLIC_TO_LATIN, "І": "I", "і": "i"}

# "Đ" has no Unicode decomposition, so dropping combining marks alone would not fold it.
_LATIN_EXTRA = {"đ": "dj"}

# Invisible letters (category Lo, so not caught as format characters) used to split words.
_INVISIBLE_LETTERS = frozenset("\u115f\u1160\u3164\uffa0")

# Cyrillic letters that look like a Latin letter (not always the one they transliterate to: "р" looks
# like "p" but reads "r"). Only clear lookalikes; uppercase and lowercase shapes differ ("Н" but not "н").
_LOOKS_LATIN = {
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "i", "ј": "j", "к": "k",
    "м": "m", "т": "t", "ѕ": "s",
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C", "Т": "T",
    "Х": "X", "У": "Y", "І": "I", "Ј": "J", "Ѕ": "S",
}  # fmt: skip

# The reverse, for Latin letters slipped into a Cyrillic word; only towards letters we transliterate.
_LOOKS_CYRILLIC = {lat: cyr for cyr, lat in _LOOKS_LATIN.items() if cyr in _TRANSLITERATION}


@dataclass(frozen=True)
class Match:
    entry: str  # the list entry as the moderator wrote it
    start: int  # offsets into the original text
    end: int


@lru_cache(maxsize=4096)
def _normalized(ch: str) -> str:
    """NFKC of one character, without format characters (zero-width, soft hyphen, bidi controls)."""
    return "".join(
        c
        for c in unicodedata.normalize("NFKC", ch)
        if unicodedata.category(c) != "Cf" and c not in _INVISIBLE_LETTERS
    )


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    out = []
    for c in unicodedata.normalize("NFD", _TRANSLITERATION.get(ch, ch).casefold()):
        if not unicodedata.category(c).startswith("M"):
            out.append(_LATIN_EXTRA.get(c, c))
    return "".join(out)


@lru_cache(maxsize=4096)
def _script(ch: str) -> str | None:
    if not ch.isalpha():
        return None
    name = unicodedata.name(ch, "")
    if name.startswith("LATIN"):
        return "latin"
    if name.startswith("CYRILLIC"):
        return "cyrillic"
    return None


def _is_word_char(ch: str) -> bool:
    # Combining marks belong to the letter before them (decomposed "č" is still one word).
    return ch.isalnum() or unicodedata.category(ch).startswith("M")


def _unspoof_word(chars: list[str], start: int, end: int) -> None:
    latin = [c for c in chars[start:end] if _script(c) == "latin"]
    cyrillic = [c for c in chars[start:end] if _script(c) == "cyrillic"]
    if not latin or not cyrillic:
        return
    # A Cyrillic word with Latin lookalikes slipped in ("будaла") is read as Cyrillic; anything else
    # as Latin, with Cyrillic letters shown as the Latin letter they look like ("рara" → "para").
    if any(c not in _LOOKS_LATIN for c in cyrillic) and all(c in _LOOKS_CYRILLIC for c in latin):
        lookalikes = _LOOKS_CYRILLIC
    else:
        lookalikes = _LOOKS_LATIN
    for k in range(start, end):
        chars[k] = lookalikes.get(chars[k], chars[k])


def _fold_with_index(text: str) -> tuple[str, list[int]]:
    """The folded text and, for each of its characters, the index of the original one it came from."""
    chars: list[str] = []
    sources: list[int] = []
    for i, ch in enumerate(text):
        for c in _normalized(ch):
            chars.append(c)
            sources.append(i)

    i, n = 0, len(chars)
    while i < n:
        if not _is_word_char(chars[i]):
            i += 1
            continue
        j = i + 1
        while j < n and _is_word_char(chars[j]):
            j += 1
        _unspoof_word(chars, i, j)
        i = j

    folded: list[str] = []
    index: list[int] = []
    for c, source in zip(chars, sources, strict=True):
        for f in _fold_char(c):
            folded.append(f)
            index.append(source)
    return "".join(folded), index


def fold(text: str) -> str:
    """Text reduced for matching: NFKC, invisible characters removed, lookalikes in mixed-script words mapped,
    Cyrillic transliterated, lower-case, diacritics folded (č→c, đ→dj …), other combining marks dropped."""
    return _fold_with_index(text)[0]


def _words(folded: str) -> list[tuple[str, int, int]]:
    """Maximal runs of letters and digits, with their spans in the folded text."""
    words = []
    i, n = 0, len(folded)
    while i < n:
        if not folded[i].isalnum():
            i += 1
            continue
        j = i + 1
        while j < n and folded[j].isalnum():
            j += 1
        words.append((folded[i:j], i, j))
        i = j
    return words


@dataclass(frozen=True)
class _Entry:
    written: str
    words: tuple[str, ...]
    prefix: bool  # the last word may have any ending

    def matches(self, words: list[tuple[str, int, int]], at: int) -> bool:
        if at + len(self.words) > len(words):
            return False
        *leading, last = self.words
        if any(words[at + k][0] != word for k, word in enumerate(leading)):
            return False
        text_last = words[at + len(leading)][0]
        return text_last.startswith(last) if self.prefix else text_last == last

    @property
    def rank(self) -> tuple[int, bool, int]:
        # Most words first, then an exact entry over a prefix one, then the longest prefix.
        return len(self.words), not self.prefix, len(self.words[-1])


class WordList:
    def __init__(self, entries: Iterable[str]):
        # Single-word prefix entries are looked up by every prefix of a word; the rest by their first word.
        self._exact: dict[str, list[_Entry]] = {}
        self._prefix: dict[str, list[_Entry]] = {}
        seen = set()
        for entry in entries:
            written = entry.strip()
            prefix = written.endswith("*")
            words = tuple(word for word, _, _ in _words(fold(written.rstrip("*"))))
            if not words or (words, prefix) in seen:
                continue
            seen.add((words, prefix))
            index = self._prefix if prefix and len(words) == 1 else self._exact
            index.setdefault(words[0], []).append(_Entry(written, words, prefix))

    def __bool__(self) -> bool:
        return bool(self._exact or self._prefix)

    def _candidates(self, word: str) -> list[_Entry]:
        found = list(self._exact.get(word, ()))
        if self._prefix:
            for k in range(1, len(word) + 1):
                found.extend(self._prefix.get(word[:k], ()))
        return found

    def find(self, text: str) -> list[Match]:
        """All matches, in order of position, non-overlapping."""
        if not self or not text:
            return []
        folded, index = _fold_with_index(text)
        words = _words(folded)
        matches: list[Match] = []
        at = 0
        while at < len(words):
            entries = [e for e in self._candidates(words[at][0]) if e.matches(words, at)]
            if not entries:
                at += 1
                continue
            best = max(entries, key=lambda e: e.rank)
            last = at + len(best.words) - 1
            start, end = index[words[at][1]], index[words[last][2] - 1] + 1
            # Keep combining marks that follow the last letter inside the match.
            while end < len(text) and unicodedata.category(text[end]).startswith("M"):
                end += 1
            # One original character can yield two words ("½" → "1⁄2"); never overlap.
            if not matches or start >= matches[-1].end:
                matches.append(Match(best.written, start, end))
            at = last + 1
        return matches


def highlight(text: str, matches: list[Match], css_class) -> SafeString:
    """HTML-escaped text with each match wrapped in <mark class="{css_class}">…</mark>.

    ``css_class`` is a class name, or a function giving one for each match (banned and suspect words differ).
    """
    class_of = css_class if callable(css_class) else (lambda match: css_class)
    parts = []
    position = 0
    for match in sorted(matches, key=lambda m: (m.start, -m.end)):
        # Matches from several lists may overlap; nested or crossing marks would break the HTML.
        if match.start < position or match.end <= match.start or match.end > len(text):
            continue
        parts.append(escape(text[position : match.start]))
        opening = f'<mark class="{escape(class_of(match))}">'
        parts.append(f"{opening}{escape(text[match.start : match.end])}</mark>")
        position = match.end
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts))
