"""Article cards as HTML, written here rather than by a template included once per card.

A front page carries some forty cards; through ``{% include "includes/article_card.html" %}`` each cost
about 0.6 ms of variable look-ups, filters and a ``blocktranslate`` (most of the page's template time).
``article_card`` writes the same bytes from the article's values: every value escaped as the template's
autoescaping would (``conditional_escape``: a search snippet marked safe by articles/search.py keeps its
``<mark>``), the photo through the ``card_picture`` tag's own Python, the time through ``machine_datetime``
and ``news_datetime``, the comment count through ``ngettext`` with the msgid ``blocktranslate count`` uses.
The template stays in the repository as the reference articles/tests/test_cards.py compares this with.
"""

from html import escape as html_escape

from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import ngettext

from articles import news_times
from articles.renditions import CARD_CROP, COMPACT_CARD_CROP, responsive_image

CARD_IMAGE_SIZES = "(min-width: 48rem) 22rem, 100vw"


def conditional_escape(value):
    """Django's ``conditional_escape`` (what autoescaping does to a value) without its lazy-string wrapper:
    HTML marked safe as it is, anything else escaped (Django's ``escape`` is ``html.escape``)."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html_escape(str(value))


CARD_CROPS = {"compact": COMPACT_CARD_CROP}  # by the card's modifier; every other card is 16:10
CARD_LARGEST_WIDTH = 1200
WIDE_CARDS = {"lead"}  # the front page's lead card is up to 40rem wide: its photo keeps every width


def card_picture_html(image, modifier="", sizes=CARD_IMAGE_SIZES, eager=False):
    """What templates/includes/card_picture.html writes for the ``card_picture`` tag's values."""
    crop = CARD_CROPS.get(modifier, CARD_CROP)
    largest = None if modifier in WIDE_CARDS else CARD_LARGEST_WIDTH
    rendition = responsive_image(image, crop, largest)
    sizes = conditional_escape(sizes or CARD_IMAGE_SIZES)
    source = (
        f'<source type="image/webp" srcset="{conditional_escape(rendition.webp_srcset)}" sizes="{sizes}">'
        if rendition.webp_srcset
        else ""
    )
    loading = ' fetchpriority="high"' if eager else ' loading="lazy"'
    return (
        f'<picture class="article-card__image">{source}<img src="{conditional_escape(rendition.src)}"'
        f' width="{conditional_escape(rendition.width)}" height="{conditional_escape(rendition.height)}"'
        f' alt="{conditional_escape(image.alt_text)}"{loading} decoding="async"></picture>'
    )


def comment_count_text(count):
    """``{% blocktranslate count counter=count %}{{ counter }} comment{% plural %}...`` (Serbian plurals)."""
    # The translation is template text there (not escaped); the number is written as {{ counter }} writes it.
    text = ngettext("%(counter)s comment", "%(counter)s comments", count)
    return text % {"counter": conditional_escape(count)}


def article_card(
    article, modifier="", heading_level=None, show_lead=False, eager=False, image_sizes="", snippet=""
):
    """The card templates/includes/article_card.html writes for ``article`` with these ``include`` values."""
    esc = conditional_escape
    parts = [f'<article class="article-card{" article-card--" + esc(modifier) if modifier else ""}">\n']
    image = article.hero_image
    if image:
        parts.append(card_picture_html(image, modifier, image_sizes, eager))
        parts.append("\n")
    section = article.section
    url = esc(article.get_absolute_url())
    kicker = article.kicker
    kicker_html = f' · <span class="article-card__kicker">{esc(kicker)}</span>' if kicker else ""
    level = esc(heading_level or "3")
    live = '<span class="article-card__live">UŽIVO</span> ' if article.is_live_now else ""
    parts.append(
        f'<div class="article-card__body">\n<p class="article-card__meta">{live}'
        '<a class="article-card__section"'
        f' href="{esc(section.get_absolute_url())}">{esc(section.name)}</a>{kicker_html}</p>\n'
        f'<h{level} class="article-card__title"><a href="{url}">{esc(article.title)}</a></h{level}>\n'
    )
    if snippet:
        parts.append(f'<p class="article-card__snippet">{esc(snippet)}</p>\n')
    elif show_lead:
        parts.append(f'<p class="article-card__lead">{esc(article.lead)}</p>\n')
    published_at = article.published_at
    machine = timezone.localtime(published_at).isoformat(timespec="seconds") if published_at else ""
    parts.append(
        f'<p class="article-card__time"><time datetime="{esc(machine)}">'
        f"{esc(news_times.news_datetime(published_at))}</time>"
    )
    count = getattr(article, "comment_count", 0)
    if count:
        parts.append(
            f' · <a class="article-card__comments" href="{url}#komentari">{comment_count_text(count)}</a>'
        )
    parts.append("</p>\n</div>\n</article>\n")
    return mark_safe("".join(parts))
