"""Settings for Čitaonica. Every difference between environments is an environment variable.

The README lists each variable with its default.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django_prose_editor.config import html_tags
from js_asset import static_lazy

from articles.embeds import embed_origins
from config import delivery
from config.delivery.content_security_policy import media_origins
from config.storage import FILE_SYSTEM_BACKEND, S3_BACKEND, media_storage_from_env

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
    "config.apps.CitaonicaAdminConfig",  # django.contrib.admin with our site: config/admin_site.py
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
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "formtools",
    "two_factor",
    "django_comments_xtd",
    "django_comments",
    "config.delivery",
    # After the layer, whose `dbrestore` (a refusal: `restore` is the one with the checks) then wins.
    "dbbackup",
    "articles",
    "comments",
    # Readers' own accounts (comments/accounts.py), after our apps so our templates win.
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
]

# The order of the serving layer, explained once: config/delivery/__init__.py.
MIDDLEWARE = delivery.MIDDLEWARE

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
# DJANGO_DATABASE_REPLICA_URL adds a read replica for anonymous readers' pages (config/delivery/replica.py).
database_options = {
    "conn_max_age": int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
    "conn_health_checks": True,
}
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"), **database_options
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent writers queue instead of failing with "database is locked": a transaction takes the write
    # lock when it begins (a deferred one that read first cannot wait for it), a writer waits up to
    # DJANGO_SQLITE_TIMEOUT seconds for it, and with WAL readers never wait for a writer.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": int(os.environ.get("DJANGO_SQLITE_TIMEOUT", "20")),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        **DATABASES["default"].get("OPTIONS", {}),
    }
    # Tests on a file database (the SQLite pass: gunicorn nodes must open it too) instead of in memory.
    if test_file := os.environ.get("DJANGO_SQLITE_TEST_FILE", ""):
        DATABASES["default"]["TEST"] = {"NAME": test_file}
if replica_url := os.environ.get("DJANGO_DATABASE_REPLICA_URL", ""):
    # Tests read the primary's test database through this alias instead of creating one.
    DATABASES["replica"] = {
        **dj_database_url.parse(replica_url, **database_options),
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["config.delivery.routers.ReplicaRouter"]

# Cache: process-local by default; DJANGO_REDIS_URL shares it (and the rate-limit counts) between processes,
# which every deployment with more than one process needs. DJANGO_CACHE=off turns every cache off.
# "default" holds what must never be evicted (page generations, rate-limit counts, editors' presence); the
# copies of whole pages go to "pages", which may evict: in production a Redis of its own
# (DJANGO_PAGE_CACHE_REDIS_URL, with maxmemory and maxmemory-policy allkeys-lru; docs/scaling.md).
REDIS_URL = os.environ.get("DJANGO_REDIS_URL", "")
PAGE_CACHE_REDIS_URL = os.environ.get("DJANGO_PAGE_CACHE_REDIS_URL", "") or REDIS_URL
# Pages each process keeps without Redis; past this the oldest third is dropped.
PAGE_CACHE_MAX_ENTRIES = int(os.environ.get("DJANGO_PAGE_CACHE_MAX_ENTRIES", "1000"))


def shared_or_local(redis_url, location, max_entries):
    """Django's Redis backend, reusing its clients (delivery/cache.py); without Redis, process memory."""
    if redis_url:
        return {"BACKEND": "config.delivery.cache.ReusingRedisCache", "LOCATION": redis_url}
    return {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": location,
        "OPTIONS": {"MAX_ENTRIES": max_entries},
    }


CACHE_ENABLED = env_bool("DJANGO_CACHE", True)
if not CACHE_ENABLED:
    CACHES = {
        alias: {"BACKEND": "django.core.cache.backends.dummy.DummyCache"} for alias in ("default", "pages")
    }
else:
    # "default" holds only small counters, so its limit is set far beyond what it must ever drop.
    CACHES = {
        "default": shared_or_local(REDIS_URL, "citaonica", 10_000_000),
        "pages": shared_or_local(PAGE_CACHE_REDIS_URL, "citaonica-pages", PAGE_CACHE_MAX_ENTRIES),
    }

