"""The process's memory of converted texts and tags changes no byte of what a page converts to.

The reference is the conversion as it was before the memory (``reference_html``, below): the whole page's
texts joined and converted in one call, the tags looked at hint by hint. The new one is compared with it
cold (an empty memory) and warm (the same page again, and after many other pages) on the test suite's HTML
cases, the demo articles, a generated 200-comment page in both directions and random HTML-ish text.
"""

import random
from bisect import bisect_right
from itertools import accumulate

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles import demo_content
from articles import transliteration as t
from articles.models import TransliterationException
from articles.tests import test_transliteration
from bench.transliteration import make_page

NONE = ()
KEEP_LISTS = [NONE, ("Beta", "Nova S", "Tanjug", "nj"), ("Ljubav", "LJ")]


def find_all(text, needles):
    found = []
    for needle in needles:
        position = text.find(needle)
        while position >= 0:
            found.append(position)
            position = text.find(needle, position + 1)
    return found


def reference_html(html, to_cyrillic, keep):
    """``_convert_html`` before the memory, unchanged: the reference only."""
    parts = t._HTML_TOKEN.split(html)
    texts, tokens = parts[0::2], parts[1::2]
    ends = list(accumulate(map(len, parts)))
    pieces = texts.copy()
    spans = {}
    foreign = set()
    foreign_until = (-1, 0)
    looked_at = (-1, -1)
    hints = [match.start() for match in t._NEEDS_A_LOOK.finditer(html)] + find_all(html, t._INPUTS)
    for hint in sorted(hints):
        part = bisect_right(ends, hint)
        if not part % 2:
            continue
        index, token = part // 2, parts[part]
        offset = hint - ends[part - 1]
        if token[1] in t._WHOLE_ELEMENT_STARTS and t._WHOLE_ELEMENT.match(token):
            start = 0
            if (tag := t._START_TAG.match(token)) is None or offset >= tag.end():
                continue
        else:
            start = token.rfind("<", 0, offset + 1)
        if (index, start) <= looked_at or (index, start) < foreign_until:
            continue
        looked_at = (index, start)
        if (tag := t._look_at_tag(token, start)) is None:
            continue
        name, lang, values = tag
        if lang is not None and not t._is_serbian(lang):
            tag = t._START_TAG.match(token, start)
            if name not in t._VOID and name not in t._LEFT_ALONE_ELEMENTS and not tag[0].endswith("/>"):
                foreign_until = t._element_end(tokens, index, tag.end(), name)
                foreign.update(range(index + 1, foreign_until[0] + 1))
            continue
        if values:
            spans.setdefault(index, []).extend(values)
            pieces += [token[begin:end] for begin, end in values]
    for index in foreign:
        pieces[index] = ""
    separator = next((ch for ch in t._SEPARATORS if ch not in html), None)
    converted = None
    if separator is not None:
        converted = t._convert(separator.join(pieces), to_cyrillic, keep).split(separator)
        if len(converted) != len(pieces):
            converted = None
    if converted is None:
        converted = [t._convert(piece, to_cyrillic, keep) for piece in pieces]
    converted = iter(converted)
    page = [None] * len(parts)
    page[0::2] = [next(converted) for _ in texts]
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


def convert(html, to_cyrillic, keep):
    keep = t._keep(keep)
    return (t.html_to_cyrillic if to_cyrillic else t.html_to_latin)(html, keep=keep)


def assert_same_as_before(html, to_cyrillic=True, keep=NONE):
    expected = reference_html(html, to_cyrillic, t._keep(keep)) if html else html
    if not to_cyrillic and not t._ANY_CYRILLIC.search(html):
        expected = html  # html_to_latin returns such a page as it is, before and after
    assert convert(html, to_cyrillic, keep) == expected  # cold, or warm from earlier cases
    assert convert(html, to_cyrillic, keep) == expected  # warm: everything remembered


@pytest.fixture(autouse=True)
def empty_memory():
    t.forget_conversions()
    yield
    t.forget_conversions()


