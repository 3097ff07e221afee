"""Pieces of reader pages kept in the shared cache, so a page made again remakes only what changed.

A fragment is part of a page's HTML that is the same for every reader: ``{% fragment "name" scopes vary %}``
(``templatetags/fragments.py``) or ``fragment(name, scopes=..., vary=..., render=...)``. It names the scopes
it shows (``page_cache``: ``SITE``, ``COMMENTS``, an article's own) and what else it varies by (an article's
pk, the ordering and page of its comments). Its key holds those, the reader's script, a version of the code
that makes it (``code_version``: every template and every Python module of the project, so a deploy never
serves a fragment made by the code before) and the current generations of its scopes, read as pages read
them; a copy also records the lag numbers it was made from and is used only while they are current. So
``invalidation.invalidate(...)`` drops fragments exactly when it drops pages, and nothing else does. Copies
live in the ``pages`` cache at most ``FRAGMENT_SECONDS`` (the bound of "pre 5 minuta" on a page).

Only what is the same for every reader may be inside a fragment: no CSRF token, no messages, no reader's
name, nothing read from the request but what the key holds. A view whose page must not share any (a preview
of an unpublished article) calls ``bypass()``: its fragments are made inline, never read or stored.

Per script at no extra cost: a Cyrillic page is the Latin page converted on its way out
(``reader_script``). A fragment is converted once, when it is made, and kept converted; in the page it is a
placeholder, an HTML comment the conversion leaves alone, which the script middleware replaces after
converting the rest (``collecting``). Without that middleware around the request (a test with
RequestFactory) there is no collector, and a fragment is simply rendered inline and not kept.

``settings.FRAGMENTS_COLD`` (``DJANGO_FRAGMENTS_COLD``) makes fragments every time without keeping them, as
on a miss just after a change: ``"article"`` those that show an article's own scope (after a comment
changed), ``"all"`` every one (after a site change). A cache that is down answers as a miss: fragments are
then made inline. A fragment that fails to render raises, as the page would.
"""

import contextvars
import functools
import hashlib
import logging
import re
import secrets
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.core.cache.backends.dummy import DummyCache
from django.utils.safestring import mark_safe

from . import page_cache, reader_script

logger = logging.getLogger(__name__)

KEY_PREFIX = "fragment:"
# As long as a page may be kept: relative times ("pre 5 minuta") and "today" are at most this old.
FRAGMENT_SECONDS = 60
COLD_ARTICLE, COLD_ALL = "article", "all"
COLD_VALUES = ("", COLD_ARTICLE, COLD_ALL)

_collector = contextvars.ContextVar("fragment_collector", default=None)
# A fragment's place in the page: compiled once (a pattern per response cost a millisecond).
PLACEHOLDER = re.compile("<!--([0-9]{18})-([0-9]+)-->")


class Collector:
    """The fragments of one response, each standing in the page as a placeholder until ``fill``."""

    def __init__(self):
        # Digits only, and unguessable: nothing a writer or reader types can name a fragment.
        self.token = str(secrets.randbelow(10**18)).zfill(18)
        self.parts = []
        self.bypassed = False

    def placeholder(self, html):
        self.parts.append(html)
        return f"<!--{self.token}-{len(self.parts) - 1}-->"

    def _part(self, match):
        token, number = match.groups()
        return self.parts[int(number)] if token == self.token else match[0]

    def fill(self, response):
        """The response with its fragments in place of their placeholders (already in the page's script)."""
        if not self.parts or response.streaming:
            return
        charset = response.charset or "utf-8"
        content = response.content.decode(charset)
        filled = PLACEHOLDER.sub(self._part, content)
        response.content = filled.encode(charset)
        if response.has_header("Content-Length"):
            response["Content-Length"] = str(len(response.content))


@contextmanager
def collecting():
    """Fragments made inside stand as placeholders in the page; ``fill`` the response before it leaves."""
    collector = Collector()
    token = _collector.set(collector)
    try:
        yield collector
    finally:
        _collector.reset(token)


def bypass():
    """The page being made is not for every reader (a preview): its fragments are made inline, and none is
    read or kept. Call it before anything asks for one (``kept``)."""
    collector = _collector.get()
    if collector is not None:
        collector.bypassed = True


