"""External audits of the site as production runs it: `make audit`.

Starts gunicorn with production settings on a free loopback port against a throwaway SQLite database with the
demo content, then checks the reader pages, the moderation desk and the article form with axe-core,
the Nu Html Checker, Lighthouse (mobile), the MDN HTTP Observatory (over TLS, on two more ports), feedparser
and JSON-LD.
Prints one `PASS`/`FAIL page tool: detail` line per page and tool; exits 1 on any finding.

Tools come from .ci/audit/node_modules (`npm ci --ignore-scripts` in .ci/audit);
Chromium from /usr/bin/chromium.
"""

import argparse
import contextlib
import json
import os
import re
import shutil
import signal
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.servers import free_port, use_loopback_production_settings  # noqa: E402

TOOLS = ROOT / ".ci" / "audit" / "node_modules"
OBSERVATORY = ROOT / ".ci" / "audit" / "observatory.mjs"
CHROMIUM = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1",
]  # fmt: skip
# TLS ends at the proxy in production: every request but the redirection check says it arrived over https.
HTTPS = {"X-Forwarded-Proto": "https"}
HSTS_SECONDS = 63072000
MODERATOR = ("moderator", "moderator-demo")
EDITOR = ("urednik", "urednik-demo")
# Pages audited signed in, and as whom; every other page as a reader.
STAFF_PAGES = {
    "desk": MODERATOR,
    "article-form": EDITOR,
    "new-article-form": EDITOR,
    "editors-overview": EDITOR,
    "photo-library": EDITOR,
    "photo-upload": EDITOR,
    "photo-form": EDITOR,
    "gallery-list": EDITOR,
    "new-gallery-form": EDITOR,
    "live-entries-form": EDITOR,
}
# Pages audited as the demo reader signed in (comments/demo.py): their form and pending comments, their pages.
READER_PAGES = ("reader-article", "reader-profile", "reader-comments")
AXE_RUN = """axe.run(document).then(result => result.violations.map(violation => ({
    id: violation.id, impact: violation.impact, nodes: violation.nodes.map(node => node.target.join(" ")),
    why: violation.nodes[0].failureSummary.split("\\n").slice(1).map(line => line.trim()).join(" "),
})))"""
LIGHTHOUSE_MINIMUM = {"accessibility": 100, "best-practices": 100, "seo": 100, "performance": 95}

results = []


def report(page, tool, findings, detail=""):
    """One summary line; ``findings`` is a list of strings, empty when the check passed."""
    results.append(not findings)
    status = "PASS" if not findings else "FAIL"
    text = "; ".join(findings) if findings else detail
    print(f"{status} {page} {tool}: {text}", flush=True)


# --- The site


def manage(env, *args):
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
    )


