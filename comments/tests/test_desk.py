import threading

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article
from articles.tests.factories import ArticleFactory, SectionFactory
from comments import moderation
from comments.models import ArticleComment, Ban, Decision, HoldReason, Report
from comments.tests.factories import ArticleCommentFactory

pytestmark = pytest.mark.django_db

DESK = "/admin/comments/articlecomment/desk/"
DECIDE = DESK + "odluka/"
DESK_PAGE_QUERY_BUDGET = 10


def moderator_client(django_user_model, username="moderatorka"):
    user = django_user_model.objects.create_user(username, password="x", is_staff=True)
    user.groups.add(Group.objects.get(name="Moderatori"))
    client = Client()
    client.force_login(user)
    return client, user


@pytest.fixture
def desk_client(django_user_model):
    return moderator_client(django_user_model)[0]


@pytest.fixture
def moderator(django_user_model):
    return moderator_client(django_user_model, "dezurna")


def test_queues_list_the_right_comments_with_live_counts(desk_client):
    article = ArticleFactory()
    pending = ArticleCommentFactory(article=article, is_public=False, comment="Čeka.")
    reported = ArticleCommentFactory(article=article, report_count=2, comment="Prijavljen.")
    approved = ArticleCommentFactory(article=article, comment="Odobren.")
    rejected = ArticleCommentFactory(article=article, is_public=False, is_removed=True, comment="Odbijen.")
    expected = {
        "na-cekanju": [pending],
        "prijavljeni": [reported],
        "odobreni": [approved, reported],
        "odbijeni": [rejected],
        "svi": [pending, reported, approved, rejected],
    }
    for queue, comments in expected.items():
        page = desk_client.get(DESK, {"red": queue}).content.decode()
        shown = {
            comment.comment for comment in [pending, reported, approved, rejected] if comment.comment in page
        }
        assert shown == {comment.comment for comment in comments}, queue
    page = desk_client.get(DESK).content.decode()
    for queue, comments in expected.items():
        assert f'data-queue-count="{queue}">{len(comments)}</span>' in page


def test_pending_queue_is_oldest_first(desk_client):
    older = ArticleCommentFactory(is_public=False, comment="Stariji.")
    ArticleCommentFactory(is_public=False, comment="Noviji.")
    ArticleComment.objects.filter(pk=older.pk).update(
        submit_date=timezone.now() - timezone.timedelta(hours=3)
    )
    page = desk_client.get(DESK).content.decode()
    assert page.index("Stariji.") < page.index("Noviji.")


def test_filters_by_article_and_section_and_search_by_text_name_email_and_address(desk_client):
    sport = SectionFactory(name="Sport", slug="sport")
    match = ArticleCommentFactory(
        article=ArticleFactory(section=sport),
        is_public=False,
        comment="Gol u finišu.",
        user_name="Vuk Ilić",
        user_email="vuk@example.org",
        ip_address="203.0.113.9",
    )
    ArticleCommentFactory(
        is_public=False,
        comment="Druga tema.",
        user_name="Ana",
        user_email="ana@example.org",
        ip_address="198.51.100.1",
    )
    for params in [
        {"clanak": match.article_id},
        {"rubrika": sport.pk},
        {"q": "finišu"},
        {"q": "vuk il"},
        {"q": "VUK@example"},
        {"q": "203.0.113.9"},
    ]:
        page = desk_client.get(DESK, params).content.decode()
        assert "Gol u finišu." in page and "Druga tema." not in page, params
    for bad in [
        {"clanak": "abc"},
        {"rubrika": "9" * 30},
        {"q": "' OR 1=1 --"},
        {"strana": "-3"},
        {"red": "x"},
    ]:
        assert desk_client.get(DESK, bad).status_code == 200


