"""The owner's pages: subscribe (the secret shown once), the log, retry, test event, switch on."""

from __future__ import annotations

import pytest

from webhooks.models import Delivery, DeliveryState, Subscription

from .conftest import issue_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst_token(ministry_analyst):
    return issue_token(ministry_analyst, organisation="Vụ Kinh tế hợp tác")


def test_an_analyst_subscribes_with_their_token_and_sees_the_secret_once(
    login, ministry_analyst, analyst_token, receiver
):
    client = login(ministry_analyst)
    assert "Thêm webhook" in client.get("/webhooks/new/").content.decode()

    page = client.post(
        "/webhooks/new/",
        {"token": analyst_token.pk, "url": receiver.url, "events": ["cooperative.changed", "response.accepted"]},
    )

    subscription = Subscription.objects.get()
    assert page.status_code == 200 and subscription.owner == ministry_analyst
    assert subscription.province is None and subscription.events == ["cooperative.changed", "response.accepted"]
    body = page.content.decode()
    assert subscription.secret in body and "Hãy sao chép khoá ký ngay bây giờ." in body
    assert "no-store" in page["Cache-Control"]
    detail = client.get(f"/webhooks/{subscription.pk}/").content.decode()
    assert subscription.secret not in detail and receiver.url in detail
    assert receiver.url in client.get("/webhooks/").content.decode()


def test_a_bad_subscription_is_refused_with_a_message(login, ministry_analyst, analyst_token, settings):
    settings.WEBHOOK_ALLOW_HTTP = False
    client = login(ministry_analyst)
    page = client.post(
        "/webhooks/new/",
        {"token": analyst_token.pk, "url": "http://hooks.example.org/x", "events": ["cooperative.changed"]},
    )
    body = page.content.decode()
    assert page.status_code == 200 and not Subscription.objects.exists()
    assert "Hãy nhập địa chỉ bắt đầu bằng https://." in body


def test_another_persons_token_cannot_be_chosen(login, ministry_analyst, national_admin, receiver):
    others = issue_token(national_admin, organisation="Bộ khác")
    page = login(ministry_analyst).post(
        "/webhooks/new/", {"token": others.pk, "url": receiver.url, "events": ["cooperative.changed"]}
    )
    assert page.status_code == 200 and not Subscription.objects.exists()


def test_the_log_shows_status_codes_and_times_and_a_failed_delivery_is_retried(
    login, national_admin, national_hook, receiver, settings, run_on_commit_after_post
):
    settings.WEBHOOK_RETRY_DELAYS = []
    receiver.answer(502, 200)
    subscription = national_hook.subscription
    client = login(national_admin)
    client.post(f"/webhooks/{subscription.pk}/ping/")
    delivery = Delivery.objects.get()
    assert delivery.state == DeliveryState.FAILED

    page = client.get(f"/webhooks/{subscription.pk}/").content.decode()
    assert "HTTP 502" in page and f"{delivery.response_ms} ms" in page and 'data-testid="delivery-retry"' in page

    client.post(f"/webhooks/deliveries/{delivery.pk}/retry/")
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.SENT and len(receiver.requests) == 2
    assert "HTTP 200" in client.get(f"/webhooks/{subscription.pk}/").content.decode()


def test_a_switched_off_webhook_is_switched_on_again(login, national_admin, national_hook):
    subscription = national_hook.subscription
    Subscription.objects.filter(pk=subscription.pk).update(active=False, consecutive_failures=5)
    client = login(national_admin)
    assert 'data-testid="webhook-enable"' in client.get(f"/webhooks/{subscription.pk}/").content.decode()
    client.post(f"/webhooks/{subscription.pk}/enable/")
    subscription.refresh_from_db()
    assert subscription.active and subscription.consecutive_failures == 0


def test_someone_elses_webhook_and_delivery_are_not_found(login, ministry_analyst, national_hook):
    subscription = national_hook.subscription
    delivery = Delivery.objects.create(subscription=subscription, event="ping", state=DeliveryState.FAILED)
    client = login(ministry_analyst)
    assert client.get(f"/webhooks/{subscription.pk}/").status_code == 404
    assert client.post(f"/webhooks/{subscription.pk}/delete/").status_code == 404
    assert client.post(f"/webhooks/deliveries/{delivery.pk}/retry/").status_code == 404
    assert Subscription.objects.filter(pk=subscription.pk).exists()


def test_officers_and_members_have_no_webhook_pages(login, officer_a):
    assert login(officer_a).get("/webhooks/").status_code == 403


def test_the_log_page_reads_in_a_fixed_number_of_queries(
    login, national_admin, national_hook, django_assert_max_num_queries
):
    for _ in range(5):
        delivery = Delivery.objects.create(subscription=national_hook.subscription, event="ping")
        delivery.attempt_log.create(started_at=delivery.created_at, status_code=500, response_ms=12)
    client = login(national_admin)
    with django_assert_max_num_queries(12):
        page = client.get(f"/webhooks/{national_hook.subscription.pk}/")
    assert page.content.decode().count('data-testid="delivery-row"') == 5


def test_the_new_webhook_forms_token_choice_reads_in_vietnamese(login, national_admin):
    page = login(national_admin).get("/webhooks/new/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "---------" not in page and "— Chọn —" in page
