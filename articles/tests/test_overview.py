"""The editors' day overview (articles/overview.py) and who created and published each article."""

import html
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import reversion
import time_machine
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import services
from articles.models import Article
from articles.tests.factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db

OVERVIEW = "/admin/articles/article/pregled/"
CHANGELIST = "/admin/articles/article/"
Status = Article.Status


def local(*args):
    """An aware time on the newsroom's clock."""
    return datetime(*args, tzinfo=ZoneInfo("Europe/Belgrade"))


def staff(django_user_model, username, group=None, **names):
    user = django_user_model.objects.create_user(username, password="x", is_staff=True, **names)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def editor(django_user_model):
    return staff(django_user_model, "vesna", "Urednici", first_name="Vesna", last_name="Kovač")


@pytest.fixture
def editor_client(editor):
    return signed_in(editor)


def block_titles(response, slug):
    """The article titles the editor reads in one list of the overview, top to bottom."""
    page = response.content.decode()
    start = page.index(f'data-overview="{slug}"')
    end = page.find("data-overview=", start + 1)
    chunk = page[start : end if end != -1 else len(page)]
    return [
        html.unescape(t) for t in re.findall(r'class="overview-item__title" href="[^"]*">([^<]*)</a>', chunk)
    ]


def block_text(response, slug):
    page = response.content.decode()
    start = page.index(f'data-overview="{slug}"')
    end = page.find("data-overview=", start + 1)
    return html.unescape(re.sub(r"<[^>]+>", " ", page[start : end if end != -1 else len(page)]))


def article(title, status, published_at=None, **fields):
    return ArticleFactory(title=title, status=status, published_at=published_at, **fields)


def set_modified(article, when):
    Article.objects.filter(pk=article.pk).update(modified_at=when)


# The blocks' contents.


@time_machine.travel(local(2026, 12, 7, 10, 0), tick=False)
def test_ready_block_lists_ready_articles_longest_waiting_first_with_section_and_people(
    editor, editor_client, django_user_model
):
    now = timezone.now()
    writer = staff(django_user_model, "marko")
    newer = article("Noviji spreman", Status.READY, created_by=writer)
    older = article("Stariji spreman", Status.READY, created_by=editor)
    for who in (editor, writer):  # two saves in the admin, the newest by the writer
        with reversion.create_revision():
            reversion.set_user(who)
            reversion.add_to_revision(older)
    set_modified(newer, now - timedelta(minutes=10))
    set_modified(older, now - timedelta(hours=3))
    article("Nacrt", Status.DRAFT, created_by=editor)
    article("Objavljen", Status.PUBLISHED, now - timedelta(hours=1))
    article("Povučen", Status.WITHDRAWN, now - timedelta(hours=1))
    article("Zakazan", Status.PUBLISHED, now + timedelta(hours=1))

    response = editor_client.get(OVERVIEW)

    assert response.status_code == 200
    assert block_titles(response, "spremno") == ["Stariji spreman", "Noviji spreman"]
    text = block_text(response, "spremno")
    assert "Spremno za objavu (2)" in " ".join(text.split())
    assert "napravio: Vesna Kovač · izmenio: marko" in " ".join(text.split())
    assert "napravio: marko" in text and text.count("izmenio:") == 1
    assert older.section.name in text


# (now, the last minute of today, the first minute of tomorrow): an ordinary day, the day clocks go back
# (25 hours) and the day they go forward (23 hours) in Belgrade.
DAYS = [
    pytest.param(
        local(2026, 12, 7, 10, 0), local(2026, 12, 7, 23, 59), local(2026, 12, 8, 0, 1), id="ordinary"
    ),
    pytest.param(
        local(2026, 10, 25, 1, 0), local(2026, 10, 25, 23, 59), local(2026, 10, 26, 0, 1), id="25-hours"
    ),
    pytest.param(
        local(2027, 3, 28, 1, 0), local(2027, 3, 28, 23, 59), local(2027, 3, 29, 0, 1), id="23-hours"
    ),
]


