"""Komentari on cached pages: each decision shows on the next request; nothing personal is shared."""

import pytest
from django.test import Client
from django.test.signals import template_rendered

from articles.models import SiteSettings
from articles.tests.factories import ArticleFactory
from comments import moderation
from comments.models import ArticleComment, Decision
from config.delivery import page_cache

from .factories import ArticleCommentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(comment_settings):
    SiteSettings.get_solo()  # the singletons exist, as on a running site: making one renews every page
    return ArticleFactory(title="Most preko Save otvoren za saobraćaj")


def page(url):
    return Client().get(url).content.decode()


def cached_page(url):
    """The page as the second reader gets it: from the cache."""
    page(url)
    response = Client().get(url)
    assert response.has_header("ETag")
    return response.content.decode()


def test_an_approved_comment_is_on_the_next_request(article):
    url = article.get_absolute_url()
    waiting = ArticleCommentFactory(article=article, comment="Konačno, posle deset godina!", is_public=False)
    assert "Konačno, posle deset godina!" not in cached_page(url)
    moderation.approve(waiting)
    assert "Konačno, posle deset godina!" in page(url)


def test_the_front_page_count_follows_approvals(article):
    ArticleCommentFactory(article=article)
    moderation.refresh_comment_count(article.pk)
    waiting = ArticleCommentFactory(article=article, is_public=False)
    front = cached_page("/")
    assert "1 komentar<" in front
    moderation.approve(waiting)
    front = page("/")
    assert "2 komentara<" in front


def test_a_rejected_comment_leaves_the_page_on_the_next_request(article):
    url = article.get_absolute_url()
    shown = ArticleCommentFactory(article=article, comment="Ovo će moderator ipak ukloniti.")
    assert "Ovo će moderator ipak ukloniti." in cached_page(url)
    moderation.reject(shown, reason="uvreda")
    assert "Ovo će moderator ipak ukloniti." not in page(url)


