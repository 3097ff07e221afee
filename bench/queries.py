"""Database queries per request, counted with Django's test client and CaptureQueriesContext.

bench/run.py runs this in a process of its own with the environment of the server being measured, so a
cached page is counted as that server answers it (from the same Redis). Reads the requests as JSON on
standard input and writes the counts as JSON on standard output.
"""

import json
import sys


def count(request):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = request()
        body = b"".join(response.streaming_content) if response.streaming else response.content
    return {"queries": len(queries), "status": response.status_code, "bytes": len(body)}


def main():
    import django

    django.setup()
    from django.test import Client

    from bench.load import USER_AGENT, comment_form

    def client(signed_in=False):
        made = Client(headers={"User-Agent": USER_AGENT})  # a new reader each time: no cookies
        if signed_in:
            from bench.reader_session import bench_reader

            made.force_login(bench_reader())
        return made

    counts = {}
    for number, item in enumerate(json.load(sys.stdin)):
        if item.get("post_from"):
            action, hidden = comment_form(client().get(item["post_from"]).content)
            data = {
                **hidden,
                "name": "Čitalac Merenje",
                "email": f"upiti-{number}@example.org",
                "comment": f"Komentar za brojanje upita, broj {number}: slažem se sa autorom.",
                "honeypot": "",
            }
            counts[item["label"]] = count(
                lambda a=action, d=data: client().post(a, d, HTTP_ACCEPT="application/json")
            )
        else:
            if item.get("signed_in"):
                # One reader, signed in before counting: signing in is not the page's work.
                reader = client(signed_in=True)
                reader.get(item["path"])
                counts[item["label"]] = count(lambda p=item["path"], r=reader: r.get(p))
                continue
            client().get(item["path"])  # the first request fills what later ones find made
            counts[item["label"]] = count(lambda p=item["path"]: client().get(p))
    json.dump(counts, sys.stdout)


if __name__ == "__main__":
    main()
