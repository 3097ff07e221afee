from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.conflicts import newest_version_id
from articles.models import Article, Image
from articles.tests.factories import ArticleFactory, AuthorFactory, ImageFactory, SectionFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/articles/article/"


def editor(django_user_model, may_publish=True, username="urednica"):
    user = django_user_model.objects.create_user(username, password="x", is_staff=True)
    user.groups.add(Group.objects.get(name="Urednici"))
    if not may_publish:  # a writer: everything an editor does but publishing
        user.groups.clear()
        user.user_permissions.add(
            *Permission.objects.filter(content_type__app_label="articles").exclude(codename="publish_article")
        )
    client = Client()
    client.force_login(user)
    return client


def article_form(article, **changes):
    data = {
        "kicker": article.kicker,
        "title": article.title,
        "slug": article.slug,
        "lead": article.lead,
        "body": article.body,
        "hero_image": "",
        "hero_caption": "",
        "section": article.section_id,
        "status": article.status,
        "published_at_0": "",
        "published_at_1": "",
        "updated_at_0": "",
        "updated_at_1": "",
        "comments_enabled": "on",
        "seo_description": "",
        # As the form carries it when opened now: the article's newest version, the save is no overwrite.
        "opened_version": newest_version_id(article) or "",
        "articleauthor_set-TOTAL_FORMS": "0",
        "articleauthor_set-INITIAL_FORMS": "0",
        "articleauthor_set-MIN_NUM_FORMS": "0",
        "articleauthor_set-MAX_NUM_FORMS": "1000",
    }
    if article.published_at:
        local = timezone.localtime(article.published_at)
        data.update(published_at_0=local.strftime("%d.%m.%Y."), published_at_1=local.strftime("%H:%M:%S"))
    data.update(changes)
    return data


@pytest.mark.parametrize("status", ["draft", "ready"])
def test_writer_moves_between_draft_and_ready_but_cannot_publish(django_user_model, status):
    article = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    writer = editor(django_user_model, may_publish=False)
    response = writer.post(f"{CHANGELIST}{article.pk}/change/", article_form(article, status=status))
    assert response.status_code == 302
    assert Article.objects.get(pk=article.pk).status == status
    response = writer.post(f"{CHANGELIST}{article.pk}/change/", article_form(article, status="published"))
    assert response.status_code == 200
    assert "Nemate dozvolu da objavljujete ili povlačite članke." in response.content.decode()
    assert Article.objects.get(pk=article.pk).status == status


def test_writer_may_correct_a_published_article_but_not_withdraw_it(django_user_model):
    article = ArticleFactory(title="Stari naslov")
    writer = editor(django_user_model, may_publish=False)
    response = writer.post(
        f"{CHANGELIST}{article.pk}/change/", article_form(article, title="Ispravljen naslov")
    )
    assert response.status_code == 302 and Article.objects.get(pk=article.pk).title == "Ispravljen naslov"
    response = writer.post(f"{CHANGELIST}{article.pk}/change/", article_form(article, status="withdrawn"))
    assert response.status_code == 200 and Article.objects.get(pk=article.pk).status == "published"


def test_editor_publishes_and_withdraws(django_user_model):
    article = ArticleFactory(status=Article.Status.READY, published_at=None)
    client = editor(django_user_model)
    client.post(f"{CHANGELIST}{article.pk}/change/", article_form(article, status="published"))
    article.refresh_from_db()
    assert article.status == "published" and article.published_at is not None
    assert Client().get(article.get_absolute_url()).status_code == 200
    client.post(f"{CHANGELIST}{article.pk}/change/", article_form(article, status="withdrawn"))
    assert Client().get(article.get_absolute_url()).status_code == 404


