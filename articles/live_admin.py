"""The newsroom's side of live blogs: the quick entry page of an article, its end, and the entries' admin.

Every write goes through ``articles.live`` (the only callers of ``invalidate`` for entries).
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from . import embeds, live
from .forms import unknown_embed_message
from .models import Image, LiveEntry
from .widgets import LeadPhotoWidget

RECENT_ENTRIES = 30

ENTRY_PHOTO_ERRORS = {
    "invalid_choice": "U biblioteci nema opisane fotografije sa tim brojem; izaberite je iz biblioteke.",
}


class EntryPhotoWidget(LeadPhotoWidget):
    """The lead photo's picker, worded for an entry's optional photo."""

    group_label = "Fotografija unosa"
    empty_text = "Fotografija nije izabrana (nije obavezna)."


class LiveEntryForm(forms.ModelForm):
    """An entry: text, and optionally a described library photo and a video or post we embed."""

    class Meta:
        model = LiveEntry
        fields = ["text", "image", "embed_url", "embed_title"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 5}),
            "image": EntryPhotoWidget(),
            "embed_url": forms.TextInput(attrs={"size": 60, "inputmode": "url"}),
        }
        error_messages = {
            "text": {"required": "Upišite tekst unosa."},
            "image": ENTRY_PHOTO_ERRORS,
            "embed_url": {"max_length": "Adresa je preduga (najviše 500 znakova)."},
            "embed_title": {"max_length": "Naslov je predug (najviše 200 znakova)."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["image"].queryset = Image.objects.described()
        self.fields["image"].error_messages.update(ENTRY_PHOTO_ERRORS)
        # The provider's own check, not Django's URL check: its refusal says which services we embed.
        self.fields["embed_url"] = forms.CharField(
            label=self.fields["embed_url"].label,
            help_text=self.fields["embed_url"].help_text,
            required=False,
            max_length=500,
            widget=self.fields["embed_url"].widget,
            error_messages={"max_length": "Adresa je preduga (najviše 500 znakova)."},
        )

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError("Upišite tekst unosa.", code="required")
        return text

    def clean_embed_url(self):
        address = self.cleaned_data["embed_url"].strip()
        if address:
            try:
                embeds.parse_address(address)
            except embeds.UnknownEmbed:
                raise forms.ValidationError(unknown_embed_message(address), code="unknown_embed") from None
        return address

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("embed_title", "").strip() and not cleaned.get("embed_url"):
            self.add_error("embed_url", "Naslov videa ili objave traži i njegovu adresu.")
        return cleaned


class EndCoverageForm(forms.Form):
    confirm = forms.BooleanField(
        label="Da, praćenje je završeno",
        error_messages={"required": "Potvrdite da je praćenje završeno."},
    )


class LiveBlogAdminMixin:
    """For ArticleAdmin: the "Unosi uživo" page of a live blog and "Završi praćenje"."""

    def get_urls(self):
        entries_view = self.admin_site.admin_view(self.live_entries_view)
        end_view = self.admin_site.admin_view(self.end_coverage_view)
        return [
            path("<path:object_id>/uzivo/", entries_view, name="articles_article_live"),
            path("<path:object_id>/uzivo/zavrsi/", end_view, name="articles_article_live_end"),
            *super().get_urls(),
        ]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or not obj.is_live_blog:
            return fieldsets
        link = format_html(
            '<a class="live-entries-link" href="{}">Dodaj unos uživo i pregledaj unose</a>',
            reverse("admin:articles_article_live", args=[obj.pk]),
        )
        return [
            (name, {**options, "description": link}) if name == "Praćenje uživo" else (name, options)
            for name, options in fieldsets
        ]

    def _live_blog(self, request, object_id):
        """The article, if the user may add its entries (None if missing); refused otherwise."""
        article = self.get_object(request, unquote(object_id))
        if article is None:
            return None
        if not (
            self.has_change_permission(request, article) and request.user.has_perm("articles.add_liveentry")
        ):
            raise PermissionDenied
        return article

    def _not_live(self, request, article):
        message = f"Članak „{article}“ nije praćenje uživo: uključite „praćenje uživo“ u članku."
        self.message_user(request, message, messages.ERROR)
        return redirect("admin:articles_article_change", article.pk)

    def live_entries_view(self, request, object_id):
        """The quick form: one entry at a time, the newest entries below it."""
        article = self._live_blog(request, object_id)
        if article is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not article.is_live_blog:
            return self._not_live(request, article)
        form = LiveEntryForm(request.POST or None, instance=LiveEntry(article=article))
        form.fields["image"].widget.article = article
        if request.method == "POST" and form.is_valid():
            entry = form.save(commit=False)
            live.save_entry(entry, user=request.user)
            self.message_user(request, "Unos je objavljen.", messages.SUCCESS)
            return redirect("admin:articles_article_live", article.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Unosi uživo: {article}",
            "opts": self.opts,
            "original": article,
            "form": form,
            "media": self.media + form.media,
            "entries": live.entries(article, limit=RECENT_ENTRIES),
            "may_change_entries": request.user.has_perm("articles.change_liveentry"),
            "may_delete_entries": request.user.has_perm("articles.delete_liveentry"),
        }
        status = 400 if form.errors else 200
        return TemplateResponse(request, "admin/articles/article/live_entries.html", context, status=status)

    def end_coverage_view(self, request, object_id):
        """ "Završi praćenje": asks for a confirmation, then ends live coverage now."""
        article = self._live_blog(request, object_id)
        if article is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not article.is_live_blog:
            return self._not_live(request, article)
        form = EndCoverageForm(request.POST if request.method == "POST" else None)
        if form.is_valid():
            live.end_coverage(article)
            self.message_user(request, f"Praćenje „{article}“ je završeno.", messages.SUCCESS)
            return redirect("admin:articles_article_live", article.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": "Završetak praćenja uživo",
            "opts": self.opts,
            "original": article,
            "form": form,
        }
        status = 400 if form.errors else 200
        return TemplateResponse(request, "admin/articles/article/live_end.html", context, status=status)


@admin.register(LiveEntry)
class LiveEntryAdmin(admin.ModelAdmin):
    form = LiveEntryForm
    list_display = ["__str__", "article", "posted_at", "created_by"]
    list_select_related = ["article", "created_by"]
    list_filter = ["posted_at"]
    search_fields = ["text", "article__title"]
    fields = ["article", "posted_at", "text", "image", "embed_url", "embed_title"]
    autocomplete_fields = ["article"]
    date_hierarchy = "posted_at"

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.base_fields["article"].queryset = form.base_fields["article"].queryset.filter(is_live_blog=True)
        return form

    def save_model(self, request, obj, form, change):
        live.save_entry(obj, user=request.user)

    def delete_model(self, request, obj):
        live.delete_entries([obj])

    def delete_queryset(self, request, queryset):
        live.delete_entries(queryset)
