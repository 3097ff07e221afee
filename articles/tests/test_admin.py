import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from articles.models import Article, Image
from articles.tests.factories import AuthorFactory, SectionFactory, TagFactory, jpeg_bytes
from articles.text import SLUG_TRANSLITERATION

pytestmark = pytest.mark.django_db


def test_editor_uploads_a_photo_and_writes_an_article_that_readers_see(editor_client, settings):
    section = SectionFactory(name="Svet", slug="svet")
    author = AuthorFactory(name="Dragana Živković")
    tag = TagFactory(name="Diplomatija")

    response = editor_client.post(
        "/admin/articles/image/add/",
        {
            "file": SimpleUploadedFile("samit.jpg", jpeg_bytes(1600, 1000), content_type="image/jpeg"),
            "alt_text": "Dva državnika se rukuju ispred zastava",
            "caption": "Susret dvojice državnika u glavnom gradu",
            "credit": "EPA-EFE/KCNA",
            "restriction": "editorial",
            "restriction_note": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    image = Image.objects.get()
    assert (image.width, image.height) == (1600, 1000)
    renditions = list((settings.MEDIA_ROOT / "renditions").rglob("*.webp"))
    # The whole photo, its 16:10 card crop (1600 × 1000) and its 4:3 one (1333 × 1000), each 480, 800, 1200
    # wide and at full width, made at upload.
    assert len(renditions) == 3 * 4

    body = (
        "<p>Dva lidera razmenila su pisma povodom godišnjice.</p>"
        "<p>Saradnja će se „nastaviti zajedničkim naporima“, navodi se u pismu.</p>"
        '<p onmouseover="alert(1)">Treći pasus.</p><script>alert("x")</script>'
    )
    response = editor_client.post(
        "/admin/articles/article/add/",
        {
            "kicker": "Diplomatija",
            "title": "Lideri razmenili pisma o jačanju saradnje",
            "slug": "",
            "lead": "Pisma su razmenjena povodom godišnjice.",
            "body": body,
            "hero_image": image.pk,
            "hero_caption": "",
            "section": section.pk,
            "tags": [tag.pk],
            "status": "published",
            "published_at_0": "",
            "published_at_1": "",
            "updated_at_0": "",
            "updated_at_1": "",
            "comments_enabled": "on",
            "seo_description": "",
            "articleauthor_set-TOTAL_FORMS": "1",
            "articleauthor_set-INITIAL_FORMS": "0",
            "articleauthor_set-MIN_NUM_FORMS": "0",
            "articleauthor_set-MAX_NUM_FORMS": "1000",
            "articleauthor_set-0-author": author.pk,
            "articleauthor_set-0-position": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    article = Article.objects.get()
    assert article.slug == "lideri-razmenili-pisma-o-jacanju-saradnje"
    assert "onmouseover" not in article.body and "<script" not in article.body

    page = editor_client.get(article.get_absolute_url()).content.decode()
    for expected in [
        "Lideri razmenili pisma o jačanju saradnje",
        "Susret dvojice državnika u glavnom gradu",
        "Foto: EPA-EFE/KCNA",
        "EDITORIAL USE ONLY",
        "„nastaviti zajedničkim naporima“",
        "Dragana Živković",
        "Pratite nas",
        "PDF izdanje",
        'id="komentari"',
    ]:
        assert expected in page, expected
    assert "Pregled: nije objavljeno" not in page


def test_article_form_carries_the_server_slug_table_for_the_browser(editor_client):
    page = editor_client.get("/admin/articles/article/add/").content.decode()
    assert 'id="slug-transliteration"' in page
    assert "serbian_slug.js" in page
    assert SLUG_TRANSLITERATION["đ"] == "dj"


def test_photo_without_alt_text_is_refused_with_a_message(editor_client):
    response = editor_client.post(
        "/admin/articles/image/add/",
        {"file": SimpleUploadedFile("a.jpg", jpeg_bytes(), content_type="image/jpeg"), "alt_text": ""},
    )
    assert response.status_code == 200
    assert "Ovo polje se mora popuniti." in response.content.decode()
    assert not Image.objects.exists()


def test_upload_that_is_not_an_image_is_refused(editor_client):
    response = editor_client.post(
        "/admin/articles/image/add/",
        {
            "file": SimpleUploadedFile("a.jpg", b"<svg onload=alert(1)>", content_type="image/jpeg"),
            "alt_text": "x",
        },
    )
    assert response.status_code == 200
    assert not Image.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        "/admin/articles/article/",
        "/admin/articles/article/add/",
        "/admin/articles/image/",
        "/admin/articles/section/",
        "/admin/articles/author/",
        "/admin/articles/tag/",
        "/admin/articles/sitesettings/",
    ],
)
def test_admin_pages_answer_for_an_administrator(admin_client, url):
    assert admin_client.get(url).status_code == 200


def test_readers_cannot_reach_the_admin(client):
    response = client.get("/admin/articles/article/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
