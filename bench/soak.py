"""Soak: readers and commenters for a while against a server that loses workers and its database now and then.

Run with `make soak` (SOAK_ARGS="--duration 600" for the documented ten minutes). It starts its own
PostgreSQL cluster, Redis and gunicorn with production settings on loopback, loads a small newspaper (the
benchmark's data generator), then for the given time runs reader threads (article pages in both scripts, the
front page, search) and commenter threads (the real form, each comment with a unique marker) while it kills a
gunicorn worker with SIGKILL and restarts PostgreSQL (`pg_ctl restart -m fast`) on a schedule. At the end it
prints a Markdown report: requests by kind with latency percentiles, answers by status, errors by kind, and
comments accepted against comments stored. It exits non-zero when an accepted comment is missing or stored
twice, when a comment the reader was told is refused was stored all the same, or when the site does not answer
after the run. Every request goes to 127.0.0.1.
"""

import argparse
import http.client
import json
import os
import random
import re
import shlex
import socket
import statistics
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter, defaultdict
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import load, servers  # noqa: E402
from bench.run import cpu_busy  # noqa: E402

READ_KINDS = {"article": 5, "article in Cyrillic": 2, "front page": 2, "search": 1}
SEARCHES = ["saobraćaj", "vlada", "izbori", "Beograd", "срби"]
MARKER = re.compile(r"^soak-[0-9a-f]+-\d+-\d+\b")
# The client's side of a connection that broke, by exception; anything else is named by its class.
ERROR_KINDS = [
    (http.client.RemoteDisconnected, "closed without an answer"),  # a ConnectionResetError too
    (ConnectionRefusedError, "connection refused"),
    (ConnectionResetError, "connection reset"),
    (TimeoutError, "timeout"),
]


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m bench.soak", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load (default 60)")
    parser.add_argument("--readers", type=int, default=4, help="reader threads (default 4)")
    parser.add_argument("--commenters", type=int, default=2, help="commenter threads (default 2)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers (default 3)")
    parser.add_argument(
        "--kill-every", type=float, default=60.0, help="seconds between worker kills (default 60; 0: never)"
    )
    parser.add_argument(
        "--restart-pg-every",
        type=float,
        default=150.0,
        help="seconds between PostgreSQL restarts (default 150; 0: never)",
    )
    parser.add_argument("--pause", type=float, default=0.05, help="each thread's pause between requests")
    parser.add_argument("--timeout", type=float, default=10.0, help="client timeout per request (default 10)")
    parser.add_argument("--articles", type=int, default=1000, help="articles to load (default 1000)")
    parser.add_argument("--comments", type=int, default=20000, help="comments to load (default 20000)")
    parser.add_argument("--photos", type=int, default=3, help="demo photos to draw (default 3)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--output", type=Path, help="also write the Markdown report to this file")
    return parser.parse_args(argv)


def load_content(args):
    """Migrates, collects static files and loads a small newspaper; returns (read paths, commented paths)."""
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import override_settings

    from articles.models import Article
    from bench import data

    call_command("migrate", interactive=False, verbosity=0)
    # Without compression (the slow part of collectstatic): WhiteNoise serves the same hashed names.
    manifest = {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}
    with override_settings(STORAGES={**settings.STORAGES, "staticfiles": manifest}):
        call_command("collectstatic", interactive=False, verbosity=0)
    generator = data.Generator(args.seed)
    generator.create_newsroom(photos=args.photos)
    measured = generator.create_measured_articles()
    generator.grow_to(data.Size(args.articles, args.comments))
    newest = Article.objects.published().order_by("-published_at", "-pk").select_related("section")[:200]
    # Comments close after some days: readers comment on the freshly published measured articles.
    return [article.get_absolute_url() for article in newest], [entry.path for entry in measured.values()]


