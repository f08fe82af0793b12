"""The support panel on a cooperative's page (``{% load support_panels %}{% cooperative_support
cooperative %}``), so the registry's page does not import this app."""

from __future__ import annotations

from typing import Any

from django import template

from cooperatives.models import Cooperative

from .. import selectors

register = template.Library()


@register.inclusion_tag("support/_cooperative_support.html", takes_context=True)
def cooperative_support(context: dict[str, Any], cooperative: Cooperative) -> dict[str, Any]:
    user = context["request"].user
    return {
        "cooperative": cooperative,
        "records": list(selectors.support_list_for_cooperative(user=user, cooperative=cooperative)),
        "can_record": user.has_perm("support.record_support", cooperative),
        "can_view_programmes": user.has_perm("support.view_programmes"),
        "csrf_token": context.get("csrf_token"),
    }
