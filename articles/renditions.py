"""Responsive renditions of library photos: several widths, in WebP and in the photo's own format.

django-imagekit makes each rendition on first use and remembers in the cache that it exists, so a page
costs no database query and no file-system call per photo once warm.
"""

import logging
from dataclasses import dataclass

from imagekit import ImageSpec, register
from imagekit.cachefiles import ImageCacheFile
from imagekit.processors import ResizeToFit

logger = logging.getLogger(__name__)

RENDITION_WIDTHS = (480, 800, 1200, 1600)
FALLBACK_FORMATS = {"jpg": "JPEG", "jpeg": "JPEG", "png": "PNG", "webp": "WEBP", "gif": "PNG"}


class Rendition(ImageSpec):
    options = {"quality": 82}

    def __init__(self, source, width, format):
        self.processors = [ResizeToFit(width=width, upscale=False)]
        self.format = format
        super().__init__(source=source)


# Only registered generators get their files made on first use.
register.generator("articles:rendition", Rendition)


@dataclass(frozen=True)
class ResponsiveImage:
    src: str
    srcset: str
    webp_srcset: str
    width: int
    height: int
    smallest: str  # for thumbnails in lists and pickers


def rendition_widths(image):
    return [width for width in RENDITION_WIDTHS if width < image.width] + [image.width]


def _srcset(image, widths, format):
    return ", ".join(
        f"{ImageCacheFile(Rendition(image.file, width, format)).url} {width}w" for width in widths
    )


# Working out a rendition's name means hashing its spec (a pickle); the result never changes for a file name
# and size, so each process remembers it, as django-imagekit itself remembers that the file exists.
_made = {}
_MADE_LIMIT = 4096


def responsive_image(image):
    """URLs and intrinsic size for ``<picture>``; the original file alone if renditions cannot be made."""
    key = (image.file.name, image.width, image.height)
    if key not in _made:
        if len(_made) >= _MADE_LIMIT:
            _made.clear()
        rendition = _make_responsive_image(image)
        if rendition.srcset:
            _made[key] = rendition
        return rendition
    return _made[key]


def _make_responsive_image(image):
    extension = image.file.name.rsplit(".", 1)[-1].lower()
    fallback_format = FALLBACK_FORMATS.get(extension, "JPEG")
    widths = rendition_widths(image)
    try:
        srcset = _srcset(image, widths, fallback_format)
        webp_srcset = _srcset(image, widths, "WEBP")
        default_width = next((width for width in widths if width >= 800), widths[-1])
        src = ImageCacheFile(Rendition(image.file, default_width, fallback_format)).url
        smallest = ImageCacheFile(Rendition(image.file, widths[0], "WEBP")).url
    except (OSError, ValueError, SyntaxError):
        logger.exception("Renditions of image %s could not be made; serving the original", image.pk)
        return ResponsiveImage(image.file.url, "", "", image.width, image.height, image.file.url)
    return ResponsiveImage(src, srcset, webp_srcset, image.width, image.height, smallest)


def rendition_files(image):
    """Every rendition the pages use: each width, in WebP and in the photo's own format."""
    fallback_format = FALLBACK_FORMATS.get(image.file.name.rsplit(".", 1)[-1].lower(), "JPEG")
    return [
        ImageCacheFile(Rendition(image.file, width, format))
        for width in rendition_widths(image)
        for format in (fallback_format, "WEBP")
    ]


def generate_renditions(image):
    """Makes every rendition now (after an upload or by the demo loader) so no reader waits for one.

    On S3 pages assume renditions exist (imagekit's Optimistic strategy): this is where they are made.
    """
    try:
        for rendition in rendition_files(image):
            rendition.generate()
    except (OSError, ValueError, SyntaxError):
        logger.exception("Renditions of image %s could not be made", image.pk)
    responsive_image(image)


SOCIAL_IMAGE_WIDTH = 1200  # what Facebook, X and Google Discover ask for


@dataclass(frozen=True)
class SocialRendition:
    url: str
    width: int
    height: int


def social_rendition(image):
    """A single large rendition for link previews and JSON-LD, with its exact size."""
    width = min(SOCIAL_IMAGE_WIDTH, image.width) or SOCIAL_IMAGE_WIDTH
    height = round(image.height * width / image.width) if image.width else 0
    extension = image.file.name.rsplit(".", 1)[-1].lower()
    try:
        url = ImageCacheFile(Rendition(image.file, width, FALLBACK_FORMATS.get(extension, "JPEG"))).url
    except (OSError, ValueError, SyntaxError):
        logger.exception("Social rendition of image %s could not be made; using the original", image.pk)
        return SocialRendition(image.file.url, image.width, image.height)
    return SocialRendition(url, width, height)
