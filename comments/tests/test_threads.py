import re
import threading
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.db import connection
from django.http import QueryDict
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import page_sections
from articles.models import Article
from articles.tests.factories import ArticleFactory
from comments import moderation
from comments.models import ArticleComment, CommentToken, Reaction, visible_condition
from comments.selectors import ORDERINGS, thread_page, thread_roots
from comments.tests.factories import ArticleCommentFactory

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite_pass]

SECTION_QUERY_BUDGET = 1  # the page of threads with their replies (the settings are cached)
# A signed-in user: whether their account may comment (comments/posting.py), and their own comments still in
# the editing window (comments/editing.py).
SIGNED_IN_EXTRA = 2


@pytest.fixture
def article():
    return ArticleFactory()


def test_reply_goes_under_its_parent_up_to_depth_two(post_comment, article):
    top = ArticleCommentFactory(article=article, comment="Prvi komentar.")
    assert post_comment(article, reply_to=str(top.pk), comment="Odgovor na prvi.").status_code == 302
    reply = ArticleComment.objects.get(comment="Odgovor na prvi.")
    assert (reply.parent_id, reply.thread_id, reply.level) == (top.pk, top.pk, 1)
    moderation.approve(reply)
    assert post_comment(article, reply_to=str(reply.pk), comment="Odgovor na odgovor.").status_code == 302
    deepest = ArticleComment.objects.get(comment="Odgovor na odgovor.")
    moderation.approve(deepest)
    assert deepest.level == 2

    response = post_comment(article, reply_to=str(deepest.pk), comment="Preduboko.")
    assert response.status_code == 400
    assert "Na ovaj komentar nije moguće odgovoriti." in response.content.decode()
    page = Client().get(article.get_absolute_url()).content.decode()
    assert page.index("Prvi komentar.") < page.index("Odgovor na prvi.") < page.index("Odgovor na odgovor.")
    assert f"<button name=o{deepest.pk}>" not in page and f"<button name=o{reply.pk}>" in page


@pytest.mark.parametrize(
    "case", ["pending", "removed", "other_article", "missing", "huge", "text", "negative"]
)
def test_reply_to_anything_but_a_public_comment_of_this_article_is_refused(post_comment, article, case):
    target = {
        "pending": lambda: str(ArticleCommentFactory(article=article, is_public=False).pk),
        "removed": lambda: str(ArticleCommentFactory(article=article, is_removed=True).pk),
        "other_article": lambda: str(ArticleCommentFactory().pk),
        "missing": lambda: "987654",
        "huge": lambda: "9" * 30,
        "text": lambda: "abc",
        "negative": lambda: "-4",
    }[case]()
    before = ArticleComment.objects.count()
    response = post_comment(article, reply_to=target, comment="Odgovor koji ne sme da prođe.")
    assert response.status_code == 400
    assert ArticleComment.objects.count() == before


@pytest.fixture
def moderator(django_user_model, moderators_group):
    user = django_user_model.objects.create_user("moderatorka", password="x", is_staff=True)
    user.groups.add(moderators_group)
    return user


def _save_parent_again(how, parent, moderator):
    """Every real path that saves a comment row: django-comments-xtd's cascade runs on each save."""
    if how == "typo corrected in the admin":
        staff = Client()
        staff.force_login(moderator)
        response = staff.post(
            f"/admin/comments/articlecomment/{parent.pk}/change/",
            {"user_name": "Ana", "comment": "Ispravljena greška u kucanju."},
        )
        assert response.status_code == 302
        assert ArticleComment.objects.get(pk=parent.pk).comment == "Ispravljena greška u kucanju."
    elif how == "rejection undone":
        moderation.reject(parent, moderator)
        assert moderation.undo_last(moderator) is not None
    elif how == "address confirmed after approval":
        token = CommentToken.issue(parent, CommentToken.Purpose.VERIFY_EMAIL)
        assert Client().get(f"/komentari/potvrda/{token}/").status_code == 200
    elif how == "saved from a fresh copy":
        ArticleComment.objects.get(pk=parent.pk).save()


