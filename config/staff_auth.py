"""Staff sign-in: lockout after repeated failures (django-axes) and optional two-factor sign-in (django-otp).

A staff member with a confirmed TOTP device gives a code from their authenticator app with the password; a
wrong code counts as a failed login for the lockout. ``DJANGO_ADMIN_REQUIRE_2FA`` makes a device compulsory:
staff without one are sent to the enrolment page until they have one.
"""

from base64 import b32encode
from functools import wraps

import qrcode
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.timesince import timeuntil
from django_otp import DEVICE_ID_SESSION_KEY, devices_for_user
from django_otp import login as otp_login
from django_otp import verify_token as otp_verify_token
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from qrcode.image.svg import SvgPathFillImage

from .delivery.redirects import safe_redirect_target

TOKEN_REQUIRED = "Ovaj nalog koristi dvofaktorsku prijavu: unesite i kod iz aplikacije za potvrdu identiteta."
TOKEN_INVALID = "Kod za potvrdu nije tačan ili je istekao. Unesite kod koji aplikacija sada prikazuje."
TOKEN_THROTTLED = "Posle pogrešnog koda provera kratko miruje: sačekajte nekoliko sekundi i pokušajte ponovo."


def _redirects_on_site(view):
    """The admin's sign-in and sign-out follow ``next`` with Django's own check; ours is stricter (no
    backslash, no encoded slash), and it runs on the address as sent."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.has_header("Location"):
            response["Location"] = safe_redirect_target(request, response["Location"], reverse("admin:index"))
        return response

    return wrapped


@_redirects_on_site
def sign_in(request):
    return admin.site.login(request)


@_redirects_on_site
def sign_out(request):
    return admin.site.logout(request)


def locked_out(request, original_response=None, credentials=None):
    """The lockout page, inside the admin's frame, with how long the lock still holds."""
    now = timezone.now()
    context = {
        **admin.site.each_context(request),
        "title": "Prijava privremeno zaključana",
        "username": (credentials or {}).get("username") or request.POST.get("username", ""),
        "wait": timeuntil(now + settings.AXES_COOLOFF_TIME, now),
    }
    # Rendered now: django-axes hands it back from a middleware, after TemplateResponses are rendered.
    return render(request, settings.AXES_LOCKOUT_TEMPLATE, context, status=settings.AXES_HTTP_RESPONSE_CODE)


def confirmed_devices(user):
    return list(devices_for_user(user, confirmed=True))


def verified_device(user, devices, token):
    """The device that accepts ``token``: the app's six digits, or a one-time recovery code (letters).

    Raises ValidationError while the device pauses after wrong codes (django-otp's throttling).
    """
    token = "".join(token.split())
    kind = TOTPDevice if token.isdigit() else StaticDevice
    for device in (device for device in devices if isinstance(device, kind)):
        if not device.verify_is_allowed()[0]:
            raise ValidationError(TOKEN_THROTTLED, code="throttled")
        # verify_token locks the device's row, so a code cannot be used twice by two parallel requests.
        if otp_verify_token(user, device.persistent_id, token):
            return device
    return None


class StaffLoginForm(AdminAuthenticationForm):
    otp_token = forms.CharField(
        label="Kod za potvrdu",
        required=False,
        max_length=32,
        help_text="Samo ako ste uključili dvofaktorsku prijavu: kod koji prikazuje aplikacija na telefonu.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "spellcheck": "false"}),
    )

    def clean(self):
        cleaned_data = super().clean()
        user = self.get_user()
        devices = confirmed_devices(user) if user else []
        if not devices:
            return cleaned_data
        token = cleaned_data.get("otp_token", "")
        if not token.strip():
            raise ValidationError(TOKEN_REQUIRED, code="token_required")
        try:
            device = verified_device(user, devices, token)
            if device is None:
                raise ValidationError(TOKEN_INVALID, code="invalid_token")
        except ValidationError:
            # A right password with a wrong code is still a failed login: django-axes counts it.
            user_login_failed.send(
                sender=type(self), credentials={"username": user.get_username()}, request=self.request
            )
            raise
        user.otp_device = device  # django_otp marks the session verified when Django logs the user in
        return cleaned_data


def _exempt_paths():
    return {
        reverse("admin:login"),
        reverse("admin:logout"),
        reverse("admin:jsi18n"),
        reverse("two_factor"),
    }


class TwoFactorRequiredMiddleware:
    """With DJANGO_ADMIN_REQUIRE_2FA, staff signed in without a code may only enrol (or sign out)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.ADMIN_REQUIRE_2FA
            and request.path_info.startswith(f"/{settings.ADMIN_URL}")
            and request.user.is_authenticated
            and request.user.is_staff
            and not request.user.is_verified()
            and request.path_info not in _exempt_paths()
        ):
            return redirect("two_factor")
        return self.get_response(request)


class TokenForm(forms.Form):
    token = forms.CharField(
        label="Kod iz aplikacije",
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "spellcheck": "false"}),
        error_messages={"required": "Unesite kod koji aplikacija prikazuje."},
    )


def qr_code_svg(text):
    """An SVG QR code as markup for the page itself: no script and no data: address, which the CSP forbids."""
    image = qrcode.make(text, image_factory=SvgPathFillImage, box_size=20)
    return mark_safe(image.to_string(encoding="unicode"))  # our own markup; ``text`` is only encoded in it


def grouped_secret(device):
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def two_factor(request):
    """Enrol, confirm or remove the signed-in staff member's own authenticator app."""
    user = request.user
    confirmed = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    form = TokenForm(request.POST or None)
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        device = confirmed or TOTPDevice.objects.filter(user=user, confirmed=False).first()
        if action not in {"confirm", "remove"} or device is None or (action == "confirm") == bool(confirmed):
            messages.error(request, "Zahtev nije važeći; stranica je osvežena, pokušajte ponovo.")
            return redirect("two_factor")
        try:
            accepted = form.is_valid() and verified_device(user, [device], form.cleaned_data["token"])
        except ValidationError as error:
            form.add_error("token", error)
            accepted = False
        if accepted:
            if action == "confirm":
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                TOTPDevice.objects.filter(user=user, confirmed=False).delete()
                otp_login(request, device)
                messages.success(
                    request, "Dvofaktorska prijava je uključena. Od sada se prijavljujete i kodom."
                )
            else:
                # Recovery codes go with the app: an administrator issues new ones when they are needed.
                TOTPDevice.objects.filter(user=user).delete()
                StaticDevice.objects.filter(user=user).delete()
                request.session.pop(DEVICE_ID_SESSION_KEY, None)
                messages.success(request, "Dvofaktorska prijava je isključena.")
            return redirect("two_factor")
        if not form.errors:
            form.add_error("token", TOKEN_INVALID)
        status = 400

    context = {
        **admin.site.each_context(request),
        "title": "Dvofaktorska prijava",
        "form": form,
        "confirmed": confirmed,
        "required": settings.ADMIN_REQUIRE_2FA,
        "verified": user.is_verified(),
    }
    if not confirmed:
        # The same secret until it is confirmed, so reloading the page does not invalidate a scanned code.
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first() or TOTPDevice.objects.create(
            user=user, confirmed=False, name="Aplikacija za prijavu"
        )
        context.update(qr_code=qr_code_svg(device.config_url), secret=grouped_secret(device))
    return TemplateResponse(request, "admin/staff_auth/two_factor.html", context, status=status)
