"""Sitemaps for search engines: articles and section pages behind one index, and a Google News sitemap."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem, x_robots_tag
from django.db.models import Max, OuterRef, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from .addresses import absolute_url
from .feeds import xml_text
from .models import Article, Impresum, InfoPage, Section, SiteSettings

NEWS_WINDOW = timedelta(hours=48)
NEWS_LIMIT = 1000  # Google News reads no more URLs than this from one sitemap


def last_changed():
    """When an article's page last changed: published, updated by the newsroom or saved, whichever is last."""
    # Coalesce because on SQLite the greatest of anything and NULL is NULL (PostgreSQL skips NULLs).
    return Greatest("published_at", Coalesce("updated_at", "published_at"), "modified_at")


class SiteUrlSitemap(Sitemap):
    """Addresses on the public origin (SITE_URL), never on the Site row or the request's Host."""

    @property
    def protocol(self):
        return settings.SITE_URL.partition("://")[0]

    def get_domain(self, site=None):
        # All of SITE_URL after the scheme, so Django's "{protocol}://{domain}{path}" is absolute_url(path).
        return settings.SITE_URL.partition("://")[2]


class ArticleSitemap(SiteUrlSitemap):
    limit = 5000

    def items(self):
        # By primary key, so an article keeps its page of the sitemap as newer ones arrive.
        return (
            Article.objects.published()
            .select_related("section")
            .only("slug", "section__slug")
            .annotate(last_changed_at=last_changed())
            .order_by("pk")
        )

    def lastmod(self, article):
        return article.last_changed_at

    def get_latest_lastmod(self):
        return Article.objects.published().aggregate(latest=Max(last_changed()))["latest"]


@dataclass(frozen=True)
class Page:
    path: str
    lastmod: datetime | None


class SectionSitemap(SiteUrlSitemap):
    """The front page and every section page, each changed when a new article appears on it."""

    @cached_property
    def pages(self):
        # Remembered for this instance only: the sitemap views make one instance per request.
        newest = Article.objects.published().filter(section=OuterRef("pk")).order_by("-published_at")
        sections = Section.objects.annotate(newest_at=Subquery(newest.values("published_at")[:1]))
        pages = [Page(section.get_absolute_url(), section.newest_at) for section in sections]
        front_page_lastmod = max((page.lastmod for page in pages if page.lastmod), default=None)
        return [Page(reverse("articles:home"), front_page_lastmod), *pages]

    def items(self):
        return self.pages

    def location(self, page):
        return page.path

    def lastmod(self, page):
        return page.lastmod

    def get_latest_lastmod(self):
        return self.pages[0].lastmod


class SitePageSitemap(SiteUrlSitemap):
    """The impresum and the site's info pages (kontakt, uslovi korišćenja, privatnost, pristupačnost)."""

    @cached_property
    def pages(self):
        impresum = Impresum.get_solo()
        pages = [Page(reverse("articles:impresum"), impresum.modified_at)]
        return pages + [Page(page.get_absolute_url(), page.modified_at) for page in InfoPage.objects.all()]

    def items(self):
        return self.pages

    def location(self, page):
        return page.path

    def lastmod(self, page):
        return page.lastmod

    def get_latest_lastmod(self):
        return max((page.lastmod for page in self.pages if page.lastmod), default=None)


SITEMAPS = {"clanci": ArticleSitemap, "rubrike": SectionSitemap, "stranice": SitePageSitemap}


@x_robots_tag
def sitemap_index(request, sitemaps=SITEMAPS, sitemap_url_name="articles:sitemap_section"):
    """Django's sitemap index on SITE_URL; its own view takes the domain from the Site row."""
    entries = []
    for label, sitemap_class in sitemaps.items():
        sitemap = sitemap_class()
        location = absolute_url(reverse(sitemap_url_name, kwargs={"section": label}))
        lastmod = sitemap.get_latest_lastmod()
        entries.append(SitemapIndexItem(location, lastmod))
        entries.extend(
            SitemapIndexItem(f"{location}?p={page}", lastmod)
            for page in range(2, sitemap.paginator.num_pages + 1)
        )
    context = {"sitemaps": entries}
    return TemplateResponse(request, "sitemap_index.xml", context, content_type="application/xml")


@x_robots_tag
def news_sitemap(request):
    """Google News sitemap: what was published in the last 48 hours, newest first."""
    articles = (
        Article.objects.published()
        .filter(published_at__gte=timezone.now() - NEWS_WINDOW)
        .select_related("section")
        .only("title", "slug", "published_at", "section__slug")
        .order_by("-published_at", "-pk")[:NEWS_LIMIT]
    )
    context = {
        "publication_name": xml_text(SiteSettings.get_solo().site_name),
        "entries": [
            (absolute_url(article.get_absolute_url()), article, xml_text(article.title))
            for article in articles
        ],
    }
    return render(request, "sitemaps/news.xml", context, content_type="application/xml")
