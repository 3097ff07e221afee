"""A video and a post in an article as a reader meets them: nothing reaches the provider before the click, the
provider's iframe after it (a local stand-in here: the machines reach no provider), resized only by its own
messages; without JavaScript, a plain link."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from articles.models import Article
from articles.tests.browser import open_new_article_form, save
from articles.tests.factories import ArticleFactory, SectionFactory
from articles.tests.test_embeds import embed_figure
from config.tests.test_csp_browser import complaints  # noqa: F401 (CSP reports and uncaught errors)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}

# What the provider would send, as a stand-in: the video page, and the post, which asks for its height the
# way X's embed does. The video page also sends a post-shaped message: another origin's, which must not count.
RESIZE = '{"twttr.embed": {"method": "twttr.private.resize", "params": [{"width": 550, "height": %d}]}}'
VIDEO_STAND_IN = f"""<!doctype html><html lang="en"><title>Video</title><body><p>Stand-in video player</p>
<script>parent.postMessage({RESIZE % 999}, "*"); parent.postMessage({{"standIn": "video"}}, "*");</script>"""
POST_STAND_IN = f"""<!doctype html><html lang="en"><title>Post</title><body><p>Stand-in post</p>
<script>parent.postMessage({RESIZE % 432}, "*");</script>"""

WORDS = {
    "latin": {"prefix": "", "video": "Učitaj video", "post": "Prikaži objavu", "title": "Hor peva u ciglani"},
    "cyrillic": {
        "prefix": "/cir",
        "video": "Учитај видео",
        "post": "Прикажи објаву",
        "title": "Хор пева у циглани",
    },
}


def embed_article():
    return ArticleFactory(
        title="Hor iz Kikinde snimio spot",
        body="<p>Prvi pasus.</p>"
        + embed_figure("https://www.youtube.com/watch?v=dQw4w9WgXcQ", "Hor peva u ciglani")
        + "<p>Drugi pasus.</p>"
        + embed_figure("https://x.com/citaonica/status/1865123456789012345", "Čestitka horu")
        + "<p>Kraj.</p>",
    )


def stand_in(body):
    return lambda route: route.fulfill(status=200, content_type="text/html; charset=utf-8", body=body)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("script", ["latin", "cyrillic"])
def test_nothing_reaches_the_provider_before_the_click_and_its_frame_plays_after(
    live_server, page, request, viewport, script
):
    reported = request.getfixturevalue("complaints")
    words = WORDS[script]
    page.set_viewport_size(viewport)
    article = embed_article()
    requests = []
    page.on("request", lambda sent: requests.append(sent.url))
    page.route("https://www.youtube-nocookie.com/**", stand_in(VIDEO_STAND_IN))
    page.route("https://platform.twitter.com/**", stand_in(POST_STAND_IN))

    page.goto(live_server.url + words["prefix"] + article.get_absolute_url())
    page.wait_for_load_state("load")
    video = page.locator("figure.embed--video")
    post = page.locator("figure.embed--post")
    expect(video.locator(".embed__provider")).to_have_text("YouTube")
    expect(video.locator('.embed__provider [lang="en"]')).to_have_text("YouTube")  # Latin on Cyrillic pages
    expect(video.locator(".embed__title")).to_have_text(words["title"])
    expect(video.locator(".embed__note")).to_contain_text("YouTube")
    load_video = video.get_by_role("button", name=words["video"])
    expect(load_video).to_be_visible()
    expect(post.get_by_role("button", name=words["post"])).to_be_visible()
    expect(page.locator("iframe")).to_have_count(0)
    hosts = {urlsplit(url).netloc for url in requests if not url.startswith("data:")}
    assert hosts == {urlsplit(live_server.url).netloc}, requests  # only our own server so far

    # The post first: its frame asks for 432 px, from X's origin, and gets them.
    post.get_by_role("button", name=words["post"]).click()
    post_frame = post.locator("iframe")
    expect(post_frame).to_have_attribute(
        "src", "https://platform.twitter.com/embed/Tweet.html?id=1865123456789012345&dnt=true"
    )
    expect(post_frame).to_have_attribute(
        "sandbox", "allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox"
    )
    expect(post_frame).to_have_attribute("referrerpolicy", "strict-origin-when-cross-origin")
    expect(page.frame_locator("figure.embed--post iframe").get_by_text("Stand-in post")).to_be_visible()
    expect(post).to_have_attribute("data-embed-resized", "432")
    assert post_frame.evaluate("frame => frame.getBoundingClientRect().height") == 432

    # Messages in X's shape from elsewhere do not resize it: from our own page, and from the video's frame.
    page.evaluate(
        """() => {
        window.seen = [];
        window.addEventListener("message", (event) => window.seen.push(event.data));
        window.postMessage(%s, "*");
    }"""
        % (RESIZE % 777)
    )
    page.wait_for_function("() => window.seen.length === 1")

    video.get_by_role("button", name=words["video"]).click()
    frame = video.locator("iframe")
    expect(frame).to_have_attribute("src", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1")
    expect(frame).to_have_attribute(
        "sandbox", "allow-scripts allow-same-origin allow-popups allow-presentation"
    )
    expect(frame).to_have_attribute("referrerpolicy", "strict-origin-when-cross-origin")
    expect(frame).to_have_attribute("allow", "autoplay; fullscreen; picture-in-picture; encrypted-media")
    expect(frame).to_have_attribute("title", words["title"])
    expect(
        page.frame_locator("figure.embed--video iframe").get_by_text("Stand-in video player")
    ).to_be_visible()
    page.wait_for_function("() => window.seen.some((data) => data && data.standIn === 'video')")
    expect(post).to_have_attribute("data-embed-resized", "432")
    assert post_frame.evaluate("frame => frame.getBoundingClientRect().height") == 432
    width = frame.evaluate("frame => frame.getBoundingClientRect().width")
    assert frame.evaluate("frame => frame.getBoundingClientRect().height") == pytest.approx(
        width * 9 / 16, abs=1
    )
    assert width <= viewport["width"]

    third_party = {urlsplit(url).netloc for url in requests} - {urlsplit(live_server.url).netloc}
    assert third_party == {"www.youtube-nocookie.com", "platform.twitter.com"}
    assert reported == []


def test_without_javascript_the_reader_gets_a_plain_link(live_server, browser):
    article = embed_article()
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    requests = []
    page.on("request", lambda sent: requests.append(sent.url))
    page.goto(live_server.url + article.get_absolute_url())
    video = page.locator("figure.embed--video")
    expect(video.get_by_role("link", name="Pogledajte video na servisu YouTube")).to_have_attribute(
        "href", "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    )
    expect(
        page.locator("figure.embed--post").get_by_role("link", name="Otvorite objavu na servisu X")
    ).to_have_attribute("href", "https://x.com/i/status/1865123456789012345")
    expect(page.get_by_role("button", name="Učitaj video")).to_have_count(0)
    assert {urlsplit(url).netloc for url in requests} == {urlsplit(live_server.url).netloc}
    context.close()


def test_editor_embeds_a_video_by_its_address_and_a_wrong_address_is_refused(
    live_server, page, django_user_model, request
):
    reported = request.getfixturevalue("complaints")
    page.set_viewport_size(DESKTOP)
    SectionFactory(name="Kultura", slug="kultura")
    answers = []
    page.on("dialog", lambda dialog: dialog.accept(answers.pop(0)))
    open_new_article_form(live_server, page, django_user_model)
    page.locator("#id_title").fill("Hor iz Kikinde snimio spot")
    page.locator("#id_lead").fill("Spot je pogledalo pola miliona ljudi.")
    page.locator("#id_section").select_option(label="Kultura")
    editor = page.locator(".field-body .ProseMirror:visible").first
    editor.click()
    page.keyboard.type("Prvi pasus.")

    answers[:] = ["https://www.youtube.com.evil.com/watch?v=dQw4w9WgXcQ", "Lažni snimak"]
    page.get_by_title("Ugradi video ili objavu").click()
    block = editor.locator("figure.embed-block")
    expect(block).to_contain_text("Nepoznat servis: Lažni snimak")
    save(page)
    expect(page.locator("#id_body_error")).to_contain_text(
        "Adresa „https://www.youtube.com.evil.com/watch?v=dQw4w9WgXcQ“ nije adresa videa ili objave"
    )
    assert not Article.objects.exists()

    editor = page.locator(".field-body .ProseMirror:visible").first
    editor.locator("figure.embed-block").click()
    page.keyboard.press("Delete")
    expect(editor.locator("figure.embed-block")).to_have_count(0)
    answers[:] = ["https://youtu.be/dQw4w9WgXcQ", "Hor peva u ciglani"]
    page.get_by_title("Ugradi video ili objavu").click()
    expect(editor.locator("figure.embed-block")).to_contain_text("YouTube: Hor peva u ciglani")
    save(page)
    expect(page.locator("ul.messagelist")).to_contain_text("Dodato: članak")
    article = Article.objects.get()
    assert (
        '<figure data-embed="youtube" data-embed-id="dQw4w9WgXcQ" data-title="Hor peva u ciglani"></figure>'
        in article.body
    )
    assert reported == []


def paste(editor, text):
    editor.evaluate(
        """(element, text) => {
            const data = new DataTransfer();
            data.setData("text/plain", text);
            const options = {clipboardData: data, bubbles: true, cancelable: true};
            element.dispatchEvent(new ClipboardEvent("paste", options));
        }""",
        text,
    )


def test_an_address_pasted_alone_becomes_an_embed_when_the_editor_gives_a_title(
    live_server, page, django_user_model, request
):
    reported = request.getfixturevalue("complaints")
    page.set_viewport_size(DESKTOP)
    answers = []
    page.on("dialog", lambda dialog: dialog.accept(answers.pop(0)) if answers else dialog.dismiss())
    open_new_article_form(live_server, page, django_user_model)
    editor = page.locator(".field-body .ProseMirror:visible").first
    editor.click()

    answers[:] = ["Hor peva"]
    paste(editor, "https://youtu.be/dQw4w9WgXcQ")
    expect(editor.locator("figure.embed-block")).to_contain_text("YouTube: Hor peva")

    # Cancelled: the address stays text; another site's address is never offered as an embed.
    page.keyboard.press("Enter")
    paste(editor, "https://x.com/NASA/status/1865123456789012345")
    expect(editor).to_contain_text("https://x.com/NASA/status/1865123456789012345")
    page.keyboard.press("Enter")
    answers[:] = ["Ne sme da se pita"]  # were it asked, it would become an embed
    paste(editor, "https://example.org/snimak")
    expect(editor).to_contain_text("https://example.org/snimak")
    expect(editor.locator("figure.embed-block")).to_have_count(1)
    assert reported == []
