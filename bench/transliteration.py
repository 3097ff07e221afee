"""Transliteration speed: whole pages through html_to_cyrillic / html_to_latin, and many short comments.

Run with `.venv/bin/python bench/transliteration.py` (no database: the exceptions list is the seeded one).
Options: --repeat, --comments, --seed.
The pages are generated like the article page: the demo article's body and six related cards, then no
comments (about 14 KB) or 200 comments of about 60 words in the markup of templates/comments/comment.html,
without the reaction buttons (about 200 KB) and with them (about 360 KB). The issue's budget: a Cyrillic
page may cost at most 10% more to render than the Latin one, about 8 ms for a 165 KB page, so the
transliteration of a page may take 8 ms per 165 KB. Every page is checked to survive the round trip.
Timings are for comparing runs on one machine, never absolute promises."""

import argparse
import html
import importlib
import os
import random
import re
import sys
import timeit
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUDGET_MS = 8.0
BUDGET_KB = 165

HEAD = """<!doctype html>
<html lang="sr-Latn">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{title} | Čitaonica</title>
  <meta name="description" content="{lead}">
  <link rel="canonical" href="https://citaonica.example/politika/2026/11/27/{slug}/">
  <meta property="og:site_name" content="Čitaonica">
  <meta property="og:locale" content="sr_RS">
  <meta property="og:type" content="article">
  <meta property="og:title" content="{title}">
  <meta property="og:description" content="{lead}">
  <meta property="og:url" content="https://citaonica.example/politika/2026/11/27/{slug}/">
  <meta property="og:image" content="https://citaonica.example/media/renditions/most-1200.jpg">
  <meta property="og:image:alt" content="Most sa kamenim lukovima preko Dunava u sumrak.">
  <meta property="article:section" content="Politika">
  <meta property="article:tag" content="Novi Sad">
  <meta property="article:tag" content="Saobraćaj">
  <meta name="twitter:card" content="summary_large_image">
  <meta name="twitter:title" content="{title}">
  <meta name="twitter:description" content="{lead}">
  <link rel="alternate" type="application/rss+xml" title="Čitaonica: najnovije vesti (RSS)" href="/rss/">
  <link rel="stylesheet" href="/static/css/site.css">
  <script src="/static/js/site.js" defer></script>
  <script type="application/ld+json">{{"@context": "https://schema.org", "@type": "NewsArticle",
  "headline": "{title}", "author": [{{"@type": "Person", "name": "Milica Đurić"}}]}}</script>
</head>
<body>
  <a class="skip-link" href="#sadrzaj">Preskoči na sadržaj</a>
  <header class="masthead">
    <div class="masthead__inner">
      <a class="masthead__name" href="/">Čitaonica</a>
      <p class="masthead__tagline">Vesti iz Srbije i sveta, bez žurbe</p>
      <form class="site-search" role="search" action="/pretraga/" method="get">
        <label class="visually-hidden" for="site-search-q">Pretraga sajta</label>
        <input class="site-search__input" type="search" id="site-search-q" name="q"
          placeholder="Pretraga vesti">
        <button class="site-search__button" type="submit">Traži</button>
      </form>
    </div>
    <nav class="section-nav" aria-label="Rubrike">
      <ul class="section-nav__list">{nav}</ul>
    </nav>
  </header>
  <main id="sadrzaj" class="page" tabindex="-1">
<article class="article">
  <header class="article__header">
    <p class="article__meta"><a class="article__section" href="/politika/">Politika</a>
      <span class="article__kicker">{kicker}</span></p>
    <h1 class="article__title">{title}</h1>
    <p class="article__lead">{lead}</p>
    <div class="article__byline">
      <p class="article__authors">Autori: <a href="/autor/milica-djuric/" rel="author">Milica Đurić</a>
        i <a href="/autor/stefan-kovacevic/" rel="author">Stefan Kovačević</a></p>
      <p class="article__dates"><time class="article__published"
        datetime="2026-11-27T09:30:00+01:00">27.11.2026. 09:30</time></p>
    </div>
  </header>
  <figure class="figure figure--hero"><picture>
    <source type="image/webp" srcset="/media/most-480.webp 480w, /media/most-960.webp 960w">
    <img src="/media/most-960.jpg" width="960" height="540"
      alt="Most sa kamenim lukovima preko Dunava u sumrak, sa mirnom vodom u prvom planu."></picture>
    <figcaption class="figure__caption">Most preko Dunava u Novom Sadu
      <span class="figure__credit">Foto: Marko Ilić</span></figcaption></figure>
  <div class="article__body">
{body}
  </div>
  <ul class="article__tags" aria-label="Oznake">
    <li><a class="tag" href="/tema/novi-sad/" rel="tag">Novi Sad</a></li>
    <li><a class="tag" href="/tema/saobracaj/" rel="tag">Saobraćaj</a></li>
  </ul>
  <aside class="share" aria-labelledby="podeli-naslov">
    <h2 class="share__title" id="podeli-naslov">Podelite</h2>
    <ul class="share__list">
      <li><a class="share__link share__link--facebook" href="https://www.facebook.com/sharer/sharer.php?u=x"
        rel="noopener" target="_blank">Facebook</a></li>
      <li><a class="share__link share__link--x" href="https://x.com/intent/post?url=x" rel="noopener"
        target="_blank">X</a></li>
      <li><a class="share__link share__link--copy" href="/politika/x/" data-copy-link>Kopiraj link</a></li>
    </ul>
  </aside>
</article>
<section class="related" aria-labelledby="povezano-naslov">
  <h2 class="related__title" id="povezano-naslov">Povezano</h2>
  <div class="card-grid">
{related}
  </div>
</section>
<section class="comments" id="komentari" aria-labelledby="komentari-naslov">
  <h2 id="komentari-naslov">Komentari ({count})</h2>
  <ol class="comment-list">
{comments}
  </ol>
  <form class="comment-form" id="komentar-forma" method="post" action="/komentari/posalji/">
    <input type="hidden" name="csrfmiddlewaretoken" value="abc123">
    <label for="id_name">Ime</label>
    <input type="text" name="name" id="id_name" maxlength="50" placeholder="Vaše ime">
    <label for="id_comment">Komentar</label>
    <textarea name="comment" id="id_comment" rows="6" placeholder="Vaš komentar"></textarea>
    <input type="submit" name="post" value="Pošalji komentar">
  </form>
</section>
  </main>
  <footer class="site-footer">
    <p class="site-footer__name">Čitaonica · Vesti iz Srbije i sveta, bez žurbe</p>
    <ul class="site-footer__links">
      <li><a href="https://www.facebook.com/citaonica" rel="noopener">Facebook</a></li>
      <li><a href="https://www.instagram.com/citaonica" rel="noopener">Instagram</a></li>
    </ul>
    <p class="site-footer__copy">© 2026 Čitaonica. Sva prava zadržana.</p>
  </footer>
</body>
</html>
"""

