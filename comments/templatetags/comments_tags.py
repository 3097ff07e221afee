from datetime import timedelta

from django import template
from django.contrib.messages import get_messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from comments.desk import pending_summary
from comments.forms import ArticleCommentForm
from comments.models import ArticleComment, CommentSettings, Report
from comments.posting import after_hours_notice, closing_reason
from comments.rendering import ThreadWriter
from comments.selectors import DEFAULT_ORDERING, ORDERINGS, most_commented, thread_page

register = template.Library()

ORDERING_LABELS = [
    ("najstarije", _("Oldest")),
    ("najnovije", _("Newest")),
    ("najpopularnije", _("Most popular")),
]


@register.inclusion_tag("comments/section.html", takes_context=True)
def comments_section(context, article):
    """The whole Komentari section of an article page: count, threads, ordering, pages and the form."""
    request = context["request"]
    comment_settings = CommentSettings.get_solo()
    ordering = request.GET.get("redosled", DEFAULT_ORDERING)
    ordering = ordering if ordering in ORDERINGS else DEFAULT_ORDERING
    closed = closing_reason(article, comment_settings)
    page = thread_page(
        article,
        ordering=ordering,
        page_number=request.GET.get("komentari"),
        per_page=comment_settings.threads_per_page,
    )
    form = replying_to = None
    if not closed:
        replying_to = _reply_target(request, article)
        form = ArticleCommentForm(
            article,
            initial=_initial_for(request.user, replying_to),
            max_length=comment_settings.max_length,
        )
    return {
        "request": request,
        "signed_in": request.user.is_authenticated,
        "article": article,
        "page": page,
        "ordering": ordering,
        "orderings": ORDERING_LABELS,
        "closed_reason": closed,
        "can_reply": not closed,
        "form": form,
        "replying_to": replying_to,
        "report_reasons": Report.Reason.choices,
        "comment_settings": comment_settings,
        "notices": list(get_messages(request)),
        "after_hours_notice": "" if closed else after_hours_notice(comment_settings),
    }


def _reply_target(request, article):
    """The comment named by ?odgovor= (replying without JavaScript), if it can be replied to."""
    comment_id = request.GET.get("odgovor", "")
    if not (comment_id.isascii() and comment_id.isdigit()) or len(comment_id) > 10:
        return None
    parent = ArticleComment.objects.visible().filter(pk=int(comment_id), article=article).first()
    return parent if parent and parent.accepts_replies else None


def _initial_for(user, replying_to):
    initial = {"reply_to": replying_to.pk if replying_to else 0}
    if user.is_authenticated:
        initial.update(name=user.get_full_name() or user.get_username(), email=user.email)
    return initial


@register.simple_tag(takes_context=True)
def comment_threads(context, threads):
    """The threads' comments as list items (comments/rendering.py: the page's costliest part, made fast)."""
    return ThreadWriter(can_reply=context.get("can_reply", False)).threads(threads)


@register.inclusion_tag("admin/comments/summary.html")
def moderation_summary():
    """Pending count and the oldest pending comment's age, for the admin index."""
    return {"summary": pending_summary()}


@register.simple_tag
def most_commented_articles(days=7, limit=5):
    """For the front page's "Najkomentarisanije" block: one query."""
    return list(most_commented(since=timezone.now() - timedelta(days=days), limit=limit))
