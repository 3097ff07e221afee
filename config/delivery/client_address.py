"""The reader's network address, the one every limit, lockout, ban and stored comment uses.

Behind a proxy the connection comes from the proxy, which passes the reader's address in a header named by
``DJANGO_CLIENT_IP_HEADER`` (``HTTP_X_REAL_IP``, ``HTTP_X_FORWARDED_FOR``). A list (X-Forwarded-For) grows
by one entry at each proxy, each appending the address it saw: only the last ``DJANGO_TRUSTED_PROXY_COUNT``
entries were written by our own proxies, and anything to their left is whatever the client sent. A missing
or malformed value falls back to the connection's address; nothing here raises.
"""

import ipaddress
import re

from django.conf import settings

# "[2001:db8::1]:443" and "203.0.113.9:51234", as some proxies write them.
_BRACKETED = re.compile(r"\[([^\]]*)\](?::\d{1,5})?")
_IPV4_WITH_PORT = re.compile(r"([0-9.]+):\d{1,5}")
# Longer than any address with a port; a longer entry is not one.
_MAX_ENTRY = 64
# "No usable address" where a key must be a string (django-ratelimit): such requests share one count.
UNKNOWN = "0.0.0.0"


def client_address(request):
    """The reader's address, normalised, or None when neither the header nor the connection gives one."""
    header = settings.CLIENT_IP_HEADER
    if header and header != "REMOTE_ADDR":
        address = _trusted_entry(request.META.get(header), settings.TRUSTED_PROXY_COUNT)
        if address is not None:
            return address
    return parse_address(request.META.get("REMOTE_ADDR"))


def rate_limit_address(request):
    """django-ratelimit's ``RATELIMIT_IP_META_KEY``: the same address, never empty."""
    return client_address(request) or UNKNOWN


def _trusted_entry(value, trusted_proxies):
    if not isinstance(value, str) or not value:
        return None
    entries = value.rsplit(",", trusted_proxies)
    if len(entries) < trusted_proxies:
        return None  # fewer entries than proxies of ours: this header did not come through them
    return parse_address(entries[-trusted_proxies])


def parse_address(value):
    """One address as a proxy writes it (spaces, brackets, a port) in its canonical form, or None."""
    if not isinstance(value, str):
        return None
    value = value.strip(" \t")
    if not value or len(value) > _MAX_ENTRY:
        return None
    if match := _BRACKETED.fullmatch(value) or _IPV4_WITH_PORT.fullmatch(value):
        value = match.group(1)
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address):
        if address.scope_id is not None:
            return None  # a link-local zone ("fe80::1%eth0") names an interface of the proxy, not a reader
        address = address.ipv4_mapped or address
    return str(address)
