import re
from dataclasses import replace
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.core import is_ratelimited

from articles.converters import ObjectIdConverter
from articles.models import Article
from articles.page_sections import NotCanonical
from config.delivery.http import json_answer, wants_json

from . import moderation
from .editing import edit_deadline, issue_edit_token
from .forms import ArticleCommentForm, ReportForm, signed_article_id
from .models import ArticleComment, CommentSettings, CommentToken, HoldReason, Reaction, Report
from .posting import (
    ACCOUNT_NOT_READY,
    CommentRefused,
    after_hours_notice,
    closing_reason,
    reader_account,
    stop_reply_notices,
    submit_comment,
    verify_address,
)
from .readers import (
    Origin,
    network_of,
    new_reader_id,
    reader_key,
    remember_reader,
    signal_origin,
    signalling_reader,
)
from .selectors import SectionParams, comment_section, own_reactions, page_of

PENDING_NOTICE = gettext_lazy("Thanks! Your comment is waiting for a moderator's approval.")
REACTIONS = {"1": Reaction.LIKE, "-1": Reaction.DISLIKE}
# The comment list's buttons are named for what they do and the comment: "l51" (comment_list_button).
LIST_REACTIONS = {"l": Reaction.LIKE, "d": Reaction.DISLIKE}
LIST_BUTTON = re.compile(f"([ldop])({ObjectIdConverter.regex})")
FOREIGN_ORIGIN = gettext_lazy("Reactions and reports are accepted only from the pages of this site.")


def csrf_for_signed_in(view):
    """CSRF checks for signed-in readers only.

    Anonymous posts are protected by the signed form fields, the honeypot and rate limits; the CSRF token of
    a page served from a shared cache would belong to another reader and reject an honest post.
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.user.is_authenticated:
            rejection = CsrfViewMiddleware(lambda request: None).process_view(request, None, (), {})
            if rejection is not None:
                return rejection
        return view(request, *args, **kwargs)

    return csrf_exempt(wrapped)


def _limited(request, group, rate, key="ip"):
    return is_ratelimited(request, group=group, key=key, rate=rate, increment=True)


def _article_for_post(article_id):
    """The article a signed comment form names, if the public may see it now."""
    return (
        Article.objects.published()
        .with_publication_state()
        .filter(pk=article_id)
        .select_related("section")
        .first()
    )


def _refuse(request, message, status, article=None, form=None):
    if wants_json(request):
        errors = {
            name: [str(error) for error in field_errors]
            for name, field_errors in (form.errors.items() if form else [])
        }
        return json_answer(status, message, errors)
    context = {
        "heading": _("Not sent"),
        "message": message,
        "is_error": True,
        "article": article,
        "form": form,
        "signed_in": request.user.is_authenticated,
        "account": reader_account(request.user) if form is not None else None,
    }
    return render(request, "comments/refused.html", context, status=status)


def _form_changed(request, article=None):
    message = _("The form has expired or was changed. Reload the page and send the comment again.")
    return _refuse(request, message, 400, article)


def _message_page(request, heading, message, article=None, status=200):
    context = {"heading": heading, "message": message, "article": article, "is_error": status >= 400}
    return render(request, "comments/message_page.html", context, status=status)


def _invalid_link(request):
    return _message_page(
        request, _("Link not valid"), _("This link is not valid or has expired."), status=400
    )


@require_POST
@csrf_for_signed_in
def post_comment(request):
    # The signature first, before any article is looked up: a post we did not sign gets one answer whatever
    # id it names. A signed one names an article that once had a form; if the public may not see it now, it
    # gets the missing article's answer: neither tells a draft, scheduled or withdrawn article from none.
    article_id = signed_article_id(request.POST)
    if article_id is None:
        return _form_changed(request)
    article = _article_for_post(article_id)
    if article is None:
        return _refuse(request, _("This article does not exist."), 404)
    comment_settings = CommentSettings.get_solo()
    if reason := closing_reason(article, comment_settings):
        return _refuse(request, reason, 400, article)

    data, account = request.POST, reader_account(request.user)
    if account is not None:
        if not account.ready:
            return _refuse(request, ACCOUNT_NOT_READY, 403, article)
        # A signed-in reader comments as their account, whatever name and address the post carries.
        data = data.copy()
        data["name"], data["email"] = account.name, account.email
    form = ArticleCommentForm(article, data=data, max_length=comment_settings.max_length)
    if not form.is_valid():
        if form.security_errors():
            return _form_changed(request, article)
        hidden_errors = [error for field in form.hidden_fields() for error in field.errors]
        message = (
            hidden_errors[0]
            if hidden_errors
            else _("The comment was not sent. Please correct the errors below.")
        )
        return _refuse(request, message, 400, article, form)

    email = form.cleaned_data["email"].lower()
    if _limited(request, "comments-post-address", settings.COMMENTS_RATE_PER_ADDRESS) or _limited(
        request, "comments-post-email", settings.COMMENTS_RATE_PER_EMAIL, key=lambda group, request: email
    ):
        message = _("You are sending comments too fast. Please wait a few minutes and try again.")
        return _refuse(request, message, 429, article, form)

    try:
        comment = submit_comment(
            form=form, article=article, request=request, comment_settings=comment_settings, account=account
        )
    except CommentRefused as refusal:
        return _refuse(request, refusal.message, refusal.status, article, form)

    notice = _("Thanks! Your comment is published.") if comment.is_public else str(PENDING_NOTICE)
    if not comment.is_public and (night := after_hours_notice(comment_settings)):
        notice += " " + night
    if HoldReason.UNVERIFIED_EMAIL in comment.hold_reasons and not comment.is_removed:
        notice += " " + _("We have sent you an e-mail: please confirm your address with the link in it.")
    if wants_json(request):
        return json_answer(201, notice, edit=_edit_grant(comment, comment_settings))
    messages.success(request, notice)
    return redirect(article.get_absolute_url() + "#komentari")


def _edit_grant(comment, comment_settings):
    """What comments.js needs to let the author correct the comment in the window (comments/editing.py).

    An anonymous author gets a token, which their browser keeps; an account's proof is its session, and its
    page shows its own comments from the server, so nothing of it is kept in the browser."""
    deadline = edit_deadline(comment, comment_settings)
    if deadline is None or comment.is_removed:
        return None
    token = "" if comment.user_id else issue_edit_token(comment, comment_settings)
    return {"id": comment.pk, "token": token, "until": deadline.isoformat(), "text": comment.comment}


def _visible_comment(pk):
    return get_object_or_404(ArticleComment.objects.visible().select_related("article__section"), pk=pk)


def _after_action(request, comment, message, status=200, **data):
    if wants_json(request):
        return json_answer(status, message, **data)
    messages.info(request, message)
    return redirect(comment.get_absolute_url())


def _refuse_foreign(request):
    """Another site's page (or a sandboxed one) sent this: refused before anything is looked up."""
    return _refuse(request, str(FOREIGN_ORIGIN), 403)


