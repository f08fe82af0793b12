"""Writes of the indicators: the aggregation runs (the lock, failure, progress), the snapshot,
and the entry points the nightly task, the command and the dashboard's refresh button call.

The computation itself (set-based counts per partition, figures from summed counts) is in
``aggregation``, which writes nothing.
"""

from __future__ import annotations

import csv
import io
import operator
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F, ForeignKey, Q
from django.utils import timezone

from coopdx import versions
from coopdx.heartbeat import beating, stale_before
from coopdx.history import record_by
from cooperatives.models import Cooperative, Province
from surveys.models import SurveyRound

from .aggregation import build_figures, compute_partition, rounds_for
from .models import AggregationRun, IndicatorSnapshot, IndicatorTarget, RunStatus
from .receivers import REFERENCES
from .versioning import INDICATORS
from .webhook_events import indicators_recomputed

if TYPE_CHECKING:
    from accounts.models import User

# A fanned-out run's provinces wait in the queue without beating while workers are busy: it is
# given up only after a province's own time limit (tasks.aggregate_partition) without a beat.
FAN_OUT_STALE_SECONDS = 25 * 60


def should_fan_out() -> bool:
    """Fan out per province when real workers exist and the registry is large."""
    threshold = getattr(settings, "INDICATORS_FANOUT_THRESHOLD", 5000)
    return not settings.CELERY_TASK_ALWAYS_EAGER and Cooperative.objects.count() >= threshold


def merge_partitions(partitions: Iterable[dict[str, list[dict[str, Any]]]]) -> dict[str, list[dict[str, Any]]]:
    merged: dict[str, list[dict[str, Any]]] = {"registry": [], "responses": []}
    for partition in partitions:
        merged["registry"].extend(partition["registry"])
        merged["responses"].extend(partition["responses"])
    return merged


class AggregationBusy(Exception):
    """Another aggregation is running; this one did not start."""


def runs_release_abandoned() -> int:
    """Mark as abandoned the running computation whose worker is gone (no heartbeat for
    ``JOB_STALE_SECONDS``, or the province time limit for a fanned-out one), releasing the lock.
    Nothing of it was written: the snapshot is written in one transaction at its very end."""
    now = timezone.now()
    silent = Q(heartbeat_at__lt=stale_before()) | Q(heartbeat_at__isnull=True, started_at__lt=stale_before())
    fan_out_silent = Q(heartbeat_at__lt=stale_before(FAN_OUT_STALE_SECONDS)) | Q(
        heartbeat_at__isnull=True, started_at__lt=stale_before(FAN_OUT_STALE_SECONDS)
    )
    return AggregationRun.objects.filter(
        (Q(partitions_total__lte=1) & silent) | (Q(partitions_total__gt=1) & fan_out_silent),
        status=RunStatus.RUNNING,
    ).update(status=RunStatus.ABANDONED, finished_at=now, message="worker lost: no heartbeat")


def run_start(*, trigger: str, by: User | None = None, round_code: str = "") -> AggregationRun:
    """Take the lock (the one 'running' row) or raise AggregationBusy."""
    runs_release_abandoned()
    try:
        with transaction.atomic():
            return AggregationRun.objects.create(trigger=trigger, triggered_by=by, round_code=round_code)
    except IntegrityError as error:
        raise AggregationBusy from error


def run_fail(*, run_id: int, message: str) -> None:
    AggregationRun.objects.filter(pk=run_id, status=RunStatus.RUNNING).update(
        status=RunStatus.FAILED, finished_at=timezone.now(), message=message[:2000]
    )


@contextmanager
def failing_run(run_id: int) -> Iterator[None]:
    """Mark the run failed, with the error, when what is inside raises (then raise it again)."""
    try:
        yield
    except BaseException as error:
        run_fail(run_id=run_id, message=f"{type(error).__name__}: {error}")
        raise


def write_snapshot(*, run_id: int, figures: list[dict[str, Any]], rounds: list[SurveyRound]) -> int:
    """Replace the day's figures of these rounds in one transaction and close the run."""
    with transaction.atomic():
        # The run first, locked until the commit: the figures name it.
        run = AggregationRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None:
            raise MissingReference(f"indicators.AggregationRun {run_id} no longer exists")
        if run.status != RunStatus.RUNNING:
            # Given up as lost (no heartbeat): a later run may have written newer figures since.
            raise RunGivenUp(f"indicators.AggregationRun {run_id} is {run.status}: its figures are not written")
        now = timezone.now()
        day = timezone.localdate(run.started_at)
        AggregationRun.objects.filter(pk=run_id).update(
            status=RunStatus.SUCCEEDED,
            finished_at=now,
            rows_written=len(figures),
            partitions_done=run.partitions_total,
        )
        IndicatorSnapshot.objects.filter(snapshot_date=day, round__in=rounds).delete()
        check_references(run_id, figures)
        insert_figures(figures, run_id=run_id, snapshot_date=day, as_of=now)
        versions.mark_changed(INDICATORS)
        indicators_recomputed(run_id=run_id, day=day, rounds=rounds, figures=figures)
    return len(figures)


class RunGivenUp(Exception):
    """The run was marked abandoned while it computed; what it computed is not written."""


class MissingReference(IntegrityError):
    """A figure names a round, province, sector or ward that no longer exists."""


