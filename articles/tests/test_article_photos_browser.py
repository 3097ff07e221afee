"""Photos in the article form as an editor uses them: in the body editor, as the lead photo, warnings."""

import re

import pytest
from playwright.sync_api import expect

from articles.models import Article, Image
from articles.tests.browser import open_new_article_form, save
from articles.tests.factories import ArticleFactory, ImageFactory, SectionFactory
from config.tests.test_csp_browser import complaints  # noqa: F401 (CSP reports and uncaught errors)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1366, "height": 900}


def insert_body_photo(page, words, name):
    page.get_by_title("Fotografija iz biblioteke").click()
    page.locator(".library-photo-picker input").fill(words)
    page.get_by_role("button", name=name).click()
    expect(page.locator("dialog[open]")).to_have_count(0)


def test_editor_sees_body_photos_as_photos_and_picks_a_restricted_lead_photo_by_keyboard(
    live_server, page, django_user_model, request
):
    reported = request.getfixturevalue("complaints")
    page.set_viewport_size(DESKTOP)
    SectionFactory(name="Kultura", slug="kultura")
    stage = ImageFactory(caption="Pozornica pred festival", credit="Ana Ilić", alt_text="Prazna pozornica")
    actors = ImageFactory(caption="Glumci na probi", credit="Marko Marić", alt_text="Glumci u kostimima")
    premiere = ImageFactory(
        caption="Premijera u Narodnom pozorištu",
        credit="Tanjug",
        alt_text="Publika u sali",
        restriction=Image.Restriction.EDITORIAL,
    )
    open_new_article_form(live_server, page, django_user_model)

    page.locator("#id_title").fill("Festival počinje večeras")
    page.locator("#id_lead").fill("Deset predstava za deset dana.")
    editor = page.locator(".field-body .ProseMirror:visible").first
    editor.click()
    page.keyboard.type("Prvi pasus o festivalu.")
    insert_body_photo(page, "Pozornica", "Pozornica pred festival · Foto: Ana Ilić")
    insert_body_photo(page, "probi", "Glumci na probi · Foto: Marko Marić")

    # The photos themselves, not placeholders: thumbnail with its alt text, caption and credit.
    photos = editor.locator("figure.library-photo")
    expect(photos).to_have_count(2)
    expect(photos.nth(0).get_by_role("img", name="Prazna pozornica")).to_be_visible()
    expect(photos.nth(0)).to_contain_text("Pozornica pred festival")
    expect(photos.nth(0)).to_contain_text("Foto: Ana Ilić")
    expect(photos.nth(1).get_by_role("img", name="Glumci u kostimima")).to_be_visible()
    expect(photos.nth(1)).to_contain_text("Foto: Marko Marić")
    photos.nth(0).get_by_role("img").evaluate("img => img.decode()")
    assert photos.nth(0).get_by_role("img").evaluate("img => img.naturalWidth") > 0

    # The lead photo, by keyboard: the button, words in the search, Enter to the result, Enter to take it.
    choose = page.get_by_role("button", name="Izaberi fotografiju")
    choose.focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="Glavna fotografija")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("searchbox")).to_be_focused()
    page.keyboard.type("premijera")
    result = dialog.get_by_role("button", name="Premijera u Narodnom pozorištu · Foto: Tanjug")
    expect(dialog.get_by_role("listitem")).to_have_count(1)
    expect(result).to_contain_text("Samo za uredničku upotrebu")
    page.keyboard.press("Enter")
    expect(result).to_be_focused()
    page.keyboard.press("Enter")
    expect(dialog).to_have_count(0)

    lead = page.locator("[data-lead-photo]")
    expect(lead.get_by_role("img", name="Publika u sali")).to_be_visible()
    expect(lead).to_contain_text("Premijera u Narodnom pozorištu")
    expect(lead).to_contain_text("Foto: Tanjug")
    expect(page.get_by_role("button", name="Promeni")).to_be_focused()
    expect(page.get_by_role("status").filter(has_text="je samo za uredničku upotrebu")).to_have_text(
        "Fotografija „Premijera u Narodnom pozorištu“ je samo za uredničku upotrebu: "
        "ne ide u društvene mreže ni na naslovnu kao reklama."
    )
    expect(page.locator("#id_hero_image")).to_have_value(str(premiere.pk))

    # Escape closes the dialog and keeps the photo.
    page.keyboard.press("Enter")
    expect(page.get_by_role("dialog", name="Glavna fotografija")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator("dialog")).to_have_count(0)
    expect(page.locator("#id_hero_image")).to_have_value(str(premiere.pk))

    page.locator("#id_section").select_option(label="Kultura")
    save(page)
    expect(page.locator("ul.messagelist")).to_be_visible()
    article = Article.objects.get()
    assert article.hero_image == premiere
    stored = article.body
    assert stored == (
        "<p>Prvi pasus o festivalu.</p>"
        f'<figure data-image-id="{stage.pk}"></figure>'
        f'<figure data-image-id="{actors.pk}"></figure>'
    )
    # The page the save led to has asked for its photos before the reopening below is watched.
    expect(page.locator(".field-body figure.library-photo img")).to_have_count(2)

    # Reopened: the same photos, asked for in one request, and the warning said by the server.
    asked = []
    page.on("request", lambda request: asked.append(request.url) if "izbor/" in request.url else None)
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    editor = page.locator(".field-body .ProseMirror:visible").first
    photos = editor.locator("figure.library-photo")
    expect(photos.nth(0)).to_contain_text("Pozornica pred festival")
    expect(photos.nth(0)).to_contain_text("Foto: Ana Ilić")
    expect(photos.nth(1)).to_contain_text("Glumci na probi")
    expect(page.locator("[data-lead-photo]")).to_contain_text("Premijera u Narodnom pozorištu")
    expect(page.get_by_role("status").filter(has_text="je samo za uredničku upotrebu")).to_be_visible()
    assert [url for url in asked if "ids=" in url] == [
        f"{live_server.url}/admin/articles/image/izbor/?ids={stage.pk}%2C{actors.pk}&article={article.pk}"
    ]

    # Opening and saving leaves the stored body exactly as it was.
    save(page)
    expect(page.locator("ul.messagelist")).to_be_visible()
    assert Article.objects.get().body == stored

    # A photo in the body is selected by a click and deleted with the Delete key.
    editor = page.locator(".field-body .ProseMirror:visible").first
    photos = editor.locator("figure.library-photo")
    expect(photos).to_have_count(2)
    # Once the photos' details have come back: drawing them afresh would drop a selection made before.
    expect(photos.nth(1)).to_contain_text("Glumci na probi")
    photos.nth(1).click()
    expect(photos.nth(1)).to_have_class(re.compile("ProseMirror-selectednode"))
    page.keyboard.press("Delete")
    expect(photos).to_have_count(1)
    expect(page.locator("#id_body")).not_to_have_value(re.compile(f'data-image-id="{actors.pk}"'))
    assert reported == []  # thumbnails from our media, no inline style or script refused, no uncaught error


