"""A save over another editor's later one is not silent: the form says who and when, and links the diff."""

import re
from datetime import datetime
from html import unescape

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.test import Client
from reversion.models import Version

from articles.models import Article
from articles.tests.factories import ArticleFactory
from articles.tests.test_revisions import admin_form_fields
from articles.tests.test_workflow import CHANGELIST

pytestmark = pytest.mark.django_db

AT_10_41 = datetime.fromisoformat("2026-12-07T10:41:00+01:00")


def newsroom_editor(django_user_model, username, first_name="", last_name=""):
    user = django_user_model.objects.create_user(
        username, password="x", is_staff=True, first_name=first_name, last_name=last_name
    )
    user.groups.add(Group.objects.get(name="Urednici"))
    client = Client()
    client.force_login(user)
    return client


def change_url(article):
    return f"{CHANGELIST}{article.pk}/change/"


def opened_form(client, article):
    """The change form's fields as the browser would post them, the hidden version included."""
    return admin_form_fields(client.get(change_url(article)).content.decode(), "article_form")


def errors(response):
    html = response.content.decode()
    return [
        unescape(re.sub(r"<[^>]+>", "", item))
        for item in re.findall(r'<ul class="errorlist nonfield">(.*?)</ul>', html, re.S)
    ]


@pytest.fixture
def article(django_user_model):
    """An article whose history has begun: one save through the form by a third editor."""
    article = ArticleFactory(title="Prvi naslov", body="<p>Prvi tekst.</p>")
    first = newsroom_editor(django_user_model, "prva")
    assert first.post(change_url(article), opened_form(first, article)).status_code == 302
    return article


def test_a_save_over_another_editors_later_save_is_stopped_and_explained(article, django_user_model):
    ana = newsroom_editor(django_user_model, "ana", "Ana", "Đurić")
    marko = newsroom_editor(django_user_model, "marko", "Marko", "Marković")
    anas_form, markos_form = opened_form(ana, article), opened_form(marko, article)

    with time_machine.travel(AT_10_41, tick=False):
        response = marko.post(change_url(article), markos_form | {"title": "Markov naslov"})
    assert response.status_code == 302
    response = ana.post(change_url(article), anas_form | {"title": "Anin naslov", "lead": "Anin uvod"})

    assert response.status_code == 200
    assert Article.objects.get(pk=article.pk).title == "Markov naslov"  # Marko's save stands
    assert errors(response) == [
        "Članak je u međuvremenu sačuvao/la Marko Marković u 10.41. "
        "Pogledajte razlike pre nego što ponovo sačuvate."
    ]
    shown = admin_form_fields(response.content.decode(), "article_form")
    assert (shown["title"], shown["lead"]) == ("Anin naslov", "Anin uvod")  # her input intact
    newest = Version.objects.get_for_object(article).first()
    assert shown["opened_version"] == str(newest.pk)


def test_the_conflict_links_the_diff_of_the_opened_and_the_newest_version(article, django_user_model):
    ana = newsroom_editor(django_user_model, "ana")
    marko = newsroom_editor(django_user_model, "marko")
    anas_form = opened_form(ana, article)
    marko.post(change_url(article), opened_form(marko, article) | {"body": "<p>Markov tekst.</p>"})
    response = ana.post(change_url(article), anas_form | {"title": "Anin naslov"})

    link = unescape(re.search(r'<a href="([^"]+)">Pogledajte razlike</a>', response.content.decode())[1])
    opened, newest = Version.objects.get_for_object(article).order_by("pk").values_list("pk", flat=True)
    assert link == f"{CHANGELIST}{article.pk}/history/compare/?version_id1={opened}&version_id2={newest}"
    diff = ana.get(link)
    assert diff.status_code == 200
    assert "<ins>Markov</ins>" in diff.content.decode() or "<ins>+ <p>Markov" in diff.content.decode()


def test_saving_again_after_the_conflict_overwrites_deliberately(article, django_user_model):
    ana = newsroom_editor(django_user_model, "ana")
    marko = newsroom_editor(django_user_model, "marko")
    anas_form = opened_form(ana, article)
    marko.post(change_url(article), opened_form(marko, article) | {"title": "Markov naslov"})
    stopped = ana.post(change_url(article), anas_form | {"title": "Anin naslov"})

    again = ana.post(change_url(article), admin_form_fields(stopped.content.decode(), "article_form"))

    assert again.status_code == 302
    assert Article.objects.get(pk=article.pk).title == "Anin naslov"


def test_a_third_save_after_the_conflict_is_caught_again(article, django_user_model):
    ana = newsroom_editor(django_user_model, "ana")
    marko = newsroom_editor(django_user_model, "marko")
    anas_form = opened_form(ana, article)
    marko.post(change_url(article), opened_form(marko, article) | {"title": "Markov naslov"})
    stopped = ana.post(change_url(article), anas_form | {"title": "Anin naslov"})
    marko.post(change_url(article), opened_form(marko, article) | {"title": "Markov drugi naslov"})

    again = ana.post(change_url(article), admin_form_fields(stopped.content.decode(), "article_form"))

    assert again.status_code == 200 and "Članak je u međuvremenu sačuvao/la marko" in errors(again)[0]
    assert Article.objects.get(pk=article.pk).title == "Markov drugi naslov"