SAVES = [
    "typo corrected in the admin",
    "rejection undone",
    "address confirmed after approval",
    "saved from a fresh copy",
]


@pytest.mark.parametrize("how", SAVES)
def test_saving_an_approved_parent_leaves_its_held_replies_held(post_comment, article, moderator, how):
    parent = ArticleCommentFactory(article=article, user_name="Ana", is_public=False)
    moderation.approve(parent, moderator)
    assert post_comment(article, reply_to=str(parent.pk), comment="Spam u odgovoru.").status_code == 302
    reply = ArticleComment.objects.get(comment="Spam u odgovoru.")

    _save_parent_again(how, parent, moderator)

    assert ArticleComment.objects.get(pk=parent.pk).is_visible
    assert ArticleComment.objects.get(pk=reply.pk).is_public is False
    page = Client().get(article.get_absolute_url()).content.decode()
    assert "Spam u odgovoru." not in page and f"id=k{reply.pk}>" not in page
    assert '<span class="comments__count">(1)</span>' in page


@pytest.mark.parametrize("how", ["approval undone", "rejected"])
def test_taking_a_parent_down_leaves_its_approved_replies_public(article, moderator, how):
    parent = ArticleCommentFactory(article=article, is_public=False)
    moderation.approve(parent, moderator)
    reply = ArticleCommentFactory(article=article, parent=parent, comment="Odgovor koji ostaje.")
    moderation.refresh_comment_count(article.pk)
    if how == "approval undone":
        assert moderation.undo_last(moderator) is not None
    else:
        moderation.reject(parent, moderator)

    assert not ArticleComment.objects.get(pk=parent.pk).is_visible
    assert ArticleComment.objects.get(pk=reply.pk).is_public is True
    assert "Odgovor koji ostaje." in Client().get(article.get_absolute_url()).content.decode()


def test_removing_a_parent_leaves_its_approved_replies_public_under_a_placeholder(article):
    parent = ArticleCommentFactory(article=article, comment="Roditelj koji će biti uklonjen.")
    reply = ArticleCommentFactory(article=article, parent=parent, comment="Odgovor koji ostaje.")
    moderation.refresh_comment_count(article.pk)
    moderation.reject(parent)
    reply.refresh_from_db()
    assert reply.is_public and not reply.is_removed
    page = Client().get(article.get_absolute_url()).content.decode()
    assert "Roditelj koji će biti uklonjen." not in page
    assert "Odgovor koji ostaje." in page and "Ovaj komentar više nije dostupan." in page
    assert '<span class="comments__count">(1)</span>' in page


def test_ordering_oldest_newest_and_most_popular(article):
    first = ArticleCommentFactory(article=article, comment="Najstariji.")
    second = ArticleCommentFactory(article=article, comment="Srednji.", like_count=9)
    third = ArticleCommentFactory(article=article, comment="Najnoviji.", dislike_count=2)
    client = Client()

    def order(ordering):
        page = client.get(article.get_absolute_url(), {"redosled": ordering}).content.decode()
        return sorted([first, second, third], key=lambda comment: page.index(comment.comment))

    assert order("najstarije") == [first, second, third]
    assert order("najnovije") == [third, second, first]
    assert order("najpopularnije") == [second, first, third]
    assert order("nesto-trece") == [first, second, third]


