"""Videos and social posts in bodies (articles/embeds.py): which addresses are accepted, what the sanitizer
keeps, the form's refusal, the reader's placeholder, the headers on every page, and the feed."""

import re

import feedparser
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from articles import embeds
from articles.models import Article
from articles.richtext import sanitize_html
from articles.tests.factories import ArticleFactory
from articles.tests.test_workflow import CHANGELIST, article_form, editor

EMBED_HOSTS = [
    "https://www.youtube-nocookie.com",
    "https://player.vimeo.com",
    "https://platform.twitter.com",
    "https://www.instagram.com",
    "https://www.facebook.com",
    "https://www.tiktok.com",
]


def embed_figure(address, title="Naslov snimka"):
    """A video or a post as the body editor sends it: the address pasted, the title typed."""
    return f'<figure data-embed-url="{address}" data-title="{title}"></figure>'


def stored(key, embed_id, title=""):
    return f'<figure data-embed="{key}" data-embed-id="{embed_id}" data-title="{title}"></figure>'


# --- The providers table


@pytest.mark.parametrize(
    ("address", "key", "embed_id"),
    [
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", "youtube", "dQw4w9WgXcQ"),
        ("https://youtube.com/watch?feature=share&v=dQw4w9WgXcQ&t=42", "youtube", "dQw4w9WgXcQ"),
        ("https://m.youtube.com/watch?v=dQw4w9WgXcQ", "youtube", "dQw4w9WgXcQ"),
        ("https://youtu.be/dQw4w9WgXcQ", "youtube", "dQw4w9WgXcQ"),
        ("https://youtu.be/dQw4w9WgXcQ?si=AbCdEf", "youtube", "dQw4w9WgXcQ"),
        ("https://www.youtube.com/shorts/a1B2c3D4e5F", "youtube", "a1B2c3D4e5F"),
        ("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ", "youtube", "dQw4w9WgXcQ"),
        ("  https://vimeo.com/76979871  ", "vimeo", "76979871"),
        ("https://player.vimeo.com/video/76979871", "vimeo", "76979871"),
        ("https://x.com/NASA/status/1865123456789012345", "x", "1865123456789012345"),
        ("https://twitter.com/NASA/status/1865123456789012345?s=20", "x", "1865123456789012345"),
        ("https://mobile.twitter.com/NASA/status/1865123456789012345/", "x", "1865123456789012345"),
        ("https://www.instagram.com/p/C1a2B3c4D5e/", "instagram", "C1a2B3c4D5e"),
        ("https://www.instagram.com/reel/C1a2B3c4D5e/?igsh=abc", "instagram", "C1a2B3c4D5e"),
        ("https://www.facebook.com/nasa/posts/pfbid02AbC", "facebook", "nasa:posts:pfbid02AbC"),
        ("https://www.facebook.com/nasa.gov/videos/1234567890/", "facebook", "nasa.gov:videos:1234567890"),
        (
            "https://www.tiktok.com/@scout2015/video/6718335390845095173",
            "tiktok",
            "scout2015:6718335390845095173",
        ),
    ],
    ids=[
        "youtube-watch", "youtube-watch-more-params", "youtube-mobile", "youtu.be", "youtu.be-tracking",
        "youtube-shorts", "youtube-nocookie", "vimeo-spaces", "vimeo-player", "x", "twitter",
        "twitter-mobile", "instagram-post", "instagram-reel", "facebook-post", "facebook-video", "tiktok",
    ],
)  # fmt: skip
def test_an_editors_address_names_its_provider_and_id(address, key, embed_id):
    assert embeds.parse_address(address) == (key, embed_id)