def prepare_site(workdir):
    """The environment of the site, its database migrated and filled with the demo; returns (env, port)."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    use_loopback_production_settings(workdir, DATABASE_URL=f"sqlite:///{workdir / 'db.sqlite3'}")
    # As production behind its TLS proxy (Secure cookies still work on loopback); Chromium gets no other host.
    os.environ.update(
        DJANGO_SECURE="1",
        DJANGO_BEHIND_PROXY="1",
        DJANGO_HSTS_SECONDS=str(HSTS_SECONDS),
        DJANGO_SITE_URL=base,
        DJANGO_CSRF_TRUSTED_ORIGINS=base,  # the browser's Origin is http://, the request counts as https
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
    )
    env = dict(os.environ)
    manage(env, "collectstatic", "--noinput", "-v0")
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_demo", "--with-users")
    manage(env, "load_demo_comments")
    return env, port


def gunicorn(env, port, workdir, workers=2, tls=None):
    """The site under gunicorn on ``port``, over TLS when ``tls`` is (cert, key); ready to answer."""
    command = [
        sys.executable, "-m", "gunicorn", "config.wsgi", "--workers", str(workers), "--bind",
        f"127.0.0.1:{port}", "--log-level", "warning", "--timeout", "60", "--graceful-timeout", "5",
    ]  # fmt: skip
    if tls:
        command += ["--certfile", str(tls[0]), "--keyfile", str(tls[1])]
    log_path = workdir / f"gunicorn-{port}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True)
    address = f"{'https' if tls else 'http'}://127.0.0.1:{port}/robots.txt"
    context = ssl.create_default_context(cafile=tls[0]) if tls else None
    deadline = time.monotonic() + 60
    while fetch(address, context=context)[0] is None:
        if time.monotonic() > deadline or process.poll() is not None:
            stop(process)
            sys.exit(f"gunicorn did not start: {log_path.read_text()[-3000:]}")
        time.sleep(0.2)
    return process


def stop(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(url, headers=HTTPS, follow=True, context=None):
    """(status, headers as a list of pairs, body bytes); status None when nothing answers."""
    handlers = [urllib.request.HTTPSHandler(context=context)] if context else []
    opener = urllib.request.build_opener(*handlers, *([] if follow else [NoRedirect]))
    try:
        with opener.open(urllib.request.Request(url, headers=headers), timeout=30) as response:
            return response.status, response.headers.items(), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.items(), error.read()
    except OSError:
        return None, [], b""


def pages_to_audit():
    """Paths of the pages, chosen from the demo content through the ORM (this process shares the database)."""
    import django

    django.setup()
    from django.db.models import Count, Q
    from django.urls import reverse

    from articles.models import Article, Image, Section

    article = (
        Article.objects.published()
        .filter(lead_gallery__isnull=True)  # the photo story below is audited as itself
        .annotate(shown=Count("reader_comments", filter=Q(reader_comments__is_public=True)))
        .order_by("-shown", "-pk")
        .first()
    )
    section = Section.objects.filter(pk=article.section_id).first() or Section.objects.first()
    word = max(re.findall(r"\w+", article.title), key=len)
    photo = Image.objects.filter(pk=article.hero_image_id).first() or Image.objects.described().first()
    # The demo's photo story: a lead gallery of photos by several agencies, some restricted.
    gallery = Article.objects.published().filter(lead_gallery__isnull=False).order_by("-pk").first()
    # An article with a video or a post in its body: the reader's placeholder (articles/embeds.py).
    embed_article = Article.objects.published().filter(body__contains="data-embed=").order_by("pk").first()
    # The demo's live blog: "UŽIVO", the pinned summary and its entries (articles/live.py).
    live_blog = Article.objects.published().filter(is_live_blog=True).order_by("pk").first()
    # An article with a correction and a reply at its end (articles/demo_content.py NOTES).
    noted = Article.objects.published().filter(notes__isnull=False).distinct().order_by("pk").first()
    reader_article = (
        Article.objects.published().filter(reader_comments__user__username="demo-citateljka").distinct().first()
    )
    return {
        "front": "/",
        "section": section.get_absolute_url(),
        "article": article.get_absolute_url(),
        "search": reverse("articles:search") + "?" + urlencode({"q": word}),
        "cyrillic": "/cir" + article.get_absolute_url(),
        "gallery": gallery.get_absolute_url(),
        "gallery-cyrillic": "/cir" + gallery.get_absolute_url(),
        "embed-article": embed_article.get_absolute_url(),
        "live-blog": live_blog.get_absolute_url(),
        "live-blog-cyrillic": "/cir" + live_blog.get_absolute_url(),
        "live-entries-form": reverse("admin:articles_article_live", args=[live_blog.pk]),
        "noted-article": noted.get_absolute_url(),
        "impresum": reverse("articles:impresum"),
        "impresum-cyrillic": "/cir" + reverse("articles:impresum"),
        "reader-sign-up": reverse("account_signup"),
        "reader-sign-in": reverse("account_request_login_code"),
        "reader-article": reader_article.get_absolute_url(),
        "reader-profile": reverse("reader_profile"),
        "reader-comments": reverse("reader_comments"),
        "desk": reverse("admin:comments_desk"),
        "article-form": reverse("admin:articles_article_change", args=[article.pk]),
        "new-article-form": reverse("admin:articles_article_add"),
        "editors-overview": reverse("admin:articles_overview"),
        "photo-library": reverse("admin:articles_image_changelist"),
        "photo-upload": reverse("admin:articles_image_bulk_upload"),
        "photo-form": reverse("admin:articles_image_change", args=[photo.pk]),
        "gallery-list": reverse("admin:articles_gallery_changelist"),
        "new-gallery-form": reverse("admin:articles_gallery_add"),
    }, section


def reader_session():
    """A session of the demo reader (comments/demo.py), made in this process, which shares the database."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connections
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username="demo-citateljka"))
    connections.close_all()  # nothing of this process may hold the database while the servers use it
    return settings.SESSION_COOKIE_NAME, client.cookies[settings.SESSION_COOKIE_NAME].value


