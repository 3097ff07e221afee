"""Responsive renditions of library photos: several widths, in WebP and in the photo's own format.

Article pages show the whole photo; cards and link previews show real crops cut around the photo's focal
point (16:10 and 4:3 for cards, 1200×630 for social images). The focal point, rounded, is part of each crop's
identity: its file name changes when the point moves, so no stale crop is ever served.

django-imagekit makes each rendition on first use and remembers in the cache that it exists, so a page
costs no database query and no file-system call per photo once warm.
"""

import logging
import math
from dataclasses import dataclass

from imagekit import ImageSpec, register
from imagekit.cachefiles import ImageCacheFile
from imagekit.processors import ResizeToFit
from PIL import Image as PillowImage
from pilkit.processors.utils import resolve_palette
from pilkit.utils import open_image, process_image

logger = logging.getLogger(__name__)

RENDITION_WIDTHS = (480, 800, 1200, 1600)
FALLBACK_FORMATS = {"jpg": "JPEG", "jpeg": "JPEG", "png": "PNG", "webp": "WEBP", "gif": "PNG"}


# The photo ``generate_renditions`` is cutting, decoded once for all its renditions, by file name: decoding a
# large JPEG for each of some thirty renditions would take most of an upload's time.
_decoded = {}


class Rendition(ImageSpec):
    options = {"quality": 82}

    def __init__(self, source, width, format):
        self.processors = [ResizeToFit(width=width, upscale=False)]
        self.format = format
        super().__init__(source=source)

    def generate(self):
        decoded = _decoded.get(getattr(self.source, "name", None))
        if decoded is None:
            return super().generate()
        return process_image(
            decoded.copy(),
            processors=self.processors,
            format=self.format,
            autoconvert=self.autoconvert,
            options=self.options,
        )


@dataclass(frozen=True)
class Crop:
    """A crop's shape, as a width:height ratio, and its name in rendition file names ("16x10")."""

    ratio_width: int
    ratio_height: int

    @property
    def name(self):
        return f"{self.ratio_width}x{self.ratio_height}"


CARD_CROP = Crop(16, 10)
COMPACT_CARD_CROP = Crop(4, 3)
SOCIAL_CROP = Crop(1200, 630)  # 1.905:1, what Facebook, X and Google Discover ask for
FOCAL_PRECISION = 3  # decimals of the focal point a crop is made for (a thousandth of the photo)


def focal_point(image):
    """The photo's focal point as crops use it, rounded so that its identity is stable."""
    return round(image.focal_x, FOCAL_PRECISION), round(image.focal_y, FOCAL_PRECISION)


def _round(value):
    """Halves up, as JavaScript's Math.round: the photo form's previews use the same rule."""
    return math.floor(value + 0.5)


def crop_size(width, height, crop):
    """The largest box of ``crop``'s shape inside a ``width`` × ``height`` photo (at least 1 × 1)."""
    if width * crop.ratio_height > height * crop.ratio_width:  # wider than the crop: full height
        return max(1, min(width, _round(height * crop.ratio_width / crop.ratio_height))), height
    return width, max(1, min(height, _round(width * crop.ratio_height / crop.ratio_width)))


def crop_box(width, height, crop, focal_x, focal_y):
    """(left, top, right, bottom) of the crop centred on the focal point as far as the photo allows.

    static/admin/js/focal_point.js draws the previews by this rule.
    """
    box_width, box_height = crop_size(width, height, crop)
    left = min(max(_round(focal_x * width - box_width / 2), 0), width - box_width)
    top = min(max(_round(focal_y * height - box_height / 2), 0), height - box_height)
    return left, top, left + box_width, top + box_height


class FocalCrop:
    """A pilkit processor: cuts ``crop_box`` out of the image."""

    def __init__(self, crop, focal_x, focal_y):
        self.crop = crop
        self.focal_x = focal_x
        self.focal_y = focal_y

    def process(self, img):
        return img.crop(crop_box(img.width, img.height, self.crop, self.focal_x, self.focal_y))


class ResizeExactly:
    """A pilkit processor: resizes to exactly ``width`` × ``height`` (a crop of that shape, give or take a
    pixel). Lanczos after a quick reduction by a whole factor: a large photo's crops in a fraction of the
    time, with no visible difference."""

    def __init__(self, width, height):
        self.width = width
        self.height = height

    def process(self, img):
        return resolve_palette(img).resize(
            (self.width, self.height), PillowImage.Resampling.LANCZOS, reducing_gap=3.0
        )


class CroppedRendition(Rendition):
    """``crop`` cut around the focal point, then resized to exactly ``width`` × ``height``."""

    def __init__(self, source, crop, focal, width, height, format):
        self.processors = [FocalCrop(crop, *focal), ResizeExactly(width, height)]
        self.format = format
        self.crop = crop
        self.focal = focal
        ImageSpec.__init__(self, source=source)

    @property
    def cachefile_name(self):
        # The focal point in the name, readable, beside the spec's hash (which holds it too).
        name = super().cachefile_name
        if name is None:
            return None
        folder, _, file_name = name.rpartition("/")
        focal = "-".join(f"{value:.{FOCAL_PRECISION}f}".replace(".", "") for value in self.focal)  # 0500-0250
        return f"{folder}/{self.crop.name}-{focal}-{file_name}"


# Only registered generators get their files made on first use.
register.generator("articles:rendition", Rendition)
register.generator("articles:cropped_rendition", CroppedRendition)


@dataclass(frozen=True)
class ResponsiveImage:
    src: str
    srcset: str
    webp_srcset: str
    width: int
    height: int
    smallest: str  # for thumbnails in lists and pickers