@pytest.mark.parametrize(("now", "last_minute", "first_minute_tomorrow"), DAYS)
def test_scheduled_today_ends_at_local_midnight_and_tomorrow_follows(
    editor, now, last_minute, first_minute_tomorrow
):
    with time_machine.travel(now, tick=False):
        editor_client = signed_in(editor)  # a session begun on that day
        article("Tik pred ponoć", Status.PUBLISHED, last_minute)
        article("Prvi danas", Status.PUBLISHED, now + timedelta(minutes=1))
        article("Posle ponoći", Status.PUBLISHED, first_minute_tomorrow)
        article("Prekosutra", Status.PUBLISHED, first_minute_tomorrow + timedelta(days=1))
        article("Već objavljen", Status.PUBLISHED, now - timedelta(minutes=1))
        article("Povučen zakazani", Status.WITHDRAWN, now + timedelta(hours=1))
        article("Nacrt sa vremenom", Status.DRAFT, now + timedelta(hours=1))

        response = editor_client.get(OVERVIEW)

    assert block_titles(response, "zakazano-danas") == ["Prvi danas", "Tik pred ponoć"]
    assert block_titles(response, "zakazano-sutra") == ["Posle ponoći"]
    assert "u 23.59" in block_text(response, "zakazano-danas")
    assert "u 00.01" in block_text(response, "zakazano-sutra")


@time_machine.travel(local(2026, 12, 7, 10, 0), tick=False)
def test_published_block_covers_exactly_six_hours_newest_first_with_who_published(
    editor, editor_client, django_user_model
):
    now = timezone.now()
    nameless = staff(django_user_model, "dezurni")
    article("Pre 5h59", Status.PUBLISHED, now - timedelta(hours=5, minutes=59), published_by=editor)
    article("Pre 6h01", Status.PUBLISHED, now - timedelta(hours=6, minutes=1), published_by=editor)
    article("Pre sat", Status.PUBLISHED, now - timedelta(hours=1), published_by=nameless)
    article("Povučen posle objave", Status.WITHDRAWN, now - timedelta(hours=1), published_by=editor)
    article("Zakazan", Status.PUBLISHED, now + timedelta(hours=1), published_by=editor)

    response = editor_client.get(OVERVIEW)

    assert block_titles(response, "objavljeno") == ["Pre sat", "Pre 5h59"]
    text = " ".join(block_text(response, "objavljeno").split())
    assert "u 09.00 Pre sat" in text and "objavio: dezurni" in text
    assert "u 04.01 Pre 5h59" in text and "objavio: Vesna Kovač" in text


@time_machine.travel(local(2026, 12, 7, 10, 0), tick=False)
def test_my_drafts_are_mine_only_latest_changed_first(editor, editor_client, django_user_model):
    now = timezone.now()
    colleague = staff(django_user_model, "marko", "Urednici")
    earlier = article("Moj raniji nacrt", Status.DRAFT, created_by=editor)
    later = article("Moj kasniji nacrt", Status.DRAFT, created_by=editor)
    set_modified(earlier, now - timedelta(days=2))
    set_modified(later, now - timedelta(hours=1))
    article("Markov nacrt", Status.DRAFT, created_by=colleague)
    article("Nacrt bez autora", Status.DRAFT)
    article("Moj spreman", Status.READY, created_by=editor)
    article("Moj povučen", Status.WITHDRAWN, now - timedelta(days=1), created_by=editor)

    assert block_titles(editor_client.get(OVERVIEW), "moji-nacrti") == [
        "Moj kasniji nacrt",
        "Moj raniji nacrt",
    ]
    assert block_titles(signed_in(colleague).get(OVERVIEW), "moji-nacrti") == ["Markov nacrt"]


def test_empty_blocks_say_so_in_words(editor_client):
    response = editor_client.get(OVERVIEW)

    assert "Nema članaka spremnih za objavu." in block_text(response, "spremno")
    assert "Za danas nije ništa zakazano." in block_text(response, "zakazano-danas")
    assert "Za sutra nije ništa zakazano." in block_text(response, "zakazano-sutra")
    assert "U poslednjih 6 sati ništa nije objavljeno." in block_text(response, "objavljeno")
    assert "Nemate nacrta." in block_text(response, "moji-nacrti")


def test_each_row_opens_the_article_change_form(editor, editor_client):
    ready = article("Spreman za klik", Status.READY, created_by=editor)

    response = editor_client.get(OVERVIEW)

    assert f'href="/admin/articles/article/{ready.pk}/change/"' in response.content.decode()
    assert editor_client.get(f"/admin/articles/article/{ready.pk}/change/").status_code == 200


