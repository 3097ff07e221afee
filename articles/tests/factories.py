import io
from datetime import timedelta

import factory
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image as PillowImage

from articles.models import Article, ArticleAuthor, Author, Gallery, GalleryItem, Image, Section, Tag


def jpeg_bytes(width=1200, height=800, color=(40, 90, 140)):
    buffer = io.BytesIO()
    PillowImage.new("RGB", (width, height), color).save(buffer, format="JPEG")
    return buffer.getvalue()


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Rubrika {n}")
    slug = factory.Sequence(lambda n: f"rubrika-{n}")


class AuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Author

    name = factory.Sequence(lambda n: f"Autorka Đurđević {n}")
    slug = factory.Sequence(lambda n: f"autorka-{n}")
    bio = "Novinarka koja piše o gradu."


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag

    name = factory.Sequence(lambda n: f"Tema {n}")
    slug = factory.Sequence(lambda n: f"tema-{n}")


class ImageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Image

    file = factory.LazyFunction(lambda: ContentFile(jpeg_bytes(), name="foto.jpg"))
    alt_text = factory.Sequence(lambda n: f"Pogled na reku u sumrak {n}")
    caption = "Most preko reke u sumrak"
    credit = "Čitaonica"


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article
        skip_postgeneration_save = True

    section = factory.SubFactory(SectionFactory)
    kicker = "Grad"
    title = factory.Sequence(lambda n: f"Gradsko veće usvojilo plan za nove biciklističke staze {n}")
    lead = "Odbornici su posle duge rasprave usvojili plan koji predviđa trideset kilometara staza."
    body = "<p>Prvi pasus teksta.</p><p>Drugi pasus sa „navodnicima“.</p>"
    status = Article.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))

    @factory.post_generation
    def authors(self, create, extracted, **kwargs):
        if create and extracted:
            ArticleAuthor.objects.bulk_create(
                ArticleAuthor(article=self, author=author, position=position)
                for position, author in enumerate(extracted)
            )

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.set(extracted)


def figure(image):
    """A library photo placed in an article's body, as the body editor stores it."""
    return f'<figure data-image-id="{image.pk}"></figure>'


class GalleryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Gallery
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Poplave u Obrenovcu {n}")

    @factory.post_generation
    def images(self, create, extracted, **kwargs):
        """``GalleryFactory(images=[photo, ...])`` puts the photos in the gallery in that order."""
        if create and extracted:
            GalleryItem.objects.bulk_create(
                GalleryItem(gallery=self, image=image, position=position)
                for position, image in enumerate(extracted)
            )


def gallery_figure(gallery):
    """A gallery placed in an article's body, as the body editor stores it."""
    return f'<figure data-gallery-id="{gallery.pk}"></figure>'
