import unicodedata
import uuid
from urllib.parse import urlsplit

from django import forms
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator, slug_re
from django.forms.models import BaseInlineFormSet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import conflicts, embeds, publishing
from .models import Article, ArticleNote, BreakingNews, Gallery, GalleryItem, Image, Section
from .photo_picker import MAX_ID
from .richtext import embedded_addresses, inline_gallery_ids, inline_image_ids
from .uploads import UploadRefused, prepare_photo
from .widgets import FocalNumberInput, FocalPointWidget, GalleryPhotoWidget

PHOTO_HELP_TEXT = "JPEG, PNG, WebP ili GIF, najviše 25 MB i 50 megapiksela. Podaci o lokaciji se uklanjaju."


FOCAL_ERRORS = {
    "invalid": "Žiža je broj od 0 do 1, npr. 0,5 za sredinu fotografije.",
    "min_value": "Žiža ne može biti manja od 0 (levi, odnosno gornji kraj fotografije).",
    "max_value": "Žiža ne može biti veća od 1 (desni, odnosno donji kraj fotografije).",
}


class FractionField(forms.FloatField):
    """A number from 0 to 1, typed with a decimal point or a comma ("0,25")."""

    def __init__(self, **kwargs):
        super().__init__(min_value=0, max_value=1, required=False, error_messages=FOCAL_ERRORS, **kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
        return super().to_python(value)


class ImageAdminForm(forms.ModelForm):
    """The photo library form: an uploaded photo is checked and stored clean, see ``prepare_photo``."""

    focal_x = FractionField(
        label="Žiža vodoravno",
        help_text="Gde je ono najvažnije na fotografiji: 0 je levi kraj, 0,5 sredina, 1 desni kraj. "
        "Isečci za kartice i društvene mreže se seku oko žiže.",
        widget=FocalPointWidget,
    )
    focal_y = FractionField(
        label="Žiža uspravno",
        help_text="0 je gornji kraj, 0,5 sredina, 1 donji kraj.",
        widget=FocalNumberInput,
    )

    class Meta:
        model = Image
        fields = ["file", "alt_text", "caption", "credit", "keywords", "restriction", "restriction_note"]
        fields += ["focal_x", "focal_y"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["focal_x"].widget.image = self.instance  # the photo the point is set on
        generated = self.fields["file"]
        # Django's image field would refuse an SVG or a decompression bomb in its own words before clean_file
        # runs; a plain file field leaves every check to prepare_photo. The widget is kept (the admin's shows
        # the current file).
        self.fields["file"] = forms.FileField(
            label=generated.label,
            required=generated.required,
            widget=generated.widget,
            help_text=PHOTO_HELP_TEXT,
        )

    def clean_file(self):
        photo = self.cleaned_data["file"]
        if not isinstance(photo, UploadedFile):
            return photo  # the stored photo, when an edit brings no new one
        try:
            return prepare_photo(photo)
        except UploadRefused as refusal:
            raise forms.ValidationError(str(refusal), code="refused") from refusal

    def clean_focal_x(self):
        return self._focal_or_kept("focal_x")

    def clean_focal_y(self):
        return self._focal_or_kept("focal_y")

    def _focal_or_kept(self, name):
        value = self.cleaned_data[name]
        return getattr(self.instance, name) if value is None else value  # left empty: as it was


def awaiting_message(images):
    names = ", ".join(f"br. {image.pk}" for image in images)
    return (
        f"Fotografija {names} još čeka opis posle otpremanja; opišite je u biblioteci pa je tek onda "
        "stavite u članak."
        if len(images) == 1
        else f"Fotografije {names} još čekaju opis posle otpremanja; opišite ih u biblioteci pa ih tek "
        "onda stavite u članak."
    )


def missing_galleries_message(ids):
    names = ", ".join(f"br. {pk}" for pk in ids)
    if len(ids) == 1:
        return f"Galerija {names} ne postoji; u tekst je stavite dugmetom „Galerija“."
    return f"Galerije {names} ne postoje; u tekst ih stavite dugmetom „Galerija“."


class UnlabelledHiddenInput(forms.HiddenInput):
    """A hidden input the admin's fieldset still labels: a label may not point at a hidden control."""

    def id_for_label(self, id_):
        return ""


class ArticleAdminForm(forms.ModelForm):
    """The article form; only those who may publish move an article into or out of public view.

    Two hidden inputs, shown by templates/admin/articles/autosave.html: the version of the article the form
    was opened at (a save over another editor's later one is stopped, see ``conflicts``), and the key that
    names a new article's autosaves until it is saved.
    """

    may_publish = False  # set per request by ArticleAdmin.get_form
    editor = None  # the user filling the form in, set per request by ArticleAdmin.get_form
    BOOKKEEPING = ("opened_version", "new_article_key")

    opened_version = forms.CharField(required=False, widget=forms.HiddenInput)
    new_article_key = forms.CharField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Article
        fields = [
            "kicker",
            "title",
            "slug",
            "lead",
            "body",
            "hero_image",
            "hero_caption",
            "lead_gallery",
            "section",
            "tags",
            "status",
            "published_at",
            "updated_at",
            "is_lead",
            "comments_enabled",
            "seo_description",
            "is_live_blog",
            "live_until",
            "live_summary",
        ]
        # A headline wraps as long as it is, rather than scrolling out of sight in a one-line box.
        widgets = {"title": forms.Textarea(attrs={"rows": 2})}

    # The buttons ("Sačuvaj nacrt", "Objavi odmah", ...) send their value here; a POST without one (older
    # clients, scripts) sets the state through ``status`` as before.
    publishing = forms.CharField(required=False, strip=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "status" in self.fields:
            self.fields["status"].widget = UnlabelledHiddenInput()
        hero_image = self.fields.get("hero_image")
        if hero_image is not None and hasattr(hero_image.widget, "article"):
            hero_image.widget.article = self.instance  # its warnings cover the photos already in the body
        for name in self.BOOKKEEPING:
            # Hidden, so an error of their own would show nowhere: every value is taken and judged in clean.
            self.fields[name].validators = []
        if self.is_bound:
            return
        if self.instance.pk:
            self.initial["opened_version"] = conflicts.newest_version_id(self.instance)
        else:
            self.initial["new_article_key"] = uuid.uuid4()

    @property
    def changed_data(self):
        return [name for name in super().changed_data if name not in (*self.BOOKKEEPING, "publishing")]

    def clean_new_article_key(self):
        try:
            return uuid.UUID(self.cleaned_data["new_article_key"])
        except ValueError:
            return None  # it only names autosaves to delete after the save; a garbled one names none

    def check_conflict(self):
        name = self.add_prefix("opened_version")
        found = conflicts.conflict(self.instance, conflicts.opened_id(self.data.get(name)), self.editor)
        if found is None:
            return
        message, newest_id = found
        # Shown again with the newest version, so saving once more after comparing is a deliberate overwrite.
        self.data = self.data.copy()
        self.data[name] = str(newest_id)
        raise forms.ValidationError(message, code="conflict")

    def clean_title(self):
        return " ".join(self.cleaned_data["title"].split())  # a line break typed in the box is a space

    def clean_hero_image(self):
        image = self.cleaned_data["hero_image"]
        if image is not None and image.awaiting_details:
            raise forms.ValidationError(awaiting_message([image]), code="awaiting_details")
        return image

    def clean_body(self):
        body = self.cleaned_data["body"]
        for address in embedded_addresses(body):
            try:
                embeds.parse_address(address)
            except embeds.UnknownEmbed:
                raise forms.ValidationError(unknown_embed_message(address), code="unknown_embed") from None
        ids = [pk for pk in inline_image_ids(body) if pk <= MAX_ID]
        awaiting = list(Image.objects.awaiting_details().filter(pk__in=ids)) if ids else []
        if awaiting:
            raise forms.ValidationError(awaiting_message(awaiting), code="awaiting_details")
        gallery_ids = [pk for pk in inline_gallery_ids(body) if pk <= MAX_ID]
        known = Gallery.objects.filter(pk__in=gallery_ids).values_list("pk", flat=True) if gallery_ids else []
        known = set(known)
        missing = [pk for pk in dict.fromkeys(inline_gallery_ids(body)) if pk not in known]
        if missing:
            raise forms.ValidationError(missing_galleries_message(missing), code="missing_gallery")
        return body

    def clean_status(self):
        status = self.cleaned_data["status"]
        before = self.instance.status if self.instance.pk else Article.Status.DRAFT
        crosses = status != before and {status, before} & Article.PUBLIC_STATES
        if crosses and not self.may_publish:
            raise forms.ValidationError(publishing.NO_PERMISSION)
        return status

    def clean(self):
        cleaned_data = super().clean()
        if self.errors.pop("publishing", None):  # a NUL byte, say: the field is not shown, so say it here
            self.add_error(None, publishing.UNKNOWN_ACTION)
        action = cleaned_data.get("publishing")
        if action:
            before = self.instance.status if self.instance.pk else Article.Status.DRAFT
            self.errors.pop("status", None)  # the button decides; its own checks follow
            for field, message in publishing.apply(action, cleaned_data, before, self.may_publish).items():
                self.add_error(field, message)
        if self.instance.pk and self.editor is not None:
            self.check_conflict()
        return cleaned_data


class WithdrawalForm(forms.Form):
    """ "Povuci sa sajta…": why (for the newsroom) and, if wished, what readers of the address see."""

    note = forms.CharField(
        label="Interna napomena",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Zašto se članak povlači; vide je samo urednici, upisuje se u istoriju članka.",
        error_messages={"max_length": "Napomena je preduga: najviše %(limit_value)d znakova."},
    )
    notice = forms.CharField(
        label="Javno obaveštenje (nije obavezno)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Ako je članak bio objavljen, čitaoci ga vide na njegovoj adresi, uz vest da je povučen.",
        error_messages={"max_length": "Obaveštenje je predugo: najviše %(limit_value)d znakova."},
    )


class ArticleActionForm(helpers.ActionForm):
    section = forms.ModelChoiceField(
        label="Rubrika", queryset=Section.objects.all(), required=False, empty_label="(za premeštanje)"
    )


# Dates as <input type="date"> sends them and as readers write them.
SEARCH_DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y.", "%d.%m.%Y", "%d. %m. %Y."]


def search_date_field(label, invalid_message):
    return forms.DateField(
        label=label,
        required=False,
        input_formats=SEARCH_DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": invalid_message},
    )


class SectionChoiceField(forms.ModelChoiceField):
    """A section by its slug; a value that cannot be a slug (a NUL byte, say) is refused without a query."""

    def to_python(self, value):
        if value not in self.empty_values and not slug_re.match(str(value)):
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class SearchForm(forms.Form):
    """The reader's search: words, and optionally a section and a publication date range."""

    q = forms.CharField(
        label=_("Search term"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("e.g. elections in Belgrade")}),
        error_messages={
            "max_length": _(
                "The query is too long: at most %(limit_value)d characters (%(show_value)d typed)."
            ),
            "null_characters_not_allowed": _("The query contains a character that is not allowed."),
        },
    )
    rubrika = SectionChoiceField(
        label=_("Section"),
        queryset=Section.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All sections"),
        error_messages={"invalid_choice": _("That section does not exist; choose one from the list.")},
    )
    od = search_date_field(_("From date"), _("The “from” date is not valid; write it like 27.11.2026."))
    do = search_date_field(_("To date"), _("The “to” date is not valid; write it like 27.11.2026."))

    def clean(self):
        cleaned_data = super().clean()
        date_from, date_to = cleaned_data.get("od"), cleaned_data.get("do")
        if date_from and date_to and date_from > date_to:
            raise forms.ValidationError(
                _("The “from” date cannot be after the “to” date."), code="date_range"
            )
        return cleaned_data

    def search_filters(self):
        """The valid filters as ``search_articles`` takes them."""
        data = self.cleaned_data
        return {"section": data["rubrika"], "date_from": data["od"], "date_to": data["do"]}


def unknown_embed_message(address):
    """Why an address pasted as a video or a post cannot be embedded, naming it."""
    names = ", ".join(provider.name for provider in embeds.PROVIDERS.values())
    shown = address if len(address) <= 120 else address[:119] + "…"
    return (
        f"Adresa „{shown}“ nije adresa videa ili objave koju možemo da ugradimo. Nalepite adresu objave ili "
        f"videa (https://…) sa jednog od servisa: {names}."
    )


# A gallery's photos (GalleryAdmin's inline): chosen from the library, in the order the editor set.

MAX_POSITION = 10_000

GALLERY_PHOTO_ERRORS = {
    "required": "Izaberite fotografiju iz biblioteke.",
    "invalid_choice": "U biblioteci nema fotografije sa tim brojem; izaberite je iz biblioteke.",
}
POSITION_ERRORS = {
    "invalid": "Redosled je ceo broj, npr. 3.",
    "min_value": "Redosled ne može biti manji od %(limit_value)s.",
    "max_value": "Redosled ne može biti veći od %(limit_value)s.",
}
DUPLICATE_PHOTO = "Fotografija „{}“ je već u ovoj galeriji; svaka fotografija sme u galeriju samo jednom."
EMPTY_GALLERY = "Galerija mora imati bar jednu fotografiju."


class GalleryPhotoField(forms.ModelChoiceField):
    """A library photo by its id; one that cannot be an id is refused without a query."""

    def to_python(self, value):
        value = str(value).strip() if value is not None else ""
        if value and not (value.isascii() and value.isdigit() and 0 < int(value) <= MAX_ID):
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class GalleryItemForm(forms.ModelForm):
    image = GalleryPhotoField(
        label="Fotografija",
        queryset=Image.objects.all(),
        widget=GalleryPhotoWidget,
        error_messages=GALLERY_PHOTO_ERRORS,
    )
    position = forms.IntegerField(
        label="Redosled",
        required=False,
        min_value=0,
        max_value=MAX_POSITION,
        error_messages=POSITION_ERRORS,
        widget=forms.NumberInput(attrs={"class": "gallery-item__position", "min": 0}),
        help_text="Manji broj ide ranije; prazno: na kraj.",
    )

    class Meta:
        model = GalleryItem
        fields = ["image", "caption", "position"]

    def clean_image(self):
        image = self.cleaned_data["image"]
        if image is not None and image.awaiting_details:
            raise forms.ValidationError(awaiting_message([image]), code="awaiting_details")
        return image

    def clean_position(self):
        # Empty (a row added without the script): after the others; the formset numbers them all anew.
        position = self.cleaned_data["position"]
        return MAX_POSITION if position is None else position


class GalleryItemFormSet(BaseInlineFormSet):
    """The gallery's photos: at least one, each once, saved numbered 1, 2, 3... in the order shown.

    The order is the rows' ``position`` (the page's script keeps it equal to the order on screen; without the
    script it is typed), ties kept in the rows' order. Each row shows its photo from one query for all rows.
    """

    def kept_forms(self):
        return [
            form
            for form in self.forms
            if form.has_changed() or form.instance.pk
            if not (self.can_delete and self._should_delete_form(form))
        ]

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.fields["image"].widget.photos = self.shown_photos()
        return form

    def shown_photos(self):
        if not hasattr(self, "_shown_photos"):
            ids = set()
            if self.is_bound:
                for i in range(min(self.total_form_count(), 1000)):
                    value = str(self.data.get(f"{self.prefix}-{i}-image", "")).strip()
                    if value.isascii() and value.isdigit() and 0 < int(value) <= MAX_ID:
                        ids.add(int(value))
            items = self.get_queryset() if self.instance.pk else []
            photos = {item.image_id: item.image for item in items}
            missing = ids - photos.keys()
            if missing:
                photos.update(Image.objects.in_bulk(missing))
            self._shown_photos = photos
        return self._shown_photos

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        forms_kept = [form for form in self.kept_forms() if form.cleaned_data.get("image")]
        seen = set()
        for form in forms_kept:
            image = form.cleaned_data["image"]
            if image.pk in seen:
                form.add_error("image", DUPLICATE_PHOTO.format(image))
                raise forms.ValidationError(DUPLICATE_PHOTO.format(image), code="duplicate")
            seen.add(image.pk)
        if not forms_kept:
            raise forms.ValidationError(EMPTY_GALLERY, code="empty")
        ordered = sorted(enumerate(forms_kept), key=lambda pair: (pair[1].cleaned_data["position"], pair[0]))
        for place, (_index, form) in enumerate(ordered, start=1):
            form.instance.position = place

    def save(self, commit=True):
        saved = super().save(commit)
        if commit:
            # Rows the editor did not touch may still have moved: every kept row gets its place.
            items = [form.instance for form in self.kept_forms() if form.instance.pk]
            GalleryItem.objects.bulk_update(items, ["position"])
        return saved


NOTE_ARTICLE_ERRORS = {
    "invalid_choice": "Ispravka ili odgovor ide samo uz objavljen članak; izaberite ga sa spiska.",
    "required": "Izaberite članak na koji se ispravka ili odgovor odnosi.",
}

NOTE_KIND_ERROR = "Izaberite da li je ovo ispravka ili odgovor."
NOTE_TIME_ERROR = "Upišite ispravan datum i vreme."
NOTE_ARTICLE_GONE = "Članak više nije objavljen; njegove ispravke i odgovori se ne menjaju."


class ArticleNoteForm(forms.ModelForm):
    """A correction or a reply: only on a published article, dated no earlier than the article."""

    class Meta:
        model = ArticleNote
        fields = ["article", "kind", "published_at", "replied_by", "text"]
        error_messages = {
            "kind": {"required": NOTE_KIND_ERROR, "invalid_choice": NOTE_KIND_ERROR},
            "text": {"required": "Upišite tekst ispravke ili odgovora."},
            "published_at": {"required": "Upišite datum i vreme.", "invalid": NOTE_TIME_ERROR},
        }

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("kind") == ArticleNote.Kind.CORRECTION:
            cleaned_data["replied_by"] = ""  # a correction is the newsroom's own
        article = cleaned_data.get("article") or getattr(self.instance, "article", None)
        if self.instance.pk and not Article.objects.published().filter(pk=self.instance.article_id).exists():
            raise forms.ValidationError(NOTE_ARTICLE_GONE)
        moment = cleaned_data.get("published_at")
        if article and moment and article.published_at and moment < article.published_at:
            self.add_error("published_at", "Datum ne može biti pre objave članka.")
        return cleaned_data


STRIP_LINK_ERROR = (
    "Link mora biti adresa na našem sajtu koja počinje jednom kosom crtom (npr. /vesti/123-naslov/) "
    "ili potpuna https adresa (https://...), bez razmaka i obrnutih kosih crta."
)


def checked_strip_link(value):
    """The strip's link as given (the field has trimmed it), if it is a path on this site or an https address.

    Browsers read ``//host``, ``/\\host`` and ``https:host`` as other sites and drop tabs and newlines inside
    an address, so anything with a backslash, a space or an invisible character is refused outright.
    """
    if not value or "\\" in value or any(unicodedata.category(char)[0] in "CZ" for char in value):
        raise ValidationError(STRIP_LINK_ERROR, code="invalid")
    parts = urlsplit(value)
    if value.startswith("/"):
        if value.startswith("//") or parts.scheme or parts.netloc:
            raise ValidationError(STRIP_LINK_ERROR, code="invalid")
        return value
    if parts.scheme != "https" or not parts.hostname or "@" in parts.netloc or not value.startswith("https://"):
        raise ValidationError(STRIP_LINK_ERROR, code="invalid")
    URLValidator(schemes=["https"], message=STRIP_LINK_ERROR)(value)
    return value


class BreakingNewsForm(forms.ModelForm):
    class Meta:
        model = BreakingNews
        fields = ["text", "url", "is_active", "starts_at", "expires_at"]
        # Not "Link": a package's catalogue has that msgid, and the label should say what to type.
        labels = {"url": "Adresa na koju traka vodi"}

    def clean_url(self):
        return checked_strip_link(self.cleaned_data["url"])

    def clean(self):
        cleaned = super().clean()
        starts_at, expires_at = cleaned.get("starts_at"), cleaned.get("expires_at")
        # An expiry before the start is the model's own check (BreakingNews.clean), made after this one.
        if starts_at and expires_at and expires_at <= starts_at:
            return cleaned
        if cleaned.get("is_active") and expires_at and expires_at <= timezone.now():
            self.add_error("expires_at", "Uključena traka mora da ističe u budućnosti.")
        return cleaned