# "Svi (N)": at most 20 rows, and the changelist filtered to the same articles.


def test_a_long_list_shows_twenty_rows_and_a_link_to_all(editor_client):
    ArticleFactory.create_batch(21, status=Status.READY, published_at=None)

    response = editor_client.get(OVERVIEW)

    assert len(block_titles(response, "spremno")) == 20
    assert f'href="{CHANGELIST}?pregled=spremno">Svi (21)</a>' in response.content.decode()


@time_machine.travel(local(2026, 12, 7, 10, 0), tick=False)
def test_svi_link_opens_the_changelist_with_the_same_articles(editor, editor_client, django_user_model):
    now = timezone.now()
    colleague = staff(django_user_model, "marko", "Urednici")
    expected = {
        "spremno": [article("Spreman", Status.READY)],
        "zakazano-danas": [article("Danas u podne", Status.PUBLISHED, local(2026, 12, 7, 12, 0))],
        "zakazano-sutra": [article("Sutra ujutru", Status.PUBLISHED, local(2026, 12, 8, 8, 0))],
        "objavljeno": [article("Upravo", Status.PUBLISHED, now - timedelta(hours=2))],
        "moji-nacrti": [article("Moj nacrt", Status.DRAFT, created_by=editor)],
    }
    article("Markov nacrt", Status.DRAFT, created_by=colleague)
    article("Staro", Status.PUBLISHED, now - timedelta(days=2))

    for slug, articles in expected.items():
        response = editor_client.get(CHANGELIST, {"pregled": slug})
        assert response.status_code == 200, slug
        assert [a.pk for a in response.context["cl"].result_list] == [a.pk for a in articles], slug


@pytest.mark.parametrize(
    "value",
    ["nesto", "", "SPREMNO", "spremno'--", "<script>alert(1)</script>", "moji-nacrti\x00"],
    ids=["unknown", "empty", "uppercase", "sql-ish", "markup", "nul"],
)
def test_an_unknown_overview_filter_is_refused_as_the_admin_refuses_bad_lookups(editor_client, value):
    response = editor_client.get(CHANGELIST, {"pregled": value})

    assert response.status_code == 302 and response["Location"].endswith("?e=1")


# Who may see it.


def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(OVERVIEW)

    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize(
    ("group", "staff_flag"),
    [(None, True), ("Moderatori", True)],
    ids=["staff-without-article-permissions", "moderator"],
)
def test_staff_without_article_permissions_are_refused(django_user_model, group, staff_flag):
    user = staff(django_user_model, "neko", group)
    user.user_permissions.add(Permission.objects.get(codename="view_article"))
    client = signed_in(user)

    assert client.get(OVERVIEW).status_code == 403
    assert "Urednički pregled" not in client.get("/admin/").content.decode()


def test_reader_account_is_sent_to_sign_in(django_user_model):
    reader = django_user_model.objects.create_user("citalac", password="x")

    response = signed_in(reader).get(OVERVIEW)

    assert response.status_code == 302 and "/login/" in response["Location"]


def test_admin_index_and_header_link_editors_to_the_overview(editor_client):
    page = editor_client.get("/admin/").content.decode()

    assert page.count(f'href="{OVERVIEW}"') == 2  # the block at the top of the index and the header


# A fixed number of queries, however full the blocks are.


def fill_blocks(per_block, editor, django_user_model, now):
    colleague = django_user_model.objects.create_user(
        f"kolega{per_block}", first_name="Ana", last_name="Ilić"
    )
    for n in range(per_block):
        section = SectionFactory()
        people = {"created_by": colleague, "published_by": colleague, "section": section}
        article(f"Spreman {n}", Status.READY, **people)
        article(f"Danas {n}", Status.PUBLISHED, now + timedelta(minutes=n + 1), **people)
        article(f"Sutra {n}", Status.PUBLISHED, local(2026, 12, 8, 9, n), **people)
        article(f"Objavljen {n}", Status.PUBLISHED, now - timedelta(minutes=n + 1), **people)
        article(f"Nacrt {n}", Status.DRAFT, section=section, created_by=editor)