def test_threads_are_paginated_with_links_and_a_more_fragment(article, comment_settings):
    comment_settings.threads_per_page = 5
    comment_settings.save()
    for n in range(12):
        ArticleCommentFactory(article=article, comment=f"Nit broj {n:02d}.")
    client = Client()
    first_page = client.get(article.get_absolute_url()).content.decode()
    assert "Nit broj 04." in first_page and "Nit broj 05." not in first_page
    assert "Prikaži još" in first_page and "?komentari=2&amp;redosled=najstarije#komentari" in first_page
    second_page = client.get(article.get_absolute_url(), {"komentari": "2"}).content.decode()
    assert "Nit broj 05." in second_page and "Nit broj 04." not in second_page
    fragment = client.get(f"/komentari/clanak/{article.pk}/", {"komentari": "3"}).content.decode()
    assert "Nit broj 10." in fragment and "Nit broj 11." in fragment and "<html" not in fragment
    for bad in ["abc", "-1", "0", "9" * 40]:  # not a page number: the first page
        assert client.get(article.get_absolute_url(), {"komentari": bad}).status_code == 200
        assert client.get(f"/komentari/clanak/{article.pk}/", {"komentari": bad}).status_code == 200
    for past_the_end in ["4", "99999"]:  # test_page_cache.py: the first page's address, or none for more
        assert client.get(article.get_absolute_url(), {"komentari": past_the_end}).status_code == 302
        assert client.get(f"/komentari/clanak/{article.pk}/", {"komentari": past_the_end}).status_code == 404


def test_permalink_opens_the_page_with_the_comment_wherever_it_moved(article, comment_settings):
    comment_settings.threads_per_page = 5
    comment_settings.save()
    comments = [ArticleCommentFactory(article=article) for _ in range(7)]
    reply = ArticleCommentFactory(article=article, parent=comments[6])
    client = Client()
    assert (
        client.get(f"/komentari/{comments[0].pk}/")["Location"]
        == f"{article.get_absolute_url()}#k{comments[0].pk}"
    )
    location = client.get(f"/komentari/{reply.pk}/")["Location"]
    assert location == f"{article.get_absolute_url()}?komentari=2#k{reply.pk}"
    assert f"id=k{reply.pk}>" in client.get(location).content.decode()
    moderation.reject(comments[0])
    moderation.reject(comments[1])  # two earlier threads gone: the reply's thread moves to page 1
    assert client.get(f"/komentari/{reply.pk}/")["Location"] == f"{article.get_absolute_url()}#k{reply.pk}"


def test_permalink_of_a_hidden_or_missing_comment_is_404(client, article):
    pending = ArticleCommentFactory(article=article, is_public=False)
    for pk in [pending.pk, 987654]:
        assert client.get(f"/komentari/{pk}/").status_code == 404
    assert client.get("/komentari/99999999999999999999999/").status_code == 404


UNSEEN = {
    "held": {"is_public": False},
    "rejected": {"is_public": False, "is_removed": True},
    "hidden by reports": {"hidden_by_reports": True},
}


@pytest.mark.parametrize("state", UNSEEN)
@pytest.mark.parametrize("thread", ["under a published comment", "in a thread still held"])
def test_a_reply_readers_may_not_see_leaves_no_trace(article, comment_settings, state, thread):
    """Not its text, anchor, links or a placeholder in its place, nor a place in any count or page."""
    comment_settings.threads_per_page = 5
    comment_settings.save()
    held_thread = thread == "in a thread still held"
    root = ArticleCommentFactory(article=article, is_public=not held_thread, comment="Prvi u niti.")
    unseen = ArticleCommentFactory(article=article, parent=root, comment="Odgovor koji se ne vidi.")
    ArticleComment.objects.filter(pk=unseen.pk).update(**UNSEEN[state])
    others = [ArticleCommentFactory(article=article) for _ in range(5 if held_thread else 4)]
    moderation.refresh_comment_count(article.pk)
    hidden_ids = [unseen.pk, root.pk] if held_thread else [unseen.pk]

    client = Client()
    addresses = {
        "article page": (article.get_absolute_url(), {}),
        "more threads": (f"/komentari/clanak/{article.pk}/", {}),
        "more threads, newest first": (f"/komentari/clanak/{article.pk}/", {"redosled": "najnovije"}),
    }
    pages = {name: client.get(path, query).content.decode() for name, (path, query) in addresses.items()}
    for name, page in pages.items():
        assert "Odgovor koji se ne vidi." not in page, name
        assert "Ovaj komentar više nije dostupan." not in page, name  # no placeholder
        assert "data-comment-pages" not in page, name  # five threads fill one page: nothing more to show
        assert page.count("<li id=k") == 5, name
        for pk in hidden_ids:  # its anchor, a link to it, a button for it (reaction, reply, report)
            traces = [f"=k{pk}>", f'#k{pk}"', f"/komentari/{pk}/", *(f"name={kind}{pk}>" for kind in "ldop")]
            assert [trace for trace in traces if trace in page] == [], name
        for other in others[:4]:
            assert f"id=k{other.pk}>" in page, name
    assert '<span class="comments__count">(5)</span>' in pages["article page"]
    assert "5 komentara</a>" in client.get("/").content.decode()


