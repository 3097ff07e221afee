"""The comment form's renderer: each distinct widget and unbound field rendered once per process.

The form under every article is the same but for its signed fields (timestamp, security hash): rendered
through Django's templates it cost a few milliseconds of each page that misses the cache, a template per
input. A widget's template sees only its context, plain values, so its HTML is kept under that context (and
the active language); a context holding anything else (a bound field, an error list) is rendered as usual.
The signed fields change with each second and are rendered afresh then: nothing the form signs is shared
between readers more than the page cache already shares it. A form with what a reader sent (a refused post)
uses Django's own renderer: it is kept nowhere (ArticleCommentForm.__init__).
"""

from collections import OrderedDict
from threading import Lock

from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates
from django.utils.functional import Promise
from django.utils.safestring import SafeString
from django.utils.translation import get_language

MAX_KEPT = 256
PLAIN = {str, SafeString, int, float, bool, type(None)}


class Unkeyable(Exception):
    """A context with something other than plain values in it."""


def _key(value):
    if isinstance(value, Promise):
        return str(value)  # a translation: the language is in the key
    # Exact types only: a subclass (an ErrorList knows its field) may render what its value does not show.
    kind = type(value)
    if kind in PLAIN:
        return (kind, value)  # True, 1 and 1.0 are equal but not rendered alike
    if kind is dict:
        return (dict, tuple(sorted((key, _key(item)) for key, item in value.items())))
    if kind is list or kind is tuple:
        return (kind, tuple(_key(item) for item in value))
    raise Unkeyable


class RenderedOnce(DjangoTemplates):
    def __init__(self):
        super().__init__()
        self.kept = OrderedDict()
        self.lock = Lock()

    def render(self, template_name, context, request=None):
        if request is not None:
            return super().render(template_name, context, request)
        try:
            key = (template_name, get_language(), _key(context))
        except Unkeyable:
            return super().render(template_name, context, request)
        return self.once(key, lambda: super(RenderedOnce, self).render(template_name, context))

    def once(self, key, render):
        """The HTML kept under ``key``, rendered by ``render()`` the first time."""
        with self.lock:
            html = self.kept.get(key)
            if html is not None:
                self.kept.move_to_end(key)
                return html
        html = render()
        with self.lock:
            self.kept[key] = html
            if len(self.kept) > MAX_KEPT:
                self.kept.popitem(last=False)
        return html


class KeptField(BoundField):
    """A field of an unbound form with its label, help text and widget, kept like the widgets.

    The label and help text of the form's fields are set in its ``__init__`` and the widget's HTML carries all
    the rest that differs between readers (initial values, limits), so it is part of the key; a bound form
    (with its errors) is rendered as usual.
    """

    def as_field_group(self):
        renderer = self.form.renderer
        if self.form.is_bound or not isinstance(renderer, RenderedOnce):
            return super().as_field_group()
        key = (
            "field",
            type(self.form),
            self.html_name,
            self.auto_id,
            get_language(),
            str(self.label),
            str(self.help_text),
            str(self),  # the widget
        )
        return renderer.once(key, super().as_field_group)
