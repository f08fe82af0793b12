"""The webhook event of an accepted self-assessment (``response.accepted``): what identifies it
and its result, nothing personal (who entered or reviewed it is not sent)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import webhooks

if TYPE_CHECKING:
    from .models import Response

EVENT = "response.accepted"


def response_accepted(*, response: Response) -> int:
    """Emit the event (inside the review's transaction) to the cooperative's province and the nation."""
    cooperative = response.cooperative
    payload = {
        "response": response.pk,
        "round": response.round.code,
        "cooperative": cooperative.code,
        "province": cooperative.province.code,
        "level": response.level,
        "score": None if response.score is None else str(response.score),
        "accepted_at": response.reviewed_at,
    }
    return webhooks.emit(EVENT, payload, cooperative.province_id)
