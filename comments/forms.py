import time

from django import forms
from django.conf import settings
from django.core.validators import MaxLengthValidator, ProhibitNullCharactersValidator
from django.forms.renderers import get_default_renderer
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext_lazy as _
from django_comments.forms import CommentSecurityForm
from django_comments_xtd.forms import XtdCommentForm

from articles.models import Article

from .form_renderer import KeptField, RenderedOnce
from .models import ArticleComment, Report

MAX_COMMENT_ID = 2**31 - 1
# A form's timestamp may run this far ahead of our clock (its page came from a server whose clock is faster).
CLOCK_SKEW = 300


def _digits(value, max_length):
    # ASCII digits only: str.isdigit() is also true of "²" and "⁰⁴⁵", which int() refuses.
    return value.isascii() and value.isdigit() and len(value) <= max_length


def is_fresh(timestamp):
    """Whether a form signed at ``timestamp`` (Unix seconds) may still be sent."""
    age = time.time() - timestamp
    return -CLOCK_SKEW <= age <= settings.COMMENTS_FORM_MAX_AGE


def signed_article_id(data):
    """The id of the article a post's signed fields name; None unless they carry our valid, fresh signature.

    The packages' hash covers the content type, the object id and the timestamp, so it is checked here without
    the database: a post nobody signed is refused before any article is looked up, the same for every id.
    """
    content_type, object_pk, timestamp, given = (
        data.get(name, "") for name in ("content_type", "object_pk", "timestamp", "security_hash")
    )
    if content_type != str(Article._meta) or not _digits(object_pk, 18) or not _digits(timestamp, 12):
        return None
    # The packages' generate_security_hash() reads nothing of its form: the same HMAC the form checks later.
    expected = CommentSecurityForm.generate_security_hash(None, content_type, object_pk, timestamp)
    if not constant_time_compare(expected, given) or not is_fresh(int(timestamp)):
        return None
    return int(object_pk)


class ArticleCommentForm(XtdCommentForm):
    """The reader's form: the packages' signed security fields and honeypot, our limits and reply checks."""

    default_renderer = RenderedOnce()
    bound_field_class = KeptField

    reply_to = forms.IntegerField(
        required=False, initial=0, min_value=0, max_value=MAX_COMMENT_ID, widget=forms.HiddenInput
    )

    def __init__(self, target_object, data=None, initial=None, max_length=1500, **kwargs):
        if data is not None and kwargs.get("renderer") is None:
            kwargs["renderer"] = get_default_renderer()  # what a reader sent is rendered, never kept
        super().__init__(target_object, data=data, initial=initial, **kwargs)
        del self.fields["url"]  # readers' links are not shown: no field for them
        self.fields["name"].label = _("Name")
        self.fields["name"].widget = forms.TextInput(
            attrs={"class": "comment-form__input", "autocomplete": "name", "maxlength": 50}
        )
        self.fields["email"].label = _("E-mail address")
        self.fields["email"].help_text = _("Never shown publicly.")
        self.fields["email"].widget = forms.EmailInput(
            attrs={"class": "comment-form__input", "autocomplete": "email", "maxlength": 254}
        )
        comment = self.fields["comment"]
        comment.label = _("Comment")
        comment.max_length = max_length
        comment.widget = forms.Textarea(
            attrs={
                "class": "comment-form__text",
                "rows": 5,
                "maxlength": max_length,
                "data-max-length": max_length,
            }
        )
        self.fields["followup"].label = _("Notify me of replies to my comment")
        self.fields["followup"].widget = forms.CheckboxInput()
        # Accounts choose on their own page (ReaderProfile.notify_outcomes); a form is sent only without one.
        self.fields["notify_outcome"] = forms.BooleanField(
            required=False,
            label="Javite mi e-poštom odluku moderatora",
        )
        self.fields["honeypot"].label = _("Leave this field empty")
        for field in (self.fields["name"], self.fields["email"], comment):
            field.error_messages["required"] = _("Please fill in this field.")
        self.fields["email"].error_messages["invalid"] = _("Please enter a valid e-mail address.")
        # Replacing the validators drops the fields' NUL check too, and PostgreSQL cannot store a NUL.
        self.fields["name"].validators = [
            ProhibitNullCharactersValidator(),
            MaxLengthValidator(50, message=_("The name can have at most 50 characters.")),
        ]
        comment.validators = [
            ProhibitNullCharactersValidator(),
            MaxLengthValidator(
                max_length,
                message=_("The comment can have at most %(limit_value)d characters (it has %(show_value)d)."),
            ),
        ]
        self.parent = None

    def clean_timestamp(self):
        """A form stays valid for days (a reader may keep the page open); the signature still covers it."""
        timestamp = self.cleaned_data["timestamp"]
        if not is_fresh(timestamp):
            raise forms.ValidationError(_("The form has expired."), code="expired")
        return timestamp

    def clean_reply_to(self):
        reply_to = self.cleaned_data.get("reply_to") or 0
        if not reply_to:
            return 0
        parent = (
            ArticleComment.objects.visible().filter(pk=reply_to, article_id=self.target_object.pk).first()
        )
        if parent is None:
            raise forms.ValidationError(
                _("You can only reply to a published comment under this article."), code="bad_parent"
            )
        if not parent.accepts_replies:
            raise forms.ValidationError(_("Replies to this comment are not possible."), code="too_deep")
        self.parent = parent
        return reply_to


class ReportForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=Report.Reason.choices)
    note = forms.CharField(label=_("Note (optional)"), max_length=300, required=False)
