"""Search over many articles: the work of one results page (count, page of 20, snippets), timed per query.

Run with `.ci/with-database .venv/bin/python bench/search.py` (PostgreSQL when available, like the tests).
Options: --articles (default 100,000), --repeat, --batch-size, --seed.
The articles are generated: Serbian-looking text whose words follow a Zipf-like frequency curve, so a
query's words range from very common to rare, as in a real archive; the table printed shows how many
articles each query matches. Timings are for comparing runs on one machine, never absolute promises.
"""

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUDGET_MS = 50

FUNCTION_WORDS = [
    "i", "u", "je", "da", "se", "na", "za", "od", "sa", "su", "koji", "koja", "što", "ne", "kao", "po", "iz",
    "o", "a", "će", "bi", "to", "ali", "ili", "te", "kod", "već", "još", "samo", "prema", "posle", "tokom",
    "više", "biti", "bilo", "njihov", "ovaj", "ta",
]  # fmt: skip

# Lemmas as their inflected forms, so stemming has something to do; names carry č, ć, š, ž, đ and dž.
CONTENT_LEMMAS = [
    forms.split()
    for forms in """
    grad grada gradu gradom gradovi gradova
    vlada vlade vladi vladu vladom
    izbori izbora izborima
    novi nova novog novoj novim nove
    gradski gradska gradskog gradskoj gradske
    Beograd Beograda Beogradu Beogradom
    škola škole školi školu školom školama
    cena cene ceni cenu cenama
    odluka odluke odluci odluku odlukom
    građanin građana građani građanima
    saobraćaj saobraćaja saobraćaju
    usvojiti usvojio usvojila usvojili usvojen
    budžet budžeta budžetu budžetom
    policija policije policiji policiju
    ministar ministra ministru ministrom ministri
    bolnica bolnice bolnici bolnicu
    utakmica utakmice utakmici utakmicu
    Niš Niša Nišu Nišom
    struja struje struji struju
    sud suda sudu sudom
    most mosta mostu mostom mostovi
    zdravlje zdravlja zdravlju
    festival festivala festivalu festivalom
    pobeda pobede pobedi pobedu
    student studenta studenti studenata studentima
    reka reke reci reku rekom
    opština opštine opštini opštinu
    Kragujevac Kragujevca Kragujevcu
    protest protesta protestu protestom
    pozorište pozorišta pozorištu
    Čačak Čačka Čačku
    tramvaj tramvaja tramvaju tramvajem
    Đoković Đokovića Đokoviću Đokovićem
    Saša Saše Saši Sašom
    šuma šume šumi šumu
    čitalac čitaoca čitaoci čitalaca
    Šabac Šapca Šapcu
    žetva žetve žetvi žetvu
    Džon Džona Džonu Džonom
    pismo pisma pismu pismom pismima
    Žarko Žarka Žarku
    Ćirić Ćirića Ćiriću
    ćuprija ćuprije ćupriji
    Đurđević Đurđevića Đurđeviću
    """.strip().splitlines()
]

SYLLABLES = [
    "ba", "be", "bi", "bo", "bu", "da", "de", "do", "du", "ga", "go", "gu", "ka", "ke", "ki", "ko", "ku",
    "la", "le", "li", "lo", "lu", "ma", "me", "mi", "mo", "mu", "na", "ne", "ni", "no", "nu", "pa", "pe",
    "pi", "po", "ra", "re", "ri", "ro", "ru", "sa", "se", "si", "so", "ta", "te", "ti", "to", "tu", "va",
    "ve", "vi", "vo", "za", "zo", "ča", "če", "či", "ša", "še", "ši", "ža", "že", "ći", "ća", "đa", "đe",
    "nja", "nje", "lju", "dža", "dže",
]  # fmt: skip
ENDINGS = ["", "a", "e", "u", "om"]

# From very common to rare, with names and words that only match through stemming or without diacritics.
QUERIES = [
    "grad",
    "vlada izbori",
    "Beograd",
    "škola",
    "cene struje",
    "saobraćaj u Beogradu",
    "policija",
    "bolnica",
    "Niš",
    '"gradski budžet"',
    "most",
    "studenti protest",
    "pozorište",
    "cacak",
    "djokovic",
    "sasa",
    "sabac",
    "dzon",
    "pismo",
    "zarko ciric",
]


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=100_000, help="articles to generate (default 100000)")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per query (default 5)")
    parser.add_argument(
        "--batch-size", type=int, default=2000, help="articles per insert batch (default 2000)"
    )
    parser.add_argument("--seed", type=int, default=2026)
    return parser.parse_args()


def configure_environment(workdir):
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_SECRET_KEY="benchmark-only-secret-key-" + "x" * 30,
        DJANGO_DEBUG="0",
        DJANGO_LOG_LEVEL="WARNING",
    )
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")


