"""Versions of the data sets behind the API's validators and cached answers.

A data set ("registry", "indicators") is every table whose rows appear in its answers (``FEEDS``,
which each app that answers declares with ``data_set``): the registry's answers show cooperatives
with their province, ward and sector; the indicators' answers show figures with their round,
province and sector. An ETag or a cached answer built on a data set's version must never outlive a
change to any of those tables, whichever path made it: the admin, a service, ``save()``,
``QuerySet.update()``, ``bulk_create``/``bulk_update``, a delete or its cascade, the
reference-data load, an import, a shell, a data migration, raw SQL through Django's connection.

One hook sees all of them: every statement Django sends to the database passes through the
connection's execute wrappers, and ``watch`` (installed on every connection) recognises an
``INSERT``, ``UPDATE``, ``DELETE`` or ``TRUNCATE`` of a fed table. When the transaction that made
the change commits (at once outside a transaction), the data set's row in ``DataVersion`` gets
the next counter value and the commit time. So the version:

* lives in the database, not the shared cache: a Redis restart, a process with its own local
  cache (a shell, a worker) or a restored cache cannot bring an old version back;
* moves only on commit, whatever the commit order of concurrent writers (a long import that
  commits after a later, shorter edit still renews it; a rolled-back write does not);
* costs the readers one indexed read of a one-row-per-data-set table, which the selectors fold
  into the query they already make (``version(..., **extra)``).

What it cannot see: SQL sent by another client than Django (psql, a replica's feed). After such
a change, ``python manage.py shell -c "from coopdx import versions; versions.bump_all()"`` renews
every version; ``migrate`` does so by itself.
"""

from __future__ import annotations

import datetime
import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.db.models import F, QuerySet, Subquery
from django.utils import timezone

logger = logging.getLogger(__name__)

# The models whose rows appear in each data set's answers (serializers, filters and 404 checks),
# declared by the app that answers (``data_set``, from its ``versioning`` module, imported by its
# AppConfig.ready): the kernel knows no domain. tests/api/test_versions.py checks them against the
# serializers of every versioned endpoint.
FEEDS: dict[str, tuple[str, ...]] = {}


def data_set(name: str, *labels: str) -> str:
    """Declare a data set: ``labels`` (``"app.Model"``) are the models whose rows its answers show.
    Returns ``name``, for the app's constant. Declaring it again adds models to it."""
    FEEDS[name] = tuple(dict.fromkeys((*FEEDS.get(name, ()), *labels)))
    _fed_tables.cache_clear()
    return name


# The statements that change rows, and the table they change (optionally schema-qualified,
# quoted as PostgreSQL, SQLite or MySQL quote). Anything else (SELECT, SAVEPOINT...) fails at
# its first letters.
_WRITE = re.compile(
    r"\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|REPLACE\s+INTO|UPDATE(?:\s+ONLY)?|DELETE\s+FROM(?:\s+ONLY)?"
    r"|TRUNCATE(?:\s+TABLE)?(?:\s+ONLY)?)\s+"
    r"(?:[\"`\[]?\w+[\"`\]]?\.)?[\"`\[]?(\w+)",
    re.IGNORECASE,
)

# Set while ``migrate`` runs: migrations may write fed tables before DataVersion's table exists;
# ``migrate`` renews every version once it is done instead.
_migrating = False


@cache
def _fed_tables() -> dict[str, frozenset[str]]:
    """Database table (lower case) -> the data sets it feeds, with many-to-many tables."""
    from django.apps import apps

    tables: dict[str, set[str]] = {}
    for name, labels in FEEDS.items():
        for label in labels:
            model = apps.get_model(label)
            names = [model._meta.db_table]
            names += [m2m.remote_field.through._meta.db_table for m2m in model._meta.local_many_to_many]
            for table in names:
                tables.setdefault(table.lower(), set()).add(name)
    return {table: frozenset(names) for table, names in tables.items()}


def data_sets_written(sql: Any) -> frozenset[str]:
    """The data sets a statement changes (empty for reads and for tables that feed none)."""
    if not isinstance(sql, str):
        return frozenset()
    match = _WRITE.match(sql)
    if match is None:
        return frozenset()
    return _fed_tables().get(match.group(1).lower(), frozenset())


def watch(execute: Callable[..., Any], sql: Any, params: Any, many: bool, context: dict[str, Any]) -> Any:
    """The execute wrapper on every connection: run the statement, then note what it changed."""
    result = execute(sql, params, many, context)
    if not _migrating:
        names = data_sets_written(sql)
        if names:
            mark_changed(*names, using=context["connection"].alias)
    return result


