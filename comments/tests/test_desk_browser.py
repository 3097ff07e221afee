import pytest
from playwright.sync_api import expect

from articles.tests.browser import sign_in
from articles.tests.factories import ArticleFactory
from comments.models import ArticleComment, Decision
from comments.tests.factories import ArticleCommentFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_moderator_approves_and_rejects_by_keyboard_and_only_the_approved_is_shown(
    live_server, page, django_user_model, moderators_group
):
    moderator = django_user_model.objects.create_user("dezurna", password="tajna-lozinka-42", is_staff=True)
    moderator.groups.add(moderators_group)
    article = ArticleFactory(title="Gradska biblioteka produžava radno vreme")
    good = ArticleCommentFactory(article=article, is_public=False, comment="Divna vest za studente.")
    bad = ArticleCommentFactory(article=article, is_public=False, comment="Kupite jeftine satove ovde.")

    sign_in(page, live_server.url, "dezurna", "tajna-lozinka-42")
    expect(page.locator("[data-pending-count]")).to_have_text("2")
    page.get_by_role("link", name="2 na čekanju").click()

    first = page.locator(f"#d{good.pk}")
    expect(first).to_be_focused()
    page.keyboard.press("a")
    expect(page.locator("[data-desk-status]")).to_have_text("Odobreno")
    expect(first.locator("[data-state]")).to_have_text("odobren")
    expect(page.locator(f"#d{bad.pk}")).to_be_focused()
    page.keyboard.press("r")
    page.keyboard.press("5")  # reklama
    expect(page.locator("[data-desk-status]")).to_have_text("Odbijeno")
    expect(page.locator(f"#d{bad.pk} [data-state]")).to_have_text("odbijen")
    assert ArticleComment.objects.get(pk=bad.pk).reject_reason == "advertising"

    reader = page.context.browser.new_context().new_page()
    reader.goto(live_server.url + article.get_absolute_url())
    expect(reader.get_by_text("Divna vest za studente.")).to_be_visible()
    expect(reader.get_by_text("Kupite jeftine satove ovde.")).to_have_count(0)
    expect(reader.locator("#komentari-naslov")).to_contain_text("(1)")


DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
PASSWORD = "tajna-lozinka-42"
# What the Serbian Cyrillic layout types on the desk's shortcut keys.
CYRILLIC_LAYOUT = {"KeyJ": "ј", "KeyK": "к", "KeyA": "а", "KeyF": "ф", "KeyR": "р", "KeyB": "б", "KeyU": "у"}


def cyrillic_keyboard(page):
    """A function pressing a physical key (``"KeyA"``, ``"Digit5"``, ``"Numpad5"``, ``"Slash"``, ``"Escape"``,
    with Shift if asked) as a Serbian Cyrillic layout does: the key's code with the character it types ("а" on
    KeyA), sent through the DevTools protocol, since Playwright's keyboard derives the character from a US
    layout."""
    session = page.context.new_cdp_session(page)

    def press(code, shift=False):
        if code == "Escape":
            key, text, virtual_key = "Escape", "", 27
        elif code == "Slash":  # "-" on Serbian layouts, "_" with Shift ("?" is Shift and the Minus key)
            key = text = "_" if shift else "-"
            virtual_key = 191
        else:
            key = text = CYRILLIC_LAYOUT.get(code, code[-1])
            key = text = key.upper() if shift else key
            virtual_key = 96 + int(code[-1]) if code.startswith("Numpad") else ord(code[-1].upper())
        event = {
            "key": key,
            "code": code,
            "windowsVirtualKeyCode": virtual_key,
            "modifiers": 8 if shift else 0,
        }
        session.send("Input.dispatchKeyEvent", {"type": "rawKeyDown", **event})
        if text:
            session.send("Input.dispatchKeyEvent", {"type": "char", "text": text, **event})
        session.send("Input.dispatchKeyEvent", {"type": "keyUp", **event})

    return press


def moderator_on_desk(browser, live_server, django_user_model, moderators_group, viewport, path=""):
    moderator = django_user_model.objects.create_user("dezurna", password=PASSWORD, is_staff=True)
    moderator.groups.add(moderators_group)
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    sign_in(page, live_server.url, "dezurna", PASSWORD, "/admin/comments/articlecomment/desk/" + path)
    expect(page.locator("[data-desk]")).to_be_visible()
    page.wait_for_load_state("load")  # the desk's deferred script listens for keys from here on
    return context, page


