"""Who else has an article open in the admin: presence kept in the cache, never in the database."""

import re
import time

from django.core.cache import cache
from django.http import Http404, HttpResponseForbidden, HttpResponseNotAllowed, JsonResponse
from django.urls import reverse

from .models import Article

PRESENCE_SECONDS = 90
# The key outlives the last heartbeat a little, so a quiet article's entry disappears by itself.
CACHE_SECONDS = PRESENCE_SECONDS + 30

DIGITS = re.compile(r"[0-9]+")


def _key(article_id):
    return f"articles:editing:{article_id}"


def _present(editors, now):
    return {user_id: entry for user_id, entry in editors.items() if now - entry["seen"] < PRESENCE_SECONDS}


def mark_editing(article_id, user) -> None:
    # Read, change, write is not atomic: two heartbeats at the same instant may drop one entry, which the
    # next heartbeat (30 s later, well within PRESENCE_SECONDS) puts back.
    now = time.time()
    editors = _present(cache.get(_key(article_id), {}), now)
    editors[user.pk] = {"name": user.get_full_name() or user.get_username(), "seen": now}
    cache.set(_key(article_id), editors, CACHE_SECONDS)


def other_editors(article_id, user) -> list[str]:
    editors = _present(cache.get(_key(article_id), {}), time.time())
    return sorted(entry["name"] for user_id, entry in editors.items() if user_id != user.pk)


def stop_editing(article_id, user) -> None:
    editors = cache.get(_key(article_id), {})
    if editors.pop(user.pk, None) is not None:
        cache.set(_key(article_id), editors, CACHE_SECONDS)


def presence(request, admin_site, object_id):
    """Heartbeat from an open change form: marks the editor present and answers with who else is."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not request.user.has_perm("articles.change_article"):
        return HttpResponseForbidden()
    if not DIGITS.fullmatch(object_id) or not Article.objects.filter(pk=object_id).exists():
        raise Http404
    mark_editing(int(object_id), request.user)
    return JsonResponse({"others": other_editors(int(object_id), request.user)})


def editing_context(request, article):
    mark_editing(article.pk, request.user)
    return {
        "other_editors": other_editors(article.pk, request.user),
        "presence_url": reverse("admin:articles_article_presence", args=[article.pk]),
    }
