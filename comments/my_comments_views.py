"""The "Moji komentari" pages: ask for a link by e-mail, list one's comments, delete them."""

from functools import wraps

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_ratelimit.core import is_ratelimited

from config.delivery.redirects import safe_redirect_target

from . import my_comments

NOTICE = (
    "Ako postoje komentari napisani s tom adresom, poslali smo vam na nju vezu ka njima. Veza važi 24 sata. "
    "Ako poruka ne stigne za nekoliko minuta, pogledajte i fasciklu za neželjenu poštu."
)


class AddressForm(forms.Form):
    email = forms.EmailField(
        label="E-adresa s kojom ste komentarisali",
        max_length=254,
        error_messages={
            "required": "Unesite e-adresu.",
            "invalid": "Unesite ispravnu e-adresu.",
            "max_length": "E-adresa je predugačka.",
        },
        widget=forms.EmailInput(attrs={"class": "comment-form__input", "autocomplete": "email"}),
    )
    # Left empty by people; filled by bots, which get the usual answer and no mail.
    honeypot = forms.CharField(required=False, label="Ostavite ovo polje prazno")


def _message(request, heading, message, status=200):
    context = {"heading": heading, "message": message, "is_error": status >= 400}
    response = render(request, "comments/message_page.html", context, status=status)
    response["Referrer-Policy"] = "no-referrer"
    return response


def _invalid_link(request):
    return _message(
        request,
        "Veza ne važi",
        "Ova veza nije ispravna ili je istekla (važi 24 sata). Zatražite novu na strani „Moji komentari“.",
        status=400,
    )


def _limited(request, group, key):
    rate = settings.COMMENTS_MY_COMMENTS_RATE
    return is_ratelimited(request, group=group, key=key, rate=rate, increment=True)


@never_cache
@require_http_methods(["GET", "POST"])
def ask_for_link(request):
    form = AddressForm(request.POST if request.method == "POST" else None)
    if request.method == "GET":
        return render(request, "comments/my_comments_request.html", {"form": form})
    if not form.is_valid():
        return render(request, "comments/my_comments_request.html", {"form": form}, status=400)
    email_key = my_comments.email_key_for(form.cleaned_data["email"])
    if _limited(request, "comments-my-address", "ip") or _limited(
        request, "comments-my-email", lambda group, request: email_key
    ):
        context = {"form": form, "error": "Previše zahteva u kratkom roku. Pokušajte ponovo za sat vremena."}
        return render(request, "comments/my_comments_request.html", context, status=429)
    if not form.cleaned_data["honeypot"]:
        my_comments.request_link(email_key)  # mailed by send_my_comments_links if the address has comments
    return render(request, "comments/my_comments_request.html", {"sent": True, "notice": NOTICE})


@never_cache
@require_http_methods(["GET"])
def comment_list(request, token):
    email_key = my_comments.address_for(token)
    if email_key is None:
        return _invalid_link(request)
    context = {"comments": my_comments.own_comments(email_key), "token": token}
    response = render(request, "comments/my_comments.html", context)
    response["Referrer-Policy"] = "no-referrer"  # the address holds the link's token
    return response


def _chosen(data, email_key):
    """The comments a request names (``komentar=<id>`` or ``sve=1``) among this address's, or None."""
    if data.get("sve") == "1":
        return list(my_comments.own_comments(email_key))
    value = data.get("komentar", "")
    if not (value.isascii() and value.isdigit()) or len(value) > 18:
        return None
    return [own for own in my_comments.own_comments(email_key) if own.comment.pk == int(value)] or None


@never_cache
@require_http_methods(["GET", "POST"])
def delete(request, token):
    email_key = my_comments.address_for(token)
    if email_key is None:
        return _invalid_link(request)
    data = request.POST if request.method == "POST" else request.GET
    chosen = _chosen(data, email_key)
    if not chosen:
        return _message(
            request,
            "Komentar nije pronađen",
            "Taj komentar ne postoji među komentarima napisanim s vašom adresom, ili je već obrisan.",
            status=404,
        )
    if request.method == "GET":  # the confirmation page; only its POST deletes
        context = {"chosen": chosen, "all": data.get("sve") == "1", "token": token}
        response = render(request, "comments/my_comments_confirm.html", context)
        response["Referrer-Policy"] = "no-referrer"
        return response
    ids = None if data.get("sve") == "1" else [own.comment.pk for own in chosen]
    outcome = my_comments.delete_comments(email_key, ids)
    if outcome.none_left:
        return _message(
            request,
            "Komentari su obrisani",
            "Obrisali smo vaše komentare. Tamo gde su drugi čitaoci odgovorili ostaje samo napomena "
            "„Ovaj komentar više nije dostupan“, bez vašeg teksta, imena i adrese. Ova veza više ne važi.",
        )
    messages.success(request, "Komentar je obrisan." if len(chosen) == 1 else "Komentari su obrisani.")
    listing = reverse("comments:my_comments", kwargs={"token": token})
    return redirect(safe_redirect_target(request, listing, fallback=reverse("comments:my_comments_request")))


def reader_only(view):
    """For signed-in readers: others are sent to the readers' sign-in, staff refused (not readers)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("account_login"))
        if request.user.is_staff:
            return _message(
                request, "Samo za čitaoce", "Ova stranica je za naloge čitalaca, ne za redakciju.", status=403
            )
        return view(request, *args, **kwargs)

    return wrapped


@never_cache
@require_http_methods(["GET"])
@reader_only
def account_comment_list(request):
    """A signed-in reader's comments in every state, with the moderators' decisions in words."""
    context = {"comments": my_comments.own_account_comments(request.user), "account_page": True}
    return render(request, "comments/my_comments.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
@reader_only
def account_delete(request):
    """Deleting the account: a confirmation page, then its POST deletes and signs the reader out."""
    if request.method == "GET":
        count = my_comments.account_comments(request.user).count()
        return render(request, "comments/account_delete.html", {"comment_count": count})
    my_comments.delete_account(request.user)
    logout(request)
    return _message(
        request,
        "Nalog je obrisan",
        "Obrisali smo vaš nalog, ime, e-adresu i komentare. Tamo gde su drugi čitaoci odgovorili ostaje samo "
        "napomena „Ovaj komentar više nije dostupan“. Odjavljeni ste.",
    )
