"""Celery tasks of the indicators: thin; the work is in ``aggregation``.

``aggregate_indicators`` is the nightly beat entry. With real workers and a large registry it
fans out one ``aggregate_partition`` per province and joins them in ``aggregate_finish``
(a chord), so more workers on more machines shorten the run.
"""

from __future__ import annotations

from celery import chord, shared_task
from django.db import InterfaceError, OperationalError

from cooperatives.models import Province

from . import aggregation

TRANSIENT = (OperationalError, InterfaceError)


@shared_task(
    name="indicators.aggregate",
    bind=True,
    autoretry_for=TRANSIENT,
    retry_backoff=60,
    max_retries=3,
    soft_time_limit=50 * 60,
    time_limit=55 * 60,
)
def aggregate_indicators(self, round_code: str = "", trigger: str = "beat", user_id: int | None = None) -> int | None:
    if not aggregation.should_fan_out():
        return aggregation.aggregate_indicators(trigger=trigger, by=_user(user_id), round_code=round_code).pk
    try:
        run = aggregation.run_start(trigger=trigger, by=_user(user_id), round_code=round_code)
    except aggregation.AggregationBusy:
        return None
    try:
        round_ids = [r.pk for r in aggregation.rounds_for(round_code)]
        provinces = list(Province.objects.values_list("pk", flat=True))
        aggregation.AggregationRun.objects.filter(pk=run.pk).update(partitions_total=len(provinces))
        chord(aggregate_partition.s(run.pk, round_ids, pk) for pk in provinces)(aggregate_finish.s(run.pk, round_ids))
    except BaseException as error:
        aggregation.run_fail(run_id=run.pk, message=f"{type(error).__name__}: {error}")
        raise
    return run.pk


@shared_task(
    name="indicators.aggregate_partition",
    autoretry_for=TRANSIENT,
    retry_backoff=30,
    max_retries=3,
    soft_time_limit=20 * 60,
    time_limit=25 * 60,
)
def aggregate_partition(run_id: int, round_ids: list[int], province_id: int) -> dict:
    counts = aggregation.compute_partition(round_ids=round_ids, province_id=province_id)
    aggregation.partition_done(run_id=run_id)
    return counts


@shared_task(
    name="indicators.aggregate_finish",
    autoretry_for=TRANSIENT,
    retry_backoff=30,
    max_retries=3,
    soft_time_limit=20 * 60,
    time_limit=25 * 60,
)
def aggregate_finish(partitions: list[dict], run_id: int, round_ids: list[int]) -> int:
    return aggregation.finish_fan_out(run_id=run_id, round_ids=round_ids, partitions=partitions)


def _user(user_id: int | None):
    if user_id is None:
        return None
    from accounts.models import User

    return User.objects.filter(pk=user_id).first()