@pytest.mark.parametrize(
    "address",
    [
        "https://www.youtube.com.evil.com/watch?v=dQw4w9WgXcQ",
        "https://evil.com/www.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://evilyoutube.com/watch?v=dQw4w9WgXcQ",
        "http://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "//www.youtube.com/watch?v=dQw4w9WgXcQ",
        "javascript:alert(1)//www.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://www.youtube.com/watch?v=dQw4w9WgXc",
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ%22",
        "https://www.youtube.com/watch?v=dQw4w9\"gXcQ",
        "https://www.youtube.com/channel/UCabcdefghij",
        "https://youtu.be/dQw4w9WgXcQ/extra",
        "https://youtu.be/watch?v=dQw4w9WgXcQ",
        "https://user:pass@www.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://www.youtube.com:8443/watch?v=dQw4w9WgXcQ",
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ#t=1",
        "https://vimeo.com/76979871/extra",
        "https://vimeo.com/channels/staffpicks",
        "https://x.com/NASA",
        "https://x.com/NASA/status/12345abc",
        "https://x.com/NASA/status/1234/photo/1",
        "https://www.instagram.com/nasa/",
        "https://www.instagram.com/p/a'b<c/",
        "https://www.facebook.com/nasa",
        "https://www.facebook.com/nasa/posts/",
        "https://www.facebook.com/plugins/post.php?href=https://evil.com",
        "https://www.tiktok.com/@scout2015",
        "https://www.tiktok.com/embed/v2/6718335390845095173",
        "https://example.org/video.mp4",
        "ftp://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ https://evil.com",
        "",
        "https://[::1/",
    ],
    ids=[
        "youtube-as-subdomain", "youtube-as-path", "lookalike-host", "http", "no-scheme", "javascript",
        "id-too-short", "id-quote-escaped", "id-quote", "channel", "youtu.be-extra-path", "youtu.be-watch",
        "credentials", "port", "fragment", "vimeo-extra-path", "vimeo-channel", "x-profile",
        "x-bad-id", "x-photo", "instagram-profile", "instagram-bad-id", "facebook-page", "facebook-no-post",
        "facebook-plugin", "tiktok-profile", "tiktok-embed", "other-site", "ftp", "two-addresses", "empty",
        "broken-ipv6",
    ],
)  # fmt: skip
def test_an_unknown_or_malformed_address_is_refused(address):
    with pytest.raises(embeds.UnknownEmbed):
        embeds.parse_address(address)


def test_each_provider_embeds_from_its_own_host_and_links_to_its_own_site():
    samples = {
        "youtube": "dQw4w9WgXcQ",
        "vimeo": "76979871",
        "x": "1865123456789012345",
        "instagram": "C1a2B3c4D5e",
        "facebook": "nasa:posts:pfbid02AbC",
        "tiktok": "scout2015:6718335390845095173",
    }
    assert set(samples) == set(embeds.PROVIDERS)
    urls = {key: embeds.PROVIDERS[key].embed_url(embed_id) for key, embed_id in samples.items()}
    links = {key: embeds.PROVIDERS[key].link_url(embed_id) for key, embed_id in samples.items()}
    assert urls["youtube"] == "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1"
    assert urls["vimeo"] == "https://player.vimeo.com/video/76979871?autoplay=1&dnt=1"
    assert urls["x"] == "https://platform.twitter.com/embed/Tweet.html?id=1865123456789012345&dnt=true"
    assert urls["instagram"] == "https://www.instagram.com/p/C1a2B3c4D5e/embed/"
    assert urls["facebook"] == (
        "https://www.facebook.com/plugins/post.php?href=https%3A%2F%2Fwww.facebook.com%2Fnasa%2Fposts%2F"
        "pfbid02AbC&show_text=true&width=500"
    )
    assert (
        embeds.PROVIDERS["facebook"]
        .embed_url("nasa:videos:123")
        .startswith("https://www.facebook.com/plugins/video.php?href=")
    )
    assert urls["tiktok"] == "https://www.tiktok.com/embed/v2/6718335390845095173"
    assert links == {
        "youtube": "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "vimeo": "https://vimeo.com/76979871",
        "x": "https://x.com/i/status/1865123456789012345",
        "instagram": "https://www.instagram.com/p/C1a2B3c4D5e/",
        "facebook": "https://www.facebook.com/nasa/posts/pfbid02AbC",
        "tiktok": "https://www.tiktok.com/@scout2015/video/6718335390845095173",
    }
    assert embeds.embed_origins() == EMBED_HOSTS
    for key, url in urls.items():
        assert url.startswith(embeds.PROVIDERS[key].embed_origin + "/")
        assert "allow-top-navigation" not in embeds.PROVIDERS[key].sandbox
        assert "allow-scripts" in embeds.PROVIDERS[key].sandbox


# --- The sanitizer


