"""The shared cache: django-redis, set to fail open, plus the one operation it lacks.

The cache holds only what can be recomputed (cached answers, token rows, rate-limit counters):
sessions and data live in PostgreSQL. So a Redis outage, or a Redis that accepts connections
and never answers, must not become HTTP 500s or hung pages: django-redis is configured with
short socket timeouts and ``IGNORE_EXCEPTIONS`` (reads miss, writes are dropped, each failure
logged), and pools its connections.

Kept by hand: ``window_counts``, for the API's sliding-window rate limits, counts this minute
(INCR with EXPIRE NX, so a counter never outlives its window even if the process dies between
the two) and reads the previous minute in one round trip; django-redis's ``incr`` cannot set an
expiry, and two round trips would let a crash leave a counter for ever.
"""

from __future__ import annotations

import logging
from typing import Any

from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
DOWN = (RedisConnectionError, RedisTimeoutError, OSError)
# Seconds to connect to Redis, and to wait for any answer of it, before giving up.
TIMEOUT = 1


def redis_cache_config(location: str) -> dict[str, Any]:
    """The ``CACHES`` entry of a Redis cache that fails open (settings and tests use it)."""
    return {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": location,
        "OPTIONS": {
            "SOCKET_CONNECT_TIMEOUT": TIMEOUT,
            "SOCKET_TIMEOUT": TIMEOUT,
            "IGNORE_EXCEPTIONS": True,
        },
    }


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
