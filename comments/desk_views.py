"""The moderation desk in the Django admin: queues, one-key decisions, bans, undo, own decisions."""

from datetime import timedelta
from urllib.parse import urlencode, urlsplit

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from articles.models import Section
from config.delivery.redirects import safe_redirect_target

from . import moderation
from .desk import DEFAULT_QUEUE, QUEUES, desk_page, filtered, marked_text, queue_counts
from .editing import word_diff
from .models import ArticleComment, CommentSettings, Decision, RejectReason

Action = Decision.Action
DESK_ACTIONS = {
    "approve": (Action.APPROVE, "Odobreno"),
    "reject": (Action.REJECT, "Odbijeno"),
    "feature": (Action.FEATURE, "Izdvojeno"),
    "unfeature": (Action.UNFEATURE, "Više nije izdvojeno"),
    "approve_edit": (Action.APPROVE_EDIT, "Izmena odobrena"),
    "reject_edit": (Action.REJECT_EDIT, "Izmena odbijena"),
}
MODERATOR_REASONS = [choice for choice in RejectReason.choices if choice[0] != RejectReason.BANNED_WORD]
BAN_PERIODS = {"1": timedelta(days=1), "7": timedelta(days=7), "30": timedelta(days=30), "zauvek": None}


def require_moderator(request):
    if not request.user.has_perm("django_comments.can_moderate"):
        raise PermissionDenied


def _int_or_none(value):
    return int(value) if value and value.isascii() and value.isdigit() and len(value) < 10 else None


def _filters(params):
    return {
        "article": _int_or_none(params.get("clanak", "")),
        "section": _int_or_none(params.get("rubrika", "")),
        "search": params.get("q", "")[:200],
    }


def desk(request, admin_site):
    require_moderator(request)
    queue_slug = request.GET.get("red", DEFAULT_QUEUE)
    filters = _filters(request.GET)
    queue, counts, page = desk_page(queue_slug, page_number=request.GET.get("strana"), **filters)
    comment_settings = CommentSettings.get_solo()
    for comment in page.object_list:
        comment.marked_text = marked_text(comment, comment_settings)
        if comment.edited_at and comment.is_public:
            comment.edit_diff = word_diff(comment.comment, comment.edited_text)
    context = {
        **admin_site.each_context(request),
        "title": "Moderacija komentara",
        "queue": queue,
        "queues": [(slug, item.label, counts[slug]) for slug, item in QUEUES.items()],
        "page": page,
        "filters": filters,
        "sections": Section.objects.all(),
        "reasons": MODERATOR_REASONS,
        "ban_periods": list(BAN_PERIODS),
        "query": urlencode({key: value for key, value in request.GET.items() if key != "strana"}),
        "here": request.get_full_path(),
    }
    return TemplateResponse(request, "admin/comments/desk.html", context)


def _back(request, message, level=messages.SUCCESS, status=200, **data):
    if request.headers.get("Accept") == "application/json":
        counts = _counts_after(request)
        return JsonResponse({"ok": status < 400, "message": message, "counts": counts, **data}, status=status)
    messages.add_message(request, level, message)
    the_desk = reverse("admin:comments_desk")
    return redirect(safe_redirect_target(request, request.POST.get("next", ""), fallback=the_desk))


def _counts_after(request):
    """The queue tabs' counts after a decision, for the filters of the desk page it was made on."""
    try:
        next_query = urlsplit(request.POST.get("next", "")).query
    except ValueError:  # "http://[": no filters, then
        next_query = ""
    return queue_counts(filtered(**_filters(QueryDict(next_query))))


