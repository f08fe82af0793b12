"""Request types for views that only a signed-in user reaches.

Django types ``request.user`` as ``User | AnonymousUser``. Behind ``login_required`` (or a DRF
permission that requires authentication) the user is always a ``User``; annotating such a view's
request as ``AuthenticatedHttpRequest`` says so to the type checker, as django-stubs recommends,
instead of narrowing by hand in every view.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.http import HttpRequest
from rest_framework.request import Request

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    user: User
    htmx: HtmxDetails  # set on every request by django_htmx's middleware


class AuthenticatedRequest(Request):
    """A DRF request whose permission classes have already refused anonymous callers."""

    user: User


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: the connection's, or behind ``TRUSTED_PROXY_COUNT`` reverse proxies
    the address the outermost of them saw, counted from the right of X-Forwarded-For (entries
    further left are whatever the client sent, and forgeable). DRF's throttles read it the same
    way (``NUM_PROXIES``)."""
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if not forwarded:
        return remote
    return forwarded[-min(proxies, len(forwarded))]
