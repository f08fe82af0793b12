"""Change stamps of whole data sets ("registry", "indicators"), for validators and cached answers.

Every service that writes a data set calls ``mark_changed(name)`` inside its transaction; once
the transaction commits, the data set's stamp in the shared cache is replaced by a new random
value. An ETag or a cached API answer built on the stamp then stops matching, whatever the
commit order of concurrent writers (a maximum ``updated_at`` alone misses a long import that
commits after a later, shorter edit).

Reading a stamp is one cache read, whatever the size of the data set: the API's validators do
not count rows. The stamp is only as durable as the cache. Readers combine it with a
database-side value (e.g. the latest ``updated_at``) and cached answers expire, so a stamp
lost with a Redis restart costs recomputation, not stale data.
"""

from __future__ import annotations

import uuid

from django.core.cache import cache
from django.db import transaction

REGISTRY = "registry"
INDICATORS = "indicators"


def _key(name: str) -> str:
    return f"coopdx:stamp:{name}"


def stamp(name: str) -> str:
    """The current stamp of a data set ("" until its first change is seen by this cache)."""
    return cache.get(_key(name)) or ""


def mark_changed(name: str) -> None:
    """Give the data set a new stamp when the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: cache.set(_key(name), uuid.uuid4().hex, timeout=None))
