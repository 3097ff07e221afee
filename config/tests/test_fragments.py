"""Fragments (config/delivery/fragments.py) on the article page: kept per script, made again exactly when
what they show changed, never personal, and the page the same to the byte with or without them."""

import re
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser, Group
from django.http import HttpResponse
from django.template import Context, Template, TemplateDoesNotExist
from django.test import Client, RequestFactory

from articles import services, views
from articles.models import ArticleQuerySet, SiteSettings, TransliterationException
from articles.templatetags import articles_tags
from articles.tests.factories import ArticleFactory, AuthorFactory, SectionFactory, TagFactory
from comments import moderation
from comments.models import CommentSettings
from comments.rendering import ThreadWriter
from comments.tests.factories import ArticleCommentFactory
from config.delivery import fragments, page_cache, reader_script

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("uncached_pages")]

NOW = datetime(2026, 12, 7, 11, 0, tzinfo=UTC)
PLACEHOLDER = re.compile(r"<!--[0-9]{18}-[0-9]+-->")


@pytest.fixture
def clock():
    # Stopped, so the pages compared are made at one moment (the comment form's timestamp); a change is made
    # a second later, as a generation is a moment (page_cache._bump).
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def article(clock):
    SiteSettings.get_solo()
    CommentSettings.get_solo()
    section = SectionFactory(name="Sport")
    tag = TagFactory(name="Džudo")
    ArticleFactory(section=section, tags=[tag], title="Ljubljana domaćin evropskog prvenstva")
    article = ArticleFactory(
        section=section,
        tags=[tag],
        authors=[AuthorFactory(name="Đorđe Njegoš")],
        title="Džudisti osvojili zlato u Njujorku",
        lead="Šampioni se vraćaju u Beograd.",
        body="<p>Ljubitelji sporta dočekaće ih na aerodromu.</p>",
    )
    first = ArticleCommentFactory(article=article, comment="Čestitke šampionima!")
    ArticleCommentFactory(article=article, parent=first, comment="Bravo, Đorđe i društvo!")
    moderation.refresh_comment_count(article.pk)
    return article


@pytest.fixture
def made(monkeypatch):
    """How many times each part of the article page was made (not taken from a kept fragment)."""
    counts = Counter()

    def count(owner, name, part):
        original = getattr(owner, name)

        def counted(*args, **kwargs):
            counts[part] += 1
            return original(*args, **kwargs)

        monkeypatch.setattr(owner, name, counted)

    count(articles_tags, "replace_inline_images", "body")
    count(ArticleQuerySet, "related_to", "related")
    count(ThreadWriter, "threads", "threads")
    count(views, "article_meta", "metadata")
    return counts


def page(url):
    response = Client().get(url)
    assert response.status_code == 200
    return response.content.decode()


def inline_fragments(monkeypatch):
    """Every fragment rendered in place and converted with the page, as before fragments existed."""
    monkeypatch.setattr(fragments, "fragment", lambda name, *, scopes, vary=(), render: render())


@pytest.mark.parametrize("script", [reader_script.LATIN, reader_script.CYRILLIC])
def test_pages_are_the_same_to_the_byte_with_fragments_cold_and_warm(article, monkeypatch, script):
    url = reader_script.path_in(script, article.get_absolute_url())
    with monkeypatch.context() as patched:
        inline_fragments(patched)
        without = page(url)
    assert not PLACEHOLDER.search(without)
    cold = page(url)
    warm = page(url)
    assert cold == without
    assert warm == without
    for query in ("?redosled=najnovije", "?komentari=1"):  # other fragments of the threads, same bytes
        with monkeypatch.context() as patched:
            inline_fragments(patched)
            without = page(url + query)
        assert page(url + query) == page(url + query) == without


def test_a_warm_page_makes_none_of_its_fragments_again(article, made):
    url = article.get_absolute_url()
    first = page(url)
    assert made == {"body": 1, "related": 1, "threads": 1, "metadata": 1}
    assert page(url) == first
    assert made == {"body": 1, "related": 1, "threads": 1, "metadata": 1}
    assert page(reader_script.cyrillic_path(url)) != first  # the other script has fragments of its own
    assert made == {"body": 2, "related": 2, "threads": 2, "metadata": 2}


