"""Reads on a PostgreSQL read replica, writes on the primary, and everyone reads their own writes.

With ``DATABASE_REPLICA_URL`` set, the database alias ``replica`` is a streaming standby of
``default``. ``ReplicaMiddleware`` sends the reads of a safe request (GET, HEAD, OPTIONS: the
dashboards, the API's reads, the registry's lists, the downloads) to it, except:

- for a client that wrote within ``REPLICA_PIN_SECONDS``: a browser carries a cookie saying until
  when, an API client is known by a hash of its ``Authorization`` header kept in the cache for
  that long, so a page or a ``GET`` after a change shows the change;
- when the replica cannot be reached or lags more than ``REPLICA_MAX_LAG_SECONDS`` (checked at
  most once every ``REPLICA_CHECK_SECONDS`` per process): the primary answers, and the site goes
  on as if there were no replica.

Everything else reads the primary: unsafe requests, Celery tasks and commands, and any read
inside a transaction on the primary. Work that may read data a few seconds old opts in with
``replica_reads()`` (the export jobs). Writes always go to the primary; migrations run there only.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.http import HttpRequest, HttpResponseBase

REPLICA = "replica"
PIN_COOKIE = "coopdx_primary_until"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
logger = logging.getLogger(__name__)

_reading: ContextVar[bool] = ContextVar("coopdx_replica_reads", default=False)
_health: dict[str, float | bool] = {"checked": float("-inf"), "usable": False}

# The standby's delay: nothing waiting to be replayed is no delay; otherwise the age of the last
# transaction it replayed. A promoted standby (no longer in recovery) is current by definition.
LAG_SQL = """
SELECT CASE
    WHEN NOT pg_is_in_recovery() THEN 0
    WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
    ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0)
END
"""


def replica_configured() -> bool:
    return REPLICA in connections.settings


def _measure() -> bool:
    connection = connections[REPLICA]
    try:
        with connection.cursor() as cursor:
            cursor.execute(LAG_SQL if connection.vendor == "postgresql" else "SELECT 0")
            lag = float(cursor.fetchone()[0])
    except DatabaseError as error:
        connection.close()
        logger.warning("the read replica cannot be reached, reading the primary: %s", error)
        return False
    if lag > settings.REPLICA_MAX_LAG_SECONDS:
        logger.warning("the read replica lags %.1f s, reading the primary", lag)
        return False
    return True


def replica_usable() -> bool:
    """Whether reads may go to the replica now: configured, reachable and close enough."""
    if not replica_configured():
        return False
    now = time.monotonic()
    if now - float(_health["checked"]) >= settings.REPLICA_CHECK_SECONDS:
        _health.update(checked=now, usable=_measure())
    return bool(_health["usable"])


def replica_health_forget() -> None:
    """Check the replica again on the next read (after a change of settings, in tests)."""
    _health.update(checked=float("-inf"), usable=False)


@contextmanager
def replica_reads() -> Iterator[None]:
    """Send this block's reads to the replica, if it is usable; writes still go to the primary."""
    token = _reading.set(replica_usable())
    try:
        yield
    finally:
        _reading.reset(token)


class ReplicaRouter:
    """Reads to the replica only inside ``replica_reads()`` and outside a primary transaction."""

    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        if _reading.get() and not connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model: Any, **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, first: Any, second: Any, **hints: Any) -> bool:
        return True  # the same data on both

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == DEFAULT_DB_ALIAS


def _client_key(request: HttpRequest) -> str | None:
    credentials = request.headers.get("Authorization", "")
    if not credentials:
        return None
    return "replica-pin:" + hashlib.sha256(credentials.encode()).hexdigest()


def _pinned(request: HttpRequest) -> bool:
    try:
        if float(request.COOKIES.get(PIN_COOKIE, "0")) > time.time():
            return True
    except ValueError:
        pass  # a cookie that is not a time pins nothing
    key = _client_key(request)
    return bool(key and cache.get(key))


def _pin(request: HttpRequest, response: HttpResponseBase) -> None:
    seconds = settings.REPLICA_PIN_SECONDS
    response.set_cookie(
        PIN_COOKIE,
        f"{time.time() + seconds:.3f}",
        max_age=seconds,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    key = _client_key(request)
    if key:
        cache.set(key, 1, seconds)


class ReplicaMiddleware:
    """Safe requests of clients that have not just written read the replica; a write pins its
    client to the primary for ``REPLICA_PIN_SECONDS``. Nothing at all without a replica."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not replica_configured():
            return self.get_response(request)
        if request.method in SAFE_METHODS:
            if _pinned(request):
                return self.get_response(request)
            with replica_reads():
                return self.get_response(request)
        response = self.get_response(request)
        _pin(request, response)
        return response
