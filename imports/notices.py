"""Telling the user who uploaded a file that its check or its import finished, or failed."""

from __future__ import annotations

from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from notifications.models import NotificationKind
from notifications.services import notify

from .models import ImportJob, ImportJobStatus

KINDS = {
    ImportJobStatus.READY: NotificationKind.IMPORT_READY,
    ImportJobStatus.DONE: NotificationKind.IMPORT_DONE,
    ImportJobStatus.INVALID: NotificationKind.IMPORT_FAILED,
    ImportJobStatus.FAILED: NotificationKind.IMPORT_FAILED,
}


def import_job_finished(*, job: ImportJob, step: str) -> None:
    """After ``step`` ("check" or "import") ended with the job's status; once per job and step."""
    kind = KINDS.get(ImportJobStatus(job.status))
    if kind is None:
        return
    # The job's message is in the uploader's language already; the count of errors is written in
    # the language of the notification.
    reason = job.message or format_lazy(
        _("errors were found in {count} rows; open the import to see them."), count=len(job.errors)
    )
    notify(
        kind=kind,
        recipients=[job.created_by],
        key=f"import:{job.pk}:{step}",
        params={"file": job.original_name, "reason": reason},
        link=reverse("cooperatives:import_job", args=[job.pk]),
    )
