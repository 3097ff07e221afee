"""Serbian Latin ↔ Cyrillic: the one set of rules for pages, comments, search and word lists.

Exact both ways with case (Lj/LJ ↔ Љ, Nj/NJ ↔ Њ, Dž/DŽ ↔ Џ, Đ ↔ Ђ; "LJUBAV" ↔ "ЉУБАВ"). Latin → Cyrillic
keeps "nj", "lj", "dž" apart where a prefix ends ("injekcija" → "инјекција"), from the stems in
``data/digraph_exceptions.txt``. Left as written:

- URLs (``scheme://…``, ``www.…``), e-mail addresses, @handles, #hashtags, HTML entities;
- domain and file names: a dot followed by a known ending such as ``rs``, ``com`` or ``pdf``
  ("citaonica.rs", "izveštaj.pdf"; see ``_ENDINGS``);
- words mixing letters and digits ("B92", "MP3", "5G"); numbers have no letters to change;
- Roman numerals of two letters or more in capitals ("II svetski rat", "Luj XIV"), a single "V", and "I"
  right after a lower-case word ("Petar I Karađorđević"); any other "I" is the conjunction "И".
  "MI", "VI", "LI" and "DIV" are Serbian words next to another all-capitals word ("DA LI", "MI SMO");
- words with letters Serbian does not use: q, w, x, y and other accented Latin letters ("New York",
  "Wi-Fi", "München"), or non-Serbian Cyrillic letters on the way back ("Россия");
- the entries of the editors' exceptions list (``TransliterationException``: agencies, brands), whole
  words, case-sensitive as written;
- in HTML, everything but text and visible attributes (see ``html_to_cyrillic``).

Text already in the target script stays as it is, so mixed text converts only what is in the other script.
"""

import codecs
import contextvars
import re
import unicodedata
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from django.core.cache import cache
from django.db import transaction

from .text import CYRILLIC_TO_LATIN

DIGRAPH_EXCEPTIONS_FILE = Path(__file__).resolve().parent / "data" / "digraph_exceptions.txt"
EXCEPTIONS_CACHE_KEY = "articles.transliteration.exceptions.v1"
EXCEPTIONS_CACHE_SECONDS = 60 * 60

# Letters ------------------------------------------------------------------------------------------------

_LATIN_TO_CYRILLIC = {latin: cyrillic for cyrillic, latin in CYRILLIC_TO_LATIN.items()}
# "lj", "Lj" and, in all-capitals words, "LJ"; the same for nj and dž.
_DIGRAPHS = {latin: cyrillic for latin, cyrillic in _LATIN_TO_CYRILLIC.items() if len(latin) == 2}
_DIGRAPHS |= {latin.upper(): cyrillic.upper() for latin, cyrillic in _DIGRAPHS.items()}
# The single code points some keyboards and OCR produce for the digraphs.
_LIGATURES = {"Ǆ": "Џ", "ǅ": "Џ", "ǆ": "џ", "Ǉ": "Љ", "ǈ": "Љ", "ǉ": "љ", "Ǌ": "Њ", "ǋ": "Њ", "ǌ": "њ"}
_LATIN_LETTERS = "".join(latin for latin in _LATIN_TO_CYRILLIC if len(latin) == 1)
_CYRILLIC_LETTERS = "".join(CYRILLIC_TO_LATIN)
_SERBIAN_LETTERS = _LATIN_LETTERS + _CYRILLIC_LETTERS
_UPPER = "".join(ch for ch in _SERBIAN_LETTERS if ch.isupper())
_LOWER = "".join(ch for ch in _SERBIAN_LETTERS if ch.islower())
# Letters that never occur in Serbian words: a word containing one is foreign and kept whole.
_FOREIGN_LATIN = "qwxyQWXY" + "".join(
    ch
    for ch in map(chr, [*range(0xC0, 0x250), *range(0x1E00, 0x1F00)])
    if ch.isalpha() and ch not in _SERBIAN_LETTERS and ch not in _LIGATURES
)
_FOREIGN_CYRILLIC = "".join(
    ch for ch in map(chr, range(0x400, 0x530)) if ch.isalpha() and ch not in _SERBIAN_LETTERS
)