@pytest.mark.parametrize(
    "first", [reader_script.CYRILLIC, reader_script.LATIN], ids=["cyrillic-first", "latin-first"]
)
def test_a_fragment_is_only_ever_shown_in_its_own_script(article, first):
    url = article.get_absolute_url()
    other = reader_script.LATIN if first == reader_script.CYRILLIC else reader_script.CYRILLIC
    page(reader_script.path_in(first, url))
    shown = {script: page(reader_script.path_in(script, url)) for script in (other, first)}
    assert "Džudisti osvojili zlato" in shown[reader_script.LATIN]
    assert "Џудисти освојили злато" not in shown[reader_script.LATIN]
    assert "Čestitke šampionima!" in shown[reader_script.LATIN]
    assert "Џудисти освојили злато" in shown[reader_script.CYRILLIC]
    assert "Džudisti osvojili zlato" not in shown[reader_script.CYRILLIC]
    assert "Честитке шампионима!" in shown[reader_script.CYRILLIC]


def approve_waiting(article, clock):
    waiting = ArticleCommentFactory(
        article=article, comment="Novi komentar posle odobrenja.", is_public=False
    )
    return lambda: moderation.approve(waiting), "Novi komentar posle odobrenja."


def reject_shown(article, clock):
    shown = ArticleCommentFactory(article=article, comment="Komentar koji moderator uklanja.")
    return lambda: moderation.reject(shown, reason="uvreda"), "Komentar koji moderator uklanja."


def edit_article(article, clock):
    def edit():
        article.title = "Džudisti osvojili i srebro"
        services.save_article(article)

    return edit, "Džudisti osvojili i srebro"


def rename_section(article, clock):
    def rename():
        article.section.name = "Sportski pregled"
        services.save_shown(article.section)

    return rename, "Sportski pregled"


def publish_scheduled(article, clock):
    ArticleFactory(
        section=article.section,
        tags=list(article.tags.all()),
        title="Zakazani izveštaj sa turnira",
        published_at=NOW + timedelta(hours=1),
    )
    return lambda: clock.move_to(NOW + timedelta(hours=2)), "Zakazani izveštaj sa turnira"


def react(article, clock):
    shown = ArticleCommentFactory(article=article, comment="Komentar za reakcije.")
    return lambda: moderation.react(shown, "citalac-1", 1), f"<button name=l{shown.pk}>1<"


def change_comment_policy(article, clock):
    def change():
        comment_settings = CommentSettings.get_solo()
        comment_settings.rules = "Pišite kratko i pristojno."
        moderation.save_settings(comment_settings)

    return change, "Pišite kratko i pristojno."


@pytest.mark.parametrize(
    "change",
    [
        approve_waiting,
        reject_shown,
        edit_article,
        rename_section,
        publish_scheduled,
        react,
        change_comment_policy,
    ],
    ids=lambda change: change.__name__,
)
@pytest.mark.parametrize("script", [reader_script.LATIN, reader_script.CYRILLIC])
def test_a_change_makes_the_fragments_showing_it_fresh(article, clock, monkeypatch, change, script):
    url = reader_script.path_in(script, article.get_absolute_url())
    act, text = change(article, clock)
    expected = reader_script._transliteration().html_to_cyrillic(text) if script == "cir" else text
    before = page(url)
    page(url)  # warm
    if change is reject_shown:
        assert expected in before
    else:
        assert expected not in before
    clock.shift(timedelta(seconds=1))
    act()
    after = page(url)
    if change is reject_shown:
        assert expected not in after
    else:
        assert expected in after
    with monkeypatch.context() as patched:
        inline_fragments(patched)
        assert page(url) == after


