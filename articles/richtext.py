"""Article bodies: the HTML allowlist every stored body passes through, and inline photo placeholders.

An editor places a library photo between paragraphs as ``<figure data-image-id="42"></figure>``, and a
gallery as ``<figure data-gallery-id="7"></figure>``; the page replaces each with the photo (or the
gallery's photos), caption and credit, all loaded in one query per kind. A video or a social post is
``<figure data-embed="youtube" data-embed-id="..." data-title="..."></figure>`` (articles/embeds.py); the
editor's form sends the pasted address as ``data-embed-url``, which is stored as provider and id.
"""

import html as html_module
import re

import nh3

from . import embeds

ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "strong", "b", "em", "i", "u", "s", "sub", "sup", "a",
    "ul", "ol", "li", "blockquote", "figure", "span", "abbr", "hr",
}  # fmt: skip

ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "lang"},
    "abbr": {"title"},
    "blockquote": {"lang"},
    "figure": {
        "data-image-id",
        "data-gallery-id",
        "data-embed",
        "data-embed-id",
        "data-embed-url",
        "data-title",
    },
    "p": {"lang"},
    "span": {"lang"},
}

# Tags whose content is dropped too, not only the tag ("<script>alert(1)</script>" leaves nothing).
DROPPED_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "template", "noscript", "svg", "math"}

_INLINE_IMAGE = re.compile(r'<figure data-image-id="(\d+)"></figure>')
_INLINE_GALLERY = re.compile(r'<figure data-gallery-id="(\d+)"></figure>')
# Attribute values come out of the cleaner with every quote escaped, so '"[^"]*"' reads each in full.
_ANY_FIGURE = re.compile(r'<figure((?: [a-z-]+="[^"]*")*)>(.*?)</figure>', re.DOTALL)
_FIGURE_ATTRIBUTE = re.compile(r' ([a-z-]+)="([^"]*)"')
_INLINE_EMBED = re.compile(
    r'<figure data-embed="([a-z]+)" data-embed-id="([^"]*)" data-title="([^"]*)"></figure>'
)
_BLOCK_TAG = re.compile(r"<(p|h[1-6]|ul|ol|blockquote|figure|div|table|pre)[\s>]", re.IGNORECASE)
_BLANK_LINES = re.compile(r"\n\s*\n")
_SPAN_TAG = re.compile(r"(<span(?: [^>]*)?>|</span>)")
_LANG_CODE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
# A paragraph with nothing in it: the editor keeps one after a photo at the end for the cursor, and Enter
# pressed twice makes one; on the page it is only a gap.
_EMPTY_PARAGRAPH = re.compile(r"<p>(?:\s|&nbsp;|<br>)*</p>")


def _keep_attribute(tag, attribute, value):
    if attribute in ("data-image-id", "data-gallery-id"):
        return value if value.isascii() and value.isdigit() else None
    if attribute == "lang":
        # Marks foreign-language text; Serbian is the page's own language (Word puts it on every span).
        return value if _LANG_CODE.match(value) and not value.lower().startswith("sr") else None
    return value


_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    clean_content_tags=DROPPED_WITH_CONTENT,
    attributes=ALLOWED_ATTRIBUTES,
    attribute_filter=_keep_attribute,
    url_schemes={"http", "https", "mailto", "tel"},
    link_rel="noopener",
    strip_comments=True,
)


def sanitize_html(html):
    """The body as stored and shown: only allowlisted tags and attributes, no scripts, styles or handlers."""
    if not html:
        return ""
    if not _BLOCK_TAG.search(html):
        # Plain text typed or pasted without markup: blank lines separate paragraphs.
        paragraphs = (paragraph.strip() for paragraph in _BLANK_LINES.split(html))
        html = "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs if paragraph)
    # A figure is only ever a placeholder: its content is dropped, and one that places nothing is unwrapped
    # (nested ones too: each pass unwraps one level, and cleaning again drops what a pass left unbalanced).
    cleaned = html
    for _ in range(8):
        normalized = _ANY_FIGURE.sub(_normalize_figure, _cleaner.clean(cleaned))
        if normalized == cleaned:
            break
        cleaned = normalized
    cleaned = _EMPTY_PARAGRAPH.sub("", cleaned)
    return _unwrap_bare_spans(cleaned) if "<span>" in cleaned else cleaned


