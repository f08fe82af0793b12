"""Putting work on the Celery queue, and what happens when the broker is down.

Pages and the API keep working without Redis; only work that needs the queue is affected.
Callers check :func:`queue_available` before accepting such work (so the user gets a clear
message instead of a job that never runs), and :func:`enqueue_on_commit` records a failure on
the job row if the broker vanishes between the check and the commit.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.db import transaction

from .health import broker_status

logger = logging.getLogger(__name__)


class QueueUnavailable(Exception):
    """The task queue (Redis) cannot be reached; nothing was queued."""


def queue_available() -> bool:
    return broker_status() in ("ok", "eager")


def enqueue_on_commit(task: Any, *args: Any, on_failure: Callable[[Exception], None] | None = None) -> None:
    """Send ``task`` after the surrounding transaction commits (never before the rows exist)."""

    def send() -> None:
        try:
            task.delay(*args)
        except Exception as error:  # noqa: BLE001 - kombu raises several types when Redis is down
            if task.app.conf.task_always_eager:
                raise  # in-process: a real error of the task itself, not of the queue
            logger.exception("could not queue %s%r", task.name, args)
            if on_failure is not None:
                on_failure(error)

    transaction.on_commit(send)
