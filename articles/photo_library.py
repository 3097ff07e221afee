"""The photo library's bulk work: files uploaded one per request, then one screen to describe the batch.

Each uploaded file is checked by ``prepare_photo`` exactly as the single-photo form checks it, and stored at
once as a photo awaiting its description (``Image.awaiting_details``): no article may use it until the
details screen (or the photo's own form) gives it its alt text.
"""

import re

from django import forms
from django.forms import modelformset_factory

from . import services
from .models import Image
from .renditions import generate_renditions, responsive_image
from .uploads import UploadRefused, prepare_photo

# What the file picker offers; the server still judges each file by its content (``prepare_photo``).
ACCEPT = "image/jpeg,image/png,image/webp,image/gif,.jpg,.jpeg,.png,.webp,.gif"
MAX_BATCH = 100  # photos on one details screen; a longer batch is described in several
MAX_IDS_LENGTH = 1100  # a hundred ten-digit ids and their commas
MAX_ID = 2**31 - 1
_IDS = re.compile(r"[0-9]{1,10}(,[0-9]{1,10})*")

NO_FILE = "Pošaljite jednu fotografiju po zahtevu."
BAD_IDS = "Spisak fotografija nije ispravan: očekuju se brojevi odvojeni zarezom."
TOO_MANY = f"Odjednom se opisuje najviše {MAX_BATCH} fotografija."
NO_IDS = "Nije izabrana nijedna fotografija za opis."
CHANGED = "Spisak fotografija u obrascu je izmenjen; otvorite ekran za opis ponovo."
MISSING = "Neke od traženih fotografija ne postoje u biblioteci (obrisane su ili broj nije tačan)."


class BatchRefused(ValueError):
    """A details screen that cannot be shown: the message says why, with the HTTP status that goes with it."""

    def __init__(self, message, status=400):
        super().__init__(message)
        self.status = status


def store_upload(uploaded_file, user):
    """A bulk-uploaded file checked and stored as a photo awaiting details; ``UploadRefused`` if not."""
    prepared = prepare_photo(uploaded_file)
    image = Image(file=prepared, alt_text="", awaiting_details=True, uploaded_by=user)
    services.store_awaiting_photo(image)
    generate_renditions(image)  # now, as after the single-photo form, so the details screen shows it at once
    return image


def upload_json(image):
    return {
        "id": image.pk,
        "thumb": responsive_image(image).smallest,
        "width": image.width,
        "height": image.height,
    }


def upload_result(uploaded_file, user):
    """What the bulk upload page shows for one file: (stored photo or None, reason it was refused or "")."""
    try:
        return store_upload(uploaded_file, user), ""
    except UploadRefused as refusal:
        return None, str(refusal)


def batch_ids(value):
    """The ids of ``?ids=1,2,3`` in order, without repeats; ``BatchRefused`` for a list that is not one."""
    value = (value or "").strip()
    if not value:
        raise BatchRefused(NO_IDS)
    if len(value) > MAX_IDS_LENGTH or not value.isascii() or not _IDS.fullmatch(value):
        raise BatchRefused(TOO_MANY if value.count(",") >= MAX_BATCH else BAD_IDS)
    ids = list(dict.fromkeys(int(token) for token in value.split(",")))
    if any(not 0 < pk <= MAX_ID for pk in ids):
        raise BatchRefused(BAD_IDS)
    if len(ids) > MAX_BATCH:
        raise BatchRefused(TOO_MANY)
    return ids


def batch_photos(ids):
    """The photos of the batch in the order of ``ids``; every id must name a photo in the library."""
    photos = Image.objects.in_bulk(ids)
    if len(photos) != len(ids):
        raise BatchRefused(MISSING, status=404)
    return [photos[pk] for pk in ids]


class PhotoDetailsForm(forms.ModelForm):
    required_css_class = "required"  # the admin's bold label: the alt text must be written

    class Meta:
        model = Image
        fields = ["alt_text", "caption", "credit", "keywords", "restriction", "restriction_note"]
        widgets = {
            "alt_text": forms.TextInput(attrs={"size": 40}),
            "caption": forms.Textarea(attrs={"rows": 2, "cols": 40}),
        }
        error_messages = {"alt_text": {"required": "Upišite šta se vidi na fotografiji (opis je obavezan)."}}


class BasePhotoDetailsFormSet(forms.BaseModelFormSet):
    """One row per photo of the batch, in its order: each photo of the batch once, nothing added."""

    def __init__(self, data=None, *, photos, **kwargs):
        super().__init__(data, queryset=Image.objects.none(), **kwargs)
        self._queryset = photos  # the rows' photos without another query (read by get_queryset)
        self.photos = photos
        self.max_num = self.absolute_max = len(photos)
        self.validate_max = True

    def clean(self):
        super().clean()
        rows = [form.instance.pk for form in self.forms]
        if None in rows or sorted(rows) != sorted(photo.pk for photo in self.photos):
            raise forms.ValidationError(CHANGED, code="changed")


PhotoDetailsFormSet = modelformset_factory(
    Image, form=PhotoDetailsForm, formset=BasePhotoDetailsFormSet, extra=0, edit_only=True
)

KEEP = ""
NO_RESTRICTION = "bez"


class BatchForm(forms.Form):
    """Values for the whole batch: a non-empty one replaces each photo's own."""

    credit = forms.CharField(
        label="Autor ili izvor za sve",
        required=False,
        max_length=Image._meta.get_field("credit").max_length,
        help_text="Upisuje se svakoj fotografiji ispod; prazno ostavlja svakoj njen.",
        error_messages={"max_length": "Autor je predugačak: najviše %(limit_value)d znakova."},
    )
    restriction = forms.ChoiceField(
        label="Ograničenje za sve",
        required=False,
        choices=[
            (KEEP, "— svakoj njeno —"),
            (NO_RESTRICTION, Image.Restriction.NONE.label),
            *[(value, label) for value, label in Image.Restriction.choices if value],
        ],
        error_messages={"invalid_choice": "Izaberite ograničenje sa spiska."},
    )

    def row_values(self):
        """The row fields this batch sets, with their values."""
        values = {}
        if self.cleaned_data["credit"].strip():
            values["credit"] = self.cleaned_data["credit"].strip()
        restriction = self.cleaned_data["restriction"]
        if restriction != KEEP:
            values["restriction"] = "" if restriction == NO_RESTRICTION else restriction
        return values


def details_forms(photos, data=None):
    """The batch form and the photos' formset; with ``data``, a batch value is written into every row."""
    if data is None:
        return BatchForm(prefix="sve"), PhotoDetailsFormSet(photos=photos)
    data = data.copy()
    batch = BatchForm(data, prefix="sve")
    formset = PhotoDetailsFormSet(data, photos=photos)
    if batch.is_valid():
        for index in range(min(formset.total_form_count(), len(photos))):
            for name, value in batch.row_values().items():
                data[f"{formset.prefix}-{index}-{name}"] = value
    return batch, formset


def save_details(formset):
    """Saves every row of a valid formset in one transaction, described at last; returns how many."""
    images = [form.save(commit=False) for form in formset.forms]
    for image in images:
        image.awaiting_details = False
    services.save_shown_photos(images)
    return len(images)