class TextGenerator:
    """Words drawn from a Zipf-like curve: function words, then real lemmas spread over the ranks, then a
    long tail of made-up ones; a lemma shows up in one of its inflected forms."""

    def __init__(self, rng, tail_lemmas=6000):
        self.rng = rng
        tail = set()
        while len(tail) < tail_lemmas:
            tail.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
        tail = sorted(tail)
        rng.shuffle(tail)
        lemmas = [[tail_word + ending for ending in ENDINGS[: rng.randint(2, 5)]] for tail_word in tail]
        # Real lemmas take every 60th rank from 40 on: the first are in a third of the articles, the last
        # in about one in a hundred.
        for position, forms in enumerate(CONTENT_LEMMAS):
            lemmas.insert(40 + position * 60 - len(FUNCTION_WORDS), forms)
        self.lemmas = [[word] for word in FUNCTION_WORDS] + lemmas
        weights = [1 / (rank + 2.7) for rank in range(len(self.lemmas))]
        total = 0.0
        self.cumulative = []
        for weight in weights:
            total += weight
            self.cumulative.append(total)
        self.content_start = len(FUNCTION_WORDS)

    def words(self, count, content_only=False):
        picked = self.rng.choices(
            self.lemmas, cum_weights=self.cumulative, k=count * 2 if content_only else count
        )
        if content_only:
            picked = [forms for forms in picked if len(forms) > 1 or forms[0] not in FUNCTION_WORDS][:count]
        return [self.rng.choice(forms) for forms in picked]

    def sentence(self, count, content_only=False):
        text = " ".join(self.words(count, content_only))
        return text[:1].upper() + text[1:]

    def body(self):
        paragraphs = []
        for words in split_evenly(self.rng.randint(120, 200), self.rng.randint(2, 4)):
            sentences, left = [], words
            while left > 0:
                length = min(left, self.rng.randint(6, 16))
                sentences.append(self.sentence(length) + ".")
                left -= length
            paragraphs.append("<p>" + " ".join(sentences) + "</p>")
        return "".join(paragraphs)


def split_evenly(total, parts):
    return [total // parts + (1 if index < total % parts else 0) for index in range(parts)]


def create_articles(count, batch_size, rng):
    from django.utils import timezone

    from articles.models import Article, Section
    from articles.search import index_articles
    from articles.text import serbian_slugify

    names = ["Politika", "Društvo", "Beograd", "Ekonomija", "Svet", "Sport", "Kultura", "Srbija"]
    sections = Section.objects.bulk_create(
        Section(name=name, slug=serbian_slugify(name), position=position)
        for position, name in enumerate(names)
    )
    generator = TextGenerator(rng)
    now = timezone.now()
    started = time.monotonic()
    made = 0
    while made < count:
        batch = []
        for _ in range(min(batch_size, count - made)):
            title = generator.sentence(rng.randint(5, 10), content_only=True)
            published = rng.random() < 0.97
            batch.append(
                Article(
                    section=rng.choice(sections),
                    title=title,
                    slug=serbian_slugify(title, max_length=120) or "clanak",
                    lead=generator.sentence(rng.randint(18, 30)) + ".",
                    body=generator.body(),
                    status=Article.Status.PUBLISHED if published else Article.Status.DRAFT,
                    published_at=now - timedelta(minutes=rng.randint(1, 3 * 365 * 24 * 60)),
                )
            )
        Article.objects.bulk_create(batch)
        index_articles(batch, batch_size=batch_size)
        made += len(batch)
        elapsed = time.monotonic() - started
        print(f"  {made:>7} articles written and indexed, {elapsed:5.0f} s", flush=True)
    return sections


def analyze():
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A fresh bulk load: vacuum merges the GIN index's pending list and sets the visibility map;
            # autovacuum would do both on a live database.
            cursor.execute("VACUUM ANALYZE articles_article")
            cursor.execute("VACUUM ANALYZE articles_searchentry")
        else:
            cursor.execute("ANALYZE")


def time_queries(queries, repeat):
    from articles.search import search_articles, search_page

    results = {}
    for label, query, filters in queries:
        search_page(query, 1, **filters)  # warm-up
        samples = []
        for _ in range(repeat):
            started = time.perf_counter()
            search_page(query, 1, **filters)
            samples.append((time.perf_counter() - started) * 1000)
        # The page counts only up to SearchPaginator.max_counted; the table shows the real number.
        results[label] = {"matches": search_articles(query, **filters).count(), "samples": samples}
    return results


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main():
    args = parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="citaonica-bench-") as workdir:
        configure_environment(Path(workdir))
        sys.path.insert(0, str(ROOT))
        database = os.environ["DATABASE_URL"].split(":")[0]
        print(f"Database: {database}; migrating…", flush=True)
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput"],
            cwd=ROOT,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        import django

        django.setup()
        from django.db import connection

        print(f"Generating {args.articles} articles (bodies of 120–200 words)…", flush=True)
        started = time.monotonic()
        sections = create_articles(args.articles, args.batch_size, rng)
        analyze()
        print(f"Data ready in {time.monotonic() - started:.0f} s.\n", flush=True)

        from articles.models import Article

        newest = Article.objects.published().latest("published_at").published_at.date()
        queries = [(query, query, {}) for query in QUERIES]
        queries += [
            ("grad (rubrika Beograd)", "grad", {"section": sections[2]}),
            ("most (poslednjih 30 dana)", "most", {"date_from": newest - timedelta(days=30)}),
        ]
        results = time_queries(queries, args.repeat)
        vendor = connection.vendor
        if vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SHOW shared_buffers")
                vendor += f" (shared_buffers {cursor.fetchone()[0]})"

        from articles.search import SearchPaginator

        max_counted = SearchPaginator.max_counted

    samples = [sample for result in results.values() for sample in result["samples"]]
    median, p95 = statistics.median(samples), percentile(samples, 0.95)
    print(
        f"Search results page work (count up to {max_counted} + page of 20 + snippets), "
        f"{args.articles} articles, {vendor}"
    )
    print(f"{args.repeat} timed runs per query after one warm-up run\n")
    print("| query | matches | median ms | max ms |")
    print("|---|---:|---:|---:|")
    for label, result in results.items():
        print(
            f"| {label} | {result['matches']} | {statistics.median(result['samples']):.1f} | "
            f"{max(result['samples']):.1f} |"
        )
    verdict = "under" if median < BUDGET_MS else "NOT under"
    print(f"\nAll queries: median {median:.1f} ms, p95 {p95:.1f} ms: the median is {verdict} {BUDGET_MS} ms.")


if __name__ == "__main__":
    main()
