from django import forms
from django.contrib.admin import helpers
from django.core.files.uploadedfile import UploadedFile

from .models import Article, Image, Section
from .uploads import UploadRefused, prepare_photo

PHOTO_HELP_TEXT = "JPEG, PNG, WebP ili GIF, najviše 25 MB i 50 megapiksela. Podaci o lokaciji se uklanjaju."


class ImageAdminForm(forms.ModelForm):
    """The photo library form: an uploaded photo is checked and stored clean, see ``prepare_photo``."""

    class Meta:
        model = Image
        fields = ["file", "alt_text", "caption", "credit", "restriction", "restriction_note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
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


class ArticleAdminForm(forms.ModelForm):
    """The article form; only those who may publish move an article into or out of public view."""

    may_publish = False  # set per request by ArticleAdmin.get_form

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
            "section",
            "tags",
            "status",
            "published_at",
            "updated_at",
            "is_lead",
            "comments_enabled",
            "seo_description",
        ]

    def clean_status(self):
        status = self.cleaned_data["status"]
        before = self.instance.status if self.instance.pk else Article.Status.DRAFT
        crosses = status != before and {status, before} & Article.PUBLIC_STATES
        if crosses and not self.may_publish:
            raise forms.ValidationError("Nemate dozvolu da objavljujete ili povlačite članke.")
        return status


class ArticleActionForm(helpers.ActionForm):
    section = forms.ModelChoiceField(
        label="Rubrika", queryset=Section.objects.all(), required=False, empty_label="(za premeštanje)"
    )