SECTIONS = "{% load articles_tags %}{% for section in sections %}{% page_section section %}{% endfor %}"


def _reader_request(article, query="", reader=None):
    request = RequestFactory().get(f"{article.get_absolute_url()}?{query}")
    request.user = reader or AnonymousUser()
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def _render_section(article, reader=None):
    """The section alone, built and rendered as the article page does it, with the queries it runs."""
    request = _reader_request(article, reader=reader)
    article = Article.objects.for_page().with_publication_state().get(pk=article.pk)
    with CaptureQueriesContext(connection) as queries:
        sections = page_sections.build(article, QueryDict(), user=request.user, notices=get_messages(request))
        html = Template(SECTIONS).render(Context({"request": request, "sections": sections}))
    return html, len(queries)


def _discussion(article, threads, users):
    tops = [
        ArticleCommentFactory(article=article, user=users[n % len(users)] if n % 2 else None)
        for n in range(threads)
    ]
    replies = [
        ArticleCommentFactory(article=article, parent=top, user=users[n % len(users)] if n % 3 else None)
        for n, top in enumerate(tops)
    ]
    Reaction.objects.bulk_create(
        Reaction(comment=comment, reader_key=f"a:{n}", value=1 if n % 2 else -1)
        for n, comment in enumerate(tops + replies)
    )
    moderation.refresh_comment_count(article.pk)


def test_section_with_200_comments_runs_a_fixed_small_number_of_queries(
    article, django_user_model, comment_settings
):
    comment_settings.threads_per_page = 100
    comment_settings.save()
    users = [django_user_model.objects.create_user(f"citalac{n}", password="x") for n in range(10)]
    small = ArticleFactory()
    _discussion(small, 2, users)
    _discussion(article, 100, users)
    _render_section(small)  # warm the settings cache
    _, small_count = _render_section(small)
    html, large_count = _render_section(article)
    assert html.count("<li id=k") == 200
    assert small_count == large_count == SECTION_QUERY_BUDGET
    _, signed_in_count = _render_section(article, reader=users[0])
    assert signed_in_count == SECTION_QUERY_BUDGET + SIGNED_IN_EXTRA


def _threads_to_page(article, comment_settings, threads=8):
    comment_settings.threads_per_page = 3
    comment_settings.save()
    tops = [
        ArticleCommentFactory(article=article, comment=f"Nit broj {n}.", like_count=(n * 5) % 7)
        for n in range(threads)
    ]
    for top in tops[::3]:
        ArticleCommentFactory(article=article, parent=top, comment=f"Odgovor na nit {top.pk}.")
    moderation.refresh_comment_count(article.pk)
    return tops


OTHER_REQUESTS = {
    "another-ordering": "redosled=najpopularnije",
    "another-page": "komentari=3",
    "a-reply-to-another-comment": "odgovor={other}",
    "all-of-them-at-once": "redosled=najstarije&komentari=1&odgovor={other}",
    "junk": "redosled=%00&komentari=-1&odgovor=x",
    "nothing": "",
}


@pytest.mark.parametrize("other", OTHER_REQUESTS.values(), ids=OTHER_REQUESTS.keys())
def test_the_section_shows_what_it_was_built_from_whatever_the_request_holds(
    article, comment_settings, other
):
    """The templates only display: ordering, page, form and notices come from the builder, not request.GET."""
    tops = _threads_to_page(article, comment_settings)
    article = Article.objects.with_publication_state().get(pk=article.pk)
    asked = f"redosled=najnovije&komentari=2&odgovor={tops[4].pk}"
    sections = page_sections.build(article, QueryDict(asked), user=AnonymousUser(), notices=())

    def shown(query):
        request = _reader_request(article, query)
        return Template(SECTIONS).render(Context({"request": request, "sections": sections}))

    built_for = shown(asked)
    assert "Nit broj 4." in built_for and "Nit broj 7." not in built_for  # newest first, second page
    assert f'name="reply_to" value="{tops[4].pk}"' in built_for
    assert shown(other.format(other=tops[0].pk)) == built_for


