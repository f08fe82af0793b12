"""The webhook event of a posted directive task report (``task_report.posted``): the report's
figures and its task, not its narrative or files (read through the API), nor who posted it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import webhooks

if TYPE_CHECKING:
    from .models import TaskReport

EVENT = "task_report.posted"


def report_posted(*, report: TaskReport) -> int:
    """Emit the event (inside the report's transaction): a province's task to that province's
    subscriptions and the nation's, a national task to national subscriptions only."""
    task = report.task
    payload = {
        "report": report.pk,
        "task": task.pk,
        "task_code": task.code,
        "document": task.document_id,
        "province": task.province.code if task.province is not None else None,
        "status": report.status,
        "percent_done": report.percent_done,
        "period_start": report.period_start,
        "submitted_at": report.submitted_at,
    }
    return webhooks.emit(EVENT, payload, task.province_id)
