"""Every write to what a cached page reads reaches that page on the next request.

The tables each cacheable view reads are not listed by hand: each page is rendered with its queries captured
and the tables are read off the SQL. Then every way the site writes (an admin form, an admin bulk action, a
service, a management command, a revision restored in the admin, a delete that cascades or sets null) is
run against a warmed cache, and every page that reads a table it writes must answer afresh: at once, or for
a change that may lag, once the promised lag has passed.
"""

import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from reversion.models import Version

from articles import live, reads, services
from articles.models import (
    Article,
    ArticleNote,
    Author,
    BreakingNews,
    HourlyReadCount,
    Image,
    InfoPage,
    LiveEntry,
    Section,
    SiteSettings,
    Tag,
    TransliterationException,
)
from articles.tests.factories import ArticleFactory, AuthorFactory, ImageFactory, SectionFactory, TagFactory
from articles.tests.test_page_cache_inputs import cacheable_routes, ensure_site_pages, url_of
from articles.tests.test_revisions import admin_form_fields
from comments import moderation, my_comments
from comments.models import ArticleComment, CommentSettings, Reaction
from comments.tests.conftest import comment_form_fields
from comments.tests.factories import ArticleCommentFactory
from config.delivery import invalidation, page_cache

pytestmark = pytest.mark.django_db

ROUTES = sorted(cacheable_routes())
ADMIN = "/admin/"
TABLE = re.compile(r'\b(?:FROM|JOIN)\s+"?([a-z_][a-z0-9_]*)"?', re.IGNORECASE)
# A query's own named parts ("WITH thread_page AS (…)", comments/selectors.py) are read FROM: no tables.
COMMON_TABLE = re.compile(r'(?:\bWITH(?:\s+RECURSIVE)?|,)\s+"?([a-z_][a-z0-9_]*)"?\s+AS\s*\(', re.IGNORECASE)
# What differs between two renders of the same page: the CSP nonce, the comment form's time and its hash.
VOLATILE = re.compile(rb'nonce="[^"]*"|name="(?:timestamp|security_hash)" value="[^"]*"')

# Tables cached pages read that nothing writes while the site runs: the site framework's one row (its domain
# comes from a data migration; addresses on pages come from DJANGO_SITE_URL).
NEVER_CHANGED_WHILE_SERVING = {"django_site"}
# A comment is three rows (multi-table inheritance: django-comments, django-comments-xtd's thread, ours).
COMMENT_TABLES = {"comments_articlecomment", "django_comments_xtd_xtdcomment", "django_comments"}
# A decision writes our row and django-comments' flags (is_public, is_removed), not the thread's row.
DECIDED = {"comments_articlecomment", "django_comments", "articles_article"}


def lag_seconds():
    return getattr(settings, "PAGE_CACHE_LAG_SECONDS", 10)


@dataclass
class World:
    article: Article
    other: Article
    section: Section
    author: Author
    tag: Tag
    image: Image
    comment: ArticleComment
    staff: Client


