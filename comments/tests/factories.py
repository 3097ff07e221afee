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