CARD = """    <article class="article-card">
      <a class="article-card__link" href="/{section}/2026/11/2{n}/{slug}/">
        <img class="article-card__image" src="/media/{slug}-480.jpg" alt="{alt}" width="480" height="270">
        <p class="article-card__kicker">{kicker}</p>
        <h3 class="article-card__title">{title}</h3>
      </a>
      <p class="article-card__lead">{lead}</p>
    </article>"""

# The comment as templates/comments/comment.html renders it, with the reaction buttons ("full"), and
# without them and the avatar ("compact", which makes the 200-comment page the 165 KB).
COMMENT_START = """    <li class="comment" id="k{pk}">
  <article class="comment__body" aria-labelledby="k{pk}-autor">
    <header class="comment__header">
"""
AVATAR = """      <span class="avatar avatar--{colour}" aria-hidden="true">{initials}</span>
"""
COMMENT_HEADER = """      <span class="comment__author" id="k{pk}-autor">{name}</span>
      <a class="comment__time" href="/komentari/{pk}/" title="Veza do ovog komentara"><time
        datetime="2026-11-27T10:{minute:02d}:00+01:00">27.11.2026. 10:{minute:02d}</time></a>
    </header>
    <div class="comment__text">{text}</div>
    <footer class="comment__actions">
"""
REACTIONS = """      <form class="reactions" method="post" action="/komentari/{pk}/reakcija/"
        data-reaction-form>
        <button class="reactions__button reactions__button--like" type="submit" name="value" value="1"
          aria-pressed="false"><span class="visually-hidden">Sviđa mi se</span>
          <span data-count="likes">{likes}</span></button>
        <button class="reactions__button reactions__button--dislike" type="submit" name="value" value="-1"
          aria-pressed="false"><span class="visually-hidden">Ne sviđa mi se</span>
          <span data-count="dislikes">0</span></button>
      </form>
      <a class="comment__reply" href="?odgovor={pk}#komentar-forma" data-reply-to="{pk}"
        data-reply-name="{name}">Odgovori</a>
"""
COMMENT_END = """      <a class="comment__report" href="/komentari/{pk}/prijava/" data-report-link>Prijavi</a>
    </footer>
  </article>
</li>"""
COMMENT = {
    "compact": COMMENT_START + COMMENT_HEADER + COMMENT_END,
    "full": COMMENT_START + AVATAR + COMMENT_HEADER + REACTIONS + COMMENT_END,
}

