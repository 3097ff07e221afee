"""Cached reader pages: served without work, per script, and never stale after a change a reader could see."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import reads, services
from articles.models import Article, SiteSettings

from .factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db


def queries_for(client, url, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    return response, len(queries)


@pytest.fixture
def article():
    SiteSettings.get_solo()  # made on first use, which (as any change of settings) renews every page
    sport = SectionFactory(name="Sport", slug="sport")
    return ArticleFactory(section=sport, title="Derbi pred punim stadionom")


def warm(url):
    """Two requests: the first makes the singletons the page reads (a change), the second stores it."""
    Client().get(url)
    return Client().get(url)


@pytest.mark.parametrize("url", ["/", "/sport/", "ARCHIVE", "/rss/", "/sitemap.xml", "ARTICLE"])
def test_a_page_once_made_is_served_with_no_database_work(article, url):
    today = timezone.localdate()
    url = {"ARTICLE": article.get_absolute_url(), "ARCHIVE": f"/arhiva/{today:%Y/%m/%d}/"}.get(url, url)
    first = warm(url)
    second, count = queries_for(Client(), url)
    assert first.status_code == second.status_code == 200
    assert count == 0
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]


def test_cached_pages_tell_browsers_and_cdns_how_to_keep_them(article):
    url = article.get_absolute_url()
    for response in (Client().get(url), Client().get(url)):  # made, then from the cache
        cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
        assert {"public", "max-age=0", "s-maxage=60", "stale-while-revalidate=30"} <= cache_control
        assert response["ETag"].startswith('"')
        assert "Cookie" in response["Vary"]  # the same Latin address redirects readers who chose Cyrillic


def test_an_unchanged_page_is_answered_with_304(article):
    url = article.get_absolute_url()
    etag = warm(url)["ETag"]
    not_modified = Client().get(url, HTTP_IF_NONE_MATCH=etag)
    assert not_modified.status_code == 304 and not_modified.content == b""
    assert not_modified["ETag"] == etag
    article.title = "Derbi odložen"
    services.save_article(article)
    changed = Client().get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_each_script_has_its_own_copy(article):
    url = article.get_absolute_url()
    latin = warm(url).content.decode()
    cyrillic = Client().get("/cir" + url).content.decode()
    assert "Derbi pred punim stadionom" in latin
    assert "Дерби пред пуним стадионом" in cyrillic
    assert Client().get(url).content.decode() == latin
    assert Client().get("/cir" + url).content.decode() == cyrillic


def test_a_reader_who_chose_cyrillic_is_still_sent_to_the_cyrillic_address(article):
    url = article.get_absolute_url()
    Client().get(url)  # cached in Latin
    reader = Client()
    reader.cookies["pismo"] = "cir"
    response = reader.get(url)
    assert response.status_code == 302 and response["Location"] == "/cir" + url


def test_an_edit_reaches_every_page_on_the_next_request(article):
    pages = ["/", "/sport/", article.get_absolute_url(), "/rss/"]
    for url in pages:
        Client().get(url)
    article.title = "Derbi odložen zbog kiše"
    services.save_article(article)
    for url in pages:
        assert "Derbi odložen zbog kiše" in Client().get(url).content.decode(), url


def test_publishing_and_withdrawing_reach_the_pages(article):
    draft = ArticleFactory(
        section=article.section, title="Novi trener predstavljen", status=Article.Status.DRAFT
    )
    assert "Novi trener predstavljen" not in Client().get("/").content.decode()
    draft.status = Article.Status.PUBLISHED
    services.save_article(draft)
    assert "Novi trener predstavljen" in Client().get("/").content.decode()
    url = article.get_absolute_url()
    assert Client().get(url).status_code == 200
    article.status = Article.Status.WITHDRAWN
    services.save_article(article)
    assert Client().get(url).status_code == 404
    assert "Derbi pred punim stadionom" not in Client().get("/sport/").content.decode()


def test_withdrawing_in_bulk_from_the_admin_reaches_the_pages(article, admin_client):
    url = article.get_absolute_url()
    assert Client().get(url).status_code == 200
    response = admin_client.post(
        "/admin/articles/article/", {"action": "withdraw", "_selected_action": [article.pk]}
    )
    assert response.status_code == 302
    assert Client().get(url).status_code == 410  # it was live: readers are told it was withdrawn


def test_an_article_reaching_its_scheduled_time_appears_without_any_save(article):
    soon = timezone.now() + timedelta(minutes=10)
    ArticleFactory(section=article.section, title="Najavljeni intervju sa selektorom", published_at=soon)
    assert "Najavljeni intervju" not in Client().get("/").content.decode()
    assert "Najavljeni intervju" not in Client().get("/sport/").content.decode()
    with time_machine.travel(soon + timedelta(seconds=1)):
        assert "Najavljeni intervju" in Client().get("/").content.decode()
        assert "Najavljeni intervju" in Client().get("/sport/").content.decode()


def test_site_settings_reach_the_pages(article):
    url = article.get_absolute_url()
    Client().get(url)
    settings = SiteSettings.get_solo()
    settings.follow_text = "Pratite nas i na mrežama"
    services.save_shown(settings)
    assert "Pratite nas i na mrežama" in Client().get(url).content.decode()


def test_signed_in_staff_get_their_own_page_and_leave_nothing_in_the_cache(article, django_user_model):
    url = article.get_absolute_url()
    editor = django_user_model.objects.create_user("urednica", password="x", is_staff=True)
    editor.user_permissions.add(Permission.objects.get(codename="preview_article"))
    staff = Client()
    staff.force_login(editor)
    mine = staff.get(url)
    assert "private" in mine["Cache-Control"] and not mine.has_header("ETag")
    assert "csrfmiddlewaretoken" in mine.content.decode()
    reader_page = Client().get(url).content.decode()
    assert "csrfmiddlewaretoken" not in reader_page and "urednica" not in reader_page


def test_a_preview_is_never_cached(article, django_user_model):
    draft = ArticleFactory(section=article.section, status=Article.Status.DRAFT)
    editor = django_user_model.objects.create_user("urednik", password="x", is_staff=True)
    editor.user_permissions.add(Permission.objects.get(codename="preview_article"))
    staff = Client()
    staff.force_login(editor)
    assert staff.get(draft.get_absolute_url()).status_code == 200
    assert Client().get(draft.get_absolute_url()).status_code == 404


def test_readings_are_counted_when_the_cache_answers(article, monkeypatch):
    monkeypatch.setattr(reads, "_waiting", reads.Counter())
    monkeypatch.setattr(reads, "_last_flush", float("inf"))  # keep the views in memory for the count
    browser = {"HTTP_USER_AGENT": "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"}
    url = article.get_absolute_url()
    warm(url)  # without a browser's User-Agent: not counted
    Client().get(url, **browser)
    _, count = queries_for(Client(), url, **browser)
    assert count == 0
    assert sum(views for (article_id, _), views in reads._waiting.items() if article_id == article.pk) == 2


def test_search_and_unknown_addresses_are_not_cached(article):
    assert Client().get("/pretraga/", {"q": "derbi"}).get("ETag") is None
    missing = Client().get("/sport/999999-nema/")
    assert missing.status_code == 404 and not missing.has_header("ETag")


def test_static_files_have_hashed_names_compressed_copies_and_are_immutable(settings, tmp_path):
    from django.core.management import call_command
    from django.templatetags.static import static

    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", "--noinput", verbosity=0)
    url = static("css/site.css")
    assert url != "/static/css/site.css" and url.endswith(".css")  # a hashed name
    response = Client().get(url, HTTP_ACCEPT_ENCODING="br, gzip")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "br"
    assert "immutable" in response["Cache-Control"] and "max-age=315360000" in response["Cache-Control"]
    assert Client().get(url, HTTP_ACCEPT_ENCODING="gzip")["Content-Encoding"] == "gzip"
