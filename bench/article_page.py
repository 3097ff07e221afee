"""Article page throughput with 0 and with 200 approved comments, served by gunicorn with production settings.

Run with `make bench` (PostgreSQL when available, like the tests).
Options: --seconds, --concurrency, --workers.
Timings are for comparing runs on one machine, never absolute promises.
"""

import argparse
import io
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=8.0, help="load time per page (default 8)")
    parser.add_argument("--concurrency", type=int, default=4, help="parallel clients (default 4)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (default 2)")
    parser.add_argument("--port", type=int, default=8765)
    return parser.parse_args()


def configure_environment(workdir):
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_SECRET_KEY="benchmark-only-secret-key-" + "x" * 30,
        DJANGO_DEBUG="0",
        DJANGO_SECURE="0",
        DJANGO_ALLOWED_HOSTS="127.0.0.1,testserver",
        DJANGO_STATIC_ROOT=str(workdir / "static"),
        DJANGO_MEDIA_ROOT=str(workdir / "media"),
        DJANGO_SERVE_MEDIA="1",
        DJANGO_LOG_LEVEL="WARNING",
    )
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")


def manage(*args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)


def create_articles():
    """Two published articles with a 600-word body and a photo: one without comments, one with 200."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from articles.demo_photos import draw_demo_photo
    from articles.models import Article, ArticleAuthor, Author, Image, Section
    from comments.models import ArticleComment, Reaction
    from comments.moderation import refresh_comment_count

    section = Section.objects.create(name="Benchmark", slug="benchmark")
    author = Author.objects.create(name="Merna Ekipa", slug="merna-ekipa")
    buffer = io.BytesIO()
    draw_demo_photo(["#1d3557", "#457b9d", "#f1faee"], "bridge").save(buffer, format="JPEG")
    photo = Image.objects.create(
        file=ContentFile(buffer.getvalue(), name="bench.jpg"),
        alt_text="Most",
        caption="Most u sumrak",
        credit="Čitaonica",
    )
    paragraph = "<p>" + " ".join(["reč"] * 60) + "</p>"
    users = [get_user_model().objects.create_user(f"citalac{n}", password="x") for n in range(20)]
    content_type = ContentType.objects.get_for_model(Article)
    urls = {}
    for label, threads in (("0 comments", 0), ("200 comments", 100)):
        article = Article.objects.create(
            section=section,
            title=f"Merenje: {label}",
            lead="Uvod.",
            body=paragraph * 10,
            hero_image=photo,
            status=Article.Status.PUBLISHED,
            published_at=timezone.now(),
        )
        ArticleAuthor.objects.create(article=article, author=author)
        for n in range(threads):
            top = ArticleComment(
                article=article,
                content_type=content_type,
                object_pk=str(article.pk),
                site_id=1,
                user=users[n % 20] if n % 2 else None,
                user_name=f"Čitalac {n}",
                user_email=f"c{n}@example.org",
                comment="Komentar. " * 20,
                is_public=True,
            )
            top.save()
            reply = ArticleComment(
                article=article,
                content_type=content_type,
                object_pk=str(article.pk),
                site_id=1,
                user_name=f"Odgovor {n}",
                user_email=f"o{n}@example.org",
                comment="Odgovor. " * 15,
                is_public=True,
                parent_id=top.pk,
            )
            reply.save()
            Reaction.objects.create(comment=top, reader_key=f"a:{n}", value=1)
        refresh_comment_count(article.pk)
        urls[label] = article.get_absolute_url()
    return urls


def queries_per_request(url):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(queries)


def load(url, seconds, concurrency):
    latencies, sizes, errors = [], [], []
    deadline = time.monotonic() + seconds

    def client():
        while time.monotonic() < deadline:
            started = time.monotonic()
            try:
                with urllib.request.urlopen(url, timeout=10) as response:
                    body = response.read()
            except OSError as error:
                errors.append(error)
                continue
            latencies.append(time.monotonic() - started)
            sizes.append(len(body))

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    latencies.sort()
    return {
        "requests/s": len(latencies) / elapsed,
        "median ms": statistics.median(latencies) * 1000,
        "p99 ms": latencies[int(len(latencies) * 0.99) - 1] * 1000,
        "KB": sizes[0] / 1024,
        "errors": len(errors),
    }


def wait_for(url, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer at {url}")


def main():
    args = parse_args()
    with tempfile.TemporaryDirectory(prefix="citaonica-bench-") as workdir:
        configure_environment(Path(workdir))
        sys.path.insert(0, str(ROOT))
        print(
            f"Database: {os.environ['DATABASE_URL'].split('?')[0].split(':')[0]}; preparing data…", flush=True
        )
        manage("migrate", "--noinput")
        manage("collectstatic", "--noinput")
        urls = create_articles()
        # The same page for a reader who chose Cyrillic: rendered, then transliterated as it goes out.
        urls["200 comments, Cyrillic"] = "/cir" + urls["200 comments"]
        queries = {label: queries_per_request(url) for label, url in urls.items()}
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi",
                "--workers",
                str(args.workers),
                "--bind",
                f"127.0.0.1:{args.port}",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
        )
        try:
            base = f"http://127.0.0.1:{args.port}"
            for url in urls.values():
                wait_for(base + url)
            results = {label: load(base + url, args.seconds, args.concurrency) for label, url in urls.items()}
        finally:
            server.terminate()
            server.wait(timeout=10)
    setup = f"gunicorn {args.workers} sync workers, {args.concurrency} clients, {args.seconds:.0f} s each"
    print(f"\nArticle page, {setup}\n")
    print("| page | requests/s | median ms | p99 ms | KB | queries | errors |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for label, result in results.items():
        print(
            f"| {label} | {result['requests/s']:.1f} | {result['median ms']:.1f} | {result['p99 ms']:.1f} | "
            f"{result['KB']:.0f} | {queries[label]} | {result['errors']} |"
        )
    ratio = results["200 comments"]["requests/s"] / results["0 comments"]["requests/s"]
    print(f"\nThroughput with 200 comments is {ratio:.2f} of that with none.")
    latin, cyrillic = results["200 comments"], results["200 comments, Cyrillic"]
    extra = cyrillic["median ms"] / latin["median ms"] - 1
    print(f"The Cyrillic page costs {extra:+.0%} in median time against the Latin one (budget: +10%).")


if __name__ == "__main__":
    main()
