from functools import partial, reduce
from operator import or_

import reversion
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Count, OuterRef, Subquery
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django_prose_editor.widgets import AdminProseEditorWidget
from reversion_compare.helpers import html_diff
from solo.admin import SingletonModelAdmin

from . import autosave, photo_library, publishing, search, services
from .editing import editing_context, presence, stop_editing
from .forms import (
    NOTE_ARTICLE_ERRORS,
    ArticleActionForm,
    ArticleAdminForm,
    ArticleNoteForm,
    BreakingNewsForm,
    GalleryItemForm,
    GalleryItemFormSet,
    ImageAdminForm,
    WithdrawalForm,
)
from .history import BLOCK_END, VersionHistoryAdmin, byline_in, state_before_restore, tags_in
from .live_admin import LiveBlogAdminMixin
from .models import (
    Article,
    ArticleAuthor,
    ArticleNote,
    Author,
    BreakingNews,
    Gallery,
    GalleryItem,
    Image,
    Impresum,
    InfoPage,
    Section,
    SiteSettings,
    Tag,
    TransliterationException,
)
from .overview import OverviewFilter, overview
from .photo_picker import MAX_ID, SEARCH_RESULTS, PhotoPickerForm, picker_json
from .renditions import generate_renditions, responsive_image
from .site_pages import missing_impresum_items
from .text import SLUG_TRANSLITERATION
from .widgets import LeadPhotoWidget