def test_each_comment_shows_what_a_decision_needs(desk_client, comment_settings):
    comment_settings.suspect_words = "lopov"
    comment_settings.banned_words = "budala"
    comment_settings.save()
    article = ArticleFactory(title="Nova pijaca na Limanu")
    parent = ArticleCommentFactory(
        article=article, comment="Roditeljski komentar.", user_email="x@example.org"
    )
    ArticleCommentFactory(user_email="vesna@example.org", comment="Raniji odobren.")
    ArticleCommentFactory(user_email="vesna@example.org", is_public=False, is_removed=True)
    comment = ArticleCommentFactory(
        article=article,
        parent=parent,
        is_public=False,
        user_name="Vesna",
        user_email="vesna@example.org",
        ip_address="192.0.2.44",
        comment="Taj lopov <b>je</b> budala",
        hold_reasons=[HoldReason.LINKS],
        email_verified=True,
    )
    Report.objects.create(comment=comment, reader_key="a:1", reason=Report.Reason.ABUSE, note="Vređa.")
    Ban.objects.create(ip_address="192.0.2.44", reason="ranije")
    page = desk_client.get(DESK).content.decode()
    item = page[page.index(f'id="d{comment.pk}"') :]
    for expected in [
        "Vesna",
        "vesna@example.org",
        "potvrđena",
        "IP 192.0.2.44",
        "Nova pijaca na Limanu",
        'Odgovor na <strong translate="no">Čitalac',
        "Roditeljski komentar.",
        "Zadržan: previše linkova",
        "Prijava: uvreda ili govor mržnje — Vređa.",
        "odobreno 1 · odbijeno 1",
        "zabranjen",
        '<mark class="desk-word desk-word--suspect">lopov</mark>',
        '<mark class="desk-word desk-word--banned">budala</mark>',
        "&lt;b&gt;je&lt;/b&gt;",
    ]:
        assert expected in item, expected


def _item_text(page, comment):
    item = page[page.index(f'id="d{comment.pk}"') :]
    start = item.index('<div class="desk-item__text" translate="no">')
    return item[start : item.index("</div>", start)]


BANNED = '<mark class="desk-word desk-word--banned">{}</mark>'
SUSPECT = '<mark class="desk-word desk-word--suspect">{}</mark>'


@pytest.mark.parametrize(
    ("banned", "suspect", "text", "marked"),
    [
        ("budala", "", "Ти си будала, знаш.", ["Ти си ", BANNED.format("будала"), ", знаш."]),
        ("будала", "", "Ti si budala.", [BANNED.format("budala")]),
        ("đubre", "", "Ово је ЂУБРЕ од закона.", ["Ово је ", BANNED.format("ЂУБРЕ")]),
        ("", "djubre", "Ovo je đubre.", [SUSPECT.format("đubre")]),
        (
            "lopov*",
            "sesir",
            "Он је лопови, a Šešir je Latin.",
            [BANNED.format("лопови"), SUSPECT.format("Šešir")],
        ),
        ("", "lopov", "Kaže da je он лопов и ćuti.", ["Kaže da je он ", SUSPECT.format("лопов"), " и ćuti."]),
        ("будала", "", "Šta kaže ова будала?", ["Šta kaže ова ", BANNED.format("будала"), "?"]),
    ],
    ids=["cyrillic-text", "cyrillic-entry", "dj-upper", "dj-typed", "both-lists-mixed", "mixed", "mixed-2"],
)
def test_comment_text_is_shown_as_written_with_listed_words_marked(
    desk_client, comment_settings, banned, suspect, text, marked
):
    comment_settings.banned_words, comment_settings.suspect_words = banned, suspect
    comment_settings.save()
    comment = ArticleCommentFactory(is_public=False, user_name="Вера", comment=text)
    page = desk_client.get(DESK).content.decode()
    shown = _item_text(page, comment)
    for piece in marked:
        assert piece in shown
    assert '<strong translate="no">Вера</strong>' in page


