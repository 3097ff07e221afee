"""The newsroom's quick entry page of a live blog, its end, and the entries' admin."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles import live
from articles.models import Article, Image, LiveEntry, SiteSettings

from .factories import ArticleFactory, ImageFactory

pytestmark = pytest.mark.django_db

YOUTUBE = "https://youtu.be/dQw4w9WgXcQ"


@pytest.fixture
def live_blog():
    SiteSettings.get_solo()
    return ArticleFactory(title="Maraton kroz grad", is_live_blog=True)


def staff(django_user_model, name, group):
    user = django_user_model.objects.create_user(name, password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    client = Client()
    client.force_login(user)
    return user, client


@pytest.fixture
def editor(django_user_model):
    return staff(django_user_model, "urednica", "Urednici")


def quick_url(article):
    return reverse("admin:articles_article_live", args=[article.pk])


def test_editor_adds_an_entry_that_readers_see_at_once(editor, live_blog):
    user, client = editor
    url = live_blog.get_absolute_url()
    Client().get(url)
    photo = ImageFactory(caption="Trkači na startu")
    response = client.post(
        quick_url(live_blog),
        {
            "text": "Start je pomeren za deset minuta.",
            "image": photo.pk,
            "embed_url": YOUTUBE,
            "embed_title": "Start trke",
        },
    )
    assert response.status_code == 302 and response["Location"] == quick_url(live_blog)
    entry = LiveEntry.objects.get()
    assert (entry.article, entry.created_by, entry.image, entry.embed_title) == (
        live_blog,
        user,
        photo,
        "Start trke",
    )
    html = Client().get(url).content.decode()
    assert "Start je pomeren za deset minuta." in html and "Trkači na startu" in html
    page = client.get(quick_url(live_blog)).content.decode()
    assert "Unos je objavljen." in page and "Start je pomeren" in page
    assert reverse("admin:articles_liveentry_change", args=[entry.pk]) in page
    assert reverse("admin:articles_liveentry_delete", args=[entry.pk]) in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"text": "   "}, "Upišite tekst unosa."),
        ({"text": "Tekst", "embed_url": "https://example.com/video/1"}, "nije adresa videa ili objave"),
        ({"text": "Tekst", "embed_url": "http://youtu.be/dQw4w9WgXcQ"}, "nije adresa videa ili objave"),
        ({"text": "Tekst", "embed_title": "Bez adrese"}, "traži i njegovu adresu"),
        ({"text": "Tekst", "image": "999999"}, "U biblioteci nema opisane fotografije"),
        ({"text": "Tekst", "image": "abc"}, "U biblioteci nema opisane fotografije"),
        ({"text": "Tekst", "embed_url": YOUTUBE, "embed_title": "x" * 201}, "Naslov je predug"),
        ({"text": "Tekst", "embed_url": "https://youtu.be/" + "a" * 600}, "Adresa je preduga"),
    ],
)
def test_bad_input_is_refused_in_serbian_and_nothing_is_saved(editor, live_blog, data, message):
    _, client = editor
    before = Article.objects.get(pk=live_blog.pk).updated_at
    response = client.post(quick_url(live_blog), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not LiveEntry.objects.exists()
    assert Article.objects.get(pk=live_blog.pk).updated_at == before


def test_a_photo_awaiting_its_description_is_refused(editor, live_blog):
    _, client = editor
    awaiting = ImageFactory(alt_text="", awaiting_details=True)
    response = client.post(quick_url(live_blog), {"text": "Tekst", "image": awaiting.pk})
    assert response.status_code == 400 and not LiveEntry.objects.exists()
    assert Image.objects.filter(pk=awaiting.pk).exists()


def test_moderator_is_refused_and_adds_nothing(django_user_model, live_blog):
    _, client = staff(django_user_model, "moderator", "Moderatori")
    assert client.get(quick_url(live_blog)).status_code == 403
    assert client.post(quick_url(live_blog), {"text": "Tuđ unos"}).status_code == 403
    end = reverse("admin:articles_article_live_end", args=[live_blog.pk])
    assert client.post(end, {"confirm": "on"}).status_code == 403
    assert not LiveEntry.objects.exists()
    assert Article.objects.get(pk=live_blog.pk).live_until is None


def test_quick_page_of_an_article_that_is_not_live_saves_nothing(editor):
    _, client = editor
    article = ArticleFactory(title="Obična vest")
    response = client.post(quick_url(article), {"text": "Ne bi trebalo"})
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:articles_article_change", args=[article.pk])
    assert not LiveEntry.objects.exists()
    assert "nije praćenje uživo" in client.get(response["Location"]).content.decode()


def test_missing_article_goes_back_to_the_list(editor):
    _, client = editor
    response = client.get(reverse("admin:articles_article_live", args=[999999]))
    assert response.status_code == 302 and not LiveEntry.objects.exists()


def test_ending_coverage_asks_for_confirmation_then_ends_it(editor, live_blog):
    _, client = editor
    url = reverse("admin:articles_article_live_end", args=[live_blog.pk])
    assert "live-badge" in Client().get(live_blog.get_absolute_url()).content.decode()
    assert "Završi praćenje" in client.get(quick_url(live_blog)).content.decode()
    refused = client.post(url, {})
    assert refused.status_code == 400 and "Potvrdite da je praćenje završeno." in refused.content.decode()
    assert Article.objects.get(pk=live_blog.pk).live_until is None
    response = client.post(url, {"confirm": "on"})
    assert response.status_code == 302
    live_until = Article.objects.get(pk=live_blog.pk).live_until
    assert live_until and timezone.now() - live_until < timedelta(seconds=5)
    assert "live-badge" not in Client().get(live_blog.get_absolute_url()).content.decode()


def test_article_form_has_the_live_fieldset_and_links_to_the_quick_page(editor, live_blog):
    _, client = editor
    page = client.get(reverse("admin:articles_article_change", args=[live_blog.pk])).content.decode()
    assert "Praćenje uživo" in page and 'name="live_summary"' in page
    assert quick_url(live_blog) in page
    normal = ArticleFactory()
    page = client.get(reverse("admin:articles_article_change", args=[normal.pk])).content.decode()
    assert 'name="is_live_blog"' in page and quick_url(normal) not in page


def test_entry_admin_edits_and_deletes_through_the_service(editor, live_blog):
    _, client = editor
    entry = LiveEntry(article=live_blog, text="Prvi kilometar.")
    live.save_entry(entry)
    url = live_blog.get_absolute_url()
    assert "Prvi kilometar." in Client().get(url).content.decode()
    change = reverse("admin:articles_liveentry_change", args=[entry.pk])
    data = {
        "article": live_blog.pk,
        "posted_at_0": timezone.localtime(entry.posted_at).strftime("%d.%m.%Y."),
        "posted_at_1": timezone.localtime(entry.posted_at).strftime("%H:%M:%S"),
        "text": "Prvi kilometar, ispravljeno.",
        "image": "",
        "embed_url": "",
        "embed_title": "",
    }
    response = client.post(change, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert "Prvi kilometar, ispravljeno." in Client().get(url).content.decode()
    response = client.post(reverse("admin:articles_liveentry_delete", args=[entry.pk]), {"post": "yes"})
    assert response.status_code == 302 and not LiveEntry.objects.exists()
    assert "Prvi kilometar" not in Client().get(url).content.decode()


def test_the_end_of_coverage_page_leads_back_by_its_crumbs_to_the_entries_the_article_and_the_list(
    editor_client,
):
    article = ArticleFactory(is_live_blog=True, title="Izbori uživo")
    page = editor_client.get(f"/admin/articles/article/{article.pk}/uzivo/zavrsi/").content.decode()
    crumbs = re.search(r'<div class="breadcrumbs">(.*?)</div>', page, re.DOTALL)[1]
    links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', crumbs)
    assert links == [
        ("/admin/", "Početna"),
        ("/admin/articles/", "Članci"),
        ("/admin/articles/article/", "Članci"),
        (f"/admin/articles/article/{article.pk}/change/", "Izbori uživo"),
        (f"/admin/articles/article/{article.pk}/uzivo/", "Unosi uživo"),
    ]
    assert crumbs.rstrip().endswith("› Završetak")
