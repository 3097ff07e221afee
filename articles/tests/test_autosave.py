"""Autosave of the article form: kept cheaply and privately, never the article, offered back, cleaned up."""

import json
import uuid
from datetime import datetime, timedelta

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from reversion.models import Version

from articles import autosave
from articles.models import Article, ArticleAutosave
from articles.tests.factories import ArticleFactory, TagFactory
from articles.tests.test_revisions import admin_form_fields
from articles.tests.test_workflow import CHANGELIST, article_form, editor

pytestmark = pytest.mark.django_db

BELGRADE_DEC_7_10_42 = datetime.fromisoformat("2026-12-07T10:42:00+01:00")


def autosave_url(article):
    return f"{CHANGELIST}{article.pk}/autosave/"


NEW_AUTOSAVE_URL = f"{CHANGELIST}add/autosave/"


def staff(django_user_model, username, *codenames):
    user = django_user_model.objects.create_user(username, password="x", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    client = Client()
    client.force_login(user)
    return user, client


@pytest.fixture
def invalidations(monkeypatch):
    """Every scope any ``invalidate`` call names (the page cache's own entry points, spied on)."""
    from config.delivery import invalidation

    calls = []
    monkeypatch.setattr(invalidation, "changed", lambda *scopes: calls.append(scopes))
    monkeypatch.setattr(invalidation, "changed_may_lag", lambda *scopes: calls.append(scopes))
    return calls


def rows():
    return list(ArticleAutosave.objects.values("user__username", "article_id", "new_article_key", "fields"))


# The endpoint


def test_autosave_keeps_only_the_form_fields_as_strings(django_user_model):
    article = ArticleFactory()
    tags = TagFactory.create_batch(2)
    client = editor(django_user_model)
    data = article_form(article, title="Naslov u pisanju", body="<p>Pola rečen</p>", is_lead="on")
    data |= {
        "tags": [str(tags[0].pk), str(tags[1].pk)],
        "published_at_0": "07.12.2026.",
        "csrfmiddlewaretoken": "x",
        "_save": "Sačuvaj",
        "is_superuser": "on",  # not a field of the form
        "comment_count": "999",
        "articleauthor_set-0-author": "1",
    }

    response = client.post(autosave_url(article), data)

    assert response.status_code == 200 and "saved_at" in response.json()
    kept = ArticleAutosave.objects.get(article=article).fields
    assert kept["title"] == "Naslov u pisanju" and kept["body"] == "<p>Pola rečen</p>"
    assert kept["tags"] == [str(tags[0].pk), str(tags[1].pk)]
    assert kept["published_at_0"] == "07.12.2026." and kept["is_lead"] == "on"
    for unknown in (
        "csrfmiddlewaretoken",
        "_save",
        "is_superuser",
        "comment_count",
        "articleauthor_set-0-author",
    ):
        assert unknown not in kept
    assert all(isinstance(value, str | list) for value in kept.values())


def test_autosave_answers_with_the_local_time_it_was_kept(django_user_model):
    article = ArticleFactory()
    client = editor(django_user_model)
    with time_machine.travel(BELGRADE_DEC_7_10_42, tick=False):
        response = client.post(autosave_url(article), {"title": "Naslov"})
    assert response.json() == {"saved_at": "10.42"}


def test_a_second_autosave_replaces_the_first(django_user_model):
    article = ArticleFactory()
    client = editor(django_user_model)
    with time_machine.travel(BELGRADE_DEC_7_10_42, tick=False):
        client.post(autosave_url(article), {"title": "Prvo", "lead": "Uvod"})
    with time_machine.travel(BELGRADE_DEC_7_10_42 + timedelta(seconds=8), tick=False):
        client.post(autosave_url(article), {"title": "Drugo"})
    (row,) = ArticleAutosave.objects.all()
    assert row.fields == {"title": "Drugo"}
    assert row.saved_at == BELGRADE_DEC_7_10_42 + timedelta(seconds=8)


def test_autosave_never_saves_the_article_records_no_version_and_invalidates_no_page(
    django_user_model, invalidations
):
    article = ArticleFactory(title="Objavljeni naslov")
    before = Article.objects.filter(pk=article.pk).values().get()
    versions = Version.objects.count()
    client = editor(django_user_model)

    for title in ("Novi naslov", "Još noviji naslov"):
        response = client.post(autosave_url(article), article_form(article, title=title, status="draft"))
        assert response.status_code == 200
    client.post(NEW_AUTOSAVE_URL, {"new_article_key": str(uuid.uuid4()), "title": "Sasvim nov"})

    assert Article.objects.filter(pk=article.pk).values().get() == before  # modified_at included
    assert Article.objects.count() == 1
    assert Version.objects.count() == versions
    assert invalidations == []
    assert ArticleAutosave.objects.count() == 2


def test_an_autosave_costs_one_write_beside_the_fixed_reads(django_user_model, django_assert_num_queries):
    """Session, user, the user's permissions and groups' permissions, that the article exists; one upsert."""
    article = ArticleFactory()
    _, client = staff(django_user_model, "ana", "change_article", "add_article")
    data = article_form(article, title="Naslov", body="<p>" + "reč " * 2000 + "</p>")
    client.post(autosave_url(article), data)  # the row exists: the next one is the update path

    with django_assert_num_queries(6) as captured:
        assert client.post(autosave_url(article), data).status_code == 200
    writes = [
        q["sql"] for q in captured.captured_queries if not q["sql"].lstrip().upper().startswith("SELECT")
    ]
    assert len(writes) == 1 and "ON CONFLICT" in writes[0].upper()

    with django_assert_num_queries(5) as captured:  # no article to look up
        assert (
            client.post(NEW_AUTOSAVE_URL, {**data, "new_article_key": str(uuid.uuid4())}).status_code == 200
        )
    writes = [
        q["sql"] for q in captured.captured_queries if not q["sql"].lstrip().upper().startswith("SELECT")
    ]
    assert len(writes) == 1 and "ON CONFLICT" in writes[0].upper()


@pytest.mark.parametrize(
    ("codenames", "new", "status"),
    [
        ((), False, 403),
        (("view_article",), False, 403),
        (("add_article",), False, 403),
        (("change_article",), True, 403),
        (("view_article",), True, 403),
    ],
    ids=["no-permission", "view-only", "add-only-on-existing", "change-only-on-new", "view-only-on-new"],
)
def test_autosave_needs_the_permission_the_form_needs(django_user_model, codenames, new, status):
    article = ArticleFactory()
    _, client = staff(django_user_model, "pisac", *codenames)
    url = NEW_AUTOSAVE_URL if new else autosave_url(article)
    response = client.post(url, {"title": "Naslov", "new_article_key": str(uuid.uuid4())})
    assert response.status_code == status
    assert response.json() == {"error": "Nemate dozvolu da menjate ovaj članak."}
    assert rows() == []


def test_autosave_is_refused_to_visitors_and_non_staff(client, django_user_model):
    article = ArticleFactory()
    response = client.post(autosave_url(article), {"title": "Naslov"})
    assert response.status_code == 302 and "/login/" in response["Location"]
    user = django_user_model.objects.create_user("citalac", password="x")
    client.force_login(user)
    assert client.post(autosave_url(article), {"title": "Naslov"}).status_code == 302
    assert rows() == []


def test_autosave_needs_the_csrf_token(django_user_model):
    article = ArticleFactory()
    user, _ = staff(django_user_model, "ana", "change_article")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.post(autosave_url(article), {"title": "Naslov"}).status_code == 403
    assert rows() == []


@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_autosave_takes_only_post(django_user_model, method):
    article = ArticleFactory()
    client = editor(django_user_model)
    assert getattr(client, method)(autosave_url(article)).status_code == 405


OVERSIZE = "x" * (autosave.MAX_BYTES + 1)


@pytest.mark.parametrize(
    ("target", "data", "status", "message"),
    [
        ("new", {"title": "Naslov"}, 400, autosave.BAD_KEY),
        ("new", {"title": "Naslov", "new_article_key": "nije-uuid"}, 400, autosave.BAD_KEY),
        ("new", {"title": "Naslov", "new_article_key": "\x00"}, 400, autosave.BAD_KEY),
        ("existing", {"title": "Na\x00slov"}, 400, autosave.BAD_VALUE.format("title")),
        ("existing", {"tags": [str(n) for n in range(101)]}, 400, autosave.BAD_VALUE.format("tags")),
        ("existing", {}, 400, autosave.NOTHING_TO_KEEP),
        ("existing", {"is_superuser": "on", "_save": "1"}, 400, autosave.NOTHING_TO_KEEP),
        ("existing", {"body": OVERSIZE}, 413, autosave.TOO_BIG),
        ("new", {"body": OVERSIZE, "new_article_key": str(uuid.uuid4())}, 413, autosave.TOO_BIG),
    ],
    ids=[
        "new-without-key",
        "new-with-garbled-key",
        "new-with-nul-key",
        "nul-byte-in-value",
        "too-many-values",
        "empty",
        "only-unknown-fields",
        "too-big",
        "too-big-new",
    ],
)
def test_garbage_is_refused_with_a_serbian_message(django_user_model, target, data, status, message):
    article = ArticleFactory()
    client = editor(django_user_model)
    response = client.post(NEW_AUTOSAVE_URL if target == "new" else autosave_url(article), data)
    assert response.status_code == status
    assert response.json() == {"error": message}
    assert rows() == []


@pytest.mark.parametrize(
    "object_id", ["999999", "abc", "1.5", "-1", "٣", "99999999999999999999999", "1%00"], ids=str
)
def test_autosave_of_no_such_article_is_404(django_user_model, object_id):
    ArticleFactory()
    client = editor(django_user_model)
    response = client.post(f"{CHANGELIST}{object_id}/autosave/", {"title": "Naslov"})
    assert response.status_code == 404
    assert rows() == []


def test_a_body_over_djangos_own_limit_is_a_400_not_a_crash(django_user_model, settings):
    article = ArticleFactory()
    client = editor(django_user_model)
    huge = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    assert client.post(autosave_url(article), {"body": huge}).status_code in (400, 413)
    assert rows() == []


def test_a_json_body_is_refused_not_kept(django_user_model):
    article = ArticleFactory()
    client = editor(django_user_model)
    response = client.post(autosave_url(article), '{"title": "x"}', content_type="application/json")
    assert response.status_code == 400 and rows() == []


def test_each_editor_keeps_their_own_autosave(django_user_model):
    article = ArticleFactory()
    _, ana = staff(django_user_model, "ana", "change_article")
    _, marko = staff(django_user_model, "marko", "change_article")
    ana.post(autosave_url(article), {"title": "Anin naslov"})
    marko.post(autosave_url(article), {"title": "Markov naslov"})
    marko.post(f"{autosave_url(article)}discard/")

    assert rows() == [
        {
            "user__username": "ana",
            "article_id": article.pk,
            "new_article_key": None,
            "fields": {"title": "Anin naslov"},
        }
    ]
    page = marko.get(f"{CHANGELIST}{article.pk}/change/").content.decode()
    assert "Anin naslov" not in page and "Imate nesačuvane izmene" not in page


def test_a_new_article_key_names_the_autosave_of_its_author_only(django_user_model):
    key = str(uuid.uuid4())
    _, ana = staff(django_user_model, "ana", "add_article")
    _, marko = staff(django_user_model, "marko", "add_article")
    ana.post(NEW_AUTOSAVE_URL, {"new_article_key": key, "title": "Anin"})
    marko.post(NEW_AUTOSAVE_URL, {"new_article_key": key, "title": "Markov"})  # same key: his own row
    marko.post(f"{NEW_AUTOSAVE_URL}discard/", {"new_article_key": key})
    assert [(row["user__username"], row["fields"]) for row in rows()] == [("ana", {"title": "Anin"})]
    assert "Anin" not in marko.get(f"{CHANGELIST}add/").content.decode()


# The offer


def offered_fields(page):
    html = page.content.decode()
    marker = '<script id="autosave-fields" type="application/json">'
    if marker not in html:
        return None
    return json.loads(html.split(marker, 1)[1].split("</script>", 1)[0])


def test_the_change_form_offers_an_autosave_newer_than_the_last_save(django_user_model):
    with time_machine.travel(BELGRADE_DEC_7_10_42 - timedelta(hours=1), tick=False):
        article = ArticleFactory(title="Sačuvan naslov")
    client = editor(django_user_model)
    with time_machine.travel(BELGRADE_DEC_7_10_42, tick=False):
        client.post(autosave_url(article), {"title": "Nesačuvan naslov", "body": "<p>Pola</p>"})

    page = client.get(f"{CHANGELIST}{article.pk}/change/")

    html = page.content.decode()
    assert "Imate nesačuvane izmene od 7. decembra u 10.42." in html
    assert "Vrati nesačuvane izmene" in html and "Odbaci" in html
    assert offered_fields(page) == {"title": "Nesačuvan naslov", "body": "<p>Pola</p>"}
    assert f'data-discard-url="{autosave_url(article)}discard/"' in html


def test_the_offer_names_the_chosen_tags_and_photo_the_autocomplete_inputs_do_not_list(django_user_model):
    article = ArticleFactory()
    grad, most = TagFactory(name="Grad"), TagFactory(name="Most")
    client = editor(django_user_model)
    client.post(autosave_url(article), {"title": "Naslov", "tags": [str(grad.pk), str(most.pk), "nije-broj"]})

    html = client.get(f"{CHANGELIST}{article.pk}/change/").content.decode()

    marker = '<script id="autosave-labels" type="application/json">'
    labels = json.loads(html.split(marker, 1)[1].split("</script>", 1)[0])
    assert labels == {"tags": {str(grad.pk): "Grad", str(most.pk): "Most"}}


def test_an_autosave_older_than_the_last_save_is_not_offered(django_user_model):
    article = ArticleFactory()
    client = editor(django_user_model)
    with time_machine.travel(timezone.now() - timedelta(minutes=5), tick=False):
        client.post(autosave_url(article), {"title": "Staro"})
    article.save()  # someone saved the article since

    page = client.get(f"{CHANGELIST}{article.pk}/change/")
    assert offered_fields(page) is None and "Imate nesačuvane izmene" not in page.content.decode()


def test_the_add_form_offers_the_newest_new_article_autosave_and_its_key(django_user_model):
    old_key, new_key = uuid.uuid4(), uuid.uuid4()
    client = editor(django_user_model)
    with time_machine.travel(BELGRADE_DEC_7_10_42 - timedelta(hours=2), tick=False):
        client.post(NEW_AUTOSAVE_URL, {"new_article_key": str(old_key), "title": "Stariji"})
    with time_machine.travel(BELGRADE_DEC_7_10_42, tick=False):
        client.post(NEW_AUTOSAVE_URL, {"new_article_key": str(new_key), "title": "Noviji"})
        page = client.get(f"{CHANGELIST}add/")

    html = page.content.decode()
    assert offered_fields(page) == {"title": "Noviji"}
    assert "Imate nesačuvane izmene od 7. decembra u 10.42." in html
    assert f'data-new-article-key="{new_key}"' in html
    # The form carries a fresh key until the editor restores the offered one (then the script swaps it in).
    fresh = admin_form_fields(html, "article_form")["new_article_key"]
    assert str(uuid.UUID(fresh)) not in (str(old_key), str(new_key))


def test_a_new_article_autosave_past_the_cleanup_age_is_not_offered(django_user_model):
    client = editor(django_user_model)
    with time_machine.travel(timezone.now() - timedelta(days=autosave.KEEP_DAYS, minutes=1), tick=False):
        client.post(NEW_AUTOSAVE_URL, {"new_article_key": str(uuid.uuid4()), "title": "Davno"})
    assert offered_fields(client.get(f"{CHANGELIST}add/")) is None


def test_discard_deletes_the_offered_autosave(django_user_model):
    article = ArticleFactory()
    client = editor(django_user_model)
    client.post(autosave_url(article), {"title": "Nesačuvano"})
    assert client.post(f"{autosave_url(article)}discard/").status_code == 200
    assert rows() == [] and offered_fields(client.get(f"{CHANGELIST}{article.pk}/change/")) is None


def test_saving_the_form_deletes_the_editors_autosave_of_the_article(django_user_model):
    article = ArticleFactory()
    client = editor(django_user_model)
    _, other = staff(django_user_model, "marko", "change_article")
    client.post(autosave_url(article), {"title": "Nesačuvano"})
    other.post(autosave_url(article), {"title": "Markovo"})

    response = client.post(f"{CHANGELIST}{article.pk}/change/", article_form(article, title="Sačuvano"))

    assert response.status_code == 302
    assert [row["user__username"] for row in rows()] == ["marko"]  # only the saver's own


def test_saving_a_new_article_deletes_the_autosave_of_its_key(django_user_model):
    article = ArticleFactory.build(slug="nov-clanak", section=ArticleFactory().section)
    key = str(uuid.uuid4())
    client = editor(django_user_model)
    client.post(NEW_AUTOSAVE_URL, {"new_article_key": key, "title": "Nesačuvano"})
    client.post(NEW_AUTOSAVE_URL, {"new_article_key": str(uuid.uuid4()), "title": "Drugi nov"})

    data = article_form(article) | {"new_article_key": key, "opened_version": ""}
    response = client.post(f"{CHANGELIST}add/", data)

    assert response.status_code == 302 and Article.objects.filter(slug="nov-clanak").exists()
    assert [row["fields"]["title"] for row in rows()] == ["Drugi nov"]


@pytest.mark.parametrize("key", ["", "nije-uuid", "\x00"], ids=["empty", "garbled", "nul"])
def test_a_garbled_new_article_key_does_not_stop_the_save(django_user_model, key):
    article = ArticleFactory.build(slug="nov-clanak", section=ArticleFactory().section)
    client = editor(django_user_model)
    response = client.post(f"{CHANGELIST}add/", article_form(article) | {"new_article_key": key})
    assert response.status_code == 302 and Article.objects.filter(slug="nov-clanak").exists()


# Cleanup


def test_clean_autosaves_deletes_those_older_than_thirty_days(django_user_model):
    article = ArticleFactory()
    user = django_user_model.objects.create_user("ana")
    now = timezone.now()
    for days, title in [(31, "staro"), (29, "mlađe"), (0, "danas")]:
        with time_machine.travel(now - timedelta(days=days), tick=False):
            autosave.keep(user, {"title": title}, key=uuid.uuid4())
    with time_machine.travel(now - timedelta(days=40), tick=False):
        autosave.keep(user, {"title": "članak"}, article_id=article.pk)

    call_command("clean_autosaves", "--dry-run")
    assert ArticleAutosave.objects.count() == 4
    call_command("clean_autosaves")
    assert sorted(row["fields"]["title"] for row in rows()) == ["danas", "mlađe"]
