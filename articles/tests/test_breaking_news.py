"""The "Najnovije" strip: the editors' admin, the strip on every reader page, and its start and expiry
reaching cached pages with no save."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import services
from articles.apps import next_breaking_news_change
from articles.demo import load_demo
from articles.models import BreakingNews, SiteSettings

from .factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/articles/breakingnews/add/"
LIST_URL = "/admin/articles/breakingnews/"
LINK_ERROR = "Link mora biti adresa na našem sajtu koja počinje jednom kosom crtom"


def strip(text="Derbi počinje sat ranije", url="/sport/", starts=-60, expires=120, is_active=True):
    """A strip starting and expiring ``starts`` and ``expires`` minutes from now."""
    now = timezone.now()
    return BreakingNews.objects.create(
        text=text,
        url=url,
        is_active=is_active,
        starts_at=now + timedelta(minutes=starts),
        expires_at=now + timedelta(minutes=expires),
    )


@pytest.fixture
def article():
    SiteSettings.get_solo()
    sport = SectionFactory(name="Sport", slug="sport")
    return ArticleFactory(section=sport, title="Derbi pred punim stadionom")


@pytest.fixture
def editor_client(django_user_model):
    editor = django_user_model.objects.create_user("urednica", password="x", is_staff=True)
    editor.groups.add(Group.objects.get(name="Urednici"))
    client = Client()
    client.force_login(editor)
    return client


def form_data(**changes):
    """The add form as an editor fills it in (the admin splits each time into a date and a time)."""
    local = timezone.localtime()
    later = local + timedelta(hours=3)
    data = {
        "text": "Derbi počinje sat ranije",
        "url": "/sport/",
        "is_active": "on",
        "starts_at_0": local.strftime("%d.%m.%Y."),
        "starts_at_1": local.strftime("%H:%M:%S"),
        "expires_at_0": later.strftime("%d.%m.%Y."),
        "expires_at_1": later.strftime("%H:%M:%S"),
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def shown_strip(html):
    """The strip's region in a page, or None."""
    start = html.find('<div class="breaking-news"')
    return None if start < 0 else html[start : html.index("</div>", start)]


# --- The admin ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/sport/", "/sport/1-derbi/?izvor=traka#komentari", "https://example.org/vest"])
def test_an_editor_adds_a_strip_that_every_page_shows_at_once(article, editor_client, url):
    Client().get("/")  # a cached front page from before
    response = editor_client.post(ADD_URL, form_data(url=url))
    assert response.status_code == 302
    saved = BreakingNews.objects.get()
    assert saved.url == url and saved.created_by.username == "urednica"
    for page in ["/", article.get_absolute_url(), "/sport/"]:
        region = shown_strip(Client().get(page).content.decode())
        assert region and "Derbi počinje sat ranije" in region, page
        assert f'href="{url.replace("&", "&amp;")}"' in region


@pytest.mark.parametrize(
    "url",
    [
        "//evil.example/",
        "/\\evil.example/",
        "\\\\evil.example",
        "https:evil.example",
        "https:/evil.example",
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "http://example.org/",
        "ftp://example.org/",
        "evil.example/vest",
        "https://",
        "https://korisnik:lozinka@evil.example/",
        "https://example.org@evil.example/",
        "/\t/evil.example",
        "/vesti/\nx",
        "/ve sti/",
        "https://exa mple.org/",
        "/\u202eevil",
        "/\u200bevil",
        "/\x7f",
    ],
)
def test_a_link_that_could_lead_elsewhere_is_refused_in_serbian(article, editor_client, url):
    response = editor_client.post(ADD_URL, form_data(url=url))
    assert response.status_code == 200
    assert LINK_ERROR in response.content.decode()
    assert not BreakingNews.objects.exists()


def test_a_null_character_is_refused(article, editor_client):
    assert editor_client.post(ADD_URL, form_data(url="/\x00")).status_code == 200
    assert not BreakingNews.objects.exists()


def test_surrounding_spaces_are_trimmed_before_the_link_is_checked(article, editor_client):
    assert editor_client.post(ADD_URL, form_data(url="  /sport/ ")).status_code == 302
    assert BreakingNews.objects.get().url == "/sport/"
    assert LINK_ERROR in editor_client.post(ADD_URL, form_data(url=" //evil.example")).content.decode()


def test_an_expiry_before_the_start_is_refused(article, editor_client):
    earlier = timezone.localtime() - timedelta(hours=1)
    data = form_data(expires_at_0=earlier.strftime("%d.%m.%Y."), expires_at_1=earlier.strftime("%H:%M:%S"))
    response = editor_client.post(ADD_URL, data)
    assert response.status_code == 200
    assert "Traka mora da istekne posle početka prikazivanja." in response.content.decode()
    assert not BreakingNews.objects.exists()


