"""Outside channels, pluggable by dotted path like Django's e-mail backends.

``settings.NOTIFICATION_CHANNELS`` maps a channel name to a class; a channel sends one
notification to one user and returns the provider's message id, or raises one of the errors
below, which decide what happens next: no address (skipped, never retried), a permanent failure
(failed, never retried) or a transient one (retried with backoff).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from django.conf import settings
from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from accounts.models import User

    from ..models import Notification


class NoAddress(Exception):
    """The user has no address on this channel (or the channel is not configured)."""


class PermanentFailure(Exception):
    """The provider refused the message for good (invalid phone, template...): never retried."""


class TransientFailure(Exception):
    """The provider could not take the message now (down, quota, timeout): tried again later."""


class NotificationChannel(Protocol):
    def address(self, user: User) -> str:
        """Where the user is reached on this channel; raises NoAddress when nowhere."""

    def send(self, *, notification: Notification, address: str, tracking_id: str) -> str:
        """Send; return the provider's message id."""


def channel_for(name: str) -> NotificationChannel:
    return import_string(settings.NOTIFICATION_CHANNELS[name])()


def enabled_channels() -> list[str]:
    """The channels configured for this site (Zalo only with its access token)."""
    names = []
    for name, path in settings.NOTIFICATION_CHANNELS.items():
        cls = import_string(path)
        if getattr(cls, "is_enabled", lambda: True)():
            names.append(name)
    return names
