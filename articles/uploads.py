"""Checks and cleans photos editors upload to the library.

A photo is accepted only if Pillow decodes it completely as one of the allowed formats, whatever its name or
declared content type says. It is then stored re-encoded from its pixels, turned upright, without EXIF, XMP
or comments, so location data and anything smuggled after or inside the image data are gone.
"""

import io
import warnings
from pathlib import Path

from django.core.files.base import ContentFile
from PIL import Image, ImageOps

from .text import serbian_slugify

MAX_UPLOAD_BYTES = 25 * 1024 * 1024
MAX_PIXELS = 50_000_000
ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}

# Phones add depth maps or previews to their JPEGs, which Pillow then reads as MPO; the first picture is
# the photo, and it is stored as a plain JPEG.
STORED_AS = {"MPO": "JPEG"}

# Palette and single-colour transparency live in the image info; everything else there is metadata.
KEPT_INFO = {"transparency"}

ENCODER_OPTIONS = {
    "JPEG": {"quality": 90, "optimize": True, "progressive": True},
    "PNG": {"optimize": True},
    "WEBP": {"quality": 90},
    "GIF": {},
}

# Leaves room for "photos/YYYY/MM/", Django's random suffix and the extension in the 100-character column.
NAME_MAX_LENGTH = 60

NOT_A_PHOTO = "Dozvoljene su samo fotografije u formatima JPEG, PNG, WebP i GIF."
DAMAGED = "Fajl je oštećen ili nepotpun."
TOO_LARGE = "Fotografija je veća od 25 MB."
TOO_MANY_PIXELS = "Fotografija ima više od 50 megapiksela."


class UploadRefused(ValueError):
    """An upload the library will not store; the message says why, for the editor."""


def prepare_photo(uploaded_file):
    """The uploaded photo decoded, turned upright and re-encoded without metadata, ready to store."""
    if uploaded_file.size > MAX_UPLOAD_BYTES:
        raise UploadRefused(TOO_LARGE)
    uploaded_file.seek(0)
    # Pillow only warns below twice its own pixel limit; a bomb must stop here, not merely be logged.
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        photo, format = _decode(uploaded_file)
    return ContentFile(_encode(photo, format), name=_stored_name(uploaded_file.name, format))


def _decode(uploaded_file):
    try:
        # Only the allowed formats' decoders ever see the bytes, so no other Pillow plugin can be reached.
        opened = Image.open(uploaded_file, formats=list(ALLOWED_FORMATS))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise UploadRefused(TOO_MANY_PIXELS) from error
    except (OSError, SyntaxError, ValueError) as error:
        raise UploadRefused(NOT_A_PHOTO) from error
    with opened:
        format = STORED_AS.get(opened.format, opened.format)
        if format not in ALLOWED_FORMATS:
            raise UploadRefused(NOT_A_PHOTO)
        width, height = opened.size
        # Checked on the header, before a single pixel is decoded, and whatever Pillow's global limit is.
        if width * height > MAX_PIXELS:
            raise UploadRefused(TOO_MANY_PIXELS)
        try:
            # Animated GIFs, PNGs and WebPs keep their first frame only: renditions are stills anyway, and
            # decoding every frame would multiply the work the megapixel limit is there to bound.
            opened.load()
            return ImageOps.exif_transpose(opened), format
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise UploadRefused(TOO_MANY_PIXELS) from error
        except (OSError, SyntaxError, ValueError) as error:
            raise UploadRefused(DAMAGED) from error


def _encode(photo, format):
    # A colour profile is no personal data and keeps colours right; it is only kept while it still
    # describes the pixels, so not after a CMYK photo becomes RGB.
    icc_profile = photo.info.get("icc_profile")
    if format == "JPEG" and photo.mode not in ("RGB", "L"):
        photo = photo.convert("RGB")
        icc_profile = None
    # Encoders copy some of the info by themselves (JPEG and GIF comments, for one).
    photo.info = {key: value for key, value in photo.info.items() if key in KEPT_INFO}
    options = dict(ENCODER_OPTIONS[format])
    if icc_profile:
        options["icc_profile"] = icc_profile
    buffer = io.BytesIO()
    photo.save(buffer, format=format, **options)
    return buffer.getvalue()


def _stored_name(original_name, format):
    base = serbian_slugify(Path(original_name or "").stem, max_length=NAME_MAX_LENGTH) or "fotografija"
    return f"{base}.{ALLOWED_FORMATS[format]}"
