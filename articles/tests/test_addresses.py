"""Articles' and sections' paths, reversed once per process, are exactly what reverse() says: in Latin, under
/cir/, under a deployment's script name, and for values the patterns refuse."""

import pytest
from django.test import override_settings
from django.urls import NoReverseMatch, get_script_prefix, reverse, set_script_prefix

from articles.addresses import ReversedPath
from articles.models import ARTICLE_PATH, SECTION_PATH, Article, Section
from articles.tests.factories import ArticleFactory, SectionFactory

PREFIXES = {
    "latin": "/",
    "cyrillic": "/cir/",
    "script-name": "/novine/",
    "script-name-cyrillic": "/novine/cir/",
}
ARTICLES = {
    "plain": {"section": "politika", "pk": 1, "slug": "vesti-dana"},
    "big-id": {"section": "sport", "pk": 999_999_999_999_999_999, "slug": "a"},
    "digits-everywhere": {"section": "2026", "pk": 7305916428, "slug": "73059164280"},
    "underscores-and-case": {"section": "Ekonomija_i-Biznis", "pk": 42, "slug": "Rast_BDP-a"},
}


@pytest.fixture
def prefix(request):
    before = get_script_prefix()
    set_script_prefix(PREFIXES[request.param])
    yield PREFIXES[request.param]
    set_script_prefix(before)


def article(**fields):
    return Article(pk=fields["pk"], slug=fields["slug"], section=Section(slug=fields["section"]))


@pytest.mark.parametrize("prefix", list(PREFIXES), ids=list(PREFIXES), indirect=True)
@pytest.mark.parametrize("fields", list(ARTICLES.values()), ids=list(ARTICLES))
def test_article_path_is_reverse(prefix, fields):
    expected = reverse("articles:article", kwargs=fields)
    assert expected.startswith(prefix)
    for _ in range(2):  # reversed, then remembered
        assert article(**fields).get_absolute_url() == expected


@pytest.mark.parametrize("prefix", list(PREFIXES), ids=list(PREFIXES), indirect=True)
@pytest.mark.parametrize("slug", ["politika", "crna-hronika", "2026", "a_b"])
def test_section_path_is_reverse(prefix, slug):
    expected = reverse("articles:section", kwargs={"slug": slug})
    assert expected.startswith(prefix)
    for _ in range(2):
        assert Section(slug=slug).get_absolute_url() == expected


def test_the_script_is_read_on_every_call():
    fields = ARTICLES["plain"]
    before = get_script_prefix()
    try:
        for prefix in ["/", "/cir/", "/", "/cir/"]:
            set_script_prefix(prefix)
            assert article(**fields).get_absolute_url() == f"{prefix}politika/1-vesti-dana/"
    finally:
        set_script_prefix(before)


REFUSED = {
    "empty-slug": {"section": "politika", "pk": 1, "slug": ""},
    "slash-in-slug": {"section": "politika", "pk": 1, "slug": "a/b"},
    "unicode-slug": {"section": "politika", "pk": 1, "slug": "vesti-čćž"},
    "space-in-section": {"section": "crna hronika", "pk": 1, "slug": "a"},
    "negative-id": {"section": "politika", "pk": -1, "slug": "a"},
    "id-too-long": {"section": "politika", "pk": 10**18, "slug": "a"},
    "query-in-slug": {"section": "politika", "pk": 1, "slug": "a?b=1"},
}


@pytest.mark.parametrize("fields", list(REFUSED.values()), ids=list(REFUSED))
def test_what_the_patterns_refuse_goes_through_reverse(fields):
    with pytest.raises(NoReverseMatch):
        reverse("articles:article", kwargs=fields)
    with pytest.raises(NoReverseMatch):
        ARTICLE_PATH(**fields)


@pytest.mark.parametrize("slug", ["", "a/b", "čitaonica", "a b", "../admin"])
def test_sections_the_pattern_refuses_go_through_reverse(slug):
    with pytest.raises(NoReverseMatch):
        SECTION_PATH(slug=slug)


urlpatterns_moved = "articles.tests.addresses_urls"


def test_a_changed_urlconf_is_followed():
    fields = ARTICLES["plain"]
    assert ARTICLE_PATH(**fields) == "/politika/1-vesti-dana/"
    with override_settings(ROOT_URLCONF=urlpatterns_moved):
        assert (
            ARTICLE_PATH(**fields)
            == reverse("articles:article", kwargs=fields)
            == "/vesti/politika/1-vesti-dana/"
        )
    assert ARTICLE_PATH(**fields) == "/politika/1-vesti-dana/"


def test_missing_or_extra_arguments_go_through_reverse():
    with pytest.raises(NoReverseMatch):
        ReversedPath("articles:section", "slug")(slug="a", page=2)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "order", [("/", "/cir/", "/"), ("/cir/", "/", "/cir/")], ids=["latin-first", "cyrillic-first"]
)
def test_front_pages_of_both_scripts_in_turn_link_in_their_own_script(client, order):
    story = ArticleFactory(section=SectionFactory(name="Društvo", slug="drustvo"), slug="setnja")
    for front in order:
        page = client.get(front).content.decode()
        link = f'href="{front}drustvo/{story.pk}-setnja/"'
        assert link in page
        assert f'href="{front}drustvo/"' in page
        other = "/" if front == "/cir/" else "/cir/"
        assert f'href="{other}drustvo/' not in page
