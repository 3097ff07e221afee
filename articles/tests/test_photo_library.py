"""The photo library: the grid, its search and filters and query budget, the bulk upload, the batch's details
screen, and photos awaiting their description kept out of articles (``ImageAdmin``, ``photo_library``)."""

import re
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, Image
from articles.photo_library import MAX_BATCH
from articles.renditions import rendition_files
from articles.tests.factories import ArticleFactory, ImageFactory, jpeg_bytes
from articles.tests.test_uploads import image_bytes, single_colour_png
from articles.tests.test_workflow import CHANGELIST, article_form
from articles.uploads import DAMAGED, MAX_UPLOAD_BYTES, NOT_A_PHOTO, TOO_LARGE, TOO_MANY_PIXELS

pytestmark = pytest.mark.django_db

LIBRARY = "/admin/articles/image/"
BULK = "/admin/articles/image/otpremanje/"
UPLOAD = "/admin/articles/image/otpremanje/fajl/"
DETAILS = "/admin/articles/image/opis/"
PICKER = "/admin/articles/image/izbor/"


def staff_client(user, **client_options):
    client = Client(**client_options)
    client.force_login(user)
    return client


@pytest.fixture
def editor_user(django_user_model):
    user = django_user_model.objects.create_user("urednica", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name="Urednici"))
    return user


@pytest.fixture
def editor(editor_user):
    return staff_client(editor_user)


def tiles(page):
    return re.findall(r'<tr class="photo-library__tile">(.*?)</tr>', page, re.DOTALL)


def jpeg_upload(name="most.jpg", width=640, height=480):
    return SimpleUploadedFile(name, jpeg_bytes(width, height), content_type="image/jpeg")


# The grid.


def test_grid_shows_each_photo_with_its_thumbnail_size_credit_badges_and_where_used(editor):
    used = ImageFactory(caption="Most na Savi", credit="Ana Ilić", restriction=Image.Restriction.EDITORIAL)
    ArticleFactory(hero_image=used)
    ArticleFactory(body=f'<p>Tekst</p><figure data-image-id="{used.pk}"></figure>')
    ImageFactory(caption="Prazan trg", credit="")
    Image.objects.create(file=jpeg_upload(), alt_text="", awaiting_details=True)

    response = editor.get(LIBRARY)
    page = response.content.decode()
    assert response.status_code == 200
    assert len(tiles(page)) == 3
    bridge = next(tile for tile in tiles(page) if "Most na Savi" in tile)
    assert re.search(r'<img class="photo-tile__thumb" src="[^"]+" alt="" width="1200" height="800"', bridge)
    assert 'loading="lazy"' in bridge
    assert "1200 × 800 px" in bridge and "Foto: Ana Ilić" in bridge
    assert "Samo za uredničku upotrebu" in bridge and "čeka opis" not in bridge
    assert f'href="/admin/articles/article/?fotografija={used.pk}">u člancima: 2</a>' in bridge
    assert f'href="/admin/articles/image/{used.pk}/change/"' in bridge
    square = next(tile for tile in tiles(page) if "Prazan trg" in tile)
    assert "nije u člancima" in square and "Foto:" not in square
    awaiting = next(tile for tile in tiles(page) if "(bez opisa)" in tile)
    assert "čeka opis" in awaiting and "640 × 480 px" in awaiting
    # Selection and actions still work: a checkbox per tile, the select-all box and the actions menu.
    assert page.count('class="action-select"') == 3 and 'id="action-toggle"' in page
    assert 'name="action"' in page
    assert f'href="{BULK}"' in page  # the bulk upload, from the library


def test_where_used_link_lists_the_articles_that_show_the_photo(editor):
    image = ImageFactory()
    hero = ArticleFactory(title="Naslov sa fotografijom", hero_image=image)
    inline = ArticleFactory(
        title="Fotografija u tekstu", body=f'<figure data-image-id="{image.pk}"></figure>'
    )
    ArticleFactory(title="Bez fotografije")
    page = editor.get(CHANGELIST, {"fotografija": image.pk}).content.decode()
    assert hero.title in page and inline.title in page and "Bez fotografije" not in page


