"""The evidence checks' panel on a cooperative's page (``{% cooperative_evidence cooperative %}``):
its self-assessments that the registry contradicts, for the officers and national roles who may
see them (``surveys.view_evidence_mismatches``), with links to put either side right."""

from __future__ import annotations

from typing import Any

from django import template

from cooperatives.models import Cooperative

from ..evidence_selectors import cooperative_mismatches

register = template.Library()


@register.inclusion_tag("surveys/_cooperative_evidence.html", takes_context=True)
def cooperative_evidence(context: dict[str, Any], cooperative: Cooperative) -> dict[str, Any]:
    user = context["request"].user
    if not user.has_perm("surveys.view_evidence_mismatches"):
        return {"shown": False}
    return {
        "shown": True,
        "cooperative": cooperative,
        "rounds": cooperative_mismatches(user=user, cooperative=cooperative),
        "can_maintain": user.has_perm("cooperatives.maintain_products", cooperative),
        "can_edit": user.has_perm("cooperatives.change_cooperative", cooperative),
    }