def suite_html_cases():
    """Every string with markup in the transliteration tests' parameter tables."""
    cases = []

    def collect(value):
        if isinstance(value, str):
            if "<" in value:
                cases.append(value)
        elif isinstance(value, (tuple, list)):
            for item in value:
                collect(item)
        elif hasattr(value, "values"):  # pytest.param
            collect(value.values)

    for function in vars(test_transliteration).values():
        for mark in getattr(function, "pytestmark", []):
            if mark.name == "parametrize":
                collect(mark.args[1])
    return cases


SUITE_CASES = suite_html_cases()


def test_the_suite_has_html_cases_to_compare():
    assert len(SUITE_CASES) >= 20


@pytest.mark.parametrize("keep", KEEP_LISTS, ids=["no-list", "brands", "digraph-words"])
@pytest.mark.parametrize("to_cyrillic", [True, False], ids=["to-cyrillic", "to-latin"])
def test_the_suites_html_cases_convert_as_before(to_cyrillic, keep):
    for html in SUITE_CASES:
        assert_same_as_before(html if to_cyrillic else t.html_to_cyrillic(html, keep=NONE), to_cyrillic, keep)


@pytest.mark.parametrize("field", ["body", "title", "lead", "kicker"])
def test_the_demo_articles_convert_as_before(field):
    for article in demo_content.ARTICLES:
        title = article["title"]
        html = f'<article><h1 title="{title}">{title}</h1>{article.get(field, "")}</article>'
        assert_same_as_before(html)
        assert_same_as_before(t.html_to_cyrillic(html, keep=NONE), to_cyrillic=False)


@pytest.mark.parametrize("markup", ["compact", "full"])
def test_a_page_with_200_comments_converts_as_before_cold_and_warm(markup):
    page = make_page(200, random.Random(7), markup)
    assert_same_as_before(page)
    # A miss after a change: one comment more, the rest remembered.
    changed = page.replace(
        "</ol>", '<li class="comment"><p>Novi komentar: njiva, LJUBAV, injekcija.</p></li></ol>', 1
    )
    assert changed != page
    assert_same_as_before(changed)
    cyrillic = t.html_to_cyrillic(page, keep=NONE)
    assert_same_as_before(cyrillic, to_cyrillic=False)
    assert t.html_to_latin(cyrillic, keep=NONE) == page


def test_a_combining_accent_anywhere_on_the_page_still_normalizes_every_text_with_it():
    # Before, the page's texts were converted in one call, so "Ω" (the ohm sign) became the Greek letter
    # when another text held a combining caron; text by text, it would not.
    html = "<p>\u2126</p><p>c\u030cas</p>"
    warm = "<p>\u2126</p>"
    convert(warm, True, NONE)
    assert convert(html, True, NONE) == reference_html(html, True, NONE) == "<p>\u03a9</p><p>час</p>"


def test_an_exceptions_entry_holding_the_separator_still_spans_texts():
    html = "<p>Nj</p><p>Lj</p>"
    keep = ("Nj\x00Lj",)
    assert convert("<p>Nj</p>", True, keep) == "<p>Њ</p>"  # alone, "Nj" converts, and is remembered
    assert convert(html, True, keep) == reference_html(html, True, keep) == "<p>Nj</p><p>Lj</p>"


def test_each_direction_remembers_its_own_conversions():
    html = "<p>Njiva</p><p>Љубав</p>"
    assert t.html_to_cyrillic(html, keep=NONE) == "<p>Њива</p><p>Љубав</p>"
    assert t.html_to_latin(html, keep=NONE) == "<p>Njiva</p><p>Ljubav</p>"
    assert t.html_to_cyrillic(html, keep=NONE) == "<p>Њива</p><p>Љубав</p>"


