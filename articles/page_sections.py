"""Sections other apps add under an article (the comments), registered here: ``articles`` cannot import them.

An app registers a section in its ``AppConfig.ready()`` with the template that shows it, the query parameters
it reads (the article page declares them to the page cache, which normalises them) and a builder. The article
view hands each builder the article, those parameters and the reader (user and waiting notices), never the
request: a section can depend on nothing the page's cache key leaves out, and its template only displays.
"""

from dataclasses import dataclass
from urllib.parse import urlencode


@dataclass(frozen=True)
class Section:
    name: str
    template: str
    params: tuple  # config.delivery.page_cache.Param
    build: object  # build(article, query, *, user, notices) -> the template's context


@dataclass(frozen=True)
class ShownSection:
    template: str
    context: dict


class NotCanonical(Exception):
    """The parameters ask for something the section does not show (a page of comments past the last, a reply
    to a comment that takes none here); ``query`` is what to ask instead, and the page redirects there, so no
    other address makes a copy of the same page. A section names its own parameters, ``build`` the others."""

    def __init__(self, query):
        super().__init__(query)
        self.query = query

    @property
    def query_string(self):
        return f"?{urlencode(sorted(self.query.items()))}" if self.query else ""


_sections = {}


def register(name, *, template, params, build):
    _sections[name] = Section(name, template, tuple(params), build)


def declared_params():
    """The query parameters of every registered section: the article page's ``cached_page(params=...)``."""
    return tuple(param for section in _sections.values() for param in section.params)


def build(article, query, *, user, notices):
    """Every registered section for this article, in the order registered.

    Raises ``NotCanonical`` with the whole query to ask instead when a section refuses its parameters.
    """
    shown = []
    for section in _sections.values():
        try:
            context = section.build(article, query, user=user, notices=notices)
        except NotCanonical as refused:
            own = {param.name for param in section.params}
            kept = {name: query[name] for name in query if name not in own}
            raise NotCanonical({**kept, **refused.query}) from None
        shown.append(ShownSection(section.template, context))
    return shown