# Anonymous reader pages are kept whole in the cache (delivery/page_cache.py) at most this long (0: off);
# changes reach them at once. Sixty seconds also bounds how old "pre 5 minuta" and "today" can be on a
# cached page. A CDN may serve a copy this much older while it fetches a new one.
PAGE_CACHE_SECONDS = int(os.environ.get("DJANGO_PAGE_CACHE_SECONDS", "60")) if CACHE_ENABLED else 0
PAGE_CACHE_STALE_SECONDS = int(os.environ.get("DJANGO_PAGE_CACHE_STALE_SECONDS", "30"))
# A change that may lag (a reaction, an approved comment, counts) reaches cached pages at most this late:
# until then readers get the copy from before while one request makes the new one (0: every change at once).
PAGE_CACHE_LAG_SECONDS = int(os.environ.get("DJANGO_PAGE_CACHE_LAG_SECONDS", "5"))
# Fragments of pages (delivery/fragments.py) are kept beside them, unless DJANGO_FRAGMENTS_COLD says to make
# them every time, as on a miss just after a change: "article" those showing an article's comments (after a
# comment changed), "all" every one (after a site change). For benchmarks and to rule fragments out.
FRAGMENTS_COLD = os.environ.get("DJANGO_FRAGMENTS_COLD", "").strip().lower()
if FRAGMENTS_COLD not in ("", "article", "all"):
    raise ImproperlyConfigured('DJANGO_FRAGMENTS_COLD must be "", "article" or "all".')
# A request with any of these gets a page made for it: signed in, a notice waiting. The reader-identity
# cookie is not one: a reader's own reactions come from an uncached JSON call (comments/readers.py).

# Where the reader-script layer finds the site's transliteration (config/delivery/reader_script.py).
READER_SCRIPT_TRANSLITERATION = "articles.transliteration"

SOLO_CACHE = "default"

# Reading counts for "Najčitanije": each process buffers views in memory and writes them this often.
READ_COUNT_FLUSH_SECONDS = int(os.environ.get("READ_COUNT_FLUSH_SECONDS", "60"))

# Authentication
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"
# Where a sign-in goes when its ``next`` is refused (Django's default, /accounts/profile/, is not ours).
LOGIN_REDIRECT_URL = "admin:index"
# django-axes checks for a lockout before any other backend tries the password.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Staff accounts (config/staff_auth.py): the admin's address, login lockout, optional two-factor sign-in.
ADMIN_URL = os.environ.get("DJANGO_ADMIN_URL", "admin/").strip().strip("/") + "/"
if ADMIN_URL == "/":
    raise ImproperlyConfigured("DJANGO_ADMIN_URL must not be empty: the admin cannot take the site's root.")