@pytest.mark.parametrize(
    ("entry", "text"),
    [
        ("budala", '<img src=x onerror="alert(1)"> budala'),
        ('"><script>alert(1)</script>', "script alert 1 <script>alert(1)</script>"),
        ("<b>", "<b>b</b> будала </mark><mark>"),
        ("ime", 'ime" onmouseover="alert(1)'),
    ],
    ids=["markup-in-text", "markup-in-entry", "tags-both", "attribute-break"],
)
def test_no_markup_gets_through_comment_text_or_word_list(desk_client, comment_settings, entry, text):
    comment_settings.banned_words = entry
    comment_settings.save()
    comment = ArticleCommentFactory(is_public=False, comment=text)
    shown = _item_text(desk_client.get(DESK).content.decode(), comment)
    without_marks = shown.replace('<mark class="desk-word desk-word--banned">', "").replace("</mark>", "")
    assert "<" not in without_marks.removeprefix('<div class="desk-item__text" translate="no">')
    assert shown.count("<mark") == shown.count("</mark>")


def _decide(client, comment, action, json=False, **fields):
    headers = {"HTTP_ACCEPT": "application/json"} if json else {}
    data = {"action": action, "comments": [comment.pk], "next": DESK, **fields}
    return client.post(DECIDE, data, **headers)


def test_approve_without_javascript_returns_to_the_desk_and_publishes(desk_client):
    comment = ArticleCommentFactory(is_public=False, comment="Odobri me.")
    response = _decide(desk_client, comment, "approve")
    assert response.status_code == 302 and response["Location"] == DESK
    assert "Odobri me." in Client().get(comment.article.get_absolute_url()).content.decode()


def test_reject_needs_a_reason_and_records_it(desk_client, moderator):
    comment = ArticleCommentFactory(is_public=False, comment="Reklama za kazino.")
    response = _decide(desk_client, comment, "reject", json=True)
    assert response.status_code == 400 and response.json()["message"] == "Izaberite razlog odbijanja."
    response = _decide(desk_client, comment, "reject", json=True, reason="advertising", version=0)
    assert response.status_code == 200 and response.json()["states"] == {str(comment.pk): "odbijen"}
    decision = Decision.objects.get(comment=comment)
    assert (
        decision.action == "reject"
        and decision.reason == "advertising"
        and decision.reason_label == "reklama"
    )
    assert decision.moderator.username == "moderatorka"
    assert decision.state_before["is_public"] is False and decision.state_after["is_removed"] is True
    assert "Reklama za kazino." not in Client().get(comment.article.get_absolute_url()).content.decode()


def test_the_reject_reason_starts_unchosen_on_every_comment(desk_client):
    comments = ArticleCommentFactory.create_batch(2, is_public=False)
    page = desk_client.get(DESK).content.decode()
    for comment in comments:
        item = page[page.index(f'id="d{comment.pk}"') :]
        select = item[item.index('<select name="reason" data-reason>') :]
        select = select[: select.index("</select>")]
        assert select.count("<option") == 8 and "selected" not in select
        assert '<option value="">izaberite razlog…</option><option value="spam">1. spam</option>' in select


@pytest.mark.parametrize(
    "fields",
    [{}, {"reason": ""}, {"reason": "banned_word"}, {"reason": "nepostojeći"}, {"reason": " spam"}],
    ids=["missing", "empty", "automatic-only", "unknown", "padded"],
)
@pytest.mark.parametrize("json", [True, False], ids=["script", "plain-post"])
def test_reject_without_a_chosen_reason_is_refused_and_decides_nothing(desk_client, fields, json):
    comment = ArticleCommentFactory(is_public=False, comment="Čeka odluku.")
    response = _decide(desk_client, comment, "reject", json=json, **fields)
    if json:
        assert response.status_code == 400 and response.json()["message"] in (
            "Izaberite razlog odbijanja.",
            "Neispravan zahtev.",
        )
    else:
        assert response.status_code == 302
        shown = desk_client.get(response["Location"]).content.decode()
        assert "Izaberite razlog odbijanja." in shown or "Neispravan zahtev." in shown
    comment.refresh_from_db()
    assert not comment.is_removed and not comment.is_public
    assert not Decision.objects.filter(comment=comment).exists()


def _counts(page):
    return {
        slug: int(page.split(f'data-queue-count="{slug}">')[1].split("<")[0])
        for slug in ["na-cekanju", "prijavljeni", "odobreni", "odbijeni", "svi"]
    }