def _unwrap_bare_spans(html):
    """Drops spans left without a language (pasted from Word or Google Docs): they mean nothing."""
    parts, bare = [], []
    for token in _SPAN_TAG.split(html):
        if token == "<span>":
            bare.append(True)
        elif token.startswith("<span "):
            bare.append(False)
            parts.append(token)
        elif token == "</span>":
            if not (bare.pop() if bare else True):
                parts.append(token)
        else:
            parts.append(token)
    return "".join(parts)


def _normalize_figure(match):
    """A figure is a photo or a gallery (the first named, if a forged one names both), else an embed of a
    known provider with a valid id, else its content."""
    attributes = _FIGURE_ATTRIBUTE.findall(match.group(1))
    for name, value in attributes:
        if name in ("data-image-id", "data-gallery-id") and value.isascii() and value.isdigit():
            return f'<figure {name}="{value}"></figure>'
    found = {name: html_module.unescape(value) for name, value in reversed(attributes)}
    if embed := _embed_figure(found):
        return embed
    return match.group(2)


def _embed_figure(attributes):
    """The stored embed element for a figure's attributes, or "" when they name no valid embed."""
    key, embed_id = attributes.get("data-embed", ""), attributes.get("data-embed-id", "")
    if "data-embed-url" in attributes:
        try:
            key, embed_id = embeds.parse_address(attributes["data-embed-url"])
        except embeds.UnknownEmbed:
            return ""
    if embeds.provider_for(key, embed_id) is None:
        return ""
    title = " ".join(attributes.get("data-title", "").split())[: embeds.MAX_TITLE_LENGTH]
    title = html_module.escape(title)  # "<" and ">" too: no later pattern mistakes it for a tag
    return f'<figure data-embed="{key}" data-embed-id="{embed_id}" data-title="{title}"></figure>'


def embedded_addresses(html):
    """The addresses pasted into a body's embed elements, for the form to check before the sanitizer."""
    found = []
    for match in _ANY_FIGURE.finditer(_cleaner.clean(html or "")):
        for name, value in _FIGURE_ATTRIBUTE.findall(match.group(1)):
            if name == "data-embed-url":
                found.append(html_module.unescape(value))
    return found


def embedded(html):
    """The videos and posts placed in a sanitized body, as (provider key, id, title), in order."""
    return [
        (key, embed_id, html_module.unescape(title))
        for key, embed_id, title in _INLINE_EMBED.findall(html or "")
    ]


def replace_embeds(html, render_embed):
    """Each embed element replaced by ``render_embed(provider_key, id, title)``."""
    return _INLINE_EMBED.sub(
        lambda match: render_embed(match.group(1), match.group(2), html_module.unescape(match.group(3))),
        html or "",
    )


def inline_image_ids(html):
    """The ids of library photos placed in a sanitized body, in order of appearance."""
    return [int(pk) for pk in _INLINE_IMAGE.findall(html or "")]


def inline_gallery_ids(html):
    """The ids of galleries placed in a sanitized body, in order of appearance."""
    return [int(pk) for pk in _INLINE_GALLERY.findall(html or "")]


def replace_inline_galleries(html, render_gallery):
    """Each gallery placeholder replaced by ``render_gallery(gallery_id)``; an empty result removes it."""
    return _INLINE_GALLERY.sub(lambda match: render_gallery(int(match.group(1))), html or "")


def replace_inline_images(html, render_image):
    """Each placeholder replaced by ``render_image(image_id)``; an empty result removes it."""
    return _INLINE_IMAGE.sub(lambda match: render_image(int(match.group(1))), html or "")
