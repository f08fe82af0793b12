"""Celery tasks of the registry: thin, by id, safe to retry."""

from celery import shared_task

from .importing import jobs


@shared_task(name="cooperatives.validate_import_job")
def validate_import_job(job_id: int) -> str:
    return jobs.import_job_validate(job_id=job_id).status


@shared_task(name="cooperatives.apply_import_job")
def apply_import_job(job_id: int) -> str:
    return jobs.import_job_apply(job_id=job_id).status
