"""Panels that the surveys app adds to other apps' pages, so those apps need not know surveys.

``{% load survey_panels %}{% cooperative_self_assessments cooperative %}`` on a cooperative's
page lists its self-assessments, oldest round first (its maturity trend), as far as the
signed-in user may see them. ``groups|with_self_assessments`` adds to the registry's
possible duplicates what each cooperative answered.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Count, OuterRef, Subquery
from django.utils.translation import get_language

from cooperatives.models import Cooperative

from .. import selectors
from ..models import Response

register = template.Library()


@register.inclusion_tag("surveys/_cooperative_self_assessments.html", takes_context=True)
def cooperative_self_assessments(context: dict[str, Any], cooperative: Cooperative) -> dict[str, Any]:
    user = context["request"].user
    responses = selectors.response_list(user=user).filter(cooperative=cooperative).order_by("round__opens_on")
    return {"responses": responses, "cooperative": cooperative}


@register.filter
def with_self_assessments(groups: list[Any]) -> list[Any]:
    """Possible duplicates (``cooperatives.duplicates``) with, on each cooperative, how many
    self-assessments it has and the last round it answered (submitted in): what an officer weighs
    before merging. One query for every group; the groups are returned as given."""
    ids = {c["pk"] for group in groups for c in group.cooperatives}
    if not ids:
        return groups
    answered = Response.objects.filter(cooperative=OuterRef("pk"), submitted_at__isnull=False).order_by(
        "-round__opens_on", "-pk"
    )
    rows = (
        Cooperative.objects.filter(pk__in=ids)
        .annotate(
            responses_count=Count("responses"),
            last_round_vi=Subquery(answered.values("round__name_vi")[:1]),
            last_round_en=Subquery(answered.values("round__name_en")[:1]),
        )
        .values("pk", "responses_count", "last_round_vi", "last_round_en")
    )
    english = (get_language() or "vi").startswith("en")
    found = {
        row["pk"]: (row["responses_count"], (english and row["last_round_en"]) or row["last_round_vi"] or "")
        for row in rows
    }
    for group in groups:
        for cooperative in group.cooperatives:
            cooperative["responses_count"], cooperative["last_round"] = found.get(cooperative["pk"], (0, ""))
    return groups
