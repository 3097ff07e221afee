"""The pages every daily must have: the impresum and the info pages (kontakt, uslovi, privatnost,
pristupačnost), edited by administrators, cached, in both scripts."""

import pytest
from django.test import Client
from django.urls import reverse

from articles import services
from articles.models import Impresum, InfoPage, SiteSettings

pytestmark = pytest.mark.django_db

IMPRESUM = "/admin/articles/impresum/"
FOOTER_LINKS = {
    "/impresum/": "Impresum",
    "/kontakt/": "Kontakt",
    "/uslovi-koriscenja/": "Uslovi korišćenja",
    "/privatnost/": "Privatnost",
    "/pristupacnost/": "Pristupačnost",
}


@pytest.fixture
def impresum():
    SiteSettings.get_solo()
    impresum = Impresum.get_solo()
    impresum.publisher = "Čitaonica medija d.o.o."
    impresum.address = "Knez Mihailova 1, Beograd"
    impresum.editor_in_chief = "Jovana Jovanović"
    impresum.registration_number = "NV000123"
    impresum.contact_email = "redakcija@citaonica.example"
    impresum.other_staff = "Zamenik urednika: Marko Marković\nFotografija: Ana Anić"
    services.save_shown(impresum)
    return impresum


def test_the_data_migration_made_the_four_pages_and_an_empty_impresum():
    assert set(InfoPage.objects.values_list("key", flat=True)) == set(InfoPage.Key.values)
    assert all(page.title and "<p>" in page.body for page in InfoPage.objects.all())
    impresum = Impresum.objects.get()
    assert impresum.publisher == impresum.editor_in_chief == impresum.registration_number == ""


def test_impresum_shows_each_filled_item_and_nothing_for_the_empty_ones(impresum):
    page = Client().get("/impresum/").content.decode()
    for text in [
        "Izdavač",
        "Čitaonica medija d.o.o.",
        "Adresa izdavača",
        "Glavni i odgovorni urednik",
        "Jovana Jovanović",
        "Broj u Registru medija",
        "NV000123",
        'href="mailto:redakcija@citaonica.example"',
        "Zamenik urednika:",
        "Ana Anić",
    ]:
        assert text in page
    assert "Telefon" not in page and "—</dd>" not in page


def test_an_unfilled_impresum_shows_no_empty_items():
    SiteSettings.get_solo()
    page = Client().get("/impresum/").content.decode()
    assert '<h1 class="site-page__title">Impresum</h1>' in page
    assert 'class="impresum"' not in page and "Izdavač</dt>" not in page


def test_impresum_in_cyrillic_keeps_the_email_and_the_register_number_as_written(impresum):
    impresum.registration_number = "NV 000123"  # letters apart: they read like a word
    services.save_shown(impresum)
    page = Client().get("/cir/impresum/").content.decode()
    assert "Издавач" in page and "Јована Јовановић" in page
    assert "redakcija@citaonica.example" in page
    assert "NV 000123" in page and "НВ" not in page  # a code in the register, not a Serbian word


def test_saving_the_impresum_in_the_admin_reaches_the_cached_page(admin_client, impresum):
    assert "Jovana Jovanović" in Client().get("/impresum/").content.decode()  # cached now
    form = admin_client.get(IMPRESUM).context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data["editor_in_chief"] = "Nikola Nikolić"
    response = admin_client.post(IMPRESUM, data)
    assert response.status_code == 302
    page = Client().get("/impresum/").content.decode()
    assert "Nikola Nikolić" in page and "Jovana Jovanović" not in page


def test_the_impresum_admin_says_what_the_law_requires_that_is_missing(admin_client):
    page = admin_client.get(IMPRESUM).content.decode()
    assert "Popunite: izdavač, adresa izdavača, glavni i odgovorni urednik, broj u Registru medija" in page
    assert "kontakt (e-pošta ili telefon)" in page


