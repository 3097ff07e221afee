import re
from html import unescape
from html.parser import HTMLParser

import pytest
from django.utils import timezone
from reversion.models import Version

from articles.models import Article, ArticleAuthor, Image
from articles.tests.factories import ArticleFactory, AuthorFactory, ImageFactory, TagFactory
from articles.tests.test_workflow import CHANGELIST, article_form, editor

pytestmark = pytest.mark.django_db


class AdminFormFields(HTMLParser):
    """The fields of an admin change form (``#<model>_form``) as a browser would submit them."""

    def __init__(self, form_id):
        super().__init__()
        self.form_id = form_id
        self.inside = False
        self.fields = {}
        self.select = self.textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        elif not self.inside or not attrs.get("name"):
            if tag == "option" and self.select and "selected" in attrs:
                self.fields.setdefault(self.select, []).append(attrs.get("value", ""))
        elif tag == "input" and attrs.get("type") not in ("submit", "file", "button"):
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.fields[attrs["name"]] = attrs.get("value", "")
        elif tag == "select":
            self.select = attrs["name"]
            self.fields[self.select] = []
        elif tag == "textarea":
            self.textarea = attrs["name"]
            self.fields[self.textarea] = ""

    def handle_data(self, data):
        if self.textarea:
            self.fields[self.textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea:
            # Django's textarea starts with a newline that browsers drop.
            self.fields[self.textarea] = self.fields[self.textarea].removeprefix("\n")
            self.textarea = None


def admin_form_fields(html, form_id):
    parser = AdminFormFields(form_id)
    parser.feed(html)
    return parser.fields


def byline_form(*rows, initial=0):
    """Inline rows for the article form: ``(row_id or "", author_id, delete)``."""
    data = {
        "articleauthor_set-TOTAL_FORMS": str(len(rows)),
        "articleauthor_set-INITIAL_FORMS": str(initial),
    }
    for index, (row_id, author_id, delete) in enumerate(rows):
        prefix = f"articleauthor_set-{index}-"
        data.update({f"{prefix}id": row_id, f"{prefix}author": author_id, f"{prefix}position": "0"})
        if delete:
            data[f"{prefix}DELETE"] = "on"
    return data


def byline(article):
    return [row.author.name for row in ArticleAuthor.objects.filter(article=article).select_related("author")]


def image_form(image, **changes):
    data = {
        "alt_text": image.alt_text,
        "caption": image.caption,
        "credit": image.credit,
        "restriction": image.restriction,
        "restriction_note": image.restriction_note,
    }
    data.update(changes)
    return data


def versions_of(obj):
    return list(Version.objects.get_for_object(obj).select_related("revision__user").order_by("pk"))


def test_each_edit_records_a_version_with_the_editor_and_time_listed_in_history(django_user_model):
    article = ArticleFactory(title="Prva verzija")
    client = editor(django_user_model)
    started = timezone.now()
    for title in ("Druga verzija", "Treća verzija"):
        response = client.post(f"{CHANGELIST}{article.pk}/change/", article_form(article, title=title))
        assert response.status_code == 302
    versions = versions_of(article)
    assert [v.field_dict["title"] for v in versions] == ["Druga verzija", "Treća verzija"]
    assert {v.revision.user.username for v in versions} == {"urednica"}
    assert all(started <= v.revision.date_created <= timezone.now() for v in versions)
    page = client.get(f"{CHANGELIST}{article.pk}/history/")
    html = page.content.decode()
    assert page.status_code == 200
    for version in versions:
        assert f"/history/{version.pk}/" in html and f'value="{version.pk}"' in html
    assert len(re.findall(r"<td>\s*urednica\s*</td>", html)) == 2
    assert 'value="Uporedi"' in html  # the package's pages, in Serbian


def test_compare_marks_the_words_changed_in_the_body(django_user_model):
    article = ArticleFactory(body="<p>Most je otvoren juče uveče.</p><p>Saobraćaj teče normalno.</p>")
    client = editor(django_user_model)
    client.post(f"{CHANGELIST}{article.pk}/change/", article_form(article))
    changed = "<p>Most je svečano otvoren juče uveče.</p><p>Saobraćaj je obustavljen.</p>"
    client.post(f"{CHANGELIST}{article.pk}/change/", article_form(article, body=changed))
    old, new = versions_of(article)
    history = client.get(f"{CHANGELIST}{article.pk}/history/").content.decode()
    assert 'action="../history/compare/"' in history and 'name="version_id1"' in history

    page = client.get(
        f"{CHANGELIST}{article.pk}/history/compare/", {"version_id1": old.pk, "version_id2": new.pk}
    )
    html = page.content.decode()
    assert page.status_code == 200
    inserted = [unescape(text) for text in re.findall(r"<ins>(.*?)</ins>", html, re.DOTALL)]
    deleted = [unescape(text) for text in re.findall(r"<del>(.*?)</del>", html, re.DOTALL)]
    assert any("svečano" in text for text in inserted) and any("obustavljen" in text for text in inserted)
    assert any("teče normalno" in text for text in deleted)
    assert not any("Most je" in text for text in inserted + deleted)  # unchanged words stay unmarked
    # One paragraph to a line, so the unchanged first paragraph is not part of the second's change.
    assert "&lt;/p&gt;</span>\n" in html and "white-space: pre-wrap" in html
    assert "<h3>rubrika" not in html  # an unchanged foreign key is not listed as a change


def test_compare_shows_changes_to_the_byline_and_tags(django_user_model):
    ana, bora = AuthorFactory(name="Ana Anić"), AuthorFactory(name="Bora Borić")
    city, traffic = TagFactory(name="Grad"), TagFactory(name="Saobraćaj")
    article = ArticleFactory(authors=[ana], tags=[city])
    row = ArticleAuthor.objects.get(article=article)
    client = editor(django_user_model)
    client.post(
        f"{CHANGELIST}{article.pk}/change/",
        article_form(article, tags=[city.pk]) | byline_form((row.pk, ana.pk, False), initial=1),
    )
    client.post(
        f"{CHANGELIST}{article.pk}/change/",
        article_form(article, tags=[city.pk, traffic.pk])
        | byline_form((row.pk, ana.pk, False), ("", bora.pk, False), initial=1),
    )
    old, new = versions_of(article)
    html = client.get(
        f"{CHANGELIST}{article.pk}/history/compare/", {"version_id1": old.pk, "version_id2": new.pk}
    ).content.decode()
    assert "<h3>autori</h3>" in html and "<ins>+ Ana Anić, Bora Borić</ins>" in html
    assert "<h3>oznake</h3>" in html and "<ins>+ Grad, Saobraćaj</ins>" in html


def test_restoring_a_version_brings_back_title_body_and_byline_and_is_recorded(django_user_model):
    first, second = AuthorFactory(name="Jelena Prva"), AuthorFactory(name="Marko Drugi")
    article = ArticleFactory(title="Stari naslov", body="<p>Stari tekst.</p>", authors=[first])
    row = ArticleAuthor.objects.get(article=article)
    client = editor(django_user_model)
    client.post(
        f"{CHANGELIST}{article.pk}/change/",
        article_form(article) | byline_form((row.pk, first.pk, False), initial=1),
    )
    response = client.post(
        f"{CHANGELIST}{article.pk}/change/",
        article_form(article, title="Novi naslov", body="<p>Novi tekst.</p>")
        | byline_form((row.pk, first.pk, True), ("", second.pk, False), initial=1),
    )
    assert response.status_code == 302 and byline(article) == ["Marko Drugi"]
    old = versions_of(article)[0]
    url = f"{CHANGELIST}{article.pk}/history/{old.pk}/"

    preview = client.get(url)
    assert preview.status_code == 200 and "<h1>Vraćanje verzije od " in preview.content.decode()
    assert Article.objects.get(pk=article.pk).title == "Novi naslov"  # looking changes nothing
    response = client.post(url, admin_form_fields(preview.content.decode(), "article_form"))

    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.title, article.body, byline(article)) == (
        "Stari naslov",
        "<p>Stari tekst.</p>",
        ["Jelena Prva"],
    )
    versions = versions_of(article)
    assert len(versions) == 3 and versions[-1].field_dict["title"] == "Stari naslov"
    assert versions[-1].revision.user.username == "urednica"
    assert versions[-1].revision.comment.startswith("Vraćena verzija od ")