@pytest.fixture
def world(django_user_model):
    """Something on every cacheable page: a byline, a topic, a photo, a comment, readings, an exception."""
    SiteSettings.get_solo()
    comment_settings = CommentSettings.get_solo()  # proven regulars' comments are published as they post
    comment_settings.trust_enabled, comment_settings.trust_min_approved = True, 1
    comment_settings.save()
    section = SectionFactory(name="Sport", slug="sport")
    author = AuthorFactory(name="Jelena Marković", slug="jelena-markovic")
    tag = TagFactory(name="Fudbal", slug="fudbal")
    image = ImageFactory(caption="Stadion pun do poslednjeg mesta", credit="Foto: Reuters")
    article = ArticleFactory(
        section=section,
        title="Derbi pred punim stadionom Reuters",
        authors=[author],
        tags=[tag],
        hero_image=image,
        is_live_blog=True,  # its entries are on its page and in its polled part
    )
    LiveEntry.objects.create(article=article, text="Počelo je: prvo poluvreme bez golova.")
    ArticleNote.objects.create(article=article, kind=ArticleNote.Kind.CORRECTION, text="Derbi je u subotu.")
    ensure_site_pages()
    other = ArticleFactory(
        section=section, title="Košarkaši dočekani na aerodromu", authors=[author], tags=[tag]
    )
    comment = ArticleCommentFactory(
        article=article,
        comment="Sjajna utakmica, čestitke obema ekipama.",
        user_email="urednik@example.org",  # the staff account's: its next comment is published on trust
        email_verified=True,
    )
    moderation.refresh_comment_count(article.pk)
    HourlyReadCount.objects.create(article=other, hour=reads.current_hour(), reads=5)
    TransliterationException.objects.get_or_create(text="Reuters")
    BreakingNews.objects.create(  # the "Najnovije" strip, on every page
        text="Derbi počinje sat ranije",
        url=article.get_absolute_url(),
        starts_at=timezone.now() - timedelta(hours=1),
        expires_at=timezone.now() + timedelta(hours=3),
    )
    editor = django_user_model.objects.create_superuser("urednik", "urednik@example.org", "x")
    rejected = ArticleCommentFactory(article=article, comment="Odbijen, a posle vraćen.")
    moderation.reject(rejected, moderator=editor)  # the decision desk-undo takes back
    staff = Client()
    staff.force_login(editor)
    return World(article, other, section, author, tag, image, comment, staff)


def addresses(world):
    """One real address per cacheable view, in each script."""
    found = {}
    for route in ROUTES:
        url = url_of(route, world.article)
        found[route] = url
        found[f"{route}@cir"] = "/cir" + url
    return found


def forget_every_page():
    cache.clear()  # generations, the exceptions list, the singletons: read afresh
    page_cache.pages_cache().clear()
    page_cache.local_copies.clear()
    page_cache.mirror.forget()


def fresh(url):
    """The page as it is made now, with no cache (nonces differ per render)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(settings, "PAGE_CACHE_SECONDS", 0)
        response = Client().get(url)
    return response.status_code, VOLATILE.sub(b"", response.content)


def served(response):
    return response.status_code, VOLATILE.sub(b"", response.content)


# --- The write paths ------------------------------------------------------------------------------------


def post_change_form(client, url, form_id, **changes):
    fields = admin_form_fields(client.get(url).content.decode(), form_id)
    fields.update(changes)
    response = client.post(url, fields)
    assert response.status_code == 302, (url, response.content.decode()[:2000])


def admin_edit_article(world):
    url = f"{ADMIN}articles/article/{world.article.pk}/change/"
    post_change_form(world.staff, url, "article_form", title="Derbi odložen zbog kiše", tags=[])


def admin_add_byline(world):
    second = Author.objects.create(name="Marko Drugi", slug="marko-drugi")
    url = f"{ADMIN}articles/article/{world.other.pk}/change/"
    fields = admin_form_fields(world.staff.get(url).content.decode(), "article_form")
    total = int(fields["articleauthor_set-TOTAL_FORMS"])
    fields.update(
        {
            "articleauthor_set-TOTAL_FORMS": str(total + 1),
            f"articleauthor_set-{total}-author": second.pk,
            f"articleauthor_set-{total}-position": "1",
            f"articleauthor_set-{total}-id": "",
            f"articleauthor_set-{total}-article": world.other.pk,
        }
    )
    assert world.staff.post(url, fields).status_code == 302


def admin_withdraw_article(world):
    url = f"{ADMIN}articles/article/{world.article.pk}/change/"
    post_change_form(world.staff, url, "article_form", status=Article.Status.WITHDRAWN)


def admin_bulk(action, **extra):
    def write(world):
        data = {"action": action, "_selected_action": [world.article.pk], **extra}
        assert world.staff.post(f"{ADMIN}articles/article/", data).status_code == 302

    write.__name__ = f"admin_bulk_{action}"
    return write


def admin_delete_article_cascades(world):
    """An article with a comment (and so its thread rows) and readings: the cascade takes them all."""
    ArticleCommentFactory(article=world.other, comment="Ode sa člankom.")
    assert (
        world.staff.post(f"{ADMIN}articles/article/{world.other.pk}/delete/", {"post": "yes"}).status_code
        == 302
    )


def admin_bulk_move(world):
    news = Section.objects.create(name="Vesti", slug="vesti")
    admin_bulk("move_to_section", section=news.pk)(world)


def admin_delete(model, attribute):
    def write(world):
        obj = getattr(world, attribute)
        url = f"{ADMIN}articles/{model}/{obj.pk}/delete/"
        assert world.staff.post(url, {"post": "yes"}).status_code == 302

    return write


def admin_bulk_delete(model, attribute):
    def write(world):
        obj = getattr(world, attribute)
        data = {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"}
        assert world.staff.post(f"{ADMIN}articles/{model}/", data).status_code == 302

    return write


def admin_change(model, attribute, form_id, **changes):
    def write(world):
        obj = getattr(world, attribute)
        post_change_form(world.staff, f"{ADMIN}articles/{model}/{obj.pk}/change/", form_id, **changes)

    return write


def admin_add_section(world):
    data = {"name": "Kultura", "slug": "kultura", "position": "9"}
    assert world.staff.post(f"{ADMIN}articles/section/add/", data).status_code == 302


def admin_section_positions(world):
    """The section list's editable positions (list_editable), saved from the change list."""
    ArticleFactory(section=SectionFactory(name="Kultura", slug="kultura", position=5))  # the nav changes
    data = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-0-id": world.section.pk,
        "form-0-position": "7",
        "_save": "Sačuvaj",
    }
    assert world.staff.post(f"{ADMIN}articles/section/", data).status_code == 302
    assert Section.objects.get(pk=world.section.pk).position == 7


