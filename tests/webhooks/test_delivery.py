"""Sending: the signature a receiver can verify, the retry schedule, retry by hand, switching
off after failures in a row, and the address rules. Against a real local HTTP receiver."""

from __future__ import annotations

import datetime
import json

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from coopdx.celery import app
from notifications.models import Notification, NotificationKind
from webhooks import sending
from webhooks.addresses import check_url
from webhooks.models import Delivery, DeliveryState
from webhooks.services import delivery_retry, subscription_enable, subscription_ping
from webhooks.signing import signature, verify
from webhooks.tasks import deliver, send_due

pytestmark = pytest.mark.django_db


def ping(made, django_capture_on_commit_callbacks):
    subscription = made.subscription
    with django_capture_on_commit_callbacks(execute=True):
        delivery = subscription_ping(subscription=subscription, by=subscription.owner)
    delivery.refresh_from_db()
    return delivery


def make_due(delivery):
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now() - datetime.timedelta(seconds=1))


def test_a_delivery_is_signed_with_the_secret_and_a_fresh_timestamp(
    national_hook, receiver, django_capture_on_commit_callbacks
):
    delivery = ping(national_hook, django_capture_on_commit_callbacks)

    assert delivery.state == DeliveryState.SENT
    assert delivery.status_code == 200 and delivery.response_ms is not None
    (request,) = receiver.requests
    headers, body = request["headers"], request["body"]
    assert request["path"] == "/hooks/coopdx?who=nation"
    assert headers["x-coopdx-event"] == "ping"
    assert headers["x-coopdx-delivery"] == str(delivery.pk)
    stamp = headers["x-coopdx-timestamp"]
    assert abs(int(stamp) - timezone.now().timestamp()) < 60
    assert verify(national_hook.secret, stamp, body, headers["x-coopdx-signature"])
    assert not verify("whsec_another", stamp, body, headers["x-coopdx-signature"])
    assert not verify(national_hook.secret, stamp, body + b" ", headers["x-coopdx-signature"])
    # A replay: the same request, its timestamp older than five minutes.
    assert not verify(national_hook.secret, stamp, body, headers["x-coopdx-signature"], now=int(stamp) + 301)
    assert json.loads(body)["type"] == "ping" and json.loads(body)["id"] == str(delivery.event_id)


def test_the_documented_receiver_snippet_verifies_a_delivery(
    national_hook, receiver, django_capture_on_commit_callbacks
):
    import hashlib
    import hmac

    ping(national_hook, django_capture_on_commit_callbacks)
    (request,) = receiver.requests
    headers, body = request["headers"], request["body"]
    expected = hmac.new(
        national_hook.secret.encode(), headers["x-coopdx-timestamp"].encode() + b"." + body, hashlib.sha256
    ).hexdigest()
    assert headers["x-coopdx-signature"] == "sha256=" + expected
    assert signature(national_hook.secret, int(headers["x-coopdx-timestamp"]), body) == "sha256=" + expected


