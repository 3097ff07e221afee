"""Attacks through the photo library's upload, posted to the admin the way an editor's browser would.

A refused file leaves neither a row nor a file behind and the form says why in Serbian; a file that is a
valid image with something hidden in it (a polyglot) is stored only as the image re-encoded from its pixels,
under a name we make, and served as an image that browsers may not sniff as anything else.
"""

import io
import struct
import zipfile
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PillowImage

from articles.models import Image
from articles.tests.factories import ImageFactory, jpeg_bytes
from articles.uploads import DAMAGED, MAX_UPLOAD_BYTES, NOT_A_PHOTO, TOO_LARGE, TOO_MANY_PIXELS

pytestmark = pytest.mark.django_db

ADD = "/admin/articles/image/add/"
SCRIPT = b"<script>alert(document.domain)</script>"


def upload(editor_client, content, name="foto.jpg", content_type="image/jpeg", alt_text="Most u sumrak"):
    return editor_client.post(
        ADD,
        {
            "file": SimpleUploadedFile(name, content, content_type=content_type),
            "alt_text": alt_text,
            "caption": "",
            "credit": "",
            "restriction": "",
            "restriction_note": "",
        },
    )


def stored_files(settings):
    if not settings.MEDIA_ROOT.exists():
        return []
    return [path for path in settings.MEDIA_ROOT.rglob("*") if path.is_file()]


def assert_refused(response, message, settings):
    assert response.status_code == 200  # the form again, with the error
    page = response.content.decode()
    assert message in page
    assert "Molimo ispravite" in page or "ispravite" in page.lower()
    assert Image.objects.count() == 0
    assert stored_files(settings) == []


def png_header_only(width, height):
    """A PNG that declares its size and holds almost no data: what a decompression bomb looks like to us."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\0" * 1024)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def gif_bytes():
    buffer = io.BytesIO()
    PillowImage.new("P", (40, 30), 3).save(buffer, format="GIF")
    return buffer.getvalue()


def test_decompression_bomb_is_refused_before_its_pixels_are_decoded(editor_client, settings):
    response = upload(editor_client, png_header_only(30_000, 30_000), "bomba.png", "image/png")
    assert_refused(response, TOO_MANY_PIXELS, settings)


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (jpeg_bytes(800, 600)[:3000], "prekinuto.jpg"),
        (png_header_only(2000, 2000)[:-12], "prekinuto.png"),
    ],
    ids=["truncated-jpeg", "truncated-png"],
)
def test_truncated_photo_is_refused(editor_client, settings, content, name):
    assert_refused(upload(editor_client, content, name), DAMAGED, settings)


@pytest.mark.parametrize(
    ("content", "name", "content_type"),
    [
        (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "foto.jpg", "image/jpeg"),
        (b"<!doctype html><html><body>" + SCRIPT + b"</body></html>", "foto.png", "image/png"),
        ("Ovo je samo tekst, a ime kaže da je fotografija.".encode(), "foto.jpg", "image/jpeg"),
        (b"GIF89a" + SCRIPT, "foto.gif", "image/gif"),
        (b"\xff\xd8\xff\xe0" + SCRIPT, "foto.jpg", "image/jpeg"),
        (b"", "prazno.jpg", "image/jpeg"),
    ],
    ids=["svg-as-jpg", "html-as-png", "text-as-jpg", "gif-then-script", "jpeg-then-script", "empty"],
)
def test_file_that_is_not_a_photo_is_refused_whatever_its_name(
    editor_client, settings, content, name, content_type
):
    response = upload(editor_client, content, name, content_type)
    assert Image.objects.count() == 0 and stored_files(settings) == []
    page = response.content.decode()
    assert NOT_A_PHOTO in page or DAMAGED in page or "prazan" in page  # Django says an empty file is empty


def test_file_over_the_size_limit_is_refused(editor_client, settings):
    too_big = jpeg_bytes(200, 200) + b"\0" * (MAX_UPLOAD_BYTES - 1000)
    assert len(too_big) > MAX_UPLOAD_BYTES
    assert_refused(upload(editor_client, too_big, "ogromno.jpg"), TOO_LARGE, settings)


def served(editor_client, image):
    response = editor_client.get(image.file.url)
    content = b"".join(response.streaming_content)
    return response, content


def test_gif_with_html_appended_is_stored_only_as_its_pixels_and_served_as_a_gif(editor_client, settings):
    response = upload(editor_client, gif_bytes() + b"<html><body>" + SCRIPT, "poliglot.gif", "image/gif")
    assert response.status_code == 302
    image = Image.objects.get()
    response, content = served(editor_client, image)
    assert response["Content-Type"] == "image/gif"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert content.startswith(b"GIF8") and b"<script" not in content and b"<html" not in content


def test_jpeg_that_is_also_a_zip_is_stored_as_a_plain_jpeg(editor_client, settings):
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("index.html", SCRIPT)
    polyglot = jpeg_bytes(400, 300) + archive.getvalue()
    assert zipfile.is_zipfile(io.BytesIO(polyglot))

    assert upload(editor_client, polyglot, "poliglot.jpg").status_code == 302
    response, content = served(editor_client, Image.objects.get())
    assert response["Content-Type"] == "image/jpeg"
    assert not zipfile.is_zipfile(io.BytesIO(content)) and b"index.html" not in content


@pytest.mark.parametrize(
    "name",
    [
        "../../etc/passwd.jpg",
        "..\\..\\windows\\win.ini.jpg",
        "<script>alert(1)</script>.jpg",
        '"><img src=x onerror=alert(1)>.jpg',
        "foto.php.jpg",
        "foto.jpg.html",
        ".htaccess",
        "a" * 500 + ".jpg",
        "foto\x00.html.jpg",
        "\u202egpj.lmth",
        "Đurđevdan – Žabljak.jpg",
    ],
)
def test_evil_file_names_never_reach_the_disk(editor_client, settings, name):
    response = upload(editor_client, jpeg_bytes(300, 200), name)
    assert response.status_code == 302, response.content.decode()[:500]
    image = Image.objects.get()
    stored = image.file.name
    assert stored.startswith("photos/") and stored.endswith(".jpg")
    file_name = stored.rsplit("/", 1)[1]
    assert all(char.isascii() and (char.isalnum() or char in "-_.") for char in file_name), stored
    assert file_name.count(".") == 1 and len(stored) <= 100
    media_root = settings.MEDIA_ROOT.resolve()
    assert all(path.resolve().is_relative_to(media_root) for path in stored_files(settings))
    response, _ = served(editor_client, image)
    assert response["Content-Type"] == "image/jpeg"


def test_refused_upload_in_an_edit_keeps_the_stored_photo(editor_client, settings):
    image = ImageFactory()
    before = image.file.name
    response = editor_client.post(
        f"/admin/articles/image/{image.pk}/change/",
        {
            "file": SimpleUploadedFile("zamena.jpg", b"<svg/onload=alert(1)>", content_type="image/jpeg"),
            "alt_text": image.alt_text,
            "caption": "",
            "credit": "",
            "restriction": "",
            "restriction_note": "",
        },
    )
    assert NOT_A_PHOTO in response.content.decode()
    image.refresh_from_db()
    assert image.file.name == before
    assert [path.name for path in stored_files(settings) if path.parent.name != "renditions"] != []


def test_payloads_in_photo_texts_are_escaped_in_the_library(editor_client):
    ImageFactory(alt_text='"><img src=x onerror=alert(1)>', caption="<script>alert(1)</script>")
    page = editor_client.get("/admin/articles/image/").content.decode()
    assert "<script>alert(1)</script>" not in page and "onerror=alert(1)>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