SAME_PARAMETERS = {
    "first-page": "",
    "second-page": "komentari=2",
    "third-page-newest-first": "komentari=3&redosled=najnovije",
    "most-popular-in-capitals": "redosled=NAJPOPULARNIJE&komentari=2",
    "zero-padded-with-spaces": "komentari=%2002&redosled=%20najnovije",
    "repeated-last-meaningful-wins": "komentari=3&komentari=2&komentari=x",
    "unknown-ordering-is-the-default": "redosled=najgore&komentari=2",
    "not-a-number-is-the-first-page": "komentari=dva&redosled=najpopularnije",
}


@pytest.mark.parametrize("query", SAME_PARAMETERS.values(), ids=SAME_PARAMETERS.keys())
def test_more_threads_gives_what_the_page_shows_for_the_same_parameters(article, comment_settings, query):
    """ "Prikaži još" and the article page build threads with one selector: the fragment is in the page."""
    _threads_to_page(article, comment_settings)
    page = Client().get(f"{article.get_absolute_url()}?{query}")
    fragment = Client().get(f"/komentari/clanak/{article.pk}/?{query}")
    assert page.status_code == fragment.status_code == 200
    fragment = fragment.content.decode().strip()
    assert fragment.count("<li id=k") >= 3  # a full page of threads, replies and all
    assert fragment in page.content.decode()


MORE_THREADS_QUERY_BUDGET = 2  # the article; the page of threads with their replies


def test_more_threads_runs_a_fixed_small_number_of_queries(article, django_user_model, comment_settings):
    comment_settings.threads_per_page = 50
    comment_settings.save()
    users = [django_user_model.objects.create_user(f"citalac{n}", password="x") for n in range(10)]
    small = ArticleFactory()
    _discussion(small, 52, users)
    _discussion(article, 150, users)
    client = Client()

    def queries(target):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(f"/komentari/clanak/{target.pk}/", {"komentari": "2"})
        assert response.status_code == 200
        return response.content.decode().count("<li id=k"), len(captured)

    queries(small)  # warm the settings cache
    assert queries(small) == (4, MORE_THREADS_QUERY_BUDGET)  # two threads and their replies
    assert queries(article) == (100, MORE_THREADS_QUERY_BUDGET)


def test_avatar_initials_are_drawn_but_not_read_aloud_before_the_name(article):
    ArticleCommentFactory(article=article, name="Jelena Đurić", comment="Vidi se i čita se.")
    moderation.refresh_comment_count(article.pk)

    page = Client().get(article.get_absolute_url()).content.decode()

    # The list's CSS draws data-i with an empty alternative text: the name is read once, not after "JĐ".
    assert re.search(r"<b class=a\d data-i=JĐ>Jelena Đurić</b>", page)


@pytest.mark.parametrize(
    ("name", "latin", "cyrillic"),
    [
        ("Ljiljana Milošević", "LM", "ЉМ"),  # a digraph is one Cyrillic letter
        ("Dragan Ilić", "DI", "ДИ"),  # a Roman numeral to the transliteration of text
        ("Јелена Ђурић", "JĐ", "ЈЂ"),  # written in Cyrillic
    ],
    ids=["digraph", "roman-numeral", "written-in-cyrillic"],
)
def test_avatar_initials_are_in_the_readers_script(article, name, latin, cyrillic):
    ArticleCommentFactory(article=article, name=name, comment="Komentar.")
    moderation.refresh_comment_count(article.pk)

    latin_page = Client().get(article.get_absolute_url()).content.decode()
    cyrillic_page = Client().get("/cir" + article.get_absolute_url()).content.decode()

    assert f" data-i={latin}>" in latin_page
    assert f" data-i={cyrillic}>" in cyrillic_page


