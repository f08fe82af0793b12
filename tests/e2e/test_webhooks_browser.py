"""An analyst adds a webhook in the browser, copies the secret, reads the delivery log and
retries a failed delivery: in Vietnamese and English, on a desktop and a phone."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from accounts.api.services import api_token_issue
from accounts.models import Role
from tests.e2e.conftest import log_in
from tests.e2e.test_dashboard_browser import fits, use_language, watch_console
from tests.factories import PASSWORD
from webhooks.models import Delivery, DeliveryState, Subscription

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def token(ministry_analyst):
    return api_token_issue(
        by=ministry_analyst,
        organisation="Vụ Kinh tế hợp tác",
        role=Role.MINISTRY_ANALYST,
        scopes=["registry:read", "responses:read", "indicators:read"],
        expires_at=timezone.now() + datetime.timedelta(days=30),
    ).token


@pytest.fixture(autouse=True)
def _local_receivers(settings):
    settings.WEBHOOK_ALLOW_PRIVATE = True
    settings.WEBHOOK_ALLOW_HTTP = True
    settings.WEBHOOK_RETRY_DELAYS = []
    settings.WEBHOOK_CONNECT_TIMEOUT = 1


def test_an_analyst_adds_a_webhook_and_reads_its_log(page, phone, live_server, ministry_analyst, token, screenshot):
    errors = watch_console(page)
    log_in(page, live_server.url, ministry_analyst.username, PASSWORD)
    use_language(page, live_server.url, "vi")
    page.goto(f"{live_server.url}/webhooks/new/")
    page.select_option("#id_token", str(token.pk))
    # Nothing listens on the discard port: every delivery fails, and the log says so.
    page.fill("#id_url", "http://127.0.0.1:9/coopdx-hooks/receiver-with-a-rather-long-path")
    page.check("input[name=events][value='cooperative.changed']")
    page.check("input[name=events][value='response.accepted']")
    screenshot(page, "80-webhook-form-vi-1366")
    page.click("main button[type=submit]")
    secret = page.locator("[data-testid=webhook-secret]").input_value()
    subscription = Subscription.objects.get()
    assert secret == subscription.secret and secret.startswith("whsec_")
    assert "Hãy sao chép khoá ký ngay bây giờ." in page.content()
    screenshot(page, "81-webhook-secret-vi-1366")

    page.goto(f"{live_server.url}/webhooks/{subscription.pk}/")
    page.click("[data-testid=webhook-ping]")
    page.wait_for_selector("[data-testid=delivery-row]")
    assert page.locator("[data-testid=delivery-state]").first.inner_text() == "Không thành công"
    page.click("[data-testid=delivery-retry]")
    page.wait_for_load_state("networkidle")
    delivery = Delivery.objects.get()
    assert delivery.state == DeliveryState.FAILED and delivery.attempt_log.count() == 2
    screenshot(page, "82-webhook-log-vi-1366")
    use_language(page, live_server.url, "en")
    page.goto(f"{live_server.url}/webhooks/{subscription.pk}/")
    assert "Send a test event" in page.content() and "Deliveries" in page.content()
    screenshot(page, "83-webhook-log-en-1366")
    assert errors == [], "\n".join(errors)

    Delivery.objects.create(
        subscription=subscription,
        event="cooperative.changed",
        state=DeliveryState.SENT,
        status_code=200,
        response_ms=87,
    )
    log_in(phone, live_server.url, ministry_analyst.username, PASSWORD)
    for language in ("vi", "en"):
        use_language(phone, live_server.url, language)
        for path, name in (
            (f"/webhooks/{subscription.pk}/", "log"),
            ("/webhooks/", "list"),
            ("/webhooks/new/", "form"),
        ):
            phone.goto(f"{live_server.url}{path}")
            width = fits(phone)
            assert width["scroll"] <= width["screen"] and width["wide"] == [], (language, path, width)
            screenshot(phone, f"84-webhook-{name}-{language}-390")
