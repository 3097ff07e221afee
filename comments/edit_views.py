"""The author's correction of a comment within the editing window (comments/editing.py), for comments.js."""

from django import forms
from django.conf import settings
from django.core.validators import MaxLengthValidator, ProhibitNullCharactersValidator
from django.views.decorators.http import require_POST

from config.delivery.http import json_answer

from .editing import EditRefused, check_author, edit_comment
from .models import CommentSettings
from .readers import Origin, signal_origin
from .views import FOREIGN_ORIGIN, _limited, _private, csrf_for_signed_in

EDIT_SAVED = "Izmena je sačuvana."
EDIT_WAITS = "Izmena je sačuvana i čeka odobrenje moderatora; do tada se vidi odobreni tekst."


class EditForm(forms.Form):
    token = forms.CharField(required=False, max_length=64)
    comment = forms.CharField(
        strip=True, error_messages={"required": "Komentar ne može biti prazan."}
    )

    def __init__(self, *args, max_length, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comment"].validators = [
            ProhibitNullCharactersValidator(message="Komentar sadrži nedozvoljen znak."),
            MaxLengthValidator(
                max_length,
                message="Komentar može imati najviše %(limit_value)d znakova (ima %(show_value)d).",
            ),
        ]


@require_POST
@csrf_for_signed_in  # an anonymous author's proof is the token, which no other site has
def edit(request, pk):
    if signal_origin(request) is Origin.FOREIGN:
        return _private(json_answer(403, str(FOREIGN_ORIGIN)))
    if _limited(request, "comments-edit", settings.COMMENTS_EDITS_RATE):
        return _private(json_answer(429, "Previše izmena za kratko vreme. Pokušajte ponovo kasnije."))
    comment_settings = CommentSettings.get_solo()
    form = EditForm(request.POST, max_length=comment_settings.max_length)
    form.is_valid()
    try:
        comment = check_author(pk, request.user, form.cleaned_data.get("token", ""))
        if not form.is_valid():
            errors = {name: [str(error) for error in errors] for name, errors in form.errors.items()}
            return _private(json_answer(400, "Izmena nije sačuvana.", errors))
        comment = edit_comment(comment, form.cleaned_data["comment"])
    except EditRefused as refusal:
        return _private(json_answer(refusal.status, refusal.message))
    if comment.is_removed or getattr(comment, "edit_rejected", False):
        message = "Izmena nije sačuvana: komentar nije u skladu s pravilima."
        return _private(json_answer(400, message, state="rejected"))
    if comment.is_public:
        waiting = bool(comment.edited_at)
        return _private(json_answer(200, EDIT_WAITS if waiting else EDIT_SAVED, state="edit_waits"))
    return _private(json_answer(200, EDIT_SAVED, state="pending", text=comment.comment))
