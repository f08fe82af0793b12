"""Export jobs: start (recorded in the export trail), write in a worker, restart a failed one,
release one whose worker died, delete expired files. Every write of an export job passes here."""

from __future__ import annotations

import datetime
import logging
import tempfile
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit.exports import export_record
from coopdx.heartbeat import beating, claim, stale_before
from coopdx.queue import enqueue_on_commit, queue_available
from coopdx.replicas import replica_reads

from .models import ExportFormat, ExportJob, ExportKind, ExportStatus
from .sources import source_for
from .writers import write_dictionary, write_rows

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)


def export_job_start(
    *, kind: str, fmt: str, rounds: list[str] | None = None, provinces: list[str] | None = None, by: User
) -> ExportJob:
    """Queue an export of what ``by`` may read, narrowed to ``rounds`` and ``provinces`` (codes)."""
    if not by.has_perm("exports.start_export"):
        raise PermissionDenied
    if fmt == ExportFormat.SDMX_CSV and kind != ExportKind.INDICATORS:
        raise ValidationError(_("SDMX-CSV is a format for indicator figures only."))
    if not queue_available():
        raise ValidationError(_("The export service is temporarily unavailable (task queue down). Try again later."))
    job = ExportJob(
        kind=kind,
        fmt=fmt,
        rounds=sorted(set(rounds or [])),
        provinces=sorted(set(provinces or [])),
        created_by=by,
        language=translation.get_language() or "vi",
    )
    job.full_clean()
    job.save()
    export_record(user=by, action="start", kind=f"job_{kind}", fmt=fmt, filters=job.filters)
    _enqueue(job)
    return job


def _enqueue(job: ExportJob) -> None:
    from .tasks import run_export_job

    enqueue_on_commit(run_export_job, job.pk, on_failure=lambda error: _queue_failed(job.pk))


def _queue_failed(job_id: int) -> None:
    ExportJob.objects.filter(pk=job_id).update(
        status=ExportStatus.FAILED,
        message=_("The export could not be queued because the task queue is down. Start it again later."),
        finished_at=timezone.now(),
    )


def _progress(job_id: int, total: int):
    def report(done: int) -> None:
        ExportJob.objects.filter(pk=job_id).update(progress_done=min(done, total))

    return report


def export_job_run(*, job_id: int) -> ExportJob:
    """Write the job's file and dictionary, then offer them until ``EXPORT_KEEP_DAYS`` from now."""
    job = ExportJob.objects.select_related("created_by").get(pk=job_id)
    waiting = (ExportStatus.PENDING, ExportStatus.RUNNING)
    if job.status not in waiting or not claim(ExportJob, job.pk, status__in=waiting):
        return job  # done already, or being written by a live worker: nothing is done twice
    with translation.override(job.language):
        ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.RUNNING, progress_done=0, message="")
        try:
            with beating(ExportJob, job.pk), tempfile.TemporaryFile() as data, tempfile.TemporaryFile() as words:
                if not job.created_by.is_active or not job.created_by.has_perm("exports.start_export"):
                    raise PermissionDenied
                with replica_reads():  # the rows may be seconds old; the job's own row is read above
                    source = source_for(job, user=job.created_by)
                    ExportJob.objects.filter(pk=job.pk).update(progress_total=source.total)
                    written = write_rows(
                        data, source.rows, fmt=_plain_format(job.fmt), progress=_progress(job.pk, source.total)
                    )
                    write_dictionary(words, source.dictionary)
                stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
                stem = f"coopdx-{job.kind}-{job.pk}-{stamp}"
                extension = "ndjson" if job.fmt == ExportFormat.NDJSON else "csv"
                data.seek(0)
                words.seek(0)
                job.file.save(f"{stem}.{extension}.gz", File(data), save=False)
                job.dictionary.save(f"{stem}-tu-dien.csv", File(words), save=False)
                job.size = job.file.size
        except Exception as error:
            if not isinstance(error, PermissionDenied):
                logger.exception("export %s failed", job.pk)
            job.status = ExportStatus.FAILED
            job.message = _("The export failed; no file was kept. Start it again or contact the administrator.")
        else:
            job.status = ExportStatus.DONE
            job.progress_done = job.progress_total = written
            job.expires_at = timezone.now() + datetime.timedelta(days=settings.EXPORT_KEEP_DAYS)
        job.finished_at = timezone.now()
        job.heartbeat_at = None
        job.save()
    return job


def _plain_format(fmt: str) -> str:
    return "ndjson" if fmt == ExportFormat.NDJSON else "csv"


@transaction.atomic
def export_job_restart(*, job: ExportJob, by: User) -> ExportJob:
    """Start a failed job again (a worker died, the queue was down), with the same filters."""
    job = ExportJob.objects.select_for_update().get(pk=job.pk)
    if job.created_by_id != by.pk or not by.has_perm("exports.start_export"):
        raise PermissionDenied
    if job.status != ExportStatus.FAILED:
        raise ValidationError(_("Only a failed export can be started again."))
    job.status, job.progress_done, job.message, job.heartbeat_at, job.finished_at = (
        ExportStatus.PENDING,
        0,
        "",
        None,
        None,
    )
    job.save(update_fields=["status", "progress_done", "message", "heartbeat_at", "finished_at"])
    export_record(user=by, action="start", kind=f"job_{job.kind}", fmt=job.fmt, filters=job.filters)
    _enqueue(job)
    return job


def export_job_downloaded(*, job: ExportJob, by: User, part: str = "file") -> None:
    """Record the download of a job's file (or its dictionary) in the export trail."""
    kind = f"job_{job.kind}" if part == "file" else f"job_{job.kind}_dictionary"
    fmt = job.fmt if part == "file" else "csv"
    rows = job.progress_done if part == "file" else None
    export_record(user=by, action="download", kind=kind, fmt=fmt, filters={**job.filters, "job": job.pk}, rows=rows)


def export_jobs_release_abandoned() -> int:
    """Jobs whose worker is gone (no heartbeat for ``JOB_STALE_SECONDS``) are failed: nothing of
    them is offered (the file is stored only once complete); the page offers to start again."""
    silent = ExportJob.objects.filter(status=ExportStatus.RUNNING, heartbeat_at__lt=stale_before())
    released = 0
    for job in silent.only("pk", "language"):
        with translation.override(job.language):
            message = _("The export stopped: the server writing it was lost. No file was kept; start it again.")
        released += ExportJob.objects.filter(
            pk=job.pk, status=ExportStatus.RUNNING, heartbeat_at__lt=stale_before()
        ).update(status=ExportStatus.FAILED, heartbeat_at=None, finished_at=timezone.now(), message=message)
    return released


def export_jobs_delete_expired() -> int:
    """Delete the files of jobs past ``expires_at``; the page then says "expired"."""
    deleted = 0
    for job in ExportJob.objects.filter(status=ExportStatus.DONE, expires_at__lte=timezone.now()):
        for stored in (job.file, job.dictionary):
            if stored:
                stored.delete(save=False)
        job.status = ExportStatus.EXPIRED
        job.save(update_fields=["status", "file", "dictionary"])
        deleted += 1
    return deleted
