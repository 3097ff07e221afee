"""Readers' accounts under /nalog/: django-allauth's sign-up and sign-in flows, and our profile pages.

Every page here is personal: answered ``private, no-store``, never kept by a shared cache. The library's
password, e-mail management and re-authentication pages answer 404 (readers' accounts have no password and
one address); its password sign-in leads to the sign-in by e-mailed code.
"""

from functools import wraps

from django.shortcuts import render
from django.urls import URLPattern, URLResolver, include, path, re_path
from django.views.decorators.cache import cache_control

from comments import account_views, my_comments_views

# allauth's form error for a rate limit (codes per address, sign-ins per network): our 429 page instead.
RATE_LIMITED = "too_many_login_attempts"


def too_many(request):
    return render(request, "429.html", status=429)


def private(view):
    """Answered ``private, no-store``; a form sent back with errors answers 400, not 200."""
    view = cache_control(private=True, no_store=True)(view)

    @wraps(view)
    def answer(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        context = getattr(response, "context_data", None) or {}
        forms = [form for form in (context.get("form"), context.get("verify_form")) if form is not None]
        if request.method != "POST" or response.status_code != 200 or not any(form.errors for form in forms):
            return response
        if any(form.has_error(field, RATE_LIMITED) for form in forms for field in form.errors):
            return cache_control(private=True, no_store=True)(too_many)(request)
        response.status_code = 400
        return response

    return answer


NOT_FOR_READERS = [
    ("reauthenticate/", "account_reauthenticate"),
    ("reauthenticate/code/", "account_request_reauthentication_code"),
    ("reauthenticate/code/confirm/", "account_confirm_reauthentication_code"),
    ("email/", "account_email"),
    ("password/change/", "account_change_password"),
    ("password/set/", "account_set_password"),
    ("password/reset/", "account_reset_password"),
    ("password/reset/done/", "account_reset_password_done"),
    ("password/reset/key/done/", "account_reset_password_from_key_done"),
    ("3rdparty/", "socialaccount_connections"),
]


def privately(patterns):
    """The library's patterns, each view answering ``private, no-store``."""
    wrapped = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            wrapped.append(
                URLResolver(
                    entry.pattern,
                    privately(entry.url_patterns),
                    entry.default_kwargs,
                    entry.app_name,
                    entry.namespace,
                )
            )
        else:
            wrapped.append(URLPattern(entry.pattern, private(entry.callback), entry.default_args, entry.name))
    return wrapped


urlpatterns = [
    path("profil/", private(account_views.profile), name="reader_profile"),
    path("komentari/", private(my_comments_views.account_comment_list), name="reader_comments"),
    path("obrisi/", private(my_comments_views.account_delete), name="reader_account_delete"),
    path("login/", private(account_views.sign_in), name="account_login"),
    *[path(route, private(account_views.not_for_readers), name=name) for route, name in NOT_FOR_READERS],
    re_path(
        r"^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$",
        private(account_views.not_for_readers),
        name="account_reset_password_from_key",
    ),
    *privately(include("allauth.urls")[0].urlpatterns),
]