def test_one_editor_saving_twice_from_an_old_form_is_no_conflict(article, django_user_model):
    ana = newsroom_editor(django_user_model, "ana")
    first_tab, second_tab = opened_form(ana, article), opened_form(ana, article)
    assert ana.post(change_url(article), first_tab | {"title": "Iz prve kartice"}).status_code == 302
    assert ana.post(change_url(article), second_tab | {"title": "Iz druge kartice"}).status_code == 302
    assert Article.objects.get(pk=article.pk).title == "Iz druge kartice"


def test_an_article_without_versions_saves_without_a_version_id(django_user_model):
    article = ArticleFactory()  # made outside the form: no history yet
    ana = newsroom_editor(django_user_model, "ana")
    form = opened_form(ana, article)
    assert form["opened_version"] == ""
    assert ana.post(change_url(article), form | {"title": "Nov naslov"}).status_code == 302


def test_a_first_save_by_another_editor_is_caught_in_a_form_opened_before_any_version(django_user_model):
    article = ArticleFactory(title="Prvi naslov")  # no history yet: both forms carry an empty version id
    ana = newsroom_editor(django_user_model, "ana")
    marko = newsroom_editor(django_user_model, "marko", "Marko", "Marković")
    anas_form, markos_form = opened_form(ana, article), opened_form(marko, article)
    marko.post(change_url(article), markos_form | {"title": "Markov naslov"})

    response = ana.post(change_url(article), anas_form | {"title": "Anin naslov"})

    assert response.status_code == 200
    assert errors(response)[0].startswith("Članak je u međuvremenu sačuvao/la Marko Marković u ")
    assert f'<a href="{CHANGELIST}{article.pk}/history/">Pogledajte razlike</a>' in response.content.decode()
    again = ana.post(change_url(article), admin_form_fields(response.content.decode(), "article_form"))
    assert again.status_code == 302 and Article.objects.get(pk=article.pk).title == "Anin naslov"


@pytest.mark.parametrize(
    "opened",
    [None, "abc", "-1", "1e3", "0x1", " 1", "99999999999999999999999999", "٣", "\x00", "other-article"],
    ids=[
        "missing",
        "letters",
        "negative",
        "exponent",
        "hex",
        "space",
        "huge",
        "arabic-digit",
        "nul",
        "other-article",
    ],
)
def test_a_missing_or_garbled_version_id_stops_the_save_with_a_clear_message(
    article, django_user_model, opened
):
    ana = newsroom_editor(django_user_model, "ana")
    form = opened_form(ana, article) | {"title": "Anin naslov"}
    if opened is None:
        del form["opened_version"]
    elif opened == "other-article":
        other = ArticleFactory()
        ana.post(change_url(other), opened_form(ana, other))
        form["opened_version"] = str(Version.objects.get_for_object(other).first().pk)
    else:
        form["opened_version"] = opened

    response = ana.post(change_url(article), form)

    assert response.status_code == 200
    assert errors(response) == [
        "Ne može se proveriti da li je neko drugi u međuvremenu sačuvao članak (obrazac ne nosi verziju "
        "koju ste otvorili). Pogledajte istoriju izmena, pa sačuvajte ponovo."
    ]
    assert f'href="{CHANGELIST}{article.pk}/history/"' in response.content.decode()
    assert Article.objects.get(pk=article.pk).title == "Prvi naslov"
    again = ana.post(change_url(article), admin_form_fields(response.content.decode(), "article_form"))
    assert again.status_code == 302 and Article.objects.get(pk=article.pk).title == "Anin naslov"


def test_the_edit_lock_warning_still_names_the_other_editor(article, django_user_model):
    marko = newsroom_editor(django_user_model, "marko", "Marko", "Marković")
    ana = newsroom_editor(django_user_model, "ana")
    marko.get(change_url(article))
    assert "ovaj članak upravo uređuje i Marko Marković" in ana.get(change_url(article)).content.decode()


def test_restoring_an_old_version_still_saves(article, django_user_model):
    ana = newsroom_editor(django_user_model, "ana")
    ana.post(change_url(article), opened_form(ana, article) | {"title": "Drugi naslov"})
    oldest = Version.objects.get_for_object(article).last()
    url = f"{CHANGELIST}{article.pk}/history/{oldest.pk}/"
    preview = ana.get(url)
    response = ana.post(url, admin_form_fields(preview.content.decode(), "article_form"))
    assert response.status_code == 302 and Article.objects.get(pk=article.pk).title == "Prvi naslov"