def check_references(run_id: int, figures: list[dict[str, Any]]) -> None:
    """Check what a foreign key would check, once per row referenced instead of once per figure:
    every round, province, sector and ward the figures name exists, and on PostgreSQL it is
    locked as a foreign key check locks it (``FOR KEY SHARE``: it cannot be deleted, or its key
    changed, before the snapshot is committed); the run is checked and locked by its own update.
    A missing row fails the run like a foreign key violation did (Django's IntegrityError)."""
    lock = " FOR KEY SHARE" if connection.vendor == "postgresql" else ""
    for name in REFERENCES:
        field = IndicatorSnapshot._meta.get_field(name)
        assert isinstance(field, ForeignKey)
        wanted = sorted({figure[field.attname] for figure in figures} - {None})
        model = field.related_model
        if not wanted or not isinstance(model, type):
            continue
        table = connection.ops.quote_name(model._meta.db_table)
        key = connection.ops.quote_name(str(model._meta.pk.column))
        marks = ", ".join(["%s"] * len(wanted))
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {key} FROM {table} WHERE {key} IN ({marks}){lock}", wanted)
            missing = set(wanted) - {row[0] for row in cursor.fetchall()}
        if missing:
            raise MissingReference(f"{model._meta.label} {sorted(missing)[:10]} no longer exist (run {run_id})")


def insert_figures(rows: list[dict[str, Any]], **constants: Any) -> None:
    """Insert the figures (``constants``: the columns every one of them shares, the run, the day
    and the time): on PostgreSQL with COPY (a tenth of the cost of building the model instances
    and their INSERT), elsewhere with ``bulk_create``. COPY does not pass through Django's
    execute wrappers: ``write_snapshot`` renews the indicators' version itself."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        IndicatorSnapshot.objects.bulk_create([IndicatorSnapshot(**row, **constants) for row in rows], batch_size=2000)
        return
    names = [*rows[0], *constants]
    shared = tuple(constants.values())
    values = operator.itemgetter(*rows[0]) if len(rows[0]) > 1 else lambda row, name=names[0]: (row[name],)
    column_of = {field.attname: str(field.column) for field in IndicatorSnapshot._meta.concrete_fields}
    columns = ", ".join(connection.ops.quote_name(column_of[name]) for name in names)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    # None is NULL (\N); an empty text stays empty.
    writer.writerows(["\\N" if value is None else value for value in (*values(row), *shared)] for row in rows)
    buffer.seek(0)
    table = connection.ops.quote_name(IndicatorSnapshot._meta.db_table)
    # The driver's own cursor (psycopg2, as pinned) raises psycopg2's errors: wrapped, they are
    # Django's (OperationalError and the rest), which the tasks retry on like any other write.
    with connection.cursor() as cursor, connection.wrap_database_errors:
        cursor.cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv, NULL '\\N')", buffer)


def aggregate_indicators(*, trigger: str = "command", by: User | None = None, round_code: str = "") -> AggregationRun:
    """Compute and store the indicators synchronously, in one partition (the command's path)."""
    run = run_start(trigger=trigger, by=by, round_code=round_code)
    with failing_run(run.pk), beating(AggregationRun, run.pk):
        rounds = rounds_for(round_code)
        AggregationRun.objects.filter(pk=run.pk).update(partitions_total=1)
        counts = compute_partition(round_ids=[r.pk for r in rounds])
        write_snapshot(run_id=run.pk, figures=build_figures(counts, rounds), rounds=rounds)
    run.refresh_from_db()
    return run


@dataclass(frozen=True)
class FanOut:
    """A started run to compute per province on several workers, then join."""

    run_id: int
    round_ids: list[int]
    province_ids: list[int]


def indicators_refresh(*, trigger: str, by: User | None = None, round_code: str = "") -> AggregationRun | FanOut | None:
    """The nightly job's and the refresh button's entry: compute now in one partition (a small
    registry, or no real workers), or start a run to fan out per province (``FanOut``, which
    the task turns into a Celery chord). None when another run holds the lock and this one was
    to fan out; the synchronous path raises ``AggregationBusy`` as the command expects."""
    if not should_fan_out():
        return aggregate_indicators(trigger=trigger, by=by, round_code=round_code)
    try:
        run = run_start(trigger=trigger, by=by, round_code=round_code)
    except AggregationBusy:
        return None
    with failing_run(run.pk):
        round_ids = [r.pk for r in rounds_for(round_code)]
        province_ids = list(Province.objects.values_list("pk", flat=True))
        AggregationRun.objects.filter(pk=run.pk).update(partitions_total=len(province_ids))
    return FanOut(run_id=run.pk, round_ids=round_ids, province_ids=province_ids)


def partition_compute(*, run_id: int, round_ids: list[int], province_id: int) -> dict[str, list[dict[str, Any]]]:
    """One province's counts for a fanned-out run (a worker's share), its progress counted."""
    with beating(AggregationRun, run_id):
        counts = compute_partition(round_ids=round_ids, province_id=province_id)
    AggregationRun.objects.filter(pk=run_id).update(partitions_done=F("partitions_done") + 1)
    return counts


def finish_fan_out(*, run_id: int, round_ids: list[int], partitions: list[dict[str, list[dict[str, Any]]]]) -> int:
    """Join the provinces' counts into one snapshot (the chord's callback)."""
    with failing_run(run_id), beating(AggregationRun, run_id):
        rounds = list(SurveyRound.objects.filter(pk__in=round_ids).order_by("opens_on"))
        return write_snapshot(run_id=run_id, figures=build_figures(merge_partitions(partitions), rounds), rounds=rounds)


def trigger_refresh(*, by: User) -> None:
    """A national admin asks for a refresh from the dashboard: queue it after the commit."""
    from coopdx.queue import QueueUnavailable, queue_available

    from .tasks import aggregate_indicators as task

    if not queue_available():
        raise QueueUnavailable
    transaction.on_commit(lambda: task.delay(trigger="manual", user_id=by.pk))


def target_save(*, target: IndicatorTarget, by: User) -> IndicatorTarget:
    """Create or change a target (the admin's path): the model's rules, and its history under ``by``."""
    target.full_clean()
    record_by(target, by)
    target.save()
    return target
