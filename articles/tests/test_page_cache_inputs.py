"""What of a request may shape a shared page: its path and the query parameters its view declares, no more.

Every cacheable page (every route whose view carries ``page_cache``) is asked with each input the cache key
leaves out; a plain request afterwards must get the very page it gets on a fresh cache. A host the site does
not serve is refused on a hit as on a miss; undeclared parameters make neither a copy nor a render.
"""

import difflib
import logging
from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache, caches
from django.test import Client, RequestFactory
from django.test.signals import template_rendered
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone
from django_ratelimit.core import is_ratelimited

from articles import views
from articles.models import ArticleNote, InfoPage, LiveEntry, SiteSettings
from comments.tests.factories import ArticleCommentFactory
from config.delivery import page_cache

from .factories import ArticleFactory, AuthorFactory, SectionFactory, TagFactory

pytestmark = pytest.mark.django_db

TEST_URLS = "articles.tests.page_cache_urls"
# Names of hosts no page may carry: everything absolute comes from DJANGO_SITE_URL.
FOREIGN_HOSTS = ("alt.example", "citaonica.rs", "8443", "testserver", "proxy.example")


def cacheable_routes(patterns=None, namespace=""):
    """The name of every route whose view is marked cacheable, from the URLconf itself."""
    found = set()
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            found |= cacheable_routes(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and hasattr(pattern.callback, "page_cache"):
            found.add(namespace + pattern.name)
    return found


@pytest.fixture
def content():
    """Demo content with something on every cacheable page: authors, a topic, comments, a section feed."""
    SiteSettings.get_solo()
    ensure_site_pages()
    section = SectionFactory(name="Sport", slug="sport")
    author = AuthorFactory(name="Jelena Marković", slug="jelena-markovic")
    tag = TagFactory(name="Fudbal", slug="fudbal")
    article = ArticleFactory(
        section=section, title="Derbi pred punim stadionom", authors=[author], tags=[tag], is_live_blog=True
    )
    LiveEntry.objects.create(article=article, text="Počelo je: prvo poluvreme bez golova.")
    ArticleNote.objects.create(article=article, kind=ArticleNote.Kind.CORRECTION, text="Derbi je u subotu.")
    ArticleFactory(section=section, title="Košarkaši dočekani na aerodromu", authors=[author], tags=[tag])
    ArticleCommentFactory(article=article, comment="Sjajna utakmica, čestitke obema ekipama.")
    return article


def ensure_site_pages():
    """The site's pages, made by a data migration; a transactional test may have flushed them away."""
    for key, title in InfoPage.Key.choices:
        body = f"<p>{title} redakcije.</p>"
        InfoPage.objects.get_or_create(key=key, defaults={"title": title, "body": body})


def url_of(route, article):
    """A real address for every cacheable route (a route missing here fails the coverage test)."""
    today = timezone.localdate(article.published_at)
    kwargs = {
        "articles:home": {},
        "articles:archive_today": {},
        "articles:archive_day": {"year": today.year, "month": today.month, "day": today.day},
        "articles:feed_rss": {},
        "articles:feed_atom": {},
        "articles:robots_txt": {},
        "articles:sitemap_index": {},
        "articles:sitemap_news": {},
        "articles:sitemap_section": {"section": "clanci"},
        "articles:author": {"slug": "jelena-markovic"},
        "articles:tag": {"slug": "fudbal"},
        "articles:section_feed_rss": {"section": "sport"},
        "articles:section_feed_atom": {"section": "sport"},
        "articles:article": {"section": "sport", "pk": article.pk, "slug": article.slug},
        "articles:article_without_slug": {"section": "sport", "pk": article.pk},
        "articles:section": {"slug": "sport"},
        "articles:live_entries": {"pk": article.pk},  # the fixtures' article is a live blog
        "articles:impresum": {},
        **{f"articles:info_{key.replace('-', '_')}": {} for key in InfoPage.Key.values},
    }
    return reverse(route, kwargs=kwargs[route])


ROUTES = sorted(cacheable_routes())
# Each input the page's key does not include, as Django's test client takes it.
VARIANTS = {
    "unusual-allowed-host": {"HTTP_HOST": "alt.example"},
    "allowed-host-with-port": {"HTTP_HOST": "citaonica.rs:8443"},
    "x-forwarded-host": {"HTTP_X_FORWARDED_HOST": "alt.example"},
    "x-forwarded-host-with-port": {"HTTP_X_FORWARDED_HOST": "citaonica.rs:8443"},
    "x-forwarded-proto": {"HTTP_X_FORWARDED_PROTO": "https"},
    "https": {"secure": True},
    "x-forwarded-for": {"HTTP_X_FORWARDED_FOR": "203.0.113.7, 198.51.100.2"},
    "forwarded": {"HTTP_FORWARDED": "for=203.0.113.7;host=proxy.example;proto=https"},
    "script-cookie-latin": {"cookies": {"pismo": "lat"}},
    "script-cookie-cyrillic": {"cookies": {"pismo": "cir"}},
    "script-cookie-garbage": {"cookies": {"pismo": "<script>"}},
    "accept-json": {"HTTP_ACCEPT": "application/json"},
    "accept-language-en": {"HTTP_ACCEPT_LANGUAGE": "en"},
    "undeclared-query-parameters": {"query": "utm_source=x&x=1&fbclid=abc"},
}


@pytest.fixture
def proxy_trusted(settings):
    """The most a deployment may trust of a proxy: X-Forwarded-Host and -Proto change what Django sees."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver", "alt.example", "citaonica.rs"]
    settings.USE_X_FORWARDED_HOST = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")


def fetch(url, variant=None):
    variant = dict(variant or {})
    client = Client()
    for name, value in variant.pop("cookies", {}).items():
        client.cookies[name] = value
    query = variant.pop("query", "")
    return client.get(f"{url}?{query}" if query else url, **variant)


def forget_every_page():
    page_cache.pages_cache().clear()
    page_cache.local_copies.clear()


def visible(response):
    """What a reader gets: status, body and the headers a cached copy repeats (request ids are not there)."""
    kept = {name: response[name] for name in page_cache.KEPT_HEADERS if response.has_header(name)}
    return response.status_code, kept, response.get("Location"), response.content


def differences(got, expected):
    """What differs, readably: headers and the changed lines of the body."""
    lines = difflib.unified_diff(
        expected[3].decode(errors="replace").splitlines(), got[3].decode(errors="replace").splitlines(), n=0
    )
    return [got[:3], expected[:3], *list(lines)[:20]]


@pytest.mark.usefixtures("proxy_trusted")
@pytest.mark.parametrize("route", ROUTES)
def test_no_request_input_outside_the_key_changes_a_shared_page(content, route, caplog):
    url = url_of(route, content)
    fetch(url)  # makes what the page reads on first use (singletons), which renews every page
    with time_machine.travel(timezone.now() + timedelta(seconds=1), tick=False):
        forget_every_page()
        reference = visible(fetch(url))
        assert reference[0] in (200, 301, 302), route
        assert not any(host.encode() in reference[3] for host in FOREIGN_HOSTS), route
        with caplog.at_level(logging.ERROR, logger="config.delivery.page_cache"):
            for name, variant in VARIANTS.items():
                forget_every_page()
                own = fetch(url, variant)
                assert own.status_code < 400, (route, name)
                leaked = [host for host in FOREIGN_HOSTS if host.encode() in own.content]
                assert not leaked, (route, name, leaked)
                for _ in range(2):  # made, then from the cache
                    plain = visible(fetch(url))
                    assert plain == reference, (route, name, differences(plain, reference))
        assert not [
            record.getMessage() for record in caplog.records if record.name == "config.delivery.page_cache"
        ]


def test_every_cacheable_route_is_asked_for(content):
    """A new cacheable view must be given an address above, or the test before cannot cover it."""
    assert ROUTES
    for route in ROUTES:
        assert url_of(route, content)


REFUSED_HOSTS = {
    "foreign-host": "evil.example",
    "foreign-host-with-port": "evil.example:8000",
    "allowed-as-prefix": "127.0.0.1.evil.example",
    "allowed-as-suffix": "evil127.0.0.1",
    "userinfo": "127.0.0.1@evil.example",
    "malformed": "127.0.0.1:80:80",
    "underscore": "evil_host.example",
    "empty-port": "evil.example:",
}


@pytest.mark.parametrize("host", REFUSED_HOSTS.values(), ids=REFUSED_HOSTS.keys())
@pytest.mark.parametrize("route", ["articles:home", "articles:article", "articles:feed_rss"])
def test_a_host_the_site_does_not_serve_is_refused_on_a_hit_as_on_a_miss(content, settings, route, host):
    url = url_of(route, content)
    settings.PAGE_CACHE_SECONDS = 0
    without_cache = Client().get(url, HTTP_HOST=host)
    settings.PAGE_CACHE_SECONDS = 60
    fetch(url)
    fetch(url)  # the first answer may have made what the page reads (a change): the second is kept
    assert fetch(url).page_cache_hit
    refused = Client().get(url, HTTP_HOST=host)
    assert refused.status_code == without_cache.status_code == 400
    assert refused.content == without_cache.content
    assert "Neispravan zahtev" in refused.content.decode()
    assert not getattr(refused, "page_cache_hit", None)


def test_a_disallowed_forwarded_host_is_refused_on_a_hit(content, settings):
    settings.USE_X_FORWARDED_HOST = True
    url = content.get_absolute_url()
    fetch(url)
    fetch(url)
    assert fetch(url).page_cache_hit
    refused = Client().get(url, HTTP_X_FORWARDED_HOST="evil.example")
    assert refused.status_code == 400 and "Neispravan zahtev" in refused.content.decode()


@pytest.fixture
def renders():
    """Templates rendered, by name: a page answered from the cache renders none."""
    made = []

    def note(sender, template, **kwargs):
        made.append(template.name)

    template_rendered.connect(note)
    yield made
    template_rendered.disconnect(note)


def stored_pages():
    return [key for key in page_cache.pages_cache()._cache if page_cache.KEY_PREFIX in key]


FLOODS = {
    "unknown-parameter": "x={n}",
    "tracking-parameters": "utm_source=n{n}&utm_medium=e&fbclid={n}",
    "unknown-beside-page-one": "page=1&x={n}",
    "empty-page": "page=&x={n}",
    "page-not-a-number": "page=n{n}",
    "page-zero-padded-one": "page={zeros}1",
    "name-in-other-case": "PAGE={n}",
    "overlong-page": "page=9999999{n}",
}


@pytest.mark.parametrize("query", FLOODS.values(), ids=FLOODS.keys())
def test_undeclared_or_meaningless_parameters_make_neither_a_copy_nor_a_render(content, renders, query):
    forget_every_page()
    url = reverse("articles:section", kwargs={"slug": "sport"})
    answers = [Client().get(f"{url}?{query.format(n=n, zeros='0' * (n % 5))}") for n in range(100)]
    assert {answer.status_code for answer in answers} == {200}
    assert renders.count("articles/section_detail.html") == 1
    assert len(stored_pages()) == 1
    assert sum(1 for answer in answers if getattr(answer, "page_cache_hit", None)) == 99
    assert len({answer.content for answer in answers}) == 1


ARTICLE_FLOODS = {
    "unknown-ordering": "redosled=n{n}",
    "ordering-default-in-any-case": "redosled={case}",
    "comment-page-not-a-number": "komentari=n{n}",
    "comment-page-one-zero-padded": "komentari={zeros}1",
    "reply-to-not-an-id": "odgovor=x{n}",
    "tracking-parameters": "utm_campaign={n}&gclid={n}",
}


@pytest.mark.parametrize("query", ARTICLE_FLOODS.values(), ids=ARTICLE_FLOODS.keys())
def test_an_article_flooded_with_meaningless_comment_parameters_is_made_once(content, renders, query):
    url = content.get_absolute_url()
    Client().get(url)  # the first request may make what the page reads, which renews every page
    forget_every_page()
    del renders[:]
    cases = ["najstarije", "NAJSTARIJE", "Najstarije", " najstarije "]
    answers = [
        Client().get(f"{url}?{query.format(n=n, zeros='0' * (n % 5), case=cases[n % 4])}") for n in range(30)
    ]
    assert {answer.status_code for answer in answers} == {200}
    assert renders.count("articles/article_detail.html") == 1
    assert len(stored_pages()) == 1


SAME_PAGE = {
    "order": ("strana=2&redosled=najstariji", "redosled=najstariji&strana=2"),
    "repeated-last-wins": ("strana=1&strana=2", "strana=2"),
    "repeated-empty-ignored": ("strana=2&strana=", "strana=2"),
    "zero-padded": ("strana=002", "strana=2"),
    "empty-dropped": ("strana=2&redosled=", "strana=2"),
    "undeclared-dropped": ("strana=2&x=1", "strana=2"),
    "first-page-is-no-page": ("strana=1", ""),
    "case-folded": ("redosled=NAJSTARIJI", "redosled=najstariji"),
    "unknown-choice-is-default": ("redosled=najgori", ""),
    "whitespace": ("strana=%202%20", "strana=2"),
}


@pytest.mark.parametrize(("asked", "same_as"), SAME_PAGE.values(), ids=SAME_PAGE.keys())
def test_declared_parameters_are_normalised_for_the_key_and_the_view(settings, asked, same_as):
    settings.ROOT_URLCONF = TEST_URLS
    first = Client().get(f"/parametri/?{same_as}")
    second = Client().get(f"/parametri/?{asked}")
    assert second.page_cache_hit and second.content == first.content
    assert len(stored_pages()) == 1


def test_different_declared_values_are_different_pages(settings):
    settings.ROOT_URLCONF = TEST_URLS
    pages = {Client().get(f"/parametri/?strana={number}").content for number in (2, 3)}
    assert len(pages) == 2 and len(stored_pages()) == 2


def test_a_view_reading_an_undeclared_parameter_is_reported(settings, caplog):
    settings.ROOT_URLCONF = TEST_URLS
    with caplog.at_level(logging.ERROR, logger="config.delivery.page_cache"):
        page = Client().get("/nedeklarisan/?redosled=najstariji")
    assert "najstariji" not in page.content.decode()  # it is not handed to the view
    assert any("'redosled'" in record.getMessage() for record in caplog.records)
    settings.DEBUG = True
    forget_every_page()
    with pytest.raises(Exception, match="does not declare"):
        Client(raise_request_exception=True).get("/nedeklarisan/")


def test_a_response_that_sets_a_cookie_is_not_stored(settings):
    settings.ROOT_URLCONF = TEST_URLS
    for _ in range(3):
        page = Client().get("/kolacic/")
        assert page.cookies["posetilac"].value == "1"  # every reader gets the cookie: made each time
        assert not getattr(page, "page_cache_hit", None)
    assert stored_pages() == []


def test_a_flood_of_pages_evicts_only_pages(content, settings, monkeypatch):
    """Pages live in a cache that evicts; generations and rate-limit counts in one that does not."""
    monkeypatch.setattr(views, "LISTING_PAGE_SIZE", 1)
    ArticleFactory.create_batch(38, section=content.section)
    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "flooded-pages",
            "OPTIONS": {"MAX_ENTRIES": 5},
        },
    }
    url = content.get_absolute_url()
    Client().get(url)
    generations = cache.get_many([page_cache.GENERATION_PREFIX + scope for scope in ("site", "comments")])
    assert generations

    def limited():
        request = RequestFactory().get("/")
        return is_ratelimited(request, group="flood", key=lambda *args: "one", rate="3/h", increment=True)

    assert [limited(), limited()] == [False, False]
    for number in range(2, 40):  # every address a real, declared page
        assert Client().get(f"/sport/?page={number}").status_code == 200
    assert len(caches["pages"]._cache) <= 5  # pages were evicted
    assert cache.get_many(list(generations)) == generations
    assert [limited(), limited()] == [False, True]  # the count went on from 2


@pytest.mark.parametrize("query", ["p=1", "p=01", "p=%201", "p=1&x=2", "p=&p=1"])
def test_the_sitemaps_first_page_has_one_copy_however_it_is_asked(content, query):
    url = reverse("articles:sitemap_section", kwargs={"section": "clanci"})
    Client().get(url)  # the first request may make what the page reads, which renews every page
    made = Client().get(url)
    asked = Client().get(f"{url}?{query}")
    assert asked.page_cache_hit and asked.content == made.content
    assert Client().get(f"{url}?p=abc").status_code == 404  # a page it lacks is still refused


def test_the_article_page_declares_every_parameter_of_the_comments_section(content):
    """articles cannot import comments: the section registers the parameters it reads, and the page declares
    them; every ordering the section knows is one of them, the default one dropped."""
    from comments.selectors import DEFAULT_ORDERING, ORDERINGS, SECTION_PARAMS

    declared = resolve(content.get_absolute_url()).func.page_cache.params
    assert set(SECTION_PARAMS) <= set(declared)
    ordering = next(param for param in declared if param.name == "redosled")
    assert {name for name in ORDERINGS if ordering.normalise(name)} == set(ORDERINGS) - {DEFAULT_ORDERING}
    assert ordering.normalise(DEFAULT_ORDERING) == ""


@pytest.mark.parametrize("listing", ["/sport/", "/autor/jelena-markovic/", "/tema/fudbal/", "ARCHIVE"])
def test_page_numbers_past_the_last_page_are_not_found_and_never_stored(content, listing):
    """Declared page numbers cannot flood the cache either: past the last page there is no page to keep."""
    if listing == "ARCHIVE":
        day = timezone.localdate(content.published_at)
        listing = f"/arhiva/{day:%Y/%m/%d}/"
    assert Client().get(listing).status_code == 200
    entries = len(stored_pages())
    for number in (2, 3, 99, 12345, 99999):
        response = Client().get(f"{listing}?page={number}")
        assert response.status_code == 404
        assert 'lang="sr-Latn"' in response.content.decode()  # the site's own Serbian 404 page
    assert len(stored_pages()) == entries