def admin_add_exception(world):
    data = {"text": "Fudbal"}
    assert world.staff.post(f"{ADMIN}articles/transliterationexception/add/", data).status_code == 302


def admin_add_breaking_news(world):
    """A second strip, newer than the shown one: it takes its place on every page."""
    strip = BreakingNews.objects.get()
    page = world.staff.get(f"{ADMIN}articles/breakingnews/{strip.pk}/change/").content.decode()
    fields = admin_form_fields(page, "breakingnews_form")
    now = timezone.localtime()
    fields.update(
        text="Derbi odložen zbog kiše",
        is_active="on",
        starts_at_0=now.strftime("%d.%m.%Y."),
        starts_at_1=now.strftime("%H:%M:%S"),
    )
    response = world.staff.post(f"{ADMIN}articles/breakingnews/add/", fields)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert BreakingNews.objects.shown().first().text == "Derbi odložen zbog kiše"


def admin_breaking_news(write):
    """An admin write to the world's one strip (``write(world, strip)``)."""

    def run(world):
        write(world, BreakingNews.objects.get())

    run.__name__ = write.__name__
    return run


@admin_breaking_news
def admin_edit_breaking_news(world, strip):
    url = f"{ADMIN}articles/breakingnews/{strip.pk}/change/"
    post_change_form(
        world.staff, url, "breakingnews_form", text="Derbi počinje dva sata ranije", is_active="on"
    )


@admin_breaking_news
def admin_switch_off_breaking_news(world, strip):
    data = {"action": "switch_off", "_selected_action": [strip.pk]}
    assert world.staff.post(f"{ADMIN}articles/breakingnews/", data).status_code == 302


@admin_breaking_news
def admin_delete_breaking_news(world, strip):
    url = f"{ADMIN}articles/breakingnews/{strip.pk}/delete/"
    assert world.staff.post(url, {"post": "yes"}).status_code == 302


@admin_breaking_news
def admin_bulk_delete_breaking_news(world, strip):
    data = {"action": "delete_selected", "_selected_action": [strip.pk], "post": "yes"}
    assert world.staff.post(f"{ADMIN}articles/breakingnews/", data).status_code == 302


