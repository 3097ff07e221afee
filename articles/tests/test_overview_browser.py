"""An editor on a phone goes from the admin index to the day overview and into a ready article."""

import pytest
from django.contrib.auth.models import Permission
from playwright.sync_api import expect

from articles.models import Article
from articles.tests.browser import sign_in
from articles.tests.factories import ArticleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def test_editor_opens_the_overview_from_the_index_and_a_ready_article_from_it(
    live_server, page, django_user_model
):
    editor = django_user_model.objects.create_user("urednica", password="lozinka-za-test-1", is_staff=True)
    # Permissions, not the "Urednici" group: an earlier transactional test may have flushed the groups away.
    editor.user_permissions.add(*Permission.objects.filter(content_type__app_label="articles"))
    ready = ArticleFactory(title="Repertoar za januar", status=Article.Status.READY, published_at=None)
    page.set_viewport_size(PHONE)

    sign_in(page, live_server.url, "urednica", "lozinka-za-test-1")
    page.locator(".overview-link").get_by_role("link", name="Urednički pregled").click()

    expect(page.get_by_role("heading", name="Spremno za objavu (1)")).to_be_visible()
    expect(page.get_by_text("Nemate nacrta.")).to_be_visible()
    # One column: nothing sticks out sideways on a phone.
    assert page.evaluate("document.querySelector('.overview').scrollWidth <= window.innerWidth")
    page.get_by_role("link", name="Repertoar za januar").click()

    expect(page).to_have_url(f"{live_server.url}/admin/articles/article/{ready.pk}/change/")
    expect(page.locator("#id_title")).to_have_value("Repertoar za januar")
