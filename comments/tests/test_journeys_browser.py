"""What readers, moderators and editors do from start to finish, on a phone and on a desktop screen.

Screenshots of every step land in var/screenshots/ (git-ignored), named <journey>-<viewport>-<step>.png.
"""

import re
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Article
from articles.tests.browser import open_new_article_form, sign_in
from articles.tests.factories import ArticleFactory, AuthorFactory, ImageFactory, SectionFactory, TagFactory
from articles.transliteration import to_cyrillic
from comments.models import ArticleComment, Report
from comments.moderation import refresh_comment_counts
from comments.tests.factories import ArticleCommentFactory
from comments.tests.test_browser import reply_held

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
VIEWPORTS = {
    "phone": {"width": 375, "height": 812},
    "desktop": {"width": 1366, "height": 768},
}


class Journey:
    """Browser contexts at one viewport (one per person) that screenshot each step they are told about."""

    def __init__(self, new_context, viewport):
        # pytest-playwright's new_context: --tracing and --screenshot apply to every person's context.
        self.new_context = new_context
        self.name = "journey"
        self.viewport = viewport

    def page(self):
        return self.new_context(viewport=VIEWPORTS[self.viewport]).new_page()

    def shot(self, page, step):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOTS / f"{self.name}-{self.viewport}-{step}.png")


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request):
    return request.param


@pytest.fixture
def journey(new_context, viewport):
    return Journey(new_context, viewport)


