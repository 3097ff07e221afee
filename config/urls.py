from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path, register_converter
from django.views.static import serve

from articles.converters import ObjectIdConverter
from config.storage import IMMUTABLE

MEDIA_MAX_AGE = 24 * 3600  # originals: a deleted photo's name may be given to a later upload

register_converter(ObjectIdConverter, "id")

admin.site.site_header = "Čitaonica: redakcija"
admin.site.site_title = "Čitaonica"
admin.site.index_title = "Administracija"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("komentari/", include("comments.urls")),
    path("", include("articles.urls")),
]


def serve_media(request, path):
    """Media with browser caching: a rendition's name changes with its content, so it keeps for a year."""
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    rendition = path.startswith(f"{settings.IMAGEKIT_CACHEFILE_DIR}/")
    response.headers["Cache-Control"] = IMMUTABLE if rendition else f"public, max-age={MEDIA_MAX_AGE}"
    return response


if settings.SERVE_MEDIA:
    # Development and tests only: production serves media from the web server or object storage.
    media_prefix = settings.MEDIA_URL.lstrip("/")
    urlpatterns.insert(0, re_path(rf"^{media_prefix}(?P<path>.*)$", serve_media))
