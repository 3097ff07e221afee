"""Redirects to an address the request gave (``?next=``, a form's ``next``): only ever to a page of this site.

Views change such addresses before redirecting (the script switch adds or takes off ``/cir/``), and a change
can turn a harmless path into an off-site one (``/cir//evil.com`` loses its prefix and becomes
``//evil.com``). So the check runs on the final address, the one that goes into ``Location``.
"""

import unicodedata
from urllib.parse import unquote, urlsplit

from django.core.exceptions import DisallowedHost
from django.utils.http import url_has_allowed_host_and_scheme

# Longer than any address of ours with its query; a longer ``next`` is not one we made.
MAX_LENGTH = 2000
# Percent-decoding rounds checked: a path decoded twice (by a proxy, then by us) must still be a plain path.
DECODING_ROUNDS = 3


def safe_redirect_target(request, candidate, fallback):
    """``candidate`` when it is a path on this site that every browser reads as one, otherwise ``fallback``.

    Call it on the address as it will be sent, after every change the view makes to it.
    """
    return candidate if is_site_path(request, candidate) else fallback


def is_site_path(request, candidate):
    """A site-relative path ("/politika/?strana=2"): no scheme or host, no empty path segment ("//"), no
    backslash, whitespace or control character, and none of those hidden behind percent-encoding."""
    if not isinstance(candidate, str) or not 0 < len(candidate) <= MAX_LENGTH:
        return False
    if not _plain(candidate) or not candidate.startswith("/") or candidate.startswith("//"):
        return False
    parts = urlsplit(candidate)
    if parts.scheme or parts.netloc:
        return False
    try:
        hosts = {request.get_host()}
    except DisallowedHost:
        hosts = set()
    if not url_has_allowed_host_and_scheme(candidate, allowed_hosts=hosts, require_https=request.is_secure()):
        return False
    path = parts.path
    for _ in range(DECODING_ROUNDS):
        # No address of ours has an empty segment, and "/cir//evil.com" is one prefix away from leaving.
        if "//" in path or not _plain(path):
            return False
        decoded = unquote(path)
        if decoded == path:
            return True
        path = decoded
    return False  # still encoded after several rounds: no address of ours looks like that


def _plain(text):
    """No backslash (browsers read it as "/"), whitespace or control, format or unassigned characters."""
    return "\\" not in text and not any(unicodedata.category(char)[0] in "CZ" for char in text)
