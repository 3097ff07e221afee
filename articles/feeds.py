"""RSS 2.0 and Atom feeds of the latest articles, site-wide and per section (to be written)."""

from django.contrib.syndication.views import Feed


class LatestRssFeed(Feed):
    pass


class LatestAtomFeed(LatestRssFeed):
    pass


class SectionRssFeed(LatestRssFeed):
    pass


class SectionAtomFeed(SectionRssFeed):
    pass