def test_a_pasted_address_is_stored_as_provider_id_and_escaped_title():
    body = embed_figure(
        "https://youtu.be/dQw4w9WgXcQ?si=x", "Hor „Zvončići“ &amp; &quot;gosti&quot; <b>uživo</b>"
    )
    assert sanitize_html(body) == stored(
        "youtube", "dQw4w9WgXcQ", "Hor „Zvončići“ &amp; &quot;gosti&quot; &lt;b&gt;uživo&lt;/b&gt;"
    )
    assert sanitize_html(sanitize_html(body)) == sanitize_html(body)


@pytest.mark.parametrize(
    "forged",
    [
        '<figure data-embed="evil" data-embed-id="dQw4w9WgXcQ"></figure>',
        '<figure data-embed="YouTube" data-embed-id="dQw4w9WgXcQ"></figure>',
        '<figure data-embed="youtube" data-embed-id="javascript:alert(1)"></figure>',
        '<figure data-embed="youtube" data-embed-id="dQw4w9WgX&quot;Q"></figure>',
        "<figure data-embed=\"youtube\" data-embed-id=\"dQw4w9'gXcQ\"></figure>",
        '<figure data-embed="youtube" data-embed-id="dQw/w9WgXcQ"></figure>',
        '<figure data-embed="youtube" data-embed-id="../../evil"></figure>',
        '<figure data-embed="vimeo" data-embed-id="dQw4w9WgXcQ"></figure>',
        '<figure data-embed="facebook" data-embed-id="nasa/posts/1"></figure>',
        '<figure data-embed="tiktok" data-embed-id="x:1?y=2"></figure>',
        '<figure data-embed="youtube"></figure>',
        '<figure data-embed-id="dQw4w9WgXcQ"></figure>',
        '<figure data-embed-url="https://www.youtube.com.evil.com/watch?v=dQw4w9WgXcQ"></figure>',
        '<figure data-embed-url="javascript:alert(1)"></figure>',
    ],
    ids=[
        "unknown-provider", "provider-case", "javascript-id", "quote-in-id", "apostrophe-in-id",
        "slash-in-id", "path-id", "youtube-id-for-vimeo", "facebook-slashes", "tiktok-query",
        "no-id", "no-provider", "unknown-address", "javascript-address",
    ],
)  # fmt: skip
def test_a_forged_embed_is_unwrapped(forged):
    cleaned = sanitize_html(
        f"<p>Pre.</p>{forged.replace('></figure>', '><p>Unutra</p></figure>')}<p>Posle.</p>"
    )
    assert "<figure" not in cleaned and "data-embed" not in cleaned
    assert cleaned == "<p>Pre.</p><p>Unutra</p><p>Posle.</p>"


@pytest.mark.parametrize(
    ("forged", "expected"),
    [
        (
            '<figure data-embed="youtube" data-embed-id="dQw4w9WgXcQ" class="x" onclick="alert(1)" '
            'style="position:fixed" data-embed-src="https://evil.com" src="https://evil.com"></figure>',
            stored("youtube", "dQw4w9WgXcQ"),
        ),
        (
            '<figure data-embed="x" data-embed-id="123" data-title="T"><p>Skriveno</p>'
            '<iframe src="https://evil.com"></iframe><script>alert(1)</script></figure>',
            stored("x", "123", "T"),
        ),
        (
            '<figure><figure data-embed="x" data-embed-id="123" data-title="&lt;/figure&gt;&lt;script&gt;">'
            "</figure></figure>",
            stored("x", "123", "&lt;/figure&gt;&lt;script&gt;"),
        ),
        (
            '<figure data-embed="youtube" data-embed-id="dQw4w9WgXcQ"><figure data-image-id="1"></figure>'
            "</figure>",
            stored("youtube", "dQw4w9WgXcQ"),
        ),
        (
            '<figure data-title="Naopako" data-embed-id="123" data-embed="x"></figure>',
            stored("x", "123", "Naopako"),
        ),
        (
            '<figure data-embed="x" data-embed-id="123" data-embed-url="https://youtu.be/dQw4w9WgXcQ"></figure>',
            stored("youtube", "dQw4w9WgXcQ"),
        ),
        (
            f'<figure data-embed="x" data-embed-id="123" data-title="{"a" * 500}"></figure>',
            stored("x", "123", "a" * embeds.MAX_TITLE_LENGTH),
        ),
    ],
    ids=[
        "extra-attributes", "nested-content", "nested-figure-and-tag-in-title", "photo-inside",
        "attribute-order", "address-wins", "long-title",
    ],
)  # fmt: skip
def test_a_valid_embed_keeps_only_provider_id_and_title(forged, expected):
    assert sanitize_html(forged) == expected


