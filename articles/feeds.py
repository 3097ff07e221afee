"""RSS 2.0 and Atom feeds of the newest articles, site-wide and per section."""

import logging
import mimetypes
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.html import escape
from django.utils.translation import gettext as _

from config.delivery.reader_script import SCRIPTS, current_script, in_reader_script

from . import embeds
from .addresses import absolute_url
from .galleries import attach_social_photos, social_photo
from .models import Article, Section, SiteSettings
from .richtext import embedded

logger = logging.getLogger(__name__)

ITEM_COUNT = 30

# What XML 1.0 cannot carry: C0 controls but tab and line ends, lone surrogates, U+FFFE and U+FFFF.
# Text pasted from a word processor brings some (a vertical tab for a line break); Django's feed writer
# fails on them.
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text):
    """``text`` without the characters XML 1.0 cannot carry."""
    return _NOT_IN_XML.sub("", text) if text else text


def feed_text(text):
    """Text for a feed: in the reader's script and fit for XML."""
    return xml_text(in_reader_script(text))


def live_title(article):
    """A running live blog's title says so; its end bumps every page, feeds included (articles/live.py)."""
    return f"UŽIVO: {article.title}" if article.is_live_now else article.title


@dataclass(frozen=True)
class Channel:
    """What one request's feed is about: the whole site, or one of its sections."""

    site: SiteSettings
    section: Section | None = None


def newest(articles):
    """The feed's items, with byline, tags, section and photo fetched in a fixed number of queries."""
    # The body too: its embeds are given as links.
    return attach_social_photos(list(articles.for_page().for_listing().defer(None)[:ITEM_COUNT]))


def public_url(url):
    # MEDIA_URL may name another host (a CDN); its addresses are absolute already.
    return url if urlsplit(url).netloc else absolute_url(url)


def embed_links(article):
    """The videos and posts in the body as plain links to the provider's site: no frame, no script."""
    return "".join(
        embeds.plain_link(key, embed_id, xml_text(in_reader_script(title)))
        for key, embed_id, title in embedded(article.body)
    )


class LatestRssFeed(Feed):
    """The newest published articles of the whole site."""

    feed_type = Rss201rev2Feed

    @property
    def language(self):
        return SCRIPTS[current_script()]["lang"]

    url_name = "articles:feed_rss"

    def get_object(self, request):
        return Channel(SiteSettings.get_solo())

    def title(self, channel):
        return feed_text(_("%(site)s: latest news") % {"site": channel.site.site_name})

    def description(self, channel):
        return feed_text(channel.site.tagline) or self.title(channel)

    def subtitle(self, channel):
        return self.description(channel)

    def author_name(self, channel):
        # Atom wants an author for every entry; articles without a byline fall back to the newspaper.
        return feed_text(channel.site.site_name)

    def link(self, channel):
        return absolute_url(reverse("articles:home"))

    def feed_url(self, channel):
        return absolute_url(reverse(self.url_name))

    def items(self, channel):
        return newest(Article.objects.published())

    def item_title(self, article):
        # RSS readers take titles as HTML (Django's default escapes them too, see its ticket #6533).
        return escape(feed_text(live_title(article)))

    def item_description(self, article):
        return escape(feed_text(article.lead)) + embed_links(article)

    def item_link(self, article):
        return absolute_url(article.get_absolute_url())

    def item_pubdate(self, article):
        return article.published_at

    def item_updateddate(self, article):
        return article.shown_updated_at or article.published_at

    def item_author_name(self, article):
        return feed_text(", ".join(author.name for author in article.authors.all())) or None

    def item_categories(self, article):
        return [feed_text(name) for name in [article.section.name, *(tag.name for tag in article.tags.all())]]

    def item_enclosures(self, article):
        photo = social_photo(article)  # never a photo whose licence forbids it
        if photo is None or not photo.file:
            return []
        mime_type, _ = mimetypes.guess_type(photo.file.name)
        if mime_type is None:
            return []
        try:
            length = photo.file.size
        except OSError:
            logger.warning("Photo %s of article %s is missing; feed item without it", photo.pk, article.pk)
            return []
        return [Enclosure(public_url(photo.file.url), str(length), mime_type)]


class AtomFormat:
    feed_type = Atom1Feed

    def item_title(self, article):
        # An Atom title without a type is plain text; escaping it would show "&amp;" to readers.
        return feed_text(live_title(article))


class LatestAtomFeed(AtomFormat, LatestRssFeed):
    url_name = "articles:feed_atom"


class SectionRssFeed(LatestRssFeed):
    """The newest published articles of one section."""

    url_name = "articles:section_feed_rss"

    def get_object(self, request, section):
        return Channel(SiteSettings.get_solo(), get_object_or_404(Section, slug=section))

    def title(self, channel):
        return feed_text(f"{channel.site.site_name}: {channel.section.name}")

    def description(self, channel):
        return feed_text(
            _("The latest news from the %(section)s section") % {"section": channel.section.name}
        )

    def link(self, channel):
        return absolute_url(channel.section.get_absolute_url())

    def feed_url(self, channel):
        return absolute_url(reverse(self.url_name, kwargs={"section": channel.section.slug}))

    def items(self, channel):
        return newest(Article.objects.published().filter(section=channel.section))


class SectionAtomFeed(AtomFormat, SectionRssFeed):
    url_name = "articles:section_feed_atom"
