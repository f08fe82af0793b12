"""Zalo Official Account template messages (ZNS), through Zalo's HTTP API.

One POST per message to ``ZALO_ZNS_URL`` with the OA's access token in the ``access_token``
header and ``{"phone", "template_id", "template_data", "tracking_id"}`` as JSON; the answer is
``{"error": 0, "data": {"msg_id": ...}}`` on success. Each kind of notification has its own
approved template (``ZALO_ZNS_TEMPLATES``); a kind without one is not sent by Zalo. The channel
is off while ``ZALO_ZNS_ACCESS_TOKEN`` is empty.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import TYPE_CHECKING, Any

from django.conf import settings

from coopdx.links import absolute_url

from ..phones import zalo_phone
from . import NoAddress, PermanentFailure, TransientFailure

if TYPE_CHECKING:
    from accounts.models import User

    from ..models import Notification

# Zalo's answers that trying again cannot change: the phone number, the Zalo account behind it,
# or the template (its id or data). Any other error (unknown error, quota, token) is retried.
PERMANENT_ERRORS = {-108, -109, -111, -112, -115, -118, -119, -139}


class ZaloZNSChannel:
    @staticmethod
    def is_enabled() -> bool:
        return bool(settings.ZALO_ZNS_ACCESS_TOKEN)

    def address(self, user: User) -> str:
        if not self.is_enabled():
            raise NoAddress("Zalo is not configured")
        phone = zalo_phone(user.phone)
        if phone is None:
            raise NoAddress("no phone number" if not user.phone else f"not a Vietnamese phone number: {user.phone}")
        return phone

    def send(self, *, notification: Notification, address: str, tracking_id: str) -> str:
        template_id = settings.ZALO_ZNS_TEMPLATES.get(notification.kind)
        if not template_id:
            raise NoAddress(f"no Zalo template for {notification.kind}")
        payload = {
            "phone": address,
            "template_id": str(template_id),
            "template_data": {
                **notification.template_values(),
                "subject": notification.subject,
                "link": absolute_url(notification.link) if notification.link else "",
            },
            "tracking_id": tracking_id,
        }
        answer = self._post(payload)
        error = int(answer.get("error", -1))
        if error == 0:
            return str((answer.get("data") or {}).get("msg_id", ""))
        message = f"Zalo error {error}: {answer.get('message', '')}"
        if error in PERMANENT_ERRORS:
            raise PermanentFailure(message)
        raise TransientFailure(message)

    def _post(self, payload: dict[str, Any]) -> dict[str, Any]:
        request = urllib.request.Request(
            settings.ZALO_ZNS_URL,
            data=json.dumps(payload, ensure_ascii=False).encode(),
            headers={"Content-Type": "application/json", "access_token": settings.ZALO_ZNS_ACCESS_TOKEN},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=settings.ZALO_ZNS_TIMEOUT) as reply:  # noqa: S310
                return json.loads(reply.read().decode() or "{}")
        except urllib.error.HTTPError as error:
            if error.code == 429 or error.code >= 500:
                raise TransientFailure(f"Zalo HTTP {error.code}") from error
            raise PermanentFailure(f"Zalo HTTP {error.code}") from error
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise TransientFailure(f"Zalo unreachable: {error}") from error
        except ValueError as error:
            raise TransientFailure("Zalo answered something that is not JSON") from error