# A private single-byte code page for the text both scripts have in common: the two alphabets, the
# punctuation Serbian uses and some accented letters. Encoding to it and decoding with a table that swaps
# the letters is one pass in C; str.translate would cost a dictionary look-up per character.
_CODE_PAGE = "".join(
    dict.fromkeys(
        [chr(n) for n in range(128)]
        + list("ČčĆćŠšŽžĐđ")
        + list(_LIGATURES)
        + list(_CYRILLIC_LETTERS)
        + list("\xa0\xad„“”‘’‚«»…–—‑−•·°§©®™€×±\u200b\u2009\u202f")
        + list("éèáàâäóöüúíñçßÉÖÜÄ")
    )
)
assert len(_CODE_PAGE) <= 256, "the code page has 256 places"
# Free places hold private-use characters, which map to themselves.
_CODE_PAGE += "".join(chr(0xE000 + n) for n in range(256 - len(_CODE_PAGE)))
_ENCODING_MAP = codecs.charmap_build(_CODE_PAGE)
_OUTSIDE_CODE_PAGE = re.compile(f"([^{re.escape(_CODE_PAGE)}]+)")
_TO_CYRILLIC_TABLE = "".join(
    _LIGATURES.get(ch) or (_LATIN_TO_CYRILLIC.get(ch, ch) if ch.isalpha() else ch) for ch in _CODE_PAGE
)
# Љ, Њ and Џ stay Cyrillic in this table: each becomes two letters afterwards.
_TO_LATIN_TABLE = "".join(
    ch if ch in "ЉЊЏљњџ" else (latin if len(latin := CYRILLIC_TO_LATIN.get(ch, ch)) == 1 else ch)
    for ch in _CODE_PAGE
)


def _swap_letters(text, table):
    """Every letter of the code page swapped through ``table``; characters outside it are left alone."""
    pieces = []
    for _ in range(16):  # a few such characters one by one; more, and one regex finds them all
        try:
            encoded = codecs.charmap_encode(text, "strict", _ENCODING_MAP)[0]
        except UnicodeEncodeError as error:  # an emoji, say: the text before it, then the emoji as it is
            encoded = codecs.charmap_encode(text[: error.start], "strict", _ENCODING_MAP)[0]
            pieces += [codecs.charmap_decode(encoded, "strict", table)[0], text[error.start : error.end]]
            text = text[error.end :]
        else:
            pieces.append(codecs.charmap_decode(encoded, "strict", table)[0])
            return "".join(pieces)
    parts = _OUTSIDE_CODE_PAGE.split(text)
    parts[::2] = [
        codecs.charmap_decode(codecs.charmap_encode(part, "strict", _ENCODING_MAP)[0], "strict", table)[0]
        for part in parts[::2]
    ]
    return "".join(pieces + parts)


# Digraphs ------------------------------------------------------------------------------------------------


def _either_case(text):
    return "".join(
        f"[{ch.upper()}{ch.lower()}]" if ch.upper() != ch.lower() else re.escape(ch) for ch in text
    )


def read_digraph_exceptions(path=DIGRAPH_EXCEPTIONS_FILE):
    """The stems of the data file as (prefix, rest, anywhere): "in|jekc" → ("in", "jekc", False)."""
    stems = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.split("#", 1)[0].strip().lower()
        if not line:
            continue
        anywhere = line.startswith("*")
        prefix, bar, rest = line.lstrip("*").partition("|")
        if not (bar and prefix and rest and (prefix[-1] + rest[0]) in _DIGRAPHS):
            raise ValueError(
                f"{path.name}:{number}: a stem needs '|' between the two letters of lj, nj or dž"
            )
        stems.append((prefix, rest, anywhere))
    return stems


def _digraph_pattern(stems):
    """One regex for the digraphs; at a stem's split it matches the first letter alone, which stays."""
    lookbehinds = {}  # first letter of the digraph → lookbehind for the prefix → what may follow
    for prefix, rest, anywhere in stems:
        behind = ("" if anywhere else r"\b") + _either_case(prefix)
        lookbehinds.setdefault(prefix[-1], {}).setdefault(behind, []).append(_either_case(rest))
    branches = []
    for first, second in (("l", "j"), ("n", "j"), ("d", "ž")):
        split = "|".join(
            f"(?<={behind})(?=(?:{'|'.join(sorted(rests, key=len, reverse=True))}))"
            for behind, rests in lookbehinds.get(first, {}).items()
        )
        split = f"(?={_either_case(second)})(?:{split})|" if split else ""
        # Each branch starts with a plain letter, so the regex engine skips to the next l, n or d in C.
        branches += [f"{letter}(?:{split}{_either_case(second)})" for letter in (first, first.upper())]
    return re.compile("|".join(branches))


