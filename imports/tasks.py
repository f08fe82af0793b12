"""Celery tasks of the imports: thin, by id, safe to retry.

The task names are those the jobs were queued under before the import infrastructure had an
app of its own; they stay, so that a job queued before an upgrade still runs after it.
"""

from celery import shared_task

from . import jobs


@shared_task(name="cooperatives.validate_import_job")
def validate_import_job(job_id: int) -> str:
    return jobs.import_job_validate(job_id=job_id).status


@shared_task(name="cooperatives.apply_import_job")
def apply_import_job(job_id: int) -> str:
    return jobs.import_job_apply(job_id=job_id).status