def count(page, queue):
    return page.locator(f'[data-queue-count="{queue}"]')


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_moderator_clears_five_comments_by_shortcuts_on_a_cyrillic_layout(
    live_server, browser, django_user_model, moderators_group, comment_settings, viewport
):
    comment_settings.banned_words = "budala"
    comment_settings.save()
    article = ArticleFactory(title="Нови мост преко Саве")
    texts = [
        "Одлична вест за цео град.",
        "Konačno nešto za pešake.",
        "Само будала може ово да похвали.",
        "Kupite jeftine satove ovde.",
        "Мост је леп, али касни.",
    ]
    comments = [ArticleCommentFactory(article=article, is_public=False, comment=text) for text in texts]
    context, page = moderator_on_desk(browser, live_server, django_user_model, moderators_group, viewport)
    press = cyrillic_keyboard(page)
    status = page.locator("[data-desk-status]")
    item = [page.locator(f"#d{comment.pk}") for comment in comments]

    # Shown as written: Cyrillic stays Cyrillic, the listed word marked in it.
    expect(item[2].locator(".desk-item__text")).to_have_text("Само будала може ово да похвали.")
    expect(item[2].locator("mark.desk-word--banned")).to_have_text("будала")
    expect(count(page, "na-cekanju")).to_have_text("5")

    expect(item[0]).to_be_focused()
    press("KeyA")  # "а": approve
    expect(item[0].locator("[data-state]")).to_have_text("odobren")
    expect(count(page, "na-cekanju")).to_have_text("4")
    expect(count(page, "odobreni")).to_have_text("1")
    expect(item[1]).to_be_focused()
    press("KeyJ")  # "ј": next
    expect(item[2]).to_be_focused()
    press("KeyK")  # "к": back
    expect(item[1]).to_be_focused()
    press("KeyA")
    expect(count(page, "na-cekanju")).to_have_text("3")
    expect(item[2]).to_be_focused()

    # "р" and then no digit: nothing is rejected.
    press("KeyR")
    expect(status).to_have_text(
        "Razlog odbijanja: 1 spam · 2 uvreda · 3 govor mržnje · 4 nije na temu · 5 reklama · "
        "6 nezakonit sadržaj · 7 drugo (Esc otkazuje)"
    )
    press("Escape")
    expect(status).to_have_text("Komentar nije odbijen: razlog nije izabran.")
    press("KeyR")
    press("KeyF")
    expect(status).to_have_text("Komentar nije odbijen: razlog nije izabran.")
    expect(item[2].locator("[data-state]")).to_have_text("na čekanju")
    expect(count(page, "na-cekanju")).to_have_text("3")

    press("KeyR")
    press("Digit2")  # uvreda
    expect(item[2].locator("[data-state]")).to_have_text("odbijen")
    expect(count(page, "odbijeni")).to_have_text("1")
    expect(item[3]).to_be_focused()
    press("KeyR")
    press("Digit5")  # reklama
    expect(item[3].locator("[data-state]")).to_have_text("odbijen")
    press("KeyA")
    expect(item[4].locator("[data-state]")).to_have_text("odobren")
    expect(count(page, "na-cekanju")).to_have_text("0")
    expect(count(page, "odobreni")).to_have_text("3")
    expect(count(page, "odbijeni")).to_have_text("2")

    for comment in comments:
        comment.refresh_from_db()
    assert [(c.is_public, c.is_removed, c.reject_reason) for c in comments] == [
        (True, False, ""),
        (True, False, ""),
        (False, True, "insult"),
        (False, True, "advertising"),
        (True, False, ""),
    ]
    page.reload()
    expect(count(page, "na-cekanju")).to_have_text("0")
    expect(page.get_by_text("Ovaj red je prazan.")).to_be_visible()
    context.close()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_reject_button_without_a_chosen_reason_rejects_nothing(
    live_server, browser, django_user_model, moderators_group, viewport
):
    comment = ArticleCommentFactory(is_public=False, comment="Čeka razlog.")
    context, page = moderator_on_desk(browser, live_server, django_user_model, moderators_group, viewport)
    item = page.locator(f"#d{comment.pk}")
    expect(item.locator("[data-reason]")).to_have_value("")
    item.get_by_role("button", name="Odbij (r)").click()
    expect(page.locator("[data-desk-status]")).to_have_text("Izaberite razlog odbijanja.")
    expect(item.locator("[data-reason]")).to_be_focused()
    comment.refresh_from_db()
    assert not comment.is_removed
    item.locator("[data-reason]").select_option(label="4. nije na temu")
    item.get_by_role("button", name="Odbij (r)").click()
    expect(item.locator("[data-state]")).to_have_text("odbijen")
    comment.refresh_from_db()
    assert comment.reject_reason == "off_topic"
    context.close()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_desk_buttons_are_styled_and_big_enough_for_a_thumb(
    live_server, browser, django_user_model, moderators_group, viewport
):
    ArticleCommentFactory.create_batch(2, is_public=False)
    context, page = moderator_on_desk(browser, live_server, django_user_model, moderators_group, viewport)
    buttons = page.locator(".desk-button:visible")
    assert buttons.count() >= 10
    for index in range(buttons.count()):
        button = buttons.nth(index)
        box = button.bounding_box()
        label = button.inner_text()
        assert box["height"] >= 44 and box["width"] >= 44, label
        assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"], label
        fits = button.evaluate("b => b.scrollWidth <= b.clientWidth + 1")
        assert fits, label
        background = button.evaluate("b => getComputedStyle(b).backgroundColor")
        assert background not in ("rgb(239, 239, 239)", "rgb(233, 233, 237)", "rgba(0, 0, 0, 0)"), label
    context.close()


def test_help_and_numpad_reason_on_a_cyrillic_layout(
    live_server, browser, django_user_model, moderators_group
):
    comment = ArticleCommentFactory(is_public=False, comment="Reklama za kazino.")
    context, page = moderator_on_desk(browser, live_server, django_user_model, moderators_group, DESKTOP)
    press = cyrillic_keyboard(page)
    help_panel = page.locator("#desk-pomoc")
    expect(help_panel).to_be_hidden()
    press("Slash", shift=True)
    expect(help_panel).to_be_visible()
    press("Slash", shift=True)
    expect(help_panel).to_be_hidden()
    press("KeyA", shift=True)  # "А": not a shortcut
    press("KeyR")
    press("Numpad5")
    expect(page.locator(f"#d{comment.pk} [data-state]")).to_have_text("odbijen")
    comment.refresh_from_db()
    assert comment.is_removed and comment.reject_reason == "advertising"
    assert list(Decision.objects.filter(comment=comment).values_list("action", flat=True)) == ["reject"]
    context.close()
