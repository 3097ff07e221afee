"""Fonts and typography for both scripts."""

import re
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from articles.tests.factories import ArticleFactory

FONTS = Path(__file__).resolve().parents[2] / "static" / "fonts"
SITE_CSS = Path(__file__).resolve().parents[2] / "static" / "css" / "site.css"


def serbian_forms(font_file):
    """Characters the font draws differently for Serbian (OpenType ``locl`` for Cyrillic, language SRB)."""
    font = TTFont(FONTS / font_file)
    cmap = font.getBestCmap()
    glyph_to_char = {glyph: chr(code) for code, glyph in cmap.items()}
    gsub = font["GSUB"].table
    changed = set()
    for script in gsub.ScriptList.ScriptRecord:
        if script.ScriptTag != "cyrl":
            continue
        for language in script.Script.LangSysRecord:
            if language.LangSysTag != "SRB ":
                continue
            for index in language.LangSys.FeatureIndex:
                feature = gsub.FeatureList.FeatureRecord[index]
                if feature.FeatureTag != "locl":
                    continue
                for lookup_index in feature.Feature.LookupListIndex:
                    for subtable in gsub.LookupList.Lookup[lookup_index].SubTable:
                        for glyph in getattr(subtable, "mapping", {}):
                            changed.add(glyph_to_char.get(glyph))
    return changed


def test_our_serif_italic_has_the_serbian_forms_of_b_g_d_p_t():
    assert set("бгдпт") <= serbian_forms("noto-serif-cyrillic-wght-italic.woff2")


SERBIAN_LATIN = "ABCČĆDĐEFGHIJKLMNOPRSŠTUVZŽabcčćdđefghijklmnoprsštuvzž"
SERBIAN_CYRILLIC = "АБВГДЂЕЖЗИЈКЛЉМНЊОПРСТЋУФХЦЧЏШабвгдђежзијклљмнњопрстћуфхцчџш"
UNICODE_RANGE_PART = re.compile(r"U\+([0-9A-F]+)(?:-([0-9A-F]+))?", re.IGNORECASE)


def font_faces():
    """Each @font-face in site.css as (family, style, font file, code points of its unicode-range)."""
    faces = []
    for block in re.findall(r"@font-face\s*{([^}]*)}", SITE_CSS.read_text()):
        descriptors = dict(re.findall(r"([a-z-]+):\s*([^;]+);", block))
        codes = set()
        for first, last in UNICODE_RANGE_PART.findall(descriptors["unicode-range"]):
            codes.update(range(int(first, 16), int(last or first, 16) + 1))
        font_file = re.search(r'url\("\.\./fonts/([^"]+)"\)', descriptors["src"]).group(1)
        faces.append((descriptors["font-family"].strip('"'), descriptors["font-style"], font_file, codes))
    return faces


def face_for(letter, family, style):
    """The font files a browser may load to draw ``letter`` in the family and style."""
    return [file for f, s, file, codes in font_faces() if (f, s) == (family, style) and ord(letter) in codes]


def test_every_letter_of_both_alphabets_has_one_face_per_family_and_style_which_draws_it():
    for family, style in {(family, style) for family, style, _file, _codes in font_faces()}:
        for letter in SERBIAN_LATIN + SERBIAN_CYRILLIC + "0123456789":
            files = face_for(letter, family, style)
            assert len(files) == 1, (letter, family, style, files)
            assert ord(letter) in TTFont(FONTS / files[0]).getBestCmap(), (letter, files[0])


def test_serbian_latin_letters_come_from_a_small_file_not_the_whole_latin_ext_subset():
    for family, style in (("Noto Serif", "normal"), ("Noto Serif", "italic"), ("Noto Sans", "normal")):
        files = {face_for(letter, family, style)[0] for letter in "ČčĆćĐđŠšŽž"}
        assert len(files) == 1 and "serbian-latin" in next(iter(files)), files
        assert (FONTS / files.pop()).stat().st_size < 8_000
    # Rarer letters (names from neighbouring languages) still have their face.
    assert face_for("Ł", "Noto Serif", "normal") == ["noto-serif-latin-ext-wght-normal.woff2"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("prefix", "alphabet"), [("", SERBIAN_LATIN), ("/cir", SERBIAN_CYRILLIC)], ids=["latin", "cyrillic"]
)
def test_pages_preload_the_upright_faces_their_script_draws_and_nothing_else(client, prefix, alphabet):
    article = ArticleFactory()
    html = client.get(prefix + article.get_absolute_url()).content.decode()
    preloaded = {
        href.rsplit("/", 1)[-1] for href in re.findall(r'<link rel="preload" href="([^"]+)" as="font"', html)
    }
    needed = {
        face_for(letter, family, "normal")[0]
        for letter in alphabet + "0123456789„“"
        for family in ("Noto Serif", "Noto Sans")
    }
    assert preloaded == needed


def test_every_script_subset_is_declared_for_both_faces():
    css = SITE_CSS.read_text()
    for family in ("Noto Serif", "Noto Sans"):
        faces = re.findall(r"@font-face\s*{[^}]*font-family:\s*\"" + family + r"\"[^}]*}", css)
        ranges = " ".join(faces)
        assert "U+0400-045F" in ranges.upper() or "U+0400-04FF" in ranges.upper(), family
    assert "hyphens: auto" in css


@pytest.mark.django_db
def test_page_language_lets_the_browser_pick_serbian_forms_and_hyphenation(client):
    article = ArticleFactory(body="<p>„Navodnici“ i ‚polunavodnici‘ ostaju srpski.</p>")
    latin = client.get(article.get_absolute_url()).content.decode()
    cyrillic = client.get("/cir" + article.get_absolute_url()).content.decode()
    assert '<html lang="sr-Latn">' in latin and '<html lang="sr-Cyrl">' in cyrillic
    assert "„Navodnici“ i ‚polunavodnici‘" in latin
    assert "„Наводници“ и ‚полунаводници‘" in cyrillic