def test_scheduled_article_is_listed_as_zakazano_and_appears_on_its_own(django_user_model):
    section = SectionFactory(name="Kultura", slug="kultura")
    publish_at = timezone.now() + timedelta(minutes=1)
    article = ArticleFactory(section=section, title="Festival počinje sutra", published_at=publish_at)
    listing = editor(django_user_model).get(CHANGELIST).content.decode()
    assert "Zakazano" in listing
    assert "Festival počinje sutra" not in Client().get("/kultura/").content.decode()
    with time_machine.travel(publish_at + timedelta(seconds=1)):
        assert "Festival počinje sutra" in Client().get("/kultura/").content.decode()
        assert Client().get(article.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("status", ["draft", "ready", "withdrawn"])
def test_preview_of_any_state_shows_the_reader_page_with_a_banner(django_user_model, status):
    article = ArticleFactory(status=status, title="Tekst u pripremi", authors=[AuthorFactory()])
    page = editor(django_user_model).get(article.get_absolute_url())
    body = page.content.decode()
    assert page.status_code == 200 and "Pregled: nije objavljeno" in body and "Tekst u pripremi" in body
    assert Client().get(article.get_absolute_url()).status_code == 404


def test_bulk_publish_now_withdraw_and_move_to_section(django_user_model):
    client = editor(django_user_model)
    drafts = [ArticleFactory(status=Article.Status.READY, published_at=None) for _ in range(2)]
    client.post(CHANGELIST, {"action": "publish_now", "_selected_action": [a.pk for a in drafts]})
    assert set(Article.objects.filter(pk__in=[a.pk for a in drafts]).values_list("status", flat=True)) == {
        "published"
    }
    assert Article.objects.published().filter(pk__in=[a.pk for a in drafts]).count() == 2
    client.post(CHANGELIST, {"action": "withdraw", "_selected_action": [drafts[0].pk]})
    assert Article.objects.get(pk=drafts[0].pk).status == "withdrawn"
    sport = SectionFactory(name="Sport", slug="sport")
    client.post(
        CHANGELIST,
        {"action": "move_to_section", "section": sport.pk, "_selected_action": [a.pk for a in drafts]},
    )
    assert set(Article.objects.filter(pk__in=[a.pk for a in drafts]).values_list("section", flat=True)) == {
        sport.pk
    }


def test_bulk_publish_is_not_offered_to_writers(django_user_model):
    article = ArticleFactory(status=Article.Status.READY, published_at=None)
    writer = editor(django_user_model, may_publish=False)
    page = writer.get(CHANGELIST).content.decode()
    assert 'value="publish_now"' not in page and 'value="move_to_section"' in page
    writer.post(CHANGELIST, {"action": "publish_now", "_selected_action": [article.pk]})
    assert Article.objects.get(pk=article.pk).status == "ready"


def test_article_list_of_100_runs_a_fixed_number_of_queries(django_user_model):
    client = editor(django_user_model)
    image = ImageFactory()

    def listing_queries():
        client.get(CHANGELIST)
        with CaptureQueriesContext(connection) as queries:
            page = client.get(CHANGELIST)
        assert page.status_code == 200
        return len(queries), page.content.decode()

    ArticleFactory(hero_image=image, authors=[AuthorFactory()])
    few, _ = listing_queries()
    for _ in range(99):
        ArticleFactory(hero_image=image, authors=[AuthorFactory(), AuthorFactory()])
    many, page = listing_queries()
    assert few == many
    assert page.count('class="field-title"') == 100 and "Zakazano" not in page


def test_image_page_lists_where_it_is_used(django_user_model):
    image = ImageFactory()
    ArticleFactory(title="Naslovna upotreba", hero_image=image)
    ArticleFactory(title="Upotreba u tekstu", body=f'<p>a</p><figure data-image-id="{image.pk}"></figure>')
    ArticleFactory(title="Bez fotografije")
    page = editor(django_user_model).get(f"/admin/articles/image/{image.pk}/change/").content.decode()
    assert "Naslovna upotreba" in page and "Upotreba u tekstu" in page and "Bez fotografije" not in page


def test_warning_when_a_one_article_photo_is_placed_in_another(django_user_model):
    image = ImageFactory(restriction=Image.Restriction.THIS_ARTICLE, caption="Ekskluzivna fotografija")
    ArticleFactory(hero_image=image)
    second = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    client = editor(django_user_model)
    response = client.post(
        f"{CHANGELIST}{second.pk}/change/",
        article_form(second, body=f'<p>x</p><figure data-image-id="{image.pk}"></figure>'),
        follow=True,
    )
    assert "Ekskluzivna fotografija“ sme u samo jedan članak" in response.content.decode()
    fine = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    response = client.post(f"{CHANGELIST}{fine.pk}/change/", article_form(fine), follow=True)
    assert "sme u samo jedan članak" not in response.content.decode()


def test_body_editor_picker_finds_photos_by_caption_or_credit_with_thumbnails(django_user_model, client):
    ImageFactory(caption="Most u sumrak", credit="Marko Ilić")
    ImageFactory(caption="Pijaca ujutru", credit="Tanjug")
    found = editor(django_user_model).get("/admin/articles/image/izbor/", {"q": "ilić"}).json()["results"]
    assert [(photo["text"], photo["credit"]) for photo in found] == [("Most u sumrak", "Marko Ilić")]
    assert found[0]["thumb"].endswith(".webp")
    assert client.get("/admin/articles/image/izbor/").status_code == 302  # readers go to the login page


def test_article_form_offers_the_rich_text_editor_with_library_photos(django_user_model):
    page = editor(django_user_model).get(f"{CHANGELIST}add/").content.decode()
    assert "data-django-prose-editor-configurable" in page and "library_photo.js" in page
    assert "prose_editor_sr.js" in page
