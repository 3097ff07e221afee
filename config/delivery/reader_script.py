"""The reader's script: every page in Latin at its address and in Cyrillic under ``/cir/``.

Editors and readers write in either script and the text is stored as written; what leaves the site is
transliterated into the reader's script as it goes out. Pages are transliterated whole (text and visible
attributes, see ``transliteration.html_to_cyrillic``), so the interface has one catalogue (Latin) and no
template knows about scripts. Feeds, JSON-LD and e-mails, which are not HTML, call ``in_reader_script``.
A page's fragments (``fragments``) are converted once when made and kept so: they stand in the page as
placeholders while it is converted and go in after.

The Cyrillic address is the Latin one with ``/cir`` in front. The middleware strips the prefix before URL
resolution and makes it the script prefix, so ``reverse()`` and every ``get_absolute_url()`` keep the reader
in the chosen script without any view or template knowing.
"""

import contextvars
import functools
import hashlib
from contextlib import contextmanager
from importlib import import_module

from django.conf import settings
from django.http import HttpResponseRedirect
from django.urls import get_script_prefix, set_script_prefix
from django.utils.cache import patch_vary_headers

from . import fragments
from .redirects import safe_redirect_target

LATIN, CYRILLIC = "lat", "cir"
# ``fonts``: the upright faces every page in the script draws, which base.html preloads. Both need the latin
# subset: it holds digits and punctuation.
SCRIPTS = {
    LATIN: {
        "lang": "sr-Latn",
        "fonts": (
            "fonts/noto-serif-latin-wght-normal.woff2",
            "fonts/noto-serif-serbian-latin-wght-normal.woff2",
            "fonts/noto-sans-latin-wght-normal.woff2",
            "fonts/noto-sans-serbian-latin-wght-normal.woff2",
        ),
    },
    CYRILLIC: {
        "lang": "sr-Cyrl",
        "fonts": (
            "fonts/noto-serif-latin-wght-normal.woff2",
            "fonts/noto-serif-cyrillic-wght-normal.woff2",
            "fonts/noto-sans-latin-wght-normal.woff2",
            "fonts/noto-sans-cyrillic-wght-normal.woff2",
        ),
    },
}
CYRILLIC_PREFIX = "/cir/"
COOKIE_NAME = "pismo"
COOKIE_AGE = 365 * 24 * 3600
# The newsroom works in Latin; these addresses have no Cyrillic twin.
LATIN_ONLY = (f"/{settings.ADMIN_URL}", "/pismo/")
TRANSLITERATED_TYPES = ("text/html",)

_current = contextvars.ContextVar("reader_script", default=LATIN)


@functools.cache
def _transliteration():
    """The site's transliteration (``READER_SCRIPT_TRANSLITERATION``): named in settings, so the layer
    imports no domain app. It gives ``to_cyrillic``, ``to_latin``, ``html_to_cyrillic``, ``html_to_latin``,
    ``exceptions`` (the editors' exceptions list, a tuple) and ``exceptions_read_once`` (a context manager:
    the list read once per page)."""
    return import_module(settings.READER_SCRIPT_TRANSLITERATION)


def current_script():
    return _current.get()


def in_reader_script(text):
    """Plain text (feed items, JSON-LD values, e-mails) in the script of the page being made."""
    if not text:
        return text
    if current_script() == CYRILLIC:
        return _transliteration().to_cyrillic(text)
    return _transliteration().to_latin(text)


@contextmanager
def reader_script(script):
    """Links and text made inside are in ``script``: for e-mails sent outside the reader's request."""
    prefix = get_script_prefix()
    base = prefix.removesuffix(CYRILLIC_PREFIX[1:]) if prefix.endswith(CYRILLIC_PREFIX) else prefix
    token = _current.set(script)
    set_script_prefix(base + CYRILLIC_PREFIX[1:] if script == CYRILLIC else base)
    try:
        yield
    finally:
        _current.reset(token)
        set_script_prefix(prefix)


def latin_path(path):
    """The Latin address of a page given in either script ("/cir/politika/" → "/politika/")."""
    return "/" + path[len(CYRILLIC_PREFIX) :] if path.startswith(CYRILLIC_PREFIX) else path


