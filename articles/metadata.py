"""What search engines and link previews read: Open Graph, Twitter cards and JSON-LD."""

import json
from dataclasses import dataclass, field

from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import pgettext

from config.delivery.reader_script import SCRIPTS, current_script, in_reader_script

from .addresses import absolute_url
from .galleries import social_photo
from .renditions import social_rendition

DEFAULT_IMAGE = ("img/share.png", 1200, 630)
LOGO = ("img/logo.png", 249, 60)

# The characters that could end a <script> element or start a comment inside it, as JSON escapes.
JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@dataclass(frozen=True)
class SocialImage:
    url: str
    width: int
    height: int
    alt: str


@dataclass(frozen=True)
class SocialMeta:
    title: str
    description: str
    type: str = "website"
    image: SocialImage | None = None
    published_time: object = None
    modified_time: object = None
    section: str = ""
    tags: list = field(default_factory=list)


def local_iso(moment):
    """ISO 8601 in the site's time zone, as the page shows the time ("2026-11-27T23:03:00+01:00")."""
    return timezone.localtime(moment).isoformat() if moment else None


def absolute_static(path):
    url = static(path)
    return url if url.startswith(("http://", "https://")) else absolute_url(url)


def default_image(site_name):
    path, width, height = DEFAULT_IMAGE
    return SocialImage(absolute_static(path), width, height, site_name)


def photo_image(photo):
    rendition = social_rendition(photo)
    url = rendition.url if rendition.url.startswith(("http://", "https://")) else absolute_url(rendition.url)
    return SocialImage(url, rendition.width, rendition.height, photo.alt_text)


def article_meta(article):
    photo = social_photo(article)
    return SocialMeta(
        title=article.title,
        description=article.meta_description,
        type="article",
        image=photo_image(photo) if photo else None,
        published_time=article.published_at,
        modified_time=article.shown_updated_at or article.published_at,
        section=article.section.name,
        tags=[tag.name for tag in article.tags.all()],
    )


def listing_meta(title, description):
    return SocialMeta(title=title, description=description)


def article_structured_data(article, site_name):
    """JSON-LD ``NewsArticle`` and its ``BreadcrumbList``, as plain data in the reader's script.

    Script elements are not transliterated with the page (their JSON holds names and addresses that must
    stay as they are), so the texts are transliterated here.
    """
    text = in_reader_script
    url = absolute_url(article.get_absolute_url())
    logo_path, logo_width, logo_height = LOGO
    news_article = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "headline": text(article.title[:110]),
        "description": text(article.meta_description),
        "datePublished": local_iso(article.published_at),
        "dateModified": local_iso(article.shown_updated_at or article.published_at or article.modified_at),
        "articleSection": text(article.section.name),
        "keywords": [text(tag.name) for tag in article.tags.all()],
        "inLanguage": SCRIPTS[current_script()]["lang"],
        "author": [
            {"@type": "Person", "name": text(author.name), "url": absolute_url(author.get_absolute_url())}
            for author in article.authors.all()
        ]
        or [{"@type": "Organization", "name": text(site_name)}],
        "publisher": {
            "@type": "NewsMediaOrganization",
            "name": text(site_name),
            "url": absolute_url(reverse("articles:home")),
            "logo": {
                "@type": "ImageObject",
                "url": absolute_static(logo_path),
                "width": logo_width,
                "height": logo_height,
            },
        },
    }
    news_article.update(notes_structured_data(article.notes.all()))
    if photo := social_photo(article):
        image = photo_image(photo)
        news_article["image"] = [
            {"@type": "ImageObject", "url": image.url, "width": image.width, "height": image.height}
        ]
    breadcrumbs = {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": text(name), "item": item}
            for position, (name, item) in enumerate(
                [
                    (pgettext("breadcrumb", "Front page"), absolute_url(reverse("articles:home"))),
                    (article.section.name, absolute_url(article.section.get_absolute_url())),
                    (article.title, url),
                ],
                start=1,
            )
        ],
    }
    return [news_article, breadcrumbs]


def notes_structured_data(notes):
    """The article's corrections (``correction``: CorrectionComment) and replies under the right of reply
    (``comment``: Comment by whoever replied), each with its text and date; nothing when there are none."""
    text = in_reader_script
    corrections = [
        {"@type": "CorrectionComment", "text": text(note.text), "datePublished": local_iso(note.published_at)}
        for note in notes
        if note.kind == note.Kind.CORRECTION
    ]
    replies = [
        {
            "@type": "Comment",
            "author": {"@type": "Person", "name": text(note.replied_by)},
            "text": text(note.text),
            "datePublished": local_iso(note.published_at),
        }
        for note in notes
        if note.kind == note.Kind.REPLY
    ]
    return {name: items for name, items in [("correction", corrections), ("comment", replies)] if items}


def json_ld_script(data):
    """``<script type="application/ld+json">`` whose content no editor or reader text can close."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(JSON_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


def live_blog_posting(news_article, article, entries, limit=20):
    """A live blog's JSON-LD: the ``NewsArticle`` of ``article_structured_data`` as a ``LiveBlogPosting``,
    with when coverage started (and ended, or will) and its newest ``entries`` (at most ``limit``)."""
    text = in_reader_script
    url = news_article["url"]
    posting = {**news_article, "@type": "LiveBlogPosting"}
    posting["coverageStartTime"] = local_iso(article.published_at)
    if article.live_until:
        posting["coverageEndTime"] = local_iso(article.live_until)
    posting["liveBlogUpdate"] = [
        {
            "@type": "BlogPosting",
            "@id": f"{url}#unos-{entry.pk}",
            "url": f"{url}#unos-{entry.pk}",
            "headline": text(Truncator(" ".join(entry.text.split())).chars(110)),
            "articleBody": text(entry.text),
            "datePublished": local_iso(entry.posted_at),
        }
        for entry in list(entries)[:limit]
    ]
    return posting
