"""Galleries as readers see them: each with its photos in order, read in one query for a whole page."""

from dataclasses import dataclass

from .models import Gallery, GalleryItem, Image


@dataclass(frozen=True)
class ShownGallery:
    gallery: Gallery
    items: list

    @property
    def title(self):
        return self.gallery.title


def shown_galleries(gallery_ids):
    """The galleries (ids) that have photos, by id, with items and photos: one query, none for no ids."""
    if not gallery_ids:
        return {}
    items = GalleryItem.objects.filter(gallery_id__in=gallery_ids).select_related("gallery", "image")
    shown = {}
    for item in items.order_by("gallery_id", "position", "pk"):
        shown.setdefault(item.gallery_id, ShownGallery(item.gallery, [])).items.append(item)
    return shown


def is_shareable(photo):
    """Whether a photo may stand for an article elsewhere (feeds, link previews, search engines): only a
    photo without any restriction; "editorial use only" and "this article only" both forbid it."""
    return photo is not None and photo.restriction == Image.Restriction.NONE and not photo.restriction_note


def attach_social_photos(articles):
    """Gives each article its ``social_photo``: its hero photo if shareable, else the first shareable photo of
    its lead gallery, else None. One query at most, for all of them."""
    wanted = {a.lead_gallery_id for a in articles if a.lead_gallery_id and not is_shareable(a.hero_image)}
    firsts = {}
    if wanted:
        free = {"image__restriction": Image.Restriction.NONE, "image__restriction_note": ""}
        items = GalleryItem.objects.filter(gallery_id__in=wanted, **free)
        for item in items.select_related("image").order_by("gallery_id", "position", "pk"):
            firsts.setdefault(item.gallery_id, item.image)
    for article in articles:
        hero = article.hero_image
        article._social_photo = hero if is_shareable(hero) else firsts.get(article.lead_gallery_id)
    return articles


def social_photo(article):
    """The photo that stands for ``article`` outside its page (see ``attach_social_photos``)."""
    if not hasattr(article, "_social_photo"):
        attach_social_photos([article])
    return article._social_photo