def install(connection: Any, **kwargs: Any) -> None:
    """Put ``watch`` on a connection (the ``connection_created`` receiver). First in the list,
    so that ``connection.execute_wrapper()`` blocks, which pop the last one, keep working."""
    if watch not in connection.execute_wrappers:
        connection.execute_wrappers.insert(0, watch)


# The data sets changed by the connection's current transaction, renewed when it commits.
_PENDING = "coopdx_versions_pending"


def _flush(using: str) -> None:
    connection = connections[using]
    names: set[str] = getattr(connection, _PENDING, set())
    setattr(connection, _PENDING, set())
    _bump(names, using=using)


def mark_changed(*names: str, using: str = DEFAULT_DB_ALIAS) -> None:
    """Renew the data sets' versions when the current transaction commits (at once outside one).

    ``watch`` calls it for every write it sees; call it yourself only for a change made outside
    Django's connection. One renewal per data set and transaction, however many rows changed:
    every write registers the same flush, and the first to run renews what the transaction
    changed (the others find nothing left). A write rolled back with its savepoint may still be
    counted: a version renewed once too often costs a recomputation, never a stale answer.
    """
    connection = connections[using]
    pending = getattr(connection, _PENDING, None)
    if pending is None:
        pending = set()
        setattr(connection, _PENDING, pending)
    pending.update(names)
    if not connection.in_atomic_block:
        _flush(using)
        return

    def renew_versions() -> None:
        _flush(using)

    transaction.on_commit(renew_versions, using=using, robust=True)


def _bump(names: Iterable[str], *, using: str) -> None:
    from .models import DataVersion

    names = sorted(set(names))
    if not names:
        return
    now = timezone.now()
    rows = DataVersion.objects.using(using)
    updated = rows.filter(name__in=names).update(counter=F("counter") + 1, changed_at=now)
    if updated < len(names):
        for name in names:
            rows.get_or_create(name=name, defaults={"counter": 1, "changed_at": now})


def bump_all(using: str = DEFAULT_DB_ALIAS) -> None:
    """Renew every data set's version (after ``migrate``, or a change made outside Django)."""
    _bump(FEEDS, using=using)


def migration_started(**kwargs: Any) -> None:
    global _migrating
    _migrating = True


def migration_finished(using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    global _migrating
    _migrating = False
    from .models import DataVersion

    try:
        if DataVersion._meta.db_table in connections[using].introspection.table_names():
            bump_all(using=using)
    except DatabaseError:  # pragma: no cover - a partial migrate without this app's table
        logger.warning("data set versions not renewed after migrate", exc_info=True)


@dataclass(frozen=True)
class Version:
    """A data set's version: ``token`` for validators and cache keys, ``changed_at`` its last
    renewal, ``values`` the extra columns read with it."""

    token: str
    changed_at: datetime.datetime | None
    values: dict[str, Any] = field(default_factory=dict)

    @property
    def last_modified(self) -> datetime.datetime | None:
        """The latest of the renewal and of the extra values that are date-times."""
        moments = [v for v in (self.changed_at, *self.values.values()) if isinstance(v, datetime.datetime)]
        return max(moments) if moments else None


def version(name: str, **extra: QuerySet[Any]) -> Version:
    """The data set's version, and ``extra`` one-value querysets read in the same query.

    e.g. ``version(REGISTRY, latest=Cooperative.objects.order_by("-updated_at")
    .values_list("updated_at", flat=True)[:1])``.
    """
    from .models import DataVersion

    annotations = {key: Subquery(queryset) for key, queryset in extra.items()}
    row = next(
        iter(
            DataVersion.objects.filter(name=name)
            .annotate(**annotations)
            .values_list("counter", "changed_at", *annotations)[:1]
        ),
        None,
    )
    if row is None:  # never renewed in this database (a flushed test database)
        values = {key: next(iter(queryset), None) for key, queryset in extra.items()}
        return Version(token="0", changed_at=None, values=values)
    counter, changed_at, *rest = row
    # The time as well as the counter: a database restored from a backup reuses counters.
    token = f"{counter}.{changed_at.timestamp():.6f}"
    return Version(token=token, changed_at=changed_at, values=dict(zip(extra, rest, strict=True)))


def stamp(name: str) -> str:
    """The data set's version token alone."""
    return version(name).token
