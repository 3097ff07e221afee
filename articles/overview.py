"""The editors' day overview in the admin: ready, scheduled, just published, my drafts, a click away."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from .models import Article, day_start

ROWS_PER_LIST = 20
RECENT_HOURS = 6


@dataclass(frozen=True)
class OverviewList:
    slug: str
    title: str
    empty: str
    # (queryset, user, now) -> the list's articles: the page and the changelist filter share it.
    select: Callable


def _day_after(now, days):
    return day_start(timezone.localdate(now) + timedelta(days=days))


LISTS = [
    OverviewList(
        "spremno",
        "Spremno za objavu",
        "Nema članaka spremnih za objavu.",
        lambda articles, user, now: articles.ready_for_publication(),
    ),
    OverviewList(
        "zakazano-danas",
        "Zakazano danas",
        "Za danas nije ništa zakazano.",
        lambda articles, user, now: articles.scheduled_between(now, _day_after(now, 1)),
    ),
    OverviewList(
        "zakazano-sutra",
        "Zakazano sutra",
        "Za sutra nije ništa zakazano.",
        lambda articles, user, now: articles.scheduled_between(_day_after(now, 1), _day_after(now, 2)),
    ),
    OverviewList(
        "objavljeno",
        f"Objavljeno u poslednjih {RECENT_HOURS} sati",
        f"U poslednjih {RECENT_HOURS} sati ništa nije objavljeno.",
        lambda articles, user, now: articles.published_since(now - timedelta(hours=RECENT_HOURS)),
    ),
    OverviewList(
        "moji-nacrti",
        "Moji nacrti",
        "Nemate nacrta.",
        lambda articles, user, now: articles.drafts_of(user),
    ),
]
LISTS_BY_SLUG = {overview_list.slug: overview_list for overview_list in LISTS}


class OverviewFilter(admin.SimpleListFilter):
    """The overview's lists in the article changelist, so each block's "Svi (N)" shows the same articles."""

    title = "urednički pregled"
    parameter_name = "pregled"

    def lookups(self, request, model_admin):
        return [(overview_list.slug, overview_list.title.lower()) for overview_list in LISTS]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        overview_list = LISTS_BY_SLUG.get(self.value())
        if overview_list is None:
            raise IncorrectLookupParameters("Nepoznat spisak uredničkog pregleda.")
        return overview_list.select(queryset, request.user, timezone.now())


def overview(request, admin_site):
    if not request.user.has_perm("articles.change_article"):
        raise PermissionDenied
    now = timezone.now()
    changelist = reverse("admin:articles_article_changelist")
    lists = {}
    for overview_list in LISTS:
        articles = overview_list.select(Article.objects.all(), request.user, now)
        lists[overview_list.slug.replace("-", "_")] = {
            "list": overview_list,
            "count": articles.count(),
            "articles": list(articles.for_overview().with_last_editor()[:ROWS_PER_LIST]),
            "all_url": f"{changelist}?pregled={overview_list.slug}",
        }
    context = {
        **admin_site.each_context(request),
        "title": "Urednički pregled",
        "lists": lists,
        "now": now,
    }
    return TemplateResponse(request, "admin/articles/overview.html", context)
