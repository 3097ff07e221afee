from django.contrib import admin
from django.db import models
from django.utils.html import format_html
from solo.admin import SingletonModelAdmin

from .models import Article, ArticleAuthor, Author, Image, Section, SiteSettings, Tag
from .renditions import generate_renditions
from .text import SLUG_TRANSLITERATION


class SerbianSlugAdminMixin:
    """Fills the slug in the browser with the same transliteration table the server uses."""

    change_form_template = "admin/articles/change_form_with_slug.html"

    def render_change_form(self, request, context, *args, **kwargs):
        context["slug_transliteration"] = SLUG_TRANSLITERATION
        return super().render_change_form(request, context, *args, **kwargs)


@admin.register(Section)
class SectionAdmin(SerbianSlugAdminMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Author)
class AuthorAdmin(SerbianSlugAdminMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "user"]
    list_select_related = ["user"]
    search_fields = ["name", "bio"]
    prepopulated_fields = {"slug": ["name"]}
    raw_id_fields = ["user"]


@admin.register(Tag)
class TagAdmin(SerbianSlugAdminMixin, admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    list_display = ["thumbnail", "caption", "credit", "restriction", "width", "height", "uploaded_at"]
    list_filter = ["restriction"]
    search_fields = ["caption", "credit", "alt_text"]
    readonly_fields = ["width", "height"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if "file" in form.changed_data:
            generate_renditions(obj)  # now, so no reader waits for them

    @admin.display(description="")
    def thumbnail(self, image):
        return format_html('<img src="{}" alt="" width="80" loading="lazy">', image.file.url)


class ArticleAuthorInline(admin.TabularInline):
    model = ArticleAuthor
    extra = 1
    autocomplete_fields = ["author"]


@admin.register(Article)
class ArticleAdmin(SerbianSlugAdminMixin, admin.ModelAdmin):
    list_display = ["title", "section", "status", "published_at", "is_lead", "comments_enabled"]
    list_filter = ["status", "section", "is_lead", "comments_enabled"]
    list_select_related = ["section"]
    search_fields = ["title", "lead", "kicker"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["tags"]
    raw_id_fields = ["hero_image"]
    inlines = [ArticleAuthorInline]
    fieldsets = [
        ("Sadržaj", {"fields": ["kicker", "title", "slug", "lead", "body"]}),
        ("Fotografija", {"fields": ["hero_image", "hero_caption"]}),
        ("Rubrika i oznake", {"fields": ["section", "tags"]}),
        ("Objavljivanje", {"fields": ["status", "published_at", "updated_at", "is_lead"]}),
        ("Komentari", {"fields": ["comments_enabled"]}),
        ("SEO", {"fields": ["seo_description"]}),
    ]


@admin.register(SiteSettings)
class SiteSettingsAdmin(SingletonModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