@pytest.mark.parametrize(
    ("cold", "made_again"),
    [
        ("", set()),
        (fragments.COLD_ARTICLE, {"threads"}),
        (fragments.COLD_ALL, {"body", "related", "threads", "metadata"}),
    ],
    ids=["normal", "article", "all"],
)
def test_fragments_cold_makes_those_fragments_every_time(article, made, settings, cold, made_again):
    settings.FRAGMENTS_COLD = cold
    url = article.get_absolute_url()
    first = page(url)
    once = Counter(made)
    assert page(url) == first
    assert {part for part in made if made[part] > once[part]} == made_again


def test_with_every_cache_off_no_fragment_is_kept(article, made, settings):
    settings.CACHES = {
        alias: {"BACKEND": "django.core.cache.backends.dummy.DummyCache"} for alias in ("default", "pages")
    }
    url = article.get_absolute_url()
    assert page(url) == page(url)
    assert made == {"body": 2, "related": 2, "threads": 2, "metadata": 2}


def kept_fragments():
    return [key for key in page_cache.pages_cache()._cache if fragments.KEY_PREFIX in key]


@pytest.mark.parametrize("outage", ["unreachable", "raises"])
def test_a_cache_outage_makes_fragments_inline(article, made, monkeypatch, outage):
    url = article.get_absolute_url()
    with monkeypatch.context() as patched:
        inline_fragments(patched)
        without = page(url)
    if outage == "unreachable":  # the generations read as misses: nothing may be kept from them
        monkeypatch.setattr(page_cache, "scope_state", lambda scopes: None)
    else:

        def down(*args, **kwargs):
            raise ConnectionError("Redis is down")

        monkeypatch.setattr(page_cache.pages_cache(), "get", down)
        monkeypatch.setattr(page_cache.pages_cache(), "set", down)
    made.clear()
    assert page(url) == without
    assert page(url) == without
    assert made == {"body": 2, "related": 2, "threads": 2, "metadata": 2}
    assert not kept_fragments()


@pytest.mark.parametrize("state", ["draft", "scheduled"])
def test_a_preview_never_reads_nor_keeps_a_fragment(client, django_user_model, monkeypatch, clock, state):
    SiteSettings.get_solo()
    if state == "draft":
        draft = ArticleFactory(status="draft", published_at=None, title="Tajni nacrt o budžetu")
    else:
        draft = ArticleFactory(published_at=NOW + timedelta(days=1), title="Tajni nacrt o budžetu")
    editor = django_user_model.objects.create_user("urednica", password="x", is_staff=True)
    editor.groups.add(Group.objects.get(name="Urednici"))
    client.force_login(editor)

    def never(*args, **kwargs):
        raise AssertionError("a preview asked for a kept fragment")

    monkeypatch.setattr(fragments, "_kept_or_made", never)
    monkeypatch.setattr(page_cache, "scope_state", never)
    for url in (draft.get_absolute_url(), reader_script.cyrillic_path(draft.get_absolute_url())):
        response = client.get(url)
        assert response.status_code == 200
        assert not PLACEHOLDER.search(response.content.decode())
    assert "Tajni nacrt o budžetu" in client.get(draft.get_absolute_url()).content.decode()
    assert not kept_fragments()


def test_a_signed_in_reader_gets_the_readers_fragments_without_anything_personal(article):
    from comments.tests.factories import signed_in_reader

    url = article.get_absolute_url()
    anonymous = page(url)
    reader = signed_in_reader("Milica Jovanović")
    client = Client()
    client.force_login(reader)
    personal = client.get(url).content.decode()
    assert "Milica" in personal  # she comments as her account, outside every fragment
    assert "Milica" not in page(url)
    assert page(url) == anonymous


def test_without_the_script_middleware_a_page_has_its_fragments_inline(article, made):
    request = RequestFactory().get(article.get_absolute_url())
    request.user = AnonymousUser()
    request.session = {}
    response = views.article_detail(request, article.section.slug, article.pk, article.slug)
    html = response.content.decode()
    assert "Džudisti osvojili zlato u Njujorku" in html and "Čestitke šampionima!" in html
    assert not PLACEHOLDER.search(html)
    assert not kept_fragments()


