"""Celery tasks of webhooks: thin, by id, safe to repeat (the delivery row is claimed)."""

from celery import shared_task

from . import sending
from .models import DeliveryState


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
        deliver(delivery_id)
    return len(due)
