"""Serbian text for generated articles and comments: a word chain learned from the demo articles.

Each next word is drawn from the words that follow the current one in the demo texts, so sentences read like
the paper's own (real words, real endings, „quotes“ and numbers) without repeating them. Deterministic for a
given random generator.
"""

import html
import re
from collections import defaultdict

from articles.demo_content import ARTICLES
from comments.demo import DISCUSSION

_TAG = re.compile(r"<[^>]+>|\{\{[^}]*\}\}")
_SENTENCE_END = (".", "!", "?")


def _demo_texts():
    for article in ARTICLES:
        yield article["lead"]
        # Block tags end a sentence (a heading, a list item); inline ones are dropped.
        yield _TAG.sub(" ", re.sub(r"</(h2|li|p|blockquote)>", ". ", article["body"]))
    for _, text, replies in DISCUSSION:
        yield text
        yield from (reply for _, reply in replies)


class SerbianText:
    def __init__(self, rng):
        self.rng = rng
        self.follows = defaultdict(list)
        self.starts = []
        for text in _demo_texts():
            words = html.unescape(text).replace("..", ".").split()
            previous = None
            for word in words:
                if previous is None or previous.endswith(_SENTENCE_END):
                    if word[:1].isupper():
                        self.starts.append(word)
                else:
                    self.follows[previous].append(word)
                previous = word

    def sentence(self, max_words=40):
        """One sentence, ending with a full stop, of at most ``max_words`` words."""
        word = self.rng.choice(self.starts)
        words = [word]
        while not word.endswith(_SENTENCE_END) and len(words) < max_words:
            followers = self.follows.get(word)
            if not followers:
                break
            word = self.rng.choice(followers)
            words.append(word)
        return _finish(words)

    def words(self, count):
        """Sentences adding up to exactly ``count`` words (the last one cut short if need be)."""
        sentences, left = [], count
        while left > 0:
            sentence = self.sentence(max_words=left)
            sentences.append(sentence)
            left -= len(sentence.split())
        return sentences

    def title(self):
        words = self.sentence(max_words=self.rng.randint(6, 12)).rstrip(".!?,:;").split()
        return " ".join(words)[:200]

    def paragraphs(self, words, per_paragraph=100):
        """An article body of ``words`` words in paragraphs of about ``per_paragraph``."""
        paragraphs, current, current_words = [], [], 0
        for sentence in self.words(words):
            current.append(sentence)
            current_words += len(sentence.split())
            if current_words >= per_paragraph:
                paragraphs.append(current)
                current, current_words = [], 0
        if current:
            paragraphs.append(current)
        return "\n".join(
            f"<p>{html.escape(' '.join(sentences), quote=False)}</p>" for sentences in paragraphs
        )

    def comment(self, shortest=40, longest=400):
        """A reader's comment of ``shortest`` to ``longest`` characters."""
        length = self.rng.randint(shortest, longest)
        text = ""
        while len(text) < length:
            text = f"{text} {self.sentence()}".strip()
        if len(text) > length:
            text = text[:length].rsplit(" ", 1)[0].rstrip(",;:–-") + "."
        while len(text) < shortest:  # a long first word cut away: pad with a short sentence
            text += " Slažem se."
        return text


def _finish(words):
    text = " ".join(words).rstrip(",;:–-")
    return text if text.endswith(_SENTENCE_END) else text + "."
