from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path, register_converter
from django.views.static import serve

from articles.converters import ObjectIdConverter

register_converter(ObjectIdConverter, "id")

admin.site.site_header = "Čitaonica: redakcija"
admin.site.site_title = "Čitaonica"
admin.site.index_title = "Administracija"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("komentari/", include("comments.urls")),
    path("", include("articles.urls")),
]

if settings.SERVE_MEDIA:
    # Development and tests only: production serves media from the web server or object storage.
    media_prefix = settings.MEDIA_URL.lstrip("/")
    urlpatterns.insert(
        0, re_path(rf"^{media_prefix}(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})
    )