_DIGRAPH = _digraph_pattern(read_digraph_exceptions())


def _merge_digraph(match):
    return _DIGRAPHS.get(match[0], match[0])  # a stem's split (one letter) or "lJ" stays as it is


_UPPER_CLASS = f"[{_UPPER}ǄǇǊ]"
# Љ, Њ, Џ in an all-capitals word become LJ, NJ, DŽ: before a capital, or after one at the end of a word.
_CAPS_DIGRAPH = re.compile(f"[ЉЊЏ](?:(?={_UPPER_CLASS})|(?<={_UPPER_CLASS}[ЉЊЏ])(?![{_LOWER}]))")
_CAPS_DIGRAPHS = {"Љ": "LJ", "Њ": "NJ", "Џ": "DŽ"}
_TWO_LETTERS = [("Љ", "Lj"), ("Њ", "Nj"), ("Џ", "Dž"), ("љ", "lj"), ("њ", "nj"), ("џ", "dž")]


def _latin_run_to_cyrillic(text):
    if "\u030c" in text or "\u0301" in text:  # č, ć, š, ž typed as a letter and a combining mark
        text = unicodedata.normalize("NFC", text)
    return _swap_letters(_DIGRAPH.sub(_merge_digraph, text), _TO_CYRILLIC_TABLE)


def _cyrillic_run_to_latin(text):
    text = _swap_letters(_CAPS_DIGRAPH.sub(lambda m: _CAPS_DIGRAPHS[m[0]], text), _TO_LATIN_TABLE)
    for cyrillic, latin in _TWO_LETTERS:
        text = text.replace(cyrillic, latin)
    return text


# What is left alone ---------------------------------------------------------------------------------------

_ENDINGS = (
    "rs|срб|com|org|net|edu|gov|info|io|eu|me|ba|hr|si|mk|de|at|ch|uk|fr|it|ru|us|tv|fm|app|dev|"
    "pdf|docx?|xlsx?|pptx?|odt|ods|txt|csv|rtf|jpe?g|png|gif|webp|svg|mp[34]|avi|mov|zip|rar|html?|php"
)
_URL_END = r"[^\s<>\"'\x00-\x08]*[^\s<>\"'\x00-\x08.,;:!?)\]}»“”’…]"
_LEFT_ALONE_FIRST = [
    r"&(?:[a-zA-Z][a-zA-Z0-9]*;|#[0-9]+;?|#[xX][0-9a-fA-F]+;?|(?:amp|lt|gt|quot|nbsp)\b)",  # entity
    rf"(?:[a-zA-Z][a-zA-Z0-9+.-]*://|www\.|mailto:){_URL_END}",  # URL
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+",  # e-mail address
    r"[@#]\w+(?:\.\w+)*",  # handle, hashtag
    # domain or file name
    rf"[^\W_](?:[\w-]*[^\W_])?(?:\.[\w-]+)*\.(?:{_ENDINGS}|{_ENDINGS.upper()})\b(?:/{_URL_END})?",
]
_LEFT_ALONE_IN_LATIN = [
    rf"(?=[\w'’-]*[{re.escape(_FOREIGN_LATIN)}])[\w'’-]+",  # a word with letters Serbian does not use
]
_LEFT_ALONE_IN_LATIN_LAST = [
    r"(?=\w*\d)(?=\w*[^\W\d_])\w+",  # letters and digits together
    # Roman numerals of two letters or more; four of them are also Serbian words next to capitals.
    r"(?!(?:DIV|MI|VI|LI)\b)(?=[MDCLXVI]{2,}\b)M{0,4}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})"
    r"(?<=[MDCLXVI])\b",
    rf"(?<![{_UPPER}][ \xa0])(?:DIV|MI|VI|LI)\b(?![ \xa0][{_UPPER}]{{2}})",
    r"V(?![\w.])",  # no Serbian word; "V." is an initial
    rf"(?<=[{_LOWER}][ \xa0])I(?![\w.])",  # "Petar I": after a lower-case word it is a numeral
]
_LEFT_ALONE_IN_CYRILLIC = [
    rf"(?=[\w'’-]*[{re.escape(_FOREIGN_CYRILLIC)}])[\w'’-]+",  # "Россия"
]
# An ordinary word: Serbian letters only, lower-case or capitalized, not followed by "@", "-", ".x" and the
# like. Most words are; they are skipped without trying the patterns above.
_ORDINARY_WORD = (
    rf"(?:[{re.escape(_LOWER)}]|[{re.escape(_UPPER)}](?=[{re.escape(_LOWER)}]))[{re.escape(_LOWER)}]*+"
)
_ORDINARY_END = r"(?![\w@'’-]|[.:]\w|:/)"
_SHAPED_LIKE_ORDINARY = re.compile(_ORDINARY_WORD + _ORDINARY_END)


