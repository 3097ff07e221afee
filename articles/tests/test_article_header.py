"""The article's header: when as a date (it is kept in the cache), "Ažurirano" when later, the reading time,
a link to the comments with their count kept fresh; and agency wording that stays Latin on Cyrillic pages."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client

from articles.models import Image
from articles.tests.factories import ArticleFactory, ImageFactory
from articles.text import reading_minutes
from comments import moderation
from comments.tests.factories import ArticleCommentFactory
from config.delivery import reader_script

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite_pass]

NOW = datetime(2026, 12, 7, 1, 48, tzinfo=UTC)  # 02:48 in Belgrade


@pytest.fixture
def clock():
    # Stopped: a change is then made a second later, as a cache generation is a moment.
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def header(page):
    return re.search(r'<header class="article__header">.*?</header>', page, re.DOTALL)[0]


def get(url):
    response = Client().get(url)
    assert response.status_code == 200
    return response.content.decode()


def header_of(article, script=reader_script.LATIN):
    return header(get(reader_script.path_in(script, article.get_absolute_url())))


@pytest.mark.parametrize(
    "age",
    [
        timedelta(0),
        timedelta(seconds=20),
        timedelta(minutes=1),
        timedelta(hours=2),
        timedelta(hours=5, minutes=59),
    ],
    ids=["now", "20-seconds", "1-minute", "2-hours", "almost-6-hours"],
)
def test_the_header_gives_the_date_and_time_even_for_fresh_news(clock, age):
    article = ArticleFactory(published_at=NOW - age)
    shown = header_of(article)
    moment = (NOW - age).astimezone(UTC) + timedelta(hours=1)  # Belgrade in December
    expected = f"7. decembar 2026. u {moment:%H:%M}" if moment.day == 7 else f"{moment.day}. decembar 2026."
    assert expected in shown
    for relative in ("upravo sada", "pre ", "minut", "sat"):
        assert relative not in shown.replace("čitanja", "")
    assert f'datetime="{(NOW - age).astimezone(UTC) + timedelta(hours=1):%Y-%m-%dT%H:%M:%S}+01:00"' in shown


def test_the_header_gives_the_date_in_cyrillic_on_cyrillic_pages(clock):
    article = ArticleFactory(published_at=NOW - timedelta(minutes=1))
    assert ">7. децембар 2026. у 02:47</time>" in header_of(article, reader_script.CYRILLIC)


@pytest.mark.parametrize(
    ("updated", "shown"),
    [
        (None, None),
        (timedelta(minutes=-5), None),  # before publication: an edit of the draft, not news
        (timedelta(0), None),
        (timedelta(minutes=30), "7. decembar 2026. u 02:18"),
        (timedelta(hours=2), "7. decembar 2026. u 03:48"),
    ],
    ids=["never", "before", "same-moment", "half-an-hour-later", "two-hours-later"],
)
def test_updated_is_shown_only_when_later_than_publication(clock, updated, shown):
    published = NOW - timedelta(hours=1)
    article = ArticleFactory(
        published_at=published, updated_at=None if updated is None else published + updated
    )
    text = header_of(article)
    if shown is None:
        assert "Ažurirano" not in text
    else:
        assert '<span class="article__updated">Ažurirano: <time datetime="' in text
        assert f">{shown}</time></span>" in text


def words(count):
    return " ".join(f"reč{n}" for n in range(count))


@pytest.mark.parametrize(
    ("body", "minutes"),
    [
        ("", 1),
        (f"<p>{words(199)}</p>", 1),
        (f"<p>{words(200)}</p>", 1),
        (f"<p>{words(201)}</p>", 2),
        (f"<p>{words(1000)}</p>", 5),
        (f"<p>{words(1001)}</p>", 6),
        # Markup, attributes and entities are not words; a tag between two words parts them.
        (
            f'<p lang="en" class="a b c d e f">{words(150)}</p>'
            + '<figure data-image-id="7"></figure>' * 100,
            1,
        ),
        ("<p>" + "<strong>reč</strong>&nbsp;" * 200 + "</p>", 1),
        ("<p>" + "reč<br>" * 201 + "</p>", 2),
    ],
    ids=["empty", "199", "200", "201", "1000", "1001", "markup-not-counted", "entities", "tag-parts-words"],
)
def test_reading_time_counts_the_words_of_the_text(body, minutes):
    assert reading_minutes(body) == minutes


def test_the_header_says_the_reading_time_in_serbian(clock):
    article = ArticleFactory(body=f"<p>{words(700)}</p>")
    assert '<span class="article__reading">4 min čitanja</span>' in header_of(article)
    assert '<span class="article__reading">4 мин читања</span>' in header_of(article, reader_script.CYRILLIC)


@pytest.mark.parametrize(
    ("count", "text"),
    [
        (1, "1 komentar"),
        (2, "2 komentara"),
        (4, "4 komentara"),
        (5, "5 komentara"),
        (11, "11 komentara"),
        (12, "12 komentara"),
        (21, "21 komentar"),
        (22, "22 komentara"),
        (111, "111 komentara"),
    ],
)
def test_the_comments_link_counts_in_serbian_plurals(clock, count, text):
    article = ArticleFactory(comment_count=count)
    assert f'<a class="article__comments-link" href="#komentari">{text}</a>' in header_of(article)


@pytest.mark.parametrize(
    ("enabled", "count", "link"),
    [
        (True, 0, "Komentariši"),
        (False, 0, None),  # nothing to read and nothing to write: no link
        (False, 3, "3 komentara"),  # closed, but the comments are still there to read
    ],
    ids=["open-none", "closed-none", "closed-some"],
)
def test_the_comments_link_without_comments_or_when_closed(clock, enabled, count, link):
    article = ArticleFactory(comments_enabled=enabled, comment_count=count)
    page = get(article.get_absolute_url())
    if link is None:
        assert "article__comments-link" not in header(page)
    else:
        assert f'<a class="article__comments-link" href="#komentari">{link}</a>' in header(page)
    assert 'id="komentari"' in page  # where the link leads is on the page


@pytest.mark.parametrize("page_cache", ["page-cache-on", "fragments-only"])
@pytest.mark.parametrize("script", [reader_script.LATIN, reader_script.CYRILLIC])
def test_the_count_in_the_header_is_fresh_after_a_comment_is_approved(clock, settings, page_cache, script):
    if page_cache == "fragments-only":
        settings.PAGE_CACHE_SECONDS = 0
    article = ArticleFactory()
    waiting = ArticleCommentFactory(article=article, is_public=False)
    link = {
        reader_script.LATIN: ("Komentariši", "1 komentar"),
        reader_script.CYRILLIC: ("Коментариши", "1 коментар"),
    }
    before, after = link[script]
    assert f'href="#komentari">{before}</a>' in header_of(article, script)
    assert f'href="#komentari">{before}</a>' in header_of(article, script)  # now kept
    clock.shift(timedelta(seconds=1))
    moderation.approve(waiting)
    assert f'href="#komentari">{after}</a>' in header_of(article, script)
    clock.shift(timedelta(seconds=1))
    moderation.reject(waiting, reason="uvreda")
    assert f'href="#komentari">{before}</a>' in header_of(article, script)


# Agency wording -------------------------------------------------------------------------------------------

BODY = (
    '<p>Ovo je vest iz grada, <span lang="en">Breaking News</span> i <span lang="en">Live updates</span>.</p>'
    '<p lang="en">Editorial statement as released</p>'
    "<p>Live updates bez oznake jezika.</p>"
)


@pytest.fixture
def agency_article(clock):
    image = ImageFactory(
        caption="Zgrada skupštine u Nišu",
        credit="EPA-EFE/KCNA",
        restriction=Image.Restriction.EDITORIAL,
        restriction_note="Uz obavezno navođenje agencije",
    )
    return ArticleFactory(title="Sednica skupštine uživo", hero_image=image, body=BODY)


def test_agency_wording_and_marked_foreign_text_stay_latin_on_cyrillic_pages(agency_article):
    page = get(reader_script.cyrillic_path(agency_article.get_absolute_url()))
    assert "Седница скупштине уживо" in page  # the rest of the page is Cyrillic
    assert '<span class="figure__restriction"><span lang="en">EDITORIAL USE ONLY</span> · ' in page
    assert "Уз обавезно навођење агенције</span>" in page  # our editors' note is Serbian: it changes script
    assert "Фото: EPA-EFE/KCNA" in page  # agencies: the editors' exceptions list keeps them
    assert (
        'Ово је вест из града, <span lang="en">Breaking News</span> и <span lang="en">Live updates</span>.'
        in page
    )
    assert '<p lang="en">Editorial statement as released</p>' in page
    assert "<p>Ливе упдатес без ознаке језика.</p>" in page  # unmarked, it is taken for Serbian


def test_a_reader_who_chose_cyrillic_by_cookie_gets_the_agency_wording_in_latin(agency_article):
    client = Client()
    client.cookies[reader_script.COOKIE_NAME] = reader_script.CYRILLIC
    response = client.get(agency_article.get_absolute_url(), follow=True)
    assert response.redirect_chain[-1][0] == reader_script.cyrillic_path(agency_article.get_absolute_url())
    page = response.content.decode()
    assert "Седница скупштине уживо" in page
    assert '<span lang="en">EDITORIAL USE ONLY</span>' in page
    assert '<span lang="en">Breaking News</span>' in page


def test_agency_wording_on_latin_pages_is_marked_too(agency_article):
    page = get(agency_article.get_absolute_url())
    assert (
        '<span class="figure__restriction"><span lang="en">EDITORIAL USE ONLY</span>'
        " · Uz obavezno navođenje agencije</span>" in page
    )


@pytest.mark.parametrize("script", [reader_script.LATIN, reader_script.CYRILLIC])
def test_every_language_mark_on_the_page_is_a_valid_language_tag(agency_article, script):
    page = get(reader_script.path_in(script, agency_article.get_absolute_url()))
    languages = re.findall(r'\slang="([^"]*)"', page)
    assert "en" in languages
    assert all(re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*", lang) for lang in languages), languages


@pytest.mark.parametrize(
    ("restriction", "note", "shown"),
    [
        (Image.Restriction.EDITORIAL, "", '<span lang="en">EDITORIAL USE ONLY</span>'),
        (Image.Restriction.THIS_ARTICLE, "", "Само за овај чланак"),
        (Image.Restriction.THIS_ARTICLE, "Ustupio organizator", "Само за овај чланак · Уступио организатор"),
        (Image.Restriction.NONE, "Ustupio organizator", "Уступио организатор"),
    ],
    ids=["editorial", "this-article", "this-article-with-note", "note-only"],
)
def test_each_restriction_under_a_photo_on_cyrillic_pages(clock, restriction, note, shown):
    image = ImageFactory(restriction=restriction, restriction_note=note)
    article = ArticleFactory(hero_image=image)
    page = get(reader_script.cyrillic_path(article.get_absolute_url()))
    assert f'<span class="figure__restriction">{shown}</span>' in page