def test_photos_and_galleries_are_still_placeholders_next_to_embeds():
    body = (
        '<figure data-image-id="3" data-embed="x" data-embed-id="1"></figure>'
        '<figure data-gallery-id="7"></figure>'
    )
    assert sanitize_html(body) == '<figure data-image-id="3"></figure><figure data-gallery-id="7"></figure>'


# --- The article form


@pytest.mark.django_db
@pytest.mark.parametrize(
    "address",
    [
        "https://www.youtube.com.evil.com/watch?v=dQw4w9WgXcQ",
        "http://youtu.be/dQw4w9WgXcQ",
        "https://vimeo.com/76979871/extra",
        "https://example.org/snimak",
        "javascript:alert(1)",
    ],
    ids=["lookalike-host", "http", "extra-path", "other-site", "javascript"],
)
def test_the_form_refuses_an_unknown_address_naming_it_and_saves_nothing(django_user_model, address):
    article = ArticleFactory()
    body = f"<p>Tekst.</p>{embed_figure(address)}"
    response = editor(django_user_model).post(
        f"{CHANGELIST}{article.pk}/change/", article_form(article, body=body, publishing="save")
    )
    assert response.status_code == 200  # the form again, with its errors
    page = response.content.decode()
    assert "nije adresa videa ili objave koju možemo da ugradimo" in page
    assert f"„{address}“" in page
    assert "YouTube, Vimeo, X, Instagram, Facebook, TikTok" in page
    assert Article.objects.get(pk=article.pk).body == article.body


@pytest.mark.django_db
def test_the_form_stores_a_known_address_as_provider_and_id(django_user_model):
    article = ArticleFactory()
    body = f"<p>Tekst.</p>{embed_figure('https://x.com/NASA/status/1865123456789012345', 'Objava')}"
    response = editor(django_user_model).post(
        f"{CHANGELIST}{article.pk}/change/", article_form(article, body=body, publishing="save")
    )
    assert response.status_code == 302
    saved = Article.objects.get(pk=article.pk).body
    assert saved == f"<p>Tekst.</p>{stored('x', '1865123456789012345', 'Objava')}"


# --- The reader's page


def placeholders(page):
    return re.findall(r'<figure class="embed[^"]*".*?</figure>', page, re.DOTALL)


@pytest.mark.django_db
def test_the_page_shows_our_placeholder_with_a_plain_link_and_no_third_party_resource():
    article = ArticleFactory(
        body="<p>Pre.</p>"
        + embed_figure("https://www.youtube.com/watch?v=dQw4w9WgXcQ", "Hor <peva>")
        + embed_figure("https://x.com/NASA/status/1865123456789012345", "")
        + "<p>Posle.</p>"
    )
    page = Client().get(article.get_absolute_url()).content.decode()
    video, post = placeholders(page)
    assert '<p class="embed__provider"><span lang="en">YouTube</span></p>' in video
    assert '<p class="embed__title">Hor &lt;peva&gt;</p>' in video
    assert (
        'Učitavanjem se povezujete sa servisom <span lang="en">YouTube</span>, koji može da beleži vaše '
        "podatke." in video
    )
    assert '<button class="embed__load" type="button" hidden>Učitaj video</button>' in video
    assert '<a class="embed__link" href="https://www.youtube.com/watch?v=dQw4w9WgXcQ">' in video
    assert 'data-embed-src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1"' in video
    assert '<button class="embed__load" type="button" hidden>Prikaži objavu</button>' in post
    assert '<a class="embed__link" href="https://x.com/i/status/1865123456789012345">' in post
    assert '<p class="embed__title">X</p>' in post  # no title typed: the provider's name
    assert 'data-embed-origins="https://platform.twitter.com"' in post
    # Nothing on the page loads from a provider by itself: no iframe, no provider script, no image.
    assert "<iframe" not in page
    for tag in re.findall(r"<(?:script|img|link|iframe|source)\b[^>]*>", page):
        assert not any(host.split("//")[1] in tag for host in EMBED_HOSTS), tag
    assert re.search(r'<script src="/static/js/embeds\.[0-9a-f.]*js" defer></script>|embeds\.js', page)


