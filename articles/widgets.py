"""Widgets of the article and photo forms."""

from django import forms
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe

from .models import Image
from .photo_picker import MAX_ID, photo_json, photo_warnings
from .renditions import CARD_CROP, COMPACT_CARD_CROP, SOCIAL_CROP, responsive_image, social_rendition


class LeadPhotoWidget(forms.TextInput):
    """The lead photo as the editor sees it: thumbnail, caption, credit, restriction, and a searchable picker.

    The value stays the photo's id in a plain input named like the field, so the form posts what it always
    did and, without JavaScript, the id can still be read and typed. The form sets ``article`` to the
    article being edited: the warnings cover the photos it already shows, between paragraphs too.
    """

    template_name = "admin/articles/widgets/lead_photo.html"
    article = None
    # What the picker is called, and what it says while no photo is chosen.
    group_label = "Glavna fotografija"
    empty_text = "Glavna fotografija nije izabrana."

    class Media:
        css = {"all": ["admin/css/library_photo.css"]}
        js = ["admin/js/photo_picker.js", "admin/js/lead_photo.js"]

    def __init__(self, attrs=None):
        super().__init__({"class": "lead-photo__id", "inputmode": "numeric", "size": 8, **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        chosen = _photo_id(value)
        article = self.article
        shown = [*(article.inline_image_ids() if article is not None else [])]
        ids = list(dict.fromkeys([*([chosen] if chosen else []), *(pk for pk in shown if pk <= MAX_ID)]))
        photos = Image.objects.in_bulk(ids) if ids else {}
        photo = photos.get(chosen)
        article_pk = article.pk if article is not None else None
        context["widget"].update(
            photo=photo_json(photo) if photo else None,
            missing_id=chosen if chosen and photo is None else None,
            warnings=photo_warnings([photos[pk] for pk in ids if pk in photos], article_pk),
            picker_url=reverse("admin:articles_image_picker"),
            article_pk=article_pk or "",
            group_label=self.group_label,
            empty_text=self.empty_text,
        )
        return context

    def render(self, name, value, attrs=None, renderer=None):
        # The project's templates, not the form renderer's (which sees only the apps' and Django's own).
        return mark_safe(render_to_string(self.template_name, self.get_context(name, value, attrs)))


def _photo_id(value):
    value = str(value or "").strip()
    if not (value.isascii() and value.isdigit() and len(value) <= 10):
        return None
    return int(value) if 0 < int(value) <= MAX_ID else None


FOCAL_INPUT_ATTRS = {"min": "0", "max": "1", "step": "0.001", "inputmode": "decimal"}

# The crops the focal point decides, as the photo form previews them.
FOCAL_PREVIEWS = [
    (CARD_CROP, "Kartica 16:10"),
    (COMPACT_CARD_CROP, "Mala kartica 4:3"),
    (SOCIAL_CROP, "Društvene mreže 1200×630"),
]


class FocalNumberInput(forms.NumberInput):
    """A focal point coordinate, a number from 0 to 1 that can be typed without JavaScript."""

    def __init__(self, attrs=None):
        super().__init__({**FOCAL_INPUT_ATTRS, **(attrs or {})})


class FocalPointWidget(FocalNumberInput):
    """The horizontal focal point's input under the photo, with the crops it gives.

    A click on the photo, or the arrow keys while it has the focus, set both this input and the vertical one
    (``vertical_name``) in static/admin/js/focal_point.js; without JavaScript both are typed. The previews
    are the real crops as saved; the script redraws them from the same rule as the point moves. The form
    sets ``image`` to the photo being edited.
    """

    template_name = "admin/articles/widgets/focal_point.html"
    image = None
    vertical_name = "focal_y"

    class Media:
        css = {"all": ["admin/css/focal_point.css"]}
        js = ["admin/js/focal_point.js"]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        image = self.image
        shown = image is not None and image.pk is not None and bool(image.file) and image.width > 0
        context["widget"].update(photo=None, previews=[], vertical_name=self.vertical_name)
        if shown:
            social = social_rendition(image)
            context["widget"].update(
                photo=responsive_image(image),
                # Where the saved point is drawn before the script runs, in the photo's pixels (SVG numbers,
                # never localized: "500,0" is no coordinate).
                x=str(round(image.focal_x * image.width, 1)),
                y=str(round(image.focal_y * image.height, 1)),
                radius=str(round(min(image.width, image.height) * 0.04, 1)),
                percent=round(image.focal_x * 100),
                previews=[
                    {
                        "crop": crop,
                        "label": label,
                        "url": social.url if crop is SOCIAL_CROP else responsive_image(image, crop).smallest,
                    }
                    for crop, label in FOCAL_PREVIEWS
                ],
            )
        return context

    def render(self, name, value, attrs=None, renderer=None):
        # The project's templates, not the form renderer's (which sees only the apps' and Django's own).
        return mark_safe(render_to_string(self.template_name, self.get_context(name, value, attrs)))


class GalleryPhotoWidget(forms.TextInput):
    """A gallery row's photo: thumbnail, library caption, credit and restriction, and the library's picker.

    Like ``LeadPhotoWidget``, the value is the photo's id in a plain input (typed without JavaScript). The
    formset sets ``photos`` (id to photo) for all its rows from one query; the widget makes none.
    """

    template_name = "admin/articles/widgets/gallery_photo.html"
    photos = {}

    class Media:
        css = {"all": ["admin/css/library_photo.css", "admin/css/gallery.css"]}
        js = ["admin/js/photo_picker.js", "admin/js/gallery_order.js"]

    def __init__(self, attrs=None):
        super().__init__({"class": "gallery-photo__id", "inputmode": "numeric", "size": 8, **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        chosen = _photo_id(value)
        photo = self.photos.get(chosen) if chosen else None
        context["widget"].update(
            photo=photo_json(photo) if photo else None,
            missing_id=chosen if chosen and photo is None else None,
            picker_url=reverse("admin:articles_image_picker"),
        )
        return context

    def render(self, name, value, attrs=None, renderer=None):
        return mark_safe(render_to_string(self.template_name, self.get_context(name, value, attrs)))
