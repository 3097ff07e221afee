"""Settings for Čitaonica. Every difference between environments is an environment variable.

The README lists each variable with its default.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django_prose_editor.config import html_tags
from js_asset import static_lazy

from config.storage import S3_BACKEND, media_storage_from_env

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default):
    value = os.environ.get(name, default)
    return [item.strip() for item in value.split(",") if item.strip()]


# Core
DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. It is required when DJANGO_DEBUG is off: "
            "set it to a long random string (for example the output of "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`)."
        )
    SECRET_KEY = "development-only-insecure-key"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
SITE_ID = 1

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "imagekit",
    "solo",
    "django_prose_editor",
    "reversion",
    "reversion_compare",
    "mailer",
    "django_ratelimit",
    "django_comments_xtd",
    "django_comments",
    "articles",
    "comments",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Cached reader pages are answered here, already in their script, before any other work.
    "articles.page_cache.PageCacheMiddleware",
    # Anonymous readers' pages may read from the replica (DJANGO_DATABASE_REPLICA_URL).
    "config.replica.ReplicaReadsMiddleware",
    # Outermost after static files: strips /cir/ before URLs resolve, transliterates the finished page.
    "articles.reader_script.ReaderScriptMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "articles.context_processors.site",
                "articles.context_processors.script",
            ],
        },
    },
]

# Database: SQLite under var/ unless DATABASE_URL names another (postgres://… selects psycopg 3).
# DJANGO_DATABASE_REPLICA_URL adds a read replica for anonymous readers' pages (config/replica.py).
database_options = {
    "conn_max_age": int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
    "conn_health_checks": True,
}
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"), **database_options
    )
}
if replica_url := os.environ.get("DJANGO_DATABASE_REPLICA_URL", ""):
    # Tests read the primary's test database through this alias instead of creating one.
    DATABASES["replica"] = {
        **dj_database_url.parse(replica_url, **database_options),
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["config.routers.ReplicaRouter"]

# Cache: process-local by default; DJANGO_REDIS_URL shares it (and the rate-limit counts) between processes,
# which every deployment with more than one process needs. DJANGO_CACHE=off turns every cache off.
REDIS_URL = os.environ.get("DJANGO_REDIS_URL", "")
CACHE_ENABLED = env_bool("DJANGO_CACHE", True)
if not CACHE_ENABLED:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
elif REDIS_URL:
    # Django's Redis backend, reusing its clients (config/cache.py).
    CACHES = {"default": {"BACKEND": "config.cache.ReusingRedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "citaonica"}
    }

# Anonymous reader pages are kept whole in the cache (articles/page_cache.py) at most this long (0: off);
# changes reach them at once. Sixty seconds also bounds how old "pre 5 minuta" and "today" can be on a
# cached page. A CDN may serve a copy this much older while it fetches a new one.
PAGE_CACHE_SECONDS = int(os.environ.get("DJANGO_PAGE_CACHE_SECONDS", "60")) if CACHE_ENABLED else 0
PAGE_CACHE_STALE_SECONDS = int(os.environ.get("DJANGO_PAGE_CACHE_STALE_SECONDS", "30"))
# A request with any of these gets a page made for it: signed in, a notice waiting, the reader's reactions.
PAGE_CACHE_PERSONAL_COOKIES = ["sessionid", "messages", "citalac"]

SOLO_CACHE = "default"

# Reading counts for "Najčitanije": each process buffers views in memory and writes them this often.
READ_COUNT_FLUSH_SECONDS = int(os.environ.get("READ_COUNT_FLUSH_SECONDS", "60"))

# Authentication
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"

# Language and time: the interface strings come from our catalogue in config/locale.
LANGUAGE_CODE = "sr-latn"
LANGUAGES = [("sr-latn", "Srpski (latinica)")]
USE_I18N = True
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "Europe/Belgrade")
USE_TZ = True
FORMAT_MODULE_PATH = ["config.formats"]
LOCALE_PATHS = [BASE_DIR / "config" / "locale"]
# Absolute links in e-mails (sent outside any request) start with this.
SITE_URL = os.environ.get("DJANGO_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Static files and media
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = os.environ.get("DJANGO_MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", VAR_DIR / "media"))
SERVE_MEDIA = env_bool("DJANGO_SERVE_MEDIA", DEBUG)
# DJANGO_S3_BUCKET puts uploads on S3-compatible storage (config/storage.py lists the other S3 variables).
STORAGES = {
    "default": media_storage_from_env(os.environ),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Image renditions (django-imagekit): made when a photo is uploaded. On disk a missing one is also made on
# first use (its existence remembered in the cache); on S3 asking would cost a request per photo per page.
IMAGEKIT_DEFAULT_CACHEFILE_STRATEGY = (
    "imagekit.cachefiles.strategies.Optimistic"
    if STORAGES["default"]["BACKEND"] == S3_BACKEND
    else "imagekit.cachefiles.strategies.JustInTime"
)
IMAGEKIT_CACHEFILE_DIR = "renditions"

# E-mail: every message is queued in the database (django-mailer) and delivered by `manage.py runmailer`
# through MAILER_EMAIL_BACKEND, so a dead mail server never fails a request. Console in development.
EMAIL_BACKEND = "mailer.backend.DbBackend"
MAILER_EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
MAILER_EMAIL_MAX_DEFERRED = 10
MAILER_LOCK_PATH = os.environ.get("DJANGO_MAILER_LOCK_PATH", str(VAR_DIR / "send_mail"))
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "Čitaonica <redakcija@citaonica.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# The article body editor (django-prose-editor): what editors can make, plus photos from our library.
DJANGO_PROSE_EDITOR_EXTENSIONS = [
    {
        "js": [static_lazy("admin/js/library_photo.js")],
        "extensions": {"LibraryPhoto": html_tags(["figure"], {"figure": ["data-image-id"]})},
    },
    {
        "js": [static_lazy("admin/js/foreign_language.js")],
        "extensions": {"ForeignLanguage": html_tags(["span"], {"span": ["lang"]})},
    },
]

# Comments (django-comments-xtd on django-contrib-comments). Site-editable policy is in CommentSettings.
COMMENTS_APP = "django_comments_xtd"
COMMENTS_XTD_MODEL = "comments.models.ArticleComment"
COMMENTS_XTD_FORM_CLASS = "comments.forms.ArticleCommentForm"
COMMENTS_XTD_MAX_THREAD_LEVEL = int(os.environ.get("COMMENTS_MAX_THREAD_LEVEL", "2"))
COMMENTS_XTD_CONFIRM_EMAIL = False  # our own hashed, expiring tokens replace the pickled links
COMMENTS_XTD_THREADED_EMAILS = False
COMMENTS_XTD_SALT = b"citaonica-comments"
# How long a rendered comment form stays valid (the packages' default of 2 hours rejects honest readers).
COMMENTS_FORM_MAX_AGE = int(os.environ.get("COMMENTS_FORM_MAX_AGE", str(7 * 24 * 3600)))
COMMENTS_RATE_PER_ADDRESS = os.environ.get("COMMENTS_RATE_PER_ADDRESS", "5/10m")
COMMENTS_RATE_PER_EMAIL = os.environ.get("COMMENTS_RATE_PER_EMAIL", "5/10m")
COMMENTS_REACTIONS_RATE = os.environ.get("COMMENTS_REACTIONS_RATE", "60/10m")
COMMENTS_REPORTS_RATE = os.environ.get("COMMENTS_REPORTS_RATE", "10/h")
RATELIMIT_USE_CACHE = "default"
RATELIMIT_IP_META_KEY = os.environ.get("DJANGO_CLIENT_IP_HEADER", "REMOTE_ADDR")
# Django's own Redis backend is not on django-ratelimit's list but increments atomically; the process-local
# default counts per process, which is right for one process and is why production sets DJANGO_REDIS_URL.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001", "django_ratelimit.E003"]

# Security: safe in every environment; HTTPS-only settings follow DJANGO_SECURE.
SECURE = env_bool("DJANGO_SECURE", not DEBUG)
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "0"))
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("DJANGO_BEHIND_PROXY") else None
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"

# Logging: everything to the console, where gunicorn or systemd collects it.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}