class Tally:
    """What the clients saw; shared by the threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.latencies = defaultdict(list)  # kind: seconds, for requests that got an answer
        self.requests = Counter()
        self.statuses = Counter()
        self.errors = Counter()
        self.accepted = set()
        self.lost = set()  # posts whose answer never came: stored or not, the reader cannot know
        self.refused = {}  # marker: status
        self.posted = 0

    def record(self, kind, seconds, status=None, error=None):
        with self.lock:
            self.requests[kind] += 1
            if status is not None:
                self.statuses[status] += 1
                self.latencies[kind].append(seconds)
                if status >= 500:
                    self.errors[f"HTTP {status}"] += 1
            else:
                self.errors[error] += 1


def error_kind(error):
    reason = error.reason if isinstance(error, urllib.error.URLError) else error
    for kind, name in ERROR_KINDS:
        if isinstance(reason, kind):
            return name
    if isinstance(reason, socket.timeout):
        return "timeout"
    return type(reason).__name__


def request(tally, kind, url, data=None, timeout=10.0):
    """(status, body) or (None, None) when no answer came; the outcome is tallied under ``kind``."""
    headers = {"User-Agent": load.USER_AGENT}
    if data is not None:
        headers["Accept"] = "application/json"
    body = urlencode(data).encode() if data is not None else None
    started = time.monotonic()
    try:
        with urllib.request.urlopen(
            urllib.request.Request(url, data=body, headers=headers), timeout=timeout
        ) as response:
            status, text = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, text = error.code, error.read()
    except (OSError, http.client.HTTPException) as error:
        tally.record(kind, time.monotonic() - started, error=error_kind(error))
        return None, None
    tally.record(kind, time.monotonic() - started, status=status)
    return status, text


def reader(tally, base, paths, deadline, args, rng):
    kinds, weights = list(READ_KINDS), list(READ_KINDS.values())
    for _ in range(int(args.duration * 100)):  # bounded even if every request failed at once
        if time.monotonic() >= deadline:
            return
        kind = rng.choices(kinds, weights)[0]
        if kind == "article":
            path = rng.choice(paths)
        elif kind == "article in Cyrillic":
            path = "/cir" + rng.choice(paths)
        elif kind == "front page":
            path = "/"
        else:
            path = "/pretraga/?" + urlencode({"q": rng.choice(SEARCHES)})
        request(tally, kind, base + path, timeout=args.timeout)
        time.sleep(args.pause)


def commenter(tally, base, paths, deadline, args, rng, run, number):
    for count in range(int(args.duration * 100)):
        if time.monotonic() >= deadline:
            return
        time.sleep(args.pause)
        status, page = request(tally, "comment form", base + rng.choice(paths), timeout=args.timeout)
        if status != 200:
            continue
        action, hidden = load.comment_form(page)
        marker = f"soak-{run}-{number}-{count}"
        fields = {
            **hidden,
            "name": "Čitalac Izdržljivi",
            "email": f"{marker}@example.org",
            "comment": f"{marker} Komentar pod opterećenjem, sa đ, ž i ćirilicom: чита.",
            "honeypot": "",
        }
        with tally.lock:
            tally.posted += 1
        status, body = request(tally, "comment post", base + action, data=fields, timeout=args.timeout)
        with tally.lock:
            if status is None:
                tally.lost.add(marker)
            elif status == 201 and json.loads(body).get("ok"):
                tally.accepted.add(marker)
            else:
                tally.refused[marker] = status


def chaos(stop, master, cluster, args, rng, events, started):
    """Kills a worker and restarts PostgreSQL on their schedules until the load ends.

    Each comes first at half its period, so a short run meets it too and the two rarely coincide.
    """
    next_kill = args.kill_every / 2 if args.kill_every else float("inf")
    next_restart = args.restart_pg_every / 2 if args.restart_pg_every else float("inf")
    while not stop.wait(0.2):
        elapsed = time.monotonic() - started
        if elapsed >= args.duration:
            return
        if elapsed >= next_kill:
            pid = servers.kill_one_worker(master.pid, rng)
            events.append((elapsed, f"SIGKILL to worker {pid}"))
            print(f"  {elapsed:5.0f} s: killed gunicorn worker {pid}", flush=True)
            next_kill += args.kill_every
        if elapsed >= next_restart:
            began = time.monotonic()
            cluster.restart()
            events.append((elapsed, f"PostgreSQL restarted in {time.monotonic() - began:.1f} s"))
            print(f"  {elapsed:5.0f} s: restarted PostgreSQL ({time.monotonic() - began:.1f} s)", flush=True)
            next_restart += args.restart_pg_every


def stored_markers(run):
    """Markers of the comments the database holds, counted; waits for a database that is restarting."""
    from django.db import connections

    from comments.models import ArticleComment

    for attempt in range(30):
        connections.close_all()
        try:
            texts = ArticleComment.objects.filter(comment__startswith=f"soak-{run}-").values_list(
                "comment", flat=True
            )
            return Counter(MARKER.match(text).group(0) for text in texts)
        except Exception:
            if attempt == 29:
                raise
            time.sleep(1)


def site_answers(base):
    for _ in range(30):
        try:
            with urllib.request.urlopen(base + "/", timeout=10) as response:
                if response.status == 200:
                    return True
        except (OSError, http.client.HTTPException):
            pass
        time.sleep(1)
    return False


def server_exceptions(log_text):
    """The exception types in the server's tracebacks, counted (the last line of each traceback)."""
    found, inside = Counter(), False
    for line in log_text.splitlines():
        if line.startswith("Traceback (most recent call last)"):
            inside = True
        elif inside and line and not line[0].isspace():
            found[line.split(":", 1)[0]] += 1
            inside = False
    return found