# A lockout holds for one username from one address, so a stranger cannot lock editors out of their own
# offices; guessing from many addresses is what the password rules are for.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = int(os.environ.get("DJANGO_AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("DJANGO_AXES_COOLOFF_MINUTES", "60")))
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "config.delivery.client_address.client_address"
AXES_LOCKOUT_CALLABLE = "config.staff_auth.locked_out"
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
# Its sign-in log is staff's alone: readers' sign-ins (comments/accounts.py) are not logged there.
AXES_HANDLER = "comments.accounts.StaffOnlyAxesHandler"
ADMIN_REQUIRE_2FA = env_bool("DJANGO_ADMIN_REQUIRE_2FA", False)
OTP_TOTP_ISSUER = "Čitaonica"
# The admin's sign-in is ours (config/staff_auth.py), routed at admin:login; the library must not replace it.
TWO_FACTOR_PATCH_ADMIN = False
# No one's authenticator secret in the admin (staff enrol on their own page); django-otp's secret pages also
# answer an unknown device with a 500 when shown.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Readers' accounts (django-allauth; comments/accounts.py): optional, by e-mail, with a one-time code instead
# of a password. Staff never sign in here: their accounts are the admin's alone (config/staff_auth.py).
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGOUT_ON_GET = False
# A social account never attaches itself to an existing user by a matching e-mail address.
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = False
ACCOUNT_ADAPTER = "comments.accounts.ReaderAccountAdapter"
SOCIALACCOUNT_ADAPTER = "comments.accounts.ReaderSocialAccountAdapter"
# Sign-up asks for the name shown with comments (comments/display_names.py).
ACCOUNT_SIGNUP_FORM_CLASS = "comments.account_forms.ReaderSignupForm"
ACCOUNT_FORMS = {"signup": "comments.accounts.ReaderAccountSignupForm"}
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
# Digits only, so a code survives the e-mail's transliteration to Cyrillic; eight of them, so guessing
# (3 tries a code, 3 codes an address in 10 minutes) stays hopeless.
ALLAUTH_USER_CODE_FORMAT = {"numeric": True, "length": 8, "dashed": False}
ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS = int(os.environ.get("DJANGO_READER_CODE_MAX_ATTEMPTS", "3"))
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = 10 * 60
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_MAX_ATTEMPTS = ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_TIMEOUT = 15 * 60
# Codes by e-mail per address and per network, and sign-up and failed attempts per network; a limited
# reader gets templates/429.html (ours), never the admin's lockout page.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "request_login_code": os.environ.get("DJANGO_READER_CODE_RATE", "20/h/ip,3/10m/key"),
    "signup": "20/h/ip",
}
# Social sign-in, switched on by configuration: DJANGO_SOCIAL_PROVIDERS=google,facebook,apple and, for each,
# DJANGO_SOCIAL_<NAME>_CLIENT_ID / _SECRET (and _KEY where the provider needs one, as Apple does).
SOCIAL_PROVIDERS = [name for name in env_list("DJANGO_SOCIAL_PROVIDERS", "") if name]
INSTALLED_APPS += [f"allauth.socialaccount.providers.{name}" for name in SOCIAL_PROVIDERS]
SOCIALACCOUNT_PROVIDERS = {
    name: {
        "APPS": [
            {
                "client_id": os.environ.get(f"DJANGO_SOCIAL_{name.upper()}_CLIENT_ID", ""),
                "secret": os.environ.get(f"DJANGO_SOCIAL_{name.upper()}_SECRET", ""),
                "key": os.environ.get(f"DJANGO_SOCIAL_{name.upper()}_KEY", ""),
            }
        ],
        "EMAIL_AUTHENTICATION": False,
    }
    for name in SOCIAL_PROVIDERS
    if name != "dummy"
}
SOCIALACCOUNT_EMAIL_REQUIRED = True
SOCIALACCOUNT_QUERY_EMAIL = True

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
# Backups (`manage.py backup`, on django-dbbackup): one folder per backup under DJANGO_BACKUP_DIR.
BACKUP_DIR = Path(os.environ.get("DJANGO_BACKUP_DIR", VAR_DIR / "backups"))
STORAGES = {
    "default": media_storage_from_env(os.environ),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    "dbbackup": {"BACKEND": FILE_SYSTEM_BACKEND, "OPTIONS": {"location": BACKUP_DIR}},
}
# dbbackup spools dumps and archives over 10 MB to disk: beside the backups, which need that room anyway,
# rather than in /tmp, which is often memory.
DBBACKUP_TMP_DIR = str(BACKUP_DIR)
# A failed backup or restore stops its command with the reason; dbbackup would also mail it to ADMINS.
DBBACKUP_SEND_EMAIL = False
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
# Any mail server failure defers the message (`retry_deferred` queues it again), logged without addresses.
MAILER_ERROR_HANDLER = "config.delivery.faults.defer_failed_mail"
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
        "js": [static_lazy("admin/js/library_gallery.js")],
        "extensions": {"LibraryGallery": html_tags(["figure"], {"figure": ["data-gallery-id"]})},
    },
    {
        "js": [static_lazy("admin/js/foreign_language.js")],
        "extensions": {"ForeignLanguage": html_tags(["span"], {"span": ["lang"]})},
    },
    {
        "js": [static_lazy("admin/js/embeds.js")],
        "extensions": {
            "EmbedBlock": html_tags(
                ["figure"], {"figure": ["data-embed", "data-embed-id", "data-embed-url", "data-title"]}
            )
        },
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
COMMENTS_EDITS_RATE = os.environ.get("COMMENTS_EDITS_RATE", "20/10m")
# Reader signals (comments/readers.py): anonymous reader identities issued per network (IPv4 /24, IPv6 /64),
# and how many reactions one network adds to one comment in 24 hours, however many identities it holds.
COMMENTS_READER_IDS_RATE = os.environ.get("COMMENTS_READER_IDS_RATE", "60/h")
COMMENTS_REACTIONS_PER_NETWORK = int(os.environ.get("COMMENTS_REACTIONS_PER_NETWORK", "3"))
# "Moji komentari": links asked for per network address and per e-mail address.
COMMENTS_MY_COMMENTS_RATE = os.environ.get("COMMENTS_MY_COMMENTS_RATE", "5/h")
# Commenters' network addresses are erased this many days after the comment (manage.py erase_commenter_ips).
COMMENTS_IP_RETENTION_DAYS = int(os.environ.get("COMMENTS_IP_RETENTION_DAYS", "90"))
RATELIMIT_USE_CACHE = "default"
# An unreachable cache cannot count, so the limits let posts through: comments are held for moderators and
# the form's signature and honeypot still apply, while failing closed would refuse every honest reader.
RATELIMIT_FAIL_OPEN = True
# The reader's address (delivery/client_address.py): behind proxies, the header they fill and how many of them
# append to it (X-Forwarded-For is read from the right; its leftmost entries are the client's say-so).
CLIENT_IP_HEADER = os.environ.get("DJANGO_CLIENT_IP_HEADER", "REMOTE_ADDR").strip()
TRUSTED_PROXY_COUNT = int(os.environ.get("DJANGO_TRUSTED_PROXY_COUNT", "1"))
if TRUSTED_PROXY_COUNT < 1:
    raise ImproperlyConfigured("DJANGO_TRUSTED_PROXY_COUNT must be 1 or more (our proxies in front).")
RATELIMIT_IP_META_KEY = "config.delivery.client_address.rate_limit_address"
# Django's own Redis backend is not on django-ratelimit's list but increments atomically; the process-local
# default counts per process, which is right for one process and is why production sets DJANGO_REDIS_URL.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001", "django_ratelimit.E003"]

# Security: safe in every environment; HTTPS-only settings follow DJANGO_SECURE.
SECURE = env_bool("DJANGO_SECURE", not DEBUG)
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", False)
# Where that redirect goes, when not to the host asked for (make audit: another port).
SECURE_SSL_HOST = os.environ.get("DJANGO_SECURE_SSL_HOST") or None
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "0"))
# Both bind every subdomain (preload for years, in browsers' built-in lists): opt-in, not defaults.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("DJANGO_BEHIND_PROXY") else None
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"
# Our scripts read the CSRF token from the form field, never from the cookie.
CSRF_COOKIE_HTTPONLY = True
# Scripts only from our own files (JSON-LD blocks are data, not scripts); photos may come from the media host.
# The admin's body editor needs two allowances there: config/delivery/content_security_policy.py.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *media_origins(os.environ)],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        # Videos and posts in articles (articles/embeds.py): only the providers' iframe hosts, on every page
        # alike, so a page from the page cache carries the same policy as a fresh one.
        "frame-src": embed_origins(),
    }
}
# Browser features the site never uses, off for our pages and anything they might embed; autoplay and
# fullscreen only for us and the providers' embeds (one click plays a video, which may go full screen).
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "local-fonts",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
} | {feature: ["self", *embed_origins()] for feature in ("autoplay", "fullscreen")}