def test_a_refused_delivery_is_retried_on_the_backoff_schedule_then_fails(
    national_hook, receiver, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_RETRY_DELAYS = [60, 300, 1500, 7200, 36000]
    receiver.answer(500)
    delivery = ping(national_hook, django_capture_on_commit_callbacks)
    waits = []
    while delivery.state == DeliveryState.PENDING:
        attempt = delivery.attempt_log.first()
        waits.append((delivery.next_attempt_at - attempt.started_at).total_seconds())
        # Not due yet: calling the task again sends nothing.
        assert deliver(delivery.pk) == DeliveryState.PENDING
        make_due(delivery)
        deliver(delivery.pk)
        delivery.refresh_from_db()

    assert waits == [60, 300, 1500, 7200, 36000]
    assert delivery.state == DeliveryState.FAILED and delivery.attempts == 6
    assert delivery.status_code == 500 and delivery.response_excerpt == "receiver says no"
    assert len(receiver.requests) == 6 and delivery.attempt_log.count() == 6
    national_hook.subscription.refresh_from_db()
    assert national_hook.subscription.consecutive_failures == 1


def test_with_a_broker_the_task_queues_the_retry_at_its_time(
    national_hook, receiver, monkeypatch, django_capture_on_commit_callbacks
):
    receiver.answer(503)
    delivery = ping(national_hook, django_capture_on_commit_callbacks)
    make_due(delivery)
    queued = []
    monkeypatch.setattr(deliver, "apply_async", lambda args, eta: queued.append((args, eta)))
    monkeypatch.setattr(app.conf, "task_always_eager", False)

    deliver(delivery.pk)

    delivery.refresh_from_db()
    assert queued == [((delivery.pk,), delivery.next_attempt_at)]
    assert (delivery.next_attempt_at - delivery.attempt_log.first().started_at).total_seconds() == 300


def test_a_retry_that_succeeds_clears_the_failures(national_hook, receiver, django_capture_on_commit_callbacks):
    receiver.answer(500, 204)
    delivery = ping(national_hook, django_capture_on_commit_callbacks)
    make_due(delivery)
    assert send_due() == 1
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.SENT and delivery.status_code == 204 and delivery.attempts == 2
    assert send_due() == 0


def test_a_failed_delivery_retried_by_hand_is_sent_again(
    national_hook, receiver, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_RETRY_DELAYS = []
    receiver.answer(500, 200)
    delivery = ping(national_hook, django_capture_on_commit_callbacks)
    assert delivery.state == DeliveryState.FAILED

    with django_capture_on_commit_callbacks(execute=True):
        delivery_retry(delivery=delivery, by=national_hook.subscription.owner)

    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.SENT and delivery.manual
    first, second = receiver.bodies()
    assert first == second  # the same event, its id the receiver can drop twice
    assert [a.manual for a in delivery.attempt_log.order_by("started_at", "pk")] == [False, True]
    with pytest.raises(ValidationError):
        delivery_retry(delivery=delivery, by=national_hook.subscription.owner)  # sent: nothing to retry


def test_failures_in_a_row_switch_the_webhook_off_and_tell_its_owner(
    national_hook, receiver, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_RETRY_DELAYS = []
    settings.WEBHOOK_DISABLE_AFTER = 2
    receiver.answer(500)
    subscription = national_hook.subscription
    ping(national_hook, django_capture_on_commit_callbacks)
    subscription.refresh_from_db()
    assert subscription.active and subscription.consecutive_failures == 1

    with django_capture_on_commit_callbacks(execute=True):
        subscription_ping(subscription=subscription, by=subscription.owner)

    subscription.refresh_from_db()
    assert not subscription.active and subscription.disabled_at is not None
    assert "HTTP 500" in subscription.disabled_reason
    notice = Notification.objects.get(recipient=subscription.owner)
    assert notice.kind == NotificationKind.WEBHOOK_DISABLED and subscription.url in notice.body
    assert notice.link == f"/webhooks/{subscription.pk}/"
    assert [m.to for m in mail.outbox] == [[subscription.owner.email]]
    # Off: a test event is refused, a failed delivery cannot be retried by hand.
    with pytest.raises(ValidationError):
        subscription_ping(subscription=subscription, by=subscription.owner)
    with pytest.raises(ValidationError):
        delivery_retry(delivery=Delivery.objects.first(), by=subscription.owner)

    subscription_enable(subscription=subscription, by=subscription.owner)
    subscription.refresh_from_db()
    assert subscription.active and subscription.consecutive_failures == 0 and subscription.disabled_at is None


def test_a_delivery_waiting_when_the_webhook_is_switched_off_is_not_sent(
    national_hook, receiver, settings, django_capture_on_commit_callbacks
):
    receiver.answer(500)
    delivery = ping(national_hook, django_capture_on_commit_callbacks)
    from webhooks.services import subscription_disable

    subscription_disable(subscription=national_hook.subscription, reason="test", by=national_hook.subscription.owner)
    make_due(delivery)
    deliver(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.FAILED and len(receiver.requests) == 1


def test_an_internal_address_is_refused_outside_tests(
    settings, national_hook, receiver, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_ALLOW_PRIVATE = False
    settings.WEBHOOK_ALLOW_HTTP = False
    settings.DEBUG = False
    for url in ("http://hooks.example.org/x", "https://127.0.0.1/x", "https://10.1.2.3/x", "https://[::1]/x"):
        with pytest.raises(ValidationError):
            check_url(url)
    with pytest.raises(ValidationError):
        check_url("https://user:pw@hooks.example.org/x")
    # A subscription made while allowed: the connected address is checked again at sending.
    settings.WEBHOOK_RETRY_DELAYS = []
    delivery = ping(national_hook, django_capture_on_commit_callbacks)
    assert delivery.state == DeliveryState.FAILED and "private network" in delivery.error
    assert receiver.requests == []


def test_an_unreachable_receiver_is_logged_as_an_error(national_hook, settings, django_capture_on_commit_callbacks):
    settings.WEBHOOK_RETRY_DELAYS = [60]
    subscription = national_hook.subscription
    subscription.url = "http://127.0.0.1:9/nowhere"  # the discard port: nothing listens
    subscription.save()
    delivery = ping(national_hook, django_capture_on_commit_callbacks)
    assert delivery.state == DeliveryState.PENDING and delivery.status_code is None
    assert delivery.error and delivery.next_attempt_at is not None


def test_the_body_is_the_envelope_of_the_event(national_hook):
    delivery = Delivery.objects.create(
        subscription=national_hook.subscription, event="cooperative.changed", payload={"source": "edit"}
    )
    body = json.loads(sending.body_of(delivery))
    assert body == {
        "id": str(delivery.event_id),
        "type": "cooperative.changed",
        "created_at": delivery.created_at.isoformat(),
        "data": {"source": "edit"},
    }


def test_a_reply_holding_nul_characters_is_logged_without_them_and_retried(
    national_hook, receiver, django_capture_on_commit_callbacks
):
    """A hostile receiver's answer is kept as text the database can store (PostgreSQL refuses
    NUL), so the delivery is counted as a failure and retried instead of sticking half-sent."""
    receiver.answer(500)
    receiver.refusal = b"no\x00 way\x00"
    delivery = ping(national_hook, django_capture_on_commit_callbacks)
    assert delivery.state == DeliveryState.PENDING and delivery.attempts == 1
    assert delivery.status_code == 500 and delivery.response_excerpt == "no way"
    assert delivery.attempt_log.count() == 1
