"""Load on one address with wrk, and the single fetches that read a page's bytes and its comment form."""

import json
import os
import statistics
import subprocess
import time
import urllib.request
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

SCRIPT = Path(__file__).with_name("wrk.lua")
# A reader's browser: the site counts readings only for requests that look like one.
USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"


@dataclass(frozen=True)
class LoadSettings:
    seconds: float
    warmup: float
    threads: int
    connections: int


@dataclass(frozen=True)
class Load:
    seconds: float
    requests_per_second: float
    median_ms: float
    p99_ms: float
    requests: int
    errors: int  # connect, read, write and timeout errors
    non_2xx: int  # answers other than 2xx and 3xx
    quantiles_ms: tuple = ()  # with quantiles=True: the latency at each 0.1% of requests (0.05% … 99.95%)


def _wrk(url, seconds, settings, form=None, nonce="", quantiles=False, cookie=""):
    environment = {
        **os.environ,
        "BENCH_POST_FORM": form or "",
        "BENCH_POST_NONCE": nonce,
        "BENCH_QUANTILES": "1" if quantiles else "",
    }
    command = [
        "wrk", "--threads", str(settings.threads), "--connections", str(settings.connections),
        "--duration", f"{max(1, round(seconds))}s", "--timeout", "30s", "--latency",
        "--header", f"User-Agent: {USER_AGENT}", "--script", str(SCRIPT), url,
    ]  # fmt: skip
    if cookie:  # a signed-in reader: every request carries the session
        command[-3:-3] = ["--header", f"Cookie: {cookie}"]
    output = subprocess.run(command, capture_output=True, text=True, check=True, env=environment).stdout
    line = next((line for line in output.splitlines() if line.startswith("BENCH ")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no summary for {url}:\n{output}")
    summary = json.loads(line.removeprefix("BENCH "))
    return Load(
        seconds=summary["duration_us"] / 1e6,
        requests_per_second=summary["requests"] / (summary["duration_us"] / 1e6),
        median_ms=summary["p50_us"] / 1000,
        p99_ms=summary["p99_us"] / 1000,
        requests=summary["requests"],
        errors=sum(summary[kind] for kind in ("connect", "read", "write", "timeout")),
        non_2xx=summary["status"],
        quantiles_ms=tuple(value / 1000 for value in summary.get("quantiles_us", ())),
    )


def measure(url, settings, form=None, label="", after_warmup=None):
    """A warm-up, then the measured load; ``form`` (URL-encoded fields) makes every request post it.

    After each, the server finishes what wrk left waiting, so no page pays for the one before.
    """
    _settle(_wrk(url, settings.warmup, settings, form, nonce=f"{label}-warm"))
    if after_warmup:
        after_warmup()
    result = _wrk(url, settings.seconds, settings, form, nonce=f"{label}-load")
    _settle(result)
    return result


def measure_in_turns(urls, settings, rounds=3, cookies=None):
    """Pages compared with one another, measured in turns: after a warm-up of each, a third of the time
    on each page, three times over, so that a drift in the machine's speed touches them alike.

    ``cookies`` maps some labels to the Cookie header their requests carry (a signed-in reader's session).
    Returns a Load per label: the rounds' requests added up, the middle round's median and 99th percentile.
    """
    cookies = cookies or {}
    for label, url in urls.items():
        _settle(_wrk(url, settings.warmup, settings, nonce=f"{label}-warm", cookie=cookies.get(label, "")))
    parts = {label: [] for label in urls}
    for _ in range(rounds):
        for label, url in urls.items():
            result = _wrk(url, settings.seconds / rounds, settings, cookie=cookies.get(label, ""))
            _settle(result)
            parts[label].append(result)
    return {label: _combine(results) for label, results in parts.items()}


def _combine(results):
    seconds = sum(result.seconds for result in results)
    requests = sum(result.requests for result in results)
    return Load(
        seconds=seconds,
        requests_per_second=requests / seconds,
        median_ms=statistics.median(result.median_ms for result in results),
        p99_ms=statistics.median(result.p99_ms for result in results),
        requests=requests,
        errors=sum(result.errors for result in results),
        non_2xx=sum(result.non_2xx for result in results),
    )


def _settle(result):
    """Waits while the server answers the requests still queued when wrk stopped: about one latency."""
    time.sleep(min(30.0, result.p99_ms / 1000 if result.requests else 5.0))


def fetch(url, cookie=""):
    """The body as a reader's browser gets it, uncompressed (nothing asks for compression)."""
    headers = {"User-Agent": USER_AGENT, **({"Cookie": cookie} if cookie else {})}
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.read()


class _FormFields(HTMLParser):
    def __init__(self, form_id):
        super().__init__()
        self.form_id = form_id
        self.inside = False
        self.action = None
        self.hidden = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == self.form_id:
            self.inside, self.action = True, attrs.get("action")
        elif tag == "input" and self.inside and attrs.get("type") == "hidden" and attrs.get("name"):
            self.hidden[attrs["name"]] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False


def comment_form(page):
    """The action and hidden fields (signed timestamp, security hash, target) of the page's comment form."""
    parser = _FormFields("komentar-forma")
    parser.feed(page.decode())
    if not parser.action:
        raise RuntimeError("the page has no #komentar-forma form")
    return parser.action, parser.hidden


def comment_post_fields(hidden):
    """The form as a reader fills it in, less the address and the text, which vary per request."""
    return urlencode({**hidden, "name": "Čitalac Merenje", "honeypot": ""})
