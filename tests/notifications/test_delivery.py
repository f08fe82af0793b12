"""Sending: e-mail and Zalo channels, retries, idempotency, preferences, who could not be reached."""

from __future__ import annotations

import pytest
from django.core import mail

from notifications.backends import TransientFailure
from notifications.models import Delivery, DeliveryStatus, Notification, NotificationKind, NotificationPreference
from notifications.phones import zalo_phone
from notifications.services import delivery_send, notify, preference_save
from notifications.tasks import deliver

pytestmark = pytest.mark.django_db

PARAMS = {"round": {"vi": "Khảo sát 2026", "en": "Survey 2026"}, "cooperative": "HTX A", "comment": "Sửa câu 3"}


@pytest.fixture(autouse=True)
def _committed(django_capture_on_commit_callbacks):
    """Each test's notify() commits: its deliveries are queued (and, eagerly, sent) at once."""
    global _commit
    _commit = django_capture_on_commit_callbacks


def _notify(user, key="response_returned:1:2"):
    with _commit(execute=True):
        return notify(
            kind=NotificationKind.RESPONSE_RETURNED, recipients=[user], key=key, params=PARAMS, link="/surveys/"
        )


def test_zalo_message_is_posted_with_token_phone_template_and_tracking_id(fake_zalo, accountant):
    [notification] = _notify(accountant)

    [request] = fake_zalo.requests
    assert request["path"] == "/message/template"
    assert request["headers"]["access_token"] == "test-oa-token"
    assert request["headers"]["content-type"] == "application/json"
    body = request["json"]
    zalo = Delivery.objects.get(notification=notification, channel="zalo")
    assert body["phone"] == "84912345678"
    assert body["template_id"] == "tpl-response_returned"
    assert body["tracking_id"] == str(zalo.pk)
    assert body["template_data"]["comment"] == "Sửa câu 3"
    assert body["template_data"]["round"] == "Khảo sát 2026"
    assert body["template_data"]["link"].endswith("/surveys/")
    assert (zalo.status, zalo.provider_id, zalo.attempts) == (DeliveryStatus.SENT, "zns-msg-1", 1)
    assert zalo.sent_at is not None


def test_a_transient_zalo_failure_is_retried_and_the_message_arrives_exactly_once(fake_zalo, accountant):
    fake_zalo.answer(
        (200, {"error": -100, "message": "Unknown error"}),
        (503, {"error": -1, "message": "unavailable"}),
        (200, {"error": 0, "message": "Success", "data": {"msg_id": "zns-42"}}),
    )
    [notification] = _notify(accountant)

    zalo = Delivery.objects.get(notification=notification, channel="zalo")
    assert len(fake_zalo.requests) == 3
    assert len(fake_zalo.delivered) == 1
    assert (zalo.status, zalo.attempts, zalo.provider_id) == (DeliveryStatus.SENT, 3, "zns-42")
    # The task run again (a duplicate message from the queue) sends nothing more.
    assert deliver.delay(zalo.pk).get() == DeliveryStatus.SENT
    assert len(fake_zalo.requests) == 3


def test_a_permanent_zalo_error_fails_at_once_without_retry(fake_zalo, accountant):
    fake_zalo.answer((200, {"error": -108, "message": "Phone number invalid"}))
    [notification] = _notify(accountant)

    zalo = Delivery.objects.get(notification=notification, channel="zalo")
    assert len(fake_zalo.requests) == 1
    assert (zalo.status, zalo.attempts) == (DeliveryStatus.FAILED, 1)
    assert "-108" in zalo.last_error


def test_a_zalo_failure_that_never_ends_fails_after_the_last_attempt(fake_zalo, accountant, settings):
    settings.NOTIFICATION_MAX_ATTEMPTS = 3
    fake_zalo.answer((500, {"error": -1}))
    [notification] = _notify(accountant)

    zalo = Delivery.objects.get(notification=notification, channel="zalo")
    assert len(fake_zalo.requests) == 3
    assert (zalo.status, zalo.attempts) == (DeliveryStatus.FAILED, 3)


def test_without_a_token_zalo_is_off(fake_zalo, accountant, settings):
    settings.ZALO_ZNS_ACCESS_TOKEN = ""
    [notification] = _notify(accountant)

    assert fake_zalo.requests == []
    assert list(notification.deliveries.values_list("channel", flat=True)) == ["email"]


def test_a_member_without_a_phone_is_skipped_on_zalo(fake_zalo, accountant):
    accountant.phone = ""
    accountant.save()
    [notification] = _notify(accountant)

    zalo = Delivery.objects.get(notification=notification, channel="zalo")
    assert zalo.status == DeliveryStatus.SKIPPED
    assert fake_zalo.requests == []


def test_email_goes_once_in_the_recipients_language_with_the_link(accountant, settings):
    settings.SITE_URL = "https://coopdx.example.vn"
    preference_save(user=accountant, email=True, zalo=False, language="en", by=accountant)
    [notification] = _notify(accountant)

    [message] = mail.outbox
    assert message.to == ["ketoan@htx.vn"]
    assert message.subject == "Your self-assessment was returned for correction"
    assert "Survey 2026" in message.body and "Sửa câu 3" in message.body
    assert "https://coopdx.example.vn/surveys/" in message.body
    email = notification.deliveries.get()
    assert email.channel == "email" and email.status == DeliveryStatus.SENT
    # Running the delivery again, or the same event again, sends nothing more.
    delivery_send(delivery_id=email.pk)
    assert _notify(accountant) == []
    assert len(mail.outbox) == 1
    assert Notification.objects.filter(recipient=accountant).count() == 1


def test_the_default_language_of_messages_is_vietnamese(accountant):
    [notification] = _notify(accountant)
    assert notification.subject == "Bản tự đánh giá của bạn đã được trả lại để sửa"
    assert "Khảo sát 2026" in notification.body


