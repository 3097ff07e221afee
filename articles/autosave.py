"""What an editor has typed into the article form and not saved yet: kept every few seconds, offered back.

An autosave is one row per editor and article (or per editor and never-saved new article, named by the
``new_article_key`` the add form carries). It is never the article: keeping one writes no ``Article``, no
revision, and tells no cached page (``config.delivery.invalidation`` is not called from here).
"""

import uuid
from datetime import timedelta
from functools import wraps

from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AutocompleteMixin
from django.db import transaction
from django.db.models import Q
from django.forms import ModelChoiceField, MultiWidget
from django.http import Http404, HttpResponseNotAllowed, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from .models import Article, ArticleAutosave

KEEP_DAYS = 30
# Well under DATA_UPLOAD_MAX_MEMORY_SIZE (the whole article form): a 50,000-word body is under 1 MB of HTML.
MAX_BYTES = 1024 * 1024
MAX_VALUES = 100  # values of one field (the tags); the form sends no more

TOO_BIG = "Nije sačuvano: tekst je prevelik za automatsko čuvanje. Sačuvajte članak."
NOTHING_TO_KEEP = "Nije sačuvano: zahtev ne sadrži polja članka."
BAD_VALUE = "Nije sačuvano: polje „{}“ sadrži nedozvoljen znak ili previše vrednosti."
BAD_KEY = "Nije sačuvano: neispravan ključ novog članka. Osvežite stranicu."
NO_PERMISSION = "Nemate dozvolu da menjate ovaj članak."


class Refused(Exception):
    """The request is not what the article form sends; the message says so in Serbian."""


def input_names(form_class):
    """The names the form's inputs post under: a split date and time posts ``published_at_0`` and ``_1``.

    The new article's key names the row, not a value in it.
    """
    names = set()
    for name, field in form_class.base_fields.items():
        widget = field.widget
        if isinstance(widget, MultiWidget):
            names.update(name + suffix for suffix in widget.widgets_names)
        else:
            names.add(name)
    return names - {"new_article_key"}


def kept_fields(data, names):
    """The posted values of the form's own inputs, as strings (a list where an input posts several)."""
    fields = {}
    for name in names & set(data.keys()):
        values = data.getlist(name)
        if len(values) > MAX_VALUES or any("\x00" in value for value in values):
            raise Refused(BAD_VALUE.format(name))
        fields[name] = values[0] if len(values) == 1 else values
    if not fields:
        raise Refused(NOTHING_TO_KEEP)
    return fields


def new_article_key(value):
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise Refused(BAD_KEY) from None


def keep(user, fields, *, article_id=None, key=None):
    """Keeps ``fields`` as the user's autosave of the article (or new article ``key``): one upsert."""
    autosave = ArticleAutosave(
        user=user, article_id=article_id, new_article_key=key, fields=fields, saved_at=timezone.now()
    )
    ArticleAutosave.objects.bulk_create(
        [autosave],
        update_conflicts=True,
        unique_fields=["user", "article"] if article_id else ["user", "new_article_key"],
        update_fields=["fields", "saved_at"],
    )
    return autosave


def discard(user, *, article_id=None, key=None):
    ArticleAutosave.objects.filter(user=user, **_target(article_id, key)).delete()


def forget_saved(user, article, key=None):
    """After the form saved ``article``: the user's autosaves of it, and of the new article it was, go."""
    target = Q(article=article)
    if key is not None:
        target |= Q(new_article_key=key)
    ArticleAutosave.objects.filter(target, user=user).delete()


def _target(article_id, key):
    return {"article_id": article_id} if article_id is not None else {"new_article_key": key}


def offered_for_article(user, article):
    """The user's autosave of ``article`` if it is newer than the article's last save, else None."""
    newer = ArticleAutosave.objects.filter(saved_at__gt=article.modified_at)
    return newer.filter(user=user, article=article).first()


def offered_for_new_article(user):
    """The user's newest autosave of a never-saved article, unless it is older than the cleanup keeps."""
    since = timezone.now() - timedelta(days=KEEP_DAYS)
    return ArticleAutosave.objects.filter(user=user, article=None, saved_at__gte=since).first()


def delete_older_than(days=KEEP_DAYS, dry_run=False):
    """Deletes autosaves older than ``days`` days; returns how many there were."""
    old = ArticleAutosave.objects.filter(saved_at__lt=timezone.now() - timedelta(days=days))
    with transaction.atomic():
        count = old.count()
        if not dry_run:
            old.delete()
    return count


