"""Addresses: absolute ones for what leaves the site (feeds, sitemaps, canonical links, metadata,
e-mails), and the paths of articles and sections without a ``reverse()`` each (a front page has some
180 of them)."""

import re

from django.conf import settings
from django.urls import get_resolver, get_script_prefix, get_urlconf, reverse


def absolute_url(path):
    """``path`` on the site's public origin (``DJANGO_SITE_URL``), never on whatever Host a request named."""
    return settings.SITE_URL + path


# What the URL patterns' converters accept (Django's "slug", our "id"); anything else goes through reverse().
_SLUG = re.compile(r"[-a-zA-Z0-9_]+\Z")
_ID = re.compile(r"[0-9]{1,18}\Z")
# Stand-ins both converters accept and no pattern's fixed text contains.
_MARKER = "7305916428"


class ReversedPath:
    """``reverse(name, kwargs=...)`` for URL patterns made of slugs and ids, reversed once per script prefix
    and URLconf, then filled in: the same path, under /cir/ too (the reader's script is the script prefix)."""

    def __init__(self, name, *slugs, ids=()):
        self.name = name
        self.checks = {**dict.fromkeys(slugs, _SLUG), **dict.fromkeys(ids, _ID)}
        self.parts = {}  # (resolver, script prefix) -> [text, kwarg, text, kwarg, ..., text]

    def _parts(self):
        markers = {name: f"{_MARKER}{index}" for index, name in enumerate(self.checks)}
        path = reverse(self.name, kwargs=markers)
        parts = re.split("(" + "|".join(markers.values()) + ")", path)
        by_marker = {marker: name for name, marker in markers.items()}
        return [by_marker.get(part, part) if index % 2 else part for index, part in enumerate(parts)]

    def __call__(self, **kwargs):
        values = {name: str(value) for name, value in kwargs.items()}
        if values.keys() != self.checks.keys() or not all(
            check.match(values[name]) for name, check in self.checks.items()
        ):
            return reverse(self.name, kwargs=kwargs)
        # The resolver changes with the URLconf (tests override it; Django drops its cache then).
        key = (get_resolver(get_urlconf()), get_script_prefix())
        parts = self.parts.get(key)
        if parts is None:
            if len(self.parts) > 16:
                self.parts.clear()
            parts = self.parts[key] = self._parts()
        return "".join(values[part] if index % 2 else part for index, part in enumerate(parts))
