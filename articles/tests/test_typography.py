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
