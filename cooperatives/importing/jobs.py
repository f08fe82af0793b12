"""Import jobs: the browser's two-step import (check, then confirm) as rows a page polls.

The same functions serve the management command, so a rule holds on both paths.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ..models import ImportJob, ImportJobStatus, Province
from .files import MAX_FILE_BYTES, ImportFileError, read_table
from .registry import ImportPlan, registry_import_apply, registry_import_plan

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)


def registry_import_bytes(
    *, filename: str, content: bytes, scope_province: Province | None, by: User | None, dry_run: bool
) -> tuple[ImportPlan, dict[str, int] | None]:
    """Check a file and, unless ``dry_run`` or any row is bad, write it. Raises ImportFileError."""
    sheet = read_table(filename, content)
    plan = registry_import_plan(sheet=sheet, scope_province=scope_province)
    if dry_run or not plan.ok:
        return plan, None
    return plan, registry_import_apply(plan=plan, by=by)


def import_job_create(*, uploaded_file: UploadedFile, by: User) -> ImportJob:
    """Store an upload and queue its check. Officers' imports are bound to their province."""
    if not by.has_perm("cooperatives.import_cooperatives"):
        raise PermissionDenied
    name = uploaded_file.name or ""
    if not name.lower().endswith((".xlsx", ".csv")):
        raise ImportFileError(_("Only .xlsx (Excel) and .csv files can be imported."))
    if uploaded_file.size and uploaded_file.size > MAX_FILE_BYTES:
        raise ImportFileError(_("The file is larger than %(limit)s MB.") % {"limit": MAX_FILE_BYTES // (1024 * 1024)})
    if not uploaded_file.size:
        raise ImportFileError(_("The file is empty."))
    job = ImportJob.objects.create(
        file=uploaded_file,
        original_name=name[:255],
        created_by=by,
        scope_province=by.province if by.is_officer else None,
        language=translation.get_language() or "vi",
    )
    from ..tasks import validate_import_job

    transaction.on_commit(lambda: validate_import_job.delay(job.pk))
    return job


def _read(job: ImportJob) -> bytes:
    with job.file.open("rb") as handle:
        return handle.read()


def _progress(job_id: int):
    def report(done: int, total: int) -> None:
        ImportJob.objects.filter(pk=job_id).update(progress_done=done, progress_total=total)

    return report


def import_job_validate(*, job_id: int) -> ImportJob:
    """Check every row of the job's file (a dry run) and record the preview."""
    job = ImportJob.objects.select_related("scope_province").get(pk=job_id)
    if job.status not in (ImportJobStatus.PENDING, ImportJobStatus.VALIDATING):
        return job  # already checked: a retried task does nothing twice
    with translation.override(job.language):
        job.status = ImportJobStatus.VALIDATING
        job.save(update_fields=["status"])
        try:
            sheet = read_table(job.original_name, _read(job))
            plan = registry_import_plan(sheet=sheet, scope_province=job.scope_province, progress=_progress(job.pk))
        except ImportFileError as error:
            job.status, job.message = ImportJobStatus.INVALID, str(error)
        else:
            job.summary, job.errors = plan.summary(), plan.stored_errors()
            job.status = ImportJobStatus.READY if plan.ok else ImportJobStatus.INVALID
            job.progress_done = job.progress_total = plan.total_rows
        job.finished_at = timezone.now()
        job.save()
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
    job.save(update_fields=["status", "progress_done"])
    from ..tasks import apply_import_job

    transaction.on_commit(lambda: apply_import_job.delay(job.pk))
    return job


def import_job_apply(*, job_id: int) -> ImportJob:
    """Write a confirmed job. The file is checked again, since the registry may have moved."""
    job = ImportJob.objects.select_related("scope_province", "created_by").get(pk=job_id)
    if job.status != ImportJobStatus.IMPORTING:
        return job  # done already, or never confirmed
    with translation.override(job.language):
        try:
            plan, result = registry_import_bytes(
                filename=job.original_name,
                content=_read(job),
                scope_province=job.scope_province,
                by=job.created_by,
                dry_run=False,
            )
        except ImportFileError as error:
            job.status, job.message = ImportJobStatus.INVALID, str(error)
        except Exception:
            logger.exception("registry import %s failed", job.pk)
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
    return job