def fits_the_screen(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("prefix", ["", "/cir"], ids=["latin", "cyrillic"])
def test_reader_goes_from_front_page_to_section_to_article_and_follows_a_tag(live_server, journey, prefix):
    culture = SectionFactory(name="Kultura", slug="kultura", position=1)
    tag = TagFactory(name="Pozorište", slug="pozoriste")
    article = ArticleFactory(
        section=culture,
        title="Narodno pozorište otvara sezonu premijerom",
        is_lead=True,
        hero_image=ImageFactory(caption="Scena pred premijeru", credit="Ana Ilić", alt_text="Prazna scena"),
        tags=[tag],
    )
    ArticleFactory(section=culture, title="Biblioteka produžava radno vreme", tags=[tag])
    cyrillic = prefix == "/cir"
    journey.name = "reading-cyrillic" if cyrillic else "reading-latin"
    page = journey.page()

    page.goto(live_server.url + prefix + "/")
    expect(page.locator("html")).to_have_attribute("lang", "sr-Cyrl" if cyrillic else "sr-Latn")
    journey.shot(page, "1-front")
    assert fits_the_screen(page)

    sections = page.get_by_role("navigation", name="Рубрике" if cyrillic else "Rubrike")
    sections.get_by_role("link", name="Култура" if cyrillic else "Kultura").click()
    expect(page).to_have_url(live_server.url + prefix + culture.get_absolute_url())
    expect(page.locator(".article-card")).to_have_count(2)
    journey.shot(page, "2-section")
    assert fits_the_screen(page)

    title = "Народно позориште отвара сезону премијером" if cyrillic else article.title
    page.get_by_role("link", name=title).first.click()
    expect(page).to_have_url(live_server.url + prefix + article.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    caption = page.locator("figure.figure--hero figcaption")
    expect(caption).to_contain_text("Сцена пред премијеру" if cyrillic else "Scena pred premijeru")
    expect(caption).to_contain_text("Фото: Ана Илић" if cyrillic else "Foto: Ana Ilić")
    assert page.locator("figure.figure--hero img").evaluate("img => img.complete && img.naturalWidth > 0")
    journey.shot(page, "3-article")
    assert fits_the_screen(page)

    page.locator(".article__tags").get_by_role("link", name="Позориште" if cyrillic else "Pozorište").click()
    expect(page).to_have_url(live_server.url + prefix + tag.get_absolute_url())
    expect(page.locator(".article-card")).to_have_count(2)
    journey.shot(page, "4-tag")
    assert fits_the_screen(page)


def test_reader_comments_moderator_approves_by_keyboard_and_others_reply_react_and_report(
    live_server, journey, django_user_model, moderators_group
):
    article = ArticleFactory(title="Grad dobija novu biblioteku u starom magacinu")
    url = live_server.url + article.get_absolute_url()
    journey.name = "comments"

    reader = journey.page()
    reader.goto(url)
    form = reader.locator("#komentar-forma")
    form.get_by_role("textbox", name="Ime").fill("Ana Đorđević")
    form.get_by_label("E-adresa").fill("ana@example.org")
    form.get_by_role("textbox", name="Komentar").fill("Konačno mesto za čitanje u centru!")
    form.get_by_role("button", name="Pošalji komentar").click()
    expect(reader.locator("[data-comment-notice]")).to_have_text(
        "Hvala! Vaš komentar čeka odobrenje moderatora."
    )
    journey.shot(reader, "1-pending")

    moderator = django_user_model.objects.create_user("dezurna", password="tajna-lozinka-42", is_staff=True)
    moderator.groups.add(moderators_group)
    desk = journey.page()
    sign_in(desk, live_server.url, "dezurna", "tajna-lozinka-42")
    desk.get_by_role("link", name="1 na čekanju").click()
    pending = desk.locator(f"#d{ArticleComment.objects.get().pk}")
    expect(pending).to_be_focused()
    journey.shot(desk, "2-desk")
    desk.keyboard.press("a")
    expect(desk.locator("[data-desk-status]")).to_have_text("Odobreno")
    expect(pending.locator("[data-state]")).to_have_text("odobren")
    journey.shot(desk, "3-approved")

    reader.reload()
    comment = reader.locator(".comment-list li").filter(has_text="Konačno mesto za čitanje u centru!")
    expect(comment).to_be_visible()
    journey.shot(reader, "4-visible")

    # The second reader reads in Cyrillic: the same comments, every control in their script.
    other = journey.page()
    other.goto(live_server.url + "/cir" + article.get_absolute_url())
    ana_in_cyrillic = to_cyrillic("Konačno mesto za čitanje u centru!")
    comment = other.locator(".comment-list li").filter(has_text=ana_in_cyrillic)
    reply = "Слажем се, и радно време је одлично."
    reply_held(other, comment, to="Ana Đorđević", text=reply, script=to_cyrillic)

    like = comment.get_by_role("button", name=re.compile("^" + to_cyrillic("Sviđa mi se")))
    like.click()
    expect(like).to_have_attribute("aria-pressed", "true")
    expect(like).to_have_accessible_name(to_cyrillic("Sviđa mi se 1"))

    comment.get_by_role("button", name=to_cyrillic("Prijavi")).first.click()
    comment.get_by_label(to_cyrillic("Razlog")).select_option(index=0)
    comment.get_by_role("button", name=to_cyrillic("Pošalji prijavu")).click()
    expect(comment.locator(".comment__reported")).to_be_visible()
    journey.shot(other, "5-replied-reacted-reported")

    reply = ArticleComment.objects.get(comment=reply)
    assert reply.parent_id == ArticleComment.objects.get(user_name="Ana Đorđević").pk and not reply.is_public
    assert Report.objects.count() == 1


def test_editor_writes_previews_and_schedules_an_illustrated_article_that_appears_at_its_time(
    live_server, journey, django_user_model
):
    section = SectionFactory(name="Kultura", slug="kultura")
    AuthorFactory(name="Vesna Kovač")
    ImageFactory(caption="Pozornica pred festival", credit="Ana Ilić", alt_text="Prazna pozornica")
    journey.name = "newsroom"
    editor = journey.page()
    open_new_article_form(live_server, editor, django_user_model)

    editor.locator("#id_title").press_sequentially("Pozorišni festival otvara se uz „Hamleta“")
    editor.locator("#id_lead").fill("Deset predstava za deset dana.")
    body = editor.locator(".field-body .ProseMirror:visible").first
    body.click()
    editor.keyboard.type("Festival počinje večeras na Velikoj sceni.")
    editor.get_by_title("Fotografija iz biblioteke").click()
    editor.locator(".library-photo-picker input").fill("Pozornica")
    editor.get_by_role("button", name="Pozornica pred festival · Foto: Ana Ilić").click()
    expect(body.locator("figure[data-image-id]")).to_have_count(1)
    editor.locator("#id_section").select_option(label="Kultura")
    editor.locator("#articleauthor_set-0 .select2-selection").click()
    editor.keyboard.type("Vesna")
    editor.locator(".select2-results__option", has_text="Vesna Kovač").click()
    journey.shot(editor, "1-writing")
    editor.get_by_role("button", name="Sačuvaj nacrt").click()
    expect(editor.locator(".messagelist .success")).to_be_visible()

    article = Article.objects.get()
    preview = editor.context.new_page()
    preview.goto(live_server.url + article.get_absolute_url())
    expect(preview.get_by_role("status").filter(has_text="Pregled: nije objavljeno")).to_be_visible()
    expect(preview.locator(".article__body figure figcaption")).to_contain_text("Foto: Ana Ilić")
    journey.shot(preview, "2-preview")
    preview.close()

    # An hour ahead: the test moves the clock there rather than waiting.
    publish_at = timezone.localtime(timezone.now() + timedelta(hours=1)).replace(microsecond=0)
    editor.locator("#id_published_at_0").fill(publish_at.strftime("%d.%m.%Y."))
    editor.locator("#id_published_at_1").fill(publish_at.strftime("%H:%M:%S"))
    editor.get_by_role("button", name="Zakaži objavu").click()
    expect(editor.locator(".article-desk__state")).to_contain_text("Zakazano: objavljuje se")
    journey.shot(editor, "3-scheduled")

    reader = journey.page()
    reader.goto(live_server.url + section.get_absolute_url())
    expect(reader.get_by_role("heading", level=1)).to_have_text("Kultura")
    expect(reader.get_by_text("Pozorišni festival otvara se uz „Hamleta“")).to_have_count(0)
    journey.shot(reader, "4-not-yet")

    # The live server runs in this process, so its clock moves too.
    with time_machine.travel(publish_at + timedelta(seconds=5)):
        reader.reload()
        reader.get_by_role("link", name="Pozorišni festival otvara se uz „Hamleta“").first.click()
        expect(reader.get_by_role("heading", level=1)).to_have_text(
            "Pozorišni festival otvara se uz „Hamleta“"
        )
        expect(reader.locator(".preview-banner")).to_have_count(0)
        figure = reader.locator(".article__body figure")
        expect(figure.locator("img")).to_be_visible()
        expect(figure.locator("figcaption")).to_contain_text("Pozornica pred festival")
        journey.shot(reader, "5-published")

        cyrillic = journey.page()
        cyrillic.goto(live_server.url + "/cir" + section.get_absolute_url())
        cyrillic.get_by_role("link", name="Позоришни фестивал отвара се уз „Хамлета“").first.click()
        caption = cyrillic.locator(".article__body figure figcaption")
        expect(caption).to_contain_text("Позорница пред фестивал")
        expect(caption).to_contain_text("Фото: Ана Илић")
        journey.shot(cyrillic, "6-published-cyrillic")


def test_reader_searches_without_diacritics_and_switches_script_in_place(live_server, journey):
    ArticleFactory(title="Ćevapi iz Leskovca osvojili sajam", lead="Roštilj je bio glavna atrakcija.")
    ArticleFactory(title="Gradska biblioteka produžava radno vreme")
    journey.name = "search"
    page = journey.page()
    page.goto(live_server.url + "/")

    search_icon = page.get_by_role("button", name="Pretraga")
    if search_icon.is_visible():  # on a phone the search opens from the masthead's icon
        search_icon.click()
    search = page.get_by_role("searchbox", name="Pretraga sajta")
    search.fill("cevapi")
    search.press("Enter")
    expect(page).to_have_url(re.compile(r"/pretraga/\?q=cevapi$"))
    expect(page.locator(".article-card")).to_have_count(1)
    expect(page.locator(".article-card")).to_contain_text("Ćevapi iz Leskovca osvojili sajam")
    journey.shot(page, "1-results")

    page.get_by_role("navigation", name="Pismo").get_by_role("link", name="Ćirilica").click()
    expect(page).to_have_url(live_server.url + "/cir/pretraga/?q=cevapi")
    expect(page.locator("html")).to_have_attribute("lang", "sr-Cyrl")
    expect(page.get_by_role("searchbox", name="Тражени појам")).to_have_value("cevapi")
    expect(page.locator(".article-card")).to_have_count(1)
    expect(page.locator(".article-card")).to_contain_text("Ћевапи из Лесковца освојили сајам")
    journey.shot(page, "2-cyrillic")


# Every control a reader can reach with Tab: visible, enabled, in the tab order (one per radio group).
TABBABLE = """() => {
    const selector = "a[href], button, input:not([type=hidden]), select, textarea, [tabindex], summary";
    const seen = new Set();
    return [...document.querySelectorAll(selector)].filter(el => {
        if (el.disabled || el.tabIndex < 0 || !el.checkVisibility({visibilityProperty: true})) return false;
        if (el.closest("[inert], [aria-hidden=true]")) return false;
        if (el.type === "radio") { if (seen.has(el.name)) return false; seen.add(el.name); }
        return true;
    }).map((el, index) => { el.dataset.tabStop = index; return index; }).length;
}"""
FOCUS_SHOWN = """() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
    const shadow = style.boxShadow !== "none";
    return {stop: el.dataset.tabStop, outline, shadow, name: el.outerHTML.slice(0, 80)};
}"""


def test_keyboard_reader_skips_to_content_sees_focus_everywhere_and_comments(live_server, journey):
    article = ArticleFactory(
        title="Grad dobija novu biblioteku u starom magacinu",
        hero_image=ImageFactory(caption="Stari magacin", credit="Ana Ilić"),
        tags=[TagFactory(name="Biblioteke", slug="biblioteke")],
    )
    ArticleCommentFactory(article=article, comment="Divna vest za studente.")  # reply, react, report
    refresh_comment_counts([article.pk])
    journey.name = "keyboard"
    page = journey.page()
    page.goto(live_server.url + article.get_absolute_url())

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Preskoči na sadržaj")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    journey.shot(page, "1-skip-link")
    page.keyboard.press("Enter")
    expect(page.locator("main#sadrzaj")).to_be_focused()

    page.reload()  # Tab starts again from the top of the page
    stops = page.evaluate(TABBABLE)
    reached, invisible = set(), []
    for _ in range(stops + 5):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUS_SHOWN)
        if focused["name"].startswith("<body") or focused["stop"] in reached:
            break  # past the last control, or round again
        reached.add(focused["stop"])
        if not (focused["outline"] or focused["shadow"]):
            invisible.append(focused["name"])
    assert invisible == []
    assert sorted(int(stop) for stop in reached if stop is not None) == list(range(stops))

    # The comment form, from its name field to the notice, without a mouse.
    page.get_by_role("textbox", name="Ime").focus()
    page.keyboard.type("Ana Đorđević")
    page.keyboard.press("Tab")
    page.keyboard.type("ana@example.org")
    page.keyboard.press("Tab")
    page.keyboard.type("Konačno mesto za čitanje u centru!")
    journey.shot(page, "2-comment-form")
    # The form's choices, in order, then the button.
    for choice in (
        "Zapamti me na ovom uređaju",
        "Obavesti me o odgovorima na moj komentar",
        "Javite mi e-poštom odluku moderatora",
    ):
        page.keyboard.press("Tab")
        expect(page.get_by_role("checkbox", name=choice)).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Pošalji komentar")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("[data-comment-notice]")).to_have_text(
        "Hvala! Vaš komentar čeka odobrenje moderatora."
    )
    journey.shot(page, "3-comment-sent")
    assert ArticleComment.objects.get(user_name="Ana Đorđević").user_email == "ana@example.org"
