"""Steps that browser tests of both apps share."""

from urllib.parse import urlsplit

from django.contrib.auth.models import Permission
from django.urls import reverse
from PIL import Image as PillowImage
from playwright.sync_api import expect


def sign_in(page, base_url, username, password, next_path="/admin/"):
    """Signs in on the admin's login form, as staff do; the browser then shows ``next_path``."""
    page.goto(f"{base_url}{reverse('admin:login')}?next={next_path}")
    page.get_by_label("Korisničko ime").fill(username)
    page.get_by_label("Lozinka").fill(password)
    page.get_by_role("button", name="Prijava").click()


EDITOR_PASSWORD = "lozinka-za-test-1"


def newsroom_editor(django_user_model, username, first_name=""):
    """A staff user with every articles permission, signing in with ``EDITOR_PASSWORD``.

    Permissions directly, not the newsroom's groups: a transactional test's flush takes those groups away.
    """
    user = django_user_model.objects.create_user(
        username, password=EDITOR_PASSWORD, is_staff=True, first_name=first_name
    )
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="articles"))
    return user


def open_new_article_form(live_server, page, django_user_model):
    """Signs in as an editor with every articles permission, on the "add article" page."""
    newsroom_editor(django_user_model, "urednica")
    sign_in(page, live_server.url, "urednica", EDITOR_PASSWORD, "/admin/articles/article/add/")
    wait_for_article_form(page)


def wait_for_article_form(page):
    """Until Django's change_form.js has put the focus in the first field (the kicker) of the add form.

    Typing into the title before then loses the rest of the text to the kicker when the focus moves: a CI run
    saved "Pozorišni festi" as the title and "val otvara se uz „Hamleta“" as the kicker.
    """
    expect(page.locator("#id_kicker")).to_be_focused()


def save(page):
    """The article form's first publishing button: saves and keeps the state (draft, ready, published)."""
    page.locator("button[name=publishing].default").click()


def photo_files(folder, count, prefix="fotografija"):
    """``count`` small JPEGs made by Pillow in ``folder``, each a different colour, for a bulk upload."""
    paths = []
    for index in range(count):
        path = folder / f"{prefix}-{index + 1}.jpg"
        PillowImage.new("RGB", (640 + index * 40, 480), (40 + index * 60, 90, 140)).save(path, "JPEG")
        paths.append(path)
    return paths


def bulk_upload(page, base_url, files):
    """Opens the library's bulk upload from the library, sends ``files`` and waits until each is stored.

    Returns the ids of the stored photos, as the "Dalje: opis fotografija" link carries them.
    """
    page.goto(f"{base_url}{reverse('admin:articles_image_changelist')}")
    page.get_by_role("link", name="Otpremi više fotografija").click()
    expect(page.get_by_text("…ili ih prevucite ovde.")).to_be_visible()  # the page's script is ready
    page.get_by_label("Fotografije (JPEG, PNG, WebP ili GIF").set_input_files(files)
    bars = page.locator(".bulk-upload__item progress")
    expect(bars).to_have_count(len(files))
    for index in range(len(files)):
        expect(bars.nth(index)).to_have_attribute("aria-valuetext", "sačuvana")
        expect(bars.nth(index)).to_have_js_property("value", 100)
    expect(page.locator("[data-upload-summary]")).to_have_text(
        f"Gotovo. Sačuvano: {len(files)}, odbijeno: 0."
    )
    link = page.get_by_role("link", name="Dalje: opis fotografija")
    href = link.get_attribute("href")
    return [int(pk) for pk in href.split("ids=", 1)[1].split(",")]


def describe_batch(page, alt_texts, credit="", captions=()):
    """On the details screen after a bulk upload: credit for all, each alt text (and caption), then save."""
    if "/opis/" not in page.url:
        page.get_by_role("link", name="Dalje: opis fotografija").click()
    rows = page.locator("[data-batch-row]")
    expect(rows).to_have_count(len(alt_texts))
    if credit:
        page.get_by_label("Autor ili izvor za sve").fill(credit)
    for index, alt_text in enumerate(alt_texts):
        rows.nth(index).get_by_label("Opis za čitače ekrana").fill(alt_text)
        if index < len(captions):
            rows.nth(index).get_by_label("Potpis").fill(captions[index])
    page.get_by_role("button", name="Sačuvaj opise").click()
    expect(page.locator(".messagelist")).to_contain_text(f"Sačuvani opisi fotografija: {len(alt_texts)}.")


FOCAL_POINT_NAME = "Žiža fotografije: pomerite strelicama"


def _origin(page):
    parts = urlsplit(page.url)
    return f"{parts.scheme}://{parts.netloc}"


def open_photo_form(page, image_pk):
    """The photo's change form, on the signed-in editor's site; returns the focusable photo of its widget."""
    page.goto(_origin(page) + reverse("admin:articles_image_change", args=[image_pk]))
    photo = page.get_by_role("slider", name=FOCAL_POINT_NAME)
    expect(photo).to_be_visible()
    return photo


def set_focal_point(page, image_pk, x, y):
    """Clicks the photo at (x, y), fractions of its width and height from the top left, and saves the photo.

    Returns the point the form posted, as the inputs held it.
    """
    photo = open_photo_form(page, image_pk)
    photo.scroll_into_view_if_needed()
    box = photo.bounding_box()
    photo.click(position={"x": box["width"] * x, "y": box["height"] * y})
    posted = tuple(float(page.locator(f"#id_focal_{axis}").input_value()) for axis in "xy")
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    return posted


def card_image_url(page, article):
    """The address of the photo the front page's card of ``article`` shows, once the browser has loaded it."""
    page.goto(_origin(page) + reverse("articles:home"))
    card = page.locator(f'.article-card:has(a[href="{article.get_absolute_url()}"])').first
    image = card.locator(".article-card__image img")
    image.scroll_into_view_if_needed()
    image.evaluate("img => img.decode()")
    return image.evaluate("img => img.currentSrc")
