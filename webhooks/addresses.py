"""Which URLs a webhook may point at.

Outside development (``DEBUG``) and ``WEBHOOK_ALLOW_HTTP`` a URL must be https. Unless
``WEBHOOK_ALLOW_PRIVATE`` (off by default, on in tests and on a laptop that says so), a URL
whose host is or resolves to a private, loopback, link-local or otherwise internal address is
refused when subscribing, and the address actually connected to is checked again before each
send (a name that resolved to a public address may later resolve to an internal one).
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def is_internal(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return True
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return bool(
        ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast or ip.is_reserved or ip.is_unspecified
    )


def internal_allowed() -> bool:
    return bool(settings.WEBHOOK_ALLOW_PRIVATE)


def check_url(url: str) -> None:
    """Refuse (``ValidationError`` on ``url``) an address the site must not post to."""
    parts = urlsplit(url)
    allowed_schemes = ("https", "http") if (settings.DEBUG or settings.WEBHOOK_ALLOW_HTTP) else ("https",)
    if parts.scheme not in allowed_schemes or not parts.hostname:
        raise ValidationError({"url": _("Give an https:// address.")})
    if parts.username or parts.password:
        raise ValidationError({"url": _("Do not put a user name or password in the address.")})
    if internal_allowed():
        return
    try:
        found = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError, ValueError) as error:
        raise ValidationError({"url": _("This address's host name cannot be found.")}) from error
    if any(is_internal(str(info[4][0])) for info in found):
        raise ValidationError(
            {"url": _("This address points inside a private network; webhooks go only to public addresses.")}
        )
