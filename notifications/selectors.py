"""Reads of notifications, scoped: a user's own list, and the officer's list of the unreached."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Case, Exists, OuterRef, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404

from .models import Delivery, DeliveryStatus, Notification

if TYPE_CHECKING:
    from accounts.models import User


def notification_list(*, user: User) -> QuerySet[Notification]:
    """The user's own notifications, unread first, newest first."""
    unread_first = Case(When(read_at__isnull=True, then=Value(0)), default=Value(1))
    return Notification.objects.filter(recipient=user).order_by(unread_first, "-created_at", "-pk")


def notification_get(*, user: User, pk: int) -> Notification:
    """One of the user's own notifications; anyone else's is 404, as a missing one."""
    return get_object_or_404(Notification, pk=pk, recipient=user)


def unread_count(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def not_reached() -> Q:
    """The rule of "could not be reached by any channel": still unread in the app, and no
    e-mail or Zalo delivery sent or still being tried (each failed, had no address, or the person
    turned every outside channel off)."""
    live = Delivery.objects.filter(
        notification=OuterRef("pk"),
        status__in=[DeliveryStatus.PENDING, DeliveryStatus.SENDING, DeliveryStatus.SENT],
    )
    return Q(read_at__isnull=True) & ~Q(Exists(live))


def unreached_list(*, user: User) -> QuerySet[Notification]:
    """Notifications that reached nobody, of people in the officer's province (the officers of
    the province and the members of its cooperatives); national roles see the whole country."""
    if not user.has_perm("notifications.view_unreached"):
        raise PermissionDenied
    notifications = Notification.objects.filter(not_reached())
    if not user.is_national:
        notifications = notifications.filter(
            Q(recipient__province_id=user.province_id) | Q(recipient__cooperative__province_id=user.province_id)
        )
    return notifications.select_related("recipient", "recipient__cooperative").prefetch_related("deliveries")
