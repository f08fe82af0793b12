"""Celery tasks of the exports: thin, by id, safe to retry."""

from celery import shared_task

from . import services


@shared_task(name="exports.run_export_job")
def run_export_job(job_id: int) -> str:
    return services.export_job_run(job_id=job_id).status


@shared_task(name="exports.housekeeping")
def housekeeping() -> dict[str, int]:
    """Every 15 minutes (beat): fail the jobs whose worker died, delete the expired files."""
    return {
        "released": services.export_jobs_release_abandoned(),
        "expired": services.export_jobs_delete_expired(),
    }