def cyrillic_path(path):
    return CYRILLIC_PREFIX + latin_path(path).lstrip("/")


def path_in(script, path):
    return cyrillic_path(path) if script == CYRILLIC else latin_path(path)


def has_cyrillic_twin(path):
    return not latin_path(path).startswith(LATIN_ONLY)


def conversion_version():
    """What, besides the script, a conversion depends on: the editors' exceptions list (a tuple of words read
    once per page), as a short digest for the keys of kept fragments (``fragments``)."""
    return _digest(_transliteration().exceptions())


@functools.lru_cache(maxsize=8)
def _digest(entries):
    return hashlib.blake2b(repr(entries).encode(), digest_size=8).hexdigest()


def html_in_reader_script(html):
    """A piece of a page (``fragments``) converted as the whole page is on its way out in this script."""
    transliteration = _transliteration()
    if current_script() == CYRILLIC:
        return transliteration.html_to_cyrillic(html)
    return transliteration.html_to_latin(html)


def _transliterate_response(response, script):
    content_type = response.get("Content-Type", "")
    if response.streaming or not content_type.startswith(TRANSLITERATED_TYPES):
        return
    charset = response.charset or "utf-8"
    html = response.content.decode(charset)
    transliteration = _transliteration()
    convert = transliteration.html_to_cyrillic if script == CYRILLIC else transliteration.html_to_latin
    converted = convert(html)
    if converted is html:  # a Latin page with no Cyrillic in it, the usual case
        return
    response.content = converted.encode(charset)
    if response.has_header("Content-Length"):
        response["Content-Length"] = str(len(response.content))


class ReaderScriptMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        script = CYRILLIC if path.startswith(CYRILLIC_PREFIX) or path == CYRILLIC_PREFIX[:-1] else LATIN
        query = request.META.get("QUERY_STRING", "")
        query = f"?{query}" if query else ""
        if script == CYRILLIC:
            latin = latin_path(path if path.endswith("/") else path + "/")
            if not has_cyrillic_twin(latin):
                return HttpResponseRedirect(safe_redirect_target(request, latin + query, fallback="/"))
        elif self._wants_cyrillic(request):
            target = safe_redirect_target(request, cyrillic_path(request.path) + query, CYRILLIC_PREFIX)
            response = HttpResponseRedirect(target)
            patch_vary_headers(response, ["Cookie"])
            return response

        token = _current.set(script)
        prefix = get_script_prefix()
        if script == CYRILLIC:
            request.path_info = latin_path(path if path != CYRILLIC_PREFIX[:-1] else CYRILLIC_PREFIX)
            set_script_prefix(prefix.rstrip("/") + CYRILLIC_PREFIX)
        try:
            with _transliteration().exceptions_read_once(), fragments.collecting() as collected:
                response = self.get_response(request)
                _transliterate_response(response, script)
                # The fragments, already in the script, go in after the rest of the page was converted.
                collected.fill(response)
        finally:
            _current.reset(token)
            set_script_prefix(prefix)
        response.headers.setdefault("Content-Language", SCRIPTS[script]["lang"])
        if script == LATIN and has_cyrillic_twin(path):
            # The same Latin address answers a redirect to readers who chose Cyrillic.
            patch_vary_headers(response, ["Cookie"])
        return response

    @staticmethod
    def _wants_cyrillic(request):
        return (
            request.method in ("GET", "HEAD")
            and request.COOKIES.get(COOKIE_NAME) == CYRILLIC
            and has_cyrillic_twin(request.path_info)
        )


def switch_script(request, script):
    """The header's "Ćirilica | Latinica": remember the choice and show the same page in that script."""
    home = path_in(script, "/")
    next_path = safe_redirect_target(request, request.GET.get("next", "/"), fallback="/")
    target = path_in(script, next_path) if has_cyrillic_twin(next_path) else next_path
    # Checked again once the prefix is on or off: "/cir//evil.com" without its prefix leaves the site.
    response = HttpResponseRedirect(safe_redirect_target(request, target, fallback=home))
    response.set_cookie(
        COOKIE_NAME,
        script,
        max_age=COOKIE_AGE,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
    )
    return response
