"""The reaction buttons' words come once from a stylesheet, in both scripts, instead of in every button."""

import re

import pytest
from django.test import Client
from django.utils import translation

from articles.tests.factories import ArticleFactory
from comments import moderation
from comments.reaction_words import css_string, stylesheet
from comments.tests.factories import ArticleCommentFactory

ADDRESS = "/komentari/reakcije.css"


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", ["", "/cir"], ids=["latin", "cyrillic-address"])
def test_the_stylesheet_names_both_reactions_in_both_scripts(prefix):
    response = Client().get(prefix + ADDRESS)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/css")
    assert "public" in response["Cache-Control"] and "max-age=" in response["Cache-Control"]
    css = response.content.decode()
    assert ':root .comment-list li>button[name^="l"]::before{content:"Sviđa mi se "}' in css
    assert ':root .comment-list li>button[name^="d"]::before{content:"Ne sviđa mi se "}' in css
    assert ':root:lang(sr-Cyrl) .comment-list li>button[name^="l"]::before{content:"Свиђа ми се "}' in css
    assert ':root:lang(sr-Cyrl) .comment-list li>button[name^="d"]::before{content:"Не свиђа ми се "}' in css


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_the_stylesheet_only_answers_get(method):
    assert getattr(Client(), method)(ADDRESS).status_code == 405


@pytest.mark.django_db
def test_the_words_follow_the_active_language():
    with translation.override("en"):
        assert 'content:"I like it "' in stylesheet()


@pytest.mark.parametrize(
    ("text", "css"),
    [
        ('Kaže "da"', '"Kaže \\"da\\""'),
        ("a\\b", '"a\\\\b"'),
        ("dva\nreda", '"dva\\a reda"'),
        ("</style><script>", '"\\3c /style>\\3c script>"'),
    ],
    ids=["quotes", "backslash", "line-break", "markup"],
)
def test_a_translation_cannot_break_out_of_its_css_string(text, css):
    assert css_string(text) == css


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", ["", "/cir"], ids=["latin", "cyrillic"])
def test_the_article_page_links_the_words_and_no_button_repeats_them(prefix):
    article = ArticleFactory()
    ArticleCommentFactory.create_batch(3, article=article)
    moderation.refresh_comment_count(article.pk)

    html = Client().get(prefix + article.get_absolute_url()).content.decode()

    assert re.search(r'<link rel="stylesheet" href="(/cir)?/komentari/reakcije\.css">', html)
    assert html.count("<button name=l") == 3
    for words in ("Sviđa mi se", "Свиђа ми се"):
        assert words not in html