def test_channels_the_user_turned_off_are_not_used(fake_zalo, accountant):
    preference_save(user=accountant, email=False, zalo=False, language="vi", by=accountant)
    [notification] = _notify(accountant)

    assert notification.deliveries.count() == 0
    assert mail.outbox == [] and fake_zalo.requests == []


def test_a_delivery_being_sent_by_another_worker_is_not_sent_again(accountant):
    [notification] = _notify(accountant)
    email = notification.deliveries.get()
    Delivery.objects.filter(pk=email.pk).update(status=DeliveryStatus.PENDING)
    Delivery.objects.filter(pk=email.pk).update(status=DeliveryStatus.SENDING, claimed_at=email.sent_at)
    mail.outbox.clear()

    assert delivery_send(delivery_id=email.pk).status == DeliveryStatus.SENDING
    assert mail.outbox == []


def test_inactive_users_are_not_notified(accountant):
    accountant.is_active = False
    accountant.save()
    assert _notify(accountant) == []


def test_preferences_are_saved_once_per_user(accountant):
    preference_save(user=accountant, email=False, zalo=True, language="en", by=accountant)
    preference_save(user=accountant, email=True, zalo=True, language="vi", by=accountant)
    assert NotificationPreference.objects.filter(user=accountant).count() == 1


def test_the_task_retries_a_transient_failure_through_celery(fake_zalo, accountant):
    """The task itself (as a worker runs it) retries on a transient failure by Celery's autoretry."""
    preference_save(user=accountant, email=False, zalo=True, language="vi", by=accountant)
    [notification] = notify(
        kind=NotificationKind.RESPONSE_RETURNED, recipients=[accountant], key="k", params=PARAMS, link="/"
    )  # not committed: nothing queued yet
    zalo = notification.deliveries.get()
    fake_zalo.answer((502, {"error": -1}), (200, {"error": 0, "data": {"msg_id": "zns-7"}}))

    assert deliver.apply((zalo.pk,), throw=False).get() == DeliveryStatus.SENT
    assert len(fake_zalo.requests) == 2 and len(fake_zalo.delivered) == 1
    assert deliver.autoretry_for == (TransientFailure,) and deliver.retry_backoff


def test_a_kind_without_a_zalo_template_is_not_sent_by_zalo(fake_zalo, accountant):
    with _commit(execute=True):
        [notification] = notify(
            kind=NotificationKind.TASK_DUE, recipients=[accountant], key="t", params={"task": "Báo cáo"}, link="/"
        )
    assert notification.deliveries.get(channel="zalo").status == DeliveryStatus.SKIPPED
    assert fake_zalo.requests == []


@pytest.mark.parametrize(
    ("phone", "expected"),
    [
        ("0912 345 678", "84912345678"),
        ("+84 912.345.678", "84912345678"),
        ("84912345678", "84912345678"),
        ("0277 123 456", "84277123456"),
        ("912345678", None),
        ("abc", None),
        ("", None),
        ("00912345678", None),
    ],
)
def test_vietnamese_phone_numbers_are_written_as_zalo_reads_them(phone, expected):
    assert zalo_phone(phone) == expected


def test_deliveries_nothing_would_send_are_queued_again_and_sent_once(accountant):
    """The broker was down at commit (a delivery never queued), a worker died holding a claim, or
    with a retry: beat's task queues them again. A fresh delivery, and one waiting for Celery's
    retry, are left to the queue that has them."""
    import datetime

    from django.utils import timezone
    from django_celery_beat.models import PeriodicTask

    from notifications.services import RETRY_LOST_AFTER, STALE_CLAIM, UNQUEUED_AFTER
    from notifications.tasks import requeue_stalled

    now = timezone.now()

    def made(key, *, age, **state):
        [notification] = notify(
            kind=NotificationKind.RESPONSE_RETURNED, recipients=[accountant], key=key, params=PARAMS, link="/"
        )  # not committed: never queued, as when the broker is down
        Notification.objects.filter(pk=notification.pk).update(created_at=now - age)
        Delivery.objects.filter(notification=notification).update(**state)
        return notification.deliveries.get(channel="email")

    minute = datetime.timedelta(minutes=1)
    never_queued = made("a", age=UNQUEUED_AFTER + minute)
    worker_died = made("b", age=STALE_CLAIM * 3, status=DeliveryStatus.SENDING, claimed_at=now - STALE_CLAIM - minute)
    retry_lost = made("c", age=RETRY_LOST_AFTER * 2, attempts=1, claimed_at=now - RETRY_LOST_AFTER - minute)
    fresh = made("d", age=minute)
    retry_waiting = made("e", age=RETRY_LOST_AFTER * 2, attempts=1, claimed_at=now - 5 * minute)
    sending_now = made("f", age=5 * minute, status=DeliveryStatus.SENDING, claimed_at=now - minute)

    assert requeue_stalled.apply().get() == 3
    statuses = {d.pk: d.status for d in Delivery.objects.filter(channel="email")}
    assert [statuses[d.pk] for d in (never_queued, worker_died, retry_lost)] == [DeliveryStatus.SENT] * 3
    assert [statuses[d.pk] for d in (fresh, retry_waiting)] == [DeliveryStatus.PENDING] * 2
    assert statuses[sending_now.pk] == DeliveryStatus.SENDING
    assert len(mail.outbox) == 3
    assert requeue_stalled.apply().get() == 0  # sent once: nothing left to queue
    assert len(mail.outbox) == 3
    entry = PeriodicTask.objects.get(task="notifications.requeue_stalled")
    assert entry.enabled and (entry.interval.every, entry.interval.period) == (10, "minutes")
