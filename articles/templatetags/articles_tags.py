from django import template
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from articles import news_times
from articles.addresses import absolute_url
from articles.cards import CARD_CROPS, CARD_IMAGE_SIZES, CARD_LARGEST_WIDTH, WIDE_CARDS
from articles.cards import article_card as write_article_card
from articles.embeds import render_placeholder
from articles.live import JSON_LD_ENTRIES
from articles.metadata import (
    article_structured_data,
    default_image,
    json_ld_script,
    listing_meta,
    live_blog_posting,
)
from articles.models import BreakingNews
from articles.renditions import CARD_CROP, responsive_image
from articles.richtext import replace_embeds, replace_inline_galleries, replace_inline_images
from articles.sharing import share_links as build_share_links
from config.delivery import reader_script
from config.delivery.reader_script import cyrillic_path, latin_path

register = template.Library()

ARTICLE_IMAGE_SIZES = "(min-width: 48rem) 46rem, 100vw"


@register.inclusion_tag("includes/picture.html")
def picture(image, sizes=ARTICLE_IMAGE_SIZES, eager=False, css_class="", crop=None):
    """A library photo as ``<picture>`` with WebP and original-format renditions and its intrinsic size."""
    return {
        "image": image,
        "rendition": responsive_image(image, crop),
        "sizes": sizes,
        "eager": eager,
        "css_class": css_class,
    }


@register.inclusion_tag("includes/card_picture.html")
def card_picture(image, modifier="", sizes=CARD_IMAGE_SIZES, eager=False):
    """A card's photo cut around its focal point: 4:3 on compact cards, 16:10 on the others.

    WebP renditions with the photo's own format as the ``<img src>`` fallback only (every supported browser
    reads WebP); no rendition wider than 1200 px except on the front page's lead card (a card is at most
    22rem wide: 1200 px covers a 390 px phone at 3x).
    """
    crop = CARD_CROPS.get(modifier, CARD_CROP)
    largest = None if modifier in WIDE_CARDS else CARD_LARGEST_WIDTH
    return {
        "image": image,
        "rendition": responsive_image(image, crop, largest),
        "sizes": sizes or CARD_IMAGE_SIZES,
        "eager": eager,
    }


@register.simple_tag
def article_card(article, **values):
    """An article's card (articles/cards.py: the bytes templates/includes/article_card.html writes);
    ``values`` as the include's: modifier, heading_level, show_lead, eager, image_sizes, snippet."""
    return write_article_card(article, **values)


@register.simple_tag
def article_body(article, inline_images, galleries=None):
    """The sanitized body with each inline photo placeholder replaced by the photo, caption and credit,
    and each gallery placeholder by the gallery (``galleries``: articles/galleries.py, read if needed)."""

    def render_image(image_id):
        image = inline_images.get(image_id)
        if image is None:
            return ""
        return render_to_string("includes/figure.html", {"image": image, "caption": image.caption})

    body = replace_inline_images(article.body, render_image)
    if galleries is not None:
        body = replace_inline_galleries(body, lambda gallery_id: gallery(galleries, gallery_id))
    if "data-embed=" in body:  # videos and posts: a placeholder until the reader asks (articles/embeds.py)
        script = format_html('<script src="{}" defer></script>', static("js/embeds.js"))
        body = replace_embeds(body, render_placeholder) + script
    return mark_safe(body)


@register.simple_tag
def gallery(galleries, gallery_id, lead=False):
    """A gallery as a list of figures (templates/includes/gallery.html; static/js/gallery.js shows them one
    at a time); nothing for no id, or a gallery without photos."""
    shown = galleries.get(gallery_id) if gallery_id else None
    if shown is None:
        return ""
    return render_to_string("includes/gallery.html", {"gallery": shown, "lead": lead})


@register.simple_tag
def share_links(article):
    url = absolute_url(article.get_absolute_url())  # never the request's Host: the page is shared
    return build_share_links(url, article.title)


def _page_suffix(context):
    page_obj = context.get("page_obj")
    return f"?page={page_obj.number}" if page_obj is not None and page_obj.number > 1 else ""


@register.simple_tag(takes_context=True)
def canonical_url(context):
    """The page's address on the public origin, in its script; a listing's later pages keep their number."""
    return absolute_url(context["request"].path + _page_suffix(context))


@register.simple_tag(takes_context=True)
def script_alternates(context):
    """The page's Latin and Cyrillic addresses, for ``hreflang`` links."""
    path = context["request"].path + _page_suffix(context)
    return {"latin": absolute_url(latin_path(path)), "cyrillic": absolute_url(cyrillic_path(path))}


@register.inclusion_tag("includes/social_meta.html", takes_context=True)
def social_meta(context):
    """Open Graph and Twitter card tags: from the view's ``social`` when it set one, else the site's."""
    site_settings = context["site_settings"]
    meta = context.get("social") or listing_meta(site_settings.site_name, site_settings.tagline)
    return {
        "meta": meta,
        "image": meta.image or default_image(site_settings.site_name),
        "url": canonical_url(context),
        "site_name": site_settings.site_name,
    }


@register.simple_tag(takes_context=True)
def article_json_ld(context, article):
    """One ``<script type="application/ld+json">`` each for the NewsArticle (a live blog's LiveBlogPosting)
    and its BreadcrumbList."""
    data = article_structured_data(article, context["site_settings"].site_name)
    if article.is_live_blog:
        data[0] = live_blog_posting(data[0], article, context.get("live_entries") or [], JSON_LD_ENTRIES)
    scripts = [json_ld_script(item) for item in data]
    return mark_safe("\n  ".join(scripts))


@register.filter
def news_time(moment):
    """Today's news by the clock ("14:05"), older news by the day ("27.11.")."""
    if moment is None:
        return ""
    local = timezone.localtime(moment)
    return date_format(local, "H:i" if local.date() == timezone.localdate() else "j.n.")


@register.filter
def machine_datetime(moment):
    """For <time datetime>: ISO 8601 in local time to the second (HTML allows at most milliseconds)."""
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else ""


@register.filter
def news_datetime(moment):
    """When something was published, as a Serbian paper says it: "pre 5 minuta", "pre 3 sata", then
    "27. novembar 2026. u 23:03" (articles/news_times.py, without Django's formatting for each time)."""
    return news_times.news_datetime(moment)


@register.filter
def written_datetime(moment):
    """The date and the minute, never relative: "7. decembar 2026. u 02:47" (for the article's header)."""
    return news_times.written_datetime(moment)


@register.simple_tag(takes_context=True)
def page_section(context, section):
    """A section another app adds under the article (articles/page_sections.py), from its builder."""
    template = context.template.engine.get_template(section.template)
    with context.push(section.context):
        return template.render(context)


@register.simple_tag
def breaking_news():
    """The one "Najnovije" strip readers see now (the newest shown), or None: one query. A link to one of our
    pages leads to it in the reader's script."""
    strip = BreakingNews.objects.shown().first()
    if strip is None:
        return None
    href = strip.url
    if href.startswith("/") and reader_script.has_cyrillic_twin(href):
        href = reader_script.path_in(reader_script.current_script(), href)
    return {"text": strip.text, "href": href}
