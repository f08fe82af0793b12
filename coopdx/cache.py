"""A Redis cache that fails open: with Redis down, pages and the API keep being served.

The shared cache only holds what can be recomputed (throttling counters, cached fragments), so
a Redis outage must not turn into HTTP 500s: reads miss, writes are dropped, and each failure
is logged. Sessions and data live in PostgreSQL.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
DOWN = (RedisConnectionError, RedisTimeoutError, OSError)


class ResilientRedisCache(RedisCache):
    def _quiet(self, operation: str, default: Any, call: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return call(*args, **kwargs)
        except DOWN as error:
            logger.warning("cache %s skipped: Redis unreachable (%s)", operation, error)
            return default

    def get(self, key: Any, default: Any = None, version: Any = None) -> Any:
        return self._quiet("get", default, super().get, key, default, version)

    def get_many(self, keys: Any, version: Any = None) -> Any:
        return self._quiet("get_many", {}, super().get_many, keys, version)

    def set(self, *args: Any, **kwargs: Any) -> Any:
        return self._quiet("set", None, super().set, *args, **kwargs)

    def add(self, *args: Any, **kwargs: Any) -> Any:
        return self._quiet("add", False, super().add, *args, **kwargs)

    def set_many(self, *args: Any, **kwargs: Any) -> Any:
        return self._quiet("set_many", [], super().set_many, *args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        return self._quiet("delete", False, super().delete, *args, **kwargs)

    def incr(self, *args: Any, **kwargs: Any) -> Any:
        return self._quiet("incr", 0, super().incr, *args, **kwargs)

    def touch(self, *args: Any, **kwargs: Any) -> Any:
        return self._quiet("touch", False, super().touch, *args, **kwargs)

    def has_key(self, *args: Any, **kwargs: Any) -> Any:
        return self._quiet("has_key", False, super().has_key, *args, **kwargs)
