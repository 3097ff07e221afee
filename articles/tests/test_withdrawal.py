"""Withdrawing an article: the confirmation page, the service, and what readers of its address see."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from reversion.models import Version

from articles import services
from articles.models import Article, SiteSettings
from articles.tests.factories import ArticleFactory, SectionFactory
from articles.tests.test_workflow import CHANGELIST, article_form, editor

pytestmark = pytest.mark.django_db

NOTICE = "Tekst je povučen jer je sadržao netačne podatke o odluci suda."


@pytest.fixture
def article():
    SiteSettings.get_solo()
    return ArticleFactory(
        section=SectionFactory(name="Hronika", slug="hronika"), title="Presuda u slučaju mosta"
    )


def withdraw_url(article):
    return f"{CHANGELIST}{article.pk}/povuci/"


def versions_of(article):
    return Version.objects.get_for_object(article).select_related("revision")


def test_editor_withdraws_with_a_note_and_a_notice_and_returns_to_the_form(django_user_model, article):
    client = editor(django_user_model)
    page = client.get(withdraw_url(article)).content.decode()
    assert "Interna napomena" in page and "Javno obaveštenje" in page
    assert f'href="{CHANGELIST}{article.pk}/change/"' in page  # "Odustani" returns to the form
    response = client.post(withdraw_url(article), {"note": "Pogrešna odluka suda", "notice": NOTICE})
    assert response.status_code == 302 and response["Location"] == f"{CHANGELIST}{article.pk}/change/"
    saved = Article.objects.get(pk=article.pk)
    assert saved.status == "withdrawn" and saved.withdrawn_at is not None
    assert (saved.withdrawal_note, saved.withdrawal_notice) == ("Pogrešna odluka suda", NOTICE)
    assert versions_of(article).first().revision.comment == "Povučeno sa sajta: Pogrešna odluka suda"
    form = client.get(f"{CHANGELIST}{article.pk}/change/").content.decode()
    assert "Povučeno " in form and NOTICE in form


def test_the_confirmation_page_changes_nothing_until_confirmed(django_user_model, article):
    editor(django_user_model).get(withdraw_url(article))
    assert Article.objects.get(pk=article.pk).status == "published"


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_writer_without_the_publish_permission_cannot_withdraw(django_user_model, article, method):
    writer = editor(django_user_model, may_publish=False)
    response = getattr(writer, method)(withdraw_url(article), {"note": "x"} if method == "post" else None)
    assert response.status_code == 403
    assert Article.objects.get(pk=article.pk).status == "published"


def test_withdrawal_needs_the_csrf_token(django_user_model, article):
    user = django_user_model.objects.create_superuser("glavna", password="x")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.post(withdraw_url(article), {"note": "x"}).status_code == 403
    assert Article.objects.get(pk=article.pk).status == "published"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"note": "x" * 2001}, "Napomena je preduga"),
        ({"notice": "x" * 2001}, "Obaveštenje je predugo"),
        ({"note": "nul\x00bajt"}, "Ispravite greške"),
    ],
    ids=["long-note", "long-notice", "nul-byte"],
)
def test_bad_input_on_the_confirmation_page_is_answered_with_a_message(
    django_user_model, article, fields, message
):
    response = editor(django_user_model).post(withdraw_url(article), fields)
    page = response.content.decode()
    assert response.status_code == 200 and "Ispravite greške" in page and message in page
    assert Article.objects.get(pk=article.pk).status == "published"


@pytest.mark.parametrize("object_id", ["999999", "abc", "1%00"], ids=["missing", "not-a-number", "nul"])
def test_an_unknown_article_on_the_confirmation_page_is_not_an_error(django_user_model, object_id):
    response = editor(django_user_model).get(f"{CHANGELIST}{object_id}/povuci/")
    assert response.status_code in (302, 404)


def test_withdrawn_at_is_set_only_for_articles_that_were_live():
    live = ArticleFactory()
    scheduled = ArticleFactory(published_at=timezone.now() + timedelta(days=1))
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    assert services.withdraw([live.pk, scheduled.pk, draft.pk], note="Duplikat") == 3
    withdrawn = {a.pk: a for a in Article.objects.filter(pk__in=[live.pk, scheduled.pk, draft.pk])}
    assert {a.status for a in withdrawn.values()} == {"withdrawn"}
    assert withdrawn[live.pk].withdrawn_at is not None
    assert withdrawn[scheduled.pk].withdrawn_at is None and withdrawn[draft.pk].withdrawn_at is None


def test_bulk_withdraw_goes_through_the_service_with_one_version_each(admin_client, article):
    admin_client.post(CHANGELIST, {"action": "withdraw", "_selected_action": [article.pk]})
    saved = Article.objects.get(pk=article.pk)
    assert saved.status == "withdrawn" and saved.withdrawn_at is not None
    assert [v.revision.comment for v in versions_of(article)] == ["Povučeno sa sajta."]


@pytest.mark.parametrize("prefix", ["", "/cir"], ids=["latin", "cyrillic"])
def test_readers_of_a_withdrawn_address_are_told_when_and_why(article, prefix):
    url = prefix + article.get_absolute_url()
    assert Client().get(url).status_code == 200  # stored in the page cache
    services.withdraw([article.pk], note="interno: pogrešan sud", notice=NOTICE)
    response = Client().get(url)
    assert response.status_code == 410
    page = response.content.decode()
    withdrawn_at = timezone.localtime(Article.objects.get(pk=article.pk).withdrawn_at)
    assert withdrawn_at.strftime("%d.%m.%Y.") in page
    assert "interno" not in page and article.title not in page  # the note is internal; the text is gone
    if prefix:
        assert "Чланак је повучен" in page and "нетачне податке" in page
    else:
        assert "Članak je povučen" in page and NOTICE in page
    assert Client().get(url).status_code == 410  # never kept as a page: the next reader is told too


def test_withdrawn_without_a_notice_says_only_that_it_was_withdrawn(article):
    services.withdraw([article.pk])
    page = Client().get(article.get_absolute_url()).content.decode()
    assert "Članak je povučen" in page and "Obaveštenje uredništva" not in page


@pytest.mark.parametrize("prefix", ["", "/cir"], ids=["latin", "cyrillic"])
@pytest.mark.parametrize(
    "fields",
    [
        {"status": Article.Status.DRAFT, "published_at": None},
        {"published_at": "FUTURE"},
        {"status": Article.Status.WITHDRAWN},  # withdrawn before withdrawals were dated
    ],
    ids=["draft", "scheduled", "legacy-withdrawn"],
)
def test_articles_never_withdrawn_while_live_answer_exactly_as_missing_ones(fields, prefix):
    SiteSettings.get_solo()
    if fields.get("published_at") == "FUTURE":
        fields = {"published_at": timezone.now() + timedelta(days=1)}
    article = ArticleFactory(**fields)
    services.withdraw([article.pk], notice=NOTICE)
    url = prefix + article.get_absolute_url()
    response = Client().get(url)
    services.delete_shown([article])
    missing = Client().get(url)
    assert response.status_code == missing.status_code == 404
    assert response.content == missing.content


def test_publishing_again_brings_the_article_back_at_once(django_user_model, article):
    url = article.get_absolute_url()
    services.withdraw([article.pk], notice=NOTICE)
    assert Client().get(url).status_code == 410
    client = editor(django_user_model)
    form = client.get(f"{CHANGELIST}{article.pk}/change/").content.decode()
    assert 'value="publish"' in form
    withdrawn = Article.objects.get(pk=article.pk)
    response = client.post(f"{CHANGELIST}{article.pk}/change/", article_form(withdrawn, publishing="publish"))
    assert response.status_code == 302
    assert Client().get(url).status_code == 200
    assert Article.objects.get(pk=article.pk).withdrawn_at is None
