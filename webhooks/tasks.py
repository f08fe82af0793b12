"""Celery tasks of webhooks: thin, by id, safe to repeat (the delivery row is claimed)."""

import logging

from celery import shared_task

from . import sending
from .models import DeliveryState

logger = logging.getLogger(__name__)


@shared_task(name="webhooks.deliver")
def deliver(delivery_id: int) -> str:
    """Try one delivery; a failure to be retried queues the next try at its time (with a broker:
    in-process, eager tasks leave it to the sweep or to a later call)."""
    delivery = sending.delivery_send(delivery_id=delivery_id)
    if delivery.state == DeliveryState.PENDING and delivery.next_attempt_at and not deliver.app.conf.task_always_eager:
        deliver.apply_async((delivery_id,), eta=delivery.next_attempt_at)
    return delivery.state


@shared_task(name="webhooks.send_due")
def send_due() -> int:
    """The sweep (every few minutes, by beat): deliveries due whose queued task was lost."""
    due = sending.deliveries_due()
    for delivery_id in due:
        try:
            deliver(delivery_id)
        except Exception:  # one delivery's failure must not hold up the others
            logger.exception("webhook delivery %s could not be tried", delivery_id)
    return len(due)
