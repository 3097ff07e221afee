"""Delivery: the layer that serves and runs the site, apart from what the site is about.

``articles`` and ``comments`` say what a page shows; this package says how it reaches a reader and how the
site keeps running. Nothing here imports a domain app: the domain names what the layer needs through settings
(``READER_SCRIPT_TRANSLITERATION``) or registers it (``page_cache.watch_schedule``), and calls the layer's
APIs (``invalidation.invalidate``, ``page_cache.cached_page``, ``reader_script.in_reader_script``).

- ``request_id``: an id on every response and log line of a request.
- ``health``: /healthz and /readyz for load balancers.
- ``content_security_policy``: the CSP header, with a nonce per page.
- ``page_cache`` and ``invalidation``: whole anonymous pages in the shared cache, one way to drop them.
- ``fragments``: pieces of pages (``{% fragment %}``) kept per script by the same generations, so a page made
  again remakes only what changed.
- ``replica`` and ``routers``: anonymous readers' pages may read from a replica.
- ``reader_script``: every page in Latin and, under /cir/, in Cyrillic.
- ``error_pages``, ``faults``, ``http``: Serbian answers for errors and for outages, HTML or JSON.
- ``client_address``, ``redirects``: what of a request can be trusted.
- ``cache``: the Redis cache that survives an outage; ``backups``: backup and restore.

The middleware order, outermost first. Each line says why it stands where it does; this list is the only place
the order is written (settings reads it).
"""

MIDDLEWARE = [
    # First: every response and every log line of a request carry its X-Request-ID.
    "config.delivery.request_id.RequestIdMiddleware",
    # /healthz and /readyz for load balancers, before host checks, HTTPS redirects and the page cache: a
    # balancer asks by address, over plain HTTP, and must hear about the database, not a cached page.
    "config.delivery.health.HealthCheckMiddleware",
    # Security headers go on every response: static files and cached pages are answered further in.
    "config.delivery.content_security_policy.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Static files, answered before any page machinery.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Cached reader pages are answered here, already in their script (a copy is stored after the script
    # middleware below has transliterated it), before sessions, CSRF or the database are touched.
    "config.delivery.page_cache.PageCacheMiddleware",
    # Anonymous readers' pages may read from the replica; a page the cache above will keep reads the primary
    # (page_cache.filling_shared_copy says which).
    "config.delivery.replica.ReplicaReadsMiddleware",
    # Strips /cir/ before URLs resolve and transliterates the finished page on its way out.
    "config.delivery.reader_script.ReaderScriptMiddleware",
    # A Serbian page for the empty 405 of require_POST and its kin; inside the script middleware so a
    # Cyrillic reader gets it in Cyrillic.
    "config.delivery.error_pages.MethodNotAllowedPageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # django-allauth's: its sign-in flows keep state across requests (readers' accounts).
    "allauth.account.middleware.AccountMiddleware",
    # Staff who must use two-factor sign-in (DJANGO_ADMIN_REQUIRE_2FA) and have no device are sent to enrol.
    "config.staff_auth.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Last, as django-axes requires: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]
