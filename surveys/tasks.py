"""Celery tasks of the surveys: thin and safe to run again (each notice goes once)."""

from celery import shared_task

from . import notices


@shared_task(name="surveys.send_round_notices")
def send_round_notices() -> int:
    """Daily (beat, 07:00 Viet Nam time): rounds opened, rounds closing soon."""
    return notices.round_notices_send()
