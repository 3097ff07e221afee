"""The focal point: crops cut around it, their identity, the cards and link previews that serve them, the
photo form that sets it, and the pages that follow when it moves."""

import io
import json
import re

import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from PIL import Image as PillowImage

from articles.renditions import (
    CARD_CROP,
    COMPACT_CARD_CROP,
    SOCIAL_CROP,
    Rendition,
    crop_box,
    generate_renditions,
    responsive_image,
    social_rendition,
)
from articles.tests.factories import ArticleFactory, ImageFactory

RED, BLUE = (220, 20, 20), (20, 20, 220)


def halves_jpeg(width, height):
    """A photo whose left half is red and right half blue: a crop's colour says where it was cut."""
    photo = PillowImage.new("RGB", (width, height), RED)
    photo.paste(BLUE, (width // 2, 0, width, height))
    buffer = io.BytesIO()
    photo.save(buffer, format="JPEG", quality=95)
    return buffer.getvalue()


def photo(width, height, focal_x=0.5, focal_y=0.5, name="foto.jpg"):
    return ImageFactory(
        file=ContentFile(halves_jpeg(width, height), name=name), focal_x=focal_x, focal_y=focal_y
    )


def opened(url):
    """The rendition file a URL serves, opened by Pillow."""
    with default_storage.open(url.removeprefix(django_settings.MEDIA_URL)) as file:
        picture = PillowImage.open(io.BytesIO(file.read()))
        picture.load()
    return picture


def srcset_urls(srcset):
    return [(candidate.split()[0], int(candidate.split()[1][:-1])) for candidate in srcset.split(", ")]


# --- The crop box -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("size", "crop", "focal", "box"),
    [
        # A landscape photo wider than 16:10: full height, the point centred as far as the photo allows.
        ((2000, 1000), CARD_CROP, (0.5, 0.5), (200, 0, 1800, 1000)),
        ((2000, 1000), CARD_CROP, (0.0, 0.0), (0, 0, 1600, 1000)),
        ((2000, 1000), CARD_CROP, (1.0, 1.0), (400, 0, 2000, 1000)),
        ((2000, 1000), CARD_CROP, (0.3, 0.9), (0, 0, 1600, 1000)),
        ((2000, 1000), CARD_CROP, (0.55, 0.1), (300, 0, 1900, 1000)),
        ((2000, 1000), CARD_CROP, (0.9, 0.5), (400, 0, 2000, 1000)),
        # Exactly 16:10: the whole photo whatever the point.
        ((1600, 1000), CARD_CROP, (0.0, 1.0), (0, 0, 1600, 1000)),
        # A portrait photo: full width, the point moves the box up and down.
        ((1000, 2000), COMPACT_CARD_CROP, (0.5, 0.5), (0, 625, 1000, 1375)),
        ((1000, 2000), COMPACT_CARD_CROP, (0.5, 0.0), (0, 0, 1000, 750)),
        ((1000, 2000), COMPACT_CARD_CROP, (0.0, 1.0), (0, 1250, 1000, 2000)),
        ((1000, 2000), COMPACT_CARD_CROP, (1.0, 0.25), (0, 125, 1000, 875)),
        ((1000, 2000), CARD_CROP, (0.5, 0.6), (0, 888, 1000, 1513)),
        ((1000, 2000), CARD_CROP, (0.5, 0.9), (0, 1375, 1000, 2000)),
        # Social 1.905:1 out of a 3:2 photo.
        ((1200, 800), SOCIAL_CROP, (0.5, 0.5), (0, 85, 1200, 715)),
        ((1200, 800), SOCIAL_CROP, (0.5, 0.0), (0, 0, 1200, 630)),
        ((1200, 800), SOCIAL_CROP, (0.5, 1.0), (0, 170, 1200, 800)),
        # Tiny photos: never an empty box, never outside the photo.
        ((1, 1), CARD_CROP, (1.0, 1.0), (0, 0, 1, 1)),
        ((3, 1), COMPACT_CARD_CROP, (1.0, 0.5), (2, 0, 3, 1)),
        ((1, 5), SOCIAL_CROP, (0.5, 0.5), (0, 2, 1, 3)),
        ((10, 10), SOCIAL_CROP, (0.0, 0.0), (0, 0, 10, 5)),
    ],
    ids=[
        "wide-centre",
        "wide-top-left-corner",
        "wide-bottom-right-corner",
        "wide-left-of-centre-clamped",
        "wide-right-of-centre",
        "wide-right-edge-clamped",
        "exact-shape",
        "portrait-centre",
        "portrait-top-edge",
        "portrait-bottom-left-corner",
        "portrait-upper-quarter",
        "portrait-16x10-below-centre",
        "portrait-16x10-near-bottom-clamped",
        "social-centre",
        "social-top",
        "social-bottom",
        "tiny-1x1",
        "tiny-3x1",
        "tiny-1x5",
        "tiny-square",
    ],
)
def test_the_crop_is_the_largest_box_of_its_shape_centred_on_the_focal_point(size, crop, focal, box):
    assert crop_box(*size, crop, *focal) == box
    left, top, right, bottom = box
    assert 0 <= left < right <= size[0] and 0 <= top < bottom <= size[1]


# --- The files ----------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("size", "crop", "sizes"),
    [
        ((2000, 1000), CARD_CROP, [(480, 300), (800, 500), (1200, 750), (1600, 1000)]),
        ((2000, 1000), COMPACT_CARD_CROP, [(480, 360), (800, 600), (1200, 900), (1333, 1000)]),
        # A larger photo: no card crop wider than 1600.
        ((3000, 2000), CARD_CROP, [(480, 300), (800, 500), (1200, 750), (1600, 1000)]),
        ((3000, 2000), COMPACT_CARD_CROP, [(480, 360), (800, 600), (1200, 900), (1600, 1200)]),
        # A small one: its own crop only.
        ((400, 400), CARD_CROP, [(400, 250)]),
    ],
    ids=["16x10", "4x3", "16x10-large-photo", "4x3-large-photo", "16x10-small-photo"],
)
def test_card_renditions_are_real_crops_of_their_shape_at_every_width(size, crop, sizes):
    image = photo(*size)
    generate_renditions(image)
    shown = responsive_image(image, crop)
    for srcset, format in ((shown.srcset, "JPEG"), (shown.webp_srcset, "WEBP")):
        files = [(opened(url), width) for url, width in srcset_urls(srcset)]
        assert [picture.size for picture, _ in files] == sizes
        assert [width for _, width in files] == [width for width, _ in sizes]
        assert {picture.format for picture, _ in files} == {format}
    assert (shown.width, shown.height) == sizes[-1]
    assert opened(shown.src).size == next((size for size in sizes if size[0] >= 800), sizes[-1])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("size", "social"),
    [
        ((2000, 1000), (1200, 630)),
        ((1200, 800), (1200, 630)),
        ((800, 600), (800, 420)),
        ((600, 900), (600, 315)),
    ],
    ids=["large", "exactly-wide-enough", "smaller-landscape", "smaller-portrait"],
)
def test_the_social_image_is_1200x630_or_the_largest_such_box_a_smaller_photo_holds(size, social):
    image = photo(*size)
    shown = social_rendition(image)
    assert (shown.width, shown.height) == social
    assert opened(shown.url).size == social


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("focal_x", "colour"),
    [(0.0, RED), (0.2, RED), (1.0, BLUE), (0.85, BLUE)],
    ids=["left-edge", "left-quarter", "right-edge", "right-quarter"],
)
def test_the_crop_follows_the_focal_point(focal_x, colour):
    # 4000 × 1000: the crops are 1600, 1333 and 1905 wide, so a point on either side keeps only its colour.
    image = photo(4000, 1000, focal_x=focal_x)
    for crop in (CARD_CROP, COMPACT_CARD_CROP):
        cut = opened(responsive_image(image, crop).src).convert("RGB")
        for x in (2, cut.width // 2, cut.width - 3):
            assert all(
                abs(a - b) < 40 for a, b in zip(cut.getpixel((x, cut.height // 2)), colour, strict=True)
            )
    social = opened(social_rendition(image).url).convert("RGB")
    assert all(abs(a - b) < 40 for a, b in zip(social.getpixel((2, 300)), colour, strict=True))


# --- Identity -------------------------------------------------------------------------------------------


def crop_urls(image):
    card, compact = responsive_image(image, CARD_CROP), responsive_image(image, COMPACT_CARD_CROP)
    return {
        *(url for url, _ in srcset_urls(card.srcset)),
        *(url for url, _ in srcset_urls(card.webp_srcset)),
        *(url for url, _ in srcset_urls(compact.srcset)),
        *(url for url, _ in srcset_urls(compact.webp_srcset)),
        social_rendition(image).url,
    }


@pytest.mark.django_db
def test_a_moved_focal_point_names_every_crop_afresh_and_leaves_the_whole_photo_alone():
    image = photo(2000, 1000)
    before, whole = crop_urls(image), responsive_image(image)
    assert all("-0500-0500-" in url for url in before)

    image.focal_x = 0.25  # the same object, file and size: the per-process memory must not answer
    after = crop_urls(image)
    assert before.isdisjoint(after)
    assert all("-0250-0500-" in url for url in after)
    assert responsive_image(image) == whole

    image.focal_x = 0.2500004  # the same point to a thousandth: the same files
    assert crop_urls(image) == after


@pytest.mark.django_db
def test_a_new_crop_is_cut_from_the_new_point_not_served_from_memory():
    image = photo(4000, 1000, focal_x=0.0)
    assert opened(responsive_image(image, CARD_CROP).src).convert("RGB").getpixel((5, 5))[0] > 150
    image.focal_x = 1.0
    image.save()
    assert opened(responsive_image(image, CARD_CROP).src).convert("RGB").getpixel((5, 5))[2] > 150


# --- Pages ------------------------------------------------------------------------------------------------

IMG = re.compile(r"<img [^>]*>")


def card_images(html):
    """The <img> of each article card, as attribute dictionaries."""
    cards = re.findall(r'<picture class="article-card__image".*?</picture>', html, re.DOTALL)
    return [
        {
            **dict(re.findall(r'([a-z-]+)="([^"]*)"', IMG.search(card).group(0))),
            "webp_srcset": re.search(r'<source type="image/webp" srcset="([^"]*)"', card).group(1),
        }
        for card in cards
    ]


@pytest.mark.django_db
def test_cards_serve_the_crop_with_its_own_width_and_height(client):
    image = photo(2000, 1000, focal_x=0.8)
    lead = ArticleFactory(hero_image=image)
    ArticleFactory.create_batch(3, hero_image=image, section=lead.section)
    html = client.get("/").content.decode()
    images = card_images(html)
    assert images, "no card shows a photo"
    for attrs in images:
        shape = "4x3" if attrs["width"] == "1333" else "16x10"
        assert (attrs["width"], attrs["height"]) in {("1600", "1000"), ("1333", "1000")}
        assert f"/{shape}-0800-0500-" in attrs["src"]
        assert opened(attrs["src"]).size[0] * int(attrs["height"]) == pytest.approx(
            opened(attrs["src"]).size[1] * int(attrs["width"]), rel=0.01
        )
        assert "srcset" not in attrs  # WebP renditions only; the <img src> is the fallback
        widths = [width for _, width in srcset_urls(attrs["webp_srcset"])]
        for url, width in srcset_urls(attrs["webp_srcset"]):
            assert f"/{shape}-0800-0500-" in url and opened(url).width == width
        # Only the lead card, up to 40rem wide, is given a rendition wider than 1200 px.
        assert max(widths) == (1600 if shape == "16x10" else 1200), widths
    assert {attrs["width"] for attrs in images} == {"1600", "1333"}  # the lead's 16:10, the compact 4:3


@pytest.mark.django_db
def test_the_article_page_shows_the_whole_lead_photo(client):
    article = ArticleFactory(hero_image=photo(2000, 1000, focal_x=0.8))
    html = client.get(article.get_absolute_url()).content.decode()
    figure = re.search(r'<figure class="figure.*?</figure>', html, re.DOTALL).group(0)
    attrs = dict(re.findall(r'([a-z-]+)="([^"]*)"', IMG.search(figure).group(0)))
    assert (attrs["width"], attrs["height"]) == ("2000", "1000")
    assert "x10-" not in figure and "x3-" not in figure
    assert opened(attrs["src"]).size == (800, 400)


def head_meta(html):
    return dict(re.findall(r'<meta (?:property|name)="([^"]+)" content="([^"]*)"', html))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("size", "social"), [((2000, 1000), (1200, 630)), ((800, 600), (800, 420))], ids=["large", "small"]
)
def test_link_previews_name_the_crop_with_the_size_of_its_file(client, size, social):
    article = ArticleFactory(hero_image=photo(*size, focal_y=0.1))
    html = client.get(article.get_absolute_url()).content.decode()
    meta = head_meta(html)
    path = meta["og:image"].split("/media/", 1)[1]
    assert opened(django_settings.MEDIA_URL + path).size == social
    assert (int(meta["og:image:width"]), int(meta["og:image:height"])) == social
    ld = json.loads(
        re.search(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', html, re.DOTALL).group(1)
    )
    news = ld[0] if isinstance(ld, list) else ld
    assert news["image"] == [
        {"@type": "ImageObject", "url": meta["og:image"], "width": social[0], "height": social[1]}
    ]


# --- The photo form ------------------------------------------------------------------------------------


def change_form_data(image, **changes):
    return {
        "alt_text": image.alt_text,
        "caption": image.caption,
        "credit": image.credit,
        "restriction": image.restriction,
        "restriction_note": image.restriction_note,
        "focal_x": str(image.focal_x),
        "focal_y": str(image.focal_y),
        **changes,
    }


def change_url(image):
    return f"/admin/articles/image/{image.pk}/change/"


@pytest.mark.django_db
def test_the_photo_form_shows_the_focal_point_on_the_photo_and_the_crops_it_gives(editor_client):
    image = photo(2000, 1000, focal_x=0.25, focal_y=0.75)
    html = editor_client.get(change_url(image)).content.decode()
    assert 'role="slider"' in html and 'aria-label="Žiža fotografije: pomerite strelicama"' in html
    assert 'tabindex="0"' in html
    for name, value in (("focal_x", "0.25"), ("focal_y", "0.75")):
        field = re.search(rf'<input type="number" name="{name}"[^>]*>', html).group(0)
        assert f'value="{value}"' in field and 'min="0"' in field and 'max="1"' in field
    assert '<label for="id_focal_x"' in html and '<label for="id_focal_y"' in html
    assert 'cx="500.0" cy="750.0"' in html  # the saved point drawn before any script runs
    for url in (
        responsive_image(image, CARD_CROP).smallest,
        responsive_image(image, COMPACT_CARD_CROP).smallest,
    ):
        assert url in html
    assert social_rendition(image).url in html
    assert "admin/js/focal_point.js" in html and "admin/css/focal_point.css" in html
    assert " style=" not in re.search(r'<div class="focal-point".*?</div>\s*</div>', html, re.DOTALL).group(0)


@pytest.mark.django_db
def test_the_add_form_says_the_point_is_chosen_on_the_saved_photo(editor_client):
    html = editor_client.get("/admin/articles/image/add/").content.decode()
    assert "kad je sačuvate" in html and 'role="slider"' not in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("focal_x", "abc", "Žiža je broj od 0 do 1"),
        ("focal_x", "-0.1", "ne može biti manja od 0"),
        ("focal_y", "1.5", "ne može biti veća od 1"),
        ("focal_x", "1e3", "ne može biti veća od 1"),
        ("focal_y", "nan", "Žiža je broj od 0 do 1"),
        ("focal_x", "inf", "Žiža je broj od 0 do 1"),
        ("focal_y", "-inf", "Žiža je broj od 0 do 1"),
        ("focal_x", "0.5; DROP TABLE", "Žiža je broj od 0 do 1"),
        ("focal_y", "９", "ne može biti veća od 1"),
        ("focal_x", "0,5,5", "Žiža je broj od 0 do 1"),
        ("focal_x", "1" * 400, "Žiža je broj od 0 do 1"),
    ],
    ids=[
        "letters",
        "negative",
        "above-one",
        "exponent",
        "nan",
        "infinity",
        "minus-infinity",
        "sql-tail",
        "fullwidth-digit",
        "two-commas",
        "huge",
    ],
)
def test_a_bad_focal_point_is_refused_in_serbian_and_nothing_is_saved(editor_client, field, value, message):
    image = photo(2000, 1000, focal_x=0.3, focal_y=0.6)
    response = editor_client.post(change_url(image), change_form_data(image, **{field: value}))
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html and "errorlist" in html
    image.refresh_from_db()
    assert (image.focal_x, image.focal_y) == (0.3, 0.6)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("posted", "saved"),
    [
        ({"focal_x": "0,25", "focal_y": " 0.125 "}, (0.25, 0.125)),
        ({"focal_x": "0", "focal_y": "1"}, (0.0, 1.0)),
        ({"focal_x": "", "focal_y": ""}, (0.3, 0.6)),
    ],
    ids=["comma-and-spaces", "edges", "left-empty-keeps-the-point"],
)
def test_a_good_focal_point_is_saved(editor_client, posted, saved):
    image = photo(2000, 1000, focal_x=0.3, focal_y=0.6)
    response = editor_client.post(change_url(image), change_form_data(image, **posted))
    assert response.status_code == 302, response.content.decode()[:3000]
    image.refresh_from_db()
    assert (image.focal_x, image.focal_y) == saved


# --- Moving it refreshes the pages ------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_moved_focal_point_reaches_cached_pages_with_new_crops_already_made(
    editor_client, settings, monkeypatch
):
    assert settings.PAGE_CACHE_SECONDS > 0
    # As on S3: pages assume renditions exist and never make one, so the save must have made them.
    monkeypatch.setattr(Rendition, "cachefile_strategy", "imagekit.cachefiles.strategies.Optimistic")
    image = photo(4000, 1000, focal_x=0.5)
    generate_renditions(image)  # as the upload did
    article = ArticleFactory(hero_image=image)
    reader = Client()
    for address in ("/", article.get_absolute_url()):
        reader.get(address)
        assert getattr(reader.get(address), "page_cache_hit", None), f"{address} is not cached"
    front_before = card_images(reader.get("/").content.decode())[0]["src"]
    og_before = head_meta(reader.get(article.get_absolute_url()).content.decode())["og:image"]

    response = editor_client.post(change_url(image), change_form_data(image, focal_x="0.05"))
    assert response.status_code == 302

    front = reader.get("/")
    assert not getattr(front, "page_cache_hit", None)
    card = card_images(front.content.decode())[0]["src"]
    assert card != front_before and "/16x10-0050-0500-" in card
    og = head_meta(reader.get(article.get_absolute_url()).content.decode())["og:image"]
    assert og != og_before and "/1200x630-0050-0500-" in og
    # The save made the new crops: a reader's request does not wait for them, and they show the left side.
    shown = card_images(front.content.decode())[0]["webp_srcset"]
    for url in (card, og, *(url for url, _ in srcset_urls(shown))):
        assert default_storage.exists(url.split(settings.MEDIA_URL, 1)[1]), url
    assert opened(card).convert("RGB").getpixel((5, 5))[0] > 150
