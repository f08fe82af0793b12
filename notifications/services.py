"""Writes of notifications: making them for an event, sending them, reading them, settings.

The apps above call :func:`notify` from their own services, inside their transaction; the
deliveries are queued when it commits. Sending (:func:`delivery_send`) is safe to run any number
of times for a delivery: it claims the row by a conditional UPDATE and does nothing once the
row is sent, failed or skipped.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable, Mapping
from functools import partial
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from .backends import NoAddress, PermanentFailure, TransientFailure, channel_for, enabled_channels
from .messages import render, stored_params
from .models import Delivery, DeliveryStatus, Notification, NotificationPreference

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)

# A claim older than this belongs to a worker that died mid-send: the row may be claimed again.
STALE_CLAIM = datetime.timedelta(minutes=10)
# A delivery still pending this long after its event, never tried, was not queued (the broker was
# down at commit) ...
UNQUEUED_AFTER = datetime.timedelta(minutes=5)
# ... and one tried and pending past Celery's longest backoff (the task's retry_backoff_max, 30
# minutes) lost its retry with the worker that held it.
RETRY_LOST_AFTER = datetime.timedelta(minutes=45)


def preference_for(user: User) -> NotificationPreference:
    """The user's settings (the defaults, unsaved, until they choose)."""
    found = NotificationPreference.objects.filter(user=user).first()
    return found or NotificationPreference(user=user, language=settings.LANGUAGE_CODE)


@transaction.atomic
def preference_save(*, user: User, email: bool, zalo: bool, language: str, by: User) -> NotificationPreference:
    """Save the user's own channels and language (no one else's)."""
    if by.pk != user.pk:
        raise PermissionDenied
    preference = preference_for(user)
    preference.email, preference.zalo, preference.language = email, zalo, language
    preference.full_clean()
    preference.save()
    return preference


def notify(
    *, kind: str, recipients: Iterable[User], key: str, params: Mapping[str, Any], link: str = ""
) -> list[Notification]:
    """Notify each active recipient of one event, once: a recipient who already has a
    notification with ``key`` gets nothing more. Returns the notifications made now; their
    e-mail and Zalo deliveries (by each one's settings) are queued on commit."""
    people = {user.pk: user for user in recipients if user.is_active}
    if not people:
        return []
    known = set(Notification.objects.filter(key=key, recipient__in=list(people)).values_list("recipient", flat=True))
    new = [user for pk, user in people.items() if pk not in known]
    if not new:
        return []
    preferences = {p.user_id: p for p in NotificationPreference.objects.filter(user__in=[u.pk for u in new])}
    stored = stored_params(params)
    rows = []
    for user in new:
        preference = preferences.get(user.pk) or NotificationPreference(user=user, language=settings.LANGUAGE_CODE)
        subject, body, _values = render(kind, stored, preference.language)
        rows.append(
            Notification(
                recipient=user,
                kind=kind,
                key=key,
                subject=subject,
                body=body,
                link=link,
                params=stored,
                language=preference.language,
            )
        )
    # Another run may have notified some of them since the read above: theirs are kept.
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    made = list(Notification.objects.filter(key=key, recipient__in=[u.pk for u in new], deliveries__isnull=True))
    channels = enabled_channels()
    deliveries = [
        Delivery(notification=notification, channel=channel)
        for notification in made
        for channel in channels
        if (preferences.get(notification.recipient_id) or NotificationPreference()).wants(channel)
    ]
    Delivery.objects.bulk_create(deliveries, ignore_conflicts=True)
    for pk in Delivery.objects.filter(notification__in=made, status=DeliveryStatus.PENDING).values_list(
        "pk", flat=True
    ):
        transaction.on_commit(partial(_queue, pk))
    return made


