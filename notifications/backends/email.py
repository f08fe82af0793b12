"""The e-mail channel, through Django's configured e-mail backend."""

from __future__ import annotations

import smtplib
from typing import TYPE_CHECKING

from django.core.mail import EmailMessage

from coopdx.links import absolute_url

from . import NoAddress, PermanentFailure, TransientFailure

if TYPE_CHECKING:
    from accounts.models import User

    from ..models import Notification


class EmailChannel:
    @staticmethod
    def is_enabled() -> bool:
        return True

    def address(self, user: User) -> str:
        if not user.email:
            raise NoAddress("no e-mail address")
        return user.email

    def send(self, *, notification: Notification, address: str, tracking_id: str) -> str:
        body = notification.body
        if notification.link:
            body = f"{body}\n\n{absolute_url(notification.link)}"
        message = EmailMessage(
            subject=notification.subject,
            body=body,
            to=[address],
            headers={"X-CoopDX-Delivery": tracking_id},
        )
        try:
            message.send()
        except smtplib.SMTPRecipientsRefused as error:
            raise PermanentFailure(f"address refused: {error}") from error
        except (smtplib.SMTPException, OSError) as error:
            raise TransientFailure(f"mail server: {error}") from error
        return message.extra_headers.get("Message-ID", "") or tracking_id
