"""Avatars' initials come from the name in the reader's script, never left in Latin as a Roman numeral."""

import re

import pytest
from django.test import Client

from articles.models import SiteSettings
from articles.tests.factories import ArticleFactory
from articles.transliteration import to_cyrillic
from comments.moderation import refresh_comment_counts
from comments.rendering import initials

from .factories import ArticleCommentFactory

pytestmark = pytest.mark.django_db

NAMES = {
    "Dragan Ilić": ("DI", "ДИ"),
    "Ljiljana Njegoš": ("LN", "ЉЊ"),
    "Đorđe": ("Đ", "Ђ"),
    "Milan Cvetić": ("MC", "МЦ"),
    "Xenija Ivić": ("XI", "XИ"),
    "Vesna Ivković": ("VI", "ВИ"),
    "Lazar Ilić": ("LI", "ЛИ"),
    "Cveta Vuković": ("CV", "ЦВ"),
    "Драган Илић": ("ДИ", "ДИ"),
}


def shown_initials(html):
    """Each comment's initials as the page carries them (data-i on the name), by the name."""
    found = re.findall(r'<b class=a\d data-i=("[^"]*"|\S+?)>([^<]*)</b>', html)
    return {name: letters.strip('"') for letters, name in found}


@pytest.fixture
def article(comment_settings):
    SiteSettings.get_solo()
    article = ArticleFactory(title="Ko je pisao o mostu")
    parent = None
    for index, name in enumerate(NAMES):  # every other one a reply to the one before
        comment = ArticleCommentFactory(article=article, user_name=name, parent=parent if index % 2 else None)
        parent = comment
    refresh_comment_counts([article.pk])
    return article


def test_initials_take_the_first_letter_of_the_first_two_words():
    assert initials("Ljiljana Njegoš") == "LN"
    assert initials("  ana   marija  ilić") == "AM"
    assert initials("123 Ana") == "A"
    assert initials("!!!") == "?"


def test_a_threaded_page_draws_each_name_s_initials_in_latin(article):
    shown = shown_initials(Client().get(article.get_absolute_url()).content.decode())
    # A name written in Cyrillic reads in Latin on a Latin page, initials and all ("Драган Илић": "DI").
    assert shown == {name: latin for name, (latin, _) in NAMES.items() if name[0] < "\u0400"}


def test_under_cir_initials_are_cyrillic_even_when_they_read_as_a_roman_numeral(article):
    html = Client().get("/cir" + article.get_absolute_url()).content.decode()
    shown = shown_initials(html)

    for name, (_, cyrillic) in NAMES.items():
        if name.startswith("X"):
            continue  # X has no Cyrillic letter: the transliteration keeps it
        assert shown[to_cyrillic(name)] == cyrillic, name
    # The Roman numeral rule still holds for text: "DI" in prose stays Latin, the avatars do not.
    assert "data-i=DI" not in html and "data-i=MC" not in html and "data-i=CV" not in html
