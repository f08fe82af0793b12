"""The shared cache: django-redis, set to fail open, plus the one operation it lacks.

The cache holds only what can be recomputed (cached answers, token rows, rate-limit counters):
sessions and data live in PostgreSQL. So a Redis outage, or a Redis that accepts connections
and never answers, must not become HTTP 500s or hung pages: django-redis is configured with
short socket timeouts and ``IGNORE_EXCEPTIONS`` (reads miss, writes are dropped, each failure
logged), and pools its connections.

Kept by hand: ``count_in_window``, a counter that expires a fixed time after its first count in
one round trip (INCR and EXPIRE NX in a pipeline) for the API's rate limits; django-redis's
``incr`` cannot set an expiry, and two round trips would let a crash leave a counter for ever.
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


def count_in_window(cache: Any, key: str, timeout: int) -> int | None:
    """Add one to ``key``, a counter expiring ``timeout`` seconds after its first count, and
    return the count: 0 when Redis is unreachable (fails open), None when ``cache`` is not a
    django-redis cache (the caller counts another way)."""
    client = getattr(cache, "client", None)
    if client is None or not hasattr(client, "get_client"):
        return None
    name = client.make_key(key)
    try:
        pipeline = client.get_client(write=True).pipeline(transaction=False)
        pipeline.incr(name)
        pipeline.expire(name, timeout, nx=True)
        return int(pipeline.execute()[0])
    except DOWN as error:
        logger.warning("rate-limit count skipped: Redis unreachable (%s)", error)
        return 0
