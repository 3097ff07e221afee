"""The packages' admin pages in our language, without forking the packages.

django-axes, django-mailer and django-otp show the administrator labels that never pass through gettext: field
names Django turns into labels ("when added"), help texts and model names written as plain English, fieldset
titles, column headers and the objects' own descriptions ("Access Log for urednik @ ..."). Here each such
English text is wrapped in gettext with the very same text as its msgid, which our catalogue
(config/locale/sr_Latn) translates. The model state the migrations compare is the same English as before
(``makemigrations --check`` stays clean): only what a page shows changes. What is not a text on a model (a
column, an action's message, a fieldset) comes from subclasses of the packages' ModelAdmins registered in
their place.

``install()`` runs once from an AppConfig's ``ready()``, after the admin has registered the packages' models.
"""

from axes.admin import AccessAttemptAdmin
from axes.conf import settings as axes_settings
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib import admin, messages
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.admin import StaticDeviceAdmin
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice
from mailer.admin import MessageAdmin, MessageLogAdmin
from mailer.engine import send_all
from mailer.models import DontSendEntry, Message, MessageLog

# Packages whose models' own labels are (partly) plain English; the comments' are the fields our comment
# admin shows from django-comments-xtd and django-contrib-comments.
LABELLED_APPS = ["axes", "mailer", "otp_totp", "otp_static", "django_comments_xtd", "django_comments"]

OTP_FIELDSETS = {
    "Identity": _("Identity"),
    "Timestamps": _("Timestamps"),
    "Configuration": _("Configuration"),
    "State": _("State"),
    "Throttling": _("Throttling"),
}


def install():
    for label in LABELLED_APPS:
        for model in apps.get_app_config(label).get_models():
            translate_model_labels(model)
    for model, describe in DESCRIPTIONS.items():
        model.__str__ = describe
    for model, model_admin in ADMINS.items():
        if admin.site.is_registered(model):
            admin.site.unregister(model)
            admin.site.register(model, model_admin)


def translate(text):
    """``text`` through gettext, unless it already goes through it."""
    return text if isinstance(text, Promise) or not isinstance(text, str) or not text else _(text)


def translate_model_labels(model):
    opts = model._meta
    declared = opts.original_attrs  # what the migrations compare; left as the package wrote it
    if not isinstance(declared.get("verbose_name"), Promise):
        opts.verbose_name = translate(str(opts.verbose_name))
    if not isinstance(declared.get("verbose_name_plural"), Promise):
        opts.verbose_name_plural = translate(
            declared.get("verbose_name_plural") or f"{opts.verbose_name_raw}s"
        )
    for field in opts.local_fields + opts.local_many_to_many:
        field.verbose_name = translate(field.verbose_name)
        field.help_text = translate(field.help_text)
        if field.choices:
            field.choices = [(value, translate(label)) for value, label in field.choices]


def moment(value):
    return formats.localize(timezone.localtime(value)) if value else ""


def describe_attempt(attempt):
    return gettext("Sign-in attempts of %(username)s from %(address)s") % {
        "username": attempt.username,
        "address": attempt.ip_address,
    }


def describe_log(log):
    return gettext("Sign-in of %(username)s at %(time)s") % {
        "username": log.username,
        "time": moment(log.attempt_time),
    }


def describe_failure(failure):
    return gettext("Failed sign-in of %(username)s at %(time)s from %(address)s") % {
        "username": failure.username,
        "time": moment(failure.attempt_time),
        "address": failure.ip_address,
    }


def describe_mail(message, when):
    email = message.email
    if not email:
        return gettext("Message without its content (%(time)s)") % {"time": moment(when)}
    return gettext("„%(subject)s“ to %(recipients)s, %(time)s") % {
        "subject": email.subject,
        "recipients": ", ".join(email.to),
        "time": moment(when),
    }


DESCRIPTIONS = {
    AccessAttempt: describe_attempt,
    AccessLog: describe_log,
    AccessFailureLog: describe_failure,
    Message: lambda message: describe_mail(message, message.when_added),
    MessageLog: lambda log: describe_mail(log, log.when_attempted),
    DontSendEntry: lambda entry: entry.to_address,
    StaticToken: lambda token: gettext("no. %(number)s") % {"number": token.pk},
}


# django-axes


class OurAccessAttemptAdmin(AccessAttemptAdmin):
    @admin.action(description=_("Clean up expired attempts"))
    def cleanup_expired_attempts(self, request, queryset):
        # django-axes measures "expired" from the time of the request's own sign-in attempt, which only a
        # sign-in sets: on an admin request its action fails with an AttributeError. None means "now".
        request.axes_attempt_time = getattr(request, "axes_attempt_time", None)
        count = self.handler.clean_expired_user_attempts(request=request)
        self.message_user(
            request,
            ngettext(
                "Cleaned up %(count)d expired access attempt.",
                "Cleaned up %(count)d expired access attempts.",
                count,
            )
            % {"count": count},
        )

    @admin.display(description=_("Expires At"))
    def expiration(self, obj):
        return super().expiration(obj)

    @admin.display(description=_("Status"))
    def status(self, obj):
        remaining = axes_settings.AXES_FAILURE_LIMIT - obj.failures_since_start
        if remaining <= 0:
            return gettext("Locked Out")
        return ngettext("%(count)d attempt remaining", "%(count)d attempts remaining", remaining) % {
            "count": remaining
        }


# django-mailer


def mail_unavailable():
    return gettext("<Message data unavailable>")


@admin.display(description=_("To"))
def show_to(message):
    return ", ".join(message.to_addresses) if message.email else mail_unavailable()


@admin.display(description=_("Subject"))
def show_subject(message):
    return message.subject if message.email else mail_unavailable()


class MailBody:
    @admin.display(description=_("Plain text body"))
    def plain_text_body(self, instance):
        body = getattr(instance.email, "body", None)
        return body if body is not None else gettext("<Can't decode>")


class OurMessageAdmin(MailBody, MessageAdmin):
    list_display = ["id", show_to, show_subject, "when_added", "priority", "retry_count"]

    @admin.action(description=_("Send messages"))
    def send_messages(self, request, queryset):
        send_all(queryset)
        self.message_user(request, _("Message(s) sent."), messages.INFO)


class OurMessageLogAdmin(MailBody, MessageLogAdmin):
    list_display = ["id", show_to, show_subject, "message_id", "when_attempted", "result"]


# django-otp


class OTPLabels:
    search_help_text = _("Search by the user's username or email address")

    def get_fieldsets(self, request, obj=None):
        return [
            (OTP_FIELDSETS.get(title, title), options)
            for title, options in super().get_fieldsets(request, obj)
        ]


class OurTOTPDeviceAdmin(OTPLabels, TOTPDeviceAdmin):
    @admin.display(description=_("QR Code"))
    def qrcode_link(self, device):
        return super().qrcode_link(device)


class OurStaticDeviceAdmin(OTPLabels, StaticDeviceAdmin):
    pass


ADMINS = {
    AccessAttempt: OurAccessAttemptAdmin,
    Message: OurMessageAdmin,
    MessageLog: OurMessageLogAdmin,
    TOTPDevice: OurTOTPDeviceAdmin,
    StaticDevice: OurStaticDeviceAdmin,
}
