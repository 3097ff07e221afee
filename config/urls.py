from django.conf import settings
from django.contrib import admin
from django.http import Http404
from django.urls import include, path, re_path, register_converter
from django.urls.converters import get_converters
from django.views.static import serve

from articles.converters import ObjectIdConverter
from config.staff_auth import StaffLoginForm, sign_in, sign_out, two_factor
from config.storage import IMMUTABLE

MEDIA_MAX_AGE = 24 * 3600  # originals: a deleted photo's name may be given to a later upload

if "id" not in get_converters():  # a test rebuilds this URLconf with another admin address
    register_converter(ObjectIdConverter, "id")

# 503 with Retry-After while the database is unreachable, the usual 500 page otherwise (delivery/faults.py).
handler500 = "config.delivery.faults.server_error"

admin.site.site_header = "Čitaonica: redakcija"
admin.site.site_title = "Čitaonica"
admin.site.index_title = "Administracija"
admin.site.login_form = StaffLoginForm

# The admin's own sign-in and sign-out come first, with their ``next`` checked as every redirect of ours is.
admin_urls = [
    path("login/", sign_in, name="login"),
    path("logout/", admin.site.admin_view(sign_out), name="logout"),
    *admin.site.get_urls(),
]

urlpatterns = [
    path(f"{settings.ADMIN_URL}dvofaktorska-prijava/", admin.site.admin_view(two_factor), name="two_factor"),
    path(settings.ADMIN_URL, (admin_urls, "admin", admin.site.name)),
    path("komentari/", include("comments.urls")),
    path("", include("articles.urls")),
]


def serve_media(request, path):
    """Media with browser caching: a rendition's name changes with its content, so it keeps for a year."""
    try:
        response = serve(request, path, document_root=settings.MEDIA_ROOT)
    except OSError as error:  # a name longer than the file system allows is no file of ours
        raise Http404("Fajl ne postoji.") from error
    rendition = path.startswith(f"{settings.IMAGEKIT_CACHEFILE_DIR}/")
    response.headers["Cache-Control"] = IMMUTABLE if rendition else f"public, max-age={MEDIA_MAX_AGE}"
    return response


if settings.SERVE_MEDIA:
    # Development and tests only: production serves media from the web server or object storage.
    media_prefix = settings.MEDIA_URL.lstrip("/")
    urlpatterns.insert(0, re_path(rf"^{media_prefix}(?P<path>.*)$", serve_media))
