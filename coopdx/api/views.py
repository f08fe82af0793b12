"""The base of the API's views."""

from __future__ import annotations

from rest_framework.generics import GenericAPIView
from rest_framework.views import APIView

from coopdx.http import AuthenticatedRequest


class SignedInAPIView(APIView):
    """A view behind ``accounts.api.permissions.ApiAccess`` (the default permission), which refuses anonymous callers:
    by the time a handler or ``get_queryset`` runs, ``self.request.user`` is a ``User``."""

    request: AuthenticatedRequest


# No docstring here, and DRF's GenericAPIView ahead of SignedInAPIView: drf-spectacular takes a
# view's description from the first docstring in its classes before DRF's own, so this base lends
# none to the views built on it (SignedInAPIView's own docstring would show in the schema).
class SignedInGenericAPIView(GenericAPIView, SignedInAPIView):
    request: AuthenticatedRequest
