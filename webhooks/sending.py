"""Sending a delivery: claim the row, POST the signed body, log the answer, plan the next try.

:func:`delivery_send` is safe to run any number of times for a delivery: it claims the row by a
conditional UPDATE (pending and due, or a claim left by a worker that died) and does nothing
otherwise. A 2xx answer is success. Anything else (another status, a refused connection, a
timeout) is retried after ``WEBHOOK_RETRY_DELAYS[n]`` seconds (the n-th retry); after the last
the delivery fails, and ``WEBHOOK_DISABLE_AFTER`` failed deliveries in a row switch the
subscription off and tell its owner. A delivery retried by hand is tried once.
"""

from __future__ import annotations

import datetime
import http.client
import json
import logging
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from .addresses import internal_allowed, is_internal
from .models import Delivery, DeliveryAttempt, DeliveryState, Subscription
from .signing import signature

logger = logging.getLogger(__name__)

# A claim older than this belongs to a worker that died mid-send: the row may be claimed again.
STALE_CLAIM = datetime.timedelta(minutes=5)
EXCERPT_CHARS = 500
USER_AGENT = "CoopDX-Webhooks/1"


@dataclass(frozen=True)
class Outcome:
    status_code: int | None = None
    response_ms: int | None = None
    excerpt: str = ""
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def retry_delays() -> list[int]:
    return [int(seconds) for seconds in settings.WEBHOOK_RETRY_DELAYS]


def body_of(delivery: Delivery) -> bytes:
    """The JSON body: the event's envelope around its data."""
    envelope = {
        "id": str(delivery.event_id),
        "type": delivery.event,
        "created_at": delivery.created_at.isoformat(),
        "data": delivery.payload,
    }
    return json.dumps(envelope, ensure_ascii=False, separators=(",", ":")).encode()


def headers_of(delivery: Delivery, body: bytes, secret: str, timestamp: int) -> dict[str, str]:
    return {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": USER_AGENT,
        "X-CoopDX-Event": delivery.event,
        "X-CoopDX-Delivery": str(delivery.pk),
        "X-CoopDX-Timestamp": str(timestamp),
        "X-CoopDX-Signature": signature(secret, timestamp, body),
    }


def post(url: str, body: bytes, headers: dict[str, str]) -> Outcome:
    """POST without following redirects, with separate connect and read timeouts; the address
    connected to is checked (``addresses``) before anything is sent."""
    parts = urlsplit(url)
    connection_class = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    connection = connection_class(parts.hostname or "", parts.port, timeout=settings.WEBHOOK_CONNECT_TIMEOUT)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    started = time.monotonic()
    try:
        connection.connect()
        assert connection.sock is not None
        if not internal_allowed() and is_internal(str(connection.sock.getpeername()[0])):
            return Outcome(error="refused: the address is inside a private network")
        connection.sock.settimeout(settings.WEBHOOK_READ_TIMEOUT)
        connection.request("POST", path, body=body, headers=headers)
        reply = connection.getresponse()
        # The receiver's words are stored: NUL is refused by PostgreSQL, and a row that cannot be
        # written would leave the delivery half-sent.
        excerpt = reply.read(EXCERPT_CHARS * 2).decode("utf-8", errors="replace").replace("\x00", "")[:EXCERPT_CHARS]
        return Outcome(status_code=reply.status, response_ms=_ms(started), excerpt=excerpt)
    except TimeoutError:
        return Outcome(response_ms=_ms(started), error="timed out")
    except (OSError, http.client.HTTPException) as error:
        return Outcome(response_ms=_ms(started), error=f"{type(error).__name__}: {error}".replace("\x00", "")[:500])
    finally:
        connection.close()


def _ms(started: float) -> int:
    return int((time.monotonic() - started) * 1000)


def _claim(delivery_id: int, now: datetime.datetime) -> bool:
    due = Q(state=DeliveryState.PENDING) & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
    stale = Q(state=DeliveryState.SENDING, claimed_at__lt=now - STALE_CLAIM)
    return bool(
        Delivery.objects.filter(due | stale, pk=delivery_id).update(
            state=DeliveryState.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
    )


def _finish(delivery: Delivery, **changes: Any) -> Delivery:
    Delivery.objects.filter(pk=delivery.pk, state=DeliveryState.SENDING).update(**changes)
    for name, value in changes.items():
        setattr(delivery, name, value)
    return delivery


def delivery_send(*, delivery_id: int) -> Delivery:
    """Try one delivery now, if it is due. Returns it as it stands after the try."""
    now = timezone.now()
    if not _claim(delivery_id, now):
        return Delivery.objects.get(pk=delivery_id)  # sent, failed, not due, or being sent
    delivery = Delivery.objects.select_related("subscription").get(pk=delivery_id)
    subscription = delivery.subscription
    if not subscription.active:
        return _finish(delivery, state=DeliveryState.FAILED, next_attempt_at=None, error="the webhook is switched off")
    body = body_of(delivery)
    outcome = post(subscription.url, body, headers_of(delivery, body, subscription.secret, int(time.time())))
    DeliveryAttempt.objects.create(
        delivery=delivery,
        started_at=now,
        status_code=outcome.status_code,
        response_ms=outcome.response_ms,
        error=outcome.error,
        manual=delivery.manual,
    )
    logged = {
        "status_code": outcome.status_code,
        "response_ms": outcome.response_ms,
        "response_excerpt": outcome.excerpt,
        "error": outcome.error,
    }
    if outcome.ok:
        logger.info("webhook delivery %s sent (HTTP %s)", delivery.pk, outcome.status_code)
        Subscription.objects.filter(pk=subscription.pk).exclude(consecutive_failures=0).update(consecutive_failures=0)
        return _finish(delivery, state=DeliveryState.SENT, sent_at=timezone.now(), next_attempt_at=None, **logged)
    logger.warning("webhook delivery %s: attempt %s failed %s", delivery.pk, delivery.attempts, outcome)
    delays = retry_delays()
    if not delivery.manual and delivery.attempts <= len(delays):
        next_at = now + datetime.timedelta(seconds=delays[delivery.attempts - 1])
        return _finish(delivery, state=DeliveryState.PENDING, next_attempt_at=next_at, **logged)
    _finish(delivery, state=DeliveryState.FAILED, next_attempt_at=None, **logged)
    if not delivery.manual:
        _count_failure(subscription, outcome)
    return delivery


def _count_failure(subscription: Subscription, outcome: Outcome) -> None:
    """One more delivery failed for good; enough in a row switch the subscription off."""
    from .services import subscription_disable

    Subscription.objects.filter(pk=subscription.pk).update(consecutive_failures=F("consecutive_failures") + 1)
    failures = Subscription.objects.values_list("consecutive_failures", flat=True).get(pk=subscription.pk)
    if failures >= settings.WEBHOOK_DISABLE_AFTER:
        last = f"HTTP {outcome.status_code}" if outcome.status_code else outcome.error
        subscription_disable(subscription=subscription, reason=f"{failures} deliveries failed in a row; last: {last}")


def deliveries_due(*, limit: int = 500) -> list[int]:
    """Pending deliveries whose time has come (or whose queued task was lost), for the sweep."""
    now = timezone.now()
    due = Q(next_attempt_at__lte=now) | Q(next_attempt_at__isnull=True, created_at__lte=now - STALE_CLAIM)
    stale = Q(state=DeliveryState.SENDING, claimed_at__lt=now - STALE_CLAIM)
    rows = Delivery.objects.filter((Q(state=DeliveryState.PENDING) & due) | stale).order_by("pk")
    return list(rows.values_list("pk", flat=True)[:limit])