def percentile(values, share):
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[round(share * 100) - 1]


def markdown(args, tally, stored, events, exceptions, workers_after, answers_after, busy, seconds):
    accepted, lost = tally.accepted, tally.lost
    missing = sorted(accepted - set(stored))
    twice = sorted(marker for marker, count in stored.items() if count > 1)
    lost_stored = len(lost & set(stored))
    refused_stored = sorted(set(tally.refused) & set(stored))
    lines = [
        f"### Soak run, {args.duration:.0f} s ({datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')})",
        "",
        f"Command: `{shlex.join(['python', '-m', 'bench.soak', *sys.argv[1:]])}`. gunicorn with "
        f"{args.workers} sync workers and production settings, Redis and PostgreSQL of its own on loopback; "
        f"{args.readers} reader and {args.commenters} commenter threads, {args.pause * 1000:.0f} ms pause "
        f"between requests, {args.timeout:.0f} s client timeout. {len(os.sched_getaffinity(0))} CPUs, "
        f"{busy:.0%} busy with other work before the run. Load for {seconds:.0f} s.",
        "",
        "Events: "
        + ("; ".join(f"{elapsed:.0f} s: {what}" for elapsed, what in events) if events else "none")
        + ".",
        "",
        "| requests | count | p50 ms | p95 ms | p99 ms | max ms |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    every = []
    for kind in [*READ_KINDS, "comment form", "comment post"]:
        values = sorted(tally.latencies[kind])
        every += values
        lines.append(row(kind, tally.requests[kind], values))
    lines.append(row("**all**", sum(tally.requests.values()), sorted(every)))
    lines += ["", "| answers by status | count |", "|---|---:|"]
    lines += [f"| {status} | {count:,} |" for status, count in sorted(tally.statuses.items())]
    lines += ["", "| errors by kind | count |", "|---|---:|"]
    lines += [f"| {kind} | {count:,} |" for kind, count in tally.errors.most_common()] or ["| none | 0 |"]
    lines += [
        "",
        "| comments | count |",
        "|---|---:|",
        f"| posted | {tally.posted:,} |",
        f"| accepted (201) | {len(accepted):,} |",
        f"| refused with an answer | {len(tally.refused):,} |",
        f"| answer lost (no answer came) | {len(lost):,} |",
        f"| stored | {sum(stored.values()):,} |",
        f"| accepted and stored once | {len(accepted & set(stored)) - len(set(twice) & accepted):,} |",
        f"| **accepted but missing** | {len(missing):,} |",
        f"| **stored twice or more** | {len(twice):,} |",
        f"| stored, answer lost | {lost_stored:,} |",
        f"| stored, though refused | {len(refused_stored):,} |",
        "",
        f"After the run: {workers_after} of {args.workers} workers running; the front page "
        + ("answers 200." if answers_after else "**does not answer**."),
        "Server-side exceptions logged: "
        + (", ".join(f"{name} × {count}" for name, count in exceptions.most_common()) or "none")
        + ".",
    ]
    failures = []
    if missing:
        failures.append(f"accepted comments missing: {', '.join(missing[:10])}")
    if twice:
        failures.append(f"comments stored twice: {', '.join(twice[:10])}")
    if refused_stored:
        failures.append(f"comments stored though refused: {', '.join(refused_stored[:10])}")
    if not answers_after:
        failures.append("the site does not answer after the run")
    return "\n".join(lines), failures


def row(kind, count, values):
    if not values:
        return f"| {kind} | {count:,} | – | – | – | – |"
    cells = [percentile(values, share) * 1000 for share in (0.50, 0.95, 0.99)] + [values[-1] * 1000]
    return f"| {kind} | {count:,} | " + " | ".join(f"{value:,.0f}" for value in cells) + " |"


def main(argv=None):
    args = parse_args(argv)
    if args.readers < 0 or args.commenters < 1 or args.workers < 1 or args.duration <= 0:
        sys.exit("Needs a positive duration, at least one commenter and one worker.")
    busy = cpu_busy()
    rng = random.Random(args.seed)
    run = f"{random.getrandbits(32):08x}"
    with tempfile.TemporaryDirectory(prefix="citaonica-soak-") as workdir, ExitStack() as stack:
        workdir = Path(workdir)
        print("Starting PostgreSQL and Redis…", flush=True)
        cluster = stack.enter_context(servers.postgresql())
        redis_urls = stack.enter_context(servers.redis_servers(workdir))
        environment = servers.use_loopback_production_settings(workdir, DATABASE_URL=cluster.url)
        print("Migrating and loading content…", flush=True)
        began = time.monotonic()
        read_paths, comment_paths = load_content(args)
        print(f"Content ready in {time.monotonic() - began:.0f} s.", flush=True)
        log_path = workdir / "gunicorn.log"
        log = stack.enter_context(log_path.open("wb"))
        server = {**environment, "DJANGO_CACHE": "on", **redis_urls}
        base, master = stack.enter_context(servers.gunicorn_process(server, args.workers, log=log))

        print(f"Load for {args.duration:.0f} s against {base}…", flush=True)
        tally, events, stop = Tally(), [], threading.Event()
        started = time.monotonic()
        deadline = started + args.duration
        threads = [
            threading.Thread(
                target=reader, args=(tally, base, read_paths, deadline, args, random.Random(rng.random()))
            )
            for _ in range(args.readers)
        ]
        threads += [
            threading.Thread(
                target=commenter,
                args=(tally, base, comment_paths, deadline, args, random.Random(rng.random()), run, number),
            )
            for number in range(args.commenters)
        ]
        chaos_thread = threading.Thread(
            target=chaos, args=(stop, master, cluster, args, random.Random(rng.random()), events, started)
        )
        for thread in [*threads, chaos_thread]:
            thread.start()
        for thread in threads:
            thread.join(timeout=args.duration + 2 * args.timeout + 60)
        stop.set()
        chaos_thread.join()
        seconds = time.monotonic() - started

        answers_after = site_answers(base)
        workers_after = len(servers.child_pids(master.pid))
        stored = stored_markers(run)
        log.flush()
        exceptions = server_exceptions(log_path.read_text(errors="replace"))
        text, failures = markdown(
            args, tally, stored, events, exceptions, workers_after, answers_after, busy, seconds
        )
    print("\n" + text)
    if args.output:
        args.output.write_text(text + "\n")
    if failures:
        print("\nFAILED: " + "; ".join(failures), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
