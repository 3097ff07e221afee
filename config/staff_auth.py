"""Staff sign-in: django-two-factor-auth's screens inside the admin, with django-axes' lockout.

The sign-in is a wizard: the password first, then, for staff with an authenticator app, its code (or a
backup code). A wrong code counts as a failed login for the lockout, like a wrong password.
``DJANGO_ADMIN_REQUIRE_2FA`` makes the app compulsory: staff without one are sent to set it up until they
have one. Every ``next`` is checked by ``safe_redirect_target``, stricter than the library's own check.
"""

from functools import wraps

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.timesince import timeuntil
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice
from two_factor import views as two_factor_views
from two_factor.forms import AuthenticationTokenForm, BackupTokenForm, MethodForm
from two_factor.plugins.registry import GeneratorMethod, registry

from .delivery.redirects import safe_redirect_target


def _redirects_on_site(view):
    """Whatever a view redirects to goes through our check, on the address as sent."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.has_header("Location"):
            response["Location"] = safe_redirect_target(request, response["Location"], reverse("admin:index"))
        return response

    return wrapped


class InAdmin:
    """A page in the admin's frame: its header, its navigation and a title."""

    title = ""

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        return {**admin.site.each_context(self.request), "title": self.title, **context}


class LockedDeviceMixin:
    """The device is read with its row locked while the code is checked (django-otp's clean_otp runs in a
    transaction), so two parallel requests cannot both use one code; the library reads it unlocked."""

    def _chosen_device(self, user):
        device = super()._chosen_device(user)
        return device and type(device).objects.select_for_update().filter(pk=device.pk).first()


class LockedTokenForm(LockedDeviceMixin, AuthenticationTokenForm):
    pass


class LockedBackupTokenForm(LockedDeviceMixin, BackupTokenForm):
    pass


class LockedGeneratorMethod(GeneratorMethod):
    def recognize_device(self, device):
        return isinstance(device, TOTPDevice)

    def get_token_form_class(self):
        return LockedTokenForm


# The login wizard asks the registry for the code step's form: the authenticator app's method gives ours.
registry.unregister(GeneratorMethod.code)
registry.register(LockedGeneratorMethod())


class StaffLoginView(InAdmin, two_factor_views.LoginView):
    """The admin's sign-in: staff accounts only, and back only to a page of this site."""

    title = _("Log in")
    form_list = (
        (two_factor_views.LoginView.AUTH_STEP, AdminAuthenticationForm),
        (two_factor_views.LoginView.TOKEN_STEP, LockedTokenForm),
        (two_factor_views.LoginView.BACKUP_STEP, LockedBackupTokenForm),
    )
    CODE_STEPS = {two_factor_views.LoginView.TOKEN_STEP, two_factor_views.LoginView.BACKUP_STEP}

    def get_redirect_url(self):
        name = self.redirect_field_name
        candidate = self.request.POST.get(name, self.request.GET.get(name))
        return safe_redirect_target(self.request, candidate, "")

    def get_success_url(self):
        return self.get_redirect_url() or reverse("admin:index")

    def get_context_data(self, form, **kwargs):
        return {**super().get_context_data(form, **kwargs), "next": self.get_redirect_url()}

    def post(self, request, *args, **kwargs):
        # The code steps never ask the password again, so the lockout is checked here before any code is.
        credentials = self._credentials()
        allowed = not credentials or AxesProxyHandler.is_allowed(request, credentials)
        if self.steps.current in self.CODE_STEPS and not allowed:
            request.axes_locked_out, request.axes_credentials = True, credentials
            return locked_out(request, credentials=credentials)
        return super().post(request, *args, **kwargs)

    def render(self, form=None, **kwargs):
        # A wrong code after the right password is still a failed login: django-axes counts it.
        if self.steps.current in self.CODE_STEPS and form is not None and form.is_bound and form.errors:
            credentials = self._credentials()
            if credentials and form.data.get(form.add_prefix("otp_token"), "").strip():
                user_login_failed.send(sender=type(self), credentials=credentials, request=self.request)
        return super().render(form, **kwargs)

    def _credentials(self):
        user = self.get_user()
        return {"username": user.get_username()} if user else None


class StaffSetupView(InAdmin, two_factor_views.SetupView):
    """Set up the authenticator app: the QR code and the first code, on one page (no welcome step)."""

    title = _("Enable Two-Factor Authentication")
    form_list = (("method", MethodForm),)  # with a single method the library skips this step

    def get_redirect_url(self):
        candidate = self.request.POST.get("next", self.request.GET.get("next"))
        return safe_redirect_target(self.request, candidate, "")

    def get_context_data(self, form, **kwargs):
        context = super().get_context_data(form, **kwargs)
        secret = context.get("secret_key", "")
        return {
            **context,
            "required": settings.ADMIN_REQUIRE_2FA,
            "secret_groups": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        }


class StaffSetupCompleteView(InAdmin, two_factor_views.SetupCompleteView):
    title = _("Enable Two-Factor Authentication")


class StaffBackupTokensView(InAdmin, two_factor_views.BackupTokensView):
    title = _("Backup Tokens")


class StaffProfileView(InAdmin, two_factor_views.ProfileView):
    title = _("Account Security")


class StaffDisableView(InAdmin, two_factor_views.DisableView):
    title = _("Disable Two-factor Authentication")


sign_in = StaffLoginView.as_view()


@_redirects_on_site
def sign_out(request):
    return admin.site.logout(request)


def locked_out(request, original_response=None, credentials=None):
    """The lockout page, inside the admin's frame, with how long the lock still holds."""
    now = timezone.now()
    context = {
        **admin.site.each_context(request),
        "title": "Prijava privremeno zaključana",
        "username": (credentials or {}).get("username") or request.POST.get("auth-username", ""),
        "wait": timeuntil(now + settings.AXES_COOLOFF_TIME, now),
    }
    # Rendered now: django-axes hands it back from a middleware, after TemplateResponses are rendered.
    return render(request, settings.AXES_LOCKOUT_TEMPLATE, context, status=settings.AXES_HTTP_RESPONSE_CODE)


# Where staff without an app may go while DJANGO_ADMIN_REQUIRE_2FA holds them back.
ENROLMENT_PATHS = ("admin:login", "admin:logout", "admin:jsi18n", "two_factor:setup", "two_factor:qr")


class TwoFactorRequiredMiddleware:
    """With DJANGO_ADMIN_REQUIRE_2FA, staff signed in without a code may only set up their app or sign out."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.ADMIN_REQUIRE_2FA
            and request.path_info.startswith(f"/{settings.ADMIN_URL}")
            and request.user.is_authenticated
            and request.user.is_staff
            and not request.user.is_verified()
            and request.path_info not in {reverse(name) for name in ENROLMENT_PATHS}
        ):
            return redirect("two_factor:setup")
        return self.get_response(request)