def admin_add_live_entry(world):
    """The quick entry page of a live blog (articles/live_admin.py)."""
    url = f"{ADMIN}articles/article/{world.article.pk}/uzivo/"
    assert world.staff.post(url, {"text": "Gol u dvanaestom minutu!"}).status_code == 302


def admin_end_coverage(world):
    url = f"{ADMIN}articles/article/{world.article.pk}/uzivo/zavrsi/"
    assert world.staff.post(url, {"confirm": "on"}).status_code == 302


def admin_delete_live_entry(world):
    entry = LiveEntry.objects.get(article=world.article)
    url = f"{ADMIN}articles/liveentry/{entry.pk}/delete/"
    assert world.staff.post(url, {"post": "yes"}).status_code == 302


def service_save_live_entry(world):
    live.save_entry(LiveEntry(article=world.article, text="Poluvreme: 1:0."))


def admin_add_note(world):
    url = f"{ADMIN}articles/articlenote/add/?article={world.article.pk}"
    changes = {"kind": "reply", "replied_by": "FK Sloga", "text": "Utakmica nije odložena."}
    post_change_form(world.staff, url, "articlenote_form", **changes)


def admin_delete_note(world):
    note = ArticleNote.objects.get(article=world.article)
    url = f"{ADMIN}articles/articlenote/{note.pk}/delete/"
    assert world.staff.post(url, {"post": "yes"}).status_code == 302


def admin_impresum(world):
    changes = {
        "publisher": "Čitaonica d.o.o.",
        "address": "Knez Mihailova 1, Beograd",
        "editor_in_chief": "Vesna Petrović",
        "registration_number": "NV000123",
    }
    post_change_form(world.staff, f"{ADMIN}articles/impresum/", "impresum_form", **changes)


def admin_info_page(world):
    page = InfoPage.objects.get(key=InfoPage.Key.CONTACT)
    url = f"{ADMIN}articles/infopage/{page.pk}/change/"
    post_change_form(world.staff, url, "infopage_form", body="<p>Pišite nam na redakcija@example.org.</p>")


def admin_site_settings(world):
    post_change_form(
        world.staff, f"{ADMIN}articles/sitesettings/", "sitesettings_form", follow_text="Pratite nas"
    )


def admin_settings_page(world):
    """The one page with the site's texts and the comment policy (comments/admin.py), saved together."""
    url = f"{ADMIN}comments/commentsettings/"
    changes = {"sajt-tagline": "Novine koje se čitaju", "komentari-rules": "Budite pristojni."}
    post_change_form(world.staff, url, None, **changes)


def admin_restore_version(world):
    url = f"{ADMIN}articles/article/{world.article.pk}/change/"
    post_change_form(world.staff, url, "article_form")  # the version to go back to
    post_change_form(world.staff, url, "article_form", title="Derbi odložen zbog kiše")
    old = Version.objects.get_for_object(world.article).order_by("pk").first()
    history = f"{url.removesuffix('change/')}history/{old.pk}/"
    preview = world.staff.get(history).content.decode()
    assert world.staff.post(history, admin_form_fields(preview, "article_form")).status_code == 302
    # The reader must see the restored title, not the edit in between.
    assert Article.objects.get(pk=world.article.pk).title == "Derbi pred punim stadionom Reuters"


def admin_recover_deleted(world):
    url = f"{ADMIN}articles/article/{world.other.pk}/change/"
    post_change_form(world.staff, url, "article_form")  # a version to bring it back from
    assert (
        world.staff.post(f"{ADMIN}articles/article/{world.other.pk}/delete/", {"post": "yes"}).status_code
        == 302
    )
    version = Version.objects.get_deleted(Article).get(object_id=str(world.other.pk))
    recover = f"{ADMIN}articles/article/recover/{version.pk}/"
    fields = admin_form_fields(world.staff.get(recover).content.decode(), "article_form")
    assert world.staff.post(recover, fields).status_code == 302
    assert Article.objects.filter(pk=world.other.pk).exists()


def admin_edit_image(world):
    url = f"{ADMIN}articles/image/{world.image.pk}/change/"
    post_change_form(world.staff, url, "image_form", caption="Navijači na tribinama", credit="Foto: Tanjug")


