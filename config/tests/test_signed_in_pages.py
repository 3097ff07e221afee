"""No page the cache shares ever carries anything of a signed-in reader: not their name, address or comments
waiting for a moderator, whichever of the two asks for a page first, in either script.

A signed-in reader's page is made for them (their form, their pending comments) and kept by no cache; the
fragments it is made of are shared with everyone, so what is theirs stays outside every fragment.
"""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.test import Client

from articles.tests.test_page_cache_inputs import ROUTES, content, forget_every_page, url_of  # noqa: F401
from comments.models import ReaderProfile
from comments.tests.factories import ArticleCommentFactory

pytestmark = pytest.mark.django_db

NAME = "Vesna Tajić"
EMAIL = "vesna.tajic@example.org"
PENDING = "Ovaj komentar još čeka moderatora, broj 7341."


@pytest.fixture
def reader(content):  # noqa: F811
    user = get_user_model().objects.create_user("vesna", email=EMAIL)
    EmailAddress.objects.create(user=user, email=EMAIL, verified=True, primary=True)
    ReaderProfile.objects.create(user=user, display_name=NAME, name_key="vesnatajic")
    ArticleCommentFactory(
        article=content, user=user, user_name=NAME, user_email=EMAIL, comment=PENDING, is_public=False
    )
    client = Client()
    client.force_login(user)
    return client


def addresses(article):
    return [prefix + url_of(route, article) for prefix in ("", "/cir") for route in ROUTES]


def personal(body):
    text = body.decode(errors="replace")
    # Both scripts: a Cyrillic page writes the name in Cyrillic.
    return [
        marker for marker in (NAME, "Весна Тајић", EMAIL, PENDING[:30], "Овај коментар још") if marker in text
    ]


@pytest.mark.parametrize("first", ["signed-in reader", "anonymous reader"])
def test_no_shared_page_carries_anything_of_a_signed_in_reader(content, reader, first):  # noqa: F811
    forget_every_page()
    anonymous = Client()
    urls = addresses(content)
    if first == "anonymous reader":
        for url in urls:
            anonymous.get(url)
    for url in urls:
        reader.get(url)
    for url in urls:
        response = anonymous.get(url)
        assert personal(response.content) == [], url
    # The proof that the test can fail: the reader's own article page shows what is theirs, kept by no cache.
    for prefix in ("", "/cir"):
        own = reader.get(prefix + content.get_absolute_url())
        assert own.status_code == 200
        assert personal(own.content), "the signed-in reader's page shows nothing of theirs"
        assert "private" in own["Cache-Control"]
