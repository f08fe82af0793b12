"""A Redis cache that fails open: with Redis down, pages and the API keep being served.

The shared cache only holds what can be recomputed (throttling counters, cached fragments), so
a Redis outage must not turn into HTTP 500s: reads miss, writes are dropped, and each failure
is logged. Sessions and data live in PostgreSQL.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

if TYPE_CHECKING:
    from redis import ConnectionPool, Redis

logger = logging.getLogger(__name__)
DOWN = (RedisConnectionError, RedisTimeoutError, OSError)


class ReusingRedisCacheClient(RedisCacheClient):
    """Django's client builds a ``redis.Redis`` object for every operation; one per connection
    pool serves as well (it is thread-safe and takes a connection from the pool per command)
    and saves a measurable share of a cached API answer."""

    if TYPE_CHECKING:
        # Django's private members this client builds on (django-stubs declares only the public ones).
        _client: type[Redis]

        def _get_connection_pool(self, write: bool) -> ConnectionPool: ...

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    def __init__(self, server: Any, params: Any) -> None:
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient

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

    def count_in_window(self, key: Any, timeout: int) -> int:
        """Add one to a counter that expires ``timeout`` seconds after its first count, in one
        round trip (INCR and EXPIRE NX in a pipeline). 0 when Redis is unreachable."""
        name = self.make_and_validate_key(key)

        def count() -> int:
            pipeline = self._cache.get_client(name, write=True).pipeline(transaction=False)
            pipeline.incr(name)
            pipeline.expire(name, timeout, nx=True)
            return int(pipeline.execute()[0])

        return self._quiet("count_in_window", 0, count)