def own_format(image):
    """The format renditions keep besides WebP: the photo's own (a GIF's still is a PNG)."""
    return FALLBACK_FORMATS.get(image.file.name.rsplit(".", 1)[-1].lower(), "JPEG")


def rendition_widths(image):
    return [width for width in RENDITION_WIDTHS if width < image.width] + [image.width]


def crop_sizes(image, crop):
    """(width, height) of each rendition of ``crop``: the widths the whole photo has, at the crop's shape, up
    to the largest (cards are never shown wider than a phone's 100vw at 3x)."""
    box_width, box_height = crop_size(image.width, image.height, crop)
    widths = [width for width in RENDITION_WIDTHS if width < box_width]
    sizes = [(width, _round(width * crop.ratio_height / crop.ratio_width)) for width in widths]
    return sizes if box_width > RENDITION_WIDTHS[-1] else [*sizes, (box_width, box_height)]


def rendition(image, size, format, crop=None):
    """The spec of one rendition: the whole photo ``size[0]`` wide, or ``crop`` at exactly ``size``."""
    if crop is None:
        return Rendition(image.file, size[0], format)
    return CroppedRendition(image.file, crop, focal_point(image), *size, format)


def _sizes(image, crop):
    if crop is None:
        return [(width, None) for width in rendition_widths(image)]
    return crop_sizes(image, crop)


def _srcset(image, sizes, format, crop):
    return ", ".join(
        f"{ImageCacheFile(rendition(image, size, format, crop)).url} {size[0]}w" for size in sizes
    )


# Working out a rendition's name means hashing its spec (a pickle); the result never changes for a file name,
# size, crop and focal point, so each process remembers it, as django-imagekit remembers that the file exists.
_made = {}
_MADE_LIMIT = 4096


def responsive_image(image, crop=None, largest=None):
    """URLs and intrinsic size for ``<picture>``: the whole photo, or ``crop`` cut around its focal point.

    ``largest`` leaves wider renditions out of the srcsets (the intrinsic size stays the crop's). The
    original file alone if renditions cannot be made.
    """
    key = (image.file.name, image.width, image.height, crop, largest, *(focal_point(image) if crop else ()))
    if key not in _made:
        if len(_made) >= _MADE_LIMIT:
            _made.clear()
        made = _make_responsive_image(image, crop, largest)
        if made.srcset:
            _made[key] = made
        return made
    return _made[key]


def _make_responsive_image(image, crop, largest=None):
    fallback_format = own_format(image)
    sizes = _sizes(image, crop)
    shown = [size for size in sizes if largest is None or size[0] <= largest] or sizes[:1]
    try:
        srcset = _srcset(image, shown, fallback_format, crop)
        webp_srcset = _srcset(image, shown, "WEBP", crop)
        default_size = next((size for size in sizes if size[0] >= 800), sizes[-1])
        src = ImageCacheFile(rendition(image, default_size, fallback_format, crop)).url
        smallest = ImageCacheFile(rendition(image, sizes[0], "WEBP", crop)).url
    except (OSError, ValueError, SyntaxError):
        logger.exception("Renditions of image %s could not be made; serving the original", image.pk)
        return ResponsiveImage(image.file.url, "", "", image.width, image.height, image.file.url)
    width, height = (image.width, image.height) if crop is None else sizes[-1]
    return ResponsiveImage(src, srcset, webp_srcset, width, height, smallest)


def rendition_files(image):
    """Every rendition the pages use: the whole photo and the cards' crops at each width, in WebP and in the
    photo's own format, and the social image."""
    fallback_format = own_format(image)
    files = [
        ImageCacheFile(rendition(image, size, format, crop))
        for crop in (None, CARD_CROP, COMPACT_CARD_CROP)
        for size in _sizes(image, crop)
        for format in (fallback_format, "WEBP")
    ]
    return [*files, ImageCacheFile(_social_spec(image))]


def generate_renditions(image):
    """Makes every rendition now (after an upload, a moved focal point, or by the demo loader) so no reader
    waits for one.

    On S3 pages assume renditions exist (imagekit's Optimistic strategy): this is where they are made.
    """
    try:
        with image.file.open("rb") as source:
            decoded = open_image(source)
            decoded.load()
        _decoded[image.file.name] = decoded
        for file in rendition_files(image):
            file.generate()
    except (OSError, ValueError, SyntaxError):
        logger.exception("Renditions of image %s could not be made", image.pk)
    finally:
        _decoded.pop(image.file.name, None)
    for crop in (None, CARD_CROP, COMPACT_CARD_CROP):
        responsive_image(image, crop)


SOCIAL_IMAGE_SIZE = (SOCIAL_CROP.ratio_width, SOCIAL_CROP.ratio_height)


@dataclass(frozen=True)
class SocialRendition:
    url: str
    width: int
    height: int


def social_size(image):
    """1200×630, or for a smaller photo the largest 1.905:1 box it holds (an 800×600 photo gives 800×420)."""
    box_width, box_height = crop_size(image.width, image.height, SOCIAL_CROP)
    return SOCIAL_IMAGE_SIZE if box_width >= SOCIAL_IMAGE_SIZE[0] else (box_width, box_height)


def _social_spec(image):
    return rendition(image, social_size(image), own_format(image), SOCIAL_CROP)


def social_rendition(image):
    """The crop for link previews and JSON-LD, with its exact size."""
    if not image.width or not image.height:
        return SocialRendition(image.file.url, image.width, image.height)
    try:
        url = ImageCacheFile(_social_spec(image)).url
    except (OSError, ValueError, SyntaxError):
        logger.exception("Social rendition of image %s could not be made; using the original", image.pk)
        return SocialRendition(image.file.url, image.width, image.height)
    return SocialRendition(url, *social_size(image))
