"""The base of the API's views."""

from __future__ import annotations

from rest_framework.generics import GenericAPIView
from rest_framework.views import APIView

from coopdx.http import AuthenticatedRequest


# A view behind ``accounts.api.permissions.ApiAccess`` (the default permission), which refuses
# anonymous callers: by the time a handler or ``get_queryset`` runs, ``self.request.user`` is a
# ``User``. No docstrings on these bases: drf-spectacular takes an operation's description from
# the first docstring among a view's classes, and these would show in the public API reference.
class SignedInAPIView(APIView):
    request: AuthenticatedRequest


# DRF's GenericAPIView first, for views that list or retrieve.
class SignedInGenericAPIView(GenericAPIView, SignedInAPIView):
    request: AuthenticatedRequest
