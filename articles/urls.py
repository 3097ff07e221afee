from django.contrib.sitemaps import views as sitemap_views
from django.urls import path, re_path

from config.delivery import reader_script
from config.delivery.page_cache import (
    SITE,
    Param,
    article_page,
    article_scope,
    cached_page,
    listing_pages,
    number_or_refused,
    object_id,
    page_number,
    site_pages,
)

from . import feeds, page_sections, sitemaps, views
from .models import InfoPage
from .reads import count_read

# Pages anonymous readers get from the cache (config.delivery.page_cache), with what they depend on
# and the query parameters they read (no other one reaches them, or their key).
PAGE = Param("page", page_number)
listing = cached_page(listing_pages, params=(PAGE,))
unpaged_listing = cached_page(listing_pages)
published = cached_page(site_pages)
# Django's sitemap view answers 404 for a page it lacks, and stores nothing then.
sitemap_page = cached_page(site_pages, params=(Param("p", number_or_refused),))
# An article page reads the parameters of the sections registered under it (the comments' ordering, page and
# the comment replied to): page_sections.py. The URLconf is imported after every app is ready.
article = cached_page(
    article_page,
    on_hit=lambda request, kwargs: count_read(request, kwargs["pk"]),
    params=page_sections.declared_params(),
)

# A live blog's polled part (static/js/live.js): the same for every reader, so signed-in ones share it too.
live_part = cached_page(
    lambda kwargs: (SITE, article_scope(kwargs["pk"])),
    params=(Param("posle", object_id),),
    same_for_everyone=True,
)

app_name = "articles"

urlpatterns = [
    path("", unpaged_listing(views.home), name="home"),
    path("pretraga/", views.search, name="search"),
    re_path(r"^pismo/(?P<script>lat|cir)/$", reader_script.switch_script, name="switch_script"),
    path("arhiva/", unpaged_listing(views.archive_today), name="archive_today"),
    path("arhiva/<int:year>/<int:month>/<int:day>/", listing(views.day_archive), name="archive_day"),
    path("rss/", published(feeds.LatestRssFeed()), name="feed_rss"),
    path("atom/", published(feeds.LatestAtomFeed()), name="feed_atom"),
    path("robots.txt", published(views.robots_txt), name="robots_txt"),
    path(
        "sitemap.xml",
        published(sitemaps.sitemap_index),
        {"sitemaps": sitemaps.SITEMAPS, "sitemap_url_name": "articles:sitemap_section"},
        name="sitemap_index",
    ),
    path("sitemap-news.xml", published(sitemaps.news_sitemap), name="sitemap_news"),
    path(
        "sitemap-<section>.xml",
        sitemap_page(sitemap_views.sitemap),
        {"sitemaps": sitemaps.SITEMAPS},
        name="sitemap_section",
    ),
    path("uzivo/<id:pk>/", live_part(views.live_entries), name="live_entries"),
    path("impresum/", published(views.impresum), name="impresum"),
    *[
        path(f"{key}/", published(views.info_page), {"key": key}, name=f"info_{key.replace('-', '_')}")
        for key in InfoPage.Key.values
    ],
    path("autor/<slug:slug>/", listing(views.AuthorDetailView.as_view()), name="author"),
    path("tema/<slug:slug>/", listing(views.TagDetailView.as_view()), name="tag"),
    path("<slug:section>/rss/", published(feeds.SectionRssFeed()), name="section_feed_rss"),
    path("<slug:section>/atom/", published(feeds.SectionAtomFeed()), name="section_feed_atom"),
    path("<slug:section>/<id:pk>-<slug:slug>/", article(views.article_detail), name="article"),
    path("<slug:section>/<id:pk>/", article(views.article_detail), name="article_without_slug"),
    path("<slug:slug>/", listing(views.SectionDetailView.as_view()), name="section"),
]
