from django.conf import settings
from django.contrib import admin
from django.http import Http404
from django.urls import include, path, re_path, register_converter
from django.urls.converters import get_converters
from django.views.static import serve
from two_factor.views import QRGeneratorView

from articles.converters import ObjectIdConverter
from config import staff_auth
from config.storage import IMMUTABLE

MEDIA_MAX_AGE = 24 * 3600  # originals: a deleted photo's name may be given to a later upload

if "id" not in get_converters():  # a test rebuilds this URLconf with another admin address
    register_converter(ObjectIdConverter, "id")

# 503 with Retry-After while the database is unreachable, the usual 500 page otherwise (delivery/faults.py).
handler500 = "config.delivery.faults.server_error"

admin.site.site_header = "Čitaonica: redakcija"
admin.site.site_title = "Čitaonica"
admin.site.index_title = "Administracija"

# The admin's own sign-in and sign-out come first, with their ``next`` checked as every redirect of ours is.
admin_urls = [
    path("login/", staff_auth.sign_in, name="login"),
    path("logout/", admin.site.admin_view(staff_auth.sign_out), name="logout"),
    *admin.site.get_urls(),
]


def staff_only(view_class):
    """A django-two-factor-auth screen for staff only, as the admin checks it."""
    return admin.site.admin_view(view_class.as_view())


two_factor_urls = [
    path("", staff_only(staff_auth.StaffProfileView), name="profile"),
    path("ukljucivanje/", staff_only(staff_auth.StaffSetupView), name="setup"),
    path("qr-kod/", staff_only(QRGeneratorView), name="qr"),
    path("ukljuceno/", staff_only(staff_auth.StaffSetupCompleteView), name="setup_complete"),
    path("rezervni-kodovi/", staff_only(staff_auth.StaffBackupTokensView), name="backup_tokens"),
    path("iskljucivanje/", staff_only(staff_auth.StaffDisableView), name="disable"),
]

urlpatterns = [
    path(f"{settings.ADMIN_URL}dvofaktorska-prijava/", (two_factor_urls, "two_factor", "two_factor")),
    path(settings.ADMIN_URL, (admin_urls, "admin", admin.site.name)),
    path("komentari/", include("comments.urls")),
    path("nalog/", include("comments.account_urls")),
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
