import time
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from articles.models import Article
from articles.tests.factories import ArticleFactory
from comments import moderation
from comments.demo import DEMO_EDIT, DISCUSSION, load_demo_comments
from comments.forms import ArticleCommentForm
from comments.models import ArticleComment, HoldReason
from comments.tests.conftest import comment_form_fields
from comments.tests.factories import ArticleCommentFactory, signed_in_reader

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite_pass]


@pytest.fixture
def article():
    return ArticleFactory(title="Gradsko veće usvojilo plan biciklističkih staza")


def test_full_flow_post_held_approved_in_admin_visible_and_counted(
    client, post_comment, article, moderator_client
):
    response = post_comment(article, comment="Staze su dobra vest za ceo grad.")
    assert response.status_code == 302
    assert response["Location"] == article.get_absolute_url() + "#komentari"
    page = client.get(response["Location"]).content.decode()
    assert "Hvala! Vaš komentar čeka odobrenje moderatora." in page
    assert "Staze su dobra vest za ceo grad." not in page
    assert 'Komentari <span class="comments__count">(0)</span>' in page

    comment = ArticleComment.objects.get()
    assert not comment.is_public and comment.article == article and comment.ip_address == "127.0.0.1"

    response = moderator_client.post(
        "/admin/comments/articlecomment/",
        {"action": "approve_selected", "_selected_action": [comment.pk]},
    )
    assert response.status_code == 302
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Staze su dobra vest za ceo grad." in page
    assert 'Komentari <span class="comments__count">(1)</span>' in page
    assert "1 komentar</a>" in client.get("/").content.decode()


def test_posting_with_javascript_answers_json_in_place(post_comment, article):
    response = post_comment(article, json=True)
    assert response.status_code == 201
    answer = response.json()
    assert answer["ok"] is True and answer["message"] == "Hvala! Vaš komentar čeka odobrenje moderatora."
    assert answer["edit"]["id"] == ArticleComment.objects.get().pk  # comments.js keeps it to edit


def test_a_cyrillic_reader_gets_the_in_place_answers_in_cyrillic(client, post_comment, article):
    page = client.get("/cir" + article.get_absolute_url()).content.decode()
    assert 'action="/cir/komentari/posalji/"' in page
    response = post_comment(article, json=True, cyrillic=True)
    assert response.json()["message"] == "Хвала! Ваш коментар чека одобрење модератора."

    refused = post_comment(article, json=True, cyrillic=True, email="nije-adresa")
    assert refused.json()["message"] == "Коментар није послат. Исправите грешке испод."
    assert refused.json()["errors"]["email"] == ["Унесите исправну е-адресу."]

    comment = ArticleComment.objects.get()
    moderation.approve(comment)
    reaction = client.post(
        f"/cir/komentari/{comment.pk}/reakcija/", {"value": "1"}, HTTP_ACCEPT="application/json"
    )
    assert reaction.json()["message"] == "Ваша реакција је забележена."


def test_nothing_a_reader_sends_makes_a_comment_public(post_comment, article):
    post_comment(article, is_public="True", is_removed="False", hidden_by_reports="False", level="0")
    assert ArticleComment.objects.get().is_public is False


def test_a_users_email_alone_is_no_proof_an_account_needs_a_verified_address_and_a_profile(
    client, article, django_user_model
):
    """``User.email`` proves nothing by itself (signed-in commenting: comments/tests/test_signed_in.py)."""
    user = django_user_model.objects.create_user(
        "jovana", email="jovana@example.org", first_name="Jovana", last_name="Ilić", password="x"
    )
    client.force_login(user)
    page = client.get(article.get_absolute_url()).content.decode()
    assert not comment_form_fields(page) and "/nalog/profil/" in page
    fields = comment_form_fields(Client().get(article.get_absolute_url()).content.decode())
    data = {**fields, "name": "Jovana Ilić", "email": "jovana@example.org", "comment": "Prijavljena piše."}
    assert client.post("/komentari/posalji/", data).status_code == 403
    assert not ArticleComment.objects.exists()


def test_form_served_from_a_cache_to_another_reader_still_posts(post_comment, article):
    """A cached page carries somebody else's CSRF token: anonymous posts rely on the signed fields instead."""
    stranger = Client(enforce_csrf_checks=True)
    fields = comment_form_fields(Client().get(article.get_absolute_url()).content.decode())
    fields.update(name="Neko", email="neko@example.org", comment="Sa keširane stranice.")
    assert stranger.post("/komentari/posalji/", fields).status_code == 302
    assert ArticleComment.objects.filter(comment="Sa keširane stranice.").exists()


