"""Emitting an event: one delivery per subscription that may see it, sent after the commit.

Scope, the one rule of the fan-out: a national subscription (its token has no province) sees
every event; a province's subscription only the events of its province; an event of no
province (the nation's indicators) goes to national subscriptions only. A subscription also
needs its token alive (neither revoked nor expired) and holding the scope that reads the
event's data (``EVENT_SCOPES``). The emitter gives each province's subscriptions only that
province's data (:func:`emit_by_province`).

Called inside the service's transaction: the rows are written with it, and queued by
``transaction.on_commit``, so an event of a transaction that rolls back is never sent.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable, Mapping
from functools import partial
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from .models import EVENT_SCOPES, Delivery, Subscription

logger = logging.getLogger(__name__)


def _plain(payload: Mapping[str, Any]) -> dict[str, Any]:
    """The payload as JSON values (dates as ISO text, decimals as text)."""
    return json.loads(json.dumps(payload, cls=DjangoJSONEncoder))


def subscribers(event: str) -> list[Subscription]:
    """The active subscriptions that chose ``event`` and whose token may read it (any province)."""
    scope = EVENT_SCOPES[event]
    found = Subscription.objects.filter(
        active=True,
        token__revoked_at__isnull=True,
        token__expires_at__gt=timezone.now(),
        token__user__is_active=True,  # as the API itself refuses a switched-off account's token
    ).select_related("token")
    # A handful of rows: the events and scopes are checked here, the same on every database.
    return [s for s in found if event in s.events and scope in s.token.scopes]


def emit(event: str, payload: Mapping[str, Any], province_id: int | None) -> int:
    """One event about ``province_id`` (None: about the whole country). Returns the deliveries made."""
    targets = [s for s in subscribers(event) if s.province_id is None or s.province_id == province_id]
    return _deliver(event, [(s, payload) for s in targets])


def emit_many(event: str, items: list[tuple[Mapping[str, Any], int | None]]) -> int:
    """Several events of one type (a bulk write: each a payload and its province), the
    subscriptions read once."""
    found = subscribers(event) if items else []
    made = 0
    for payload, province_id in items:
        targets = [s for s in found if s.province_id is None or s.province_id == province_id]
        made += _deliver(event, [(s, payload) for s in targets])
    return made


def emit_by_province(
    event: str,
    national: Mapping[str, Any] | None,
    provinces: Mapping[int, Mapping[str, Any]] | Callable[[set[int]], Mapping[int, Mapping[str, Any]]],
) -> int:
    """One event in two shapes: ``national`` (None: none) to national subscriptions, and
    ``provinces[p]`` to the subscriptions of province ``p`` (none where ``p`` is missing).
    ``provinces`` may be a function of the provinces that have subscriptions, called only then."""
    found = subscribers(event)
    wanted = {s.province_id for s in found if s.province_id is not None}
    shapes = (provinces(wanted) if wanted else {}) if callable(provinces) else provinces
    pairs: list[tuple[Subscription, Mapping[str, Any]]] = []
    for subscription in found:
        if subscription.province_id is None:
            if national is not None:
                pairs.append((subscription, national))
        elif subscription.province_id in shapes:
            pairs.append((subscription, shapes[subscription.province_id]))
    return _deliver(event, pairs)


def ping(subscription: Subscription) -> Delivery:
    """The test event of one subscription (its owner's button), sent after the commit."""
    from .models import PING

    return _deliver_rows(PING, [(subscription, {"message": "ping", "subscription": subscription.pk})])[0]


def _deliver(event: str, pairs: list[tuple[Subscription, Mapping[str, Any]]]) -> int:
    return len(_deliver_rows(event, pairs)) if pairs else 0


def _deliver_rows(event: str, pairs: list[tuple[Subscription, Mapping[str, Any]]]) -> list[Delivery]:
    event_id = uuid.uuid4()
    rows = Delivery.objects.bulk_create(
        [
            Delivery(subscription=subscription, event_id=event_id, event=event, payload=_plain(payload))
            for subscription, payload in pairs
        ]
    )
    for row in rows:
        transaction.on_commit(partial(queue, row.pk))
    return rows


def queue(delivery_id: int) -> None:
    """Queue one delivery's first attempt (after the commit). A broker that is down leaves it
    pending, logged; the sweep (``webhooks.send_due``) sends it later. Never fails the user's action."""
    from .tasks import deliver

    try:
        deliver.delay(delivery_id)
    except Exception:  # noqa: BLE001 - kombu raises several types when Redis is down
        if deliver.app.conf.task_always_eager:
            raise  # in-process: a real error of the task itself, not of the queue
        logger.exception("could not queue the webhook delivery %s", delivery_id)
