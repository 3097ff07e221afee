from datetime import date, timedelta
from functools import partial

from django.contrib.messages import get_messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.formats import date_format
from django.utils.functional import SimpleLazyObject
from django.utils.http import urlencode
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.generic import DetailView

from config.delivery import fragments, invalidation

from . import live, page_sections
from .addresses import absolute_url
from .compiled_queries import CompiledQuery
from .forms import SearchForm
from .galleries import shown_galleries
from .metadata import article_meta, listing_meta
from .models import Article, Author, Image, Impresum, InfoPage, Section, Tag, day_start
from .reads import count_read
from .search import query_words, search_page
from .site_pages import impresum_items, staff_lines

LISTING_PAGE_SIZE = 20
# Midnight of an earlier day cannot always be turned into UTC (year 1 has no day before it); no archive of
# ours is older than this.
EARLIEST_ARCHIVE_DAY = date(1900, 1, 1)


TOP_STORIES = 4
LATEST_HEADLINES = 10
SECTION_BLOCK_SIZE = 4
RANKED_LIST_SIZE = 5


# The front page's hottest queries, compiled once per process and database (articles/compiled_queries.py).
NEWEST = CompiledQuery(
    Article, lambda now, since: Article.objects.published(now).for_listing()[: LATEST_HEADLINES + 1]
)
FLAGGED_LEAD = CompiledQuery(
    Article, lambda now, since: Article.objects.published(now).for_listing().filter(is_lead=True)[:1]
)
NEWEST_PER_SECTION = CompiledQuery(
    Article,
    lambda now, since, section_ids, exclude: Article.objects.exclude(pk__in=exclude).newest_per_section(
        section_ids, SECTION_BLOCK_SIZE, now=now
    ),
)
MOST_READ = CompiledQuery(
    Article, lambda now, since: Article.objects.most_read(since=since, limit=RANKED_LIST_SIZE, now=now)
)


def _hour(moment):
    return moment.replace(minute=0, second=0, microsecond=0)  # as most_read counts reads: by the hour


def home(request):
    now = timezone.now()
    # The flagged lead story, the newest flagged one if several are; else simply the newest article. Two
    # index look-ups: ordering by the flag first would sort the whole archive.
    newest = NEWEST(now=now)
    lead = next(iter(FLAGGED_LEAD(now=now)), None) or (newest[0] if newest else None)
    latest = [story for story in newest if story != lead][:LATEST_HEADLINES]
    top_stories = latest[:TOP_STORIES]
    on_top = [story.pk for story in [lead, *top_stories] if story]
    context = {
        "lead": lead,
        "top_stories": top_stories,
        "latest": latest,
        # The navigation shows the same sections: reusing them saves the context processor's query.
        "nav_sections": Section.objects.with_newest_articles(
            SECTION_BLOCK_SIZE, exclude=on_top, newest_per_section=partial(NEWEST_PER_SECTION, now=now)
        ),
        "most_read_day": MOST_READ(since=_hour(now - timedelta(hours=24)), now=now),
        "most_read_week": MOST_READ(since=_hour(now - timedelta(days=7)), now=now),
        "ranked_list_size": RANKED_LIST_SIZE,
    }
    return render(request, "articles/home.html", context)


def article_detail(request, section, pk, slug=""):
    article = Article.objects.for_page(prefetch=False).with_publication_state().filter(pk=pk).first()
    is_preview = article is None or not article.is_live
    # A missing id asks for the permission too: a draft's answer must not differ from a missing id's, not
    # even by the "Vary: Cookie" that reading the session adds.
    if is_preview and not request.user.has_perm("articles.preview_article"):
        if article is not None and article.was_withdrawn_while_live:
            # Gone, and readers are told so (and why, if the editors wrote a notice); never cached, not even
            # by browsers (a 410 may be kept by default), so publishing it again brings it back at once.
            response = render(request, "articles/article_withdrawn.html", {"article": article}, status=410)
            add_never_cache_headers(response)
            return response
        raise Http404("Članak nije objavljen.")
    if article is None:
        raise Http404("Članak nije objavljen.")  # the same words as for a draft, even in DEBUG
    if section != article.section.slug or slug != article.slug:
        return redirect(article, permanent=True)
    if is_preview:
        fragments.bypass()  # a draft's parts are never read from nor kept for readers' pages
    try:
        # Notices are read (and so used up) only by a section that is shown, not before a redirect.
        sections = page_sections.build(article, request.GET, user=request.user, notices=get_messages(request))
    except page_sections.NotCanonical as refused:
        return redirect(article.get_absolute_url() + refused.query_string)

    # What only the page's fragments show is read when one is made: a page whose fragments are kept skips it.
    shown = SimpleLazyObject(lambda: Article.objects.prefetch_for_page(article))
    context = {
        "article": shown,
        "current_section": article.section,
        "is_preview": is_preview,
        "inline_images": SimpleLazyObject(lambda: Image.objects.in_bulk(shown.inline_image_ids())),
        "galleries": SimpleLazyObject(lambda: shown_galleries(shown.gallery_ids())),
        "has_gallery": bool(article.gallery_ids()),
        # A live blog's entries, read (one query) only when its fragment is made.
        "is_live_blog": article.is_live_blog,
        "live_entries": SimpleLazyObject(lambda: live.entries(article)),
        "live_poll_seconds": live.POLL_SECONDS,
        "related": SimpleLazyObject(lambda: list(Article.objects.related_to(shown))),
        "social": SimpleLazyObject(lambda: article_meta(shown)),
        "page_sections": sections,
        "fragment_scopes": {
            # A live blog's entries change its own scope, and its text parts show them (and the update time).
            "site": (invalidation.SITE, invalidation.article(article.pk))
            if article.is_live_blog
            else (invalidation.SITE,),
            "cards": (invalidation.SITE, invalidation.COMMENTS),
            "article": article.pk,
            # The header's link to the comments gives their count: the article's part is made again when it
            # changes (a comment approved or removed changes this article's scope, not SITE).
            "comment_count": article.comment_count,
        },
    }
    if not is_preview:
        count_read(request, article.pk)
    response = render(request, "articles/article_detail.html", context)
    if is_preview:
        add_never_cache_headers(response)
    return response


