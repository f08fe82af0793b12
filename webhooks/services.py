"""Writes of webhooks: subscribe, switch off and on, remove, retry a delivery, send a test event.

The owner's pages (and the admin) come through here. A subscription takes its scope from an
API token its owner may see (``accounts.selectors.api_token_list``): the token's province, or
the whole country; it may choose only the events its token's scopes read.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.selectors import api_token_list
from notifications.models import NotificationKind
from notifications.services import notify

from . import events
from .addresses import check_url
from .models import EVENT_SCOPES, Delivery, DeliveryState, EventType, Subscription
from .signing import new_secret

if TYPE_CHECKING:
    from accounts.models import ApiToken, User

MANAGE = "webhooks.manage_webhooks"


@dataclass(frozen=True)
class NewSubscription:
    subscription: Subscription
    # Shown to the owner once, on the page that follows; deliveries are signed with it.
    secret: str


def _require(by: User, subscription: Subscription | None = None) -> None:
    if not by.has_perm(MANAGE) or (subscription is not None and subscription.owner_id != by.pk):
        raise PermissionDenied


def events_for(token: ApiToken) -> list[str]:
    """The events a token's scopes read."""
    return [event for event in EventType.values if EVENT_SCOPES[event] in token.scopes]


@transaction.atomic
def subscription_create(*, by: User, token: ApiToken, url: str, events: Iterable[str]) -> NewSubscription:
    """Subscribe ``url`` to ``events`` within ``token``'s scope (a token ``by`` may see, alive)."""
    _require(by)
    if not api_token_list(user=by).filter(pk=token.pk).exists():
        raise PermissionDenied
    chosen = sorted(set(events))
    errors: dict[str, list[str]] = {}
    if token.revoked_at is not None or token.expires_at <= timezone.now():
        errors["token"] = [_("This token is revoked or expired.")]
    if not chosen:
        errors["events"] = [_("Choose at least one event.")]
    elif not set(chosen) <= set(events_for(token)):
        errors["events"] = [_("The token's scopes do not read some of these events.")]
    try:
        check_url(url)
    except ValidationError as error:
        errors.setdefault("url", []).extend(error.messages)
    if errors:
        raise ValidationError(errors)
    secret = new_secret()
    subscription = Subscription(
        owner=by, token=token, province_id=token.province_id, url=url, events=chosen, secret=secret
    )
    subscription.full_clean()
    subscription.save()
    return NewSubscription(subscription=subscription, secret=secret)


@transaction.atomic
def subscription_disable(*, subscription: Subscription, reason: str, by: User | None = None) -> bool:
    """Switch a subscription off (its owner by hand, or the failures in a row) and tell its owner.
    Its waiting deliveries fail; they can be retried by hand. False if it was off already."""
    if by is not None:
        _require(by, subscription)
    now = timezone.now()
    switched = Subscription.objects.filter(pk=subscription.pk, active=True).update(
        active=False, disabled_at=now, disabled_reason=reason[:255]
    )
    if not switched:
        return False
    Delivery.objects.filter(subscription=subscription, state=DeliveryState.PENDING).update(
        state=DeliveryState.FAILED, next_attempt_at=None, error="the webhook is switched off"
    )
    subscription.refresh_from_db()
    if by is None:
        notify(
            kind=NotificationKind.WEBHOOK_DISABLED,
            recipients=[subscription.owner],
            key=f"webhook_disabled:{subscription.pk}:{int(now.timestamp())}",
            params={"url": subscription.url, "reason": subscription.disabled_reason},
            link=reverse("webhooks:detail", args=[subscription.pk]),
        )
    return True


@transaction.atomic
def subscription_enable(*, subscription: Subscription, by: User) -> Subscription:
    """Switch a subscription on again, its count of failures back to none."""
    _require(by, subscription)
    Subscription.objects.filter(pk=subscription.pk).update(
        active=True, disabled_at=None, disabled_reason="", consecutive_failures=0
    )
    subscription.refresh_from_db()
    return subscription


@transaction.atomic
def subscription_delete(*, subscription: Subscription, by: User) -> None:
    _require(by, subscription)
    subscription.delete()


@transaction.atomic
def subscription_ping(*, subscription: Subscription, by: User) -> Delivery:
    """Send the test event ``ping`` to an active subscription (after the commit)."""
    _require(by, subscription)
    if not subscription.active:
        raise ValidationError(_("Switch the webhook on before sending a test event."))
    return events.ping(subscription)


@transaction.atomic
def delivery_retry(*, delivery: Delivery, by: User) -> Delivery:
    """Send a failed delivery again, once, now (after the commit), on an active subscription."""
    _require(by, delivery.subscription)
    if not delivery.subscription.active:
        raise ValidationError(_("Switch the webhook on before retrying a delivery."))
    retried = Delivery.objects.filter(pk=delivery.pk, state=DeliveryState.FAILED).update(
        state=DeliveryState.PENDING, attempts=0, next_attempt_at=None, manual=True
    )
    if not retried:
        raise ValidationError(_("Only a failed delivery can be retried."))
    transaction.on_commit(lambda: events.queue(delivery.pk))
    delivery.refresh_from_db()
    return delivery
