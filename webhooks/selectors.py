"""Reads of webhooks: a person sees only their own subscriptions and their deliveries (404 otherwise)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.selectors import api_token_list

from .models import Delivery, Subscription

if TYPE_CHECKING:
    from accounts.models import ApiToken, User

LOG_LENGTH = 100


def subscription_list(*, user: User) -> QuerySet[Subscription]:
    return Subscription.objects.filter(owner=user).select_related("token", "province")


def subscription_get(*, user: User, pk: int) -> Subscription:
    return get_object_or_404(subscription_list(user=user), pk=pk)


def delivery_list(*, subscription: Subscription) -> QuerySet[Delivery]:
    """The log of a subscription (the user's, from ``subscription_get``), newest first, with each try."""
    return subscription.deliveries.prefetch_related("attempt_log")[:LOG_LENGTH]


def delivery_get(*, user: User, pk: int) -> Delivery:
    return get_object_or_404(Delivery.objects.select_related("subscription"), pk=pk, subscription__owner=user)


def tokens_to_subscribe(*, user: User) -> QuerySet[ApiToken]:
    """The tokens the user may subscribe with: those they see, neither revoked nor expired."""
    return api_token_list(user=user).filter(revoked_at__isnull=True, expires_at__gt=timezone.now())