@pytest.mark.parametrize("value", ["abc", "-1", "1.5", "99999999999", "１", "1 OR 1=1"], ids=str)
def test_where_used_filter_with_a_bad_photo_number_is_refused_by_the_admin(editor, value):
    response = editor.get(CHANGELIST, {"fotografija": value})
    assert response.status_code == 302 and response.url.endswith("?e=1")


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("skupština", "Sednica"),  # a keyword only
        ("Marković", "Sednica"),  # the credit
        ("kišobrani", "Kišobrani"),  # the caption
        ("devojčica", "Kišobrani"),  # the alt text
    ],
    ids=["keyword", "credit", "caption", "alt text"],
)
def test_search_finds_photos_by_keyword_credit_caption_and_alt_text(editor, words, expected):
    ImageFactory(caption="Sednica", keywords="skupština, poslanici", credit="Jovan Marković")
    ImageFactory(caption="Kišobrani na Knez Mihailovoj", alt_text="Devojčica sa žutim kišobranom")
    ImageFactory(caption="Pogled sa Kalemegdana", credit="Tanjug")
    found = tiles(editor.get(LIBRARY, {"q": words}).content.decode())
    assert len(found) == 1 and expected in found[0]


def test_each_filter_narrows_the_grid(editor, editor_user, django_user_model):
    other = django_user_model.objects.create_user("fotograf", is_staff=True)
    ImageFactory(caption="Agencijska", restriction=Image.Restriction.EDITORIAL, uploaded_by=other)
    ImageFactory(caption="Naša", uploaded_by=editor_user)
    Image.objects.create(file=jpeg_upload(), alt_text="", awaiting_details=True, uploaded_by=editor_user)
    old = ImageFactory(caption="Stara")
    Image.objects.filter(pk=old.pk).update(uploaded_at=timezone.now() - timedelta(days=400))

    def captions(**query):
        response = editor.get(LIBRARY, query)
        assert response.status_code == 200
        return sorted(
            re.sub(r"\s+", " ", match).strip()
            for match in re.findall(r'class="photo-tile__caption">(.*?)</span>', response.content.decode())
        )

    assert captions(restriction__exact="editorial") == ["Agencijska"]
    assert captions(uploaded_by__id__exact=other.pk) == ["Agencijska"]
    assert captions(uploaded_by__id__exact=editor_user.pk) == ["(bez opisa)", "Naša"]
    assert captions(awaiting_details__exact="1") == ["(bez opisa)"]
    assert captions(awaiting_details__exact="0") == ["Agencijska", "Naša", "Stara"]
    year = timezone.localtime(Image.objects.get(pk=old.pk).uploaded_at).year
    assert "Stara" in captions(uploaded_at__year=year)
    assert "Naša" not in captions(uploaded_at__year=year)


def test_filters_offer_restriction_uploader_date_and_awaiting_description(editor, editor_user):
    ImageFactory(uploaded_by=editor_user, restriction=Image.Restriction.THIS_ARTICLE)
    page = editor.get(LIBRARY).content.decode()
    assert "?restriction__exact=this_article" in page
    assert f"?uploaded_by__id__exact={editor_user.pk}" in page
    assert "?awaiting_details__exact=1" in page
    assert "?uploaded_at__year=" in page  # the dates above the grid


def bulk_photos(count, uploader, prefix):
    """Rows only (their files need not exist: the grid then shows the original's address)."""
    Image.objects.bulk_create(
        Image(
            file=f"photos/2026/12/{prefix}-{n}.jpg",
            width=1200,
            height=800,
            alt_text=f"Fotografija {n}",
            caption=f"Potpis {n}",
            uploaded_by=uploader if n % 2 else None,
        )
        for n in range(count)
    )


