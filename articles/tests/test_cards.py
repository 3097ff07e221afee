"""Article cards written in Python (articles/cards.py, the ``article_card`` tag) are byte for byte what the
reference template templates/includes/article_card.html writes, for every way the pages use a card, in both
scripts, with hostile text, every Serbian plural form, with and without a (restricted) photo, and with a
search snippet's ``<mark>``."""

from datetime import UTC, datetime, timedelta

import pytest
from django.template import engines
from django.urls import get_script_prefix, set_script_prefix
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from articles.models import Image
from articles.search import attach_snippets
from articles.tests.factories import ArticleFactory, ImageFactory, SectionFactory
from articles.transliteration import html_to_cyrillic

pytestmark = pytest.mark.django_db

ENGINE = engines["django"]
HOSTILE = ["Rat & mir \"citati\" i 'navodi'", "<script>alert('x')</script>", "Š&lt;b&gt; <b>čist</b> tekst"]

# The include as each caller writes it, and the same card through the tag.
USES = {
    "front-lead": (
        'with article=article modifier="lead" heading_level=2 show_lead=True eager=True'
        ' image_sizes="(min-width: 64rem) 40rem, 100vw"',
        'modifier="lead" heading_level=2 show_lead=True eager=True'
        ' image_sizes="(min-width: 64rem) 40rem, 100vw"',
    ),
    "front-compact": ('with modifier="compact"', 'modifier="compact"'),
    "section-block": ("", ""),
    "listing": ("with show_lead=True heading_level=2", "show_lead=True heading_level=2"),
    "search": (
        "with show_lead=False snippet=article.search_snippet heading_level=2",
        "show_lead=False snippet=article.search_snippet heading_level=2",
    ),
    "related": ("with article=article", ""),
}


def both(article, use):
    include, tag = USES[use]
    reference = ENGINE.from_string('{% include "includes/article_card.html" ' + include + " %}")
    written = ENGINE.from_string("{% load articles_tags %}{% article_card article " + tag + " %}")
    context = {"article": article}
    return reference.render(context), written.render(context)


@pytest.fixture(params=["latin", "cyrillic"])
def script(request):
    """The reader's script is the script prefix (config/delivery/reader_script.py); Cyrillic letters come
    from transliterating the finished page."""
    before = get_script_prefix()
    set_script_prefix("/cir/" if request.param == "cyrillic" else "/")
    with translation.override("sr-latn"):
        yield request.param
    set_script_prefix(before)


def assert_same(article, use, script):
    reference, written = both(article, use)
    assert written == reference
    if script == "cyrillic":
        assert html_to_cyrillic(written) == html_to_cyrillic(reference)
        assert 'href="/cir/' in written
    return written


@pytest.mark.parametrize("use", USES)
@pytest.mark.parametrize("photo", ["none", "photo", "restricted"])
def test_every_use_is_written_as_the_template_writes_it(use, photo, script):
    image = None
    if photo != "none":
        image = ImageFactory(alt_text=HOSTILE[0])
        if photo == "restricted":
            image.restriction = Image.Restriction.THIS_ARTICLE
            image.save()
    article = ArticleFactory(hero_image=image)
    article.comment_count = 2
    article.search_snippet = mark_safe("… grad <mark>staze</mark> i &amp; …")
    written = assert_same(article, use, script)
    assert ("<picture" in written) == (image is not None)


@pytest.mark.parametrize("text", HOSTILE, ids=["quotes-ampersand", "script", "markup"])
@pytest.mark.parametrize("use", ["front-lead", "search"])
def test_hostile_titles_kickers_sections_leads_and_snippets_are_escaped_alike(text, use, script):
    article = ArticleFactory(
        title=text,
        kicker=text,
        lead=text,
        section=SectionFactory(name=text),
        hero_image=ImageFactory(alt_text=text),
    )
    article.comment_count = 1
    article.search_snippet = text  # not marked safe: escaped
    written = assert_same(article, use, script)
    assert "<script>" not in written and "<b>" not in written


@pytest.mark.parametrize("count", [None, 0, 1, 2, 4, 5, 11, 21, 22, 25, 101, 1234])
def test_comment_counts_in_every_plural_form(count, script):
    article = ArticleFactory()
    if count is not None:
        article.comment_count = count
    written = assert_same(article, "section-block", script)
    assert ("#komentari" in written) == bool(count)


@pytest.mark.parametrize(
    "age",
    [
        timedelta(seconds=20),
        timedelta(minutes=5, seconds=30),
        timedelta(hours=3, minutes=30),
        timedelta(days=3),
    ],
    ids=["just-now", "minutes", "hours", "days"],
)
def test_times_relative_and_dated(age, script):
    assert_same(ArticleFactory(published_at=timezone.now() - age), "listing", script)


def test_no_kicker_no_lead_and_a_summer_time_date(script):
    article = ArticleFactory(kicker="", lead="", published_at=datetime(2026, 3, 29, 1, 30, tzinfo=UTC))
    assert_same(article, "listing", script)


def test_a_real_search_snippet_keeps_its_marks(script):
    article = ArticleFactory(lead='Biciklističke staze & "trotoari" <uz reku>.')
    attach_snippets([article], "staze")
    written = assert_same(article, "search", script)
    assert "<mark>" in written