def test_a_comment_deleted_in_the_admin_leaves_the_page(article, admin_client):
    url = article.get_absolute_url()
    shown = ArticleCommentFactory(article=article, comment="Obrisan u administraciji.")
    assert "Obrisan u administraciji." in cached_page(url)
    response = admin_client.post(f"/admin/comments/articlecomment/{shown.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and not ArticleComment.objects.filter(pk=shown.pk).exists()
    assert "Obrisan u administraciji." not in page(url)


def test_featuring_shows_on_the_next_request(article):
    url = article.get_absolute_url()
    shown = ArticleCommentFactory(article=article)
    assert "Izdvojeno" not in cached_page(url)
    moderation.decide([shown.pk], Decision.Action.FEATURE)
    assert "<span class=featured>Izdvojeno</span>" in page(url)


def test_reactions_show_on_the_next_request(article):
    url = article.get_absolute_url()
    shown = ArticleCommentFactory(article=article)
    assert f"<button name=l{shown.pk}>0</button>" in cached_page(url)
    assert Client().post(f"/komentari/{shown.pk}/reakcija/", {"value": "1"}).status_code == 302
    assert f"<button name=l{shown.pk}>1</button>" in page(url)


def test_comment_settings_show_on_the_next_request(article, comment_settings):
    url = article.get_absolute_url()
    cached_page(url)
    comment_settings.rules = "Pišite kratko i pristojno."
    moderation.save_settings(comment_settings)
    assert "Pišite kratko i pristojno." in page(url)


def test_the_comment_form_of_a_cached_page_posts(article, post_comment):
    cached_page(article.get_absolute_url())
    reader = Client()
    response = post_comment(article, http_client=reader, comment="Poslato sa zapamćene stranice.")
    assert response.status_code == 302
    assert ArticleComment.objects.get(comment="Poslato sa zapamćene stranice.").is_public is False


def test_the_readers_own_notice_is_never_shared(article, post_comment):
    url = article.get_absolute_url()
    cached_page(url)
    reader = Client()
    post_comment(article, http_client=reader, comment="Čekam odobrenje.")
    own = reader.get(url)
    assert "čeka odobrenje moderatora" in own.content.decode()
    assert "private" in own["Cache-Control"] and not own.has_header("ETag")
    assert "čeka odobrenje moderatora" not in page(url)
    assert "Čekam odobrenje." not in page(url)


def test_form_errors_are_never_shared(article, post_comment):
    url = article.get_absolute_url()
    cached_page(url)
    refused = post_comment(article, http_client=Client(), email="nije-adresa")
    assert refused.status_code == 400 and "nije-adresa" in refused.content.decode()
    assert "nije-adresa" not in page(url)


def test_a_reader_who_reacted_gets_the_shared_copy_with_nothing_of_theirs(article, reader_browser):
    url = article.get_absolute_url()
    shown = ArticleCommentFactory(article=article)
    cached_page(url)
    reader = reader_browser()
    reader.post(f"/komentari/{shown.pk}/reakcija/", {"value": "1"}, headers={"Accept": "application/json"})
    own = reader.get(url)
    assert own.has_header("ETag") and 'aria-pressed="true"' not in own.content.decode()
    assert own.content.decode() == page(url)


def stored_copies():
    return [key for key in page_cache.pages_cache()._cache if page_cache.KEY_PREFIX in key]


@pytest.fixture
def discussion(article, comment_settings):
    """Two pages of threads (two threads a page) and comments a reply cannot go to, here or elsewhere."""
    comment_settings.threads_per_page = 2
    comment_settings.save()
    tops = [ArticleCommentFactory(article=article, comment=f"Nit broj {n}.") for n in range(3)]
    reply = ArticleCommentFactory(article=article, parent=tops[0])
    return {
        "top": tops[0].pk,
        "deepest": ArticleCommentFactory(article=article, parent=reply).pk,
        "pending": ArticleCommentFactory(article=article, is_public=False).pk,
        "removed": ArticleCommentFactory(article=article, is_removed=True).pk,
        "foreign": ArticleCommentFactory().pk,
        "missing": 987654,
    }


NOT_SHOWN = {  # (asked, the canonical query, whether comments are closed)
    "page-past-the-last": ("komentari=3", "", False),
    "page-far-past-the-last": ("komentari=99999", "", False),
    "past-the-last-newest-first": ("komentari=3&redosled=najnovije", "redosled=najnovije", False),
    "reply-to-another-articles-comment": ("odgovor={foreign}", "", False),
    "reply-to-a-pending-comment": ("odgovor={pending}", "", False),
    "reply-to-a-removed-comment": ("odgovor={removed}", "", False),
    "reply-to-a-missing-comment": ("odgovor={missing}", "", False),
    "reply-deeper-than-allowed": ("odgovor={deepest}", "", False),
    "reply-to-nothing-on-page-two": ("komentari=2&odgovor={missing}", "komentari=2", False),
    "all-wrong-at-once": ("komentari=7&odgovor={foreign}&redosled=najnovije", "redosled=najnovije", False),
    "reply-while-comments-are-closed": ("odgovor={top}&komentari=2", "komentari=2", True),
}


@pytest.mark.parametrize(("asked", "canonical", "closed"), NOT_SHOWN.values(), ids=NOT_SHOWN.keys())
def test_a_page_or_reply_the_section_cannot_show_is_sent_to_the_canonical_copy(
    article, discussion, asked, canonical, closed
):
    """Past the last page, or replying to what takes no reply here, the page would be the canonical one: the
    reader is sent there, and no address makes a copy of its own (a flood of them would evict real pages)."""
    if closed:
        article.comments_enabled = False
        article.save()
    url = article.get_absolute_url()
    canonical_url = f"{url}?{canonical}" if canonical else url
    asked = f"{url}?{asked.format(**discussion)}"
    expected = cached_page(canonical_url)
    stored = stored_copies()
    response = Client().get(asked)
    assert response.status_code == 302
    assert response["Location"] == canonical_url
    assert stored_copies() == stored
    followed = Client().get(asked, follow=True)
    assert followed.page_cache_hit and followed.content.decode() == expected


@pytest.mark.parametrize("query", ["komentari=3", "komentari=99999", "komentari=3&redosled=najpopularnije"])
def test_more_threads_past_the_last_page_is_not_found_and_repeats_nothing(discussion, article, query):
    response = Client().get(f"/komentari/clanak/{article.pk}/?{query}")
    assert response.status_code == 404
    body = response.content.decode()
    assert 'lang="sr-' in body and "Nit broj" not in body


def test_a_reply_to_a_comment_that_takes_one_has_its_own_page(article, discussion):
    url = f"{article.get_absolute_url()}?odgovor={discussion['top']}"
    response = Client().get(url)
    assert response.status_code == 200
    assert f'name="reply_to" value="{discussion["top"]}"' in response.content.decode()


@pytest.mark.parametrize(
    ("prefix", "notice"),
    [("", "čeka odobrenje moderatora"), ("/cir", "чека одобрење модератора")],
    ids=["latin", "cyrillic"],
)
def test_the_readers_notice_waits_through_the_redirect_to_the_canonical_page(
    article, discussion, post_comment, prefix, notice
):
    reader = Client()
    post_comment(article, http_client=reader, comment="Čekam odobrenje.")
    url = prefix + article.get_absolute_url()
    response = reader.get(f"{url}?komentari=99&redosled=najnovije")
    assert response["Location"] == f"{url}?redosled=najnovije"  # in the reader's script
    assert notice in reader.get(response["Location"]).content.decode()


def test_a_flood_of_pages_past_the_last_and_replies_to_nothing_stores_and_renders_nothing(
    article, discussion
):
    url = article.get_absolute_url()
    cached_page(url)
    stored = stored_copies()
    rendered = []

    def note(sender, template, **kwargs):
        rendered.append(template.name)

    template_rendered.connect(note)
    try:
        answers = [Client().get(url, {"komentari": str(3 + n * 3331)}) for n in range(30)]
        answers += [Client().get(url, {"odgovor": str(discussion["missing"] + n)}) for n in range(30)]
    finally:
        template_rendered.disconnect(note)
    assert {answer.status_code for answer in answers} == {302}
    assert "articles/article_detail.html" not in rendered
    assert stored_copies() == stored
