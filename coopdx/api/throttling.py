"""Rate limits per token, per signed-in user and per anonymous address, in the shared cache.

Rates come from ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`` (scopes ``api_token``,
``api_user``, ``api_anon``) and are read on every request, so settings overrides apply.
With Redis configured the counters are shared by every web process.
"""

from __future__ import annotations

from typing import Any

from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from .permissions import token_of


class ApiRateThrottle(SimpleRateThrottle):
    def __init__(self) -> None:  # the scope (and so the rate) is known only per request
        pass

    def get_rate(self) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request: Request, view: Any) -> bool:
        token = token_of(request)
        if token is not None:
            self.scope, ident = "api_token", f"token:{token.pk}"
        elif request.user and request.user.is_authenticated:
            self.scope, ident = "api_user", f"user:{request.user.pk}"
        else:
            self.scope, ident = "api_anon", f"ip:{self.get_ident(request)}"
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        self._ident = ident
        return super().allow_request(request, view)

    def get_cache_key(self, request: Request, view: Any) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self._ident}
