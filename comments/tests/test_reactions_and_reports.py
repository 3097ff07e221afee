import pytest
from django.test import Client

from articles.tests.factories import ArticleFactory
from comments import moderation
from comments.models import ArticleComment, Reaction, Report
from comments.readers import READER_COOKIE
from comments.tests.factories import ArticleCommentFactory

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def comment():
    comment = ArticleCommentFactory(article=ArticleFactory(), comment="Komentar za reakcije.")
    moderation.refresh_comment_count(comment.article_id)
    return comment


def react(client, comment, value, **extra):
    return client.post(f"/komentari/{comment.pk}/reakcija/", {"value": value}, **JSON, **extra)


def test_anonymous_reader_reacts_once_changes_and_withdraws(comment, reader_browser):
    reader = reader_browser()
    assert READER_COOKIE in reader.cookies  # issued by the identity endpoint, before the first reaction
    response = react(reader, comment, "1")
    assert response.status_code == 200
    assert response.json() | {"message": ""} == {
        "ok": True,
        "message": "",
        "likes": 1,
        "dislikes": 0,
        "mine": 1,
    }
    assert READER_COOKIE not in response.cookies  # a reaction never mints an identity
    assert react(reader, comment, "1").json()["likes"] == 0  # same again: withdrawn
    react(reader, comment, "1")
    changed = react(reader, comment, "-1").json()
    assert (changed["likes"], changed["dislikes"], changed["mine"]) == (0, 1, -1)
    assert Reaction.objects.filter(comment=comment).count() == 1


def test_each_reader_counts_once(comment, django_user_model, reader_browser):
    for address in ("203.0.113.1", "198.51.100.1", "192.0.2.1"):
        react(reader_browser(address), comment, "1")
    signed_in = Client()
    signed_in.force_login(django_user_model.objects.create_user("ivana", password="x"))
    react(signed_in, comment, "1")
    react(signed_in, comment, "-1")
    comment.refresh_from_db()
    assert (comment.like_count, comment.dislike_count) == (3, 1)
    page = Client().get(comment.article.get_absolute_url()).content.decode()
    assert f"<button name=l{comment.pk}>3</button>" in page
    assert f"<button name=d{comment.pk}>1</button>" in page


def test_reader_gets_own_reaction_from_the_state_call_not_the_page(comment, reader_browser):
    reader = reader_browser()
    react(reader, comment, "-1")
    page = reader.get(comment.article.get_absolute_url()).content.decode()
    assert f"<button name=d{comment.pk}>1</button>" in page  # the same for everyone
    state = reader.get(f"/komentari/clanak/{comment.article_id}/moje-reakcije/")
    assert state.json() == {"reactions": {str(comment.pk): -1}}


def test_reaction_without_javascript_returns_to_the_comment(comment):
    response = Client().post(f"/komentari/{comment.pk}/reakcija/", {"value": "1"})
    assert response.status_code == 302 and response["Location"] == f"/komentari/{comment.pk}/"


@pytest.mark.parametrize("value", ["2", "", "like", "1; DROP TABLE"])
def test_unknown_reaction_is_refused(comment, value):
    assert react(Client(), comment, value).status_code == 400
    assert not Reaction.objects.exists()


def test_reactions_are_rate_limited_per_address(comment, settings):
    settings.COMMENTS_REACTIONS_RATE = "3/m"
    statuses = [react(Client(), comment, value).status_code for value in ("1", "-1", "1", "-1")]
    assert statuses == [200, 200, 200, 429]
    assert "Previše reakcija" in react(Client(), comment, "1").json()["message"]


@pytest.mark.parametrize("state", [{"is_public": False}, {"is_removed": True}, {"hidden_by_reports": True}])
def test_reply_reaction_and_report_urls_of_a_hidden_comment_are_404(state):
    hidden = ArticleCommentFactory(**state)
    client = Client()
    assert react(client, hidden, "1").status_code == 404
    assert client.post(f"/komentari/{hidden.pk}/prijava/", {"reason": "spam"}).status_code == 404
    assert client.get(f"/komentari/{hidden.pk}/").status_code == 404
    # A reply to it sends the reader to the article without it (comment_section()).
    answer = client.get(hidden.article.get_absolute_url(), {"odgovor": hidden.pk}, follow=True)
    assert answer.redirect_chain == [(hidden.article.get_absolute_url(), 302)]
    page = answer.content.decode()
    assert hidden.comment not in page and 'name="reply_to" value="0"' in page


def report(client, comment, reason="spam", **fields):
    return client.post(f"/komentari/{comment.pk}/prijava/", {"reason": reason, **fields}, **JSON)


def test_report_with_reason_is_recorded_once_per_reader(comment, reader_browser):
    reader = reader_browser()
    response = report(reader, comment, "abuse", note="Vređa druge čitaoce.")
    assert response.status_code == 200
    assert response.json()["message"] == "Hvala. Moderatori će pregledati komentar."
    assert report(reader, comment).status_code == 409
    assert list(Report.objects.values_list("reason", "note")) == [("abuse", "Vređa druge čitaoce.")]


@pytest.mark.parametrize("reason", ["", "nesto", "x" * 50])
def test_report_needs_a_known_reason(comment, reason):
    response = report(Client(), comment, reason)
    assert response.status_code == 400
    assert response.json()["message"] == "Izaberite razlog prijave."