def test_a_strip_switched_on_must_expire_in_the_future(article, editor_client):
    start = timezone.localtime() - timedelta(hours=3)
    end = timezone.localtime() - timedelta(hours=1)
    data = form_data(
        starts_at_0=start.strftime("%d.%m.%Y."),
        starts_at_1=start.strftime("%H:%M:%S"),
        expires_at_0=end.strftime("%d.%m.%Y."),
        expires_at_1=end.strftime("%H:%M:%S"),
    )
    response = editor_client.post(ADD_URL, data)
    assert response.status_code == 200
    assert "Uključena traka mora da ističe u budućnosti." in response.content.decode()
    assert not BreakingNews.objects.exists()
    # Switched off, an old strip may be kept for the record.
    assert editor_client.post(ADD_URL, {**data, "is_active": ""}).status_code == 302


def test_missing_text_and_times_are_refused(article, editor_client):
    response = editor_client.post(ADD_URL, form_data(text="", expires_at_0=None, expires_at_1=None))
    assert response.status_code == 200
    assert response.content.decode().count("Ovo polje se mora popuniti.") >= 2
    assert not BreakingNews.objects.exists()


def test_the_list_says_which_strip_is_shown_scheduled_expired_or_off(article, editor_client):
    strip(text="Prikazana traka")
    strip(text="Zakazana traka", starts=30, expires=90)
    strip(text="Istekla traka", starts=-90, expires=-30)
    strip(text="Isključena traka", is_active=False)
    html = editor_client.get(LIST_URL).content.decode()
    assert "Najnovije vesti (traka)" in html
    for text, state in [
        ("Prikazana traka", "prikazuje se"),
        ("Zakazana traka", "zakazano"),
        ("Istekla traka", "isteklo"),
        ("Isključena traka", "isključeno"),
    ]:
        row = html[html.index(text) :]
        row = row[: row.index("</tr>")]
        assert f"<td class=\"field-state\">{state}</td>" in row, text


def test_switching_strips_off_and_deleting_them_reaches_every_page(article, editor_client):
    shown = strip()
    assert shown_strip(Client().get("/").content.decode())
    data = {"action": "switch_off", "_selected_action": [shown.pk]}
    assert editor_client.post(LIST_URL, data).status_code == 302
    assert not BreakingNews.objects.get().is_active
    assert shown_strip(Client().get("/").content.decode()) is None
    assert editor_client.post(LIST_URL, {**data, "action": "switch_on"}).status_code == 302
    assert shown_strip(Client().get("/").content.decode())
    data = {"action": "delete_selected", "_selected_action": [shown.pk], "post": "yes"}
    assert editor_client.post(LIST_URL, data).status_code == 302
    assert not BreakingNews.objects.exists()
    assert shown_strip(Client().get("/").content.decode()) is None


def test_moderators_and_anonymous_visitors_cannot_manage_strips(article, moderator_client):
    shown = strip()
    assert moderator_client.get(LIST_URL).status_code == 403
    assert moderator_client.post(ADD_URL, form_data()).status_code == 403
    assert moderator_client.post(f"{LIST_URL}{shown.pk}/delete/", {"post": "yes"}).status_code == 403
    anonymous = Client().get(LIST_URL)
    assert anonymous.status_code == 302 and "/admin/login/" in anonymous["Location"]
    assert BreakingNews.objects.count() == 1


# --- On the pages ---------------------------------------------------------------------------------------


def test_the_strip_is_a_labelled_region_under_the_masthead_in_both_scripts(article):
    strip(text="Đoković osvojio turnir u Šangaju")
    latin = Client().get("/").content.decode()
    region = shown_strip(latin)
    # "Najnovije vesti": the front page's list of the latest headlines is the region "Najnovije".
    assert 'role="region" aria-label="Najnovije vesti"' in region
    assert latin.index("</header>") < latin.index('<div class="breaking-news"') < latin.index("<main")
    cyrillic = shown_strip(Client().get("/cir/").content.decode())
    assert "Ђоковић освојио турнир у Шангају" in cyrillic
    assert 'href="/cir/sport/"' in cyrillic  # our page, in the reader's script
    assert 'aria-label="Најновије вести"' in cyrillic


def test_a_link_to_another_site_stays_as_written_in_cyrillic(article):
    strip(url="https://example.org/vest")
    assert 'href="https://example.org/vest"' in shown_strip(Client().get("/cir/").content.decode())


def test_only_the_newest_strip_is_shown(article):
    strip(text="Starija vest", starts=-60)
    strip(text="Novija vest", starts=-5)
    region = shown_strip(Client().get("/").content.decode())
    assert "Novija vest" in region and "Starija vest" not in region


@pytest.mark.parametrize(
    "kwargs", [{"starts": 10, "expires": 60}, {"starts": -60, "expires": -1}, {"is_active": False}]
)
def test_a_scheduled_expired_or_switched_off_strip_is_not_shown(article, kwargs):
    strip(**kwargs)
    for page in ["/", "/cir/", article.get_absolute_url(), "/sport/"]:
        assert shown_strip(Client().get(page).content.decode()) is None, page