NAMES = ["Jelena Marković", "Nikola", "Dragan Ilić", "Milica", "Sanja", "Petar Đukić", "Ljiljana", "Džemal"]
# Now and then what readers put in comments besides words: links, addresses, handles, numbers, emoji.
EXTRAS = [
    "https://citaonica.example/drustvo/staze/",
    "pišite na urednistvo@citaonica.example",
    "@citaonica",
    "1.500 dinara",
    "u 23:03",
    "II faza",
    "Wi-Fi",
    "😀",
    "Reuters",
    "injekcija",
]


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=20, help="calls per measurement (default 20)")
    parser.add_argument("--comments", type=int, default=10_000, help="short comments (default 10,000)")
    parser.add_argument("--seed", type=int, default=7)
    return parser.parse_args()


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only-secret-key-" + "x" * 30)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def demo_words():
    """The words of the demo articles, with their commas and full stops."""
    from articles.demo_content import ARTICLES

    return re.findall(r"\w+[,.]?", " ".join(re.sub("<[^>]+>", " ", a["body"]) for a in ARTICLES))


def make_page(comments, rng, markup="compact"):
    from articles.demo_content import ARTICLES

    article = ARTICLES[0]
    words = demo_words()
    body = re.sub(r"\{\{image:[^}]*\}\}", "", article["body"])
    items = []
    for pk in range(1, comments + 1):
        text = " ".join(rng.choice(words) for _ in range(60))
        if pk % 4 == 0:
            text += " " + rng.choice(EXTRAS)
        name = rng.choice(NAMES)
        fields = {"pk": pk, "name": name, "initials": name[0], "colour": pk % 6, "minute": pk % 60}
        fields.update(likes=pk % 9, text=html.escape(text[0].upper() + text[1:]))
        items.append(COMMENT[markup].format(**fields))
    related = [
        CARD.format(
            n=n,
            section=other["section"],
            slug=other["slug"],
            kicker=html.escape(other["kicker"]),
            title=html.escape(other["title"]),
            lead=html.escape(other["lead"]),
            alt=html.escape(other["title"]),
        )
        for n, other in enumerate(ARTICLES[1:7])
    ]
    nav = "".join(
        f'<li><a class="section-nav__link" href="/{slug}/">{name}</a></li>'
        for name, slug in [("Politika", "politika"), ("Ekonomija", "ekonomija"), ("Društvo", "drustvo")]
    )
    return HEAD.format(
        title=html.escape(article["title"]),
        lead=html.escape(article["lead"]),
        slug=article["slug"],
        kicker=article["kicker"],
        nav=nav,
        body=body,
        related="\n".join(related),
        count=comments,
        comments="\n".join(items),
    )


def milliseconds(function, repeat):
    """The best of five runs of ``repeat`` calls, per call: the least disturbed by other work."""
    return min(timeit.repeat(function, number=repeat, repeat=5)) / repeat * 1000


def main():
    args = parse_args()
    setup_django()
    from articles import transliteration

    keep = tuple(importlib.import_module("articles.migrations.0009_transliteration_exceptions").ENTRIES)
    rng = random.Random(args.seed)
    print(f"{'page':<34} {'size':>7} {'html_to_cyrillic':>17} {'html_to_latin':>14}")
    for label, comments, markup in (
        ("article, no comments", 0, "compact"),
        ("200 comments of ~60 words", 200, "compact"),
        ("the same, full comment markup", 200, "full"),
    ):
        page = make_page(comments, rng, markup)
        cyrillic = transliteration.html_to_cyrillic(page, keep=keep)
        assert transliteration.html_to_latin(cyrillic, keep=keep) == page, "the round trip changed the page"
        to_cyrillic = milliseconds(lambda p=page: transliteration.html_to_cyrillic(p, keep=keep), args.repeat)
        to_latin = milliseconds(lambda c=cyrillic: transliteration.html_to_latin(c, keep=keep), args.repeat)
        size = f"{len(page.encode()) / 1024:.0f} KB"
        print(f"{label:<34} {size:>7} {to_cyrillic:>14.2f} ms {to_latin:>11.2f} ms")
        if comments:
            budget = BUDGET_MS * len(page.encode()) / 1024 / BUDGET_KB
            verdict = "within" if to_cyrillic <= budget else "OVER"
            note = f"{verdict} its budget, {budget:.1f} ms ({BUDGET_MS:.0f} ms per {BUDGET_KB} KB)"
            print(f"{'':<34} {'':>7} {note}")
    words = demo_words()
    short = [" ".join(rng.choice(words) for _ in range(12)) for _ in range(args.comments)]
    total = milliseconds(lambda: [transliteration.to_cyrillic(text, keep=keep) for text in short], 1)
    each = total * 1000 / args.comments
    print(f"to_cyrillic of {args.comments:,} comments of 12 words: {total:.0f} ms, {each:.1f} µs each")


if __name__ == "__main__":
    main()