def admin_describe_photos(world):
    """The library's details screen for a batch (here the one photo the pages show)."""
    image = world.image
    data = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-0-id": str(image.pk),
        "form-0-alt_text": image.alt_text,
        "form-0-caption": "Navijači pred utakmicu",
        "sve-credit": "Foto: Beta",
    }
    response = world.staff.post(f"{ADMIN}articles/image/opis/?ids={image.pk}", data)
    assert response.status_code == 302


def admin_edit_comment(world):
    url = f"{ADMIN}comments/articlecomment/{world.comment.pk}/change/"
    post_change_form(world.staff, url, "articlecomment_form", comment="Ispravljen tekst komentara.")


def admin_delete_comment(world):
    url = f"{ADMIN}comments/articlecomment/{world.comment.pk}/delete/"
    assert world.staff.post(url, {"post": "yes"}).status_code == 302


def admin_reject_comments(world):
    data = {"action": "reject_selected", "_selected_action": [world.comment.pk]}
    assert world.staff.post(f"{ADMIN}comments/articlecomment/", data).status_code == 302


def held_comment(world):
    return ArticleCommentFactory(article=world.article, comment="Komentar koji čeka odluku.", is_public=False)


def admin_approve_comments(world):
    held = held_comment(world)
    data = {"action": "approve_selected", "_selected_action": [held.pk]}
    assert world.staff.post(f"{ADMIN}comments/articlecomment/", data).status_code == 302


def desk_decide(action, make=None):
    def write(world):
        comment = make(world) if make else world.comment
        data = {"action": action, "comments": comment.pk, "reason": "other" if action == "reject" else ""}
        response = world.staff.post(f"{ADMIN}comments/articlecomment/desk/odluka/", data)
        assert response.status_code in (200, 302), response.content.decode()[:500]

    write.__name__ = f"desk_{action}"
    return write


def desk_ban(world):
    data = {"comment": world.comment.pk, "period": "7", "reason": "Vređanje", "by_email": "on"}
    response = world.staff.post(f"{ADMIN}comments/articlecomment/desk/zabrana/", data)
    assert response.status_code in (200, 302), response.content.decode()[:500]


def desk_undo(world):
    """The moderator's last decision (a rejection, made before the pages were cached) undone."""
    response = world.staff.post(f"{ADMIN}comments/articlecomment/desk/ponisti/")
    assert response.status_code in (200, 302)


def reader_reacts(world):
    assert Client().post(f"/komentari/{world.comment.pk}/reakcija/", {"value": "1"}).status_code == 302


def reader_posts_trusted_comment(world):
    """A signed-in regular posts through the article's real form: published on trust, no moderator."""
    page = world.staff.get(world.article.get_absolute_url()).content.decode()
    fields = comment_form_fields(page)
    fields.update(name="Urednik", email="urednik@example.org", comment="Objavljen odmah, na poverenje.")
    response = world.staff.post("/komentari/posalji/", fields)
    assert response.status_code == 302, response.content.decode()[:500]
    assert ArticleComment.objects.get(comment="Objavljen odmah, na poverenje.").is_public


def service_react(world):
    moderation.react(world.comment, "reader-1", Reaction.LIKE, network="net-1")


def reader_deletes_own_comment(world):
    my_comments.delete_comments(world.comment.email_key)


def service_publish_now(world):
    draft = ArticleFactory(
        section=world.section, title="Novi trener predstavljen", status=Article.Status.DRAFT
    )
    services.publish_now([draft.pk])


def service_withdraw(world):
    services.withdraw([world.article.pk])


def service_save_article(world):
    world.article.title = "Derbi odložen zbog kiše"
    services.save_article(world.article)


def service_delete_tag(world):
    services.delete_shown(Tag.objects.filter(pk=world.tag.pk))


def reads_flushed(world):
    HourlyReadCount.objects.filter(article=world.other).delete()  # outside any service: the flush below tells
    reads._waiting[(world.article.pk, reads.current_hour())] += 50
    reads.flush()