def test_three_distinct_reports_hide_the_comment_until_a_moderator_decides(comment, reader_browser):
    article_url = comment.article.get_absolute_url()
    for address in ("203.0.113.1", "198.51.100.1"):
        report(reader_browser(address), comment)
    assert "Komentar za reakcije." in Client().get(article_url).content.decode()
    report(reader_browser("192.0.2.1"), comment, "off_topic")
    comment.refresh_from_db()
    assert comment.hidden_by_reports and comment.report_count == 3
    page = Client().get(article_url).content.decode()
    assert "Komentar za reakcije." not in page and '<span class="comments__count">(0)</span>' in page

    moderation.approve(comment)
    report(reader_browser("192.0.3.1"), comment)  # one more report after the decision does not hide it again
    comment.refresh_from_db()
    assert not comment.hidden_by_reports and comment.report_count == 1
    assert "Komentar za reakcije." in Client().get(article_url).content.decode()


def test_reports_are_rate_limited_per_address(comment, settings):
    settings.COMMENTS_REPORTS_RATE = "2/h"
    other = ArticleCommentFactory(article=comment.article)
    third = ArticleCommentFactory(article=comment.article)
    statuses = [report(Client(), target).status_code for target in (comment, other, third)]
    assert statuses == [200, 200, 429]
    assert ArticleComment.objects.filter(report_count__gt=0).count() == 2


def test_reporting_without_javascript_opens_a_page_with_the_form(comment):
    page = Client().get(f"/komentari/{comment.pk}/prijava/")
    body = page.content.decode()
    assert page.status_code == 200 and "Prijava komentara" in body and "Komentar za reakcije." in body
    assert '<option value="abuse">uvreda ili govor mržnje</option>' in body
    hidden = ArticleCommentFactory(is_public=False)
    assert Client().get(f"/komentari/{hidden.pk}/prijava/").status_code == 404


# The comment list's one form: each button is named for what it does and the comment's id (rendering.py).


def press(client, name, **extra):
    return client.post("/komentari/lista/", {name: ""}, **extra)


@pytest.mark.parametrize(
    ("kind", "counts", "mine"),
    [("l", (1, 0), Reaction.LIKE), ("d", (0, 1), Reaction.DISLIKE)],
    ids=["like", "dislike"],
)
def test_reaction_button_of_the_list_records_the_reaction(comment, reader_browser, kind, counts, mine):
    response = press(reader_browser(), f"{kind}{comment.pk}", **JSON)
    assert response.status_code == 200
    assert (response.json()["likes"], response.json()["dislikes"]) == counts
    assert list(Reaction.objects.values_list("comment", "value")) == [(comment.pk, mine)]


def test_reaction_button_without_javascript_returns_to_the_comment(comment):
    response = press(Client(), f"l{comment.pk}")
    assert response.status_code == 302 and response["Location"] == f"/komentari/{comment.pk}/"
    assert Reaction.objects.get().value == Reaction.LIKE


def test_reply_button_without_javascript_opens_the_form_replying_to_the_comment(comment):
    response = press(Client(), f"o{comment.pk}")
    assert response.status_code == 303
    assert response["Location"] == f"{comment.article.get_absolute_url()}?odgovor={comment.pk}#komentari"
    page = Client().get(response["Location"]).content.decode()
    assert f'name="reply_to" value="{comment.pk}"' in page and "Odgovor za" in page


def test_report_button_without_javascript_opens_the_report_page(comment):
    response = press(Client(), f"p{comment.pk}")
    assert response.status_code == 303 and response["Location"] == f"/komentari/{comment.pk}/prijava/"
    assert "Prijava komentara" in Client().get(response["Location"]).content.decode()
    assert not Report.objects.exists()  # only the page's form reports


@pytest.mark.parametrize(
    "fields",
    [
        {},
        {"x1": ""},
        {"l": ""},
        {"l-1": ""},
        {"lx": ""},
        {"L1": ""},
        {"l 1": ""},
        {"l١": ""},
        {"l" + "9" * 19: ""},
        {"value": "1"},
        "two",
    ],
    ids=[
        "nothing-pressed",
        "unknown-kind",
        "no-comment",
        "negative-id",
        "id-not-a-number",
        "capital-letter",
        "inner-space",
        "arabic-digit",
        "id-too-long",
        "old-field-alone",
        "two-buttons-at-once",
    ],
)
def test_list_form_refuses_what_no_button_sends(comment, fields):
    if fields == "two":
        fields = {f"l{comment.pk}": "", f"d{comment.pk}": ""}
    for extra in ({}, JSON):
        response = Client().post("/komentari/lista/", fields, **extra)
        assert response.status_code == 400
    assert Client().post("/komentari/lista/", fields, **JSON).json()["message"] == "Nepoznata reakcija."
    assert not Reaction.objects.exists()


@pytest.mark.parametrize("kind", ["l", "d", "o", "p"])
@pytest.mark.parametrize("state", [{"is_public": False}, {"is_removed": True}, {"hidden_by_reports": True}])
def test_list_buttons_of_a_hidden_or_missing_comment_are_404(kind, state):
    hidden = ArticleCommentFactory(**state)
    client = Client()
    assert press(client, f"{kind}{hidden.pk}").status_code == 404
    assert press(client, f"{kind}{hidden.pk + 1000}").status_code == 404
    assert not Reaction.objects.exists()


def test_list_form_is_get_proof(comment):
    assert Client().get("/komentari/lista/", {f"l{comment.pk}": ""}).status_code == 405
    assert not Reaction.objects.exists()