def test_signed_in_reader_still_needs_a_csrf_token(article, django_user_model):
    client = Client(enforce_csrf_checks=True)
    client.force_login(django_user_model.objects.create_user("citalac", password="x"))
    fields = comment_form_fields(Client().get(article.get_absolute_url()).content.decode())
    fields.update(name="Citalac", email="c@example.org", comment="Bez tokena.")
    fields.pop("csrfmiddlewaretoken", None)
    assert client.post("/komentari/posalji/", fields).status_code == 403
    assert not ArticleComment.objects.exists()


def _signed_form(article, seconds_ago):
    form = ArticleCommentForm(article)
    timestamp = int(time.time()) - seconds_ago
    return {
        "content_type": "articles.article",
        "object_pk": str(article.pk),
        "timestamp": str(timestamp),
        "security_hash": form.initial_security_hash(timestamp),
        "name": "Dragan",
        "email": "dragan@example.org",
        "comment": "Ostavio sam stranicu otvorenu.",
        "reply_to": "0",
    }


def test_form_left_open_for_a_day_still_posts(client, article):
    assert client.post("/komentari/posalji/", _signed_form(article, 24 * 3600)).status_code == 302
    assert ArticleComment.objects.count() == 1


def test_form_older_than_its_limit_is_refused_with_a_clear_message(client, article, settings):
    response = client.post("/komentari/posalji/", _signed_form(article, settings.COMMENTS_FORM_MAX_AGE + 60))
    assert response.status_code == 400
    assert "Obrazac je istekao ili je izmenjen." in response.content.decode()
    assert not ArticleComment.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("security_hash", "0" * 40),
        ("security_hash", "kratko"),
        ("timestamp", "nije-broj"),
        ("timestamp", str(int(time.time()) + 3600)),
        ("object_pk", "999999"),
    ],
)
def test_tampered_signed_fields_are_refused_and_nothing_is_stored(client, article, field, value):
    data = _signed_form(article, 10)
    data[field] = value
    response = client.post("/komentari/posalji/", data)
    assert response.status_code == 400
    assert "Obrazac je istekao ili je izmenjen" in response.content.decode()
    assert not ArticleComment.objects.exists()


def test_filled_honeypot_is_refused(post_comment, article):
    response = post_comment(article, honeypot="http://spam.example")
    assert response.status_code == 400
    assert not ArticleComment.objects.exists()


def test_too_long_comment_is_refused_with_the_limit_in_the_message(post_comment, article, comment_settings):
    comment_settings.max_length = 200
    comment_settings.save()
    page = Client().get(article.get_absolute_url()).content.decode()
    assert 'maxlength="200"' in page and "/ 200 znakova" in page
    response = post_comment(article, comment="a" * 201)
    assert response.status_code == 400
    assert "Komentar može imati najviše 200 znakova (ima 201)." in response.content.decode()
    assert "a" * 201 in response.content.decode()  # the reader's text is kept for correcting
    assert not ArticleComment.objects.exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"email": "nije-adresa"}, "Unesite ispravnu e-adresu."),
        ({"email": ""}, "Popunite ovo polje."),
        ({"name": ""}, "Popunite ovo polje."),
        ({"comment": "   "}, "Popunite ovo polje."),
    ],
)
def test_bad_fields_are_refused_in_serbian(post_comment, article, fields, message):
    response = post_comment(article, **fields)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ArticleComment.objects.exists()


def test_errors_come_as_json_for_the_in_place_form(post_comment, article):
    response = post_comment(article, json=True, email="nije-adresa")
    assert response.status_code == 400
    assert response.json()["errors"]["email"] == ["Unesite ispravnu e-adresu."]


@pytest.mark.parametrize(
    "article_state",
    [{"comments_enabled": False}, {"published_at": timezone.now() - timedelta(days=30)}],
    ids=["closed by the newsroom", "closed by age"],
)
def test_closed_articles_refuse_comments_clearly(client, article, article_state):
    """Drafts, scheduled and withdrawn articles answer as missing ones (test_unpublished_work.py)."""
    data = _signed_form(article, 10)
    Article.objects.filter(pk=article.pk).update(**article_state)
    response = client.post("/komentari/posalji/", data)
    assert response.status_code == 400
    assert "Komentari su zatvoreni." in response.content.decode()
    assert not ArticleComment.objects.exists()