def command_load_demo(world):
    call_command("load_demo", stdout=None)


def command_load_demo_comments(world):
    call_command("load_demo_comments", stdout=None)


# How soon a write must show. A may-lag invalidation promises nothing before the lag has passed: the test
# holds it back until then, so an at-once write is proved by its own at-once invalidations alone.
AT_ONCE = "every page reading what it wrote, at once"
OWN_PAGE_AT_ONCE = "the article's own page at once; comment counts on other pages' cards may lag"
MAY_LAG = "every page reading what it wrote, once the lag has passed"

# (name, the function, the tables it writes, how soon)
WRITE_PATHS = [
    ("admin-form-edit-article", admin_edit_article, {"articles_article", "articles_article_tags"}, AT_ONCE),
    ("admin-form-byline", admin_add_byline, {"articles_articleauthor", "articles_author"}, AT_ONCE),
    ("admin-form-withdraw", admin_withdraw_article, {"articles_article"}, AT_ONCE),
    ("admin-bulk-publish", admin_bulk("publish_now"), {"articles_article"}, AT_ONCE),
    ("admin-bulk-withdraw", admin_bulk("withdraw"), {"articles_article"}, AT_ONCE),
    ("admin-bulk-move", admin_bulk_move, {"articles_article", "articles_section"}, AT_ONCE),
    (
        "admin-delete-article-cascades",
        admin_delete_article_cascades,
        {"articles_article", "articles_articleauthor", "articles_hourlyreadcount", *COMMENT_TABLES},
        AT_ONCE,
    ),
    (
        "admin-bulk-delete-articles",
        admin_bulk_delete("article", "other"),
        {"articles_article", "articles_articleauthor", "articles_hourlyreadcount"},
        AT_ONCE,
    ),
    ("admin-restore-version", admin_restore_version, {"articles_article", "articles_articleauthor"}, AT_ONCE),
    ("admin-recover-deleted", admin_recover_deleted, {"articles_article", "articles_articleauthor"}, AT_ONCE),
    (
        "admin-form-section",
        admin_change("section", "section", "section_form", name="Sport i rekreacija"),
        {"articles_section"},
        AT_ONCE,
    ),
    ("admin-add-section", admin_add_section, {"articles_section"}, AT_ONCE),
    ("admin-list-section-positions", admin_section_positions, {"articles_section"}, AT_ONCE),
    (
        "admin-form-author",
        admin_change("author", "author", "author_form", name="Jelena Marković Petrović"),
        {"articles_author"},
        AT_ONCE,
    ),
    (
        "admin-form-tag",
        admin_change("tag", "tag", "tag_form", name="Fudbal i futsal"),
        {"articles_tag"},
        AT_ONCE,
    ),
    (
        "admin-delete-tag-cascades",
        admin_delete("tag", "tag"),
        {"articles_tag", "articles_article_tags"},
        AT_ONCE,
    ),
    (
        "admin-bulk-delete-tags",
        admin_bulk_delete("tag", "tag"),
        {"articles_tag", "articles_article_tags"},
        AT_ONCE,
    ),
    ("admin-form-image", admin_edit_image, {"articles_image"}, AT_ONCE),
    ("admin-describe-photos", admin_describe_photos, {"articles_image"}, AT_ONCE),
    (
        "admin-delete-image-sets-null",
        admin_delete("image", "image"),
        {"articles_image", "articles_article"},
        AT_ONCE,
    ),
    ("admin-form-site-settings", admin_site_settings, {"articles_sitesettings"}, AT_ONCE),
    (
        "admin-settings-page",
        admin_settings_page,
        {"articles_sitesettings", "comments_commentsettings"},
        AT_ONCE,
    ),
    ("admin-add-exception", admin_add_exception, {"articles_transliterationexception"}, AT_ONCE),
    ("admin-add-breaking-news", admin_add_breaking_news, {"articles_breakingnews"}, AT_ONCE),
    ("admin-form-breaking-news", admin_edit_breaking_news, {"articles_breakingnews"}, AT_ONCE),
    (
        "admin-bulk-switch-off-breaking-news",
        admin_switch_off_breaking_news,
        {"articles_breakingnews"},
        AT_ONCE,
    ),
    ("admin-delete-breaking-news", admin_delete_breaking_news, {"articles_breakingnews"}, AT_ONCE),
    (
        "admin-bulk-delete-breaking-news",
        admin_bulk_delete_breaking_news,
        {"articles_breakingnews"},
        AT_ONCE,
    ),
    # A new entry is at once on its page and in its polled part; feeds and sitemaps date it within the lag.
    (
        "admin-add-live-entry",
        admin_add_live_entry,
        {"articles_liveentry", "articles_article"},
        OWN_PAGE_AT_ONCE,
    ),
    ("admin-end-coverage", admin_end_coverage, {"articles_article"}, AT_ONCE),
    ("admin-delete-live-entry", admin_delete_live_entry, {"articles_liveentry"}, AT_ONCE),
    (
        "service-save-live-entry",
        service_save_live_entry,
        {"articles_liveentry", "articles_article"},
        OWN_PAGE_AT_ONCE,
    ),
    ("admin-add-note", admin_add_note, {"articles_articlenote", "articles_article"}, AT_ONCE),
    ("admin-delete-note", admin_delete_note, {"articles_articlenote", "articles_article"}, AT_ONCE),
    ("admin-form-impresum", admin_impresum, {"articles_impresum"}, AT_ONCE),
    ("admin-form-info-page", admin_info_page, {"articles_infopage"}, AT_ONCE),
    ("admin-form-comment", admin_edit_comment, COMMENT_TABLES, AT_ONCE),
    ("admin-delete-comment", admin_delete_comment, {*COMMENT_TABLES, "articles_article"}, OWN_PAGE_AT_ONCE),
    ("admin-bulk-reject-comments", admin_reject_comments, DECIDED, OWN_PAGE_AT_ONCE),
    ("admin-bulk-approve-comments", admin_approve_comments, DECIDED, MAY_LAG),
    ("desk-reject", desk_decide("reject"), DECIDED, OWN_PAGE_AT_ONCE),
    ("desk-approve", desk_decide("approve", held_comment), DECIDED, MAY_LAG),
    ("desk-feature", desk_decide("feature"), DECIDED - {"articles_article"}, MAY_LAG),
    ("desk-ban", desk_ban, DECIDED, OWN_PAGE_AT_ONCE),
    ("desk-undo", desk_undo, DECIDED | {"comments_decision"}, OWN_PAGE_AT_ONCE),
    ("reader-reaction", reader_reacts, {"comments_articlecomment", "comments_reaction"}, MAY_LAG),
    (
        "reader-posts-trusted-comment",
        reader_posts_trusted_comment,
        {*COMMENT_TABLES, "articles_article"},
        MAY_LAG,
    ),
    ("service-react", service_react, {"comments_articlecomment"}, MAY_LAG),
    ("reader-deletes-own-comment", reader_deletes_own_comment, DECIDED, OWN_PAGE_AT_ONCE),
    ("service-publish-now", service_publish_now, {"articles_article"}, AT_ONCE),
    ("service-withdraw", service_withdraw, {"articles_article"}, AT_ONCE),
    ("service-save-article", service_save_article, {"articles_article"}, AT_ONCE),
    ("service-delete-tag", service_delete_tag, {"articles_tag", "articles_article_tags"}, AT_ONCE),
    ("reads-flush", reads_flushed, {"articles_hourlyreadcount"}, MAY_LAG),
    (
        "command-load-demo",
        command_load_demo,
        {
            "articles_article",
            "articles_section",
            "articles_author",
            "articles_tag",
            "articles_image",
            "articles_articleauthor",
            "articles_hourlyreadcount",
            "articles_sitesettings",
        },
        AT_ONCE,
    ),
    # Demo comments appear, as approved ones do: their counts on other pages' cards may lag.
    (
        "command-load-demo-comments",
        command_load_demo_comments,
        {*COMMENT_TABLES, "articles_article"},
        MAY_LAG,
    ),
]


