"""Sections other apps register under an article: what they are handed, and what a refusal does."""

import pytest
from django.http import QueryDict

from articles import page_sections
from config.delivery.page_cache import Param


@pytest.fixture
def registry(monkeypatch):
    monkeypatch.setattr(page_sections, "_sections", {})


def _shows(name):
    return lambda article, query, *, user, notices: {name: query.get(name), "notices": list(notices)}


def _refuses(canonical):
    def build(article, query, *, user, notices):
        raise page_sections.NotCanonical(canonical)

    return build


def test_each_section_is_built_in_order_from_the_query_and_the_reader(registry):
    page_sections.register("a", template="a.html", params=(Param("a"),), build=_shows("a"))
    page_sections.register("b", template="b.html", params=(Param("b"),), build=_shows("b"))
    assert [param.name for param in page_sections.declared_params()] == ["a", "b"]
    shown = page_sections.build(None, QueryDict("a=1&b=2"), user=None, notices=("Hvala!",))
    assert [(section.template, section.context) for section in shown] == [
        ("a.html", {"a": "1", "notices": ["Hvala!"]}),
        ("b.html", {"b": "2", "notices": ["Hvala!"]}),
    ]


REFUSALS = {
    "drops-its-own-parameter": ({}, "?a=1"),
    "changes-its-own-parameter": ({"b": "1"}, "?a=1&b=1"),
}


@pytest.mark.parametrize(("canonical", "expected"), REFUSALS.values(), ids=REFUSALS.keys())
def test_a_refusing_section_keeps_the_other_sections_parameters(registry, canonical, expected):
    page_sections.register("a", template="a.html", params=(Param("a"),), build=_shows("a"))
    page_sections.register("b", template="b.html", params=(Param("b"),), build=_refuses(canonical))
    with pytest.raises(page_sections.NotCanonical) as refused:
        page_sections.build(None, QueryDict("a=1&b=99"), user=None, notices=())
    assert refused.value.query_string == expected
