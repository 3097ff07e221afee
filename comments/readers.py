"""Who a reader is for reactions and reports: the account when signed in, else an anonymous signed cookie."""

import uuid

from django.conf import settings

READER_COOKIE = "citalac"
READER_COOKIE_SALT = "comments.reader"
READER_COOKIE_AGE = 365 * 24 * 3600


def reader_key(request):
    """A stable key for this reader, or None for an anonymous reader who has not reacted yet."""
    if request.user.is_authenticated:
        return f"u:{request.user.pk}"
    anonymous_id = request.get_signed_cookie(READER_COOKIE, default=None, salt=READER_COOKIE_SALT)
    return f"a:{anonymous_id}" if anonymous_id else None


def reader_key_or_new(request):
    """The reader's key, and a new anonymous id to remember in a cookie if the reader had none."""
    key = reader_key(request)
    if key:
        return key, None
    anonymous_id = uuid.uuid4().hex
    return f"a:{anonymous_id}", anonymous_id


def remember_reader(response, anonymous_id):
    if anonymous_id:
        response.set_signed_cookie(
            READER_COOKIE,
            anonymous_id,
            salt=READER_COOKIE_SALT,
            max_age=READER_COOKIE_AGE,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
    return response