def _queue(delivery_id: int) -> None:
    """Queue one delivery (after the commit). Without a broker it is sent here, its attempts one
    after the other (Celery's eager mode raises a retry instead of running it); a broker that is
    down leaves the delivery pending and logged, never fails the user's action."""
    from .tasks import deliver

    if deliver.app.conf.task_always_eager:
        for _attempt in range(settings.NOTIFICATION_MAX_ATTEMPTS):
            try:
                delivery_send(delivery_id=delivery_id)
                return
            except TransientFailure:
                continue
        return
    try:
        deliver.delay(delivery_id)
    except Exception:  # noqa: BLE001 - kombu raises several types when Redis is down
        logger.exception("could not queue the delivery %s", delivery_id)


def deliveries_requeue_stalled(*, now: datetime.datetime | None = None, limit: int = 500) -> int:
    """Queue again the deliveries nothing will send otherwise: never queued, a retry lost, or a
    claim left by a worker that died (run every few minutes by beat). Sending claims the row, so a
    delivery queued twice is still sent once."""
    now = now or timezone.now()
    stalled = (
        Q(status=DeliveryStatus.PENDING, claimed_at__isnull=True, notification__created_at__lt=now - UNQUEUED_AFTER)
        | Q(status=DeliveryStatus.PENDING, claimed_at__lt=now - RETRY_LOST_AFTER)
        | Q(status=DeliveryStatus.SENDING, claimed_at__lt=now - STALE_CLAIM)
    )
    ids = list(Delivery.objects.filter(stalled).order_by("pk").values_list("pk", flat=True)[:limit])
    for pk in ids:
        _queue(pk)
    if ids:
        logger.warning("queued again %s stalled notification deliveries", len(ids))
    return len(ids)


def _claim(delivery_id: int, now: datetime.datetime) -> bool:
    claimable = Q(status=DeliveryStatus.PENDING) | Q(status=DeliveryStatus.SENDING, claimed_at__lt=now - STALE_CLAIM)
    return bool(
        Delivery.objects.filter(claimable, pk=delivery_id).update(
            status=DeliveryStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
    )


def _finish(delivery: Delivery, status: str, **fields: Any) -> Delivery:
    changes = {"status": status, **fields}
    Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.SENDING).update(**changes)
    for name, value in changes.items():
        setattr(delivery, name, value)
    log = logger.info if status == DeliveryStatus.SENT else logger.warning
    log(
        "notification %s by %s: %s (attempt %s) %s",
        delivery.notification_id,
        delivery.channel,
        status,
        delivery.attempts,
        fields.get("last_error", ""),
    )
    return delivery


def delivery_send(*, delivery_id: int) -> Delivery:
    """Try to send one delivery. A transient failure puts it back to pending and is raised (the
    task retries it with backoff) until the last attempt, when the delivery fails for good."""
    if not _claim(delivery_id, timezone.now()):
        return Delivery.objects.get(pk=delivery_id)  # sent, failed, skipped, or being sent
    delivery = Delivery.objects.select_related("notification__recipient").get(pk=delivery_id)
    channel = channel_for(delivery.channel)
    try:
        address = channel.address(delivery.notification.recipient)
        delivery.address = address
        provider_id = channel.send(notification=delivery.notification, address=address, tracking_id=str(delivery.pk))
    except NoAddress as error:
        return _finish(delivery, DeliveryStatus.SKIPPED, last_error=str(error), address=delivery.address)
    except PermanentFailure as error:
        return _finish(delivery, DeliveryStatus.FAILED, last_error=str(error), address=delivery.address)
    except TransientFailure as error:
        if delivery.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS:
            return _finish(delivery, DeliveryStatus.FAILED, last_error=str(error), address=delivery.address)
        _finish(delivery, DeliveryStatus.PENDING, last_error=str(error), address=delivery.address)
        raise
    return _finish(
        delivery,
        DeliveryStatus.SENT,
        provider_id=provider_id[:128],
        sent_at=timezone.now(),
        last_error="",
        address=delivery.address,
    )


def notification_mark_read(*, notification: Notification, by: User) -> Notification:
    """Mark one of the user's own notifications read (the view finds it through the selector)."""
    if notification.recipient_id != by.pk:
        raise PermissionDenied
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=notification.read_at)
    return notification


def notifications_mark_all_read(*, by: User) -> int:
    return Notification.objects.filter(recipient=by, read_at__isnull=True).update(read_at=timezone.now())