@pytest.mark.parametrize("per_block", [1, 15])
def test_overview_runs_a_fixed_number_of_queries(editor, editor_client, django_user_model, per_block):
    with time_machine.travel(local(2026, 12, 7, 10, 0), tick=False):
        fill_blocks(per_block, editor, django_user_model, timezone.now())
        editor_client.get(OVERVIEW)  # the session and permission caches are warm from here
        with CaptureQueriesContext(connection) as queries:
            response = editor_client.get(OVERVIEW)

    assert len(block_titles(response, "spremno")) == per_block
    assert len(block_titles(response, "moji-nacrti")) == per_block
    assert len(queries) == 14, [q["sql"] for q in queries]


# Who created and who published an article.


def new_article_form(section, status, **changes):
    data = {
        "kicker": "",
        "title": "Novi most preko reke",
        "slug": "",
        "lead": "Radovi počinju na proleće.",
        "body": "<p>Tekst.</p>",
        "hero_image": "",
        "hero_caption": "",
        "section": section.pk,
        "status": status,
        "published_at_0": "",
        "published_at_1": "",
        "updated_at_0": "",
        "updated_at_1": "",
        "comments_enabled": "on",
        "seo_description": "",
        "articleauthor_set-TOTAL_FORMS": "0",
        "articleauthor_set-INITIAL_FORMS": "0",
        "articleauthor_set-MIN_NUM_FORMS": "0",
        "articleauthor_set-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("status", "published_by_editor"),
    [(Status.DRAFT, False), (Status.READY, False), (Status.PUBLISHED, True)],
    ids=["draft", "ready", "published"],
)
def test_new_article_from_the_form_records_who_created_and_published_it(
    editor, editor_client, status, published_by_editor
):
    response = editor_client.post(f"{CHANGELIST}add/", new_article_form(SectionFactory(), status))

    assert response.status_code == 302
    saved = Article.objects.get()
    assert saved.created_by == editor
    assert saved.published_by == (editor if published_by_editor else None)


def change_form(saved, status):
    local_time = timezone.localtime(saved.published_at) if saved.published_at else None
    return new_article_form(
        saved.section,
        status,
        title=saved.title,
        slug=saved.slug,
        published_at_0=local_time.strftime("%d.%m.%Y.") if local_time else "",
        published_at_1=local_time.strftime("%H:%M:%S") if local_time else "",
    )


@pytest.mark.parametrize(
    ("before", "after", "published_by_second"),
    [
        (Status.DRAFT, Status.PUBLISHED, True),
        (Status.READY, Status.PUBLISHED, True),
        (Status.WITHDRAWN, Status.PUBLISHED, True),
        (Status.PUBLISHED, Status.PUBLISHED, False),
        (Status.DRAFT, Status.READY, False),
    ],
    ids=["draft-published", "ready-published", "withdrawn-published", "correction", "draft-ready"],
)
def test_changing_an_article_records_who_published_it_only_when_it_goes_public(
    editor, django_user_model, before, after, published_by_second
):
    second = staff(django_user_model, "marko", "Urednici")
    published_at = timezone.now() - timedelta(days=1) if before != Status.DRAFT else None
    existing = article("Postojeći", before, published_at, created_by=editor, published_by=editor)

    response = signed_in(second).post(f"{CHANGELIST}{existing.pk}/change/", change_form(existing, after))

    assert response.status_code == 302
    existing.refresh_from_db()
    assert existing.status == after
    assert existing.created_by == editor
    assert existing.published_by == (second if published_by_second else editor)


def test_bulk_publish_now_records_who_published(editor, editor_client, django_user_model):
    writer = staff(django_user_model, "marko")
    drafts = [article(f"Nacrt {n}", Status.DRAFT, created_by=writer) for n in range(2)]

    editor_client.post(CHANGELIST, {"action": "publish_now", "_selected_action": [a.pk for a in drafts]})

    for draft in drafts:
        draft.refresh_from_db()
        assert (draft.status, draft.published_by, draft.created_by) == (Status.PUBLISHED, editor, writer)


def test_publish_now_service_records_the_user_it_is_given(editor):
    ready = article("Spreman", Status.READY)

    assert services.publish_now([ready.pk], user=editor) == 1

    ready.refresh_from_db()
    assert ready.published_by == editor and ready.published_at is not None