def test_queue_counts_follow_each_decision_with_and_without_javascript(moderator):
    client, _ = moderator
    section = SectionFactory()
    article = ArticleFactory(section=section)
    first, second, third = ArticleCommentFactory.create_batch(3, article=article, is_public=False)
    ArticleCommentFactory(is_public=False)  # another section: outside the filtered desk's counts
    before = {"na-cekanju": 3, "prijavljeni": 0, "odobreni": 0, "odbijeni": 0, "svi": 3}
    filtered_desk = f"{DESK}?red=na-cekanju&rubrika={section.pk}"
    assert _counts(client.get(filtered_desk).content.decode()) == before

    answer = _decide(client, first, "approve", json=True, next=filtered_desk + f"#d{first.pk}").json()
    assert answer["counts"] == {**before, "na-cekanju": 2, "odobreni": 1}
    answer = _decide(client, second, "reject", json=True, reason="spam", next=filtered_desk).json()
    assert answer["counts"] == {**before, "na-cekanju": 1, "odobreni": 1, "odbijeni": 1}
    answer = client.post(DESK + "ponisti/", {"next": filtered_desk}, HTTP_ACCEPT="application/json").json()
    assert answer["counts"] == {**before, "na-cekanju": 2, "odobreni": 1}

    response = _decide(client, third, "approve", next=filtered_desk)
    assert response.status_code == 302 and response["Location"] == filtered_desk
    after = {**before, "na-cekanju": 1, "odobreni": 2}
    assert _counts(client.get(response["Location"]).content.decode()) == after


@pytest.mark.parametrize(
    "next_url",
    ["http://[", "", "/", "javascript:alert(1)", DESK + "?rubrika=abc&clanak=-1&red=&strana=x"],
    ids=["broken-url", "empty", "elsewhere", "script", "bad-filters"],
)
def test_counts_after_a_decision_ignore_a_bad_return_address(desk_client, next_url):
    comment = ArticleCommentFactory(is_public=False)
    response = _decide(desk_client, comment, "approve", json=True, next=next_url)
    assert response.status_code == 200 and response.json()["counts"]["odobreni"] >= 1


def test_featured_comment_leads_the_section(desk_client):
    article = ArticleFactory()
    ArticleCommentFactory(article=article, comment="Prvi po redu.")
    later = ArticleCommentFactory(article=article, comment="Kasniji, ali izdvojen.")
    _decide(desk_client, later, "feature")
    page = Client().get(article.get_absolute_url()).content.decode()
    assert page.index("Kasniji, ali izdvojen.") < page.index("Prvi po redu.")
    assert "Izdvojeno" in page
    _decide(desk_client, later, "unfeature")
    page = Client().get(article.get_absolute_url()).content.decode()
    assert page.index("Prvi po redu.") < page.index("Kasniji, ali izdvojen.")


def test_undo_puts_back_the_last_decision_and_records_it(moderator):
    client, _ = moderator
    comment = ArticleCommentFactory(is_public=False, comment="Greškom odbijen.")
    _decide(client, comment, "reject", reason="spam")
    response = client.post(DESK + "ponisti/", {"next": DESK}, HTTP_ACCEPT="application/json")
    assert response.status_code == 200 and response.json()["comment"] == comment.pk
    comment.refresh_from_db()
    assert not comment.is_removed and not comment.is_public
    actions = list(Decision.objects.filter(comment=comment).values_list("action", "undone"))
    assert actions == [("undo", False), ("reject", True)]
    assert client.post(DESK + "ponisti/", HTTP_ACCEPT="application/json").status_code == 409


def test_moderator_sees_own_recent_decisions(moderator, desk_client):
    client, _ = moderator
    mine = ArticleCommentFactory(is_public=False, comment="Moja odluka.")
    theirs = ArticleCommentFactory(is_public=False, comment="Tuđa odluka.")
    _decide(client, mine, "approve")
    _decide(desk_client, theirs, "approve")
    page = client.get(DESK + "moje-odluke/").content.decode()
    assert "Moja odluka." in page and "Tuđa odluka." not in page