# --- axe-core and the HTML each page sends, in Chromium


def browse(base, paths, workdir):
    """axe-core on every page; keeps the HTML as served for the Nu Html Checker (returns the files)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    axe = (TOOLS / "axe-core" / "axe.min.js").read_text()
    files = {}
    cookie_name, session = reader_session()  # the ORM, before Playwright's event loop runs
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        reader = browser.new_context(bypass_csp=True, extra_http_headers=HTTPS)
        signed_in_reader = browser.new_context(bypass_csp=True, extra_http_headers=HTTPS)
        signed_in_reader.add_cookies([{"name": cookie_name, "value": session, "url": base}])
        staff = {}
        for name, (username, password) in STAFF_PAGES.items():
            staff[name] = browser.new_context(bypass_csp=True, extra_http_headers=HTTPS)
            login = staff[name].new_page()
            # The form is there at DOMContentLoaded; waiting for "load" once stalled past 30 s on a busy run.
            login.goto(
                base + "/admin/login/?" + urlencode({"next": paths[name]}),
                wait_until="domcontentloaded",
                timeout=60000,
            )
            login.get_by_label("Korisničko ime").fill(username)
            login.get_by_label("Lozinka").fill(password)
            login.get_by_role("button", name="Prijava").click()
            signed_in = re.compile(re.escape(paths[name]))
            login.wait_for_url(signed_in, wait_until="domcontentloaded", timeout=60000)
            login.close()
        for name, path in paths.items():
            page = staff.get(name, signed_in_reader if name in READER_PAGES else reader).new_page()
            response = page.goto(base + path, wait_until="domcontentloaded")
            with contextlib.suppress(PlaywrightTimeout):  # a slow subresource must not stop the audit
                page.wait_for_load_state("load", timeout=15000)
                if name in STAFF_PAGES:  # the body editor loads its extensions as modules after "load"
                    page.wait_for_load_state("networkidle", timeout=15000)
            body = response.body()
            files[name] = workdir / f"{name}.html"
            files[name].write_bytes(body)
            if response.status != 200:
                report(name, "axe", [f"HTTP {response.status} for {path}"])
                continue
            page.evaluate(axe)
            outcome = page.evaluate(AXE_RUN)
            findings = [
                f"{v['id']} ({v['impact']}) at {', '.join(v['nodes'][:5])}: {v['why'][:160]}" for v in outcome
            ]
            report(name, "axe", findings, f"no violations ({path})")
            page.close()
        browser.close()
    return files


def nu_html_checker(files):
    jar = TOOLS / "vnu-jar" / "build" / "dist" / "vnu.jar"
    names = {str(path): name for name, path in files.items()}
    finished = subprocess.run(
        ["java", "-jar", str(jar), "--format", "json", "--stdout", *names], capture_output=True, text=True
    )
    messages = json.loads(finished.stdout or "{}").get("messages", [])
    for path, name in names.items():
        grouped = {}
        for message in messages:
            if message.get("type") == "error" and urlsplit(message.get("url", "")).path == path:
                # Repeats of one error differ only in the value quoted: group them by the message's shape.
                shape = re.sub(r"“[^”]*”", "“…”", message["message"], count=1)
                grouped.setdefault(shape, []).append(message)
        errors = [
            f"{len(group)}× {group[0]['message']} (first at line {group[0].get('lastLine', '?')}: "
            f"{' '.join(group[0].get('extract', '').split())[:70]})"
            for group in grouped.values()
        ]
        report(name, "vnu", errors, "no errors")


# --- Lighthouse


LIGHTHOUSE_RUNS = 5  # Lighthouse's advice on variability: judge the median of 5 runs, not one run
METRICS = (
    ("FCP", "first-contentful-paint"), ("LCP", "largest-contentful-paint"), ("TBT", "total-blocking-time"),
    ("CLS", "cumulative-layout-shift"),
)  # fmt: skip


def lighthouse_run(url, output):
    """One Lighthouse run (mobile, simulated Slow 4G and 4x CPU); returns its report, or an error string."""
    flags = " ".join(f'"{arg}"' if " " in arg else arg for arg in CHROMIUM_ARGS)
    command = [
        str(TOOLS / ".bin" / "lighthouse"), url, f"--chrome-flags={flags}", "--no-enable-error-reporting",
        "--max-wait-for-load=15000", "--only-categories=performance,accessibility,best-practices,seo",
        "--output=json", f"--output-path={output}", "--quiet", f"--extra-headers={json.dumps(HTTPS)}",
    ]  # fmt: skip
    error = ""
    for _attempt in range(3):  # a trace now and then lacks its navigation start (NO_NAVSTART): run again
        output.unlink(missing_ok=True)
        finished = subprocess.run(
            command, env={**os.environ, "CHROME_PATH": CHROMIUM}, capture_output=True, text=True
        )
        if finished.returncode == 0 and output.exists():
            return json.loads(output.read_text())
        error = f"lighthouse failed ({finished.returncode}): {finished.stderr[-500:]}"
    return error


def score(run, category):
    return round((run["categories"][category]["score"] or 0) * 100)


def category_findings(run, category, minimum):
    """Why ``run`` scored ``category`` below ``minimum``: the weighted audits that did not pass."""
    audits = run["audits"]
    refs = run["categories"][category]["auditRefs"]
    if run["categories"][category]["score"] is None:
        errors = [ref["id"] for ref in refs if audits[ref["id"]]["score"] is None]
        return [f"{category} not scored (audits in error: {', '.join(errors)})"]
    if score(run, category) >= minimum:
        return []
    failed = [
        f"{ref['id']} ({audits[ref['id']]['score']})"
        for ref in refs
        if ref["weight"]
        and (audits[ref["id"]]["score"] or 0) < 1
        and audits[ref["id"]]["scoreDisplayMode"] != "informative"
    ]
    return [f"{category} {score(run, category)} < {minimum}: {', '.join(failed)}"]


def lighthouse(name, url, workdir):
    """Accessibility, best practices and SEO reach the minimum in every run, performance in the median."""
    started = time.monotonic()
    runs = []
    for number in range(LIGHTHOUSE_RUNS):
        result = lighthouse_run(url, workdir / f"lighthouse-{name}-{number}.json")
        if isinstance(result, str):
            report(name, "lighthouse", [result])
            return
        runs.append(result)
    runs.sort(key=lambda run: score(run, "performance"))
    median = runs[len(runs) // 2]
    findings, scores = [], []
    for category, minimum in LIGHTHOUSE_MINIMUM.items():
        judged = [median] if category == "performance" else runs
        for run in judged:
            findings += category_findings(run, category, minimum)
        scores.append(f"{category} {min(score(run, category) for run in judged)}")
    performances = ", ".join(str(score(run, "performance")) for run in runs)
    audits = median["audits"]
    metrics = ", ".join(f"{metric} {audits[audit].get('displayValue', '?')}" for metric, audit in METRICS)
    seconds = time.monotonic() - started
    summary = f"{', '.join(scores)} (median of {performances}); median run: {metrics}; {seconds:.0f} s"
    report(name, "lighthouse", [*findings, summary] if findings else [], summary)


# --- Headers, graded by the MDN HTTP Observatory


def serve_over_tls(env, workdir):
    """The site as the Observatory sees it: gunicorn over TLS (a certificate made for 127.0.0.1) and, on
    another port, plain http redirecting there; no proxy header. Returns (servers, http port, https port)."""
    cert, key = workdir / "cert.pem", workdir / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    https_port, http_port = free_port(), free_port()
    direct = {name: value for name, value in env.items() if name != "DJANGO_BEHIND_PROXY"}
    direct["DJANGO_SITE_URL"] = f"https://127.0.0.1:{https_port}"
    redirecting = {
        **direct,
        "DJANGO_SECURE_SSL_REDIRECT": "1",
        "DJANGO_SECURE_SSL_HOST": f"127.0.0.1:{https_port}",
    }
    servers = [
        gunicorn(direct, https_port, workdir, workers=1, tls=(cert, key)),
        gunicorn(redirecting, http_port, workdir, workers=1),
    ]
    return servers, http_port, https_port


def observatory(name, path, http_port, https_port, workdir):
    """The Observatory's own tests and grader (.ci/audit/observatory.mjs); A or better passes."""
    finished = subprocess.run(
        ["node", str(OBSERVATORY), "127.0.0.1", str(http_port), str(https_port), path],
        env={**os.environ, "NODE_EXTRA_CA_CERTS": str(workdir / "cert.pem")},
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    try:
        outcome = json.loads(finished.stdout)
    except json.JSONDecodeError:
        report(name, "headers", [f"observatory failed ({finished.returncode}): {finished.stderr[-500:]}"])
        return
    if "error" in outcome:
        report(name, "headers", [f"observatory: {outcome['error']}"])
        return
    if outcome["status"] != 200:  # scan() refuses error pages; the page audited must be the page itself
        report(name, "headers", [f"HTTP {outcome['status']} for {path}"])
        return
    tests = outcome["tests"].values()
    penalties = [f"{test['result']} ({test['modifier']})" for test in tests if test["modifier"] < 0]
    bonus = [test["result"] for test in tests if test["modifier"] > 0]
    grade = f"grade {outcome['grade']} ({outcome['score']})"
    findings = [f"{grade}: {', '.join(penalties)}"] if outcome["grade"] not in ("A+", "A") else []
    detail = f"{grade}; bonus: {', '.join(bonus) or 'none'}{''.join(f'; {penalty}' for penalty in penalties)}"
    report(name, "headers", findings, detail)


# --- Feeds and structured data

JSON_LD = re.compile(
    rb'<script[^>]*type=["\']application/ld\+json["\'][^>]*>(.*?)</script>', re.DOTALL | re.I
)
ARTICLE_FIELDS = ("headline", "image", "datePublished", "dateModified", "author", "publisher")


def feeds(base, section):
    import feedparser

    for path in ("/rss/", "/atom/", f"/{section.slug}/rss/"):
        status, _, body = fetch(base + path)
        parsed = feedparser.parse(body)
        findings = []
        if status != 200:
            findings.append(f"HTTP {status}")
        if parsed.bozo:
            findings.append(f"bozo: {parsed.bozo_exception}")
        if not parsed.entries:
            findings.append("no entries")
        report(f"feed {path}", "feedparser", findings, f"{parsed.version}, {len(parsed.entries)} entries")


def json_ld(name, base, path):
    _, _, html = fetch(base + path)
    blocks = JSON_LD.findall(html)
    findings = [] if blocks else ["no JSON-LD block"]
    found_article = False
    for block in blocks:
        try:
            data = json.loads(block)
        except json.JSONDecodeError as error:
            findings.append(f"not strict JSON: {error}")
            continue
        for item in data.get("@graph", [data]) if isinstance(data, dict) else data:
            # A live blog is a LiveBlogPosting (a kind of Article in schema.org) with the same fields.
            if "Article" in str(item.get("@type", "")) or item.get("@type") == "LiveBlogPosting":
                found_article = True
                missing = [field for field in ARTICLE_FIELDS if not item.get(field)]
                if missing:
                    findings.append(f"{item['@type']} without {', '.join(missing)}")
    if blocks and not found_article:
        findings.append("no Article / NewsArticle / LiveBlogPosting object")
    report(name, "json-ld", findings, f"{len(blocks)} block(s), article fields present")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--no-lighthouse", action="store_true", help="skip Lighthouse (5 runs of about 15 s per page)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the work folder (HTML, Lighthouse reports)")
    options = parser.parse_args()
    started = time.monotonic()
    workdir = Path(tempfile.mkdtemp(prefix="citaonica-audit-"))
    servers = []
    try:
        env, port = prepare_site(workdir)
        base = f"http://127.0.0.1:{port}"
        servers.append(gunicorn(env, port, workdir))
        tls_servers, http_port, https_port = serve_over_tls(env, workdir)
        servers += tls_servers
        paths, section = pages_to_audit()
        files = browse(base, paths, workdir)
        nu_html_checker(files)
        for name, path in paths.items():
            if name not in STAFF_PAGES and name not in READER_PAGES:
                observatory(name, path, http_port, https_port, workdir)
        feeds(base, section)
        json_ld("article", base, paths["article"])
        json_ld("cyrillic", base, paths["cyrillic"])
        json_ld("gallery", base, paths["gallery"])
        json_ld("noted-article", base, paths["noted-article"])
        json_ld("live-blog", base, paths["live-blog"])
        if not options.no_lighthouse:
            for name in ("article", "front"):
                lighthouse(name, base + paths[name], workdir)
    finally:
        for server in servers:
            stop(server)
        if options.keep:
            print(f"Work folder: {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    failed = results.count(False)
    print(f"{len(results) - failed} passed, {failed} failed in {time.monotonic() - started:.0f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
