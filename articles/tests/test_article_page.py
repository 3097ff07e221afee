from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.cards import article_card
from articles.models import Article, Image, SiteSettings
from articles.tests.factories import ArticleFactory, AuthorFactory, ImageFactory, SectionFactory, TagFactory
from config.delivery import fragments
from config.delivery.page_cache import pages_cache

pytestmark = pytest.mark.django_db

# 9 since issue 23: the corrections and replies at the article's end are prefetched with its byline and tags
# (one query, however many notes; articles/tests/test_notes.py pins 0 against 5), and the "Najnovije" strip
# (its fragment, kept with the site's scope, is made cold).
ARTICLE_PAGE_QUERY_BUDGET = 9
# With its fragments kept (config/delivery/fragments.py): the article and the comment section only.
ARTICLE_PAGE_WARM_QUERY_BUDGET = 2


@pytest.fixture
def full_article():
    hero = ImageFactory(
        caption="Predsednici opština potpisuju sporazum o vodovodu",
        credit="EPA-EFE/KCNA",
        restriction=Image.Restriction.EDITORIAL,
    )
    inline = ImageFactory(caption="Radnici postavljaju cevi kod škole", credit="Marko Ilić")
    return ArticleFactory(
        section=SectionFactory(name="Društvo", slug="drustvo"),
        kicker="Vodovod",
        title="Tri opštine dobijaju zajednički vodovod",
        lead="Radovi počinju na proleće i trajaće dve godine.",
        body=f'<p>Prvi pasus sa „citatom“.</p><figure data-image-id="{inline.pk}"></figure><p>Drugi.</p>',
        hero_image=hero,
        published_at=datetime(2026, 11, 27, 22, 3, tzinfo=UTC),
        updated_at=datetime(2026, 11, 28, 9, 15, tzinfo=UTC),
        authors=[AuthorFactory(name="Jelena Đurić"), AuthorFactory(name="Petar Šarić")],
        tags=[TagFactory(name="Komunalije"), TagFactory(name="Voda")],
    )