def tables_in(queries, pattern):
    return {
        name.lower()
        for query in queries
        for name in set(pattern.findall(query["sql"])) - set(COMMON_TABLE.findall(query["sql"]))
    }


WRITTEN = re.compile(r'\b(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?([a-z_][a-z0-9_]*)"?', re.IGNORECASE)
# One Latin address per cacheable view, and the Cyrillic ones of the pages Cyrillic readers land on.
CYRILLIC_TOO = {"articles:home", "articles:article", "articles:section"}
_tables_read = {}


def cached_pages(world):
    """``{page: (address, tables it reads)}``; the tables are a property of the view, found once."""
    pages = {}
    for route in ROUTES:
        url = url_of(route, world.article)
        variants = [(route, url)] + ([(f"{route}@cir", "/cir" + url)] if route in CYRILLIC_TOO else [])
        for page, address in variants:
            if page not in _tables_read:
                forget_every_page()
                with CaptureQueriesContext(connection) as queries:
                    response = Client().get(address)
                assert response.status_code in (200, 301, 302), address
                # A redirect (today's archive to its day) is never stored: nothing of it can go stale.
                _tables_read[page] = tables_in(queries, TABLE) if response.status_code == 200 else set()
            pages[page] = (address, _tables_read[page])
    forget_every_page()
    return pages