def _private(response):
    patch_cache_control(response, private=True, no_store=True)
    patch_vary_headers(response, ["Cookie"])
    return response


@require_POST
@csrf_exempt  # it changes nothing a forged request could use: the origin check keeps other sites out
def reader_identity(request):
    """Issues the anonymous reader identity that comments.js asks for before the first reaction or report."""
    if signal_origin(request) is Origin.FOREIGN:
        return _private(json_answer(403, str(FOREIGN_ORIGIN)))
    if reader_key(request):
        return _private(json_answer(200, "", issued=False))
    if _limited(
        request,
        "comments-reader-ids",
        settings.COMMENTS_READER_IDS_RATE,
        key=lambda group, request: network_of(request),
    ):
        message = _("Too many new readers from your network. Please try again later.")
        return _private(json_answer(429, message))
    return _private(remember_reader(json_answer(200, "", issued=True), new_reader_id()))


@require_GET
def my_reactions(request, article_pk):
    """The reader's own reactions to the visible comments of an article, for comments.js to press."""
    article = get_object_or_404(Article.objects.published(), pk=article_pk)
    key = reader_key(request)
    reactions = own_reactions(key, article) if key else {}
    return _private(JsonResponse({"reactions": {str(pk): value for pk, value in reactions.items()}}))


@require_POST
@csrf_for_signed_in
def react(request, pk):
    return _react(request, pk, REACTIONS.get(request.POST.get("value", "")))


@require_POST
@csrf_for_signed_in
def comment_list_button(request):
    """A button of the comment list's one form, named for what it does and the comment's id: ``l51`` likes
    comment 51 and ``d51`` dislikes it; without JavaScript ``o51`` leads to the form replying to it and
    ``p51`` to the page reporting it (comments.js does both in place)."""
    pressed = [match for key in request.POST if (match := LIST_BUTTON.fullmatch(key))]
    if len(pressed) != 1:
        return _react(request, None, None)
    kind, pk = pressed[0].groups()
    if kind in ("o", "p"):
        comment = _visible_comment(int(pk))
        if kind == "o":
            return _see_other(f"{comment.article.get_absolute_url()}?odgovor={comment.pk}#komentari")
        return _see_other(reverse("comments:report", args=[comment.pk]))
    return _react(request, int(pk), LIST_REACTIONS[kind])


