"""The writing desk (the article change form): its buttons, the state in words, and its query budget."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import reversion
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, ArticleAuthor
from articles.publishing import state_in_words
from articles.tests.factories import ArticleFactory, AuthorFactory, ImageFactory, TagFactory
from articles.tests.test_workflow import CHANGELIST, article_form, editor

pytestmark = pytest.mark.django_db

NO_PERMISSION = "Nemate dozvolu da objavljujete ili povlačite članke."


def change_url(article):
    return f"{CHANGELIST}{article.pk}/change/"


def press(article, button, **changes):
    """The form as a browser sends it when ``button`` is pressed (``status`` as the hidden field has it)."""
    return article_form(article, publishing=button, **changes)


def local_fields(moment):
    local = timezone.localtime(moment)
    return {"published_at_0": local.strftime("%d.%m.%Y."), "published_at_1": local.strftime("%H:%M:%S")}


@pytest.mark.parametrize(
    ("button", "status"),
    [("draft", "draft"), ("ready", "ready"), ("publish", "published")],
    ids=["save-draft", "mark-ready", "publish-now"],
)
def test_each_button_puts_a_draft_into_its_state(django_user_model, button, status):
    article = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    response = editor(django_user_model).post(change_url(article), press(article, button))
    assert response.status_code == 302
    saved = Article.objects.get(pk=article.pk)
    assert saved.status == status
    assert (saved.published_at is not None) == (status == "published")


def test_publish_now_sets_the_time_to_now_whatever_the_field_says(django_user_model):
    article = ArticleFactory(status=Article.Status.READY, published_at=None)
    later = timezone.now() + timedelta(days=3)
    editor(django_user_model).post(change_url(article), press(article, "publish", **local_fields(later)))
    saved = Article.objects.get(pk=article.pk)
    assert saved.status == "published" and saved.published_at <= timezone.now()


def test_every_save_stays_on_the_form(django_user_model):
    article = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    response = editor(django_user_model).post(
        change_url(article), {**press(article, "draft"), "_continue": "1"}
    )
    assert response.status_code == 302 and response["Location"] == change_url(article)


def test_schedule_publishes_at_the_time_given(django_user_model):
    article = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    when = (timezone.now() + timedelta(days=1)).replace(second=0, microsecond=0)
    response = editor(django_user_model).post(
        change_url(article), press(article, "schedule", **local_fields(when))
    )
    assert response.status_code == 302
    saved = Article.objects.get(pk=article.pk)
    assert (saved.status, saved.published_at, saved.is_scheduled) == ("published", when, True)


@pytest.mark.parametrize(
    "fields",
    [
        {"published_at_0": "", "published_at_1": ""},
        "past",
        "now",
        {"published_at_0": "32.13.2026.", "published_at_1": "25:00"},
    ],
    ids=["no-time", "in-the-past", "this-minute", "not-a-date"],
)
def test_schedule_refuses_a_time_not_in_the_future(django_user_model, fields):
    article = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    now = timezone.now().replace(microsecond=0)
    if fields == "past":
        fields = local_fields(now - timedelta(hours=2))
    elif fields == "now":
        fields = local_fields(now)
    with time_machine.travel(now + timedelta(seconds=1), tick=False):
        response = editor(django_user_model).post(change_url(article), press(article, "schedule", **fields))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Za zakazivanje upišite datum i vreme objave u budućnosti." in page or "Unesite ispravan" in page
    assert Article.objects.get(pk=article.pk).status == "draft"


@pytest.mark.parametrize("button", ["publish", "schedule"], ids=["publish-now", "schedule"])
def test_a_writer_cannot_publish_with_a_forged_button(django_user_model, button):
    article = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    writer = editor(django_user_model, may_publish=False)
    fields = local_fields(timezone.now() + timedelta(days=1))
    response = writer.post(change_url(article), press(article, button, **fields))
    assert response.status_code == 200 and NO_PERMISSION in response.content.decode()
    assert Article.objects.get(pk=article.pk).status == "draft"


@pytest.mark.parametrize(
    ("status", "button"),
    [("published", "draft"), ("withdrawn", "ready"), ("withdrawn", "draft")],
    ids=["unpublish-to-draft", "withdrawn-to-ready", "withdrawn-to-draft"],
)
def test_a_writer_cannot_move_an_article_out_of_public_states(django_user_model, status, button):
    article = ArticleFactory(status=status)
    writer = editor(django_user_model, may_publish=False)
    response = writer.post(change_url(article), press(article, button))
    assert response.status_code == 200 and NO_PERMISSION in response.content.decode()
    assert Article.objects.get(pk=article.pk).status == status


@pytest.mark.parametrize(
    "value",
    ["delete", "withdraw", "PUBLISH", "publish ", "<script>", "x" * 5000, "save\x00"],
    ids=["delete", "withdraw", "upper-case", "trailing-space", "markup", "long", "nul"],
)
def test_a_forged_button_value_is_refused_with_a_message(django_user_model, value):
    article = ArticleFactory(status=Article.Status.DRAFT, published_at=None, title="Stari naslov")
    response = editor(django_user_model).post(change_url(article), press(article, value, title="Novi naslov"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ta radnja ne postoji; sačuvajte članak jednim od dugmadi" in page
    assert Article.objects.get(pk=article.pk).title == "Stari naslov"


def test_save_keeps_a_published_article_published_for_a_writer(django_user_model):
    article = ArticleFactory(title="Stari naslov")
    published_at = article.published_at
    writer = editor(django_user_model, may_publish=False)
    response = writer.post(change_url(article), press(article, "save", title="Ispravljen naslov"))
    assert response.status_code == 302
    saved = Article.objects.get(pk=article.pk)
    assert (saved.title, saved.status) == ("Ispravljen naslov", "published")
    assert saved.published_at == published_at.replace(microsecond=0)


def test_a_writer_sees_no_publishing_buttons_and_no_withdraw_link(django_user_model):
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    live = ArticleFactory()
    writer = editor(django_user_model, may_publish=False, username="pisac")
    page = writer.get(change_url(draft)).content.decode()
    assert 'value="draft"' in page and 'value="ready"' in page
    assert 'value="publish"' not in page and 'value="schedule"' not in page
    page = writer.get(change_url(live)).content.decode()
    assert 'value="save"' in page and "/povuci/" not in page
    chief = editor(django_user_model)
    page = chief.get(change_url(draft)).content.decode()
    assert 'value="publish"' in page and 'value="schedule"' in page
    assert f"{live.pk}/povuci/" in chief.get(change_url(live)).content.decode()


def test_the_stock_submit_row_is_replaced_and_delete_stays_reachable(django_user_model):
    article = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    page = editor(django_user_model).get(change_url(article)).content.decode()
    for stock in ['name="_save"', 'name="_addanother"', 'name="_saveasnew"']:
        assert stock not in page
    assert f"{CHANGELIST}{article.pk}/delete/" in page
    # Enter in a field presses the first submit button in the form: it must be the harmless one.
    form = page[page.index('id="article_form"') :]
    first_button = form.index('type="submit"')
    assert form[first_button:].startswith('type="submit" name="publishing" value="draft"')


def test_old_posts_with_a_status_still_work(django_user_model):
    article = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    response = editor(django_user_model).post(change_url(article), article_form(article, status="ready"))
    assert response.status_code == 302 and Article.objects.get(pk=article.pk).status == "ready"


BELGRADE = ZoneInfo("Europe/Belgrade")  # the site's time zone
TUESDAY = datetime(2026, 12, 8, 14, 30, tzinfo=BELGRADE)
MONDAY = datetime(2026, 12, 7, 9, 15, tzinfo=BELGRADE)


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"status": "draft", "published_at": None}, "Nacrt — nije javno"),
        ({"status": "ready", "published_at": None}, "Spremno za objavu — nije javno"),
        (
            {"status": "published", "published_at": TUESDAY},
            "Zakazano: objavljuje se u utorak, 8. decembra u 14.30",
        ),
        ({"status": "published", "published_at": MONDAY}, "Objavljeno 7. decembra u 9.15"),
        ({"status": "withdrawn", "withdrawn_at": MONDAY}, "Povučeno 7. decembra u 9.15 — nije javno"),
        ({"status": "withdrawn", "withdrawn_at": None}, "Povučeno — nije javno"),
    ],
    ids=["draft", "ready", "scheduled", "published", "withdrawn-after-live", "withdrawn-never-live"],
)
def test_the_sidebar_says_the_state_in_words(django_user_model, fields, words):
    with time_machine.travel(MONDAY + timedelta(hours=2), tick=False):
        article = ArticleFactory(**fields)
        assert state_in_words(article) == words
        page = editor(django_user_model).get(change_url(article)).content.decode()
    assert words in page


def test_scheduling_on_a_sunday_says_the_day_as_serbian_does(django_user_model):
    sunday = datetime(2026, 12, 13, 20, 0, tzinfo=BELGRADE)
    with time_machine.travel(MONDAY, tick=False):
        article = ArticleFactory(published_at=sunday)
        assert state_in_words(article) == "Zakazano: objavljuje se u nedelju, 13. decembra u 20.00"


def rich_article(count):
    """An article with ``count`` authors, tags, photos in the body and revisions."""
    photos = [ImageFactory() for _ in range(count)]
    body = "".join(
        f'<p>Pasus {n}.</p><figure data-image-id="{photo.pk}"><img src="x" alt=""></figure>'
        for n, photo in enumerate(photos)
    )
    article = ArticleFactory(body=body, hero_image=photos[0])
    for position in range(count):
        ArticleAuthor.objects.create(article=article, author=AuthorFactory(), position=position)
    article.tags.set([TagFactory() for _ in range(count)])
    for n in range(count):
        with reversion.create_revision():
            article.title = f"Naslov {n}"
            article.save()
    return article


# Session and user, the article (twice: the admin's check and its form) with its byline, the permissions, the
# transaction's savepoint, tags (form and widget), byline rows with their authors in one, sections, the hero
# photo, the newest version (for conflicting saves) and the editor's autosave (to offer it back): fixed
# however many authors, tags, photos and revisions the article has.
CHANGE_FORM_QUERIES = 17


def test_the_change_form_opens_in_a_fixed_number_of_queries(django_user_model):
    client = editor(django_user_model)
    counts = []
    for count in (1, 6):
        article = rich_article(count)
        client.get(change_url(article))  # the session and permission caches warmed like any later request
        with CaptureQueriesContext(connection) as queries:
            response = client.get(change_url(article))
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts == [CHANGE_FORM_QUERIES, CHANGE_FORM_QUERIES]


@pytest.mark.parametrize(
    "typed", ["Most\npušten u saobraćaj", "Most\r\n  pušten u saobraćaj ", " Most\tpušten  u saobraćaj"]
)
def test_a_headline_typed_over_lines_in_the_wrapping_box_is_saved_on_one(django_user_model, typed):
    article = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    response = editor(django_user_model).post(change_url(article), press(article, "draft", title=typed))
    assert response.status_code == 302
    assert Article.objects.get(pk=article.pk).title == "Most pušten u saobraćaj"
