"""Who sends a reaction or a report, and from where.

A reader is the account when signed in, else an anonymous id in a signed cookie that only the identity
endpoint (``views.reader_identity``, asked by comments.js before the first reaction or report) issues: a post
that uses an identity never mints one. Every signal also carries the sender's network (IPv4 /24, IPv6 /64)
as a keyed hash, never the address: the caps on what one network can do (comments/moderation.py) stand
however many identities a client collects. A signal without an identity, or one whose origin the browser did
not vouch for (a plain form in an old browser), is the network's alone.
"""

import enum
import ipaddress
import uuid
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.crypto import salted_hmac

from config.delivery.client_address import client_address

READER_COOKIE = "citalac"
READER_COOKIE_SALT = "comments.reader"
READER_COOKIE_AGE = 365 * 24 * 3600
NETWORK_SALT = "comments.readers.network"
NETWORK_KEY_LENGTH = 32  # hex digits of the keyed hash: 128 bits
IPV4_PREFIX, IPV6_PREFIX = 24, 64


class Origin(enum.Enum):
    SAME = "same"  # the browser says the post came from one of our pages
    UNKNOWN = "unknown"  # no Origin, no Sec-Fetch-Site: an old browser or a script
    FOREIGN = "foreign"  # another site (or a sandboxed page, Origin: null): refused


@dataclass(frozen=True)
class SignallingReader:
    key: str
    network: str

    @property
    def identified(self):
        return not self.key.startswith("n:")


def reader_key(request):
    """A stable key for this reader, or None for an anonymous reader without an issued identity."""
    if request.user.is_authenticated:
        return f"u:{request.user.pk}"
    anonymous_id = request.get_signed_cookie(READER_COOKIE, default=None, salt=READER_COOKIE_SALT)
    return f"a:{anonymous_id}" if anonymous_id else None


def new_reader_id():
    return uuid.uuid4().hex


def remember_reader(response, anonymous_id):
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


def network_key(address):
    """The keyed hash of an address's network (IPv4 /24, IPv6 /64); one shared key for unreadable ones."""
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        prefix = "unknown"
    else:
        if ip.version == 6 and ip.ipv4_mapped:
            ip = ip.ipv4_mapped
        bits = IPV4_PREFIX if ip.version == 4 else IPV6_PREFIX
        # From the integer: an IPv6 zone ("%eth0") is not part of the network.
        network_class = ipaddress.IPv4Network if ip.version == 4 else ipaddress.IPv6Network
        prefix = str(network_class((int(ip), bits), strict=False))
    return salted_hmac(NETWORK_SALT, prefix, algorithm="sha256").hexdigest()[:NETWORK_KEY_LENGTH]


def network_of(request):
    """The sender's hashed network. The one place that asks for the client's address."""
    return network_key(client_address(request))


def _origin_of(url):
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower() if parts.scheme and parts.netloc else None


def our_origins(request):
    origins = {_origin_of(settings.SITE_URL), f"{request.scheme}://{request.get_host()}".lower()}
    origins.update(origin.lower() for origin in settings.CSRF_TRUSTED_ORIGINS if "*" not in origin)
    return origins - {None}


def signal_origin(request):
    """Where a reaction, report or identity request comes from, as far as the browser tells.

    ``Sec-Fetch-Site`` must be ``same-origin`` or ``none`` (typed or bookmarked by the reader; no page can
    cause it); ``same-site`` is refused too, since a sibling host is not ours to trust. ``Origin`` must be
    exactly one of ours, scheme and port included. A ``Referer`` alone (an old browser) from elsewhere is
    refused, and from here proves no more than nothing: the signal then counts for the network only.
    """
    fetch_site = request.headers.get("Sec-Fetch-Site")
    origin = request.headers.get("Origin")
    if fetch_site is not None and fetch_site.lower() not in ("same-origin", "none"):
        return Origin.FOREIGN
    if origin is not None:
        return Origin.SAME if origin.strip().lower() in our_origins(request) else Origin.FOREIGN
    if fetch_site is not None:
        return Origin.SAME
    referer = request.headers.get("Referer")
    if referer is not None and _origin_of(referer.strip()) not in our_origins(request):
        return Origin.FOREIGN
    return Origin.UNKNOWN


def signalling_reader(request, origin):
    """Who a signal counts for: the identity when the browser vouched for the origin, else the network."""
    network = network_of(request)
    key = reader_key(request) if origin is Origin.SAME else None
    return SignallingReader(key or f"n:{network}", network)
