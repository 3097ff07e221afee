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

import zlib
from html import escape as html_escape

from django.urls import reverse
from django.utils.html import escape, urlize
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from articles.news_times import NewsTimes
from comments.models import max_thread_level
from config.delivery.reader_script import in_reader_script

AVATAR_COLOURS = 8
LINK_LENGTH = 40
# What urlize can turn into a link: a scheme, "www.", an e-mail address or one of the few top-level domains it
# links bare (django.utils.html.Urlizer). Text with none of them is only escaped: urlize costs 0.3 ms a text.
LINK_MARKS = ("http", "www.", "@", ".com", ".edu", ".gov", ".int", ".mil", ".net", ".org")
PK_PLACEHOLDER = 918273645


def initials(name):
    """Up to two initials for the locally drawn avatar ("Jelena Đurić" → "JĐ")."""
    letters = [word[0] for word in str(name).split() if word[:1].isalpha()]
    return "".join(letters[:2]).upper() or "?"


def avatar_colour(name):
    return zlib.crc32(str(name).encode()) % AVATAR_COLOURS


def comment_text_html(text):
    """What ``{{ text|urlizetrunc:40|linebreaksbr }}`` gives, without urlize where no link can be."""
    lowered = text.lower()
    if any(mark in lowered for mark in LINK_MARKS):
        html = urlize(text, trim_url_limit=LINK_LENGTH, nofollow=True, autoescape=True)
    else:
        html = html_escape(text)
    return html.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "<br>")


def _address(name):
    """A comment URL as (before, after) the comment's id, reversed once per page, not once per comment."""
    before, after = reverse(name, args=[PK_PLACEHOLDER]).split(str(PK_PLACEHOLDER))
    return lambda pk: f"{before}{pk}{after}"


class ThreadWriter:
    def __init__(self, *, can_reply):
        self.can_reply = can_reply
        self.permalink = _address("comments:permalink")
        self.max_level = max_thread_level()
        self._when = NewsTimes()  # each comment's time, without Django's formatting for each
        self._initials = {}
        self.text = {
            "like": escape(gettext("I like it")),
            "dislike": escape(gettext("I don't like it")),
            "reply": escape(gettext("Reply")),
            "report": escape(gettext("Report")),
            "featured": escape(gettext("Featured")),
            "withdrawn": escape(gettext("This comment is no longer available.")),
        }

    def threads(self, nodes):
        parts = []
        for node in nodes:
            self._node(node, parts)
        return mark_safe("".join(parts))

    def _node(self, node, parts):
        comment = node.comment
        if comment is None:
            parts.append(f'<li id=k{node.comment_id}><p class=withdrawn>{self.text["withdrawn"]}</p>')
        else:
            parts.append(self._comment(comment))
        if node.children:
            parts.append("<ol>")
            for child in node.children:
                self._node(child, parts)
            parts.append("</ol>")
        # No </li>: HTML closes an item at the next one or at the end of its list.

    def _comment(self, comment):
        # Flat on purpose: what a comment says and the controls under it are the item's children (the list's
        # CSS lays them out); attribute values of our own making are unquoted where HTML allows it.
        pk = comment.pk
        author = comment.user_name
        name = escape(author)
        moment = comment.submit_date
        featured = f' <span class=featured>{self.text["featured"]}</span>' if comment.is_featured else ""
        reply = ""
        if self.can_reply and comment.level < self.max_level:
            reply = f"<button name=o{pk}>{self.text['reply']}</button>"
        return (
            f"<li id=k{pk}><i class=a{avatar_colour(author)} inert>{self._avatar_letters(author)}</i>"
            f"<b>{name}</b>{featured} <a href={self.permalink(pk)}>{self._when(moment)}</a>"
            f"<p>{comment_text_html(comment.comment)}</p>"
            f"{self._reaction(pk, 'l', 'like', comment.like_count)}"
            f"{self._reaction(pk, 'd', 'dislike', comment.dislike_count)}"
            f"{reply}<button name=p{pk}>{self.text['report']}</button>"
        )

    def _avatar_letters(self, author):
        # From the name in the reader's script: "Ljiljana" begins with "Љ" in Cyrillic, and initials that
        # read as a Roman numeral ("DI") are not left in Latin by the page's transliteration.
        letters = self._initials.get(author)
        if letters is None:
            letters = self._initials[author] = escape(initials(in_reader_script(author)))
        return letters

    def _reaction(self, pk, name, kind, count):
        # The same for every reader: comments.js presses the reader's own (views.my_reactions). A button
        # submits the list's one form (views.comment_list_button) named for its reaction and comment ("l51");
        # its accessible name ("Sviđa mi se 2") is its text, the words hidden by the list's CSS.
        return f"<button name={name}{pk}><i>{self.text[kind]} </i>{count}</button>"