@pytest.mark.django_db
def test_an_entry_an_editor_adds_reaches_a_page_converted_before():
    html = '<p title="Vreme">Vreme je lepo.</p>'
    assert t.html_to_cyrillic(html) == '<p title="Време">Време је лепо.</p>'
    TransliterationException.objects.create(text="Vreme")
    assert t.html_to_cyrillic(html) == '<p title="Vreme">Vreme је лепо.</p>'
    TransliterationException.objects.filter(text="Vreme").delete()
    assert t.html_to_cyrillic(html) == '<p title="Време">Време је лепо.</p>'


def test_the_memory_keeps_at_most_its_budget_of_characters_and_the_newest_entry():
    memory = t._Memory(characters=100)
    for number in range(10, 50, 2):
        memory.put_all([(f"text {number}", "", 7), (f"text {number + 1}", "", 7)])
        assert memory.characters == 7 * len(memory.entries) <= 100
    assert set(memory.entries) >= {"text 48", "text 49"}
    memory.put_all([("x" * (t.MEMORY_LONGEST + 1), "long", t.MEMORY_LONGEST + 1)])
    assert "x" * (t.MEMORY_LONGEST + 1) not in memory.entries


def test_a_page_made_again_converts_only_its_new_texts(monkeypatch):
    page = make_page(50, random.Random(3), "full")
    t.html_to_cyrillic(page, keep=NONE)
    converted = []
    real = t._convert
    monkeypatch.setattr(t, "_convert", lambda text, *args: converted.append(text) or real(text, *args))
    t.html_to_cyrillic(page.replace("</ol>", "<li><p>Jedan novi komentar</p></li></ol>", 1), keep=NONE)
    assert converted == ["Jedan novi komentar"]


# Random HTML-ish text: both scripts, digraphs and their exceptions, tags with visible and foreign-language
# attributes, elements left alone, entities, addresses, numerals, separators and combining accents.
FRAGMENTS = [
    "Ljubav", "LJUBAV", "njiva", "Njegoš", "DŽAK", "džem", "injekcija", "konjugacija", "nadživeti",
    "Đorđe", "čaša", "ćup", "šuma", "žaba", "Љубав", "ЊЕГОШ", "џак", "ђак", "и", "Россия", "New York", "II",
    "I", "V", "Petar I", "MI SMO", "DA LI", "B92", "5G", "www.citaonica.rs", "a@b.rs", "@handle", "#tag",
    "izveštaj.pdf", "Beta", "Nova S", "Tanjug", "nj", "LJ", " ", "  ", "\n", ", ", ". ", "\xa0", "&amp;",
    "&#x41;", "&nbsp;", "&", "<", ">", "=", '"', "'", "\x00", "\x01", "\x08", "\u030c", "\u0301",
    "c\u030c", "\u2126", "😀", "<p>", "</p>", "<b>", "</b>", "<br>", "<br/>", '<span lang="en">',
    '<span lang="sr-Latn">', "</span>", '<div translate="no">', "</div>", '<p lang="en">',
    '<img alt="Njiva i LJUBAV">', '<a title="Džak">', "</a>", '<input type="submit" value="Pošalji">',
    '<input placeholder="Traži">', '<button aria-label="Lj">', '<meta name="description" content="Njegoš">',
    '<meta property="og:title" content="Ђак">', '<b data-copied-label="Kopirano">', '<i title="a > b">',
    "<script>var nj = 1;</script>", "<script>", "<style>p{}</style>", "<textarea>njiva</textarea>",
    "<code>nj</code>", "<pre>", "</pre>", "<!-- nj -->", "<!--", "<![CDATA[nj]]>", "<!doctype html>",
    "<?xml nj?>", "<P LANG=EN>", "<ul>", "<li>", "</li>", "</ul>",
]  # fmt: skip

html_ish = st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=4), max_size=40).map("".join)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(html=html_ish, keep=st.sampled_from([*KEEP_LISTS, ("Nj\x00Lj",)]), to_cyrillic=st.booleans())
def test_random_html_converts_as_before(html, keep, to_cyrillic):
    # The memory is not emptied between examples: each one also meets what the earlier ones left.
    assert_same_as_before(html, to_cyrillic, keep)