def live_entries(request, pk):
    """The polled part of a live blog: entries newer than ``posle`` (an entry's id), or the newest ones, and
    whether coverage still runs. Anything but a published live blog answers as missing."""
    article = live.live_article(pk)
    if article is None:
        raise Http404("Nema praćenja uživo.")
    after = int(request.GET.get("posle") or 0)
    entries = live.entries(article, limit=live.POLLED_ENTRIES, after=after)
    context = {"article": article, "entries": entries, "newest": entries[0].pk if entries else after}
    return render(request, "articles/live/polled.html", context)


def listing_page(paginator, number):
    """The page asked for; past the last page there is none (a 404 is not cached, so page numbers cannot flood
    the page cache with copies of the last page). Anything but a number is the first page."""
    number = int(number) if number and number.isascii() and number.isdigit() else 1
    if number > 1 and number > paginator.num_pages:
        raise Http404("Ta strana ne postoji.")
    return paginator.page(max(number, 1))


class ArticleListingMixin:
    """A page about one section, author or tag, with its published articles, paginated."""

    def get_listing(self):
        raise NotImplementedError

    def get_description(self):
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        paginator = Paginator(self.get_listing().published().for_listing(), LISTING_PAGE_SIZE)
        return super().get_context_data(
            page_obj=listing_page(paginator, self.request.GET.get("page")),
            social=listing_meta(self.object.name, self.get_description()),
            **kwargs,
        )


class SectionDetailView(ArticleListingMixin, DetailView):
    model = Section

    def get_listing(self):
        return self.object.articles

    def get_description(self):
        description = _("The latest news, reports and analyses from the %(section)s section.")
        return description % {"section": self.object.name}

    def get_context_data(self, **kwargs):
        return super().get_context_data(current_section=self.object, **kwargs)


class AuthorDetailView(ArticleListingMixin, DetailView):
    model = Author

    def get_listing(self):
        return self.object.articles

    def get_description(self):
        fallback = _("Articles by %(author)s.") % {"author": self.object.name}
        return Truncator(self.object.bio).chars(160) or fallback


class TagDetailView(ArticleListingMixin, DetailView):
    model = Tag

    def get_listing(self):
        return self.object.articles

    def get_description(self):
        return _("All articles on the topic “%(topic)s”, newest first.") % {"topic": self.object.name}


def search(request):
    form = SearchForm(request.GET or None)
    context = {"form": form, "query": ""}
    if form.is_bound and not form.is_valid():
        return render(request, "articles/search.html", context, status=400)
    query = form.cleaned_data["q"] if form.is_bound else ""
    context["query"] = query
    if query and not query_words(query):
        context["no_words"] = True
    elif query:
        kept = {name: request.GET[name] for name in form.fields if request.GET.get(name)}
        context["page_obj"] = search_page(query, request.GET.get("page"), **form.search_filters())
        context["page_query_prefix"] = urlencode(kept) + "&"
    return render(request, "articles/search.html", context)


def archive_today(request):
    today = timezone.localdate()
    return redirect("articles:archive_day", year=today.year, month=today.month, day=today.day)


def day_archive(request, year, month, day):
    try:
        day = date(year, month, day)
    except (ValueError, OverflowError):
        raise Http404("Taj datum ne postoji.") from None
    if day > timezone.localdate():
        raise Http404("Arhiva za taj dan još ne postoji.")
    if day < EARLIEST_ARCHIVE_DAY:
        raise Http404("Arhiva za taj dan ne postoji.")
    published = Article.objects.published()
    previous = published.filter(published_at__lt=day_start(day)).order_by("-published_at").first()
    following = published.filter(published_at__gte=day_start(day + timedelta(days=1)))
    following = following.order_by("published_at").first()
    paginator = Paginator(published.published_on(day).for_listing(), LISTING_PAGE_SIZE)
    shown_day = date_format(day, "j. F Y.")
    context = {
        "day": day,
        "page_obj": listing_page(paginator, request.GET.get("page")),
        "previous_day": timezone.localdate(previous.published_at) if previous else None,
        "next_day": timezone.localdate(following.published_at) if following else None,
        "social": listing_meta(
            _("Archive: %(day)s") % {"day": shown_day},
            _("All the news published on %(day)s") % {"day": shown_day},
        ),
    }
    return render(request, "articles/day_archive.html", context)


def impresum(request):
    impresum = Impresum.get_solo()
    context = {
        "items": impresum_items(impresum),
        "staff": staff_lines(impresum),
        "social": listing_meta("Impresum", "Izdavač, urednik, upis u Registar medija i kontakt redakcije."),
    }
    return render(request, "articles/pages/impresum.html", context)


def info_page(request, key):
    page = get_object_or_404(InfoPage, key=key)
    context = {"page": page, "social": listing_meta(page.title, page.get_key_display())}
    return render(request, "articles/pages/info_page.html", context)


def robots_txt(request):
    sitemaps = [absolute_url(reverse(name)) for name in ("articles:sitemap_index", "articles:sitemap_news")]
    return render(request, "robots.txt", {"sitemaps": sitemaps}, content_type="text/plain; charset=utf-8")
