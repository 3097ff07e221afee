"""Readers' accounts on django-allauth: the adapters that keep staff apart, the sign-up form with a display
name, and the services that write a reader's profile.

Staff accounts belong to the admin alone (config/staff_auth.py, with its lockout and two-factor sign-in): no
reader flow ever signs a staff user in, sends a code to a staff address or attaches a social account to one.
"""

import unicodedata

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.forms import SignupForm
from allauth.account.internal.stagekit import clear_login
from allauth.account.models import EmailAddress
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.shortcuts import render
from django.urls import reverse

from comments.display_names import clean_display_name, name_key
from comments.models import ReaderProfile
from config.delivery.client_address import client_address
from config.delivery.reader_script import in_reader_script

MAX_EMAIL_LENGTH = 254

REFUSED_MESSAGE = (
    "Ova adresa ne može da se prijavi kao čitalac. Članovi redakcije se prijavljuju na svojoj strani."
)


def fold_address(email):
    """An e-mail address as it is compared: Unicode look-alikes (full-width letters…) and case folded."""
    return unicodedata.normalize("NFKC", email or "").strip().casefold()


def staff_users():
    return get_user_model().objects.filter(Q(is_staff=True) | Q(is_superuser=True))


def is_staff_address(email):
    """Whether ``email``, in any case or Unicode variant, belongs to a staff user."""
    folded = fold_address(email)
    if not folded:
        return False
    staff = staff_users()
    addresses = set(staff.values_list("email", flat=True))
    addresses |= set(EmailAddress.objects.filter(user__in=staff).values_list("email", flat=True))
    return folded in {fold_address(address) for address in addresses}


def is_staff_user(user):
    return bool(user.is_staff or user.is_superuser)


def refused(request):
    response = render(
        request,
        "comments/message_page.html",
        {"heading": "Prijava nije moguća", "message": REFUSED_MESSAGE, "is_error": True},
        status=403,
    )
    response["Cache-Control"] = "private, no-store"
    return response


# Writes -------------------------------------------------------------------------------------------------


def _fallback_name(user):
    return f"Čitalac {user.pk}"


def create_reader_profile(user, display_name):
    """The profile of a new reader; a name that turned out taken (a race, or a provider's name) falls back to
    a numbered one the reader can change on the profile page."""
    try:
        name, key = clean_display_name(display_name, user)
    except ValidationError:
        name, key = _fallback_name(user), name_key(_fallback_name(user))
    try:
        with transaction.atomic():
            return ReaderProfile.objects.create(user=user, display_name=name, name_key=key)
    except IntegrityError:
        name = _fallback_name(user)
        return ReaderProfile.objects.create(user=user, display_name=name, name_key=name_key(name))


def update_reader_profile(user, display_name, notify_replies, notify_outcomes):
    """Saves the reader's choices; ValidationError (Serbian) when the name is refused or was just taken."""
    name, key = clean_display_name(display_name, user)
    try:
        with transaction.atomic():
            profile, _ = ReaderProfile.objects.update_or_create(
                user=user,
                defaults={
                    "display_name": name,
                    "name_key": key,
                    "notify_replies": notify_replies,
                    "notify_outcomes": notify_outcomes,
                },
            )
    except IntegrityError:
        raise ValidationError(
            "To ime (ili jedno koje izgleda isto) već koristi drugi čitalac.", code="taken"
        ) from None
    return profile


# Forms --------------------------------------------------------------------------------------------------


class ReaderAccountSignupForm(SignupForm):
    """allauth's sign-up: a staff address is answered as an address that already has an account (nothing is
    made, nothing is sent: ``send_mail`` below), so the page does not tell staff addresses apart."""

    def clean_email(self):
        email = super().clean_email()
        if is_staff_address(email):
            self.account_already_exists = True
        return email


# Adapters -----------------------------------------------------------------------------------------------


class ReaderAccountAdapter(DefaultAccountAdapter):
    def clean_email(self, email):
        email = unicodedata.normalize("NFKC", email)
        if len(email) > MAX_EMAIL_LENGTH:
            raise ValidationError("E-adresa je predugačka.", code="long")
        return super().clean_email(email)

    def get_client_ip(self, request):
        return client_address(request)

    def pre_login(self, request, user, **kwargs):
        if is_staff_user(user):
            clear_login(request)
            return refused(request)
        return super().pre_login(request, user, **kwargs)

    def send_mail(self, template_prefix, email, context):
        # A staff address gets nothing from the readers' flows: the page answers as it does for anyone.
        if is_staff_address(email):
            return
        super().send_mail(template_prefix, email, {**context, "site_url": settings.SITE_URL})

    def render_mail(self, template_prefix, email, context, headers=None):
        message = super().render_mail(template_prefix, email, context, headers=headers)
        message.subject = in_reader_script(message.subject)
        message.body = in_reader_script(message.body)
        return message

    def add_message(self, *args, **kwargs):
        """No flash messages: our pages say what happened themselves, and allauth's texts are not ours."""

    def get_login_redirect_url(self, request):
        return reverse("reader_profile")

    def get_signup_redirect_url(self, request):
        return reverse("reader_profile")

    def get_logout_redirect_url(self, request):
        return "/"

    def format_email_subject(self, subject):
        return subject


class ReaderSocialAccountAdapter(DefaultSocialAccountAdapter):
    def pre_social_login(self, request, sociallogin):
        addresses = [address.email for address in sociallogin.email_addresses]
        user = sociallogin.user
        if (user.pk and is_staff_user(user)) or any(is_staff_address(address) for address in addresses):
            raise ImmediateHttpResponse(refused(request))

    def is_auto_signup_allowed(self, request, sociallogin):
        """Straight in only with a name we accept; otherwise the sign-up form asks for one."""
        try:
            clean_display_name(self.provider_name(sociallogin))
        except ValidationError:
            return False
        return super().is_auto_signup_allowed(request, sociallogin)

    def get_signup_form_initial_data(self, sociallogin):
        return {**super().get_signup_form_initial_data(sociallogin), "display_name": ""}

    def save_user(self, request, sociallogin, form=None):
        user = super().save_user(request, sociallogin, form=form)
        if form is None:
            create_reader_profile(user, self.provider_name(sociallogin))
        return user

    @staticmethod
    def provider_name(sociallogin):
        user = sociallogin.user
        name = f"{user.first_name} {user.last_name}".strip()
        return name or sociallogin.account.extra_data.get("name", "") or ""


class StaffOnlyAxesHandler(AxesDatabaseHandler):
    """django-axes keeps its sign-in log (user, network address, browser) for staff only: a reader's sign-in
    and sign-out leave no trace there (AXES_HANDLER). Readers never pass its password check either."""

    def user_logged_in(self, sender, request, user, **kwargs):
        if is_staff_user(user):
            super().user_logged_in(sender, request, user, **kwargs)

    def user_logged_out(self, sender, request, user, **kwargs):
        if user is not None and is_staff_user(user):
            super().user_logged_out(sender, request, user, **kwargs)
