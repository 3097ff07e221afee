"""Widgets of the article form."""

from django import forms
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe

from .models import Image
from .photo_picker import MAX_ID, photo_json, photo_warnings


class LeadPhotoWidget(forms.TextInput):
    """The lead photo as the editor sees it: thumbnail, caption, credit, restriction, and a searchable picker.

    The value stays the photo's id in a plain input named like the field, so the form posts what it always
    did and, without JavaScript, the id can still be read and typed. The form sets ``article`` to the
    article being edited: the warnings cover the photos it already shows, between paragraphs too.
    """

    template_name = "admin/articles/widgets/lead_photo.html"
    article = None

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
