"""The comment threads of an article page as HTML, written here rather than by a template per comment.

A busy article carries hundreds of comments. Through a template included once per comment each cost about
1.2 ms (a dozen tags and filters, three ``reverse()`` calls, ``urlize``), most of the page's time; built here
from pieces prepared once per page a comment costs some 20 µs (bench/, docs/benchmarks.md). The template
engine has no cheaper path for a recursive list and Jinja2 would be a second template language for one list.
Everything a reader wrote is escaped here: ``escape`` for text and attributes, Django's ``urlize`` for links.

The markup is small on purpose (the article page with 200 comments stays within 120 KB,
comments/tests/test_page_size.py): a comment is one flat list item styled through the list's class, attribute
values of our own making go unquoted where HTML allows, and no ``</li>`` is written. The list is one form
(``#reakcije``) and each control a button named for what it does and the comment's id ("l51", "d51", "o51",
"p51"), so every control works without JavaScript: views.comment_list_button records the reaction or leads
to the reply form or the report page; comments.js does the same in place.
"""

import re
import zlib
from functools import lru_cache
from html import escape as html_escape
from typing import NamedTuple

from django.urls import reverse
from django.utils.html import escape, urlize
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

from articles.news_times import NewsTimes
from comments.models import max_thread_level
from comments.selectors import ShownComment
from config.delivery.reader_script import current_script, in_reader_script

AVATAR_COLOURS = 8
LINK_LENGTH = 40
# What urlize can turn into a link: a scheme, "www.", an e-mail address or one of the few top-level domains it
# links bare (django.utils.html.Urlizer). Text with none of them is only escaped: urlize costs 0.3 ms a text.
LINK_MARKS = ("http", "www.", "@", ".com", ".edu", ".gov", ".int", ".mil", ".net", ".org")
MAY_LINK = re.compile("|".join(map(re.escape, LINK_MARKS))).search
PK_PLACEHOLDER = 918273645


def initials(name):
    """Up to two initials for the locally drawn avatar ("Jelena Đurić" → "JĐ")."""
    letters = [word[0] for word in str(name).split() if word[:1].isalpha()]
    return "".join(letters[:2]).upper() or "?"


def avatar_colour(name):
    return zlib.crc32(str(name).encode()) % AVATAR_COLOURS


def comment_text_html(text):
    """What ``{{ text|urlizetrunc:40|linebreaksbr }}`` gives, without urlize where no link can be."""
    if MAY_LINK(text.lower()):
        html = urlize(text, trim_url_limit=LINK_LENGTH, nofollow=True, autoescape=True)
    else:
        html = html_escape(text)
    return html.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "<br>")


def _address(name):
    """A comment URL as (before, after) the comment's id, reversed once per page, not once per comment."""
    before, after = reverse(name, args=[PK_PLACEHOLDER]).split(str(PK_PLACEHOLDER))
    return before, after


class Texts(NamedTuple):
    reply: str
    report: str
    featured: str
    withdrawn: str


class Writing(NamedTuple):
    """Everything but the comment a comment's HTML is made of (its time aside)."""

    language: str
    script: str  # the reader's: the avatar's initials are taken from the name in it
    can_reply: bool
    max_level: int
    permalink: tuple  # the address (before, after) the comment's id
    text: Texts


# Each comment's HTML but its time is kept in the process, under the row it was written from and how it was
# written: a section made again after a comment changed (a reaction, a new reply) writes only that one anew.
# The key is all the HTML is made of, so nothing kept goes stale; the time ("pre 5 minuta") is written anew.
# An entry (the row and the HTML, so the text twice) is some 3-4 KB for a usual comment: 5,000 hold the
# busiest articles' threads in about 20 MB a process.
COMMENTS_KEPT = 5_000


@lru_cache(maxsize=COMMENTS_KEPT)
def _kept(writing, comment):
    return _written(writing, comment)


def _written(writing, comment):
    """A comment's HTML before and after its time.

    Flat on purpose: what a comment says and the controls under it are the item's children (the list's CSS
    lays them out); attribute values of our own making are unquoted where HTML allows it.
    """
    pk = comment.pk
    name = comment.user_name
    text = writing.text
    featured = f" <span class=featured>{text.featured}</span>" if comment.is_featured else ""
    reply = ""
    if writing.can_reply and comment.level < writing.max_level:
        reply = f"<button name=o{pk}>{text.reply}</button>"
    # The initials from the name in the reader's script: "Ljiljana" begins with "Љ" in Cyrillic, and initials
    # that read as a Roman numeral ("DI") are not left in Latin by the page's transliteration. The list's CSS
    # draws them before the name from data-i with an empty alternative text, so a screen reader says the name
    # once and never the initials. Unquoted when they are letters and digits only, as HTML allows.
    letters = initials(in_reader_script(name))
    letters = letters if letters.isalnum() else f'"{html_escape(letters)}"'
    head = (
        # The standard library's escape: Django's (the same text) checks every argument for laziness.
        f"<li id=k{pk}><b class=a{avatar_colour(name)} data-i={letters}>{html_escape(name)}</b>{featured}"
        f" <a href={writing.permalink[0]}{pk}{writing.permalink[1]}>"
    )
    # Reactions are the same for every reader: comments.js presses the reader's own (views.my_reactions). A
    # button submits the list's one form (views.comment_list_button) named for its reaction and comment
    # ("l51"); its accessible name ("Sviđa mi se 2") is the words drawn before the count by the page's
    # reaction_words stylesheet, once for every button, and the count.
    tail = (
        f"</a><p>{comment_text_html(comment.comment)}</p>"
        f"<button name=l{pk}>{comment.like_count}</button>"
        f"<button name=d{pk}>{comment.dislike_count}</button>"
        f"{reply}<button name=p{pk}>{text.report}</button>"
    )
    return head, tail


class ThreadWriter:
    def __init__(self, *, can_reply):
        self.writing = Writing(
            language=get_language(),
            script=current_script(),
            can_reply=bool(can_reply),
            max_level=max_thread_level(),
            permalink=_address("comments:permalink"),
            text=Texts(
                reply=escape(gettext("Reply")),
                report=escape(gettext("Report")),
                featured=escape(gettext("Featured")),
                withdrawn=escape(gettext("This comment is no longer available.")),
            ),
        )
        self._when = NewsTimes()  # each comment's time, without Django's formatting for each

    def threads(self, nodes):
        parts = []
        for node in nodes:
            self._node(node, parts)
        return mark_safe("".join(parts))

    def _node(self, node, parts):
        comment = node.comment
        if comment is None:
            parts.append(f"<li id=k{node.comment_id}><p class=withdrawn>{self.writing.text.withdrawn}</p>")
        else:
            parts.append(self._comment(comment))
        if node.children:
            parts.append("<ol>")
            for child in node.children:
                self._node(child, parts)
            parts.append("</ol>")
        # No </li>: HTML closes an item at the next one or at the end of its list.

    def _comment(self, comment):
        # Only a ShownComment is kept: it is equal to another only if all its fields are, a model instance
        # is equal to any other of the same id.
        written = _kept if type(comment) is ShownComment else _written
        head, tail = written(self.writing, comment)
        return f"{head}{self._when(comment.submit_date)}{tail}"
