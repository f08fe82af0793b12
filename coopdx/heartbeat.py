"""Heartbeats of long work, so that work whose process died is noticed within minutes.

A worker killed mid-task (out of memory, a deployment, a lost machine) leaves its row saying
"running" for ever, and whatever that row locks stays locked. While the work runs, a thread of
the same process writes the row's ``heartbeat_at`` every ``JOB_HEARTBEAT_SECONDS``; the thread
dies with the process, so a heartbeat older than ``JOB_STALE_SECONDS`` means nobody is doing the
work any more, and the owner of the row (``indicators.services``, ``imports.jobs``) releases it.
"""

from __future__ import annotations

import datetime
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import connections, models
from django.db.models import Q
from django.utils import timezone

logger = logging.getLogger(__name__)


def stale_before(seconds: float | None = None) -> datetime.datetime:
    """Rows whose heartbeat is older than this have lost their worker."""
    return timezone.now() - datetime.timedelta(seconds=seconds or settings.JOB_STALE_SECONDS)


def claim(model: type[models.Model], pk: int, **state: object) -> bool:
    """Take the row in ``state`` for this process, unless a live process beats on it.

    A message acknowledged late is delivered again when the broker connection drops while its
    task runs; the second delivery must not do the work a second time beside the first. A row
    beating within ``JOB_STALE_SECONDS`` is someone else's; a silent one (never started, or its
    worker is gone) is taken, in one conditional UPDATE so that two deliveries cannot both win.
    """
    free = Q(heartbeat_at__isnull=True) | Q(heartbeat_at__lt=stale_before())
    return bool(model._default_manager.filter(free, pk=pk, **state).update(heartbeat_at=timezone.now()))


@contextmanager
def beating(model: type[models.Model], pk: int) -> Iterator[None]:
    """Write ``heartbeat_at`` of the row now, then every ``JOB_HEARTBEAT_SECONDS`` until the block
    ends (from a thread with its own database connection, closed at the end)."""
    model._default_manager.filter(pk=pk).update(heartbeat_at=timezone.now())
    stop = threading.Event()
    thread = threading.Thread(
        target=_beat, args=(stop, model, pk), name=f"heartbeat-{model.__name__}-{pk}", daemon=True
    )
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=5)


def _beat(stop: threading.Event, model: type[models.Model], pk: int) -> None:
    try:
        while not stop.wait(settings.JOB_HEARTBEAT_SECONDS):
            try:
                model._default_manager.filter(pk=pk).update(heartbeat_at=timezone.now())
            except Exception:  # noqa: BLE001 - a missed beat is retried; the work goes on
                logger.warning("heartbeat of %s %s not written", model.__name__, pk, exc_info=True)
    finally:
        connections.close_all()  # this thread's connections only
