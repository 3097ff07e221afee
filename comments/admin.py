from functools import partial

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from django_comments_xtd.models import XtdComment
from solo.admin import SingletonModelAdmin

from articles.admin import ArticleAdmin
from articles.models import Article, SiteSettings

from . import desk_views, moderation
from .models import (
    ArticleComment,
    Ban,
    CommentSettings,
    Decision,
    ReaderProfile,
    RejectReason,
    Report,
    visible_condition,
)

# The packages' own admins change is_public without our bookkeeping; moderation goes through ours only.
for model in (XtdComment,):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


class RecordAdmin(admin.ModelAdmin):
    """A record to look up only: written by the site (decisions, readers' accounts), never in the admin."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class StateFilter(admin.SimpleListFilter):
    title = "stanje"
    parameter_name = "stanje"

    def lookups(self, request, model_admin):
        return [
            ("na-cekanju", "Na čekanju"),
            ("objavljeni", "Objavljeni"),
            ("sakriveni", "Sakriveni zbog prijava"),
            ("odbijeni", "Odbijeni"),
        ]

    def queryset(self, request, queryset):
        return {
            "na-cekanju": queryset.pending(),
            "objavljeni": queryset.filter(visible_condition()),  # also under articles no longer public
            "sakriveni": queryset.filter(hidden_by_reports=True, is_removed=False),
            "odbijeni": queryset.filter(is_removed=True),
        }.get(self.value(), queryset)


@admin.register(ArticleComment)
class ArticleCommentAdmin(admin.ModelAdmin):
    list_display = [
        "excerpt",
        "user_name",
        "user_email",
        "ip_address",
        "article_link",
        "submit_date",
        "state",
        "reasons",
        "report_count",
    ]
    list_filter = [StateFilter, "email_verified"]
    list_select_related = ["article__section"]
    search_fields = ["comment", "user_name", "user_email", "ip_address"]
    ordering = ["-submit_date"]
    date_hierarchy = "submit_date"
    actions = ["approve_selected", "reject_selected"]
    fields = [
        "article_link",
        "user_name",
        "user_email",
        "email_verified",
        "ip_address",
        "submit_date",
        "comment",
        "state",
        "reasons",
        "followup",
        "like_count",
        "dislike_count",
        "report_count",
        "moderated_at",
    ]
    # Moderators may correct a name or a typo; state changes only through decisions.
    readonly_fields = [name for name in fields if name not in ("user_name", "comment")]

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        moderation.edit_comment(obj)

    def delete_model(self, request, obj):
        moderation.delete_comments([obj])

    def delete_queryset(self, request, queryset):
        moderation.delete_comments(queryset)

    def get_urls(self):
        def desk_view(function, suffix, route):
            view = self.admin_site.admin_view(partial(function, admin_site=self.admin_site))
            return path(route, view, name=f"comments_desk{suffix}")

        return [
            desk_view(desk_views.desk, "", "desk/"),
            desk_view(desk_views.decide, "_decide", "desk/odluka/"),
            desk_view(desk_views.ban, "_ban", "desk/zabrana/"),
            desk_view(desk_views.undo, "_undo", "desk/ponisti/"),
            desk_view(desk_views.my_decisions, "_mine", "desk/moje-odluke/"),
            *super().get_urls(),
        ]

    @admin.display(description="komentar")
    def excerpt(self, comment):
        return Truncator(comment.comment).chars(120)

    @admin.display(description="članak", ordering="article__title")
    def article_link(self, comment):
        return format_html('<a href="{}">{}</a>', comment.article.get_absolute_url(), comment.article.title)

    @admin.display(description="stanje")
    def state(self, comment):
        if comment.is_removed:
            return "odbijen"
        if comment.hidden_by_reports:
            return "sakriven zbog prijava"
        return "objavljen" if comment.is_public else "na čekanju"

    @admin.display(description="razlozi zadržavanja")
    def reasons(self, comment):
        return ", ".join(str(label) for label in comment.hold_reason_labels)

    @admin.action(description="Odobri izabrane komentare", permissions=["moderate"])
    def approve_selected(self, request, queryset):
        self._decide(request, queryset, Decision.Action.APPROVE, "Odobreno")

    @admin.action(description="Odbij izabrane komentare", permissions=["moderate"])
    def reject_selected(self, request, queryset):
        self._decide(request, queryset, Decision.Action.REJECT, "Odbijeno", reason=RejectReason.OTHER)

    def _decide(self, request, queryset, action, done, reason=""):
        ids = list(queryset.values_list("pk", flat=True))
        outcome = moderation.decide(ids, action, moderator=request.user, reason=reason)
        self.message_user(request, f"{done} komentara: {len(outcome.applied)}.", messages.SUCCESS)

    def has_moderate_permission(self, request):
        return request.user.has_perm("django_comments.can_moderate")


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["comment_link", "reason", "note", "created_at"]
    list_filter = ["reason"]
    list_select_related = ["comment"]
    exclude = ["comment"]  # shown as ``comment_link``: the field itself has no Serbian label
    readonly_fields = ["comment_link", "reader_key", "reason", "note", "created_at"]

    def has_add_permission(self, request):
        return False

    @admin.display(description="komentar")
    def comment_link(self, report):
        url = reverse("admin:comments_articlecomment_change", args=[report.comment_id])
        return format_html('<a href="{}">{}</a>', url, Truncator(report.comment.comment).chars(80))


@admin.register(Ban)
class BanAdmin(admin.ModelAdmin):
    list_display = ["__str__", "reason", "created_by", "created_at", "expires_at", "lifted_at"]
    list_filter = ["created_at"]
    search_fields = ["email", "ip_address", "reason", "user__email"]
    readonly_fields = ["created_by", "created_at"]
    raw_id_fields = ["user"]  # a reader's account, banned from the desk for a comment written signed in

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(ReaderProfile)
class ReaderProfileAdmin(RecordAdmin):
    """Readers' accounts, to look up: names are chosen and changed by readers on their profile page, where
    the checks are (comments/display_names.py); accounts are deleted by their readers."""

    list_display = ["display_name", "email", "created_at"]
    search_fields = ["display_name", "user__email"]
    list_select_related = ["user"]
    fields = ["display_name", "email", "notify_replies", "notify_outcomes", "created_at"]
    readonly_fields = fields

    @admin.display(description="e-adresa", ordering="user__email")
    def email(self, profile):
        return profile.user.email


@admin.register(Decision)
class DecisionAdmin(RecordAdmin):
    list_display = ["created_at", "moderator", "action", "reason", "comment_link", "applied", "undone"]
    list_filter = ["action", "applied", "moderator"]
    list_select_related = ["moderator", "comment"]
    date_hierarchy = "created_at"
    exclude = ["comment"]  # shown as ``comment_link``: the field itself has no Serbian label
    readonly_fields = ["comment_link"]

    @admin.display(description="komentar")
    def comment_link(self, decision):
        url = reverse("admin:comments_articlecomment_change", args=[decision.comment_id])
        return format_html('<a href="{}">{}</a>', url, Truncator(decision.comment.comment).chars(60))


class SiteSettingsForm(forms.ModelForm):
    class Meta:
        model = SiteSettings
        fields = [
            "site_name",
            "tagline",
            "follow_text",
            "facebook_url",
            "instagram_url",
            "x_url",
            "print_edition_text",
            "print_edition_url",
        ]
        field_classes = {
            name: partial(forms.URLField, assume_scheme="https")
            for name in ["facebook_url", "instagram_url", "x_url", "print_edition_url"]
        }


class CommentSettingsForm(forms.ModelForm):
    class Meta:
        model = CommentSettings
        fields = [
            "close_after_days",
            "max_length",
            "rules",
            "require_email_verification",
            "reports_to_hide",
            "max_links",
            "threads_per_page",
            "edit_minutes",
            "banned_words",
            "suspect_words",
            "trust_enabled",
            "trust_min_approved",
            "trust_clean_days",
            "desk_hours_enabled",
            "desk_opens",
            "desk_closes",
            "after_hours",
        ]


@admin.register(CommentSettings)
class CommentSettingsAdmin(SingletonModelAdmin):
    """One page for all site settings: the site's texts and links and the comment policy, saved together."""

    def has_change_permission(self, request, obj=None):
        return request.user.has_perms(["comments.change_commentsettings", "articles.change_sitesettings"])

    def change_view(self, request, object_id=None, form_url="", extra_context=None):
        if not self.has_change_permission(request):
            raise PermissionDenied
        data = request.POST if request.method == "POST" else None
        site_form = SiteSettingsForm(data, instance=SiteSettings.get_solo(), prefix="sajt")
        comment_form = CommentSettingsForm(data, instance=CommentSettings.get_solo(), prefix="komentari")
        if data is not None and site_form.is_valid() and comment_form.is_valid():
            moderation.save_settings(site_form, comment_form)
            self.message_user(request, "Podešavanja su sačuvana i važe odmah.", messages.SUCCESS)
            return redirect(request.path)
        context = {
            **self.admin_site.each_context(request),
            "title": "Podešavanja sajta",
            "site_form": site_form,
            "comment_form": comment_form,
        }
        status = 400 if data is not None else 200
        return TemplateResponse(request, "admin/site_settings.html", context, status=status)


class ArticleWithCommentsAdmin(ArticleAdmin):
    """The newsroom's article list, with each article's comments waiting for the desk."""

    list_display = [*ArticleAdmin.list_display, "pending_comments"]

    def get_queryset(self, request):
        waiting = Q(reader_comments__is_public=False, reader_comments__is_removed=False)
        return (
            super().get_queryset(request).annotate(pending_comments=Count("reader_comments", filter=waiting))
        )

    @admin.display(description="na čekanju", ordering="pending_comments")
    def pending_comments(self, article):
        if not article.pending_comments:
            return 0
        url = reverse("admin:comments_desk") + f"?red=na-cekanju&clanak={article.pk}"
        return format_html('<a href="{}">{}</a>', url, article.pending_comments)


admin.site.unregister(Article)
admin.site.register(Article, ArticleWithCommentsAdmin)