def clock_time(moment):
    return date_format(timezone.localtime(moment), "G.i")


# "od 7. decembra": the day's month in the genitive, which Django's Serbian formats do not give.
MONTHS_GENITIVE = (
    "januara", "februara", "marta", "aprila", "maja", "juna",
    "jula", "avgusta", "septembra", "oktobra", "novembra", "decembra",
)  # fmt: skip


def day_and_time(moment):
    local = timezone.localtime(moment)
    return f"{local.day}. {MONTHS_GENITIVE[local.month - 1]} u {clock_time(local)}"


def choice_labels(form_class, fields):
    """Names for the values of autocomplete inputs (tags, lead photo): their page holds only the chosen ones.

    One query per such input in the autosave, and only when an autosave is offered.
    """
    labels = {}
    for name, field in form_class.base_fields.items():
        widget = getattr(field.widget, "widget", field.widget)  # inside the admin's related-object wrapper
        if (
            name not in fields
            or not isinstance(field, ModelChoiceField)
            or not isinstance(widget, AutocompleteMixin)
        ):
            continue
        values = fields[name] if isinstance(fields[name], list) else [fields[name]]
        ids = [value for value in values if value.isascii() and value.isdigit() and len(value) < 19]
        labels[name] = {
            str(obj.pk): field.label_from_instance(obj) for obj in field.queryset.filter(pk__in=ids)
        }
    return labels


def restore_context(autosave, form_class, discard_url):
    """What the change form needs to offer the autosave back: its time, values and where to discard it."""
    return {
        "autosave_offer": {
            "when": day_and_time(autosave.saved_at),
            "fields": autosave.fields,
            "labels": choice_labels(form_class, autosave.fields),
            "key": str(autosave.new_article_key) if autosave.new_article_key else "",
        },
        "autosave_discard_url": discard_url,
    }


def change_form_context(request, article, form_class):
    offer = offered_for_article(request.user, article)
    urls = {"autosave_url": reverse("admin:articles_article_autosave", args=[article.pk])}
    if offer is None:
        return urls
    discard_url = reverse("admin:articles_article_autosave_discard", args=[article.pk])
    return {**urls, **restore_context(offer, form_class, discard_url)}


def add_form_context(request, form_class):
    offer = offered_for_new_article(request.user)
    urls = {"autosave_url": reverse("admin:articles_article_add_autosave")}
    if offer is None:
        return urls
    discard_url = reverse("admin:articles_article_add_autosave_discard")
    return {**urls, **restore_context(offer, form_class, discard_url)}


def _refusal(message, status=400):
    return JsonResponse({"error": message}, status=status)


def _content_length(request):
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0  # Django read the body as if empty, and so does the limit


def _article_id(object_id):
    """The id of the existing article the form autosaves; 404 for anything else."""
    object_id = unquote(object_id)
    if not (object_id.isascii() and object_id.isdigit() and len(object_id) < 19):
        raise Http404
    if not Article.objects.filter(pk=object_id).exists():
        raise Http404
    return int(object_id)


def _article_form_endpoint(view):
    """POST only, by someone who may add (a new article's form) or change (an existing one's); the view gets
    the article's id or the new article's key."""

    @wraps(view)
    def endpoint(request, model_admin, object_id=None):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        new = object_id is None
        may = model_admin.has_add_permission if new else model_admin.has_change_permission
        if not may(request):
            return _refusal(NO_PERMISSION, 403)
        try:
            key = new_article_key(request.POST.get("new_article_key")) if new else None
        except Refused as refusal:
            return _refusal(str(refusal))
        article_id = None if new else _article_id(object_id)
        return view(request, model_admin, article_id=article_id, key=key)

    return endpoint


@_article_form_endpoint
def autosave_view(request, model_admin, *, article_id, key):
    """Keeps what the article form holds now; answers with the time it was kept, or why not (4xx)."""
    if _content_length(request) > MAX_BYTES:
        return _refusal(TOO_BIG, 413)
    try:
        fields = kept_fields(request.POST, input_names(model_admin.get_form(request)))
    except Refused as refusal:
        return _refusal(str(refusal))
    autosave = keep(request.user, fields, article_id=article_id, key=key)
    return JsonResponse({"saved_at": clock_time(autosave.saved_at)})


@_article_form_endpoint
def discard_view(request, model_admin, *, article_id, key):
    """The editor declined the offered autosave: it is deleted."""
    discard(request.user, article_id=article_id, key=key)
    return JsonResponse({"discarded": True})