def test_restore_keeps_the_current_comment_count(django_user_model):
    article = ArticleFactory(title="Stari naslov")
    client = editor(django_user_model)
    client.post(f"{CHANGELIST}{article.pk}/change/", article_form(article))
    client.post(f"{CHANGELIST}{article.pk}/change/", article_form(article, title="Novi naslov"))
    Article.objects.filter(pk=article.pk).update(comment_count=7)  # as moderation keeps it
    url = f"{CHANGELIST}{article.pk}/history/{versions_of(article)[0].pk}/"
    client.post(url, admin_form_fields(client.get(url).content.decode(), "article_form"))
    article.refresh_from_db()
    assert (article.title, article.comment_count) == ("Stari naslov", 7)


def test_writer_cannot_republish_a_withdrawn_article_by_restoring_a_version(django_user_model):
    article = ArticleFactory(title="Objavljen tekst")
    client = editor(django_user_model)
    client.post(f"{CHANGELIST}{article.pk}/change/", article_form(article))
    client.post(f"{CHANGELIST}{article.pk}/change/", article_form(article, status="withdrawn"))
    published_version = versions_of(article)[0]
    writer = editor(django_user_model, may_publish=False, username="novinar")
    url = f"{CHANGELIST}{article.pk}/history/{published_version.pk}/"
    response = writer.post(url, admin_form_fields(writer.get(url).content.decode(), "article_form"))
    assert response.status_code == 200
    assert "Nemate dozvolu da objavljujete ili povlačite članke." in response.content.decode()
    assert Article.objects.get(pk=article.pk).status == "withdrawn"
    assert len(versions_of(article)) == 2


