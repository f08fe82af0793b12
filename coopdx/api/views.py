"""The base of the API's views."""

from __future__ import annotations

from rest_framework.views import APIView

from coopdx.http import AuthenticatedRequest


class SignedInAPIView(APIView):
    """A view behind ``accounts.api.permissions.ApiAccess`` (the default permission), which refuses anonymous callers:
    by the time a handler or ``get_queryset`` runs, ``self.request.user`` is a ``User``."""

    request: AuthenticatedRequest
