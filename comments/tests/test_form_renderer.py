"""The comment form rendered once per distinct widget is the form Django renders, signed each second."""

import pytest
from django.forms.renderers import DjangoTemplates
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from articles.tests.factories import ArticleFactory
from comments import form_renderer
from comments.forms import ArticleCommentForm, signed_article_id

pytestmark = pytest.mark.django_db

FORMS = {
    "anonymous": {"initial": {"reply_to": 0}},
    "reply": {"initial": {"reply_to": 7}},
    "signed-in": {"initial": {"reply_to": 0, "name": "Jelena Đurić", "email": "jelena@example.org"}},
    "signed-in-other": {"initial": {"reply_to": 0, "name": "Marko <Marković>", "email": "m@example.org"}},
    "short-comments": {"initial": {"reply_to": 0}, "max_length": 300},
    "refused-empty": {"data": {"name": "", "email": "x", "comment": ""}},
    "refused-too-long": {"data": {"name": "Ana", "email": "ana@example.org", "comment": "Reč " * 500}},
    "refused-followup": {
        "data": {"name": "Ana", "email": "ana@example.org", "comment": "\"<b>'", "followup": "on"}
    },
}


@pytest.fixture
def clock(monkeypatch):
    """The clock the package signs forms with, moved by hand."""
    now = [1_800_000_000]
    monkeypatch.setattr("django_comments.forms.time.time", lambda: now[0])
    return now


@pytest.fixture(autouse=True)
def nothing_kept():
    ArticleCommentForm.default_renderer.kept.clear()


def _html(article, renderer=None, **kwargs):
    form = ArticleCommentForm(article, renderer=renderer, **kwargs)
    if form.is_bound:
        form.is_valid()
    return render_to_string("comments/form.html", {"form": form, "article": article})


@pytest.mark.parametrize("kwargs", FORMS.values(), ids=FORMS.keys())
def test_the_form_is_the_html_django_renders(kwargs, clock):
    article = ArticleFactory()
    django_html = _html(article, DjangoTemplates(), **kwargs)
    assert _html(article, **kwargs) == django_html
    assert _html(article, **kwargs) == django_html  # now from what was kept


def test_forms_of_different_readers_articles_and_languages_are_not_mixed(clock):
    first, second = ArticleFactory(), ArticleFactory()
    for kwargs in FORMS.values():
        _html(first, **kwargs)
    for article in (first, second):
        for kwargs in FORMS.values():
            assert _html(article, **kwargs) == _html(article, DjangoTemplates(), **kwargs)
    with translation.override("en"):
        english = _html(first, **FORMS["anonymous"])
        assert "Comment" in english and english == _html(first, DjangoTemplates(), **FORMS["anonymous"])
    assert "Komentar" in _html(first, **FORMS["anonymous"])


def test_each_second_signs_its_own_form_and_each_signature_is_accepted(clock):
    article = ArticleFactory()
    signed = []
    for _ in range(3):
        form = ArticleCommentForm(article, initial={"reply_to": 0})
        html = _html(article, initial={"reply_to": 0})
        fields = form.initial  # the same second: the same signature as the page's
        assert f'value="{fields["timestamp"]}"' in html and f'value="{fields["security_hash"]}"' in html
        signed.append((fields["timestamp"], fields["security_hash"]))
        assert signed_article_id({**fields, "timestamp": str(fields["timestamp"])}) == article.pk
        clock[0] += 1
    assert len(set(signed)) == 3


@pytest.mark.parametrize("kwargs", [kwargs for kwargs in FORMS.values() if "data" in kwargs])
def test_nothing_a_reader_sent_is_kept(kwargs, clock):
    html = _html(ArticleFactory(), **kwargs)
    assert kwargs["data"]["email"] in html
    assert ArticleCommentForm.default_renderer.kept == {}


def test_what_is_kept_is_bounded(clock):
    article = ArticleFactory()
    for _ in range(form_renderer.MAX_KEPT):
        _html(article, initial={"reply_to": 0})
        clock[0] += 1
    assert len(ArticleCommentForm.default_renderer.kept) <= form_renderer.MAX_KEPT
    assert _html(article, initial={"reply_to": 0}) == _html(
        article, DjangoTemplates(), initial={"reply_to": 0}
    )


LOOKALIKE_VALUES = {
    "one-and-true": (1, True),
    "one-and-one-point-zero": (1, 1.0),
    "text-and-safe-text": ("<b>", mark_safe("<b>")),
    "list-and-tuple": (["a"], ("a",)),
}


@pytest.mark.parametrize("values", LOOKALIKE_VALUES.values(), ids=LOOKALIKE_VALUES.keys())
def test_values_that_compare_equal_but_render_differently_are_kept_apart(values):
    renderer, django = form_renderer.RenderedOnce(), DjangoTemplates()
    for value in values:
        context = {"widget": {"name": "x", "type": "text", "value": value, "attrs": {"title": value}}}
        html = renderer.render("django/forms/widgets/input.html", context)
        assert html == django.render("django/forms/widgets/input.html", context)


def test_a_translated_text_is_kept_per_language():
    renderer = form_renderer.RenderedOnce()
    context = {
        "widget": {"name": "x", "type": "text", "value": "", "attrs": {"title": gettext_lazy("Comment")}}
    }
    with translation.override("en"):
        assert 'title="Comment"' in renderer.render("django/forms/widgets/input.html", context)
    assert 'title="Komentar"' in renderer.render("django/forms/widgets/input.html", context)
