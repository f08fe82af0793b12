"""Panels that the surveys app adds to other apps' pages, so those apps need not know surveys.

``{% load survey_panels %}{% cooperative_self_assessments cooperative %}`` on a cooperative's
page lists its self-assessments, oldest round first (its maturity trend), as far as the
signed-in user may see them.
"""

from __future__ import annotations

from typing import Any

from django import template

from cooperatives.models import Cooperative

from .. import selectors

register = template.Library()


@register.inclusion_tag("surveys/_cooperative_self_assessments.html", takes_context=True)
def cooperative_self_assessments(context: dict[str, Any], cooperative: Cooperative) -> dict[str, Any]:
    user = context["request"].user
    responses = selectors.response_list(user=user).filter(cooperative=cooperative).order_by("round__opens_on")
    return {"responses": responses, "cooperative": cooperative}
