"""Celery tasks of directive tracking: thin, idempotent, safe to retry."""

from celery import shared_task

from . import notices, reminders


@shared_task(name="directives.send_task_reminders")
def send_task_reminders() -> int:
    """Daily (beat, 07:00 Viet Nam time): e-mail reminders to the lead agencies not yet sent, and
    the notifications of the people who report; returns how many e-mails went."""
    notices.task_notices_send()
    return reminders.reminders_send().sent