def test_deleted_article_is_recovered_with_its_byline_and_no_comment_count(django_user_model):
    author = AuthorFactory(name="Jelena Prva")
    article = ArticleFactory(title="Obrisan tekst", authors=[author])
    row = ArticleAuthor.objects.get(article=article)
    client = editor(django_user_model)
    client.post(
        f"{CHANGELIST}{article.pk}/change/",
        article_form(article) | byline_form((row.pk, author.pk, False), initial=1),
    )
    Article.objects.filter(pk=article.pk).update(comment_count=3)
    client.post(f"{CHANGELIST}{article.pk}/change/", article_form(article))  # version says 3 comments
    Article.objects.get(pk=article.pk).delete()  # and its comments with it
    deleted = Version.objects.get_deleted(Article).get()
    assert "Obrisan tekst" in client.get(f"{CHANGELIST}recover/").content.decode()

    url = f"{CHANGELIST}recover/{deleted.pk}/"
    response = client.post(url, admin_form_fields(client.get(url).content.decode(), "article_form"))

    assert response.status_code == 302
    article = Article.objects.get(pk=article.pk)
    assert (article.title, byline(article), article.comment_count) == ("Obrisan tekst", ["Jelena Prva"], 0)


def test_writer_cannot_bring_back_a_deleted_article_already_published(django_user_model):
    article = ArticleFactory(title="Obrisan objavljen tekst")
    editor(django_user_model).post(f"{CHANGELIST}{article.pk}/change/", article_form(article))
    article.delete()
    deleted = Version.objects.get_deleted(Article).get()
    writer = editor(django_user_model, may_publish=False, username="novinar")
    url = f"{CHANGELIST}recover/{deleted.pk}/"
    response = writer.post(url, admin_form_fields(writer.get(url).content.decode(), "article_form"))
    assert response.status_code == 200
    assert "Nemate dozvolu da objavljujete ili povlačite članke." in response.content.decode()
    assert not Article.objects.filter(pk=article.pk).exists()


def test_image_caption_edits_are_versioned_and_an_old_caption_can_be_restored(django_user_model):
    image = ImageFactory(caption="Most u sumrak")
    client = editor(django_user_model)
    change_url = f"/admin/articles/image/{image.pk}/change/"
    for caption in ("Most u sumrak, pogled sa keja", "Novi most"):
        assert client.post(change_url, image_form(image, caption=caption)).status_code == 302
    versions = versions_of(image)
    assert [v.field_dict["caption"] for v in versions] == ["Most u sumrak, pogled sa keja", "Novi most"]
    assert versions[0].revision.user.username == "urednica"

    url = f"/admin/articles/image/{image.pk}/history/{versions[0].pk}/"
    response = client.post(url, admin_form_fields(client.get(url).content.decode(), "image_form"))
    assert response.status_code == 302
    assert Image.objects.get(pk=image.pk).caption == "Most u sumrak, pogled sa keja"
    assert len(versions_of(image)) == 3


def test_bulk_publish_now_records_a_version_of_each_article(django_user_model):
    articles = [ArticleFactory(status=Article.Status.READY, published_at=None) for _ in range(2)]
    other = ArticleFactory(status=Article.Status.READY, published_at=None)
    client = editor(django_user_model)
    response = client.post(
        CHANGELIST, {"action": "publish_now", "_selected_action": [a.pk for a in articles]}, follow=True
    )
    assert "Objavljeno članaka: 2." in response.content.decode()
    for article in articles:
        [version] = versions_of(article)
        assert version.field_dict["status"] == "published" and version.field_dict["published_at"]
        assert version.revision.user.username == "urednica"
        assert "Objavi odmah" in version.revision.comment
    assert versions_of(other) == []


def test_bulk_action_on_a_filtered_list_still_records_versions(django_user_model):
    article = ArticleFactory(status=Article.Status.READY, published_at=None)
    client = editor(django_user_model)
    client.post(
        f"{CHANGELIST}?status__exact=ready", {"action": "publish_now", "_selected_action": [article.pk]}
    )
    assert [v.field_dict["status"] for v in versions_of(article)] == ["published"]


def test_moderator_sees_no_article_history_versions_or_comparison(django_user_model, moderator_client):
    article = ArticleFactory()
    client = editor(django_user_model)
    client.post(f"{CHANGELIST}{article.pk}/change/", article_form(article))
    client.post(f"{CHANGELIST}{article.pk}/change/", article_form(article, title="Drugi naslov"))
    old, new = versions_of(article)
    for url, params in [
        (f"{CHANGELIST}{article.pk}/history/", {}),
        (f"{CHANGELIST}{article.pk}/history/{old.pk}/", {}),
        (f"{CHANGELIST}{article.pk}/history/compare/", {"version_id1": old.pk, "version_id2": new.pk}),
    ]:
        assert moderator_client.get(url, params).status_code in (302, 403)
    assert moderator_client.post(f"{CHANGELIST}{article.pk}/history/{old.pk}/", {}).status_code in (302, 403)
    assert Article.objects.get(pk=article.pk).title == "Drugi naslov"