def test_the_admin_shows_no_strip(article, editor_client):
    strip()
    assert "breaking-news" not in editor_client.get("/admin/").content.decode()


def test_query_strings_and_hosts_cannot_bring_back_or_forge_a_strip(article):
    shown = strip(text="Stara traka")
    for url in ["/", "/?traka=1", "/?najnovije=Lažna+vest"]:
        assert "Stara traka" in Client().get(url).content.decode()
    services.switch_breaking_news(BreakingNews.objects.filter(pk=shown.pk), is_active=False)
    for url in ["/", "/?traka=1", "/?najnovije=Lažna+vest", "/cir/?traka=1"]:
        html = Client().get(url).content.decode()
        assert shown_strip(html) is None and "Lažna" not in html, url
    forged = Client().get("/", HTTP_HOST="evil.example")
    assert forged.status_code == 400 and "Stara traka" not in forged.content.decode()


# --- Start and expiry with no save ----------------------------------------------------------------------


def test_a_strip_leaves_cached_pages_when_it_expires_with_no_save(article):
    expiry = timezone.now() + timedelta(seconds=20)  # sooner than cached copies run out on their own
    start = timezone.now() - timedelta(minutes=5)
    BreakingNews.objects.create(text="Traka koja ističe", url="/sport/", starts_at=start, expires_at=expiry)
    services.save_shown(SiteSettings.get_solo())  # as a save through the admin would tell the pages
    pages = ["/", "/cir/", article.get_absolute_url(), "/sport/"]
    for url in pages:
        Client().get(url)
        assert shown_strip(Client().get(url).content.decode()), url  # the cached copy shows it
    with time_machine.travel(expiry - timedelta(seconds=5)):
        assert shown_strip(Client().get("/").content.decode())
    with time_machine.travel(expiry + timedelta(seconds=1)):
        for url in pages:
            assert shown_strip(Client().get(url).content.decode()) is None, url


def test_a_scheduled_strip_reaches_cached_pages_at_its_start_with_no_save(article):
    start = timezone.now() + timedelta(seconds=20)  # sooner than cached copies run out on their own
    end = start + timedelta(hours=1)
    services.save_breaking_news(
        BreakingNews(text="Zakazana traka", url="/sport/", starts_at=start, expires_at=end)
    )
    Client().get(article.get_absolute_url())
    assert shown_strip(Client().get(article.get_absolute_url()).content.decode()) is None
    with time_machine.travel(start + timedelta(seconds=1)):
        assert "Zakazana traka" in shown_strip(Client().get(article.get_absolute_url()).content.decode())
        assert "Заказана трака" in shown_strip(Client().get("/cir/").content.decode())


def test_the_schedule_names_the_next_start_or_expiry_of_a_strip_switched_on():
    assert next_breaking_news_change() is None
    strip(starts=-60, expires=-1)  # over
    strip(starts=-60, expires=5, is_active=False)  # off
    assert next_breaking_news_change() is None
    shown = strip(starts=-60, expires=120)
    assert next_breaking_news_change() == shown.expires_at
    scheduled = strip(starts=30, expires=200)
    assert next_breaking_news_change() == scheduled.starts_at


# --- What it costs --------------------------------------------------------------------------------------


def front_page_queries():
    with CaptureQueriesContext(connection) as queries:
        assert Client().get("/").status_code == 200
    return [query["sql"] for query in queries.captured_queries]


@pytest.mark.usefixtures("uncached_pages")
def test_the_strip_costs_one_query_on_a_page_made_afresh_whether_shown_or_not(article):
    Client().get("/")  # the site settings' cache
    without = front_page_queries()
    strip()
    strip(text="Još jedna", starts=-10)
    shown = front_page_queries()
    assert len(shown) == len(without)
    assert sum('"articles_breakingnews"' in sql for sql in shown) == 1


def test_a_cached_page_with_the_strip_costs_no_query(article):
    strip()
    Client().get(article.get_absolute_url())
    Client().get(article.get_absolute_url())
    with CaptureQueriesContext(connection) as queries:
        assert shown_strip(Client().get(article.get_absolute_url()).content.decode())
    assert len(queries) == 0


# --- Demo -----------------------------------------------------------------------------------------------


def test_the_demo_shows_a_strip_for_a_few_hours_linking_to_a_demo_article():
    load_demo(photo_size=(320, 200), make_renditions=False)
    demo = BreakingNews.objects.shown().get()
    assert timedelta(hours=1) < demo.expires_at - timezone.now() <= timedelta(hours=12)
    assert Client().get(demo.url).status_code == 200
    assert demo.text in Client().get("/").content.decode()
    assert load_demo(photo_size=(320, 200), make_renditions=False).created["breaking news"] == 0
    assert BreakingNews.objects.count() == 1
