"""Absolute addresses for what leaves the site (feeds, sitemaps, canonical links, metadata, e-mails)."""

from django.conf import settings


def absolute_url(path):
    """``path`` on the site's public origin (``DJANGO_SITE_URL``), never on whatever Host a request named."""
    return settings.SITE_URL + path