# What editors can make in the body; the stored HTML is still cleaned by richtext.sanitize_html.
BODY_EDITOR = {
    "Bold": True,
    "Italic": True,
    "Heading": {"levels": [2, 3]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
    "HardBreak": True,
    "History": True,
    "HTML": True,
    "SpecialCharacters": True,
    "LibraryPhoto": True,
    "LibraryGallery": True,
    "ForeignLanguage": True,
    "EmbedBlock": True,
}

# What administrators can make in a site page (Impresum aside: kontakt, uslovi, privatnost, pristupačnost).
PAGE_EDITOR = {
    "Bold": True,
    "Italic": True,
    "Heading": {"levels": [2, 3]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto", "tel"]},
    "HardBreak": True,
    "History": True,
}

LEAD_GALLERY_ERRORS = {
    "invalid_choice": "Ta galerija ne postoji; izaberite je sa spiska ili dodajte novu dugmetom +."
}

LEAD_PHOTO_ERRORS = {
    "invalid_choice": "U biblioteci nema fotografije sa tim brojem; izaberite je iz biblioteke."
}


# The date and time boxes of the article form's split date-time fields, as a screen reader announces them.
SPLIT_TIME_NAMES = {
    "published_at": ("Datum objave", "Vreme objave"),
    "updated_at": ("Datum ažuriranja", "Vreme ažuriranja"),
    "live_until": ("Datum kraja praćenja", "Vreme kraja praćenja"),
}


def image_thumbnail(image):
    return format_html('<img src="{}" alt="" width="80" loading="lazy">', responsive_image(image).smallest)


class WritesThroughServices:
    """Saves and deletes, one object or a selection, go through the services that tell readers' pages."""

    def save_model(self, request, obj, form, change):
        services.save_shown(obj)

    def delete_model(self, request, obj):
        services.delete_shown([obj])

    def delete_queryset(self, request, queryset):
        services.delete_shown(queryset)


class SerbianSlugAdminMixin:
    """Fills the slug in the browser with the same transliteration table the server uses."""

    change_form_template = "admin/articles/change_form_with_slug.html"

    def render_change_form(self, request, context, *args, **kwargs):
        context["slug_transliteration"] = SLUG_TRANSLITERATION
        return super().render_change_form(request, context, *args, **kwargs)


@admin.register(Section)
class SectionAdmin(WritesThroughServices, SerbianSlugAdminMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Author)
class AuthorAdmin(WritesThroughServices, SerbianSlugAdminMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "user"]
    list_select_related = ["user"]
    search_fields = ["name", "bio"]
    prepopulated_fields = {"slug": ["name"]}
    raw_id_fields = ["user"]


@admin.register(Tag)
class TagAdmin(WritesThroughServices, SerbianSlugAdminMixin, admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class PhotoLibraryChangeList(ChangeList):
    """The library's grid: each photo with how many articles show it, in the page's one query."""

    def get_queryset(self, request, exclude_parameters=None):
        return super().get_queryset(request, exclude_parameters).with_usage_count()


@admin.register(Image)
class ImageAdmin(WritesThroughServices, VersionHistoryAdmin):
    form = ImageAdminForm
    change_list_template = "admin/articles/image/change_list.html"  # the package's, with the bulk upload
    # The grid (templates/admin/articles/image/): a checkbox and a tile per photo, the tile linking to it.
    list_display = ["tile"]
    list_display_links = None
    list_filter = [
        "restriction",
        ("uploaded_by", admin.RelatedOnlyFieldListFilter),
        "awaiting_details",
    ]
    list_select_related = ["uploaded_by"]
    list_per_page = 48
    date_hierarchy = "uploaded_at"
    search_fields = ["caption", "credit", "keywords", "alt_text"]

    class Media:
        css = {"all": ["admin/css/photo_library.css"]}

    def get_changelist(self, request, **kwargs):
        return PhotoLibraryChangeList

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []  # a new photo's size is known once it is stored
        known_size = ["width", "height"] if obj.width and obj.height else []
        return [*known_size, "uploaded_by", "where_used"]

    def get_urls(self):
        picker = self.admin_site.admin_view(self.picker_view)
        bulk_upload = self.admin_site.admin_view(self.bulk_upload_view)
        upload = self.admin_site.admin_view(self.upload_view)
        details = self.admin_site.admin_view(self.batch_details_view)
        return [
            path("izbor/", picker, name="articles_image_picker"),
            path("otpremanje/", bulk_upload, name="articles_image_bulk_upload"),
            path("otpremanje/fajl/", upload, name="articles_image_upload"),
            path("opis/", details, name="articles_image_batch_details"),
            *super().get_urls(),
        ]

    def picker_view(self, request):
        """Photos for the article form's pickers, by search words or by ids; see ``photo_picker``."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        query = PhotoPickerForm(request.GET)
        if not query.is_valid():
            errors = [error for field_errors in query.errors.values() for error in field_errors]
            return JsonResponse({"error": " ".join(errors)}, status=400)

        def search(words):
            return self.get_search_results(request, Image.objects.described(), words)[0]

        return JsonResponse(picker_json(query.photos(search), query.cleaned_data["article"]))

    def bulk_upload_view(self, request):
        """Many photos at once: the page's script sends them one by one to ``upload_view``.

        Without the script the page's own form sends the files together and gets the same results back.
        """
        if not self.has_add_permission(request):
            raise PermissionDenied
        results, status = [], 200
        if request.method == "POST":
            files = request.FILES.getlist("files")
            results = [(file.name, *photo_library.upload_result(file, request.user)) for file in files]
            if not files or any(refusal for _, _, refusal in results):
                status = 400
        stored = [image.pk for _, image, _ in results if image is not None]
        context = {
            **self.admin_site.each_context(request),
            "title": "Otpremanje fotografija",
            "opts": self.opts,
            "results": results,
            "no_files": request.method == "POST" and not results,
            "details_url": reverse("admin:articles_image_batch_details"),
            "stored_ids": ",".join(map(str, stored)),
            "upload_url": reverse("admin:articles_image_upload"),
            "accept": photo_library.ACCEPT,
        }
        return TemplateResponse(request, "admin/articles/image/bulk_upload.html", context, status=status)

    def upload_view(self, request):
        """One file of a bulk upload: stored awaiting its description, or refused with the reason (JSON)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_add_permission(request):
            return JsonResponse({"error": "Nemate dozvolu da dodajete fotografije."}, status=403)
        files = request.FILES.getlist("file")
        if len(files) != 1:
            return JsonResponse({"error": photo_library.NO_FILE}, status=400)
        image, refusal = photo_library.upload_result(files[0], request.user)
        if image is None:
            return JsonResponse({"error": refusal}, status=400)
        return JsonResponse(photo_library.upload_json(image), status=201)

    def batch_details_view(self, request):
        """One screen for a batch's descriptions (``?ids=1,2,3``), with credit and restriction for all."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": "Opis fotografija",
            "opts": self.opts,
        }
        template = "admin/articles/image/batch_details.html"
        try:
            photos = photo_library.batch_photos(photo_library.batch_ids(request.GET.get("ids")))
        except photo_library.BatchRefused as refusal:
            context["refusal"] = str(refusal)
            return TemplateResponse(request, template, context, status=refusal.status)
        data = request.POST if request.method == "POST" else None
        batch, formset = photo_library.details_forms(photos, data)
        if data is not None and batch.is_valid() and formset.is_valid():
            count = photo_library.save_details(formset)
            self.message_user(request, f"Sačuvani opisi fotografija: {count}.", messages.SUCCESS)
            return redirect("admin:articles_image_changelist")
        context.update(
            batch=batch,
            formset=formset,
            rows=[
                (form, responsive_image(form.instance) if form.instance.pk else None)
                for form in formset.forms
            ],
        )
        return TemplateResponse(request, template, context, status=400 if data is not None else 200)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        obj.awaiting_details = False  # the form asks for the alt text: the photo is described now
        super().save_model(request, obj, form, change)
        if {"file", "focal_x", "focal_y"} & set(form.changed_data):
            generate_renditions(obj)  # now, so no reader waits for them (a moved focal point: new crops)

    @admin.display(description="fotografija")
    def tile(self, image):
        return render_to_string(
            "admin/articles/image/tile.html",
            {
                "image": image,
                "thumb": responsive_image(image).smallest,
                "change_url": reverse("admin:articles_image_change", args=[image.pk]),
                "used_url": photo_usage_url(image),
            },
        )

    @admin.display(description="gde se koristi")
    def where_used(self, image):
        if image.pk is None:
            return "—"
        articles = Article.objects.using_image(image.pk).select_related("section").order_by("-published_at")
        links = [
            format_html(
                '<li><a href="{}">{}</a> ({})</li>',
                reverse("admin:articles_article_change", args=[a.pk]),
                a.title,
                a.state_label,
            )
            for a in articles
        ]
        return format_html("<ul>{}</ul>", mark_safe("".join(links))) if links else "nigde"


def photo_usage_url(image):
    """The article list filtered to the articles that show this photo."""
    return f"{reverse('admin:articles_article_changelist')}?{PhotoUsedFilter.parameter_name}={image.pk}"


class PhotoUsedFilter(admin.SimpleListFilter):
    """Articles showing one library photo (``?fotografija=42``), as the library's "where used" links to."""

    title = "fotografija"
    parameter_name = "fotografija"

    def lookups(self, request, model_admin):
        value = self.value()
        return [(value, f"br. {value}")] if value else []

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        if not (value.isascii() and value.isdigit() and 0 < int(value) <= MAX_ID):
            raise IncorrectLookupParameters("Broj fotografije nije ispravan.")
        return queryset.using_image(int(value))


class BylineAuthorSelect(AutocompleteSelect):
    """The author search box showing a byline row's author from the row itself, not a query per row."""

    known_authors = ()

    def optgroups(self, name, value, attr=None):
        selected = {str(v) for v in value if str(v) not in self.choices.field.empty_values}
        known = [author for author in self.known_authors if str(author.pk) in selected]
        if not selected or len(known) != len(selected):
            return super().optgroups(name, value, attr)
        options = [] if self.is_required else [self.create_option(name, "", "", False, 0)]
        for author in known:
            label = self.choices.field.label_from_instance(author)
            options.append(self.create_option(name, author.pk, label, selected, len(options)))
        return [(None, options, 0)]


class IdAutocompleteSelect(AutocompleteSelect):
    """A search box whose chosen value, as posted, may be anything: what cannot be an id is not looked up.

    The empty choice says what it means (``empty_label``): an option may not be blank in valid HTML.
    """

    empty_label = "—"

    def optgroups(self, name, value, attr=None):
        ids = [v for v in value if str(v).isascii() and str(v).isdigit() and 0 < int(v) <= MAX_ID]
        groups = super().optgroups(name, ids, attr)
        for _group, options, _index in groups:
            for option in options:
                if option["value"] == "" and not option["label"]:
                    option["label"] = self.empty_label
        return groups


class BylineFormSet(BaseInlineFormSet):
    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        if form.instance.pk and form.instance.author_id:
            form.fields["author"].widget.widget.known_authors = [form.instance.author]
        return form

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:  # a table column, not a label, names it on screen
            form.fields["DELETE"].widget.attrs["aria-label"] = "Ukloni autora iz potpisa"


class ArticleAuthorInline(admin.TabularInline):
    model = ArticleAuthor
    formset = BylineFormSet
    extra = 1
    autocomplete_fields = ["author"]
    # The sidebar's narrow column: author and order only (the order is the byline's).
    fields = ["author", "position"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "position":  # a table column, not a label, names it on screen
            formfield.widget.attrs["aria-label"] = "Redosled autora"
        return formfield

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "author":
            kwargs["widget"] = BylineAuthorSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Article)
class ArticleAdmin(LiveBlogAdminMixin, WritesThroughServices, SerbianSlugAdminMixin, VersionHistoryAdmin):
    form = ArticleAdminForm
    action_form = ArticleActionForm
    actions = ["publish_now", "withdraw", "move_to_section"]
    list_display = ["thumbnail", "title", "section", "byline", "state", "published_at", "comment_count"]
    list_display_links = ["title"]
    list_filter = [
        OverviewFilter,
        "status",
        "section",
        "authors",
        "is_lead",
        "comments_enabled",
        PhotoUsedFilter,
    ]
    list_select_related = ["section", "hero_image"]
    list_per_page = 100
    search_fields = ["title", "lead", "kicker"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["tags", "lead_gallery"]
    inlines = [ArticleAuthorInline]
    # Kept by moderation and by the clock, not by editors: only noise between two versions.
    compare_exclude = ["comment_count", "modified_at"]
    # The writing desk (change_form.html): the first fieldset is the text in the wide column, the others and
    # the byline go into the sidebar, the state and its buttons first.
    change_form_template = "admin/articles/article/change_form.html"
    fieldsets = [
        ("Sadržaj", {"fields": ["kicker", "title", "slug", "lead", "body"]}),
        ("Objavljivanje", {"fields": ["status", "published_at"]}),
        ("Rubrika i oznake", {"fields": ["section", "tags"]}),
        ("Glavna fotografija", {"fields": ["hero_image", "hero_caption"]}),
        ("Galerija na vrhu", {"fields": ["lead_gallery"]}),
        ("Glavna vest i ažuriranje", {"fields": ["is_lead", "updated_at"]}),
        ("Komentari", {"fields": ["comments_enabled"]}),
        ("Praćenje uživo", {"fields": ["is_live_blog", "live_until", "live_summary"]}),
        ("SEO", {"fields": ["seo_description"], "classes": ["collapse"]}),
    ]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.may_publish = request.user.has_perm("articles.publish_article")
        form.editor = request.user
        return form

    def save_model(self, request, obj, form, change):
        services.save_article(obj, user=request.user)
        autosave.forget_saved(request.user, obj, form.cleaned_data.get("new_article_key"))
        for image in obj.restricted_images_used_elsewhere():
            warning = f"Upozorenje: fotografija „{image}“ sme u samo jedan članak, a već je u drugom."
            self.message_user(request, warning, messages.WARNING)

    def save_related(self, request, form, formsets, change):
        parent = super()
        services.save_article_relations(
            form.instance, lambda: parent.save_related(request, form, formsets, change)
        )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("authors")

    def get_search_results(self, request, queryset, search_term):
        """The fields as typed, or headline, lead and body as reader search folds them ("cevapcici" finds
        "ćevapčići", "beograd" finds "Београд"), in the one query of the list."""
        if not search_term.strip():
            return super().get_search_results(request, queryset, search_term)
        typed, duplicates = super().get_search_results(request, Article.objects.order_by(), search_term)
        return queryset.filter(models.Q(pk__in=typed.values("pk")) | search.matches(search_term)), duplicates

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "body":
            kwargs["widget"] = AdminProseEditorWidget(
                config={"extensions": BODY_EDITOR}, preset="configurable"
            )
        if db_field.name == "lead_gallery":
            # The body editor's "Galerija" button asks the same admin for galleries (library_gallery.js).
            attrs = {"data-gallery-picker-url": reverse("admin:articles_gallery_picker")}
            widget = IdAutocompleteSelect(db_field, self.admin_site, attrs=attrs, using=kwargs.get("using"))
            widget.empty_label = "Bez galerije"
            kwargs.update(widget=widget, error_messages=LEAD_GALLERY_ERRORS)
        if db_field.name == "hero_image":
            # Not the autocomplete: a picker that shows the photo (the id stays a plain input).
            return db_field.formfield(widget=LeadPhotoWidget(), error_messages=LEAD_PHOTO_ERRORS, **kwargs)
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "tags":
            # Each chosen tag has its own remove button; Select2's "clear all" is a bare span in its list.
            formfield.widget.widget.is_required = True  # only what it tells Select2: no clearing button
        if db_field.name in SPLIT_TIME_NAMES:  # the label names only the date box; each box gets a name
            for box, name in zip(formfield.widget.widgets, SPLIT_TIME_NAMES[db_field.name], strict=True):
                box.attrs["aria-label"] = name
        return formfield

    class Media:
        css = {"all": ["admin/css/library_photo.css", "admin/css/embeds.css"]}
        js = ["admin/js/prose_editor_sr.js", "admin/js/photo_picker.js"]

    def get_urls(self):
        presence_view = self.admin_site.admin_view(partial(presence, admin_site=self.admin_site))
        autosave_view = self.admin_site.admin_view(partial(autosave.autosave_view, model_admin=self))
        discard_view = self.admin_site.admin_view(partial(autosave.discard_view, model_admin=self))
        overview_view = self.admin_site.admin_view(partial(overview, admin_site=self.admin_site))
        withdraw_view = self.admin_site.admin_view(self.withdraw_view)
        return [
            path("pregled/", overview_view, name="articles_overview"),
            path("<path:object_id>/prisustvo/", presence_view, name="articles_article_presence"),
            path("add/autosave/", autosave_view, name="articles_article_add_autosave"),
            path("add/autosave/discard/", discard_view, name="articles_article_add_autosave_discard"),
            path("<path:object_id>/autosave/", autosave_view, name="articles_article_autosave"),
            path(
                "<path:object_id>/autosave/discard/", discard_view, name="articles_article_autosave_discard"
            ),
            path("<path:object_id>/povuci/", withdraw_view, name="articles_article_withdraw"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        article = self.get_object(request, unquote(object_id))
        if article is not None and self.has_change_permission(request, article):
            extra_context = {
                **(extra_context or {}),
                **editing_context(request, article),
                **autosave.change_form_context(request, article, self.get_form(request, article)),
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def add_view(self, request, form_url="", extra_context=None):
        if self.has_add_permission(request):
            form_class = self.get_form(request)
            extra_context = {**(extra_context or {}), **autosave.add_form_context(request, form_class)}
        return super().add_view(request, form_url, extra_context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        may_publish = self.has_publish_permission(request)
        context.update(
            publishing_state=publishing.state_in_words(obj),
            publishing_buttons=publishing.buttons(obj, may_publish),
            publishing_may_schedule=publishing.may_schedule(obj, may_publish),
            publishing_withdraw_url=publishing.withdraw_url(obj, may_publish),
            notes_urls=notes_urls(obj, request.user),
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def withdraw_view(self, request, object_id):
        """ "Povuci sa sajta…": asks for the internal note and the public notice, then withdraws."""
        article = self.get_object(request, unquote(object_id))
        if article is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not (self.has_publish_permission(request) and self.has_change_permission(request, article)):
            raise PermissionDenied
        form = WithdrawalForm(request.POST if request.method == "POST" else None)
        if form.is_valid():
            note, notice = form.cleaned_data["note"], form.cleaned_data["notice"]
            services.withdraw([article.pk], note=note, notice=notice, user=request.user)
            stop_editing(article.pk, request.user)
            self.message_user(request, f"Članak „{article}“ je povučen sa sajta.", messages.SUCCESS)
            return redirect("admin:articles_article_change", article.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": "Povlačenje članka sa sajta",
            "opts": self.opts,
            "original": article,
            "form": form,
            "state": publishing.state_in_words(article),
            "live": article.status == Article.Status.PUBLISHED and not article.is_scheduled,
        }
        return TemplateResponse(request, "admin/articles/article/withdraw.html", context)

    def response_change(self, request, obj):
        stop_editing(obj.pk, request.user)
        return super().response_change(request, obj)

    def before_restore(self, request, version):
        super().before_restore(request, version)
        request.article_before_restore = state_before_restore(version)

    def get_object(self, request, object_id, from_field=None):
        article = super().get_object(request, object_id, from_field)
        live = getattr(request, "article_before_restore", None)
        if article is not None and live is not None:
            # The form shows the old version's status, but checks the publish permission against the live one.
            article.comment_count = live["comment_count"]
            if request.method == "POST":
                article.status = live["status"]
        return article

    def compare(self, obj, version1, version2):
        diff, has_unfollowed_fields = super().compare(obj, version1, version2)
        # The package shows no change in the byline (a many-to-many through ArticleAuthor) nor in the tags
        # (Tag is not versioned), though each version holds both.
        for name, names_in in [("authors", byline_in), ("tags", tags_in)]:
            old, new = names_in(version1), names_in(version2)
            if old != new:
                field = Article._meta.get_field(name)
                diff.append({"field": field, "is_related": True, "follow": True, "diff": html_diff(old, new)})
        return diff, has_unfollowed_fields

    def compare_body(self, obj_compare):
        """The body one block to a line, so the diff follows its paragraphs rather than one endless line."""
        old, new = (BLOCK_END.sub(r"\1\n", str(value)) for value in obj_compare.to_string())
        return html_diff(old, new)

    def add_versions(self, request, article_ids, comment):
        """A version for each article a bulk action changed: ``update()`` saves nothing reversion sees."""
        with reversion.create_revision():
            reversion.set_user(request.user)
            reversion.set_comment(comment)
            for article in Article.objects.filter(pk__in=article_ids):
                reversion.add_to_revision(article)

    def has_publish_permission(self, request):
        return request.user.has_perm("articles.publish_article")

    @admin.display(description="fotografija")
    def thumbnail(self, article):
        return image_thumbnail(article.hero_image) if article.hero_image else ""

    @admin.display(description="autori")
    def byline(self, article):
        return ", ".join(author.name for author in article.authors.all())

    @admin.display(description="stanje", ordering="status")
    def state(self, article):
        return article.state_label

    @admin.action(description="Objavi odmah", permissions=["publish"])
    def publish_now(self, request, queryset):
        ids = list(queryset.values_list("pk", flat=True))
        count = services.publish_now(ids, user=request.user)
        self.add_versions(request, ids, "Objavljeno grupno („Objavi odmah“).")
        self.message_user(request, f"Objavljeno članaka: {count}.", messages.SUCCESS)

    @admin.action(description="Povuci sa sajta", permissions=["publish"])
    def withdraw(self, request, queryset):
        ids = list(queryset.values_list("pk", flat=True))
        count = services.withdraw(ids, user=request.user)  # the service adds each article's version
        self.message_user(request, f"Povučeno članaka: {count}.", messages.SUCCESS)

    @admin.action(description="Premesti u rubriku", permissions=["change"])
    def move_to_section(self, request, queryset):
        section = Section.objects.filter(pk=request.POST.get("section") or None).first()
        if section is None:
            self.message_user(request, "Izaberite rubriku u koju se članci premeštaju.", messages.ERROR)
            return
        ids = list(queryset.values_list("pk", flat=True))
        count = services.move_to_section(ids, section)
        self.add_versions(request, ids, f"Premešteno grupno u rubriku „{section}“.")
        self.message_user(request, f"Premešteno u rubriku „{section}“: {count}.", messages.SUCCESS)


class GalleryItemInline(admin.StackedInline):
    """The gallery's photos, one row each, in their order (static/admin/js/gallery_order.js moves them)."""

    model = GalleryItem
    form = GalleryItemForm
    formset = GalleryItemFormSet
    fields = ["image", "caption", "position"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("image")

    def get_extra(self, request, obj=None, **kwargs):
        return 1 if obj else 3


class GalleryChangeList(ChangeList):
    """The gallery list: each gallery's first photo and the articles showing it, in one query each."""

    def get_results(self, request):
        super().get_results(request)
        galleries = list(self.result_list)
        firsts = Image.objects.in_bulk([g.first_image_id for g in galleries if g.first_image_id])
        showing = {gallery.pk: [] for gallery in galleries}
        if galleries:
            articles = reduce(or_, (Article.objects.using_gallery(pk) for pk in showing))
            for article in articles.order_by("-published_at", "-pk").only("title", "body", "lead_gallery_id"):
                for pk in article.gallery_ids():
                    if pk in showing:
                        showing[pk].append(article)
        for gallery in galleries:
            gallery.first_image = firsts.get(gallery.first_image_id)
            gallery.articles_showing = showing[gallery.pk]


@admin.register(Gallery)
class GalleryAdmin(admin.ModelAdmin):
    list_display = ["thumbnail", "title", "photo_count", "articles", "created_at"]
    list_display_links = ["title"]
    list_per_page = 50
    search_fields = ["title"]
    fields = ["title"]
    inlines = [GalleryItemInline]

    def get_queryset(self, request):
        first = GalleryItem.objects.filter(gallery=OuterRef("pk")).order_by("position", "pk")
        return (
            super()
            .get_queryset(request)
            .annotate(photo_count=Count("items"), first_image_id=Subquery(first.values("image_id")[:1]))
            .order_by(*Gallery._meta.ordering)  # a grouped query drops the model's ordering
        )

    def get_changelist(self, request, **kwargs):
        return GalleryChangeList

    def get_urls(self):
        picker = self.admin_site.admin_view(self.picker_view)
        return [path("izbor/", picker, name="articles_gallery_picker"), *super().get_urls()]

    def picker_view(self, request):
        """Galleries for the body editor's "Galerija" button: by search words, or by ids (``?ids=3,7``)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        query = PhotoPickerForm({"q": request.GET.get("q", ""), "ids": request.GET.get("ids", "")})
        if not query.is_valid():
            errors = [error for field_errors in query.errors.values() for error in field_errors]
            return JsonResponse({"error": " ".join(errors).replace("fotografija", "galerija")}, status=400)
        galleries = self.get_queryset(request)
        ids = query.cleaned_data["ids"]
        if ids:
            found = galleries.in_bulk(ids)
            chosen = [found[pk] for pk in ids if pk in found]
        else:
            words = query.cleaned_data["q"][:100]
            chosen = list(self.get_search_results(request, galleries, words)[0][:SEARCH_RESULTS])
        firsts = Image.objects.in_bulk([g.first_image_id for g in chosen if g.first_image_id])
        return JsonResponse({"results": [gallery_json(g, firsts.get(g.first_image_id)) for g in chosen]})

    def save_model(self, request, obj, form, change):
        pass  # saved with its photos, in save_related

    def save_related(self, request, form, formsets, change):
        parent = super()
        services.save_gallery(
            form.instance, lambda: parent.save_related(request, form, formsets, change), user=request.user
        )

    def delete_model(self, request, obj):
        services.delete_galleries([obj])

    def delete_queryset(self, request, queryset):
        services.delete_galleries(list(queryset))

    @admin.display(description="prva fotografija")
    def thumbnail(self, gallery):
        return image_thumbnail(gallery.first_image) if getattr(gallery, "first_image", None) else ""

    @admin.display(description="broj fotografija", ordering="photo_count")
    def photo_count(self, gallery):
        return gallery.photo_count

    @admin.display(description="u člancima")
    def articles(self, gallery):
        links = [
            format_html('<li><a href="{}">{}</a></li>', article_change_url(a), a)
            for a in getattr(gallery, "articles_showing", [])
        ]
        return format_html("<ul>{}</ul>", mark_safe("".join(links))) if links else "—"


def article_change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def gallery_json(gallery, first_image=None):
    return {
        "id": gallery.pk,
        "title": gallery.title,
        "count": gallery.photo_count,
        "label": gallery_label(gallery.title, gallery.photo_count),
        "thumb": responsive_image(first_image).smallest if first_image else "",
    }


def gallery_label(title, count):
    """ "Galerija: Poplave (12 fotografija)", with the Serbian plural of the count."""
    return f"Galerija: {title} ({count} {photo_plural(count)})"


def photo_plural(count):
    if count % 10 == 1 and count % 100 != 11:
        return "fotografija"
    if count % 10 in (2, 3, 4) and count % 100 not in (12, 13, 14):
        return "fotografije"
    return "fotografija"


@admin.register(SiteSettings)
class SiteSettingsAdmin(WritesThroughServices, SingletonModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(TransliterationException)
class TransliterationExceptionAdmin(WritesThroughServices, admin.ModelAdmin):
    list_display = ["text"]
    search_fields = ["text"]


def notes_urls(article, user):
    """The links of the article's page to its corrections and replies, for a published article."""
    if article is None or article.status != Article.Status.PUBLISHED or article.is_scheduled:
        return None
    if not user.has_perm("articles.view_articlenote"):
        return None
    urls = {"list": reverse("admin:articles_articlenote_changelist") + f"?article__id__exact={article.pk}"}
    if user.has_perm("articles.add_articlenote"):
        urls["add"] = reverse("admin:articles_articlenote_add") + f"?article={article.pk}"
    return urls


@admin.register(ArticleNote)
class ArticleNoteAdmin(admin.ModelAdmin):
    """Corrections and replies, added from a published article's page; each save or deletion goes through
    the services, which date the article as updated and tell its pages."""

    form = ArticleNoteForm
    list_display = ["__str__", "article", "kind", "replied_by", "published_at"]
    list_filter = ["kind"]
    list_select_related = ["article"]
    search_fields = ["text", "replied_by", "article__title"]
    autocomplete_fields = ["article"]
    date_hierarchy = "published_at"

    def get_readonly_fields(self, request, obj=None):
        return ["article"] if obj is not None else []

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "article":
            # What was posted may be anything; only what can be an id is looked up to show it again.
            widget = IdAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
            widget.empty_label = "Izaberite članak"
            kwargs.update(
                queryset=Article.objects.published(), error_messages=NOTE_ARTICLE_ERRORS, widget=widget
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        services.save_note(obj, user=request.user)

    def delete_model(self, request, obj):
        services.delete_notes([obj], user=request.user)

    def delete_queryset(self, request, queryset):
        services.delete_notes(queryset, user=request.user)

    def response_add(self, request, obj, post_url_continue=None):
        if "_addanother" in request.POST or "_continue" in request.POST:
            return super().response_add(request, obj, post_url_continue)
        self.message_user(request, f"Sačuvano: {obj}. Čitaoci ga vide na kraju članka.", messages.SUCCESS)
        return redirect(notes_urls(obj.article, request.user)["list"])


@admin.register(Impresum)
class ImpresumAdmin(WritesThroughServices, SingletonModelAdmin):
    readonly_fields = ["missing_items"]
    fields = [
        "missing_items",
        "publisher",
        "address",
        "editor_in_chief",
        "registration_number",
        "contact_email",
        "contact_phone",
        "other_staff",
    ]

    @admin.display(description="nedostaje")
    def missing_items(self, impresum):
        missing = missing_impresum_items(impresum)
        if not missing:
            return "Ništa: impresum ima sve što zakon traži."
        return "Popunite: " + ", ".join(missing) + ". Na stranici se prikazuju samo popunjene stavke."


@admin.register(InfoPage)
class InfoPageAdmin(WritesThroughServices, admin.ModelAdmin):
    list_display = ["title", "key", "modified_at"]

    def get_readonly_fields(self, request, obj=None):
        return ["key"] if obj is not None else []

    def has_delete_permission(self, request, obj=None):
        return False  # the footer links to each of them: a page every daily must have is edited, not removed

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "body":
            config = {"extensions": PAGE_EDITOR}
            kwargs["widget"] = AdminProseEditorWidget(config=config, preset="configurable")
        return super().formfield_for_dbfield(db_field, request, **kwargs)

@admin.register(BreakingNews)
class BreakingNewsAdmin(admin.ModelAdmin):
    """The "Najnovije" strip: saves, deletions and switches go through the services (every page shows it)."""

    form = BreakingNewsForm
    # The link is on the form; a long address would squeeze the columns that say what readers see now.
    list_display = ["text", "state", "starts_at", "expires_at", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["text"]
    actions = ["switch_on", "switch_off"]

    @admin.display(description="stanje")
    def state(self, obj):
        now = timezone.now()
        if not obj.is_active:
            return "isključeno"
        if obj.expires_at <= now:
            return "isteklo"
        if obj.starts_at > now:
            return "zakazano"
        return "prikazuje se"

    def save_model(self, request, obj, form, change):
        services.save_breaking_news(obj, user=request.user)

    def delete_model(self, request, obj):
        services.delete_breaking_news([obj])

    def delete_queryset(self, request, queryset):
        services.delete_breaking_news(list(queryset))

    @admin.action(description="Uključi izabrane trake", permissions=["change"])
    def switch_on(self, request, queryset):
        count = services.switch_breaking_news(queryset, is_active=True)
        self.message_user(request, f"Uključeno traka: {count}.", messages.SUCCESS)

    @admin.action(description="Isključi izabrane trake", permissions=["change"])
    def switch_off(self, request, queryset):
        count = services.switch_breaking_news(queryset, is_active=False)
        self.message_user(request, f"Isključeno traka: {count}.", messages.SUCCESS)
