"""The Content-Security-Policy and Permissions-Policy, as Chromium enforces them on reader and admin pages."""

import re

import pytest
from django.contrib.auth.models import Permission
from playwright.sync_api import expect

from articles.tests.browser import sign_in, wait_for_article_form
from articles.tests.factories import ArticleFactory, AuthorFactory, ImageFactory, SectionFactory, TagFactory
from comments.tests.factories import ArticleCommentFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Anything the browser reports about either policy: a blocked resource, script or style, or a header it
# cannot read (an unknown feature name in Permissions-Policy).
POLICY_COMPLAINT = re.compile(r"Content.Security.Policy|Permissions.Policy|Refused to", re.IGNORECASE)
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
    window.reportViolation(`${event.effectiveDirective} blocked ${event.blockedURI} on ${event.documentURI}`);
});
"""


@pytest.fixture
def complaints(page):
    """What the browser reported against our policies on every page this test's context opened."""
    found = []
    page.context.expose_function("reportViolation", lambda text: found.append(text))
    page.context.add_init_script(REPORT_VIOLATIONS)
    page.context.on(
        "console", lambda message: POLICY_COMPLAINT.search(message.text) and found.append(message.text)
    )
    page.context.on("weberror", lambda error: found.append(f"uncaught: {error.error}"))
    return found


def test_reader_pages_run_their_scripts_and_show_photos_without_breaking_the_policy(
    live_server, page, complaints
):
    section = SectionFactory(name="Kultura", slug="kultura")
    author = AuthorFactory(name="Jelena Šarić", slug="jelena-saric")
    tag = TagFactory(name="Pozorište", slug="pozoriste")
    article = ArticleFactory(
        section=section,
        title="Narodno pozorište otvara sezonu premijerom",
        hero_image=ImageFactory(caption="Scena pred premijeru"),
        authors=[author],
        tags=[tag],
    )
    ArticleCommentFactory(article=article, comment="Jedva čekam premijeru.")

    page.goto(live_server.url + article.get_absolute_url())
    hero = page.locator("figure.figure--hero img")
    expect(hero).to_be_visible()
    assert hero.evaluate("img => img.complete && img.naturalWidth > 0")
    # comments.js answers the reaction through fetch(): script-src and connect-src both allow it.
    like = page.get_by_role("button", name=re.compile("^Sviđa mi se"))
    like.click()
    expect(like).to_have_attribute("aria-pressed", "true")
    # Our stylesheet and fonts (font-src) are in use.
    page.evaluate("document.fonts.ready")
    loaded = "[...document.fonts].some(font => font.family.includes('Noto') && font.status === 'loaded')"
    assert page.evaluate(loaded)

    for path in (
        "/",
        section.get_absolute_url(),
        author.get_absolute_url(),
        tag.get_absolute_url(),
        "/pretraga/?q=pozori%C5%A1te",
        "/arhiva/",
        "/cir" + article.get_absolute_url(),
        "/nema-ove-stranice/",
    ):
        page.goto(live_server.url + path)
        expect(page.locator("body")).not_to_be_empty()

    assert sorted(set(complaints)) == []


def test_admin_editor_photo_picker_and_moderation_desk_work_without_breaking_the_policy(
    live_server, page, complaints, django_user_model
):
    SectionFactory(name="Kultura", slug="kultura")
    ImageFactory(caption="Pozornica pred festival", credit="Ana Ilić", alt_text="Prazna pozornica")
    article = ArticleFactory(title="Festival počinje večeras")
    ArticleCommentFactory(article=article, is_public=False, comment="Vidimo se na otvaranju.")
    editor = django_user_model.objects.create_user("urednica", password="lozinka-za-test-1", is_staff=True)
    # An editor who also moderates: every permission of both apps.
    editor.user_permissions.add(
        *Permission.objects.filter(content_type__app_label__in=["articles", "comments", "django_comments"])
    )

    sign_in(page, live_server.url, "urednica", "lozinka-za-test-1", "/admin/articles/article/add/")
    wait_for_article_form(page)

    page.locator("#id_title").press_sequentially("Pozorišni festival otvara se uz „Hamleta“")
    expect(page.locator("#id_slug")).to_have_value("pozorisni-festival-otvara-se-uz-hamleta")
    page.locator("#id_lead").fill("Deset predstava za deset dana.")
    body = page.locator(".field-body .ProseMirror:visible").first
    body.click()
    page.keyboard.type("Festival počinje ")
    page.keyboard.press("Control+b")
    page.keyboard.type("večeras")
    page.keyboard.press("Control+b")
    expect(body.locator("strong")).to_have_text("večeras")
    page.get_by_title("Fotografija iz biblioteke").click()
    page.locator(".library-photo-picker input").fill("Pozornica")
    photo = page.get_by_role("button", name="Pozornica pred festival · Foto: Ana Ilić")
    expect(photo.locator("img")).to_be_visible()
    photo.locator("img").evaluate("img => img.decode()")  # the thumbnail loads: img-src allows our media
    photo.click()
    expect(body.locator("figure[data-image-id]")).to_have_count(1)
    page.locator("#id_section").select_option(label="Kultura")
    page.get_by_role("button", name="Sačuvaj nacrt").click()
    expect(page.locator(".messagelist .success")).to_be_visible()

    page.reload()  # the form stays open after a save: the text comes back from the database
    expect(page.locator(".field-body .ProseMirror:visible strong")).to_have_text("večeras")

    page.goto(live_server.url + "/admin/comments/articlecomment/desk/")
    expect(page.get_by_text("Vidimo se na otvaranju.")).to_be_visible()
    page.keyboard.press("a")
    expect(page.locator("[data-desk-status]")).to_have_text("Odobreno")

    assert sorted(set(complaints)) == []


def test_a_blocked_inline_script_is_reported(live_server, page, complaints):
    """The listeners above do hear the browser: an inline script, which the policy forbids, is caught."""
    page.goto(live_server.url + "/")
    # Waits for Chromium's own report of the refusal; the context's listeners get it before the test goes on.
    with page.expect_console_message(lambda message: "script-src" in message.text):
        page.evaluate("""() => {
            const script = document.createElement("script");
            script.textContent = "document.title = 'izvršeno'";
            document.body.append(script);
        }""")
    expect(page).not_to_have_title("izvršeno")
    assert any("script-src" in complaint for complaint in complaints)
