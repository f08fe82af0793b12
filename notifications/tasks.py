"""Celery tasks of notifications: thin, by id, safe to retry (the delivery row is claimed)."""

from celery import shared_task

from . import services
from .backends import TransientFailure


@shared_task(
    name="notifications.deliver",
    autoretry_for=(TransientFailure,),
    retry_backoff=30,
    retry_backoff_max=30 * 60,
    retry_jitter=True,
    # The service fails the delivery for good on its last attempt (NOTIFICATION_MAX_ATTEMPTS).
    max_retries=None,
)
def deliver(delivery_id: int) -> str:
    return services.delivery_send(delivery_id=delivery_id).status


@shared_task(name="notifications.requeue_stalled")
def requeue_stalled() -> int:
    return services.deliveries_requeue_stalled()