@lru_cache(maxsize=32)
def _scanner(to_cyrillic, keep):
    """A regex whose every match skips ordinary text and ends on the next token left alone, if any.

    Ordinary words and plain numbers are skipped in C; any other word is tried against the patterns once.
    """
    # Entries in the target script are left alone anyway; longer entries first ("Nova S" before "Nova").
    script = _ANY_LATIN if to_cyrillic else _ANY_CYRILLIC
    keep = sorted((entry for entry in keep if script.search(entry)), key=len, reverse=True)
    kept = [re.escape(entry) + r"(?!\w)" for entry in keep]
    if to_cyrillic:
        alone = "|".join(_LEFT_ALONE_FIRST + kept + _LEFT_ALONE_IN_LATIN + _LEFT_ALONE_IN_LATIN_LAST)
    else:
        alone = "|".join(_LEFT_ALONE_FIRST + kept + _LEFT_ALONE_IN_CYRILLIC)
    # Only entries that begin like an ordinary word ("Beta", "Nova S") must stop the skipping.
    lower, title = [], []
    for entry, pattern in zip(keep, kept, strict=True):
        if _SHAPED_LIKE_ORDINARY.match(entry):
            (lower if entry[0].islower() else title).append(pattern)
    lower = f"(?!{'|'.join(lower)})" if lower else ""
    title = f"(?!{'|'.join(title)})" if title else ""
    ordinary = (
        rf"[ \xa0]?+(?:{lower}[{re.escape(_LOWER)}]|{title}[{re.escape(_UPPER)}](?=[{re.escape(_LOWER)}]))"
        rf"[{re.escape(_LOWER)}]*+{_ORDINARY_END}"
    )
    number = r"\d++(?![\w@]|[.:,/-][^\W\d])"
    skip = rf"(?:{ordinary}|[^\w@#&]++|{number}|(?!{alone})(?:\w++|[@#&]))*+"
    return re.compile(rf"{skip}(?P<alone>(?!\Z)(?:{alone}))?")


def _convert(text, to_cyrillic, keep):
    """``text`` in the other script; ``keep`` is a tuple of entries left as written, or None for the list."""
    if not text or not (_ANY_LATIN if to_cyrillic else _ANY_CYRILLIC).search(text):
        return text  # nothing to convert: not even the exceptions list is read
    keep = _keep(keep)
    convert_run = _latin_run_to_cyrillic if to_cyrillic else _cyrillic_run_to_latin
    pieces = []
    done = 0
    for match in _scanner(to_cyrillic, keep).finditer(text):
        start, end = match.span("alone")
        if start >= 0:
            pieces += [convert_run(text[done:start]), match["alone"]]
            done = end
    pieces.append(convert_run(text[done:]))
    return "".join(pieces)


_ANY_LATIN = re.compile(f"[{re.escape(_LATIN_LETTERS)}{''.join(_LIGATURES)}]")
_ANY_CYRILLIC = re.compile(f"[{re.escape(_CYRILLIC_LETTERS)}]")


def _keep(keep):
    return exceptions() if keep is None else tuple(sorted({entry.strip() for entry in keep} - {""}))


def to_cyrillic(text: str, keep=None) -> str:
    """Plain text (titles, comments, e-mail, feed items, JSON-LD values) in Serbian Cyrillic.

    ``keep`` lists words left as written; by default the editors' exceptions list, read from the cache
    on every call: in a loop, read it once with ``exceptions()`` and pass it.
    """
    return _convert(text, True, keep)