def test_closed_section_still_shows_its_comments(client, article):
    ArticleCommentFactory(article=article, comment="Stari odobreni komentar.")
    Article.objects.filter(pk=article.pk).update(comments_enabled=False)
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Stari odobreni komentar." in page and "Komentari su zatvoreni." in page
    assert 'id="komentar-forma"' not in page


def test_comments_close_after_the_set_number_of_days(client, article, comment_settings):
    comment_settings.close_after_days = 3
    comment_settings.save()
    Article.objects.filter(pk=article.pk).update(published_at=timezone.now() - timedelta(days=4))
    assert "Komentari su zatvoreni." in client.get(article.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    "data",
    [
        {"content_type": "articles.article", "object_pk": "987654"},
        {"content_type": "auth.user", "object_pk": "1"},
        {"content_type": "articles.article", "object_pk": "1" * 40},
        {"content_type": "articles.article", "object_pk": "-1"},
        {},
    ],
)
def test_a_post_without_the_signed_fields_gets_a_message_not_a_500(client, data):
    response = client.post(
        "/komentari/posalji/", {**data, "comment": "x", "name": "x", "email": "x@example.org"}
    )
    assert response.status_code == 400
    assert "Obrazac je istekao ili je izmenjen." in response.content.decode()


def test_only_post_is_accepted(client):
    assert client.get("/komentari/posalji/").status_code == 405


def test_duplicate_comment_is_refused_politely(post_comment, article):
    assert post_comment(article, comment="Isti tekst.").status_code == 302
    response = post_comment(article, comment="Isti tekst.")
    assert response.status_code == 409
    assert "Ovaj komentar ste već poslali" in response.content.decode()
    assert ArticleComment.objects.count() == 1


def test_more_than_two_links_holds_the_comment_with_that_reason(post_comment, article):
    post_comment(article, comment="Vidi https://a.example i https://b.example i www.c.example")
    post_comment(article, comment="Samo https://a.example i https://b.example")
    held, fine = ArticleComment.objects.order_by("pk")
    assert HoldReason.LINKS in held.hold_reasons and HoldReason.LINKS not in fine.hold_reasons
    assert not held.is_public


def test_rate_limit_per_address_answers_429_in_serbian(post_comment, article):
    for number in range(5):
        assert (
            post_comment(article, comment=f"Komentar {number}", email=f"r{number}@example.org").status_code
            == 302
        )
    response = post_comment(article, comment="Šesti", email="r6@example.org")
    assert response.status_code == 429
    assert "Šaljete komentare prebrzo" in response.content.decode()
    assert ArticleComment.objects.count() == 5


def test_rate_limit_per_email_counts_across_addresses(client, article):
    for number in range(6):
        data = comment_form_fields(client.get(article.get_absolute_url()).content.decode())
        data.update(name="Ista", email="ista@example.org", comment=f"Tekst {number}")
        response = client.post("/komentari/posalji/", data, REMOTE_ADDR=f"203.0.113.{number + 1}")
    assert response.status_code == 429
    assert ArticleComment.objects.count() == 5


def test_packages_own_comment_urls_are_not_mounted(client, article):
    comment = ArticleCommentFactory(article=article, is_public=False)
    for url in [
        f"/comments/reply/{comment.pk}/",
        "/comments/post/",
        f"/comments/api/articles-article/{article.pk}/",
        f"/comments/like/{comment.pk}/",
        f"/comments/cr/1/{article.pk}/",
    ]:
        assert client.get(url).status_code == 404


def test_demo_comments_load_once_with_one_pending_each(client):
    article = ArticleFactory()
    first = load_demo_comments()
    assert first == sum(1 + len(replies) for _, _, replies in DISCUSSION)
    assert load_demo_comments() == 0
    article.refresh_from_db()
    assert article.comment_count == first - 1
    assert ArticleComment.objects.filter(is_public=False).count() == 1
    edited = ArticleComment.objects.get(edited_at__isnull=False)  # an author's edit waits at the desk
    assert edited.is_public and edited.edited_text == DEMO_EDIT[1] and edited.comment == DEMO_EDIT[0]


def test_signed_in_reader_can_resubmit_a_refused_form(client, post_comment, article):
    client.force_login(signed_in_reader("Marija Jović", "m@example.org"))
    response = post_comment(article, comment="")
    assert response.status_code == 400
    fields = comment_form_fields(response.content.decode())
    assert fields["csrfmiddlewaretoken"] and "name" not in fields
    fields["comment"] = "Sada sa tekstom."
    assert client.post("/komentari/posalji/", fields).status_code == 302
