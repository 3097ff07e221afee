"""The benchmark: reader pages under gunicorn with production settings, loaded with wrk, in one run.

Run with `make bench` (PostgreSQL when available, like the tests), or
`.ci/with-database .venv/bin/python -m bench.run --scale large` for 100,000 articles and 1,000,000 comments.
It generates the data at growing sizes, measuring the cold article page (DJANGO_CACHE=off) at each; at the
last size it measures the pages on a miss of the page cache (the site's other caches on, in a Redis of each
server's own) after a comment change and after a site change, the stock django-comments-xtd page with
anonymous and with registered commenters as the references, every page cold, then cached, the cached article
page's bytes served as a static file, comment posting and the cached page under lagging invalidations. It
prints the results and writes them, with the ratios against their targets, into docs/benchmarks.md and
docs/img/.
Fixed seeds, the same order and warm-ups make runs on one machine comparable; timings are for comparing
runs on one machine, never absolute promises.
"""

import argparse
import contextlib
import importlib.metadata
import json
import os
import platform
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import lag, load, report, servers  # noqa: E402
from bench import reader_session as reader_session_module  # noqa: E402

SEARCH_QUERY = "saobraćaj"
STATIC_PAGE = "bench/page.html"
TARGETS = {
    "after_comment": 6.0,  # × the reference with anonymous commenters, requests/s
    "after_site": 3.0,  # × the same reference
    "front": 1.0,  # × the article page after a site change
    "size_kb": 120.0,
    "cyrillic": 0.10,  # more median latency than the Latin page, both after a site change
    "static": 0.8,
    "live": 0.8,  # × the cached article page, requests/s: the live blog's polled part on a hit
    "signed_in": 0.5,  # × the article page on a miss after a comment change, requests/s
    "growth": 1.2,
}
# Information only since the fragments issue: the cold page against the registered-commenter reference.
FORMER_REFERENCE_TARGET = 10.0


