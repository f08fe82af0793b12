"""Celery tasks of the indicators: thin; each calls one service of ``services``.

``aggregate_indicators`` is the nightly beat entry. With real workers and a large registry it
fans out one ``aggregate_partition`` per province and joins them in ``aggregate_finish``
(a chord), so more workers on more machines shorten the run.
"""

from __future__ import annotations

from celery import chord, shared_task
from django.db import InterfaceError, OperationalError

from . import continuous, services

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
    result = services.indicators_refresh(trigger=trigger, by=_user(user_id), round_code=round_code)
    if not isinstance(result, services.FanOut):
        return result.pk if result is not None else None
    with services.failing_run(result.run_id):
        partitions = (aggregate_partition.s(result.run_id, result.round_ids, pk) for pk in result.province_ids)
        chord(partitions)(aggregate_finish.s(result.run_id, result.round_ids))
    return result.run_id


@shared_task(
    name="indicators.aggregate_partition",
    autoretry_for=TRANSIENT,
    retry_backoff=30,
    max_retries=3,
    soft_time_limit=20 * 60,
    time_limit=25 * 60,
)
def aggregate_partition(run_id: int, round_ids: list[int], province_id: int) -> dict:
    return services.partition_compute(run_id=run_id, round_ids=round_ids, province_id=province_id)


@shared_task(
    name="indicators.aggregate_finish",
    autoretry_for=TRANSIENT,
    retry_backoff=30,
    max_retries=3,
    soft_time_limit=20 * 60,
    time_limit=25 * 60,
)
def aggregate_finish(partitions: list[dict], run_id: int, round_ids: list[int]) -> int:
    return services.finish_fan_out(run_id=run_id, round_ids=round_ids, partitions=partitions)


def _user(user_id: int | None):
    if user_id is None:
        return None
    from accounts.models import User

    return User.objects.filter(pk=user_id).first()


@shared_task(
    name="indicators.follow_changes", autoretry_for=TRANSIENT, max_retries=0, soft_time_limit=50, time_limit=55
)
def follow_changes() -> int | None:
    """Every minute (a beat entry that expires before the next): today's figures follow the changes."""
    run = continuous.figures_follow_changes()
    return run.pk if run is not None else None