def test_warning_appears_when_a_photo_for_another_article_goes_into_the_body(
    live_server, page, django_user_model
):
    page.set_viewport_size(DESKTOP)
    exclusive = ImageFactory(
        caption="Ekskluzivni snimak", credit="Reuters", restriction=Image.Restriction.THIS_ARTICLE
    )
    ArticleFactory(title="Prvi članak sa snimkom", hero_image=exclusive)
    open_new_article_form(live_server, page, django_user_model)
    page.locator(".field-body .ProseMirror:visible").first.click()
    insert_body_photo(page, "Ekskluzivni", "Ekskluzivni snimak · Foto: Reuters")
    expect(page.get_by_role("status").filter(has_text="sme u samo jedan članak")).to_have_text(
        "Fotografija „Ekskluzivni snimak“ sme u samo jedan članak; već je u članku „Prvi članak sa snimkom“."
    )
    page.locator(".field-body figure.library-photo").click()
    page.keyboard.press("Delete")
    expect(page.get_by_role("status").filter(has_text="sme u samo jedan članak")).to_have_count(0)


def test_a_photo_gone_from_the_library_is_named_in_the_editor(live_server, page, django_user_model):
    page.set_viewport_size(DESKTOP)
    kept = ImageFactory(caption="Most u sumrak", credit="Ana Ilić")
    article = ArticleFactory(body=f'<p>Tekst.</p><figure data-image-id="{kept.pk}"></figure>')
    gone = ImageFactory()
    article.body += f'<figure data-image-id="{gone.pk}"></figure>'
    article.save()
    gone_pk = gone.pk
    gone.delete()
    open_new_article_form(live_server, page, django_user_model)
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    photos = page.locator(".field-body .ProseMirror:visible figure.library-photo")
    expect(photos.nth(0)).to_contain_text("Most u sumrak")
    expect(photos.nth(1)).to_have_text(f"Fotografija #{gone_pk} ne postoji u biblioteci")
