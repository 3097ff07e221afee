import factory
from django.contrib.contenttypes.models import ContentType

from articles.models import Article
from articles.tests.factories import ArticleFactory
from comments.models import ArticleComment


class ArticleCommentFactory(factory.django.DjangoModelFactory):
    """A comment stored the way the form stores it; ``parent`` makes it a reply (threading by the package)."""

    class Meta:
        model = ArticleComment
        exclude = ["parent"]

    article = factory.SubFactory(ArticleFactory)
    parent = None
    content_type = factory.LazyFunction(lambda: ContentType.objects.get_for_model(Article))
    object_pk = factory.LazyAttribute(lambda comment: str(comment.article.pk))
    site_id = 1
    user_name = factory.Sequence(lambda n: f"Čitalac Đurić {n}")
    user_email = factory.Sequence(lambda n: f"citalac{n}@example.org")
    comment = factory.Sequence(lambda n: f"Komentar broj {n} o ovoj temi.")
    ip_address = "198.51.100.23"
    is_public = True
    parent_id = factory.LazyAttribute(lambda comment: comment.parent.pk if comment.parent else 0)


def signed_in_reader(name="Jelena Marković", email=None, *, verified=True, profile=True):
    """A reader with an account, as comments/accounts.py makes one: a non-staff user, their primary e-mail
    address in allauth (verified unless ``verified=False``) and a reader profile (unless ``profile=False``).
    Sign them in with ``client.force_login(user)``."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model

    from comments.display_names import name_key
    from comments.models import ReaderProfile

    email = email or f"{name.split()[0].lower()}.{get_user_model().objects.count()}@example.org"
    user = get_user_model().objects.create_user(username=email, email=email)
    EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
    if profile:
        ReaderProfile.objects.create(user=user, display_name=name, name_key=name_key(name))
    return user


def signed_in_client(user):
    """A browser of ``user``'s, signed in."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client