def test_the_more_comments_answer_has_no_placeholder(article):
    """The threads' template outside the article page (no scopes named): rendered inline."""
    for url in (f"/komentari/clanak/{article.pk}/", f"/cir/komentari/clanak/{article.pk}/"):
        response = Client().get(url)
        assert response.status_code == 200
        assert not PLACEHOLDER.search(response.content.decode())
        assert "Bravo, Đorđe i društvo!" in response.content.decode() or "Браво" in response.content.decode()


def test_a_fragment_that_fails_to_render_raises():
    template = Template(
        '{% load fragments %}{% fragment "broken" scopes %}{% include "nema.html" %}{% endfragment %}'
    )
    with fragments.collecting(), pytest.raises(TemplateDoesNotExist):
        template.render(Context({"scopes": (page_cache.SITE,)}))


def test_a_new_version_of_the_code_makes_every_fragment_again(article, made, monkeypatch):
    url = article.get_absolute_url()
    page(url)
    monkeypatch.setattr(fragments, "code_version", lambda: "another-deploy")
    page(url)
    assert made == {"body": 2, "related": 2, "threads": 2, "metadata": 2}


def test_a_fragment_inside_another_is_part_of_it():
    template = Template(
        '{% load fragments %}{% fragment "outer" scopes %}a{% fragment "inner" scopes %}b{% endfragment %}c'
        "{% endfragment %}"
    )
    for _ in ("cold", "warm"):
        with fragments.collecting() as collected:
            response = HttpResponse(template.render(Context({"scopes": (page_cache.SITE,)})))
            collected.fill(response)
        assert response.content == b"abc"


def test_a_site_change_leaves_the_comment_threads_kept(article, made, clock):
    url = article.get_absolute_url()
    page(url)
    clock.shift(timedelta(seconds=1))
    article.lead = "Šampioni su se vratili u Beograd."
    services.save_article(article)
    assert "Šampioni su se vratili u Beograd." in page(url)
    assert made == {"body": 2, "related": 2, "threads": 1, "metadata": 2}


def test_a_new_cyrillic_exception_is_on_the_kept_comment_threads_at_once(article, clock):
    """The exceptions list changes SITE, which the threads' key does not hold: the list is in their key."""
    url = reader_script.cyrillic_path(article.get_absolute_url())
    assert "Браво, Ђорђе" in page(url)
    page(url)  # warm
    clock.shift(timedelta(seconds=1))
    services.save_shown(TransliterationException(text="Bravo"))
    assert "Bravo, Ђорђе" in page(url)


def test_fewer_threads_per_page_split_the_kept_threads(article, clock):
    url = article.get_absolute_url()
    ArticleCommentFactory(article=article, comment="Druga nit, na drugoj strani.")
    assert "Druga nit, na drugoj strani." in page(url)
    clock.shift(timedelta(seconds=1))
    comment_settings = CommentSettings.get_solo()
    comment_settings.threads_per_page = 1
    moderation.save_settings(comment_settings)
    assert "Druga nit, na drugoj strani." not in page(url)
    assert "Druga nit, na drugoj strani." in page(url + "?komentari=2")


def test_a_page_whose_threads_are_kept_reads_only_the_article(article, django_assert_num_queries):
    url = article.get_absolute_url()
    page(url)
    with django_assert_num_queries(1):  # the article: 404, 410, redirect and preview are decided from it
        page(url)
    page(reader_script.cyrillic_path(url))  # made once in Cyrillic too
    with django_assert_num_queries(1):
        page(reader_script.cyrillic_path(url))
    with django_assert_num_queries(2):  # another ordering: its own threads (one query), made once
        page(url + "?redosled=najnovije")
    with django_assert_num_queries(1):
        page(url + "?redosled=najnovije")


def test_threads_all_removed_are_not_taken_as_kept(article, clock):
    url = article.get_absolute_url()
    assert "Još nema komentara." not in page(url)
    page(url)
    clock.shift(timedelta(seconds=1))
    for comment in article.reader_comments.all():
        moderation.reject(comment, reason="uvreda")
    shown = page(url)
    assert "Još nema komentara." in shown
    assert "comments__ordering" not in shown
