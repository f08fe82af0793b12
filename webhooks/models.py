"""Webhook subscriptions and the log of their deliveries.

A subscription belongs to a person (its owner) and takes its scope from one of their API
tokens: the whole country, or the token's province. Each event it may see becomes one
:class:`Delivery`, sent after the commit by the task ``webhooks.deliver``, which claims the row
first (a retried or repeated task never sends twice) and logs each try as a
:class:`DeliveryAttempt`.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import ApiScope


class EventType(models.TextChoices):
    RESPONSE_ACCEPTED = "response.accepted", _("Self-assessment accepted")
    INDICATORS_RECOMPUTED = "indicators.recomputed", _("Indicators recomputed")
    TASK_REPORT_POSTED = "task_report.posted", _("Directive task report posted")
    COOPERATIVE_CREATED = "cooperative.created", _("Cooperative registered")
    COOPERATIVE_CHANGED = "cooperative.changed", _("Cooperative changed")


# The test event ("send a test event"), sent to one subscription whatever it chose.
PING = "ping"

# The token scope a subscription needs for each event: it receives only what its token reads.
EVENT_SCOPES: dict[str, str] = {
    EventType.RESPONSE_ACCEPTED: ApiScope.RESPONSES_READ,
    EventType.INDICATORS_RECOMPUTED: ApiScope.INDICATORS_READ,
    EventType.TASK_REPORT_POSTED: ApiScope.INDICATORS_READ,
    EventType.COOPERATIVE_CREATED: ApiScope.REGISTRY_READ,
    EventType.COOPERATIVE_CHANGED: ApiScope.REGISTRY_READ,
}


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("Waiting")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Subscription(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.CASCADE, related_name="webhooks"
    )
    token = models.ForeignKey(
        "accounts.ApiToken", verbose_name=_("API token"), on_delete=models.CASCADE, related_name="webhooks"
    )
    # The token's province, copied when subscribing (a token's scope never changes): empty for
    # a national token. The fan-out filters on it without joining the token.
    province = models.ForeignKey(
        "cooperatives.Province",
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    url = models.URLField(_("URL"), max_length=500)
    events = models.JSONField(_("events"), default=list)
    # Signs every delivery (HMAC-SHA256); shown to the owner once, when the subscription is made.
    secret = models.CharField(max_length=64, editable=False)
    active = models.BooleanField(_("active"), default=True)
    consecutive_failures = models.PositiveIntegerField(_("failures in a row"), default=0)
    disabled_at = models.DateTimeField(_("switched off"), null=True, blank=True)
    disabled_reason = models.CharField(_("why switched off"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")
        indexes = [models.Index(fields=["province"], condition=Q(active=True), name="webhook_active_province")]

    def __str__(self) -> str:
        return self.url

    @property
    def event_items(self) -> list[tuple[str, str]]:
        labels = dict(EventType.choices)
        return [(code, str(labels.get(code, code))) for code in self.events]


class Delivery(models.Model):
    """One event sent to one subscription, with the outcome of its latest attempt."""

    subscription = models.ForeignKey(
        Subscription, verbose_name=_("webhook"), on_delete=models.CASCADE, related_name="deliveries"
    )
    # The same for every subscription an event went to: receivers drop an event seen before.
    event_id = models.UUIDField(_("event"), default=uuid.uuid4)
    event = models.CharField(_("event type"), max_length=40)
    payload = models.JSONField(_("payload"), default=dict)
    state = models.CharField(_("state"), max_length=16, choices=DeliveryState.choices, default=DeliveryState.PENDING)
    # Attempts of the current schedule (a manual retry starts a new one); each is in the log.
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    status_code = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    response_ms = models.PositiveIntegerField(_("response time (ms)"), null=True, blank=True)
    response_excerpt = models.CharField(_("answer"), max_length=500, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    # Sent again by its owner from the log (the current schedule started by hand).
    manual = models.BooleanField(_("retried by hand"), default=False)
    claimed_at = models.DateTimeField(_("attempt started"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        indexes = [
            models.Index(fields=["next_attempt_at"], condition=Q(state="pending"), name="webhook_delivery_due"),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.subscription_id} ({self.state})"


class DeliveryAttempt(models.Model):
    """One POST of a delivery: what the receiver answered, and how fast."""

    delivery = models.ForeignKey(
        Delivery, verbose_name=_("webhook delivery"), on_delete=models.CASCADE, related_name="attempt_log"
    )
    started_at = models.DateTimeField(_("started"))
    status_code = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    response_ms = models.PositiveIntegerField(_("response time (ms)"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)
    manual = models.BooleanField(_("retried by hand"), default=False)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("webhook attempt")
        verbose_name_plural = _("webhook attempts")

    def __str__(self) -> str:
        return f"{self.delivery_id} {self.started_at:%Y-%m-%d %H:%M:%S} {self.status_code}"
