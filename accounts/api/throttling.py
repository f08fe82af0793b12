"""Rate limits per token, per signed-in user and per anonymous address, in the shared cache.

Rates come from ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`` (scopes ``api_token``,
``api_user``, ``api_anon``) and are read on every request, so settings overrides apply.
With Redis configured the counters are shared by every web process.

A fixed window counted atomically in the cache (INCR with Redis), rather than DRF's default
sliding log: the log is read and written back whole on every request (a race between web
processes, which then lose counts, and a cost growing with the rate), while a counter costs the
same at 120 requests a minute as at 100,000. A client may burst up to twice its rate across a
window boundary, never more.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.cache import cache
from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from coopdx.cache import count_in_window

from .permissions import token_of


class ApiRateThrottle(SimpleRateThrottle):
    cache = cache

    def __init__(self) -> None:  # the scope (and so the rate) is known only per request
        self.wait_seconds: float | None = None

    def get_rate(self) -> str | None:
        if self.scope is None:
            return None
        # DRF's rates are strings such as "60/min", or None for no limit.
        rate = api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)
        return rate if isinstance(rate, str) else None

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
        if self.num_requests is None or self.duration is None:
            return True
        now = time.time()
        window = int(now // self.duration)
        key = f"throttle:{self.scope}:{ident}:{window}"
        # With Redis unreachable the count is 0 (fails open): requests pass.
        count = self._count(key, self.duration + 1)
        if count <= self.num_requests:
            return True
        self.wait_seconds = (window + 1) * self.duration - now
        return False

    def _count(self, key: str, timeout: int) -> int:
        counted = count_in_window(self.cache, key, timeout)
        if counted is not None:  # Redis: one round trip
            return counted
        if self.cache.add(key, 1, timeout=timeout):  # other caches (local memory in development)
            return 1
        try:
            return self.cache.incr(key)
        except ValueError:  # the window's key expired in between: a new window
            self.cache.set(key, 1, timeout=timeout)
            return 1

    def wait(self) -> float | None:
        return self.wait_seconds
