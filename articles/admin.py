from django.contrib import admin, messages
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from solo.admin import SingletonModelAdmin

from .forms import ArticleActionForm, ArticleAdminForm, ImageAdminForm
from .models import Article, ArticleAuthor, Author, Image, Section, SiteSettings, Tag
from .renditions import generate_renditions, responsive_image
from .text import SLUG_TRANSLITERATION


def image_thumbnail(image):
    return format_html('<img src="{}" alt="" width="80" loading="lazy">', responsive_image(image).smallest)


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
    form = ImageAdminForm
    list_display = ["thumbnail", "caption", "credit", "restriction", "width", "height", "uploaded_at"]
    list_filter = ["restriction"]
    search_fields = ["caption", "credit", "alt_text"]
    readonly_fields = ["width", "height", "where_used"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if "file" in form.changed_data:
            generate_renditions(obj)  # now, so no reader waits for them

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

    @admin.display(description="")
    def thumbnail(self, image):
        return image_thumbnail(image)


class ArticleAuthorInline(admin.TabularInline):
    model = ArticleAuthor
    extra = 1
    autocomplete_fields = ["author"]


@admin.register(Article)
class ArticleAdmin(SerbianSlugAdminMixin, admin.ModelAdmin):
    form = ArticleAdminForm
    action_form = ArticleActionForm
    actions = ["publish_now", "withdraw", "move_to_section"]
    list_display = ["thumbnail", "title", "section", "byline", "state", "published_at", "comment_count"]
    list_display_links = ["title"]
    list_filter = ["status", "section", "authors", "is_lead", "comments_enabled"]
    list_select_related = ["section", "hero_image"]
    list_per_page = 100
    search_fields = ["title", "lead", "kicker"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["tags", "hero_image"]
    inlines = [ArticleAuthorInline]
    fieldsets = [
        ("Sadržaj", {"fields": ["kicker", "title", "slug", "lead", "body"]}),
        ("Fotografija", {"fields": ["hero_image", "hero_caption"]}),
        ("Rubrika i oznake", {"fields": ["section", "tags"]}),
        ("Objavljivanje", {"fields": ["status", "published_at", "updated_at", "is_lead"]}),
        ("Komentari", {"fields": ["comments_enabled"]}),
        ("SEO", {"fields": ["seo_description"]}),
    ]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.may_publish = request.user.has_perm("articles.publish_article")
        return form

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        for image in obj.restricted_images_used_elsewhere():
            warning = f"Upozorenje: fotografija „{image}“ sme u samo jedan članak, a već je u drugom."
            self.message_user(request, warning, messages.WARNING)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("authors")

    def has_publish_permission(self, request):
        return request.user.has_perm("articles.publish_article")

    @admin.display(description="")
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
        count = queryset.update(status=Article.Status.PUBLISHED, published_at=timezone.now())
        self.message_user(request, f"Objavljeno članaka: {count}.", messages.SUCCESS)

    @admin.action(description="Povuci sa sajta", permissions=["publish"])
    def withdraw(self, request, queryset):
        count = queryset.update(status=Article.Status.WITHDRAWN)
        self.message_user(request, f"Povučeno članaka: {count}.", messages.SUCCESS)

    @admin.action(description="Premesti u rubriku", permissions=["change"])
    def move_to_section(self, request, queryset):
        section = Section.objects.filter(pk=request.POST.get("section") or None).first()
        if section is None:
            self.message_user(request, "Izaberite rubriku u koju se članci premeštaju.", messages.ERROR)
            return
        count = queryset.update(section=section)
        self.message_user(request, f"Premešteno u rubriku „{section}“: {count}.", messages.SUCCESS)


@admin.register(SiteSettings)
class SiteSettingsAdmin(SingletonModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