@pytest.mark.django_db
def test_the_cyrillic_page_keeps_the_providers_name_in_latin():
    article = ArticleFactory(body=embed_figure("https://www.youtube.com/watch?v=dQw4w9WgXcQ", "Hor peva"))
    page = Client().get("/cir" + article.get_absolute_url()).content.decode()
    (video,) = placeholders(page)
    assert '<span lang="en">YouTube</span>' in video
    assert "Хор пева" in video and "Учитај видео" in video
    assert 'href="https://www.youtube.com/watch?v=dQw4w9WgXcQ"' in video
    assert 'data-embed-src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1"' in video


@pytest.mark.django_db
def test_a_page_without_embeds_loads_no_embed_script():
    page = Client().get(ArticleFactory().get_absolute_url()).content.decode()
    assert "embeds" not in page and "data-embed" not in page


# --- Headers


def csp(response):
    directives = (part.split() for part in response["Content-Security-Policy"].split(";") if part.strip())
    return {name: sources for name, *sources in directives}


@pytest.mark.django_db
def test_frame_src_and_permissions_are_the_same_on_every_page_fresh_or_cached():
    with_embed = ArticleFactory(body=embed_figure("https://youtu.be/dQw4w9WgXcQ")).get_absolute_url()
    without = ArticleFactory().get_absolute_url()
    Client().get(with_embed)  # makes the settings singletons a page reads, which renews every cached page
    responses = []
    for url in (with_embed, without, "/", "/cir" + with_embed):
        responses.append(Client().get(url))
        with CaptureQueriesContext(connection) as queries:
            responses.append(Client().get(url))
        assert len(queries) == 0  # the second answer came from the page cache
    for response in responses:
        assert response.status_code == 200
        assert csp(response)["frame-src"] == EMBED_HOSTS
        assert "'unsafe-inline'" not in response["Content-Security-Policy"]
        assert csp(response)["script-src"] == ["'self'"]
    headers = {(r["Content-Security-Policy"], r["Permissions-Policy"]) for r in responses}
    assert len(headers) == 1
    permissions = responses[0]["Permissions-Policy"]
    origins = " ".join(f'"{host}"' for host in EMBED_HOSTS)
    assert f"autoplay=(self {origins})" in permissions
    assert f"fullscreen=(self {origins})" in permissions
    for feature in ("camera", "microphone", "geolocation", "payment", "usb", "browsing-topics"):
        assert f"{feature}=()" in permissions


# --- Feeds


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("prefix", "title"), [("", "Hor peva"), ("/cir", "Хор пева")], ids=["latin", "cyrillic"]
)
def test_the_feed_gives_each_embed_as_a_plain_link_and_no_frame(client, prefix, title):
    ArticleFactory(
        lead="Hor iz Kikinde.",
        body=embed_figure("https://www.youtube.com/watch?v=dQw4w9WgXcQ", "Hor peva")
        + embed_figure("https://x.com/NASA/status/1865123456789012345", ""),
    )
    for path in ("/rss/", "/atom/"):
        content = client.get(prefix + path).content.decode()
        feed = feedparser.parse(content)
        assert feed.bozo == 0 and len(feed.entries) == 1
        description = feed.entries[0].summary
        assert (
            f'<p><a href="https://www.youtube.com/watch?v=dQw4w9WgXcQ">YouTube: {title}</a></p>'
            '<p><a href="https://x.com/i/status/1865123456789012345">X</a></p>'
        ) in description
        assert "iframe" not in content and "youtube-nocookie" not in content and "data-embed" not in content
        assert "<script" not in description


def test_the_plain_link_for_feeds_and_text_names_provider_and_title():
    assert embeds.plain_link("youtube", "dQw4w9WgXcQ", "Hor <peva>") == (
        '<p><a href="https://www.youtube.com/watch?v=dQw4w9WgXcQ">YouTube: Hor &lt;peva&gt;</a></p>'
    )
    assert embeds.plain_link("youtube", "javascript:x", "T") == ""
    assert embeds.render_placeholder("evil", "dQw4w9WgXcQ", "T") == ""
