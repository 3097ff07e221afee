"""What the article form's photo pickers see: library photos as JSON, and warnings about restricted photos.

The body editor and the lead-photo picker ask the same endpoint (``ImageAdmin.picker_view``): by words typed
into the search, or by ids for the photos already in the form. Each photo comes with its thumbnail, caption,
credit, alt text, usage restriction and, for a restricted one, the warning the form shows when it is used.
"""

import re

from django import forms

from .models import Article, Image
from .renditions import responsive_image

SEARCH_RESULTS = 20
MAX_IDS = 50  # more photos than any article has; the rest of a longer list is not answered
MAX_IDS_LENGTH = 1000
MAX_ID = 2**31 - 1  # the largest id the database can hold
_ID = re.compile(r"[0-9]{1,10}")


class PhotoIdsField(forms.CharField):
    """Comma-separated photo ids: what is not an id is skipped, a list with no id at all is refused."""

    default_error_messages = {
        "invalid": "Spisak fotografija nije ispravan: očekuju se brojevi odvojeni zarezom."
    }

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return []
        if len(value) > MAX_IDS_LENGTH:
            raise forms.ValidationError("Spisak fotografija je predugačak.", code="max_length")
        ids = [int(token) for token in value.split(",") if _ID.fullmatch(token.strip())]
        ids = list(dict.fromkeys(pk for pk in ids if 0 < pk <= MAX_ID))
        if not ids:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return ids[:MAX_IDS]


class PhotoPickerForm(forms.Form):
    """The picker's query string: search words or ids, and the article being edited (for the warnings)."""

    q = forms.CharField(required=False)
    ids = PhotoIdsField(required=False)
    article = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        error_messages={"invalid": "Broj članka nije ispravan."},
    )

    def photos(self, search):
        """Described photos asked for: with the given ids (in that order), else the search's newest."""
        ids = self.cleaned_data["ids"]
        if ids:
            found = Image.objects.described().in_bulk(ids)
            return [found[pk] for pk in ids if pk in found]
        return list(search(self.cleaned_data["q"][:100])[:SEARCH_RESULTS])


def other_articles_using(images, article_pk=None):
    """For each photo licensed for one article only: the title of another article that already shows it."""
    ids = [image.pk for image in images if image.restriction == Image.Restriction.THIS_ARTICLE]
    if not ids:
        return {}
    articles = (
        Article.objects.using_any_image(ids)
        .exclude(pk=article_pk)
        .order_by("-published_at", "-pk")
        .only("title", "body", "hero_image_id")
    )
    used = {}
    for article in articles:
        for pk in ids:
            if pk not in used and (article.hero_image_id == pk or f'data-image-id="{pk}"' in article.body):
                used[pk] = article.title
    return used


def restriction_warning(image, used_in=None):
    """What the form says when this photo is used, or "" for a photo anyone may use anywhere."""
    if image.restriction == Image.Restriction.EDITORIAL:
        return (
            f"Fotografija „{image}“ je samo za uredničku upotrebu: "
            "ne ide u društvene mreže ni na naslovnu kao reklama."
        )
    if image.restriction == Image.Restriction.THIS_ARTICLE and used_in:
        return f"Fotografija „{image}“ sme u samo jedan članak; već je u članku „{used_in}“."
    return ""


def photo_warnings(images, article_pk=None):
    """The warnings for these photos, one per restricted photo, in their order."""
    used = other_articles_using(images, article_pk)
    warnings = (restriction_warning(image, used.get(image.pk)) for image in images)
    return list(dict.fromkeys(warning for warning in warnings if warning))


def photo_json(image, warning=""):
    label = image.get_restriction_display() if image.restriction else ""
    return {
        "id": image.pk,
        "text": str(image),
        "caption": image.caption,
        "credit": image.credit,
        "alt": image.alt_text,
        "thumb": responsive_image(image).smallest,
        "restriction": {
            "code": image.restriction,
            "label": label,
            "note": image.restriction_note,
            # As the form shows it: the label and the library's note on the photo's use.
            "text": " · ".join(part for part in [label, image.restriction_note] if part),
        },
        "warning": warning,
    }


def picker_json(images, article_pk=None):
    used = other_articles_using(images, article_pk)
    return {
        "results": [photo_json(image, restriction_warning(image, used.get(image.pk))) for image in images]
    }
