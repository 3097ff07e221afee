"""Video and social posts in article bodies: the one list of providers we embed, and how a page shows one.

An editor pastes a post's or a video's address; the body stores only the provider and the post's id,
``<figure data-embed="youtube" data-embed-id="dQw4w9WgXcQ" data-title="..."></figure>`` (the title is typed
by the editor: nothing is looked up on the network). The page shows a placeholder drawn by us with a plain
link to the provider; only a reader's click (static/js/embeds.js) loads the provider's official
iframe, sandboxed, so no request reaches the provider before it. No provider script is used anywhere.
"""

import re
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from django.utils.html import escape, format_html
from django.utils.translation import gettext as _

MAX_TITLE_LENGTH = 200

_VIDEO_SANDBOX = "allow-scripts allow-same-origin allow-popups allow-presentation"
_POST_SANDBOX = "allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox"


@dataclass(frozen=True)
class Provider:
    key: str  # what the body stores in data-embed
    name: str  # the provider's own name, in Latin letters on every page
    patterns: tuple  # regular expressions over "host/path?query" of an editor's https address
    id_pattern: str  # what a stored id must match in full
    embed_origin: str  # the iframe's origin: in CSP frame-src and the Permissions-Policy
    embed_path: str  # the iframe's address on embed_origin
    link: str  # the canonical address, for readers without JavaScript and feeds
    sandbox: str  # only what the provider's iframe needs
    video: bool  # a video (16:9, "Učitaj video") or a post (its own height, "Prikaži objavu")
    message_origins: tuple = ()  # origins whose postMessage may resize the iframe

    def _fields(self, embed_id):
        parts = embed_id.split(":")  # composite ids: "page:posts:123" (Facebook), "user:123" (TikTok)
        return {"id": embed_id, "parts": parts, "post": parts[-1]}

    def link_url(self, embed_id):
        return self.link.format(**self._fields(embed_id))

    def embed_url(self, embed_id):
        fields = self._fields(embed_id)
        fields["kind"] = "video" if fields["parts"][1:2] == ["videos"] else "post"
        fields["href"] = quote(self.link_url(embed_id), safe="")
        return self.embed_origin + self.embed_path.format(**fields)

    def valid_id(self, embed_id):
        return bool(embed_id) and re.fullmatch(self.id_pattern, embed_id, re.ASCII) is not None

    def parse(self, target):
        """The stored id for ``target`` ("host/path?query"), or None."""
        for pattern in self.patterns:
            if match := re.fullmatch(pattern, target, re.ASCII):
                embed_id = ":".join(value for value in match.groups() if value)
                return embed_id if self.valid_id(embed_id) else None
        return None


_END = r"/?(?:\?[^#]*)?"  # a trailing slash and tracking parameters ("?si=...", "?igsh=...")
_YOUTUBE_ID = r"([A-Za-z0-9_-]{11})"
_YOUTUBE_HOST = r"(?:www\.|m\.)?youtube\.com"

PROVIDERS = {
    provider.key: provider
    for provider in (
        Provider(
            key="youtube",
            name="YouTube",
            patterns=(
                rf"{_YOUTUBE_HOST}/watch\?(?:[^#]*&)?v={_YOUTUBE_ID}(?:&[^#]*)?",
                rf"{_YOUTUBE_HOST}/(?:shorts|live|embed)/{_YOUTUBE_ID}{_END}",
                rf"youtu\.be/{_YOUTUBE_ID}{_END}",
                rf"www\.youtube-nocookie\.com/embed/{_YOUTUBE_ID}{_END}",
            ),
            id_pattern=r"[A-Za-z0-9_-]{11}",
            embed_origin="https://www.youtube-nocookie.com",
            embed_path="/embed/{id}?autoplay=1",  # the reader's click was the play button
            link="https://www.youtube.com/watch?v={id}",
            sandbox=_VIDEO_SANDBOX,
            video=True,
        ),
        Provider(
            key="vimeo",
            name="Vimeo",
            patterns=(
                rf"(?:www\.)?vimeo\.com/([0-9]{{1,20}}){_END}",
                rf"player\.vimeo\.com/video/([0-9]{{1,20}}){_END}",
            ),
            id_pattern=r"[0-9]{1,20}",
            embed_origin="https://player.vimeo.com",
            embed_path="/video/{id}?autoplay=1&dnt=1",
            link="https://vimeo.com/{id}",
            sandbox=_VIDEO_SANDBOX,
            video=True,
        ),
        Provider(
            key="x",
            name="X",
            patterns=(
                rf"(?:www\.|mobile\.)?(?:x|twitter)\.com/(?:[A-Za-z0-9_]{{1,15}}|i)/status/([0-9]{{1,20}}){_END}",
            ),
            id_pattern=r"[0-9]{1,20}",
            embed_origin="https://platform.twitter.com",
            embed_path="/embed/Tweet.html?id={id}&dnt=true",
            link="https://x.com/i/status/{id}",
            sandbox=_POST_SANDBOX,
            video=False,
            message_origins=("https://platform.twitter.com",),
        ),
        Provider(
            key="instagram",
            name="Instagram",
            patterns=(rf"(?:www\.)?instagram\.com/(?:p|reel|tv)/([A-Za-z0-9_-]{{5,40}}){_END}",),
            id_pattern=r"[A-Za-z0-9_-]{5,40}",
            embed_origin="https://www.instagram.com",
            embed_path="/p/{id}/embed/",
            link="https://www.instagram.com/p/{id}/",
            sandbox=_POST_SANDBOX,
            video=False,
            message_origins=("https://www.instagram.com",),
        ),
        Provider(
            key="facebook",
            name="Facebook",
            # Stored as "page:posts:123" or "page:videos:123"; the plugin takes the post's address (href=).
            patterns=(
                rf"(?:www\.|m\.)?facebook\.com/([A-Za-z0-9.]{{1,80}})/(posts|videos)/([A-Za-z0-9]{{1,80}}){_END}",
            ),
            id_pattern=r"[A-Za-z0-9.]{1,80}:(?:posts|videos):[A-Za-z0-9]{1,80}",
            embed_origin="https://www.facebook.com",
            embed_path="/plugins/{kind}.php?href={href}&show_text=true&width=500",
            link="https://www.facebook.com/{parts[0]}/{parts[1]}/{parts[2]}",
            sandbox=_POST_SANDBOX + " allow-presentation",
            video=False,
        ),
        Provider(
            key="tiktok",
            name="TikTok",
            # Stored as "user:123": the reader's link names the account, as TikTok's own addresses do.
            patterns=(rf"(?:www\.|m\.)?tiktok\.com/@([A-Za-z0-9_.]{{1,24}})/video/([0-9]{{1,20}}){_END}",),
            id_pattern=r"[A-Za-z0-9_.]{1,24}:[0-9]{1,20}",
            embed_origin="https://www.tiktok.com",
            embed_path="/embed/v2/{post}",
            link="https://www.tiktok.com/@{parts[0]}/video/{post}",
            sandbox=_POST_SANDBOX + " allow-presentation",
            video=False,
        ),
    )
}


