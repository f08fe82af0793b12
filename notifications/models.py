"""Messages to users: one notification per recipient and event, one delivery per outside channel.

The notification itself is the in-app message (always on). Each outside channel the recipient
has on (e-mail, Zalo) gets a :class:`Delivery` row, unique per notification and channel: the
task that sends it claims the row first, so a message goes once however often the task runs.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    ROUND_OPENED = "round_opened", _("Self-assessment round opened")
    ROUND_REMINDER = "round_reminder", _("Self-assessment round closing soon")
    RESPONSE_RETURNED = "response_returned", _("Self-assessment returned")
    RESPONSE_ACCEPTED = "response_accepted", _("Self-assessment accepted")
    IMPORT_READY = "import_ready", _("Import checked")
    IMPORT_DONE = "import_done", _("Import finished")
    IMPORT_FAILED = "import_failed", _("Import failed")
    TASK_DUE = "task_due", _("Directive report due soon")
    TASK_OVERDUE = "task_overdue", _("Directive report overdue")
    WEBHOOK_DISABLED = "webhook_disabled", _("Webhook switched off")


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    ZALO = "zalo", _("Zalo")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("No address")


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=32, choices=NotificationKind.choices)
    # One event notifies a person once: "response_returned:<response>:<revision>", ...
    key = models.CharField(_("event"), max_length=120)
    # Rendered once, in the recipient's language, when the event happens.
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("message"), blank=True)
    # The page the message is about (a path of this site).
    link = models.CharField(_("link"), max_length=255, blank=True)
    # The values the message was made of (a value with a name in each language keeps both): the
    # pages show the message in their reader's language, Zalo templates are filled from them.
    params = models.JSONField(_("details"), default=dict, blank=True)
    # The language of ``subject`` and ``body``, those sent by e-mail and Zalo (the recipient's choice).
    language = models.CharField(_("language"), max_length=8, default="vi")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [models.UniqueConstraint(fields=["recipient", "key"], name="notification_once_per_event")]
        indexes = [
            models.Index(fields=["recipient"], condition=models.Q(read_at__isnull=True), name="notification_unread"),
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    def in_language(self, language: str) -> tuple[str, str]:
        """The subject and the body in ``language`` (a page's), written from the kept values."""
        from .messages import render

        if language == self.language:
            return self.subject, self.body
        subject, body, _values = render(self.kind, self.params, language)
        return subject, body

    def template_values(self) -> dict[str, str]:
        """The values in the language the message was sent in (for Zalo's template)."""
        from .messages import localized_params

        return localized_params(self.params, self.language)


class Delivery(models.Model):
    """One notification through one outside channel, with the outcome of its attempts."""

    notification = models.ForeignKey(
        Notification, verbose_name=_("notification"), on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # Where it went (an e-mail address, a phone number) and what the provider answered.
    address = models.CharField(_("address"), max_length=255, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    provider_id = models.CharField(_("provider's message id"), max_length=128, blank=True)
    claimed_at = models.DateTimeField(_("attempt started"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [models.UniqueConstraint(fields=["notification", "channel"], name="delivery_once_per_channel")]

    def __str__(self) -> str:
        return f"{self.notification_id} / {self.channel}"


class NotificationPreference(models.Model):
    """A user's choice of outside channels and of the language messages are written in."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    email = models.BooleanField(_("by e-mail"), default=True)
    zalo = models.BooleanField(_("by Zalo"), default=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="vi")

    class Meta:
        verbose_name = _("notification settings")
        verbose_name_plural = _("notification settings")

    def __str__(self) -> str:
        return str(self.user_id)

    def wants(self, channel: str) -> bool:
        return bool(getattr(self, channel, False))