def test_the_library_page_runs_a_fixed_number_of_queries_with_10000_photos(editor, editor_user):
    used = ImageFactory()
    ArticleFactory(hero_image=used)
    ArticleFactory(body=f'<figure data-image-id="{used.pk}"></figure>')

    def library_queries():
        editor.get(LIBRARY)
        with CaptureQueriesContext(connection) as queries:
            response = editor.get(LIBRARY)
        assert response.status_code == 200
        return len(queries), response.content.decode()

    bulk_photos(29, editor_user, "malo")
    few, page = library_queries()
    assert len(tiles(page)) == 30
    bulk_photos(9970, editor_user, "mnogo")
    assert Image.objects.count() == 10_000
    many, page = library_queries()
    assert len(tiles(page)) == 48
    assert many == few
    # The photo shown in two articles says so on the last page, in the same budget.
    with CaptureQueriesContext(connection) as queries:
        last = editor.get(LIBRARY, {"p": "209"}).content.decode()
    assert len(queries) == few
    assert "u člancima: 2" in last


# The bulk upload: one file per request, each checked as the single-photo form checks it.


def test_a_good_photo_is_stored_awaiting_its_description_with_its_renditions(editor, editor_user):
    response = editor.post(UPLOAD, {"file": jpeg_upload("Most na Savi.jpg", 900, 600)})
    assert response.status_code == 201
    image = Image.objects.get()
    assert response.json() == {"id": image.pk, "thumb": response.json()["thumb"], "width": 900, "height": 600}
    assert image.awaiting_details and image.alt_text == "" and image.uploaded_by == editor_user
    assert image.file.name.endswith(".jpg") and "most-na-savi" in image.file.name
    assert all(rendition.storage.exists(rendition.name) for rendition in rendition_files(image))


