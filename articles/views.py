from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.generic import DetailView

from .addresses import absolute_url
from .models import Article, Author, Image, Section, Tag

LISTING_PAGE_SIZE = 20


def home(request):
    articles = Article.objects.published().for_listing()
    lead = articles.filter(is_lead=True).first() or articles.first()
    latest = articles.exclude(pk=lead.pk)[:12] if lead else []
    return render(request, "articles/home.html", {"lead": lead, "latest": latest})


def article_detail(request, section, pk, slug=""):
    article = get_object_or_404(Article.objects.for_page().with_publication_state(), pk=pk)
    is_preview = not article.is_live
    if is_preview and not request.user.has_perm("articles.preview_article"):
        raise Http404("Članak nije objavljen.")
    if section != article.section.slug or slug != article.slug:
        return redirect(article, permanent=True)

    context = {
        "article": article,
        "current_section": article.section,
        "is_preview": is_preview,
        "inline_images": Image.objects.in_bulk(article.inline_image_ids()),
        "related": Article.objects.related_to(article),
    }
    response = render(request, "articles/article_detail.html", context)
    if is_preview:
        add_never_cache_headers(response)
    return response


class ArticleListingMixin:
    """A page about one section, author or tag, with its published articles, paginated."""

    def get_listing(self):
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        paginator = Paginator(self.get_listing().published().for_listing(), LISTING_PAGE_SIZE)
        return super().get_context_data(page_obj=paginator.get_page(self.request.GET.get("page")), **kwargs)


class SectionDetailView(ArticleListingMixin, DetailView):
    model = Section

    def get_listing(self):
        return self.object.articles

    def get_context_data(self, **kwargs):
        return super().get_context_data(current_section=self.object, **kwargs)


class AuthorDetailView(ArticleListingMixin, DetailView):
    model = Author

    def get_listing(self):
        return self.object.articles


class TagDetailView(ArticleListingMixin, DetailView):
    model = Tag

    def get_listing(self):
        return self.object.articles


def search(request):
    raise Http404  # written with articles/search.py


def archive_today(request):
    raise Http404


def day_archive(request, year, month, day):
    raise Http404


def robots_txt(request):
    sitemaps = [absolute_url(reverse(name)) for name in ("articles:sitemap_index", "articles:sitemap_news")]
    return render(request, "robots.txt", {"sitemaps": sitemaps}, content_type="text/plain; charset=utf-8")