def _threads_by_orm(article, ordering, number, per_page):
    """What the one-query page must equal: the roots and replies queries written plainly with the ORM."""
    roots = list(
        thread_roots(article, ordering).values_list("pk", flat=True)[(number - 1) * per_page :][
            : per_page + 1
        ]
    )
    replies = (
        ArticleComment.objects.filter(visible_condition(), thread_id__in=roots[:per_page], level__gt=0)
        .order_by("thread_id", "order")
        .values_list("pk", "thread_id", "parent_id")
    )
    in_page_order = [reply for root in roots[:per_page] for reply in replies if reply[1] == root]
    return roots[:per_page], in_page_order, len(roots) > per_page


def _shown(page):
    def walk(node):
        return [
            (node.comment_id, node.comment is not None),
            *(pair for child in node.children for pair in walk(child)),
        ]

    return [pair for node in page.threads for pair in walk(node)]


def test_one_query_page_equals_the_plain_queries_in_every_order_and_page(article, comment_settings):
    """Featured first, ties on the time, withdrawn parents with visible replies, pages, has_next."""
    moment = timezone.now() - timedelta(hours=3)
    tops = [
        ArticleCommentFactory(
            article=article,
            submit_date=moment + timedelta(minutes=n // 3),  # three at each minute: ties broken by the id
            like_count=(n * 7) % 5,
            dislike_count=n % 3,
            is_featured=n in (4, 9),
        )
        for n in range(14)
    ]
    for n, top in enumerate(tops[::2]):
        reply = ArticleCommentFactory(article=article, parent=top, submit_date=moment + timedelta(hours=1))
        ArticleCommentFactory(article=article, parent=reply, submit_date=moment + timedelta(hours=2))
        if n % 2:
            ArticleComment.objects.filter(pk=reply.pk).update(is_public=False, is_removed=True)
    ArticleComment.objects.filter(pk__in=[tops[2].pk, tops[4].pk]).update(
        hidden_by_reports=True
    )  # with replies
    ArticleComment.objects.filter(pk=tops[3].pk).update(is_public=False)  # nothing visible: no thread
    ArticleCommentFactory(article=ArticleFactory())  # another article's
    for ordering in ORDERINGS:
        for per_page in (4, 5, 13, 20):
            for number in range(1, 5):
                page = thread_page(article, ordering=ordering, page_number=str(number), per_page=per_page)
                roots, replies, has_next = _threads_by_orm(article, ordering, number, per_page)
                if not roots:
                    assert page is None or number == 1
                    continue
                assert [node.comment_id for node in page.threads] == roots
                assert page.has_next == has_next
                shown = [(pk, is_shown) for pk, is_shown in _shown(page) if pk not in roots]
                assert [pk for pk, is_shown in shown if is_shown] == [pk for pk, _, _ in replies]
                withdrawn = [pk for pk, is_shown in shown if not is_shown]
                assert withdrawn == list(
                    dict.fromkeys(p for _, _, p in replies if p not in roots + [r for r, _, _ in replies])
                )


@pytest.mark.django_db(transaction=True)
def test_a_page_of_threads_is_made_in_any_thread_with_that_threads_own_connection():
    """The SQL is kept per process, the connection is not: each server thread uses its own."""
    article = ArticleFactory()
    top = ArticleCommentFactory(article=article)
    reply = ArticleCommentFactory(article=article, parent=top)
    here = thread_page(article, ordering="najstarije", page_number="1", per_page=5)
    made = {}

    def elsewhere():
        try:
            made["page"] = thread_page(article, ordering="najstarije", page_number="1", per_page=5)
        except Exception as error:  # reported by the test's thread
            made["error"] = error
        finally:
            connection.close()

    worker = threading.Thread(target=elsewhere)
    worker.start()
    worker.join(timeout=60)
    assert "error" not in made, made.get("error")
    assert _shown(made["page"]) == _shown(here) == [(top.pk, True), (reply.pk, True)]
