"""Readers' own pages under /nalog/: the profile, and answers for the library's routes readers do not use."""

from urllib.parse import urlsplit

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import DisallowedHost, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme

from comments.accounts import is_staff_user, refused, update_reader_profile
from comments.display_names import MAX_LENGTH
from comments.models import ArticleComment, ReaderProfile

COMMENTS_PER_PAGE = 20


class ProfileForm(forms.Form):
    display_name = forms.CharField(
        label="Ime koje se prikazuje uz komentare",
        max_length=MAX_LENGTH * 2,
        error_messages={"required": "Unesite ime koje će se prikazivati uz vaše komentare."},
    )
    notify_replies = forms.BooleanField(
        label="Javite mi e-poštom kad neko odgovori na moj komentar", required=False
    )
    notify_outcomes = forms.BooleanField(
        label="Javite mi e-poštom kad moderator odluči o mom komentaru", required=False
    )


def sign_in(request):
    """The library's password sign-in: readers sign in by a code sent by e-mail, so it leads there.

    Without a ``next``, the reader goes back to the page of ours they came from (the comment form's link is
    the same on every article, so the shared pages need not carry the article's address); allauth checks
    the ``next`` again when it redirects."""
    url = reverse("account_request_login_code")
    query = request.GET.copy()
    if "next" not in query and (came_from := page_came_from(request)):
        query["next"] = came_from
    return redirect(f"{url}?{query.urlencode()}" if query else url)


def page_came_from(request):
    """The path of the page of this site the request came from (its Referer), or ""."""
    referer = request.headers.get("Referer", "")
    try:
        parts = urlsplit(referer)
        host = request.get_host()
    except (ValueError, DisallowedHost):
        return ""
    if parts.scheme not in ("http", "https") or parts.netloc != host or parts.path.startswith("/nalog/"):
        return ""
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    if not url_has_allowed_host_and_scheme(path, allowed_hosts={host}) or not path.startswith("/"):
        return ""
    return path


def not_for_readers(request, *args, **kwargs):
    """Passwords, e-mail management and re-authentication: readers' accounts have none of these."""
    raise Http404


@login_required(login_url=reverse_lazy("account_request_login_code"))
def profile(request):
    if is_staff_user(request.user):
        return refused(request)
    profile = ReaderProfile.objects.filter(user=request.user).first()
    initial = {"notify_replies": True, "notify_outcomes": False}
    if profile:
        initial = {field: getattr(profile, field) for field in ProfileForm.base_fields}
    form = ProfileForm(request.POST or None, initial=initial)
    status, saved = 200, False
    if request.method == "POST":
        if form.is_valid():
            try:
                profile = update_reader_profile(request.user, **form.cleaned_data)
                saved = True
            except ValidationError as error:
                form.add_error("display_name", error)
        if not saved:
            status = 400
    comments = Paginator(
        ArticleComment.objects.visible()
        .filter(user=request.user)
        .select_related(None)
        .select_related("article__section")
        .only("pk", "comment", "submit_date", "article__title", "article__slug", "article__section__slug")
        .order_by("-submit_date", "-pk"),
        COMMENTS_PER_PAGE,
    ).get_page(request.GET.get("strana"))
    context = {"form": form, "profile": profile, "comments": comments, "saved": saved}
    return render(request, "comments/profile.html", context, status=status)