def test_two_moderators_at_once_one_decision_wins_both_are_recorded(django_user_model):
    first, _ = moderator_client(django_user_model, "prva")
    second, _ = moderator_client(django_user_model, "druga")
    comment = ArticleCommentFactory(is_public=False)
    seen_version = comment.version
    assert _decide(first, comment, "approve", json=True, version=seen_version).status_code == 200
    response = _decide(second, comment, "reject", json=True, version=seen_version, reason="spam")
    assert response.status_code == 409 and "već odlučio" in response.json()["message"]
    comment.refresh_from_db()
    assert comment.is_public and not comment.is_removed
    decisions = Decision.objects.filter(comment=comment).order_by("pk")
    assert [(d.moderator.username, d.action, d.applied) for d in decisions] == [
        ("prva", "approve", True),
        ("druga", "reject", False),
    ]


@pytest.mark.django_db(transaction=True)
def test_simultaneous_decisions_in_parallel_leave_one_applied(django_user_model):
    if connection.vendor != "postgresql":
        pytest.skip("row locks between parallel connections need PostgreSQL")
    comment = ArticleCommentFactory(is_public=False)
    users = [django_user_model.objects.create_user(f"m{n}", password="x") for n in range(2)]
    barrier = threading.Barrier(2)

    def act(user, action):
        barrier.wait()
        try:
            moderation.decide([comment.pk], action, moderator=user, reason="spam", versions={comment.pk: 0})
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=act, args=(users[0], "approve")),
        threading.Thread(target=act, args=(users[1], "reject")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(Decision.objects.values_list("applied", flat=True)) == [False, True]
    assert ArticleComment.objects.get(pk=comment.pk).version == 1


def test_ban_from_the_desk_refuses_the_commenter_and_rejects_the_comment(desk_client, post_comment):
    comment = ArticleCommentFactory(is_public=False, user_email="trol@example.org", ip_address="203.0.113.5")
    response = desk_client.post(
        DESK + "zabrana/",
        {"comment": comment.pk, "by_email": "on", "period": "7", "reason": "uvrede", "next": DESK},
    )
    assert response.status_code == 302
    ban = Ban.objects.get()
    assert ban.email == "trol@example.org" and ban.ip_address is None and ban.expires_at is not None
    comment.refresh_from_db()
    assert comment.is_removed
    assert post_comment(comment.article, email="trol@example.org").status_code == 403
    bad = desk_client.post(
        DESK + "zabrana/",
        {"comment": comment.pk, "period": "7", "reason": "x"},
        HTTP_ACCEPT="application/json",
    )
    assert bad.status_code == 400
    assert "Izaberite e-adresu, IP adresu, nalog čitaoca ili više njih." in bad.json()["message"]


def test_bulk_approve_and_reject_from_the_desk(desk_client):
    comments = [ArticleCommentFactory(is_public=False) for _ in range(4)]
    desk_client.post(DECIDE, {"action": "approve", "comments": [c.pk for c in comments[:2]], "next": DESK})
    desk_client.post(
        DECIDE, {"action": "reject", "reason": "spam", "comments": [c.pk for c in comments[2:]], "next": DESK}
    )
    states = [(c.is_public, c.is_removed) for c in ArticleComment.objects.order_by("pk")]
    assert states == [(True, False), (True, False), (False, True), (False, True)]
    assert Decision.objects.count() == 4


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"action": "delete", "comments": [1]},
        {"action": "approve"},
        {"action": "approve", "comments": ["abc"]},
        {"action": "approve", "comments": ["9" * 40]},
    ],
)
def test_bad_desk_requests_are_refused_with_a_message(desk_client, data):
    response = desk_client.post(DECIDE, data, HTTP_ACCEPT="application/json")
    assert response.status_code == 400 and response.json()["message"]


