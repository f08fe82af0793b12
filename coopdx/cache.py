"""The shared cache: django-redis, set to fail open, plus the one operation it lacks.

The cache holds only what can be recomputed (cached answers, token rows, rate-limit counters):
sessions and data live in PostgreSQL. So a Redis outage, or a Redis that accepts connections
and never answers, must not become HTTP 500s or hung pages: django-redis is configured with
short socket timeouts and ``IGNORE_EXCEPTIONS`` (reads miss, writes are dropped, each failure
logged), and pools its connections. After a failure a process leaves Redis alone for a few
seconds (:class:`PausingConnection`), so a hung Redis costs a request one timeout, not one per
cache call.

Kept by hand: ``window_counts``, for the API's sliding-window rate limits, counts this minute
(INCR with EXPIRE NX, so a counter never outlives its window even if the process dies between
the two) and reads the previous minute in one round trip; django-redis's ``incr`` cannot set an
expiry, and two round trips would let a crash leave a counter for ever.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from redis.connection import Connection
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
DOWN = (RedisConnectionError, RedisTimeoutError, OSError)
# Seconds to connect to Redis, and to wait for any answer of it, before giving up.
TIMEOUT = 1


# After Redis failed to answer, this process leaves it alone for this many seconds.
PAUSE_AFTER_FAILURE = 10.0


class _Breaker:
    """Per process: once a Redis call failed (refused, timed out), the next ones fail at once for
    ``PAUSE_AFTER_FAILURE`` seconds instead of each waiting out its own timeout. A request makes
    several cache calls (rate limit, versions, cached answer): with Redis hung each would cost a
    second; now the first does, and the rest of the pause costs nothing. After the pause, one
    call tries Redis again."""

    def __init__(self) -> None:
        self.open_until = 0.0

    def is_open(self) -> bool:
        return time.monotonic() < self.open_until

    def trip(self) -> None:
        self.open_until = time.monotonic() + PAUSE_AFTER_FAILURE

    def reset(self) -> None:
        self.open_until = 0.0


BREAKER = _Breaker()


class PausingConnection(Connection):
    """A redis-py connection that consults :data:`BREAKER` before connecting and trips it when
    connecting, sending or reading fails. (redis-py drops a connection after such a failure, so
    the next command connects again, and is refused at once while the breaker is open.)"""

    def connect(self) -> None:
        if BREAKER.is_open():
            raise RedisConnectionError("Redis is paused after a failure in this process")
        try:
            super().connect()
        except DOWN:
            BREAKER.trip()
            raise

    def send_packed_command(self, command: Any, check_health: bool = True) -> None:
        try:
            super().send_packed_command(command, check_health)
        except DOWN:
            BREAKER.trip()
            raise

    def read_response(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().read_response(*args, **kwargs)
        except DOWN:
            BREAKER.trip()
            raise


def redis_cache_config(location: str) -> dict[str, Any]:
    """The ``CACHES`` entry of a Redis cache that fails open (settings and tests use it)."""
    options: dict[str, Any] = {
        "SOCKET_CONNECT_TIMEOUT": TIMEOUT,
        "SOCKET_TIMEOUT": TIMEOUT,
        "IGNORE_EXCEPTIONS": True,
    }
    if location.startswith("redis://"):  # TLS (rediss://) keeps redis-py's own connection class
        options["CONNECTION_POOL_KWARGS"] = {"connection_class": PausingConnection}
    return {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": location, "OPTIONS": options}


class CacheUnreachable(Exception):
    """Redis did not answer: the caller decides what failing open means for it."""


def window_counts(cache: Any, current: str, previous: str, timeout: int) -> tuple[int, int] | None:
    """Add one to the counter ``current`` (expiring ``timeout`` seconds after its first count) and
    return it with the count under ``previous``, in one round trip. None when ``cache`` is not a
    django-redis cache (the caller counts another way); CacheUnreachable when Redis is down."""
    client = getattr(cache, "client", None)
    if client is None or not hasattr(client, "get_client"):
        return None
    name = client.make_key(current)
    try:
        pipeline = client.get_client(write=True).pipeline(transaction=False)
        pipeline.incr(name)
        pipeline.expire(name, timeout, nx=True)
        pipeline.get(client.make_key(previous))
        counted, _expiry, before = pipeline.execute()
    except DOWN as error:
        logger.warning("rate-limit count in Redis skipped: Redis unreachable (%s)", error)
        raise CacheUnreachable from error
    return int(counted), int(before or 0)


def uncount(cache: Any, key: str) -> None:
    """Take back one count of ``key`` (a request that was refused is not held against the caller)."""
    client = getattr(cache, "client", None)
    try:
        if client is not None and hasattr(client, "get_client"):
            client.get_client(write=True).decr(client.make_key(key))
        else:
            cache.decr(key)
    except (*DOWN, ValueError) as error:
        logger.warning("rate-limit count not taken back (%s)", error)