# Request limits: Django's side (config/gunicorn.py bounds the request line and headers; slow clients are left
# to gunicorn's timeout behind a buffering proxy). Over a limit: the 400 page, nothing saved.
# The longest form we take is an article in the admin (a 50,000-word body is under 1 MB of HTML); a reader's
# comment is a few KB. Files are not counted here: photos have their own 25 MB limit (articles/uploads.py).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# The admin's lists post a checkbox per row (100 a page) plus a position per section; nothing needs more.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
# One photo per library form; a few spare for the admin's inlines.
DATA_UPLOAD_MAX_NUMBER_FILES = 10
# Larger uploads go to a temporary file rather than memory: a few editors uploading 25 MB photos at once must
# not grow a worker by the sum of them.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# Logging: everything to the console, where gunicorn or systemd collects it, each line with its request id.
# No reader's e-mail address, comment text or link token is logged (config/log_privacy.py).
LOG_LEVEL = os.environ.get("DJANGO_LOG_LEVEL", "INFO").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "config.delivery.request_id.RequestIdFilter"},
        "redact": {"()": "config.log_privacy.RedactFilter"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(request_id)s %(name)s: %(message)s"},
        "access": {"format": "%(message)s"},  # gunicorn's access_log_format makes the whole line
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["request_id", "redact"],
        },
        "access": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "access",
            "filters": ["redact"],
        },
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Django's default handlers (a DEBUG-only console, mail to ADMINS with the request's POST data) give
        # way to the console above. Never DEBUG: there Django logs SQL with its parameters and whole template
        # contexts, readers' addresses and text included.
        "django": {"level": "INFO" if LOG_LEVEL == "DEBUG" else LOG_LEVEL, "propagate": True},
        "gunicorn.error": {"propagate": True},
        "gunicorn.access": {"handlers": ["access"], "propagate": False},
        # These write recipients or link paths into their messages: redacted where they are made, so that
        # every handler (and Sentry, if one is added) gets the redacted text.
        "django.request": {"filters": ["redact"]},
        "django.server": {"filters": ["redact"], "propagate": True},
        "django.security.csrf": {"filters": ["redact"]},
        "mailer.engine": {"filters": ["redact"]},
        "mailer.models": {"filters": ["redact"]},
    },
}
# django-mailer's log of sent mail keeps no copy of the messages (readers' addresses and text).
MAILER_EMAIL_LOG_MESSAGE_DATA = False