def test_bad_impresum_input_is_refused_in_serbian(admin_client, impresum):
    form = admin_client.get(IMPRESUM).context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    response = admin_client.post(IMPRESUM, {**data, "contact_email": "nije adresa", "publisher": "x" * 500})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Unesite ispravnu adresu e-pošte" in page or "ispravnu e-mail adresu" in page
    assert Impresum.objects.get().publisher == "Čitaonica medija d.o.o."


@pytest.mark.parametrize("prefix", ["", "/cir"], ids=["latin", "cyrillic"])
def test_info_pages_show_their_title_and_text(prefix):
    SiteSettings.get_solo()
    for page in InfoPage.objects.all():
        response = Client().get(prefix + page.get_absolute_url())
        assert response.status_code == 200
        if not prefix:
            assert f'<h1 class="site-page__title">{page.title}</h1>' in response.content.decode()
    assert (
        "Изјава о приступачности" in Client().get(prefix + "/pristupacnost/").content.decode() or not prefix
    )


def test_editing_an_info_page_reaches_the_cached_page_and_its_html_is_cleaned(admin_client):
    SiteSettings.get_solo()
    page = InfoPage.objects.get(key="kontakt")
    assert "Redakciji možete pisati" in Client().get("/kontakt/").content.decode()
    response = admin_client.post(
        reverse("admin:articles_infopage_change", args=[page.pk]),
        {"key": "privatnost", "title": "Pišite nam", "body": "<p>Telefon 011</p><script>alert(1)</script>"},
    )
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.key == "kontakt"  # the key is not editable once made
    html = Client().get("/kontakt/").content.decode()
    assert "Pišite nam" in html and "Telefon 011" in html and "alert(1)" not in html


def test_an_info_page_without_its_row_answers_404():
    SiteSettings.get_solo()
    InfoPage.objects.filter(key="privatnost").delete()
    assert Client().get("/privatnost/").status_code == 404
    assert Client().get("/cir/privatnost/").status_code == 404
    assert Client().get("/nepostojeca-stranica-sajta/").status_code == 404


def test_info_pages_cannot_be_deleted_even_by_administrators(admin_client):
    page = InfoPage.objects.get(key="kontakt")
    assert admin_client.get(reverse("admin:articles_infopage_delete", args=[page.pk])).status_code == 403


@pytest.mark.parametrize("client_fixture", ["editor_client", "moderator_client"])
def test_editors_and_moderators_cannot_change_the_pages(request, client_fixture):
    client = request.getfixturevalue(client_fixture)
    page = InfoPage.objects.get(key="kontakt")
    assert client.get(IMPRESUM).status_code == 403
    assert client.get(reverse("admin:articles_infopage_change", args=[page.pk])).status_code == 403
    response = client.post(
        reverse("admin:articles_infopage_change", args=[page.pk]), {"title": "X", "body": "Y"}
    )
    assert response.status_code == 403
    assert InfoPage.objects.get(key="kontakt").title == "Kontakt"


@pytest.mark.parametrize("prefix", ["", "/cir"], ids=["latin", "cyrillic"])
def test_the_footer_links_every_page(prefix):
    SiteSettings.get_solo()
    page = Client().get(prefix + "/").content.decode()
    footer = page[page.index('<footer class="site-footer">') :]
    for path in FOOTER_LINKS:
        assert f'href="{prefix}{path}"' in footer


def test_the_sitemap_index_lists_the_pages_sitemap_with_every_page(settings):
    settings.SITE_URL = "https://www.citaonica.example"
    SiteSettings.get_solo()
    index = Client().get("/sitemap.xml").content.decode()
    assert "https://www.citaonica.example/sitemap-stranice.xml" in index
    sitemap = Client().get("/sitemap-stranice.xml").content.decode()
    for path in FOOTER_LINKS:
        assert f"<loc>https://www.citaonica.example{path}</loc>" in sitemap


def test_a_section_cannot_take_a_page_s_address(admin_client):
    response = admin_client.post("/admin/articles/section/add/", {"name": "Kontakt", "slug": "kontakt"})
    assert response.status_code == 200
    assert "rezervisana" in response.content.decode()