REFUSALS = [
    ("svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "x.jpg", NOT_A_PHOTO),
    ("pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF", "x.jpg", NOT_A_PHOTO),
    ("bmp", image_bytes("BMP"), "x.bmp", NOT_A_PHOTO),
    ("tiff", image_bytes("TIFF"), "x.jpg", NOT_A_PHOTO),
    ("empty", b"", "x.jpg", NOT_A_PHOTO),
    ("truncated jpeg", jpeg_bytes(800, 600)[:2000], "x.jpg", DAMAGED),
    ("too many pixels", single_colour_png(10_000, 5_001), "x.png", TOO_MANY_PIXELS),
    ("too large", jpeg_bytes(200, 200) + b"\0" * (MAX_UPLOAD_BYTES - 1000), "x.jpg", TOO_LARGE),
]


@pytest.mark.parametrize(
    ("content", "name", "reason"),
    [refusal[1:] for refusal in REFUSALS],
    ids=[refusal[0] for refusal in REFUSALS],
)
def test_each_refused_file_gets_its_reason_and_leaves_nothing(editor, content, name, reason):
    response = editor.post(UPLOAD, {"file": SimpleUploadedFile(name, content, content_type="image/jpeg")})
    assert response.status_code == 400
    assert response.json() == {"error": reason}
    assert not Image.objects.exists()


def test_refusals_come_file_by_file_in_a_batch(editor):
    answers = [
        editor.post(UPLOAD, {"file": SimpleUploadedFile(name, content, content_type="image/jpeg")})
        for name, content in [
            ("prva.jpg", jpeg_bytes(300, 200)),
            ("skripta.jpg", b"<script>alert(1)</script>"),
            ("druga.png", image_bytes("PNG")),
        ]
    ]
    assert [answer.status_code for answer in answers] == [201, 400, 201]
    assert answers[1].json()["error"] == NOT_A_PHOTO
    assert Image.objects.awaiting_details().count() == 2


@pytest.mark.parametrize(
    "files",
    [{}, {"file": [jpeg_upload("a.jpg"), jpeg_upload("b.jpg")]}, {"drugo": jpeg_upload()}],
    ids=["no file", "two files", "wrong field"],
)
def test_upload_without_exactly_one_file_is_refused(editor, files):
    response = editor.post(UPLOAD, files)
    assert response.status_code == 400
    assert response.json() == {"error": "Pošaljite jednu fotografiju po zahtevu."}
    assert not Image.objects.exists()


def test_upload_answers_only_post(editor):
    assert editor.get(UPLOAD).status_code == 405
    assert editor.put(UPLOAD).status_code == 405


def test_upload_needs_the_add_permission(django_user_model):
    viewer = django_user_model.objects.create_user("posmatrac", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_image"))
    client = staff_client(viewer)
    response = client.post(UPLOAD, {"file": jpeg_upload()})
    assert response.status_code == 403
    assert response.json() == {"error": "Nemate dozvolu da dodajete fotografije."}
    assert client.get(BULK).status_code == 403
    assert not Image.objects.exists()


def test_upload_needs_the_csrf_token(editor_user):
    client = staff_client(editor_user, enforce_csrf_checks=True)
    assert client.post(UPLOAD, {"file": jpeg_upload()}).status_code == 403
    page = client.get(BULK).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = client.post(UPLOAD, {"file": jpeg_upload()}, headers={"X-CSRFToken": token})
    assert response.status_code == 201
    assert Image.objects.count() == 1


def test_readers_are_sent_to_sign_in(client, django_user_model):
    reader = django_user_model.objects.create_user("citalac")
    client.force_login(reader)
    assert client.post(UPLOAD, {"file": jpeg_upload()}).status_code == 302
    assert not Image.objects.exists()


def test_bulk_upload_page_has_the_multi_file_picker_and_its_script(editor):
    page = editor.get(BULK).content.decode()
    assert re.search(
        r'<input class="bulk-upload__input" id="bulk-upload-files" type="file" name="files"', page
    )
    assert "multiple" in page and f'data-upload-url="{UPLOAD}"' in page
    assert "admin/js/bulk_upload.js" in page
    assert "<script>" not in page.split("</head>")[1]  # no inline script (the CSP forbids it)


def test_bulk_upload_without_script_stores_the_good_files_and_says_why_the_others_were_refused(editor):
    files = [
        jpeg_upload("jutro.jpg"),
        SimpleUploadedFile("lazna.jpg", b"GIF89a nije slika", content_type="image/jpeg"),
        jpeg_upload("vece.jpg"),
    ]
    response = editor.post(BULK, {"files": files})
    page = response.content.decode()
    assert response.status_code == 400  # one file was refused
    assert page.count("bulk-upload__item--stored") == 2
    assert f"Odbijena: {NOT_A_PHOTO}" in page
    ids = ",".join(str(pk) for pk in Image.objects.order_by("pk").values_list("pk", flat=True))
    assert f'href="{DETAILS}?ids={ids}"' in page


def test_bulk_upload_without_files_says_so(editor):
    response = editor.post(BULK, {})
    assert response.status_code == 400
    assert "Niste izabrali nijednu fotografiju." in response.content.decode()


# The batch's details screen.


def awaiting_photos(count, uploader=None):
    return [
        Image.objects.create(
            file=jpeg_upload(f"nova-{n}.jpg"), alt_text="", awaiting_details=True, uploaded_by=uploader
        )
        for n in range(count)
    ]


def details_url(photos):
    return f"{DETAILS}?ids={','.join(str(photo.pk) for photo in photos)}"


def details_data(photos, rows=None, **batch):
    data = {
        "form-TOTAL_FORMS": str(len(photos)),
        "form-INITIAL_FORMS": str(len(photos)),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "sve-credit": batch.get("credit", ""),
        "sve-restriction": batch.get("restriction", ""),
    }
    for index, photo in enumerate(photos):
        row = {
            "id": str(photo.pk),
            "alt_text": f"Opis fotografije {index}",
            "caption": f"Potpis {index}",
            "credit": "",
            "keywords": "",
            "restriction": "",
            "restriction_note": "",
            **((rows or {}).get(index, {})),
        }
        data.update({f"form-{index}-{name}": value for name, value in row.items()})
    return data


def test_details_screen_shows_each_photo_with_its_fields_and_the_batch_fields(editor):
    photos = awaiting_photos(3)
    response = editor.get(details_url(photos))
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('class="batch-details__thumb"') == 3
    for index in range(3):
        for name in ["alt_text", "caption", "credit", "keywords", "restriction", "restriction_note"]:
            assert f'name="form-{index}-{name}"' in page
    assert 'name="sve-credit"' in page and 'name="sve-restriction"' in page
    assert "Fotografija 3 od 3" in page


def test_details_are_saved_for_the_whole_batch_with_the_batch_credit_and_restriction(editor):
    photos = awaiting_photos(3)
    data = details_data(
        photos,
        rows={1: {"credit": "Neko drugi", "keywords": "most, reka", "restriction": "editorial"}},
        credit="Ana Ilić",
        restriction="this_article",
    )
    response = editor.post(details_url(photos), data)
    assert response.status_code == 302 and response.url == LIBRARY
    saved = list(Image.objects.order_by("pk"))
    assert [image.alt_text for image in saved] == [f"Opis fotografije {n}" for n in range(3)]
    assert {image.credit for image in saved} == {"Ana Ilić"}
    assert {image.restriction for image in saved} == {Image.Restriction.THIS_ARTICLE}
    assert saved[1].keywords == "most, reka"
    assert not any(image.awaiting_details for image in saved)
    messages = [str(message) for message in response.wsgi_request._messages]
    assert messages == ["Sačuvani opisi fotografija: 3."]


def test_empty_batch_values_keep_each_photos_own_and_no_restriction_clears_them(editor):
    photos = awaiting_photos(2)
    rows = {0: {"credit": "Prvi", "restriction": "editorial"}, 1: {"credit": "Drugi"}}
    editor.post(details_url(photos), details_data(photos, rows=rows))
    assert list(Image.objects.order_by("pk").values_list("credit", "restriction")) == [
        ("Prvi", "editorial"),
        ("Drugi", ""),
    ]
    editor.post(details_url(photos), details_data(photos, rows=rows, restriction="bez"))
    assert set(Image.objects.values_list("restriction", flat=True)) == {""}


@pytest.mark.parametrize(
    ("rows", "batch", "message"),
    [
        ({1: {"alt_text": ""}}, {}, "Upišite šta se vidi na fotografiji (opis je obavezan)."),
        ({1: {"alt_text": "   "}}, {}, "Upišite šta se vidi na fotografiji (opis je obavezan)."),
        ({2: {"restriction": "nepoznato"}}, {}, "nije"),
        ({0: {"credit": "x" * 201}}, {}, "200"),
        ({}, {"credit": "x" * 201}, "Autor je predugačak: najviše 200 znakova."),
        ({}, {"restriction": "sve"}, "Izaberite ograničenje sa spiska."),
        ({1: {"id": "999999"}}, {}, ""),
    ],
    ids=["blank alt", "spaces alt", "unknown restriction", "long credit", "long batch credit",
         "bad batch restriction", "foreign id"],
)  # fmt: skip
def test_an_invalid_row_saves_nothing_and_says_what_to_fix(editor, rows, batch, message):
    photos = awaiting_photos(3)
    response = editor.post(details_url(photos), details_data(photos, rows=rows, **batch))
    page = response.content.decode()
    assert response.status_code == 400
    assert "Ispravite greške ispod; nijedna fotografija nije sačuvana." in page
    assert message in page
    assert Image.objects.awaiting_details().count() == 3
    assert set(Image.objects.values_list("alt_text", flat=True)) == {""}


def test_a_row_for_a_photo_outside_the_batch_is_refused(editor):
    photos = awaiting_photos(2)
    outsider = ImageFactory(caption="Tuđa")
    data = details_data(photos, rows={1: {"id": str(outsider.pk)}})
    response = editor.post(details_url(photos), data)
    assert response.status_code == 400
    assert Image.objects.get(pk=outsider.pk).caption == "Tuđa"
    assert Image.objects.awaiting_details().count() == 2


@pytest.mark.parametrize(
    ("forms", "initial"),
    [("3", "3"), ("1000", "2"), ("2", "0"), ("x", "2"), ("-1", "2")],
    ids=["more rows than photos", "huge total", "rows as new photos", "not a number", "negative"],
)
def test_a_tampered_management_form_saves_nothing(editor, forms, initial):
    photos = awaiting_photos(2)
    data = {**details_data(photos), "form-TOTAL_FORMS": forms, "form-INITIAL_FORMS": initial}
    response = editor.post(details_url(photos), data)
    assert response.status_code == 400
    assert Image.objects.awaiting_details().count() == 2 and Image.objects.count() == 2


@pytest.mark.parametrize(
    ("ids", "status", "message"),
    [
        (None, 400, "Nije izabrana nijedna fotografija za opis."),
        ("", 400, "Nije izabrana nijedna fotografija za opis."),
        ("a,b", 400, "Spisak fotografija nije ispravan"),
        ("1;2", 400, "Spisak fotografija nije ispravan"),
        ("1,,2", 400, "Spisak fotografija nije ispravan"),
        ("0", 400, "Spisak fotografija nije ispravan"),
        ("-3", 400, "Spisak fotografija nije ispravan"),
        ("99999999999", 400, "Spisak fotografija nije ispravan"),
        ("１,２", 400, "Spisak fotografija nije ispravan"),
        ("1\x00", 400, "Spisak fotografija nije ispravan"),
        (",".join(str(n) for n in range(1, MAX_BATCH + 2)), 400, "najviše 100 fotografija"),
        (",".join(["7"] * 5000), 400, "najviše 100 fotografija"),
        ("424242", 404, "ne postoje u biblioteci"),
    ],
    ids=["missing", "empty", "letters", "semicolon", "empty item", "zero", "negative", "too big",
         "fullwidth digits", "nul byte", "101 photos", "very long", "not existing"],
)  # fmt: skip
def test_bad_ids_get_a_clear_answer(editor, ids, status, message):
    query = {} if ids is None else {"ids": ids}
    for response in (editor.get(DETAILS, query), editor.post(f"{DETAILS}?{urlencode(query)}", {})):
        assert response.status_code == status
        assert message in response.content.decode()


def test_one_missing_photo_in_the_batch_refuses_the_screen(editor):
    photos = awaiting_photos(2)
    response = editor.get(f"{details_url(photos)},{photos[-1].pk + 100}")
    assert response.status_code == 404


def test_details_screen_needs_the_change_permission(django_user_model):
    viewer = django_user_model.objects.create_user("posmatrac", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_image"))
    photos = awaiting_photos(1)
    client = staff_client(viewer)
    assert client.get(details_url(photos)).status_code == 403
    assert client.post(details_url(photos), details_data(photos)).status_code == 403
    assert Image.objects.get().awaiting_details


def test_the_add_form_shows_no_zero_size_and_the_change_form_shows_the_real_one(editor, editor_user):
    add_page = editor.get(f"{LIBRARY}add/").content.decode()
    assert "Širina" not in add_page and "Visina" not in add_page
    assert 'name="keywords"' in add_page
    response = editor.post(
        f"{LIBRARY}add/",
        {"file": jpeg_upload("trg.jpg", 640, 480), "alt_text": "Trg", "keywords": "trg, grad"},
    )
    assert response.status_code == 302
    image = Image.objects.get()
    assert image.uploaded_by == editor_user and image.keywords == "trg, grad"
    change_page = editor.get(f"{LIBRARY}{image.pk}/change/").content.decode()
    assert re.search(r"Širina:?</label>\s*<div class=\"readonly\">640</div>", change_page)


def test_describing_an_awaiting_photo_in_its_own_form_makes_it_usable(editor):
    [photo] = awaiting_photos(1)
    data = {"alt_text": "Opis", "caption": "", "credit": "", "keywords": "", "restriction": ""}
    response = editor.post(f"{LIBRARY}{photo.pk}/change/", {**data, "restriction_note": ""})
    assert response.status_code == 302
    assert not Image.objects.get().awaiting_details


# Photos awaiting their description cannot go into articles.


def test_pickers_do_not_offer_photos_awaiting_their_description(editor):
    described = ImageFactory(caption="Most na Savi")
    [awaiting] = awaiting_photos(1)
    Image.objects.filter(pk=awaiting.pk).update(caption="Most na Dunavu")
    found = editor.get(PICKER, {"q": "most"}).json()["results"]
    assert [photo["id"] for photo in found] == [described.pk]
    by_ids = editor.get(PICKER, {"ids": f"{awaiting.pk},{described.pk}"}).json()["results"]
    assert [photo["id"] for photo in by_ids] == [described.pk]


def test_queryset_tells_described_from_awaiting_photos():
    described = ImageFactory()
    [awaiting] = awaiting_photos(1)
    assert list(Image.objects.described()) == [described]
    assert list(Image.objects.awaiting_details()) == [awaiting]


@pytest.mark.parametrize("place", ["lead photo", "body", "both"])
def test_article_form_refuses_a_photo_awaiting_its_description(editor, place):
    article = ArticleFactory(status=Article.Status.DRAFT, published_at=None, body="<p>Tekst.</p>")
    [awaiting] = awaiting_photos(1)
    changes = {}
    if place in ("lead photo", "both"):
        changes["hero_image"] = str(awaiting.pk)
    if place in ("body", "both"):
        changes["body"] = f'<p>Tekst.</p><figure data-image-id="{awaiting.pk}"></figure>'
    response = editor.post(f"{CHANGELIST}{article.pk}/change/", article_form(article, **changes))
    page = response.content.decode()
    assert response.status_code == 200
    assert f"Fotografija br. {awaiting.pk} još čeka opis posle otpremanja" in page
    article.refresh_from_db()
    assert article.hero_image_id is None and "figure" not in article.body


def test_article_form_takes_a_described_photo(editor):
    article = ArticleFactory(status=Article.Status.DRAFT, published_at=None, body="<p>Tekst.</p>")
    photo = ImageFactory()
    body = f'<p>Tekst.</p><figure data-image-id="{photo.pk}"></figure>'
    response = editor.post(
        f"{CHANGELIST}{article.pk}/change/", article_form(article, hero_image=str(photo.pk), body=body)
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.hero_image_id == photo.pk and f'data-image-id="{photo.pk}"' in article.body


def test_a_photo_awaiting_its_description_still_has_a_name_in_the_admin(editor):
    [photo] = awaiting_photos(1)
    assert str(photo) == f"Fotografija br. {photo.pk} (čeka opis)"
    page = editor.get(f"{LIBRARY}{photo.pk}/change/").content.decode()
    assert f"Fotografija br. {photo.pk} (čeka opis)" in page


def test_a_row_failing_in_the_database_takes_the_whole_batch_back(editor, monkeypatch):
    photos = awaiting_photos(3)
    saved = []
    original_save = Image.save

    def failing_save(image, *args, **kwargs):
        if len(saved) == 2:
            raise DatabaseError("disk full")
        saved.append(image.pk)
        original_save(image, *args, **kwargs)

    monkeypatch.setattr(Image, "save", failing_save)
    with pytest.raises(DatabaseError):
        editor.post(details_url(photos), details_data(photos, credit="Ana Ilić"))
    monkeypatch.setattr(Image, "save", original_save)
    assert len(saved) == 2
    assert Image.objects.awaiting_details().count() == 3
    assert set(Image.objects.values_list("credit", flat=True)) == {""}
