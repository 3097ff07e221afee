from django.contrib.sitemaps import views as sitemap_views
from django.urls import path, re_path

from . import feeds, reader_script, sitemaps, views

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("pretraga/", views.search, name="search"),
    re_path(r"^pismo/(?P<script>lat|cir)/$", reader_script.switch_script, name="switch_script"),
    path("arhiva/", views.archive_today, name="archive_today"),
    path("arhiva/<int:year>/<int:month>/<int:day>/", views.day_archive, name="archive_day"),
    path("rss/", feeds.LatestRssFeed(), name="feed_rss"),
    path("atom/", feeds.LatestAtomFeed(), name="feed_atom"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path(
        "sitemap.xml",
        sitemaps.sitemap_index,
        {"sitemaps": sitemaps.SITEMAPS, "sitemap_url_name": "articles:sitemap_section"},
        name="sitemap_index",
    ),
    path("sitemap-news.xml", sitemaps.news_sitemap, name="sitemap_news"),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": sitemaps.SITEMAPS},
        name="sitemap_section",
    ),
    path("autor/<slug:slug>/", views.AuthorDetailView.as_view(), name="author"),
    path("tema/<slug:slug>/", views.TagDetailView.as_view(), name="tag"),
    path("<slug:section>/rss/", feeds.SectionRssFeed(), name="section_feed_rss"),
    path("<slug:section>/atom/", feeds.SectionAtomFeed(), name="section_feed_atom"),
    path("<slug:section>/<id:pk>-<slug:slug>/", views.article_detail, name="article"),
    path("<slug:section>/<id:pk>/", views.article_detail, name="article_without_slug"),
    path("<slug:slug>/", views.SectionDetailView.as_view(), name="section"),
]