def _pending_bulk(count):
    """Many pending comments at once (the ORM cannot bulk-insert across inherited tables)."""
    article = ArticleFactory()
    content_type = ContentType.objects.get_for_model(Article)
    now = timezone.now()
    with connection.cursor() as cursor:
        for start in range(0, count, 1000):
            rows = range(start, min(start + 1000, count))
            cursor.executemany(
                "INSERT INTO django_comments (content_type_id, object_pk, site_id, user_name, user_email,"
                " user_url, comment, submit_date, ip_address, is_public, is_removed)"
                " VALUES (%s, %s, 1, %s, %s, '', %s, %s, %s, false, false)",
                [
                    (
                        content_type.pk,
                        str(article.pk),
                        f"Čitalac {n}",
                        f"c{n}@example.org",
                        f"Komentar {n}",
                        now,
                        "198.51.100.1",
                    )
                    for n in rows
                ],
            )
        cursor.execute("SELECT id FROM django_comments ORDER BY id")
        ids = [row[0] for row in cursor.fetchall()][-count:]
        cursor.executemany(
            "INSERT INTO django_comments_xtd_xtdcomment (comment_ptr_id, thread_id, parent_id, level,"
            ' "order", followup, nested_count) VALUES (%s, %s, %s, 0, 1, false, 0)',
            [(pk, pk, pk) for pk in ids],
        )
        cursor.executemany(
            "INSERT INTO comments_articlecomment (xtdcomment_ptr_id, article_id, hold_reasons,"
            " email_verified, hidden_by_reports, like_count, dislike_count, report_count, is_featured,"
            " reject_reason, email_key, version, script)"
            " VALUES (%s, %s, '[]', false, false, 0, 0, 0, false, '', %s, 0, 'lat')",
            [(pk, article.pk, f"c{n}@example.org") for n, pk in enumerate(ids)],
        )
    return ids


def _desk_queries(client, **params):
    client.get(DESK, params)  # warm the per-process caches (settings, content types)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(DESK, params).status_code == 200
    return len(queries)


def test_desk_page_of_50_from_10000_pending_runs_a_fixed_number_of_queries(desk_client):
    _pending_bulk(60)
    few = _desk_queries(desk_client)
    _pending_bulk(10_000)
    many = _desk_queries(desk_client)
    with_everything = ArticleComment.objects.order_by("submit_date", "pk")[:50]
    for comment in with_everything[:10]:
        Report.objects.create(comment=comment, reader_key=f"a:{comment.pk}", reason="spam")
        moderation.decide([comment.pk], "unfeature")
    shown = _desk_queries(desk_client, red="na-cekanju", q="Komentar")
    assert few == many == shown <= DESK_PAGE_QUERY_BUDGET


def test_bulk_approval_of_100_runs_a_fixed_number_of_queries(moderator, settings):
    settings.EMAIL_BACKEND = "mailer.backend.DbBackend"  # count the queue inserts too
    _, user = moderator

    def approve_queries(count):
        article = ArticleFactory()
        parents = [ArticleCommentFactory(article=article, followup=True) for _ in range(count // 2)]
        held = [ArticleCommentFactory(article=article, parent=parent, is_public=False) for parent in parents]
        held += [ArticleCommentFactory(article=article, is_public=False) for _ in range(count - len(held))]
        with CaptureQueriesContext(connection) as queries:
            outcome = moderation.decide([c.pk for c in held], "approve", moderator=user)
        assert len(outcome.applied) == count
        return len(queries)

    few, many = approve_queries(10), approve_queries(100)
    # SQLite splits one bulk insert at 999 parameters; PostgreSQL takes each in one statement.
    assert many == few if connection.vendor == "postgresql" else many <= few + 3
    assert Decision.objects.count() == 110


def test_admin_index_shows_pending_count_and_oldest_age(desk_client):
    oldest = ArticleCommentFactory(is_public=False)
    ArticleCommentFactory(is_public=False)
    three_hours_ago = timezone.now() - timezone.timedelta(hours=3)
    ArticleComment.objects.filter(pk=oldest.pk).update(submit_date=three_hours_ago)
    page = desk_client.get("/admin/").content.decode()
    assert "<strong data-pending-count>2</strong> na čekanju" in page
    assert "<strong data-oldest-age>3\xa0sata</strong>" in page
