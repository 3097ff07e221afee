from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from articles.renditions import responsive_image
from articles.richtext import replace_inline_images
from articles.sharing import share_links as build_share_links

register = template.Library()

ARTICLE_IMAGE_SIZES = "(min-width: 48rem) 46rem, 100vw"


@register.inclusion_tag("includes/picture.html")
def picture(image, sizes=ARTICLE_IMAGE_SIZES, eager=False, css_class=""):
    """A library photo as ``<picture>`` with WebP and original-format renditions and its intrinsic size."""
    return {
        "image": image,
        "rendition": responsive_image(image),
        "sizes": sizes,
        "eager": eager,
        "css_class": css_class,
    }


@register.simple_tag
def article_body(article, inline_images):
    """The sanitized body with each inline photo placeholder replaced by the photo, caption and credit."""

    def render_image(image_id):
        image = inline_images.get(image_id)
        if image is None:
            return ""
        return render_to_string("includes/figure.html", {"image": image, "caption": image.caption})

    return mark_safe(replace_inline_images(article.body, render_image))


@register.simple_tag(takes_context=True)
def share_links(context, article):
    url = context["request"].build_absolute_uri(article.get_absolute_url())
    return build_share_links(url, article.title)
