"""Saves that would overwrite someone else's: the article form remembers which version it was opened at.

Only another editor's save counts: the same editor saving from two tabs is not stopped (the edit-lock
warning of ``editing.py`` does not name oneself either). Versions come from django-reversion, one per save.
"""

from django.urls import reverse
from django.utils.html import format_html
from reversion.models import Version

from .autosave import clock_time


def article_versions(article):
    return Version.objects.get_for_object(article).select_related("revision__user")


def newest_version_id(article):
    return Version.objects.get_for_object(article).values_list("pk", flat=True).first()


def opened_id(value):
    """The version id the form posted: 0 for "no version yet" (empty), None for a missing or garbled one."""
    if value == "":
        return 0
    value = str(value or "-")
    return int(value) if value.isascii() and value.isdigit() and len(value) < 19 else None


def _name(user):
    if user is None:
        return "neko bez korisničkog naloga"
    return user.get_full_name() or user.get_username()


def conflict(article, opened, editor):
    """``(message, newest version id)`` when the save would overwrite another's, else None.

    ``opened`` is what ``opened_id`` made of the posted id. An id that is no version of this article
    (missing, garbled, or another article's) cannot be checked and is treated as a conflict too: the form
    explains and offers the history instead of a diff.
    """
    newest = article_versions(article).first()
    if newest is None or opened == newest.pk:
        return None
    history = reverse("admin:articles_article_history", args=[article.pk])
    since = list(article_versions(article).filter(pk__gte=opened)) if opened is not None else []
    if opened != 0 and not any(version.pk == opened for version in since):
        message = format_html(
            "Ne može se proveriti da li je neko drugi u međuvremenu sačuvao članak (obrazac ne nosi verziju "
            'koju ste otvorili). <a href="{}">Pogledajte istoriju izmena</a>, pa sačuvajte ponovo.',
            history,
        )
        return message, newest.pk
    theirs = [version for version in since if version.pk > opened and version.revision.user_id != editor.pk]
    if not theirs:
        return None
    latest = theirs[0]
    # Opened before the article had any version: there is nothing to compare with but the history.
    differences = (
        f"{reverse('admin:articles_article_compare', args=[article.pk])}?version_id1={opened}"
        f"&version_id2={newest.pk}"
        if opened
        else history
    )
    message = format_html(
        'Članak je u međuvremenu sačuvao/la {} u {}. <a href="{}">Pogledajte razlike</a> pre nego što '
        "ponovo sačuvate.",
        _name(latest.revision.user),
        clock_time(latest.revision.date_created),
        differences,
    )
    return message, newest.pk