def test_every_table_a_cached_page_reads_is_written_by_a_write_path_tested_here(world):
    read = set().union(*(tables for _, tables in cached_pages(world).values()))
    written = set().union(*(tables for _, _, tables, _ in WRITE_PATHS))
    assert "articles_article" in read and "comments_articlecomment" in read  # the capture works
    assert read - written - NEVER_CHANGED_WHILE_SERVING == set()
    assert read - written >= NEVER_CHANGED_WHILE_SERVING  # the allow-list names only what it must


@pytest.mark.parametrize(
    ("write", "tables", "promise"),
    [path[1:] for path in WRITE_PATHS],
    ids=[path[0] for path in WRITE_PATHS],
)
def test_a_write_reaches_every_cached_page_that_reads_what_it_wrote(
    world, write, tables, promise, monkeypatch
):
    pages = {page: url for page, (url, read) in cached_pages(world).items() if read & tables}
    assert pages, "no cached page reads what this writes"
    before = {}
    for page, url in pages.items():
        Client().get(url)
        again = Client().get(url)
        assert getattr(again, "page_cache_hit", None), f"{page} was not cached"
        before[page] = served(again)

    held_back = []
    arrive_later = invalidation.changed_may_lag
    monkeypatch.setattr(invalidation, "changed_may_lag", lambda *scopes: held_back.append(scopes))
    with CaptureQueriesContext(connection) as queries:
        write(world)
    monkeypatch.setattr(invalidation, "changed_may_lag", arrive_later)
    assert tables <= tables_in(queries, WRITTEN), "the write path does not write what it says"

    at_once = {
        AT_ONCE: set(pages),
        OWN_PAGE_AT_ONCE: {page for page in pages if page.startswith(OWN_PAGES)},
        MAY_LAG: set(),
    }[promise]
    stale = [page for page in sorted(at_once) if not answers_afresh(pages[page])]
    assert not stale, f"stale at once after the write: {stale}"

    for scopes in held_back:
        arrive_later(*scopes)
    with time_machine.travel(timezone.now() + timedelta(seconds=lag_seconds() + 1)):
        stale = [page for page, url in sorted(pages.items()) if not answers_afresh(url)]
        changed = [page for page, url in pages.items() if fresh(url) != before[page]]
    assert changed, "the write changed no page: it proves nothing here"
    assert not stale, f"stale once the lag has passed: {stale}"


# An article's own pages: the page in its forms and a live blog's polled part.
OWN_PAGES = ("articles:article", "articles:live_entries")


def answers_afresh(url):
    """The cache answers with the page as it is made now (and, if it changed, not with its old copy)."""
    return served(Client().get(url)) == fresh(url)