def _active():
    """The collector of the page being made, unless there is none or it bypasses fragments."""
    collector = _collector.get()
    return None if collector is None or collector.bypassed else collector


def fragment(name, *, scopes, vary=(), render):
    """``render()``'s HTML as this page's fragment ``name``: from the cache when its scopes have not changed.

    ``vary`` is whatever else the HTML depends on (plain values with a stable ``repr``). No ``scopes`` (a
    page that does not name them) means rendered inline. Gives safe HTML: a placeholder inside a page the
    script middleware is making, else the HTML itself.
    """
    collector = _active()
    if collector is None or not scopes:
        return render()
    token = _collector.set(None)  # a fragment inside this one is part of it
    try:
        html = _kept_or_made(name, tuple(scopes), tuple(vary), render)
    finally:
        _collector.reset(token)
    return mark_safe(collector.placeholder(html))


def kept(name, *, scopes, vary=()):
    """Whether the fragment ``name`` of the page being made is kept, as the page's ``fragment`` would find it
    now: a view may then skip reading what only it shows. A hint: the fragment may still be made (evicted
    meanwhile, or the page bypasses fragments), so what it shows must stay readable, lazily."""
    if _active() is None or not scopes or not _keeps(tuple(scopes)):
        return False
    try:
        state = page_cache.scope_state(tuple(scopes))
        if state is None:
            return False
        found = page_cache.pages_cache().get(_key(name, tuple(scopes), tuple(vary), state[0]))
    except Exception:
        logger.exception("Fragment cache unavailable; %s taken as not kept", name)
        return False
    return found is not None and found[0] == state[1]


def _kept_or_made(name, scopes, vary, render):
    key = state = None
    if _keeps(scopes):
        try:
            state = page_cache.scope_state(scopes)
            if state is not None:
                key = _key(name, scopes, vary, state[0])
                kept = page_cache.pages_cache().get(key)
                if kept is not None and kept[0] == state[1]:
                    return kept[1]
        except Exception:
            logger.exception("Fragment cache unavailable; making %s inline", name)
            key = None
    html = reader_script.html_in_reader_script(str(render()))
    if key is not None:
        try:
            page_cache.pages_cache().set(key, (state[1], html), FRAGMENT_SECONDS)
        except Exception:
            logger.exception("Could not keep the fragment %s", name)
    return html


def _keeps(scopes):
    """Whether fragments of ``scopes`` are read and kept (not with DJANGO_CACHE=off or FRAGMENTS_COLD)."""
    if any(isinstance(kept, DummyCache) for kept in (caches[DEFAULT_CACHE_ALIAS], page_cache.pages_cache())):
        return False
    cold = settings.FRAGMENTS_COLD
    if cold == COLD_ALL:
        return False
    article_prefix = page_cache.article_scope("")
    return not (cold == COLD_ARTICLE and any(scope.startswith(article_prefix) for scope in scopes))


def _key(name, scopes, vary, generations):
    varies = hashlib.blake2b(repr((scopes, vary)).encode(), digest_size=16).hexdigest()
    # The exceptions list too: a change of it bumps SITE, which the comment threads' key does not hold.
    script = f"{reader_script.current_script()}-{reader_script.conversion_version()}"
    return f"{KEY_PREFIX}{name}:{script}:{code_version()}:{varies}:{generations}"


@functools.cache
def code_version():
    """A digest of every template and Python module of the project: what makes a fragment's HTML."""
    base = Path(settings.BASE_DIR)
    roots = [Path(directory) for template in settings.TEMPLATES for directory in template.get("DIRS", ())]
    packages = {base / app.split(".")[0] for app in settings.INSTALLED_APPS}
    roots += [package for package in sorted(packages) if package.is_dir()]
    digest = hashlib.blake2b(digest_size=8)
    files = set()
    for root in roots:
        files.update(path for path in root.rglob("*") if path.suffix in (".html", ".py", ".txt", ".mo"))
    for path in sorted(files):
        if ".venv" in path.parts or "tests" in path.parts:
            continue
        digest.update(str(path.relative_to(base) if path.is_relative_to(base) else path).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()