def embed_origins():
    """The providers' iframe origins, once each: CSP frame-src and Permissions-Policy name exactly these."""
    return list(dict.fromkeys(provider.embed_origin for provider in PROVIDERS.values()))


class UnknownEmbed(ValueError):
    """An address that names no provider we embed, or not one of its posts or videos."""


def parse_address(address):
    """``(provider_key, id)`` for an editor's https address of a video or a post; UnknownEmbed otherwise."""
    address = (address or "").strip()
    if len(address) > 500 or any(character.isspace() for character in address):
        raise UnknownEmbed(address)
    try:
        parts = urlsplit(address)
        port = parts.port
    except ValueError:
        raise UnknownEmbed(address) from None
    if parts.scheme != "https" or parts.username or parts.password or port or parts.fragment:
        raise UnknownEmbed(address)
    target = (parts.hostname or "") + parts.path + (f"?{parts.query}" if parts.query else "")
    for provider in PROVIDERS.values():
        if embed_id := provider.parse(target):
            return provider.key, embed_id
    raise UnknownEmbed(address)


def provider_for(key, embed_id):
    """The provider of a stored embed, or None if the provider is unknown or the id is not one of its ids."""
    provider = PROVIDERS.get(key)
    return provider if provider is not None and provider.valid_id(embed_id) else None


def render_placeholder(key, embed_id, title):
    """The reader's click-to-load placeholder: provider, title, a note, a plain link, and a hidden button
    static/js/embeds.js shows. ``title`` is plain text (the stored attribute, unescaped)."""
    provider = provider_for(key, embed_id)
    if provider is None:
        return ""
    name = format_html('<span lang="en">{}</span>', provider.name)
    note = _("Loading it connects you to %(provider)s, which may record your data.") % {"provider": name}
    if provider.video:
        link_text = _("Watch the video on %(provider)s") % {"provider": name}
        button = _("Load video")
    else:
        link_text = _("Open the post on %(provider)s") % {"provider": name}
        button = _("Show post")
    shown_title = title.strip() or provider.name
    kind = "video" if provider.video else "post"
    return (
        f'<figure class="embed embed--{kind}" data-embed-provider="{provider.key}"'
        f' data-embed-src="{escape(provider.embed_url(embed_id))}" data-embed-sandbox="{provider.sandbox}"'
        f' data-embed-origins="{" ".join(provider.message_origins)}">'
        f'<div class="embed__placeholder">'
        f'<p class="embed__provider">{name}</p>'
        f'<p class="embed__title">{escape(shown_title)}</p>'
        f'<p class="embed__note">{note}</p>'
        f'<p class="embed__actions">'
        f'<button class="embed__load" type="button" hidden>{escape(button)}</button>'
        f' <a class="embed__link" href="{escape(provider.link_url(embed_id))}">{link_text}</a></p>'
        f"</div></figure>"
    )


def plain_link(key, embed_id, title):
    """For feeds and plain text: the title as a link to the post or video on the provider's site."""
    provider = provider_for(key, embed_id)
    if provider is None:
        return ""
    text = f"{provider.name}: {title.strip()}" if title.strip() else provider.name
    return format_html('<p><a href="{}">{}</a></p>', provider.link_url(embed_id), text)
