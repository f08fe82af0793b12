"""Rate limits per token, per signed-in user and per anonymous address, in the shared cache.

Rates come from ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`` (scopes ``api_token``,
``api_user``, ``api_anon``) and are read on every request, so settings overrides apply.
With Redis configured the counters are shared by every web process.

A sliding window estimated from two counters (this window's, and the previous one's weighted by
the share of it still inside the last ``duration`` seconds), as large rate limiters do: a burst
across a window boundary is held to the rate, where a fixed window let twice the rate through,
and a counter costs the same at 120 requests a minute as at 100,000 (DRF's default sliding log is
read and written back whole on every request, and loses counts between web processes). A refused
request is not counted.

When Redis is unreachable the counters live in the web process itself (``LocalWindows``): each
process then enforces the rate on its own, so a caller may reach at most the rate times the number
of processes while Redis is down, never an unlimited API.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from django.core.cache import cache
from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from coopdx.cache import CacheUnreachable, uncount, window_counts

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
        window, elapsed = divmod(now, self.duration)
        current = f"throttle:{self.scope}:{ident}:{int(window)}"
        previous = f"throttle:{self.scope}:{ident}:{int(window) - 1}"
        counted, before = self._counts(current, previous, 2 * self.duration + 1)
        allowed, wait = sliding_decision(
            counted=counted, before=before, limit=self.num_requests, elapsed=elapsed, duration=self.duration
        )
        if allowed:
            return True
        self._uncount(current)
        self.wait_seconds = wait
        return False

    def _counts(self, current: str, previous: str, timeout: int) -> tuple[int, int]:
        try:
            counted = window_counts(self.cache, current, previous, timeout)
        except CacheUnreachable:
            return LOCAL.counts(current, previous, timeout)
        if counted is not None:  # Redis: one round trip
            return counted
        # Other caches (local memory in development).
        if not self.cache.add(current, 1, timeout=timeout):
            try:
                self.cache.incr(current)
            except ValueError:  # the window's key expired in between: a new window
                self.cache.set(current, 1, timeout=timeout)
        return int(self.cache.get(current, 1)), int(self.cache.get(previous, 0))

    def _uncount(self, key: str) -> None:
        if LOCAL.holds(key):
            LOCAL.uncount(key)
        else:
            uncount(self.cache, key)

    def wait(self) -> float | None:
        return self.wait_seconds


def sliding_decision(*, counted: int, before: int, limit: int, elapsed: float, duration: int) -> tuple[bool, float]:
    """Whether the request that made this window's count ``counted`` is within ``limit`` over the
    last ``duration`` seconds (the previous window's ``before`` weighted by the share of it still
    inside them), and if not, the seconds until one more request would be."""
    estimate = before * (1 - elapsed / duration) + counted
    if estimate <= limit:
        return True, 0.0
    held = counted - 1  # what this window holds without the refused request
    if held + 1 <= limit and before:
        # Later in this window, once the previous one weighs little enough.
        return False, max(0.0, duration * (1 - (limit - held - 1) / before) - elapsed)
    # Only in the next window, once this one (then the previous) weighs little enough.
    wait = duration - elapsed
    if held:
        wait += max(0.0, duration * (1 - (limit - 1) / held))
    return False, wait


class LocalWindows:
    """The counters of one web process, used while Redis is unreachable: the same keys and
    expiries as in Redis, in a dictionary (old windows are dropped as new ones are counted)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: dict[str, tuple[int, float]] = {}

    def counts(self, current: str, previous: str, timeout: int) -> tuple[int, int]:
        now = time.monotonic()
        with self._lock:
            if len(self._counts) > 10_000:
                self._counts = {key: value for key, value in self._counts.items() if value[1] > now}
            count, expires = self._counts.get(current, (0, now + timeout))
            if expires <= now:
                count, expires = 0, now + timeout
            self._counts[current] = (count + 1, expires)
            before, before_expires = self._counts.get(previous, (0, now))
            return count + 1, before if before_expires > now else 0

    def clear(self) -> None:
        with self._lock:
            self._counts.clear()

    def holds(self, key: str) -> bool:
        with self._lock:
            return key in self._counts

    def uncount(self, key: str) -> None:
        with self._lock:
            count, expires = self._counts.get(key, (1, 0.0))
            self._counts[key] = (max(0, count - 1), expires)


LOCAL = LocalWindows()
