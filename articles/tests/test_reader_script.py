"""Both scripts: every page at a Latin and a Cyrillic address, the switch, the remembered choice."""

import re

import pytest

from articles.tests.factories import ArticleFactory, ImageFactory, SectionFactory

pytestmark = pytest.mark.django_db

SITE = "https://citaonica.example"
LATIN_LETTERS = re.compile(r"[A-Za-zČĆŽŠĐčćžšđ]")


@pytest.fixture(autouse=True)
def public_origin(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def article():
    return ArticleFactory(
        section=SectionFactory(name="Društvo", slug="drustvo"),
        title="Džon i Ljiljana šetaju uz Dunav",
        lead="Njihova šetnja počinje kod Đačkog parka.",
        hero_image=ImageFactory(caption="Šetalište pored reke", credit="EPA-EFE", alt_text="Ljudi na keju"),
    )


def visible_text(html):
    html = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", html)
    return re.sub(r"<[^>]+>", " ", html)


def test_cyrillic_address_shows_the_page_in_cyrillic(client, article):
    response = client.get("/cir" + article.get_absolute_url())
    page = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="sr-Cyrl">' in page
    assert "Џон и Љиљана шетају уз Дунав" in page
    assert "Њихова шетња почиње код Ђачког парка." in page
    assert "Шеталиште поред реке" in page and 'alt="Људи на кеју"' in page
    assert "EPA-EFE" in page  # an agency's name stays as written
    assert response["Content-Language"] == "sr-Cyrl"


def test_links_on_a_cyrillic_page_keep_the_reader_in_cyrillic(client, article):
    page = client.get("/cir/").content.decode()
    assert f'href="/cir{article.get_absolute_url()}"' in page
    assert 'href="/cir/drustvo/"' in page
    assert 'action="/cir/pretraga/"' in page
    # Slugs stay ASCII Latin in both scripts.
    assert "/cir/drustvo/" in page and "/cir/друштво/" not in page


def test_latin_page_stays_latin_and_says_so(client, article):
    response = client.get(article.get_absolute_url())
    page = response.content.decode()
    assert '<html lang="sr-Latn">' in page
    assert "Džon i Ljiljana šetaju uz Dunav" in page
    assert response["Content-Language"] == "sr-Latn"


def test_text_written_in_cyrillic_is_shown_in_latin_to_latin_readers(client):
    cyrillic = ArticleFactory(title="Ђоковић освојио турнир у Шапцу", lead="Њега су поздравили навијачи.")
    latin_page = client.get(cyrillic.get_absolute_url()).content.decode()
    assert "Đoković osvojio turnir u Šapcu" in latin_page
    assert "Ђоковић" not in latin_page
    cyrillic_page = client.get("/cir" + cyrillic.get_absolute_url()).content.decode()
    assert "Ђоковић освојио турнир у Шапцу" in cyrillic_page
    assert cyrillic.slug == "djokovic-osvojio-turnir-u-sapcu"


def test_each_script_links_the_other_with_hreflang_and_its_own_canonical(client, article):
    url = article.get_absolute_url()
    for path in (url, "/cir" + url):
        page = client.get(path).content.decode()
        assert f'<link rel="canonical" href="{SITE}{path}">' in page
        assert f'<link rel="alternate" hreflang="sr-Latn" href="{SITE}{url}">' in page
        assert f'<link rel="alternate" hreflang="sr-Cyrl" href="{SITE}/cir{url}">' in page
        assert f'<link rel="alternate" hreflang="x-default" href="{SITE}{url}">' in page


def test_switch_keeps_the_page_and_remembers_the_choice(client, article):
    url = article.get_absolute_url()
    page = client.get(url).content.decode()
    switch = re.search(r'href="([^"]+)" hreflang="sr-Cyrl"', page).group(1)
    response = client.get(switch.replace("&amp;", "&"))
    assert response.status_code == 302 and response["Location"] == "/cir" + url
    assert response.cookies["pismo"].value == "cir"

    # Later, a Latin link (a search engine, a shared link) brings the reader to the Cyrillic page.
    response = client.get("/drustvo/", {"page": "2"})
    assert response.status_code == 302 and response["Location"] == "/cir/drustvo/?page=2"

    back = re.search(r'href="([^"]+)" hreflang="sr-Latn"', client.get("/cir" + url).content.decode())
    response = client.get(back.group(1).replace("&amp;", "&"))
    assert response.status_code == 302 and response["Location"] == url
    assert response.cookies["pismo"].value == "lat"
    assert client.get(url).status_code == 200


def test_switch_never_leaves_the_site(client):
    for target in ("https://primer.example/", "//primer.example/", "javascript:alert(1)"):
        response = client.get("/pismo/cir/", {"next": target})
        assert response.status_code == 302 and response["Location"] == "/cir/"


def test_unknown_script_is_not_found(client):
    assert client.get("/pismo/grc/").status_code == 404


def test_newsroom_has_no_cyrillic_twin(client):
    response = client.get("/cir/admin/", {"next": "/admin/articles/"})
    assert response.status_code == 302 and response["Location"] == "/admin/?next=%2Fadmin%2Farticles%2F"


def test_a_latin_page_varies_on_the_choice_cookie(client, article):
    assert "Cookie" in client.get(article.get_absolute_url())["Vary"]


def test_cyrillic_not_found_page_is_in_cyrillic(client):
    response = client.get("/cir/nema-ove-stranice/")
    assert response.status_code == 404
    assert "Страница није пронађена" in response.content.decode()


def test_cyrillic_search_finds_latin_articles_and_the_reverse(client):
    ArticleFactory(title="Pozorište u Šapcu otvara sezonu")
    ArticleFactory(title="Позориште у Нишу затвара сезону")
    latin_query = client.get("/cir/pretraga/", {"q": "pozoriste"}).content.decode()
    assert "Позориште у Шапцу отвара сезону" in latin_query and "Позориште у Нишу" in latin_query
    cyrillic_query = client.get("/pretraga/", {"q": "позориште шапцу"}).content.decode()
    assert "Pozorište u Šapcu otvara sezonu" in cyrillic_query and "Nišu" not in cyrillic_query


@pytest.mark.usefixtures("uncached_pages")
def test_a_cyrillic_page_reads_the_exceptions_list_once_even_with_no_cache(client, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    article = ArticleFactory(title="Džudo klub slavi", lead="Trener Ljubiša i đaci", tags=[])
    counts = {}
    for script, url in (("lat", article.get_absolute_url()), ("cir", "/cir" + article.get_absolute_url())):
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts[script] = len(queries)
    assert counts["cir"] <= counts["lat"] + 1
