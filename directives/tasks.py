"""Celery tasks of directive tracking: thin, idempotent, safe to retry."""

from celery import shared_task

from . import reminders


@shared_task(name="directives.send_task_reminders")
def send_task_reminders() -> int:
    """Daily (beat, 07:00 Viet Nam time): e-mail reminders not yet sent; returns how many went."""
    return reminders.reminders_send().sent