def parse_args():
    parser = argparse.ArgumentParser(
        prog="python -m bench.run", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", choices=["fast", "large"], default="fast", help="data size (default fast)")
    parser.add_argument("--seconds", type=float, default=10.0, help="load time per page (default 10)")
    parser.add_argument("--warmup", type=float, default=2.0, help="warm-up load per page (default 2)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (default 2)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections (default 8)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--no-docs", action="store_true", help="print only; leave docs/ as it is")
    parser.add_argument("--data-only", action="store_true", help="generate the data, time it and stop")
    parser.add_argument(
        "--only",
        choices=["lag"],
        help="lag: only the cached article page with a lagging invalidation every second, at the first size",
    )
    return parser.parse_args()


def configure_environment(workdir):
    """The environment of this process and of every server: production settings on loopback."""
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    return servers.use_loopback_production_settings(workdir, "bench.settings", MPLBACKEND="Agg")


def manage(*args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)


def count_queries(environment, pages, posting=None, signed_in=()):
    """Queries per request in a process with the given server environment (see bench/queries.py).

    ``pages`` maps labels to paths to GET; ``posting`` maps labels to pages whose comment form is posted;
    the pages labelled in ``signed_in`` are asked for by the benchmark's signed-in reader.
    Returns ``{label: {"queries": …, "status": …, "bytes": …}}``.
    """
    requests = [
        {"label": label, "path": path, "signed_in": label in signed_in} for label, path in pages.items()
    ]
    requests += [{"label": label, "post_from": path} for label, path in (posting or {}).items()]
    output = subprocess.run(
        [sys.executable, "-m", "bench.queries"],
        cwd=ROOT,
        env=environment,
        input=json.dumps(requests),
        stdout=subprocess.PIPE,
        text=True,
        check=True,
    ).stdout
    counts = json.loads(output)
    for request in requests:
        status = counts[request["label"]]["status"]
        assert status == (201 if "post_from" in request else 200), f"{request['label']}: status {status}"
    return counts


def reader_session(environment):
    """The Cookie header of the benchmark's signed-in reader (bench/reader_session.py), made in a process with
    the server's environment."""
    return subprocess.run(
        [sys.executable, "-m", "bench.reader_session"],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        text=True,
        check=True,
    ).stdout.strip()


def check_comments(page, expected_ids, label, prefix="k"):
    """The page shows exactly these comments (each rendered comment has id=k<pk>, or id="c<pk>" in the stock
    django-comments-xtd templates)."""
    shown = {int(pk) for pk in re.findall(rf'\bid="?{prefix}(\d+)[" >]', page.decode())}
    assert shown == set(expected_ids), f"{label}: shows {len(shown)} comments, expected {len(expected_ids)}"


def cpu_busy(seconds=2.0):
    """The share of the machine's CPU time spent on work over a short while (before the benchmark's own)."""

    def times():
        values = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        return sum(values), values[3] + values[4]  # idle and waiting for I/O

    total, idle = times()
    time.sleep(seconds)
    total_after, idle_after = times()
    return 1 - (idle_after - idle) / max(1, total_after - total)


def _ratio(numerator, denominator):
    return numerator / denominator if denominator else float("inf")


def machine_info():
    from django.db import connection

    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")),
        platform.processor(),
    )  # fmt: skip
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0]
            cursor.execute("SHOW shared_buffers")
            database = f"PostgreSQL {version} (shared_buffers {cursor.fetchone()[0]})"
    else:
        import sqlite3

        database = f"SQLite {sqlite3.sqlite_version}"
    redis = re.search(
        r"v=(\S+)", subprocess.run(["redis-server", "--version"], capture_output=True, text=True).stdout
    )
    wrk = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split()[1]
    return [
        ("CPUs (nproc)", str(len(os.sched_getaffinity(0)))),
        ("CPU", cpu),
        ("memory", f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB"),
        ("Python", platform.python_version()),
        ("Django", importlib.metadata.version("django")),
        ("django-comments-xtd", importlib.metadata.version("django-comments-xtd")),
        ("database", database),
        ("gunicorn", importlib.metadata.version("gunicorn")),
        ("Redis", redis.group(1) if redis else "?"),
        ("wrk", wrk),
    ]


MISS_COMMENT = "article page, miss after a comment change"
MISS_SITE = "article page, miss after a site change"
MISS_SITE_CYRILLIC = "article page in Cyrillic, miss after a site change"
FRONT_MISS = "front page, miss after a site change"
REFERENCE_ANONYMOUS = "reference: stock django-comments-xtd page, anonymous commenters"
ARTICLE = "article page, cold"
CYRILLIC = "article page in Cyrillic, cold"
REFERENCE = "reference: stock django-comments-xtd page, registered commenters, cold"
FRONT = "front page, cold"
SEARCH = f"search “{SEARCH_QUERY}”, cold"
CACHED = "article page, cached"
STATIC = "the same bytes as a static file (WhiteNoise)"
FRONT_CACHED = "front page, cached"
POSTING = "comment posting (held for moderation), cached server"
LAGGING = "article page, cached, a lagging invalidation every second"
LIVE_PART = "live blog's polled part (no new entries), cached"
SIGNED_IN = "article page, signed-in reader, after a comment change"
LIVE_ENTRIES = 20


class Bench:
    def __init__(self, args, workdir):
        self.args = args
        self.workdir = workdir
        self.settings = load.LoadSettings(args.seconds, args.warmup, args.threads, args.connections)
        self.environment = configure_environment(workdir)
        self.uncached = {**self.environment, "DJANGO_CACHE": "off"}
        self.rows = {}
        self.growth = []
        self.per_comments = []
        self.generation = []
        self.notes = []
        self.lag = None

    def say(self, text):
        print(text, flush=True)

    def measure(self, label, url, form=None, after_warmup=None):
        self.say(f"  {label}…")
        nonce = re.sub(r"\W+", "-", label)
        return load.measure(url, self.settings, form=form, label=nonce, after_warmup=after_warmup)

    def prepare(self):
        from django.db import connection

        from bench import data

        self.say(f"Database: {connection.vendor}; migrating and collecting static files…")
        manage("migrate", "--noinput")
        manage("collectstatic", "--noinput")
        self.data = data
        started = time.monotonic()
        self.generator = data.Generator(self.args.seed)
        self.generator.create_newsroom()
        self.measured = self.generator.create_measured_articles()
        self.article = self.measured[data.MEASURED_COMMENTS]
        self.registered_comments = self.article.article.reader_comments.filter(user__isnull=False).count()
        data.check_threading(self.measured["posting"].article, self.generator)
        self.newsroom_seconds = time.monotonic() - started

    def grow_and_measure(self):
        """Grows the database size by size; the cold article page at each, every miss and cold page at the
        last."""
        sizes = self.data.SCALES[self.args.scale][: 1 if self.args.only else None]
        for size in sizes:
            self.say(f"\nGrowing the database to {size.label}…")
            started = time.monotonic()
            self.generator.grow_to(size)
            seconds = time.monotonic() - started + (self.newsroom_seconds if size is sizes[0] else 0)
            self.generation.append((size, seconds))
            self.say(f"Data ready in {seconds:.0f} s.")
            if self.args.data_only or self.args.only:
                continue
            if size is sizes[-1]:
                self.measure_last_size()
                continue
            self.say("Cold server:")
            with servers.gunicorn(self.uncached, self.args.workers) as base:
                check_comments(load.fetch(base + self.article.path), self.article.first_page_ids, ARTICLE)
                self.growth.append((size, self.measure(ARTICLE, base + self.article.path)))

    @contextlib.contextmanager
    def miss_server(self, cold):
        """A server with the site's caches on, in a Redis of its own, but the page cache off, so that every
        request misses it; DJANGO_FRAGMENTS_COLD=``cold`` says which fragments it makes on every request
        (``article``: those showing the article's own scope, its comment threads; ``all``: every one).
        Yields its base URL and environment."""
        with servers.redis_servers(self.workdir) as redis_urls:
            environment = {
                **self.environment,
                "DJANGO_CACHE": "on",
                **redis_urls,
                "DJANGO_PAGE_CACHE_SECONDS": "0",
                "DJANGO_FRAGMENTS_COLD": cold,
            }
            with servers.gunicorn(environment, self.args.workers) as base:
                yield base, environment

    def measure_last_size(self):
        self.say("Two servers missing the page cache (after a comment change, after a site change):")
        with (
            self.miss_server("article") as (after_comment, comment_environment),
            self.miss_server("all") as (after_site, site_environment),
        ):
            self.measure_misses(after_comment, comment_environment, after_site, site_environment)
        self.say("Cold server (DJANGO_CACHE=off):")
        with servers.gunicorn(self.uncached, self.args.workers) as base:
            self.measure_cold(base)

    def measure_misses(self, after_comment, comment_environment, after_site, site_environment):
        """The pages whose ratios are targets, in turns: the article page on a miss after a comment change
        and after a site change, the Cyrillic and front pages after a site change, and the reference with
        anonymous commenters on the same server (its middleware and caches as the site's pages have them)."""
        article, anonymous = self.article, self.measured[self.data.ANONYMOUS]
        # A signed-in reader is never served by the page cache: every request is rendered for them, on the
        # server whose article fragments are made on every request, like the miss it is compared with.
        on_comment = {MISS_COMMENT: article.path, SIGNED_IN: article.path}
        cookies = {SIGNED_IN: reader_session(comment_environment)}
        on_site = {
            MISS_SITE: article.path,
            MISS_SITE_CYRILLIC: "/cir" + article.path,
            FRONT_MISS: "/",
            REFERENCE_ANONYMOUS: f"/referenca/{anonymous.article.pk}/",
        }
        urls = {
            **{label: after_comment + path for label, path in on_comment.items()},
            **{label: after_site + path for label, path in on_site.items()},
        }
        # The first fetch also makes the fragments a miss after a comment change finds warm.
        bodies = {label: load.fetch(url, cookies.get(label, "")) for label, url in urls.items()}
        for label in (MISS_COMMENT, MISS_SITE, MISS_SITE_CYRILLIC, SIGNED_IN):
            check_comments(bodies[label], article.first_page_ids, label)
        assert reader_session_module.DISPLAY_NAME.encode() in bodies[SIGNED_IN], "the reader is not signed in"
        check_comments(bodies[REFERENCE_ANONYMOUS], anonymous.first_page_ids, REFERENCE_ANONYMOUS, prefix="c")
        self.say(f"  {', '.join(urls)}, in turns…")
        loads = load.measure_in_turns(urls, self.settings, cookies=cookies)
        queries = {
            **count_queries(comment_environment, on_comment, signed_in={SIGNED_IN}),
            **count_queries(site_environment, on_site),
        }
        self.rows.update(
            (label, report.Row(label, loads[label], len(bodies[label]), queries[label]["queries"]))
            for label in urls
        )

    def measure_cold(self, base):
        pages = {
            ARTICLE: self.article.path,
            CYRILLIC: "/cir" + self.article.path,
            REFERENCE: f"/referenca/{self.article.article.pk}/",
            FRONT: "/",
            SEARCH: "/pretraga/?" + urlencode({"q": SEARCH_QUERY}),
        }
        by_comments = {
            f"{comments} comments": self.measured[comments] for comments in self.data.COMMENTS_PER_ARTICLE
        }
        pages.update((label, entry.path) for label, entry in by_comments.items())
        bodies = {label: load.fetch(base + path) for label, path in pages.items()}
        check_comments(bodies[ARTICLE], self.article.first_page_ids, ARTICLE)
        check_comments(bodies[REFERENCE], self.article.first_page_ids, REFERENCE, prefix="c")
        for label, entry in by_comments.items():
            check_comments(bodies[label], entry.first_page_ids, label)
        # The pages compared for information take turns; the others follow one by one.
        compared = (ARTICLE, CYRILLIC, REFERENCE)
        self.say(f"  {', '.join(compared)}, in turns…")
        loads = load.measure_in_turns({label: base + pages[label] for label in compared}, self.settings)
        for label, path in pages.items():
            if label not in loads:
                same = path == pages[ARTICLE]
                loads[label] = loads[ARTICLE] if same else self.measure(label, base + path)
        queries = count_queries(self.uncached, pages)
        rows = {
            label: report.Row(label, loads[label], len(bodies[label]), queries[label]["queries"])
            for label in pages
        }
        self.growth.append((self.data.SCALES[self.args.scale][-1], loads[ARTICLE]))
        self.per_comments = [(entry.comments, rows.pop(label)) for label, entry in by_comments.items()]
        self.rows.update(rows)

    def measure_cached(self):
        from django.conf import settings

        from comments.models import ArticleComment

        posting = self.measured["posting"]
        live_part = live_blog_part(self.article.article)
        with servers.redis_servers(self.workdir) as redis_urls:
            cached = {**self.environment, "DJANGO_CACHE": "on", **redis_urls}
            self.say("\nCached server (Redis):")
            with servers.gunicorn(cached, self.args.workers) as base:
                load.fetch(base + self.article.path)
                page = load.fetch(base + self.article.path)
            check_comments(page, self.article.first_page_ids, CACHED)
            # WhiteNoise finds the files when gunicorn starts: the copy goes in before the next start.
            static_file = Path(settings.STATIC_ROOT) / STATIC_PAGE
            static_file.parent.mkdir(exist_ok=True)
            static_file.write_bytes(page)
            pages = {
                CACHED: self.article.path,
                STATIC: settings.STATIC_URL + STATIC_PAGE,
                FRONT_CACHED: "/",
                LIVE_PART: live_part,
            }
            with servers.gunicorn(cached, self.args.workers) as base:
                bodies = {label: load.fetch(base + path) for label, path in pages.items()}
                if bodies[CACHED] != page:
                    self.notes.append("The cached article page changed between two servers' answers.")
                assert bodies[STATIC] == page, "the static copy differs from the cached page"
                self.say(f"  {CACHED}, {STATIC}, {LIVE_PART}, in turns…")
                loads = load.measure_in_turns(
                    {label: base + pages[label] for label in (CACHED, STATIC, LIVE_PART)}, self.settings
                )
                loads[FRONT_CACHED] = self.measure(FRONT_CACHED, base + pages[FRONT_CACHED])
                action, hidden = load.comment_form(load.fetch(base + posting.path))
                posts = ArticleComment.objects.filter(article=posting.article)
                before = []
                posted = self.measure(
                    POSTING,
                    base + action,
                    form=load.comment_post_fields(hidden),
                    after_warmup=lambda: before.append(posts.count()),
                )
                stored = posts.count() - before[0]
            queries = count_queries(cached, pages, posting={POSTING: posting.path})
        self.rows.update(
            (label, report.Row(label, loads[label], len(bodies[label]), queries[label]["queries"]))
            for label in pages
        )
        self.rows[POSTING] = report.Row(
            POSTING, posted, queries[POSTING]["bytes"], queries[POSTING]["queries"]
        )
        accepted = posted.requests - posted.non_2xx - posted.errors
        # Requests still on their way when wrk stops are stored but not counted.
        if not accepted <= stored <= accepted + 2 * self.args.connections:
            self.notes.append(f"Comment posting: {stored} comments stored for {accepted} accepted answers.")

    def measure_lag(self):
        """The cached article page, steady and with a lagging invalidation every second (bench/lag.py)."""
        with servers.redis_servers(self.workdir) as redis_urls:
            cached = {**self.environment, "DJANGO_CACHE": "on", **redis_urls}
            self.say("\nCached server (Redis), a lagging invalidation of the article every second:")
            with servers.gunicorn(cached, self.args.workers) as base:
                load.fetch(base + self.article.path)
                page = load.fetch(base + self.article.path)
                check_comments(page, self.article.first_page_ids, LAGGING)
                self.say(f"  {LAGGING}…")
                others = [entry.path for entry in self.measured.values() if entry is not self.article]
                self.lag = lag.measure(
                    base,
                    self.article.path,
                    self.article.article.pk,
                    cached,
                    self.settings,
                    self.args.seconds,
                    warm_paths=others,
                    workers=self.args.workers,
                )
        phase = self.lag.lagging
        combined = load.Load(
            seconds=sum(second.load.seconds for second in phase.seconds),
            requests_per_second=phase.requests_per_second,
            median_ms=phase.median_ms,
            p99_ms=phase.p99_ms,
            requests=sum(second.load.requests for second in phase.seconds),
            errors=sum(second.load.errors for second in phase.seconds),
            non_2xx=sum(second.load.non_2xx for second in phase.seconds),
        )
        self.rows[LAGGING] = report.Row(LAGGING, combined, len(page), 0)
        if not self.lag.met:
            self.notes.append("The article page with lagging invalidations missed its targets (see below).")

    def write_lag(self, busy):
        size = self.data.SCALES[self.args.scale][0 if self.args.only else -1]
        context = (
            f"Run on {datetime.now(UTC):%Y-%m-%d %H:%M UTC} with "
            f"`{shlex.join(['python', '-m', 'bench.run', *sys.argv[1:]])}`, at {size.label}; gunicorn with "
            f"{self.args.workers} sync workers, wrk with {self.args.threads} threads and "
            f"{self.args.connections} connections."
        )
        if busy > 0.2:
            context += f" Something else kept the CPUs {busy:.0%} busy when the benchmark began."
        text = lag.markdown(self.lag, context)
        print("\n" + text)
        if not self.args.no_docs:
            report.write_docs(text, lag.BEGIN, lag.END)
            lag.write_plot(self.lag, report.IMAGES)

    def targets(self):
        return targets(self.rows, self.growth, self.lag)


def live_blog_part(article):
    """A live blog beside ``article`` with LIVE_ENTRIES entries; the address its readers' pages poll when
    they already show the newest entry (what nearly every poll asks)."""
    from articles import live
    from articles.models import Article, LiveEntry

    blog = Article.objects.filter(section=article.section, slug="bench-uzivo").first()
    if blog is None:
        blog = Article.objects.create(
            section=article.section,
            title="Praćenje uživo za merenje",
            slug="bench-uzivo",
            lead="Kratki unosi, najnoviji na vrhu.",
            body="<p>Uvod u praćenje.</p>",
            status=Article.Status.PUBLISHED,
            published_at=article.published_at,
            is_live_blog=True,
        )
        for number in range(LIVE_ENTRIES):
            live.save_entry(LiveEntry(article=blog, text=f"Unos broj {number}: kratka vest sa lica mesta."))
    newest = live.entries(blog, limit=1)[0]
    return f"/uzivo/{blog.pk}/?posle={newest.pk}"


def _target(number, label, value, shown, target, met, *loads):
    """A target row; a ratio taken from loads with failed requests, or with none answered, is never met,
    and says so."""
    failed = sum(measured.errors + measured.non_2xx for measured in loads)
    unanswered = any(measured.requests == 0 for measured in loads)
    if failed:
        shown += f" ({failed:,} failed requests)"
    if unanswered:
        shown += " (a page answered no request)"
    return report.Target(label, shown, target, met(value) and not failed and not unanswered, number=number)


def targets(rows, growth, lag_run=None):
    """The target table from the run's rows (by label), the growth of the cold article page and the lag run
    (bench/lag.py; its two rows are left out without one)."""

    def measured(label):
        return rows[label].load

    after_comment, after_site = measured(MISS_COMMENT), measured(MISS_SITE)
    cyrillic, front = measured(MISS_SITE_CYRILLIC), measured(FRONT_MISS)
    reference = measured(REFERENCE_ANONYMOUS)
    cached, static = measured(CACHED), measured(STATIC)
    over_comment = _ratio(after_comment.requests_per_second, reference.requests_per_second)
    over_site = _ratio(after_site.requests_per_second, reference.requests_per_second)
    front_share = _ratio(front.requests_per_second, after_site.requests_per_second)
    size_kb = rows[MISS_SITE].size / 1024
    cyrillic_cost = _ratio(cyrillic.median_ms, after_site.median_ms) - 1
    of_static = _ratio(cached.requests_per_second, static.requests_per_second)
    live_part = measured(LIVE_PART)
    of_cached = _ratio(live_part.requests_per_second, cached.requests_per_second)
    signed_in = measured(SIGNED_IN)
    of_anonymous_miss = _ratio(signed_in.requests_per_second, after_comment.requests_per_second)
    (first, at_first), (last, at_last) = growth[0], growth[-1]
    growth_ratio = _ratio(at_last.median_ms, at_first.median_ms)
    cold, registered = measured(ARTICLE), measured(REFERENCE)
    over_registered = _ratio(cold.requests_per_second, registered.requests_per_second)
    table = [
        _target(
            "1",
            "article page, miss after a comment change ÷ reference with anonymous commenters, requests/s",
            over_comment,
            f"{over_comment:.1f}",
            f"≥ {TARGETS['after_comment']:.0f}",
            lambda value: value >= TARGETS["after_comment"],
            after_comment,
            reference,
        ),
        _target(
            "2",
            "article page, miss after a site change ÷ the same reference, requests/s",
            over_site,
            f"{over_site:.1f}",
            f"≥ {TARGETS['after_site']:.0f}",
            lambda value: value >= TARGETS["after_site"],
            after_site,
            reference,
        ),
        _target(
            "3",
            "front page ÷ article page, both on a miss after a site change, requests/s",
            front_share,
            f"{front_share:.2f}",
            f"≥ {TARGETS['front']:.0f}",
            lambda value: value >= TARGETS["front"],
            front,
            after_site,
        ),
        _target(
            "4",
            "article page size (all 200 comments on it)",
            size_kb,
            f"{size_kb:.1f} KB",
            f"≤ {TARGETS['size_kb']:.0f} KB",
            lambda value: value <= TARGETS["size_kb"],
        ),
        _target(
            "5",
            "Cyrillic article page ÷ Latin one, both on a miss after a site change, median latency",
            cyrillic_cost,
            f"{cyrillic_cost:+.0%}",
            f"≤ +{TARGETS['cyrillic']:.0%}",
            lambda value: value <= TARGETS["cyrillic"],
            cyrillic,
            after_site,
        ),
        _target(
            "6",
            "cached article page ÷ static file, requests/s",
            of_static,
            f"{of_static:.2f}",
            f"≥ {TARGETS['static']}",
            lambda value: value >= TARGETS["static"],
            cached,
            static,
        ),
        _target(
            "7",
            "live blog's polled part ÷ cached article page, both cached, requests/s",
            of_cached,
            f"{of_cached:.2f}",
            f"≥ {TARGETS['live']}",
            lambda value: value >= TARGETS["live"],
            live_part,
            cached,
        ),
        _target(
            "8",
            "article page for a signed-in reader ÷ an anonymous reader's miss, both after a comment change, "
            "requests/s",
            of_anonymous_miss,
            f"{of_anonymous_miss:.2f}",
            f"≥ {TARGETS['signed_in']}",
            lambda value: value >= TARGETS["signed_in"],
            signed_in,
            after_comment,
        ),
        _target(
            "6",
            f"cold article page, median latency, {last.articles:,} ÷ {first.articles:,} articles",
            growth_ratio,
            f"{growth_ratio:.2f}",
            f"≤ {TARGETS['growth']}",
            lambda value: value <= TARGETS["growth"],
            at_first,
            at_last,
        ),
    ]
    if lag_run is not None:
        steady, lagging = lag_run.steady, lag_run.lagging
        failed = lagging.failures + steady.failures
        suffix = f" ({failed:,} failed requests)" if failed else ""
        table += [
            report.Target(
                "cached article page, a lagging invalidation every second ÷ steady, requests/s (see below)",
                f"{lag_run.ratio:.2f}{suffix}",
                f"≥ {lag.TARGET_THROUGHPUT}",
                lag_run.ratio >= lag.TARGET_THROUGHPUT and not failed,
                number="6",
            ),
            report.Target(
                "cached article page, a lagging invalidation every second, p99 (see below)",
                f"{lagging.p99_ms:.1f} ms{suffix}",
                f"< {lag.TARGET_P99_MS:.0f} ms",
                lagging.p99_ms < lag.TARGET_P99_MS and not failed,
                number="6",
            ),
        ]
    table.append(
        report.Target(
            "cold article page ÷ reference with registered commenters, requests/s",
            f"{over_registered:.1f}",
            f"information (a target of ≥ {FORMER_REFERENCE_TARGET:.0f} before fragments)",
            None,
        )
    )
    return table


def main():
    args = parse_args()
    missing = [tool for tool in ("wrk", "redis-server") if not shutil.which(tool)]
    if missing:
        sys.exit(
            f"Missing {' and '.join(missing)}: `make bench` installs them (apt-get install wrk redis-server)."
        )
    began = time.monotonic()
    busy = cpu_busy()
    with tempfile.TemporaryDirectory(prefix="citaonica-bench-") as workdir:
        bench = Bench(args, Path(workdir))
        import django

        django.setup()
        bench.prepare()
        bench.grow_and_measure()
        if args.only == "lag":
            bench.measure_lag()
            bench.write_lag(busy)
            return
        if args.data_only:
            for size, seconds in bench.generation:
                print(f"{size.label}: {seconds:.0f} s")
            return
        bench.measure_cached()
        bench.measure_lag()
        machine = machine_info()
    if busy > 0.2:
        bench.notes.append(
            f"Something else kept the CPUs {busy:.0%} busy when the benchmark began; its timings may show it."
        )
    size = bench.data.SCALES[args.scale][-1]
    results = report.Results(
        command=shlex.join(["python", "-m", "bench.run", *sys.argv[1:]]),
        date=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        scale=args.scale,
        machine=machine,
        setup=(
            f"gunicorn with {args.workers} sync workers and production settings (DJANGO_DEBUG=0) on "
            f"loopback; wrk with {args.threads} threads and {args.connections} connections, "
            f"{args.seconds:.0f} s per page after a {args.warmup:.0f} s warm-up, pages in a fixed order. "
            "Miss after a comment change: the site's caches on, in a Redis of the server's own, with the "
            "page cache off (DJANGO_PAGE_CACHE_SECONDS=0) and DJANGO_FRAGMENTS_COLD=article (the fragments "
            "of the article's own comment threads made on every request, the rest of the page's warm). "
            "Miss after a site change: the same on a second server with DJANGO_FRAGMENTS_COLD=all (every "
            "fragment made on every request); the reference with anonymous commenters is measured on that "
            "server too. "
            "Cold: DJANGO_CACHE=off (every cache off). Cached: the site's caches in a Redis of the "
            "benchmark's own, anonymous readers."
        ),
        data=(
            f"{size.label}, published over three years in {len(bench.generator.sections)} sections, with "
            f"authors, tags and photos. The measured article: {bench.data.MEASURED_WORDS} words, one photo, "
            f"{bench.data.MEASURED_COMMENTS} approved comments in threads of a root, two replies and a reply "
            "to a reply, 40 to 400 characters each, all on the first page of comments, "
            f"{bench.registered_comments} of them by readers with an account. The reference with anonymous "
            "commenters shows a copy of that article with the same comments (texts, threads, dates, names) "
            "posted without an account."
        ),
        generation=bench.generation,
        rows=list(bench.rows.values()),
        targets=bench.targets(),
        growth=bench.growth,
        per_comments=bench.per_comments,
        notes=bench.notes,
        duration=time.monotonic() - began,
    )
    text = report.markdown(results)
    print("\n" + text)
    if not args.no_docs:
        report.write_docs(text)
        report.write_plots(results)
    bench.write_lag(busy)
    if not args.no_docs:
        print(f"Written to {report.DOCS.relative_to(ROOT)} and {report.IMAGES.relative_to(ROOT)}/.")


if __name__ == "__main__":
    main()
