import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from PIL import Image as PillowImage
from PIL import ImageCms, ImageFile

from articles.forms import ImageAdminForm
from articles.models import Image
from articles.tests.factories import ImageFactory, jpeg_bytes
from articles.uploads import (
    DAMAGED,
    MAX_UPLOAD_BYTES,
    NOT_A_PHOTO,
    TOO_LARGE,
    TOO_MANY_PIXELS,
    UploadRefused,
    prepare_photo,
)

pytestmark = pytest.mark.django_db

FORM_DATA = {
    "alt_text": "Dva državnika se rukuju ispred zastava",
    "caption": "",
    "credit": "",
    "restriction": "",
    "restriction_note": "",
}


def image_bytes(format, size=(300, 200), mode="RGB", color=(40, 90, 140), **options):
    buffer = io.BytesIO()
    PillowImage.new(mode, size, color).save(buffer, format=format, **options)
    return buffer.getvalue()


def single_colour_png(width, height):
    """A valid black-and-white PNG of any size, compressed row by row so the test never holds its pixels."""
    row = b"\0" * (1 + (width + 7) // 8)  # filter byte, then one bit per pixel
    compressor = zlib.compressobj(9)
    pixels = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def upload(content, name="foto.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def decoded(prepared):
    prepared.seek(0)
    photo = PillowImage.open(io.BytesIO(prepared.read()))
    photo.load()
    return photo


def bound_form(file, instance=None):
    return ImageAdminForm(data=FORM_DATA, files={"file": file} if file else {}, instance=instance)


def refusal_message(content, name="foto.jpg"):
    form = bound_form(upload(content, name))
    assert not form.is_valid()
    return form.errors["file"]


@pytest.mark.parametrize(
    ("format", "name", "extension"),
    [
        ("JPEG", "most.jpg", "jpg"),
        ("PNG", "most.png", "png"),
        ("WEBP", "most.webp", "webp"),
        ("GIF", "most.gif", "gif"),
    ],
)
def test_each_allowed_format_is_stored_with_its_size_recorded(format, name, extension):
    form = bound_form(upload(image_bytes(format, size=(640, 360)), name))
    assert form.is_valid(), form.errors
    image = form.save()

    image.refresh_from_db()
    assert (image.width, image.height) == (640, 360)
    assert image.file.name.startswith("photos/")
    assert image.file.name.endswith(f".{extension}")
    with image.file.open("rb") as stored, PillowImage.open(stored) as photo:
        assert photo.format == format


def test_png_named_jpg_is_stored_as_png():
    form = bound_form(upload(image_bytes("PNG"), "snimak.jpg"))
    assert form.is_valid(), form.errors
    image = form.save()
    assert image.file.name.endswith("/snimak.png")


def test_stored_name_is_an_ascii_slug_of_the_original():
    assert (
        prepare_photo(upload(jpeg_bytes(40, 30), "Đoković na Vimbldonu.JPG")).name
        == "djokovic-na-vimbldonu.jpg"
    )
    assert prepare_photo(upload(jpeg_bytes(40, 30), "Шабац.jpeg")).name == "sabac.jpg"
    assert prepare_photo(upload(jpeg_bytes(40, 30), "!!!.jpg")).name == "fotografija.jpg"


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "foto.jpg"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "foto.svg"),
        (b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>", "foto.jpg"),
        (b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF", "foto.jpg"),
        ("Ovo je običan tekst.".encode(), "foto.png"),
    ],
    ids=["svg-named-jpg", "svg", "html-named-jpg", "pdf", "text"],
)
def test_anything_but_a_photo_is_refused(content, name):
    assert refusal_message(content, name) == [NOT_A_PHOTO]


def test_format_pillow_knows_but_we_do_not_allow_is_refused():
    assert refusal_message(image_bytes("BMP"), "foto.bmp") == [NOT_A_PHOTO]
    assert refusal_message(image_bytes("TIFF"), "foto.jpg") == [NOT_A_PHOTO]


def test_truncated_jpeg_is_refused():
    complete = jpeg_bytes(800, 600)
    assert refusal_message(complete[: len(complete) // 2]) == [DAMAGED]


def test_truncated_png_is_refused():
    complete = image_bytes("PNG", size=(800, 600), mode="L", color=None)
    assert refusal_message(complete[: len(complete) // 2], "foto.png") == [DAMAGED]


def test_photo_over_the_megapixel_limit_is_refused_before_its_pixels_are_decoded(monkeypatch):
    def decoding_is_forbidden(self):
        raise AssertionError("the pixels were decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", decoding_is_forbidden)
    bomb = single_colour_png(8000, 8000)  # 64 megapixels, under Pillow's own limit
    assert len(bomb) < 100_000
    assert refusal_message(bomb, "foto.png") == [TOO_MANY_PIXELS]


def test_decompression_bomb_past_pillows_own_limit_gets_the_megapixel_message():
    assert refusal_message(single_colour_png(20_000, 20_000), "foto.png") == [TOO_MANY_PIXELS]


def test_pillows_own_pixel_limit_refuses_instead_of_only_warning(monkeypatch):
    monkeypatch.setattr(PillowImage, "MAX_IMAGE_PIXELS", 300 * 200 - 1)
    assert refusal_message(image_bytes("PNG"), "foto.png") == [TOO_MANY_PIXELS]


def test_photo_just_under_the_megapixel_limit_is_accepted():
    photo = decoded(prepare_photo(upload(single_colour_png(5000, 10_000), "karta.png")))
    assert photo.size == (5000, 10_000)


def test_file_over_25_mb_is_refused_without_being_opened(monkeypatch):
    def opening_is_forbidden(*args, **kwargs):
        raise AssertionError("the file was opened")

    monkeypatch.setattr(PillowImage, "open", opening_is_forbidden)
    assert refusal_message(b"\0" * (MAX_UPLOAD_BYTES + 1)) == [TOO_LARGE]


def test_large_upload_kept_in_a_temporary_file_is_checked_too():
    uploaded = TemporaryUploadedFile("velika.jpg", "image/jpeg", 0, None)
    uploaded.write(jpeg_bytes(1600, 1000))
    uploaded.size = uploaded.tell()
    uploaded.seek(0)
    assert decoded(prepare_photo(uploaded)).size == (1600, 1000)
    uploaded.close()


def test_exif_orientation_is_applied_and_exif_removed():
    exif = PillowImage.Exif()
    exif[0x0112] = 6  # Orientation: the camera was turned, the picture must be rotated 90° clockwise
    exif[0x010F] = "Kamera d.o.o."  # Make
    sideways = image_bytes("JPEG", size=(200, 100), exif=exif)

    prepared = prepare_photo(upload(sideways))

    photo = decoded(prepared)
    assert photo.size == (100, 200)
    assert not photo.getexif()
    assert b"Exif" not in prepared.read()


def test_gps_location_is_removed():
    exif = PillowImage.Exif()
    exif[0x8825] = {1: "N", 2: (44.0, 49.0, 0.0), 3: "E", 4: (20.0, 27.0, 0.0)}  # GPSInfo: Belgrade
    located = image_bytes("JPEG", exif=exif)
    assert PillowImage.open(io.BytesIO(located)).getexif().get_ifd(0x8825)

    prepared = prepare_photo(upload(located))

    assert not decoded(prepared).getexif()
    prepared.seek(0)
    assert b"Exif" not in prepared.read()


@pytest.mark.parametrize("format", ["PNG", "WEBP"])
def test_exif_is_removed_from_png_and_webp(format):
    exif = PillowImage.Exif()
    exif[0x8825] = {2: (44.0, 49.0, 0.0)}
    prepared = prepare_photo(upload(image_bytes(format, exif=exif), f"foto.{format.lower()}"))
    assert not decoded(prepared).getexif()
    prepared.seek(0)
    assert b"Exif" not in prepared.read()


def test_html_appended_to_a_jpeg_does_not_reach_storage():
    polyglot = jpeg_bytes(400, 300) + b"<script>alert(1)</script>"
    form = bound_form(upload(polyglot, "foto.html.jpg"))
    assert form.is_valid(), form.errors
    image = form.save()
    with image.file.open("rb") as stored:
        assert b"<script" not in stored.read()


def test_html_in_a_jpeg_comment_does_not_reach_storage():
    commented = image_bytes("JPEG", comment=b"<script>alert(1)</script>")
    assert b"<script" in commented
    prepared = prepare_photo(upload(commented))
    assert b"<script" not in prepared.read()


def test_html_in_a_gif_comment_does_not_reach_storage():
    commented = image_bytes("GIF", mode="P", color=3, comment=b"<script>alert(1)</script>")
    assert b"<script" in commented
    prepared = prepare_photo(upload(commented, "foto.gif"))
    assert b"<script" not in prepared.read()


def test_colour_profile_is_kept():
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    prepared = prepare_photo(upload(image_bytes("JPEG", icc_profile=srgb)))
    assert decoded(prepared).info["icc_profile"] == srgb


def test_cmyk_jpeg_becomes_rgb_without_its_cmyk_profile():
    cmyk = image_bytes("JPEG", mode="CMYK", color=(0, 100, 200, 0), icc_profile=b"not an RGB profile")
    photo = decoded(prepare_photo(upload(cmyk)))
    assert photo.mode == "RGB"
    assert "icc_profile" not in photo.info


def test_phone_jpeg_with_extra_pictures_is_stored_as_its_first_picture():
    buffer = io.BytesIO()
    main, depth_map = PillowImage.new("RGB", (300, 200), "red"), PillowImage.new("RGB", (300, 200), "blue")
    main.save(buffer, format="MPO", save_all=True, append_images=[depth_map])

    prepared = prepare_photo(upload(buffer.getvalue(), "IMG_0001.JPG"))

    assert prepared.name == "img_0001.jpg"
    photo = decoded(prepared)
    assert (photo.format, photo.size) == ("JPEG", (300, 200))
    assert photo.getpixel((0, 0))[0] > 200


def test_animated_gif_is_stored_as_its_first_frame():
    frames = [PillowImage.new("P", (60, 40), index) for index in (1, 2, 3)]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)

    photo = decoded(prepare_photo(upload(buffer.getvalue(), "animacija.gif")))

    assert (photo.format, photo.size, getattr(photo, "n_frames", 1)) == ("GIF", (60, 40), 1)


def test_transparency_survives():
    prepared = prepare_photo(upload(image_bytes("PNG", mode="RGBA", color=(255, 0, 0, 0)), "foto.png"))
    assert decoded(prepared).getpixel((0, 0))[3] == 0


def test_refused_upload_leaves_nothing_behind(settings):
    form = bound_form(upload(jpeg_bytes()[:2000]))
    assert not form.is_valid()
    assert Image.objects.count() == 0
    assert not settings.MEDIA_ROOT.exists() or not any(
        path.is_file() for path in settings.MEDIA_ROOT.rglob("*")
    )


def test_form_without_a_file_is_refused():
    form = bound_form(None)
    assert not form.is_valid()
    assert "file" in form.errors


def test_editing_without_a_new_file_keeps_the_stored_one():
    image = ImageFactory()
    stored_name = image.file.name

    form = ImageAdminForm(data={**FORM_DATA, "caption": "Novi potpis"}, files={}, instance=image)
    assert form.is_valid(), form.errors
    assert "file" not in form.changed_data
    form.save()

    image.refresh_from_db()
    assert image.caption == "Novi potpis"
    assert image.file.name == stored_name
    assert (image.width, image.height) == (1200, 800)


def test_replacing_the_file_on_edit_goes_through_the_same_checks():
    image = ImageFactory()
    form = ImageAdminForm(data=FORM_DATA, files={"file": upload(b"<svg></svg>", "nova.jpg")}, instance=image)
    assert not form.is_valid()
    assert form.errors["file"] == [NOT_A_PHOTO]


def test_file_field_tells_editors_the_limits():
    assert ImageAdminForm().fields["file"].help_text == (
        "JPEG, PNG, WebP ili GIF, najviše 25 MB i 50 megapiksela. Podaci o lokaciji se uklanjaju."
    )


def test_refusal_is_a_value_error_with_the_editors_message():
    with pytest.raises(UploadRefused, match="oštećen") as refusal:
        prepare_photo(upload(jpeg_bytes()[:3000]))
    assert isinstance(refusal.value, ValueError)
