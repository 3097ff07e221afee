"""The reaction buttons' words, once in a small stylesheet instead of in each of the page's buttons.

A reaction button shows an icon and a count; its accessible name ("Sviđa mi se 2") is the words drawn by this
stylesheet's ``::before`` (clipped to the icon, so they are not seen) and the count. Generated content is part
of the accessible name in every browser we support. Both scripts are in it: the page's ``lang`` picks the
Cyrillic words on ``/cir/`` pages, so one address serves both and the page cache needs nothing new.
"""

from django.http import HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from articles.transliteration import to_cyrillic

REACTIONS = {"l": "I like it", "d": "I don't like it"}  # by the first letter of the button's name ("l51")
MAX_AGE = 24 * 60 * 60


def css_string(text):
    """``text`` as a CSS string: quotes, backslashes and line breaks escaped (a translation may hold them)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\a ").replace("<", "\\3c ")
    return f'"{escaped}"'


def stylesheet():
    rules = []
    for lang, script in (("", str), (":lang(sr-Cyrl)", to_cyrillic)):
        for letter, msgid in REACTIONS.items():
            words = css_string(script(gettext(msgid)) + " ")
            # :root wins over site.css's empty content for the icon, whichever stylesheet comes first.
            rules.append(f':root{lang} .comment-list li>button[name^="{letter}"]::before{{content:{words}}}')
    return "\n".join(rules) + "\n"


@require_GET
def reaction_words(request):
    response = HttpResponse(stylesheet(), content_type="text/css; charset=utf-8")
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response
