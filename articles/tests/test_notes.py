"""Corrections ("Ispravka") and replies under the right of reply ("Odgovor") at an article's end."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from reversion.models import Version

from articles import services
from articles.models import Article, ArticleNote, SiteSettings
from articles.tests.factories import ArticleFactory, SectionFactory
from articles.tests.test_metadata import Head
from config.delivery import fragments

pytestmark = pytest.mark.django_db

NOTES = "/admin/articles/articlenote/"
CORRECTION = "U ranijoj verziji teksta pogrešno je navedeno da most ima četiri trake; ima dve."
REPLY = "Nije tačno da je preduzeće kasnilo sa radovima: rok je produžen odlukom grada."


@pytest.fixture
def article():
    SiteSettings.get_solo()
    return ArticleFactory(
        section=SectionFactory(name="Grad", slug="grad"),
        title="Most na Adi dobija novu rasvetu",
        published_at=timezone.now() - timedelta(days=2),
    )


def note_form(on, **changes):
    moment = timezone.localtime(timezone.now() - timedelta(minutes=5))
    return {
        "article": on.pk,
        "kind": "correction",
        "published_at_0": moment.strftime("%d.%m.%Y."),
        "published_at_1": moment.strftime("%H:%M:%S"),
        "replied_by": "",
        "text": CORRECTION,
        **changes,
    }


def add_note(client, on, **changes):
    return client.post(f"{NOTES}add/", note_form(on, **changes))


def test_a_correction_dates_the_article_as_updated_and_reaches_cached_pages_at_once(article):
    url = article.get_absolute_url()
    assert "Ispravke i odgovori" not in Client().get(url).content.decode()  # now in the page cache
    moment = timezone.now() - timedelta(minutes=1)
    services.save_note(ArticleNote(article=article, kind="correction", text=CORRECTION, published_at=moment))
    assert Article.objects.get(pk=article.pk).updated_at == moment
    page = Client().get(url).content.decode()
    assert "Ispravke i odgovori" in page and CORRECTION in page and "Ažurirano" in page


def test_a_note_dated_before_the_last_update_does_not_move_it_back(article):
    later = timezone.now()
    Article.objects.filter(pk=article.pk).update(updated_at=later)
    earlier = later - timedelta(hours=1)
    services.save_note(ArticleNote(article_id=article.pk, kind="correction", text="x", published_at=earlier))
    assert Article.objects.get(pk=article.pk).updated_at == later


def test_deleting_a_note_takes_it_off_the_page_and_dates_the_article(article):
    note = ArticleNote(article=article, kind="reply", replied_by="JKP Zelenilo", text=REPLY)
    services.save_note(note)
    assert REPLY in Client().get(article.get_absolute_url()).content.decode()
    before = Article.objects.get(pk=article.pk).updated_at
    services.delete_notes([note])
    assert REPLY not in Client().get(article.get_absolute_url()).content.decode()
    assert Article.objects.get(pk=article.pk).updated_at > before


def test_editor_adds_a_correction_and_a_reply_from_the_admin(editor_client, article):
    response = add_note(editor_client, article)
    assert response.status_code == 302
    response = add_note(editor_client, article, kind="reply", replied_by="Direkcija za puteve", text=REPLY)
    assert response.status_code == 302
    assert response["Location"] == f"{NOTES}?article__id__exact={article.pk}"
    correction, reply = ArticleNote.objects.filter(article=article)
    assert (correction.kind, correction.replied_by, reply.replied_by) == (
        "correction",
        "",
        "Direkcija za puteve",
    )
    assert correction.created_by.username == "urednica"
    comments = [version.revision.comment for version in Version.objects.get_for_object(article)]
    assert comments == ["Odgovor uz članak.", "Ispravka uz članak."]
    listing = editor_client.get(response["Location"]).content.decode()
    assert "Direkcija za puteve" in listing


def test_the_article_page_in_the_admin_links_to_its_notes(editor_client, article):
    page = editor_client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    assert f"{NOTES}add/?article={article.pk}" in page
    assert f"{NOTES}?article__id__exact={article.pk}" in page
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    page = editor_client.get(f"/admin/articles/article/{draft.pk}/change/").content.decode()
    assert f"{NOTES}add/?article=" not in page


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"kind": "reply", "replied_by": "   "}, "Upišite ko odgovara."),
        ({"kind": "pohvala"}, "Izaberite da li je ovo ispravka ili odgovor."),
        ({"text": ""}, "Upišite tekst ispravke ili odgovora."),
        ({"published_at_0": "32.13.2026."}, "Unesite ispravan datum."),
        ({"published_at_0": "01.01.2001."}, "Datum ne može biti pre objave članka."),
        ({"article": "999999999"}, "Ispravka ili odgovor ide samo uz objavljen članak"),
        ({"article": "abc"}, "Ispravka ili odgovor ide samo uz objavljen članak"),
        ({"article": "99999999999999999999"}, "Ispravka ili odgovor ide samo uz objavljen članak"),
        ({"article": ""}, "Izaberite članak na koji se ispravka ili odgovor odnosi."),
    ],
    ids=["reply-without-who", "unknown-kind", "no-text", "bad-date", "before-article", "forged-id",
         "not-an-id", "too-large-id", "no-article"],
)  # fmt: skip
def test_bad_input_is_refused_with_a_serbian_message_and_nothing_saved(
    editor_client, article, changes, message
):
    response = add_note(editor_client, article, **changes)
    assert response.status_code == 200  # the admin shows its form again, with the message
    assert message in response.content.decode()
    assert not ArticleNote.objects.exists()
    assert Article.objects.get(pk=article.pk).updated_at is None


@pytest.mark.parametrize(
    "fields",
    [
        {"status": Article.Status.DRAFT, "published_at": None},
        {"status": Article.Status.READY, "published_at": None},
        {"published_at": "FUTURE"},
        {"status": Article.Status.WITHDRAWN},
    ],
    ids=["draft", "ready", "scheduled", "withdrawn"],
)
def test_notes_only_go_on_published_articles(editor_client, fields):
    if fields.get("published_at") == "FUTURE":
        fields = {"published_at": timezone.now() + timedelta(days=1)}
    unpublished = ArticleFactory(**fields)
    response = add_note(editor_client, unpublished)
    assert "Ispravka ili odgovor ide samo uz objavljen članak" in response.content.decode()
    assert not ArticleNote.objects.exists()


def test_the_article_of_a_saved_note_cannot_be_changed(editor_client, article):
    add_note(editor_client, article)
    note = ArticleNote.objects.get()
    other = ArticleFactory()
    response = editor_client.post(f"{NOTES}{note.pk}/change/", note_form(other, text="Nova ispravka."))
    assert response.status_code == 302
    note.refresh_from_db()
    assert (note.article_id, note.text) == (article.pk, "Nova ispravka.")


def test_editor_deletes_a_note_through_the_admin(editor_client, article):
    add_note(editor_client, article)
    note = ArticleNote.objects.get()
    assert CORRECTION in Client().get(article.get_absolute_url()).content.decode()
    response = editor_client.post(f"{NOTES}{note.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and not ArticleNote.objects.exists()
    assert CORRECTION not in Client().get(article.get_absolute_url()).content.decode()


@pytest.mark.parametrize("method", ["get", "post"])
def test_moderators_cannot_add_notes(moderator_client, article, method):
    response = getattr(moderator_client, method)(
        f"{NOTES}add/", note_form(article) if method == "post" else None
    )
    assert response.status_code == 403
    assert not ArticleNote.objects.exists()


@pytest.mark.parametrize("prefix", ["", "/cir"], ids=["latin", "cyrillic"])
def test_readers_see_each_note_marked_and_dated_at_the_end(article, prefix):
    moment = timezone.now() - timedelta(hours=3)
    services.save_note(ArticleNote(article=article, kind="correction", text=CORRECTION, published_at=moment))
    services.save_note(ArticleNote(article=article, kind="reply", replied_by="Pera Perić", text=REPLY))
    page = Client().get(prefix + article.get_absolute_url()).content.decode()
    notes = page[page.index('class="article-notes"') : page.index('class="share"')]
    written = timezone.localtime(moment)
    assert f'datetime="{written.isoformat()}"' in notes or written.strftime("%Y-%m-%dT%H:%M") in notes
    if prefix:
        assert "Исправке и одговори" in notes and "Исправка" in notes and "Одговор — Пера Перић" in notes
        assert "четири траке" in notes
    else:
        assert "Ispravke i odgovori" in notes and "Ispravka" in notes and "Odgovor — Pera Perić" in notes
        assert CORRECTION in notes
    assert notes.index("Исправка" if prefix else "Ispravka</h3>") < notes.index(
        "Одговор" if prefix else "Odgovor"
    )


def test_note_text_is_escaped_and_its_paragraphs_kept(article):
    hostile = "<script>alert(1)</script> & <b>debelo</b>\n\nDrugi pasus."
    services.save_note(ArticleNote(article=article, kind="correction", text=hostile))
    page = Client().get(article.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in page and "<b>debelo" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;debelo&lt;/b&gt;</p>" in page
    assert "<p>Drugi pasus.</p>" in page


def test_json_ld_carries_corrections_replies_and_the_latest_note_as_modified(client, article):
    first = timezone.now() - timedelta(hours=5)
    latest = timezone.now() - timedelta(hours=1)
    services.save_note(ArticleNote(article=article, kind="correction", text=CORRECTION, published_at=first))
    services.save_note(
        ArticleNote(
            article=article, kind="reply", replied_by="Pera </script>", text=REPLY, published_at=latest
        )
    )
    news, _ = Head(client.get(article.get_absolute_url()).content.decode()).json_ld
    assert news["correction"] == [
        {
            "@type": "CorrectionComment",
            "text": CORRECTION,
            "datePublished": timezone.localtime(first).isoformat(),
        }
    ]
    assert news["comment"] == [
        {
            "@type": "Comment",
            "author": {"@type": "Person", "name": "Pera </script>"},
            "text": REPLY,
            "datePublished": timezone.localtime(latest).isoformat(),
        }
    ]
    assert news["dateModified"] == timezone.localtime(latest).isoformat()


def test_json_ld_without_notes_has_neither_key(client, article):
    news, _ = Head(client.get(article.get_absolute_url()).content.decode()).json_ld
    assert "correction" not in news and "comment" not in news


def _queries(url):
    client = Client()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.usefixtures("uncached_pages")
def test_the_number_of_notes_does_not_change_the_query_count(article, settings):
    other = ArticleFactory(section=article.section)
    for number in range(5):
        kind = "reply" if number % 2 else "correction"
        services.save_note(
            ArticleNote(article=other, kind=kind, replied_by="Neko", text=f"Napomena {number}.")
        )
    _queries(article.get_absolute_url())  # warm the site settings' cache
    settings.FRAGMENTS_COLD = fragments.COLD_ALL
    assert _queries(article.get_absolute_url()) == _queries(other.get_absolute_url())


def test_notes_of_an_article_withdrawn_since_are_not_changed(editor_client, article):
    add_note(editor_client, article)
    note = ArticleNote.objects.get()
    services.withdraw([article.pk])
    response = editor_client.post(f"{NOTES}{note.pk}/change/", note_form(article, text="Nova ispravka."))
    assert response.status_code == 200
    assert "Članak više nije objavljen" in response.content.decode()
    assert ArticleNote.objects.get().text == CORRECTION


@pytest.mark.parametrize("given", ["abc", "99999999999999999999", "-1", ""])
def test_the_add_page_takes_any_article_parameter_without_an_error(editor_client, given):
    response = editor_client.get(f"{NOTES}add/", {"article": given})
    assert response.status_code == 200
