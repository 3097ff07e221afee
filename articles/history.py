"""Version history of articles and photos (django-reversion, with django-reversion-compare's diffs)."""

import re
from contextlib import contextmanager

import reversion
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import models
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.formats import date_format
from reversion.models import Version
from reversion_compare.admin import CompareVersionAdmin

from .models import Article, ArticleAuthor, Author, Image, Tag

# An article's versions carry its byline rows, so restoring one brings back its authors.
reversion.register(ArticleAuthor)
reversion.register(Article, follow=["articleauthor_set"])
reversion.register(Image)

BLOCK_END = re.compile(r"(</(?:p|h[1-6]|li|ul|ol|blockquote|figure)>|<br>|<hr>)\s*")


def byline_in(version):
    """The byline an article had in ``version``, from the author rows saved in the same revision."""
    rows = sorted(
        (row["position"], row["id"], row["author_id"])
        for row in (v.field_dict for v in version.revision.version_set.get_for_model(ArticleAuthor))
        if str(row["article_id"]) == version.object_id
    )
    names = Author.objects.in_bulk([author_id for *_, author_id in rows])
    return ", ".join(
        names[author_id].name if author_id in names else "(obrisan autor)" for *_, author_id in rows
    )


def tags_in(version):
    return ", ".join(tag.name for tag in Tag.objects.filter(pk__in=version.field_dict.get("tags", [])))


def state_before_restore(version):
    """What restoring ``version`` must not take from it, read before reversion writes it into the row.

    The comment count is moderation's; the status decides whether saving needs the publish permission. A
    deleted article took its comments with it and comes back as a new article would.
    """
    live = Article.objects.filter(pk=version.object_id).values("status", "comment_count").first()
    return live or {"status": Article.Status.DRAFT, "comment_count": 0}


def saved_at(version):
    return date_format(timezone.localtime(version.revision.date_created), "DATETIME_FORMAT")


class VersionHistoryAdmin(CompareVersionAdmin):
    """History (who, when, what), a diff of any two versions and restoring one, from django-reversion.

    The package's pages are translated by the templates in ``templates/reversion*/``.
    """

    def before_restore(self, request, version):
        """Called with the version about to be restored, before reversion writes it into the database."""
        request.restored_version = version

    def revision_view(self, request, object_id, version_id, extra_context=None):
        versions = Version.objects.get_for_model(self.model)
        version = get_object_or_404(versions, pk=version_id, object_id=unquote(object_id))
        self.before_restore(request, version)
        context = {"title": f"Vraćanje verzije od {saved_at(version)}", **(extra_context or {})}
        return super().revision_view(request, object_id, version_id, context)

    def recover_view(self, request, version_id, extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        version = get_object_or_404(Version.objects.get_for_model(self.model), pk=version_id)
        self.before_restore(request, version)
        context = {"title": f"Vraćanje obrisanog, verzija od {saved_at(version)}", **(extra_context or {})}
        return super().recover_view(request, version_id, context)

    def recoverlist_view(self, request, extra_context=None):
        context = {"title": f"Vraćanje obrisanih: {self.opts.verbose_name_plural}", **(extra_context or {})}
        return super().recoverlist_view(request, context)

    @contextmanager
    def create_revision(self, request):
        with super().create_revision(request):
            yield
            # Reached only when a restore was saved; reversion's own comment for it is not translated.
            restored = getattr(request, "restored_version", None)
            if restored is not None:
                reversion.set_comment(f"Vraćena verzija od {saved_at(restored)}.")

    def compare_view(self, request, object_id, extra_context=None):
        # The package's compare page only asks for staff; two versions show as much as the change form.
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        return super().compare_view(request, object_id, extra_context)

    def compare(self, obj, version1, version2):
        diff, _ = super().compare(obj, version1, version2)
        # Unless REVERSION_COMPARE_FOREIGN_OBJECTS_AS_ID is set, the package lists every foreign key as
        # changed whenever any field changed; only the ones whose target changed are worth showing.
        changed = [
            entry
            for entry in diff
            if not isinstance(entry["field"], models.ForeignKey)
            or version1.field_dict.get(entry["field"].attname)
            != version2.field_dict.get(entry["field"].attname)
        ]
        return changed, any(entry["is_related"] and not entry["follow"] for entry in changed)