def _see_other(url):
    response = HttpResponseRedirect(url)
    response.status_code = 303  # the page to go to after a post, read with GET
    return response


def _react(request, pk, value):
    origin = signal_origin(request)
    if origin is Origin.FOREIGN:
        return _refuse_foreign(request)
    if pk is None:
        return _refuse(request, _("Unknown reaction."), 400)
    comment = _visible_comment(pk)
    if value is None:
        return _refuse(request, _("Unknown reaction."), 400)
    if _limited(request, "comments-react", settings.COMMENTS_REACTIONS_RATE):
        return _refuse(request, _("Too many reactions in a short time. Please try again later."), 429)
    reader = signalling_reader(request, origin)
    try:
        mine = moderation.react(comment, reader.key, value, network=reader.network, toggle=reader.identified)
    except moderation.NetworkCapReached:
        message = _("Enough reactions to this comment came from your network today; yours is not counted.")
        return _refuse(request, message, 429)
    comment.refresh_from_db(fields=["like_count", "dislike_count"])
    return _after_action(
        request,
        comment,
        _("Your reaction is recorded.") if mine else _("Your reaction is withdrawn."),
        likes=comment.like_count,
        dislikes=comment.dislike_count,
        mine=mine,
    )


@require_http_methods(["GET", "POST"])
@csrf_for_signed_in
def report(request, pk):
    origin = signal_origin(request)
    if request.method == "POST" and origin is Origin.FOREIGN:
        return _refuse_foreign(request)
    comment = _visible_comment(pk)
    if request.method == "GET":  # reporting without JavaScript: a page with the form
        context = {
            "heading": _("Report a comment"),
            "message": comment.comment,
            "article": comment.article,
            "comment": comment,
            "report_reasons": Report.Reason.choices,
            "signed_in": request.user.is_authenticated,
        }
        return render(request, "comments/report.html", context)
    form = ReportForm(request.POST)
    if not form.is_valid():
        return _refuse(request, _("Choose the reason for the report."), 400, form=form)
    if _limited(request, "comments-report", settings.COMMENTS_REPORTS_RATE):
        return _refuse(request, _("Too many reports in a short time. Please try again later."), 429)
    reader = signalling_reader(request, origin)
    data = form.cleaned_data
    if not moderation.report(comment, reader.key, data["reason"], data["note"], network=reader.network):
        already = (
            _("You have already reported this comment.")
            if reader.identified
            else _("This comment has already been reported from your network.")
        )
        return _after_action(request, comment, already, 409)
    return _after_action(request, comment, _("Thank you. The moderators will review the comment."))


@require_GET
def permalink(request, pk):
    comment = _visible_comment(pk)
    page = page_of(comment, CommentSettings.get_solo().threads_per_page)
    query = f"?komentari={page}" if page > 1 else ""
    return redirect(f"{comment.article.get_absolute_url()}{query}#k{comment.pk}")


@require_GET
def more_threads(request, article_pk):
    """ "Prikaži još": the next page of threads, from the same selector as the article page's section."""
    article = get_object_or_404(Article.objects.published().with_publication_state(), pk=article_pk)
    params = replace(SectionParams.from_query(request.GET), reply_to=None)  # no form here
    try:
        section = comment_section(article, params, user=request.user)
    except NotCanonical:
        # Past the last page: page 1 again would repeat threads the reader has.
        raise Http404("Nema više komentara.") from None
    return render(request, "comments/threads.html", section)


@require_GET
def verify_email(request, token):
    verification = verify_address(token)
    if verification is None:
        return _invalid_link(request)
    if verification.published:
        message = _("Thank you. Your e-mail address is confirmed and your comment is published.")
    else:
        message = _(
            "Thank you. Your e-mail address is confirmed; your comment is waiting for a moderator's approval."
        )
    return _message_page(request, _("Address confirmed"), message, verification.comment.article)


@require_http_methods(["GET", "POST"])
@csrf_exempt  # the token in the address is the credential; mail clients post to it for one-click unsubscribe
def unsubscribe(request, token):
    found = (
        CommentToken.objects.usable(token, CommentToken.Purpose.UNSUBSCRIBE).select_related("comment").first()
    )
    if found is None:
        return _invalid_link(request)
    article = found.comment.article
    if request.method == "GET":
        message = _("You will no longer get e-mails about replies to your comment under “%(title)s”.") % {
            "title": article.title
        }
        context = {"heading": _("Stop reply notifications"), "message": message, "article": article}
        return render(request, "comments/unsubscribe.html", context)
    stop_reply_notices(found)
    message = _("You will no longer get e-mails about replies to this comment.")
    return _message_page(request, _("Unsubscribed"), message, article)
