"""Addresses: absolute ones for what leaves the site (feeds, sitemaps, canonical links, metadata,
e-mails), and the paths of articles and sections without a ``reverse()`` each (a front page has some
180 of them)."""

import re

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse


def absolute_url(path):
    """``path`` on the site's public origin (``DJANGO_SITE_URL``), never on whatever Host a request named."""
    return settings.SITE_URL + path


# What the URL patterns' converters accept (Django's "slug", our "id"); anything else goes through reverse().
_SLUG = re.compile(r"[-a-zA-Z0-9_]+\Z")
_ID = re.compile(r"[0-9]{1,18}\Z")
# Stand-ins both converters accept and no pattern's fixed text contains.
_MARKER = "7305916428"  # one digit more for each argument


class ReversedPath:
    """``reverse(name, kwargs=...)`` for URL patterns made of slugs and ids, reversed once per script prefix
    and URLconf, then filled in: the same path, under /cir/ too (the reader's script is the script prefix)."""

    def __init__(self, name, *slugs, ids=()):
        self.name = name
        self.checks = {**dict.fromkeys(slugs, _SLUG.match), **dict.fromkeys(ids, _ID.match)}
        self.templates = {}  # (URLconf, script prefix) -> "/cir/{section}/{pk}-{slug}/"
        _reversed_paths.append(self)

    def _template(self):
        markers = {name: f"{_MARKER}{index}" for index, name in enumerate(self.checks)}
        path = reverse(self.name, kwargs=markers).replace("{", "{{").replace("}", "}}")
        for name, marker in markers.items():
            path = path.replace(marker, "{" + name + "}")
        return path

    def __call__(self, **kwargs):
        values = {name: str(value) for name, value in kwargs.items()}
        checks = self.checks
        if values.keys() != checks.keys() or not all(checks[name](value) for name, value in values.items()):
            return reverse(self.name, kwargs=kwargs)
        key = (get_urlconf(), get_script_prefix())
        template = self.templates.get(key)
        if template is None:
            if len(self.templates) > 16:
                self.templates.clear()
            template = self.templates[key] = self._template()
        return template.format_map(values)


_reversed_paths = []


@receiver(setting_changed)
def _forget_reversed_paths(setting, **kwargs):
    """Tests change the URLconf (Django then forgets its own reversing caches too)."""
    if setting == "ROOT_URLCONF":
        for reversed_path in _reversed_paths:
            reversed_path.templates.clear()
