"""gunicorn settings for production: `gunicorn -c config/gunicorn.py config.wsgi` (what `make serve` runs).

GUNICORN_BIND and GUNICORN_WORKERS override the address and the number of processes.
"""

import os

import gunicorn.http.wsgi

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")

# Sync workers: each request has a process to itself, and pages are answered in milliseconds (most from the
# page cache), so nothing waits long enough to need threads. 2 per core + 1, capped because every worker
# keeps its own database connection and memory.
worker_class = "sync"
workers = int(os.environ.get("GUNICORN_WORKERS", "0")) or min(2 * (os.cpu_count() or 1) + 1, 9)

# A request that takes 30 s is stuck (a page is made in well under a second): the worker is replaced.
timeout = 30
# On a restart or deploy, requests under way get as long to finish as any request has.
graceful_timeout = 30
keepalive = 5
# gunicorn 25+ opens a control socket (~/.gunicorn/gunicorn.ctl) that can resize or stop the server: we manage
# it with signals and systemd, and two servers on one machine would otherwise fight over that one path.
control_socket_disable = True
# Workers are replaced now and then, not all at once, so slow growth in a process's memory never adds up.
max_requests = 2000
max_requests_jitter = 200

# Request limits, all well above what a browser sends us. Longer is an attack or a mistake and gets an answer
# before Django sees it: 414 for the line, 431 for the headers.
# - The request line: our longest addresses (an article, a search, a sign-in's ?next=) are a few hundred
#   bytes; 4094 (gunicorn's default, half its maximum) still fits any link a reader might paste.
limit_request_line = 4094
# - Header count: a browser sends 10-20; a proxy or CDN in front adds a handful (X-Forwarded-*, X-Request-ID).
limit_request_fields = 50
# - One header's size: Cookie is the largest (session, CSRF, script choice, reader id, a pending notice).
limit_request_field_size = 8190

# The access log on stdout, where systemd or the container collects it, with each answer's X-Request-ID (set
# by our middleware) to find the same request in the application's log. %(M)s is the time taken in ms.
accesslog = "-"
errorlog = "-"
# The first field is the reader's address as the site decides it (delivery/client_address.py), which behind a
# proxy is not the connection's (%(h)s).
access_log_format = (
    '%({citaonica.client_address}e)s "%(r)s" %(s)s %(b)s %(M)sms "%(f)s" "%(a)s" %({x-request-id}o)s'
)


class Response(gunicorn.http.wsgi.Response):
    """Leaves out the Server header: naming the server software tells a scanner which exploits to try."""

    def default_headers(self):
        return [header for header in super().default_headers() if not header.startswith("Server:")]


# gunicorn has no setting for it; workers are forked from this process, so they answer with this class.
gunicorn.http.wsgi.Response = Response