class DecisionForm(forms.Form):
    action = forms.ChoiceField(choices=[(key, key) for key in DESK_ACTIONS])
    comments = forms.TypedMultipleChoiceField(coerce=int, choices=[], required=True)
    version = forms.IntegerField(required=False, min_value=0)
    reason = forms.ChoiceField(choices=[("", ""), *MODERATOR_REASONS], required=False)
    note = forms.CharField(max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        submitted = self.data.getlist("comments") if hasattr(self.data, "getlist") else []
        self.fields["comments"].choices = [
            (value, value) for value in submitted if value.isascii() and value.isdigit() and len(value) < 10
        ]

    def clean(self):
        data = super().clean()
        if data.get("action") in ("reject", "reject_edit") and not data.get("reason"):
            raise forms.ValidationError("Izaberite razlog odbijanja.")
        if len(data.get("comments") or []) > 200:
            raise forms.ValidationError("Najviše 200 komentara odjednom.")
        return data


@require_POST
def decide(request, admin_site):
    require_moderator(request)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _back(
            request, " ".join(form.errors.get("__all__", ["Neispravan zahtev."])), messages.ERROR, 400
        )
    data = form.cleaned_data
    action, done = DESK_ACTIONS[data["action"]]
    ids = data["comments"]
    versions = {ids[0]: data["version"]} if len(ids) == 1 and data["version"] is not None else None
    outcome = moderation.decide(
        ids, action, moderator=request.user, reason=data["reason"], note=data["note"], versions=versions
    )
    if outcome.conflicts and not outcome.applied:
        return _back(
            request,
            "Neko je u međuvremenu već odlučio o ovom komentaru; osvežite stranu.",
            messages.WARNING,
            409,
        )
    states = {comment.pk: _state_label(comment) for comment in outcome.applied}
    label = f"{done}: {len(outcome.applied)}" if len(ids) > 1 else done
    return _back(request, label, states=states, versions={c.pk: c.version for c in outcome.applied})


def _state_label(comment):
    if comment.is_removed:
        return "odbijen"
    if comment.edited_at:
        return "izmena čeka odobrenje"
    if comment.hidden_by_reports:
        return "sakriven zbog prijava"
    if comment.is_public:
        return "izdvojen" if comment.is_featured else "odobren"
    return "na čekanju"


class BanForm(forms.Form):
    comment = forms.IntegerField(min_value=1, max_value=2**31 - 1)
    by_email = forms.BooleanField(required=False)
    by_address = forms.BooleanField(required=False)
    by_account = forms.BooleanField(required=False)
    period = forms.ChoiceField(choices=[(key, key) for key in BAN_PERIODS])
    reason = forms.CharField(max_length=300)

    def clean(self):
        data = super().clean()
        if not (data.get("by_email") or data.get("by_address") or data.get("by_account")):
            raise forms.ValidationError("Izaberite e-adresu, IP adresu, nalog čitaoca ili više njih.")
        return data


@require_POST
def ban(request, admin_site):
    require_moderator(request)
    if not request.user.has_perm("comments.add_ban"):
        raise PermissionDenied
    form = BanForm(request.POST)
    if not form.is_valid():
        errors = [error for field_errors in form.errors.values() for error in field_errors]
        return _back(request, "Zabrana nije sačuvana: " + " ".join(errors), messages.ERROR, 400)
    data = form.cleaned_data
    comment = get_object_or_404(ArticleComment.objects.select_related(None), pk=data["comment"])
    if data["by_account"] and not comment.user_id:
        return _back(
            request, "Zabrana nije sačuvana: komentar nije napisan s nalogom čitaoca.", messages.ERROR, 400
        )
    moderation.ban(
        comment,
        moderator=request.user,
        reason=data["reason"],
        by_email=data["by_email"],
        by_address=data["by_address"],
        by_account=data["by_account"],
        period=BAN_PERIODS[data["period"]],
    )
    return _back(request, "Komentator je zabranjen, a komentar odbijen.")


@require_POST
def undo(request, admin_site):
    require_moderator(request)
    undone = moderation.undo_last(request.user)
    if undone is None:
        return _back(request, "Nema odluke koja se može poništiti.", messages.WARNING, 409)
    return _back(
        request,
        f"Poništeno: {undone.get_action_display()} (komentar {undone.comment_id}).",
        comment=undone.comment_id,
    )


def my_decisions(request, admin_site):
    require_moderator(request)
    decisions = Decision.objects.filter(moderator=request.user).select_related("comment__article")[:100]
    context = {**admin_site.each_context(request), "title": "Moje odluke", "decisions": decisions}
    return TemplateResponse(request, "admin/comments/my_decisions.html", context)
