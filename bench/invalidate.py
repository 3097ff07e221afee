"""The benchmark's side process: lagging invalidations of one article's pages, through Django, when told.

`python -m bench.invalidate PK` calls ``invalidate(article(PK), may_lag=True)`` (what a reaction or an
approved comment does) for each line it reads, with the environment of the server measured, and prints the
moment of each (seconds since the epoch), one a line; it prints "ready" once Django is set up.
"""

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main():
    parser = argparse.ArgumentParser(prog="python -m bench.invalidate", description=__doc__)
    parser.add_argument("pk", type=int, help="the article whose pages change")
    args = parser.parse_args()

    import django

    django.setup()
    from config.delivery.invalidation import article, invalidate

    print("ready", flush=True)
    for _ in sys.stdin:
        invalidate(article(args.pk), may_lag=True)
        print(f"{time.time():.6f}", flush=True)


if __name__ == "__main__":
    main()
