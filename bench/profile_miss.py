"""The article page missing the page cache, in-process: its CPU time per request and a profile of it.

Run with `.venv/bin/python bench/profile_miss.py` (DATABASE_URL as for the site; it makes and keeps a database
of its own, the configured name with "_profile" added, so the site's data is never touched).
Options: --requests, --profile (print a CPU-time cProfile's top lines: the page's parts by cumulative time,
all functions by own time), --top, --script (lat or cir), --change: what the miss follows, "none" (every
fragment of the page kept), "comment" (the fragments showing the article's comments made again, the rest
kept: DJANGO_FRAGMENTS_COLD=article) or "site" (every fragment made again: DJANGO_FRAGMENTS_COLD=all).
The page is an article of 600 words with 200 comments (100 threads of two) posted over the last 30 days, a few
of them in the last six hours; the page cache is off and the site's other caches on (a production miss). The
comment section shows all 200 on one page, and the script checks it does. Medians are of CPU time in this
process (the database's own time is not in it), the measure least disturbed by a busy machine; compare runs
on one machine, interleaved, never across machines.
"""

import argparse
import cProfile
import io
import os
import pstats
import random
import re
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SLUG = "profil-promasaja"
COMMENTS = 200
# By cumulative time, the parts of the page below the middleware (which only wraps the view).
PAGE_PARTS = (
    r"(articles|comments)/|django/(shortcuts|forms/renderers|utils/dateformat|db/models/sql/compiler)"
)


# What a miss follows, as the fragments' setting (config/delivery/fragments.py) makes it.
CHANGES = {"none": "", "comment": "article", "site": "all"}


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=60, help="requests measured (default 60)")
    parser.add_argument("--profile", action="store_true", help="print a profile of the requests instead")
    parser.add_argument("--top", type=int, default=25, help="lines of each profile (default 25)")
    parser.add_argument("--script", choices=("lat", "cir"), default="lat", help="the page's script")
    parser.add_argument(
        "--change",
        choices=CHANGES,
        default="site",
        help="what the miss follows: which fragments are made again (default: site, every one)",
    )
    return parser.parse_args()


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only-secret-key-" + "x" * 30)
    os.environ["DJANGO_PAGE_CACHE_SECONDS"] = "0"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    settings.ALLOWED_HOSTS = ["*"]
    # Static files by name: the profile is of the page, not of a manifest that may not be collected here.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    connection.settings_dict["TEST"]["NAME"] = f"{connection.settings_dict['NAME']}_profile"
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=True)


def measured_article():
    """The article with 200 comments, made the first time."""
    from django.utils import timezone

    from articles.models import Article
    from articles.tests.factories import ArticleFactory
    from comments import moderation
    from comments.models import CommentSettings
    from comments.tests.factories import ArticleCommentFactory

    settings = CommentSettings.get_solo()
    settings.threads_per_page = COMMENTS // 2
    settings.save()
    article = Article.objects.filter(slug=SLUG).first()
    if article is None:
        rng = random.Random(1)
        now = timezone.now()
        article = ArticleFactory(
            slug=SLUG, body="".join(f"<p>{' '.join(['reč'] * 60)}</p>" for _ in range(10))
        )
        for _ in range(COMMENTS // 2):
            top = ArticleCommentFactory(
                article=article, submit_date=now - timedelta(minutes=rng.randint(1, 43_200))
            )
            ArticleCommentFactory(
                article=article, parent=top, submit_date=now - timedelta(minutes=rng.randint(1, 7_200))
            )
        moderation.refresh_comment_count(article.pk)
    return article


def main():
    args = parse_args()
    setup_django()
    from django.conf import settings
    from django.test import Client

    settings.FRAGMENTS_COLD = CHANGES[args.change]
    url = measured_article().get_absolute_url()
    if args.script == "cir":
        url = "/cir" + url
    client = Client()
    page = client.get(url)
    assert page.status_code == 200 and page.content.decode().count('<li id="k') == COMMENTS, (
        "not all comments"
    )
    if args.profile:
        profile = cProfile.Profile(time.process_time)
        profile.runcall(lambda: [client.get(url) for _ in range(args.requests)])
        for order, restriction in (("cumulative", PAGE_PARTS), ("tottime", "")):
            out = io.StringIO()
            pstats.Stats(profile, stream=out).sort_stats(order).print_stats(restriction, args.top)
            print(
                re.sub(
                    r"/\S*/(site-packages|lib/python3\.\d+|" + re.escape(ROOT.name) + ")/", "", out.getvalue()
                )
            )
        return
    cpu = []
    for _ in range(args.requests):
        start = time.process_time()
        client.get(url)
        cpu.append((time.process_time() - start) * 1000)
    print(
        f"article page ({args.script}), {COMMENTS} comments, page cache off, after a {args.change} change: "
        f"CPU median {statistics.median(cpu):.1f} ms"
    )


if __name__ == "__main__":
    main()
