"""Import jobs: the browser's two-step import (check, then confirm) as rows a page polls.

One job model serves every kind of file a domain registered (:mod:`imports.kinds`: the
registry, paper self-assessments); each kind has an importer with ``plan`` (check every row,
write nothing) and ``apply`` (write a clean plan, all or nothing). The management commands
call the same :func:`import_bytes`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from coopdx.heartbeat import beating, claim, stale_before
from coopdx.queue import enqueue_on_commit, queue_available

from .files import MAX_FILE_BYTES, ImportFileError, read_table
from .kinds import Plan, importer_for
from .models import ImportJob, ImportJobStatus
from .notices import import_job_finished

if TYPE_CHECKING:
    from accounts.models import User
    from cooperatives.models import Province

logger = logging.getLogger(__name__)


def import_bytes(
    *,
    kind: str,
    filename: str,
    content: bytes,
    scope_province: Province | None,
    by: User | None,
    dry_run: bool,
    options: dict[str, Any] | None = None,
) -> tuple[Plan, dict[str, int] | None]:
    """Check a file and, unless ``dry_run`` or any row is bad, write it. Raises ImportFileError."""
    importer = importer_for(kind)
    sheet = read_table(filename, content, importer.sheet_name)
    plan = importer.plan(sheet=sheet, options=options or {}, scope_province=scope_province, progress=None)
    if dry_run or not plan.ok:
        return plan, None
    return plan, importer.apply(plan=plan, by=by)


def import_job_create(
    *, uploaded_file: UploadedFile, by: User, kind: str, options: dict[str, Any] | None = None
) -> ImportJob:
    """Store an upload and queue its check. Officers' imports are bound to their province."""
    importer = importer_for(kind)
    if not by.has_perm(importer.permission):
        raise PermissionDenied
    options = options or {}
    try:
        importer.check_options(options=options, by=by)
    except ValidationError as error:
        raise ImportFileError(" ".join(error.messages)) from error
    name = uploaded_file.name or ""
    if not name.lower().endswith((".xlsx", ".csv")):
        raise ImportFileError(_("Only .xlsx (Excel) and .csv files can be imported."))
    if uploaded_file.size and uploaded_file.size > MAX_FILE_BYTES:
        raise ImportFileError(_("The file is larger than %(limit)s MB.") % {"limit": MAX_FILE_BYTES // (1024 * 1024)})
    if not uploaded_file.size:
        raise ImportFileError(_("The file is empty."))
    if not queue_available():
        raise ImportFileError(
            _("The import service is temporarily unavailable (task queue down). Nothing was saved; try again later.")
        )
    job = ImportJob.objects.create(
        kind=kind,
        options=options,
        file=uploaded_file,
        original_name=name[:255],
        created_by=by,
        scope_province=by.province if by.is_officer else None,
        language=translation.get_language() or "vi",
    )
    from .tasks import validate_import_job

    enqueue_on_commit(validate_import_job, job.pk, on_failure=lambda error: _queue_failed(job.pk))
    return job


def _queue_failed(job_id: int) -> None:
    ImportJob.objects.filter(pk=job_id).update(
        status=ImportJobStatus.FAILED,
        message=_("The import could not be queued because the task queue is down. Upload the file again later."),
        finished_at=timezone.now(),
    )


def job_file_content(job: ImportJob) -> bytes:
    with job.file.open("rb") as handle:
        return handle.read()


def _progress(job_id: int) -> Callable[[int, int], None]:
    def report(done: int, total: int) -> None:
        ImportJob.objects.filter(pk=job_id).update(progress_done=done, progress_total=total)

    return report


def import_job_validate(*, job_id: int) -> ImportJob:
    """Check every row of the job's file (a dry run) and record the preview."""
    job = ImportJob.objects.select_related("scope_province").get(pk=job_id)
    checking = (ImportJobStatus.PENDING, ImportJobStatus.VALIDATING)
    if job.status not in checking or not claim(ImportJob, job.pk, status__in=checking):
        return job  # already checked, or being checked by a live worker: nothing is done twice
    with translation.override(job.language):
        job.status = ImportJobStatus.VALIDATING
        job.save(update_fields=["status"])
        try:
            with beating(ImportJob, job.pk):
                importer = importer_for(job.kind)
                sheet = read_table(job.original_name, job_file_content(job), importer.sheet_name)
                plan = importer.plan(
                    sheet=sheet, options=job.options, scope_province=job.scope_province, progress=_progress(job.pk)
                )
        except ImportFileError as error:
            job.status, job.message = ImportJobStatus.INVALID, str(error)
        else:
            job.summary, job.errors = plan.summary(), plan.stored_errors()
            job.status = ImportJobStatus.READY if plan.ok else ImportJobStatus.INVALID
            job.progress_done = job.progress_total = plan.total_rows
        job.finished_at = timezone.now()
        job.save()
    import_job_finished(job=job, step="check")
    return job


@transaction.atomic
def import_job_confirm(*, job: ImportJob, by: User) -> ImportJob:
    """The user confirms a checked file: queue the write."""
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.created_by_id != by.pk and not by.is_national_admin:
        raise PermissionDenied
    if job.status != ImportJobStatus.READY:
        raise ImportFileError(_("This import cannot be confirmed in its current state."))
    job.status = ImportJobStatus.IMPORTING
    job.progress_done = 0
    job.heartbeat_at = None  # the check's beats say nothing of the write, which has not started
    job.message = ""
    job.save(update_fields=["status", "progress_done", "heartbeat_at", "message"])
    if not queue_available():
        raise ImportFileError(
            _("The import service is temporarily unavailable (task queue down). Nothing was saved; try again later.")
        )
    from .tasks import apply_import_job

    enqueue_on_commit(apply_import_job, job.pk, on_failure=lambda error: _queue_failed(job.pk))
    return job


def import_job_apply(*, job_id: int) -> ImportJob:
    """Write a confirmed job. The file is checked again, since the data may have moved."""
    job = ImportJob.objects.select_related("scope_province", "created_by").get(pk=job_id)
    if job.status != ImportJobStatus.IMPORTING or not claim(ImportJob, job.pk, status=ImportJobStatus.IMPORTING):
        return job  # done already, never confirmed, or being written by a live worker
    with translation.override(job.language):
        try:
            with beating(ImportJob, job.pk):
                plan, result = import_bytes(
                    kind=job.kind,
                    filename=job.original_name,
                    content=job_file_content(job),
                    scope_province=job.scope_province,
                    by=job.created_by,
                    dry_run=False,
                    options=job.options,
                )
        except ImportFileError as error:
            job.status, job.message = ImportJobStatus.INVALID, str(error)
        except Exception:
            logger.exception("import %s failed", job.pk)
            job.status = ImportJobStatus.FAILED
            job.message = _("The import failed and nothing was written. Try again or contact the administrator.")
        else:
            job.summary, job.errors = plan.summary(), plan.stored_errors()
            if result is None:
                job.status = ImportJobStatus.INVALID
            else:
                job.status = ImportJobStatus.DONE
                job.summary = {**job.summary, **result}
                job.progress_done = plan.total_rows
        job.finished_at = timezone.now()
        job.save()
    import_job_finished(job=job, step="import")
    return job


def import_jobs_release_abandoned() -> int:
    """Jobs whose worker is gone (no heartbeat for ``JOB_STALE_SECONDS``) go back to where the
    user can act: a check that stopped is failed (upload the file again), a write that stopped is
    ready to be confirmed again. Nothing of a stopped write is kept: it runs in one transaction."""
    silent = ImportJob.objects.filter(
        heartbeat_at__lt=stale_before(), status__in=[ImportJobStatus.VALIDATING, ImportJobStatus.IMPORTING]
    )
    released = 0
    for job in silent.only("pk", "status", "language"):
        with translation.override(job.language):
            if job.status == ImportJobStatus.VALIDATING:
                changes = {
                    "status": ImportJobStatus.FAILED,
                    "finished_at": timezone.now(),
                    "message": _(
                        "The check stopped: the server working on it was lost. Nothing was written; "
                        "upload the file again."
                    ),
                }
            else:
                changes = {
                    "status": ImportJobStatus.READY,
                    "progress_done": 0,
                    "message": _(
                        "The import stopped before it finished: the server working on it was lost. Nothing was "
                        "written (all rows or none). Confirm again to import the file."
                    ),
                }
        # Only if it is still silent: a late beat means the worker is alive after all.
        released += ImportJob.objects.filter(pk=job.pk, status=job.status, heartbeat_at__lt=stale_before()).update(
            heartbeat_at=None, **changes
        )
    return released