@time_machine.travel(datetime(2026, 12, 5, 12, tzinfo=UTC), tick=False)
def test_article_page_shows_what_a_reader_expects(client, full_article):
    response = client.get(full_article.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    for expected in [
        "Društvo",
        "Vodovod",
        '<h1 class="article__title">Tri opštine dobijaju zajednički vodovod</h1>',
        "Radovi počinju na proleće i trajaće dve godine.",
        "Autori: ",
        ">Jelena Đurić</a> i <a",
        ">Petar Šarić</a>",
        "27. novembar 2026. u 23:03",
        "Ažurirano: ",
        "28. novembar 2026. u 10:15",
        "Predsednici opština potpisuju sporazum o vodovodu",
        "Foto: EPA-EFE/KCNA",
        "EDITORIAL USE ONLY",
        "Prvi pasus sa „citatom“.",
        "Radnici postavljaju cevi kod škole",
        "Foto: Marko Ilić",
        ">Komunalije</a>",
        ">Voda</a>",
        'id="komentari"',
        "Komentari",
        "facebook.com/sharer",
        "x.com/intent/post",
        "wa.me",
        "viber://forward",
        "mailto:?subject=",
        "Kopiraj link",
        "Pratite nas",
        "PDF izdanje",
    ]:
        assert expected in page, expected
    assert (
        page.index("<h1")
        < page.index("article__lead")
        < page.index("figure--hero")
        < page.index("Prvi pasus")
    )
    assert '<html lang="sr-Latn">' in page


def test_author_links_lead_to_author_pages(client, full_article):
    author = full_article.authors.first()
    page = client.get(full_article.get_absolute_url()).content.decode()
    assert f'href="{author.get_absolute_url()}"' in page
    assert author.name in client.get(author.get_absolute_url()).content.decode()


def test_hero_photo_is_responsive_and_loaded_eagerly(client, full_article):
    page = client.get(full_article.get_absolute_url()).content.decode()
    hero = page[page.index("figure--hero") : page.index("</figure>", page.index("figure--hero"))]
    assert 'type="image/webp"' in hero
    assert "480w" in hero and "800w" in hero and "1200w" in hero
    assert 'width="1200" height="800"' in hero
    assert 'fetchpriority="high"' in hero and 'loading="lazy"' not in hero
    inline = page[page.index("Prvi pasus") :]
    assert 'loading="lazy"' in inline


def test_follow_note_comes_from_site_settings(client, full_article):
    site_settings = SiteSettings.get_solo()
    site_settings.print_edition_text = "Pretplatite se na digitalno izdanje danas."
    site_settings.print_edition_url = "https://example.org/pdf"
    site_settings.save()
    page = client.get(full_article.get_absolute_url()).content.decode()
    assert (
        '<a href="https://example.org/pdf" rel="noopener">Pretplatite se na digitalno izdanje danas.</a>'
        in page
    )


def test_update_time_is_hidden_when_not_later_than_publication(client):
    moment = timezone.now() - timedelta(hours=3)
    article = ArticleFactory(published_at=moment, updated_at=moment)
    assert "Ažurirano" not in client.get(article.get_absolute_url()).content.decode()


def test_closed_comments_are_announced(client):
    article = ArticleFactory(comments_enabled=False)
    assert "Komentari su zatvoreni." in client.get(article.get_absolute_url()).content.decode()


def _page_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.usefixtures("uncached_pages")
def test_article_page_query_count_does_not_grow_with_its_content(client, settings):
    section = SectionFactory()
    one_image = ImageFactory()
    small = ArticleFactory(
        section=section,
        hero_image=ImageFactory(),
        body=f'<p>Pasus.</p><figure data-image-id="{one_image.pk}"></figure>',
        authors=[AuthorFactory()],
        tags=[TagFactory()],
    )
    ArticleFactory(section=section)
    images = [ImageFactory() for _ in range(4)]
    tags = [TagFactory() for _ in range(5)]
    large = ArticleFactory(
        section=section,
        hero_image=ImageFactory(),
        body="".join(
            f'<p>Pasus {image.pk}.</p><figure data-image-id="{image.pk}"></figure>' for image in images
        ),
        authors=[AuthorFactory() for _ in range(4)],
        tags=tags,
    )
    for _ in range(6):
        ArticleFactory(section=section, hero_image=ImageFactory(), tags=tags[:2])
    _page_queries(client, small.get_absolute_url())  # warm the site-settings cache and the schedule's
    settings.FRAGMENTS_COLD = fragments.COLD_ALL  # every part made from scratch, as after a site change
    small_count = _page_queries(client, small.get_absolute_url())
    large_count = _page_queries(client, large.get_absolute_url())
    assert small_count == large_count == ARTICLE_PAGE_QUERY_BUDGET
    settings.FRAGMENTS_COLD = ""
    pages_cache().clear()
    for article in (small, large):
        # Made, its fragments kept (the masthead is the other's); then made again from them, without
        # what only they needed.
        assert _page_queries(client, article.get_absolute_url()) <= ARTICLE_PAGE_QUERY_BUDGET
        assert _page_queries(client, article.get_absolute_url()) == ARTICLE_PAGE_WARM_QUERY_BUDGET


def test_drafts_and_scheduled_articles_are_not_found_by_the_public(client):
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    scheduled = ArticleFactory(published_at=timezone.now() + timedelta(hours=1))
    for article in (draft, scheduled):
        response = client.get(article.get_absolute_url())
        assert response.status_code == 404
        assert "Stranica nije pronađena" in response.content.decode()
        assert article.title not in response.content.decode()


def test_staff_with_preview_permission_see_drafts_marked_and_never_cached(client, django_user_model):
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None, title="Tajni nacrt o budžetu")
    editor = django_user_model.objects.create_user("urednica", password="x", is_staff=True)
    editor.groups.add(Group.objects.get(name="Urednici"))
    client.force_login(editor)
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert "Pregled: nije objavljeno" in response.content.decode()
    assert "Tajni nacrt o budžetu" in response.content.decode()
    assert "no-cache" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_staff_without_preview_permission_get_404(client, django_user_model):
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    user = django_user_model.objects.create_user("citalac", password="x", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_article"))
    client.force_login(user)
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_published_article_has_no_preview_banner(client):
    article = ArticleFactory()
    assert "Pregled: nije objavljeno" not in client.get(article.get_absolute_url()).content.decode()


def test_stale_slug_and_wrong_section_redirect_permanently_to_the_canonical_url(client):
    article = ArticleFactory(title="Stari naslov")
    old_url = article.get_absolute_url()
    article.title, article.slug = "Novi naslov posle ispravke", ""
    article.save()
    canonical = article.get_absolute_url()
    assert canonical.endswith(f"/{article.pk}-novi-naslov-posle-ispravke/")
    for url in [
        old_url,
        f"/drugo/{article.pk}-novi-naslov-posle-ispravke/",
        f"/{article.section.slug}/{article.pk}/",
    ]:
        response = client.get(url)
        assert response.status_code == 301, url
        assert response["Location"] == canonical


def test_redirect_does_not_reveal_a_draft(client):
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    assert client.get(f"/nesto/{draft.pk}-drugi-slug/").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/politika/abc-naslov/",
        "/politika/99999999-naslov/",
        "/politika/99999999999999999999999999-naslov/",
        "/politika/0-/",
        "/politika/-5-naslov/",
        "/nepostojeca-rubrika/",
        "/autor/nepostojeci/",
        "/tema/nepostojeca/",
        "/politika/1-naslov/višak/",
        "/%E0%A4%A/",
    ],
)
def test_bad_addresses_get_the_serbian_404_page(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "Stranica nije pronađena" in response.content.decode()


def test_article_url_pattern_is_stable():
    assert (
        reverse("articles:article", kwargs={"section": "sport", "pk": 42, "slug": "pobeda"})
        == "/sport/42-pobeda/"
    )


@pytest.mark.parametrize(
    ("age", "shown"),
    [
        (timedelta(seconds=20), "upravo sada"),
        (timedelta(minutes=1), "pre 1 minut"),
        (timedelta(minutes=3), "pre 3 minuta"),
        (timedelta(minutes=5), "pre 5 minuta"),
        (timedelta(minutes=21), "pre 21 minut"),
        (timedelta(hours=2, minutes=5), "pre 2 sata"),
        (timedelta(hours=5), "pre 5 sati"),
    ],
)
def test_fresh_news_says_how_long_ago_in_serbian(age, shown):
    # On cards; the article's own header always gives the date (test_article_header.py).
    article = ArticleFactory(published_at=timezone.now() - age)
    assert f">{shown}</time>" in article_card(article)


@time_machine.travel(datetime(2026, 11, 28, 12, 0, tzinfo=UTC), tick=False)
def test_older_news_gives_the_day_and_time_in_both_scripts(client):
    article = ArticleFactory(published_at=datetime(2026, 11, 27, 22, 3, tzinfo=UTC))
    assert ">27. novembar 2026. u 23:03</time>" in client.get(article.get_absolute_url()).content.decode()
    cyrillic = client.get("/cir" + article.get_absolute_url()).content.decode()
    assert ">27. новембар 2026. у 23:03</time>" in cyrillic
