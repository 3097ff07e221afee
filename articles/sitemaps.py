"""Sitemaps for search engines (to be written)."""

from django.http import HttpResponse

SITEMAPS = {}


def news_sitemap(request):
    return HttpResponse(status=501)