def to_latin(text: str, keep=None) -> str:
    """Plain text in Serbian Latin: the counterpart of ``to_cyrillic``."""
    return _convert(text, False, keep)


# HTML -----------------------------------------------------------------------------------------------------

# The rest of a tag: a quote opens a value only right after "=", and a quoted value may hold ">".
_TAG_REST = r"""[^>=]*+(?:=\s*+(?:"[^"]*+"|'[^']*+')?[^>=]*+)*+"""
_LEFT_ALONE_ELEMENTS = ("script", "style", "textarea", "code", "pre", "kbd", "samp")
# Whole elements whose contents are no text to convert: as in browsers, script, style and textarea left
# open run to the end of the page; code, pre, kbd and samp need their end tag.
_ELEMENT_LEFT_ALONE = "|".join(
    rf"<(?i:{name})\b{_TAG_REST}>.*?(?:</(?i:{name})\s*>{end})"
    for name, end in zip(_LEFT_ALONE_ELEMENTS, [r"|\Z"] * 3 + [""] * 4, strict=True)
)
_OTHER_MARKUP = r"<!--.*?(?:-->|\Z)|<!\[CDATA\[.*?(?:\]\]>|\Z)|<[!?][^>]*+>?|</?[a-zA-Z][^<>]*+(?=<|\Z)"
_TAG = rf"</?[a-zA-Z][^\s/>]*+{_TAG_REST}>"
_NEXT_TAG_IN_RUN = rf"\s*+(?!<(?=[sStTcCpPkK])(?i:{'|'.join(_LEFT_ALONE_ELEMENTS)})\b){_TAG}"
# Tokens: one such element, a comment and the like, or a run of tags with only white space between them,
# so a page splits into far fewer pieces than it has tags. What lies between two tokens is text.
_HTML_TOKEN = re.compile(
    rf"({_ELEMENT_LEFT_ALONE}|{_TAG}(?:{_NEXT_TAG_IN_RUN})*+|{_OTHER_MARKUP})", re.DOTALL
)
_WHOLE_ELEMENT = re.compile(rf"(?:{_ELEMENT_LEFT_ALONE}|{_OTHER_MARKUP})\Z", re.DOTALL)
_WHOLE_ELEMENT_STARTS = "!?sStTcCpPkK"
# Where a tag may have something to convert or a language mark: the "=" after lang, translate, alt, title,
# aria-label, data-…-label, placeholder or (meta's) content, in lower or upper case; inputs by name.
_NEEDS_A_LOOK = re.compile(
    r"=(?<=(?:lang|LANG|\salt|\sALT|itle|ITLE|abel|ABEL|lder|LDER|tent|TENT|late|LATE)=)"
)
_INPUTS = ("<input", "<INPUT")
# Both in one pass: neither kind of hint overlaps the other.
_HINT = re.compile(rf"{_NEEDS_A_LOOK.pattern}|{'|'.join(_INPUTS)}")
_START_TAG = re.compile(rf"<([a-zA-Z][^\s/>]*+){_TAG_REST}>")
_TAG_NAME = re.compile(r"<([a-zA-Z][^\s/>]*+)")
_ATTRIBUTE_VALUE = r"""\s*+=\s*+(?:"([^"]*+)"|'([^']*+)'|([^\s"'=<>`]++))"""
_LOOKED_AT = r"(?i:alt|title|aria-label|placeholder|data-[a-z0-9-]*-label|lang|translate)"
# From one attribute to the next one a reader sees (or lang), skipping the others, quoted values and all.
_NEXT_VISIBLE = re.compile(
    rf"""(?:\s++(?!{_LOOKED_AT}\s*=)[^\s"'<>/=]++(?:\s*+=\s*+(?:"[^"]*+"|'[^']*+'|[^\s"'=<>`]*+))?)*+"""
    rf"\s++({_LOOKED_AT}){_ATTRIBUTE_VALUE}"
)
_END_OR_START = re.compile(r"<(/?)([a-zA-Z][^\s/>]*)")
_ATTRIBUTE = re.compile(r"""([^\s"'<>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")
_VISIBLE_ATTRIBUTES = {"alt", "title", "aria-label", "placeholder"}
_VISIBLE_META = {
    "description", "og:title", "og:description", "og:image:alt", "og:site_name", "twitter:title",
    "twitter:description", "twitter:image:alt", "article:section", "article:tag",
}  # fmt: skip
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# HTML ends these when another of the same name starts ("<p>one<p>two").
_ENDED_BY_ITSELF = {"p", "li", "dt", "dd", "option", "tr", "td", "th"}
# Text and attribute values are converted in one call, joined by a character that no token crosses.
_SEPARATORS = "\x00\x01\x02\x03\x04\x05\x06\x07\x08"


_AS_WRITTEN = "zxx"  # not Serbian: what translate="no" makes of an element


def _is_serbian(lang):
    lang = lang.strip().lower()
    return not lang or lang == "sr" or lang.startswith("sr-")


def _read_start_tag(item):
    """Name, attributes and where each attribute value is in ``item``; None if it is no start tag."""
    tag = _START_TAG.match(item)
    if tag is None:
        return None
    attributes, values = {}, []
    for match in _ATTRIBUTE.finditer(item, tag.end(1), tag.end() - 1):
        if (group := match.lastindex) > 1:  # the attribute has a value, in group 2, 3 or 4
            name = match[1].lower()
            attributes.setdefault(name, match[group])
            values.append((name, match.span(group)))
    return tag[1].lower(), attributes, values, tag[0].endswith("/>")


def _visible_values(name, attributes, values):
    """Spans of the attribute values a reader sees."""
    if name == "meta":
        kind = (attributes.get("name") or attributes.get("property") or "").lower()
        return [span for attribute, span in values if attribute == "content" and kind in _VISIBLE_META]
    button = name == "input" and attributes.get("type", "").lower() in ("submit", "button")
    return [
        span
        for attribute, span in values
        if attribute in _VISIBLE_ATTRIBUTES
        or (button and attribute == "value")
        or (attribute.startswith("data-") and attribute.endswith("-label"))
    ]


def _look_at_tag(token, start):
    """Name, lang and the spans of the visible attribute values of the start tag at ``token[start]``."""
    if (name := _TAG_NAME.match(token, start)) is None:
        return None
    if name[1].lower() in ("meta", "input"):  # which values are visible depends on other attributes
        tag = _START_TAG.match(token, start)
        if tag is None:
            return None
        tag_name, attributes, values, _ = _read_start_tag(tag[0])
        visible = _visible_values(tag_name, attributes, values)
        return tag_name, attributes.get("lang"), [(start + begin, start + end) for begin, end in visible]
    lang, as_written, spans, position = None, False, [], name.end()
    while attribute := _NEXT_VISIBLE.match(token, position):
        if attribute[1].lower() == "lang":
            lang = attribute[attribute.lastindex]
        elif attribute[1].lower() == "translate":
            as_written = attribute[attribute.lastindex].strip().lower() == "no"
        else:
            spans.append(attribute.span(attribute.lastindex))
        position = attribute.end()
    # An element marked translate="no" (a reader's comment on the moderation desk) is kept as written,
    # as a foreign-language one is.
    return name[1].lower(), _AS_WRITTEN if as_written else lang, spans


def _element_end(tokens, index, offset, name):
    """Where the element whose start tag ends at ``tokens[index][offset]`` ends, as (token, offset).

    That is its end tag (nesting counted), an end tag of an element around it, a start tag of its own name
    where HTML lets that end it ("<p>one<p>two"), or the end of the page.
    """
    open_inside = []
    for position in range(index, len(tokens)):
        if _WHOLE_ELEMENT.match(tokens[position]):
            continue
        for tag in _END_OR_START.finditer(tokens[position], offset if position == index else 0):
            closing, tag_name = tag[1], tag[2].lower()
            if not closing:
                if tag_name == name and not open_inside and name in _ENDED_BY_ITSELF:
                    return position, tag.start()
                start_tag = _START_TAG.match(tokens[position], tag.start())
                if tag_name not in _VOID and start_tag is not None and not start_tag[0].endswith("/>"):
                    open_inside.append(tag_name)
            elif tag_name in open_inside:
                del open_inside[len(open_inside) - 1 - open_inside[::-1].index(tag_name) :]
            else:
                return position, tag.end()  # its own end tag, or an outer element's
    return len(tokens), 0


def _tags_to_look_at(token):
    """(start, what ``_look_at_tag`` found) for each tag of ``token`` that may have something to convert
    or a language mark, in order; found by the hints in ``_HINT``, which never span two tokens."""
    hints = [match.start() for match in _HINT.finditer(token)]
    if not hints:
        return ()
    found, last = [], -1
    whole = token[1] in _WHOLE_ELEMENT_STARTS and _WHOLE_ELEMENT.match(token)
    for offset in hints:
        if whole:
            start = 0  # only its start tag may have something to convert
            if (tag := _START_TAG.match(token)) is None or offset >= tag.end():
                continue
        else:
            start = token.rfind("<", 0, offset + 1)  # a run holds nothing but tags
        if start <= last:
            continue
        last = start
        if (tag := _look_at_tag(token, start)) is not None:
            found.append((start, tag))
    return tuple(found)


def _convert_html(html, to_cyrillic, keep, remember=True):
    """``html`` converted; ``remember``: with this process's memory of texts and tags (same output)."""
    joins_pieces = "\u030c" in html or "\u0301" in html
    remembered = _remembered(to_cyrillic, keep) if remember and not joins_pieces else None
    looked_at = _tags_remembered.entries.get if remembered is not None else lambda token: None
    parts = _HTML_TOKEN.split(html)
    texts, tokens = parts[0::2], parts[1::2]
    # Text i comes before token i. Visible attribute values are converted together with the text: they
    # follow it in ``pieces``, and ``spans`` says where in which token they go back.
    pieces = texts.copy()
    spans = {}
    foreign = set()
    foreign_until = (-1, 0)
    new_tags = {}  # runs of tags not remembered: many recur on the page ("</p></div>")
    for index, token in enumerate(tokens):
        if (tags := looked_at(token)) is None and (tags := new_tags.get(token)) is None:
            tags = new_tags[token] = _tags_to_look_at(token)
        for start, (name, lang, values) in tags:
            if (index, start) < foreign_until:
                continue
            if lang is not None and not _is_serbian(lang):
                tag = _START_TAG.match(token, start)
                if name not in _VOID and name not in _LEFT_ALONE_ELEMENTS and not tag[0].endswith("/>"):
                    foreign_until = _element_end(tokens, index, tag.end(), name)
                    foreign.update(range(index + 1, foreign_until[0] + 1))
                continue
            if values:
                spans.setdefault(index, []).extend(values)
                pieces += [token[begin:end] for begin, end in values]
    if remembered is not None:
        _tags_remembered.put_all((token, tags, len(token)) for token, tags in new_tags.items())
    for index in foreign:
        pieces[index] = ""
    converted = _convert_pieces(pieces, html, to_cyrillic, keep, remembered)
    page = [None] * len(parts)
    page[0::2] = converted[: len(texts)]
    converted = iter(converted[len(texts) :])
    for index, token_spans in spans.items():
        out, done = [], 0
        for start, end in token_spans:
            out += [tokens[index][done:start], next(converted)]
            done = end
        tokens[index] = "".join([*out, tokens[index][done:]])
    page[1::2] = tokens
    for index in foreign:
        page[2 * index] = texts[index]
    return "".join(page)


def _convert_pieces(pieces, html, to_cyrillic, keep, remembered=None):
    """The pieces of ``html`` converted; with ``remembered`` (a _Memory), only those not converted before."""
    if remembered is not None:
        get = remembered.entries.get
        converted = [get(piece) for piece in pieces]
        missing = [index for index, piece in enumerate(converted) if piece is None]
        if missing:
            fresh = _convert_pieces([pieces[index] for index in missing], html, to_cyrillic, keep)
            for index, piece in zip(missing, fresh, strict=True):
                converted[index] = piece
            remembered.put_all(
                (pieces[index], piece, len(pieces[index]) + len(piece))
                for index, piece in zip(missing, fresh, strict=True)
            )
        return converted
    separator = next((ch for ch in _SEPARATORS if ch not in html), None)
    if separator is not None:
        converted = _convert(separator.join(pieces), to_cyrillic, keep).split(separator)
        if len(converted) == len(pieces):
            return converted
    return [_convert(piece, to_cyrillic, keep) for piece in pieces]


# What was converted before -----------------------------------------------------------------------------
# A page made again differs little from the last time (a new comment, a count), so this process keeps what it
# converted: each text between tags, and where in each run of tags there is something to convert. A text's
# conversion depends on nothing around it (the separator is no letter, space or part of any token left
# alone) and on nothing but the direction and the exceptions list, which key the memory: an edited list
# starts an empty one. Two things would make one text's conversion depend on another's, and then nothing is
# kept: a combining accent anywhere (NFC applies to the whole run) and an exceptions entry with a separator.

MEMORY_CHARACTERS = 2_000_000  # per memory (a few MB); when full, it starts again empty
MEMORY_LONGEST = 8_192  # a text with its conversion, or a run of tags, longer: converted every time


class _Memory:
    """``entries`` holds values by key while the keys and values hold ``characters`` at most, about."""

    def __init__(self, characters=MEMORY_CHARACTERS):
        self.entries = {}
        self.characters = 0
        self.budget = characters

    def put_all(self, items):
        """Keeps each (key, value, length) of ``items``, but those longer than ``MEMORY_LONGEST``."""
        items = [item for item in items if item[2] <= MEMORY_LONGEST]
        if not items:
            return
        length = sum(length for _, _, length in items)
        if self.characters + length > self.budget:
            self.entries = {}  # a request reading the old dict meanwhile still finds right values
            self.characters = 0
        self.entries.update((key, value) for key, value, _ in items)
        self.characters += length


_texts_remembered = {}  # (to_cyrillic, keep) → _Memory of text → converted text
_tags_remembered = _Memory()  # run of tags → what _tags_to_look_at found


def _remembered(to_cyrillic, keep):
    memory = _texts_remembered.get((to_cyrillic, keep), False)
    if memory is False:
        if len(_texts_remembered) >= 4:  # lists no longer in use
            _texts_remembered.clear()
        safe = not any(separator in entry for entry in keep for separator in _SEPARATORS)
        memory = _texts_remembered[(to_cyrillic, keep)] = _Memory() if safe else None
    return memory


def forget_conversions():
    """Empties this process's memory of conversions (tests; the memory never needs it to stay correct)."""
    _texts_remembered.clear()
    _tags_remembered.entries, _tags_remembered.characters = {}, 0


def html_to_cyrillic(html: str, keep=None) -> str:
    """A rendered page or fragment in Cyrillic: its text and the attribute values a reader sees.

    Converted: text nodes; ``alt``, ``title``, ``aria-label`` and ``placeholder``; ``content`` of the
    description, Open Graph, Twitter and article ``<meta>`` tags; ``value`` of submit and button inputs;
    ``data-…-label``, the texts our scripts show ("data-copied-label").
    Left alone: tag names and all other attributes, comments, the doctype, entities, the contents of
    script, style, textarea, code, pre, kbd and samp, and every element (descendants too) whose ``lang`` is
    not Serbian. Malformed markup never raises: a stray "<" is text, a tag left open ends where the next
    one starts, an element marked foreign and left open ends where its parent does.
    """
    return _convert_html(html, True, _keep(keep)) if html else html


def html_to_latin(html: str, keep=None) -> str:
    """A rendered page or fragment in Latin: the counterpart of ``html_to_cyrillic``."""
    if not html or not _ANY_CYRILLIC.search(html):
        return html
    return _convert_html(html, False, _keep(keep))


# The editors' exceptions list ----------------------------------------------------------------------------


_read_this_request = contextvars.ContextVar("transliteration_exceptions", default=None)


@contextmanager
def exceptions_read_once():
    """Inside (a request), the list is fetched once, however many texts the page transliterates."""
    token = _read_this_request.set({})
    try:
        yield
    finally:
        _read_this_request.reset(token)


def exceptions():
    """The editors' exceptions list from the cache: at most one query per cache period."""
    memo = _read_this_request.get()
    if memo:
        return memo["entries"]
    entries = cache.get(EXCEPTIONS_CACHE_KEY)
    if entries is None:
        from .models import TransliterationException

        entries = _keep(TransliterationException.objects.values_list("text", flat=True))
        cache.set(EXCEPTIONS_CACHE_KEY, entries, EXCEPTIONS_CACHE_SECONDS)
    if memo is not None:
        memo["entries"] = entries
    return entries


def forget_exceptions(**kwargs):
    """Receiver for saved and deleted entries: the next conversion reads the list again."""
    cache.delete(EXCEPTIONS_CACHE_KEY)
    # Once more after the commit, in case a request cached the old list in between.
    transaction.on_commit(lambda: cache.delete(EXCEPTIONS_CACHE_KEY))
