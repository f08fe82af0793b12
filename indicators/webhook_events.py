"""The webhook event of a finished indicator computation (``indicators.recomputed``).

National subscriptions get the nation's coverage per round; each province's subscriptions get
their own province's coverage, never another's. Coverage (self-assessed / expected) is the
figure sent because the small-numbers rule does not apply to it (its base is the registry);
the other figures are read through the API, which applies it.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection, Sequence
from typing import Any

import webhooks
from cooperatives.models import Province
from surveys.models import SurveyRound

from .models import Scope

EVENT = "indicators.recomputed"
METRIC = "survey_coverage_pct"


def indicators_recomputed(
    *,
    run_id: int,
    day: datetime.date,
    rounds: Sequence[SurveyRound],
    figures: Sequence[dict[str, Any]],
    provinces_changed: Collection[int] | None = None,
) -> int:
    """Emit the event (inside the snapshot's transaction): one national shape, one per province
    (only ``provinces_changed`` when the figures are some provinces' only)."""
    codes = {r.pk: r.code for r in rounds}
    base = {"run": run_id, "snapshot_date": day.isoformat(), "rounds": [r.code for r in rounds]}
    national: list[dict[str, Any]] = []
    per_province: dict[int, list[dict[str, Any]]] = {}
    for figure in figures:
        if figure["metric"] != METRIC:
            continue
        row = {
            "round": codes.get(figure["round_id"], ""),
            "value": None if figure["value"] is None else str(figure["value"]),
            "numerator": figure["numerator"],
            "denominator": figure["denominator"],
        }
        if figure["scope"] == Scope.NATION:
            national.append(row)
        elif figure["scope"] == Scope.PROVINCE and figure["province_id"] is not None:
            per_province.setdefault(figure["province_id"], []).append(row)

    def provinces(wanted: set[int]) -> dict[int, dict[str, Any]]:
        # Only the provinces that have subscriptions: none, no query.
        codes = dict(Province.objects.filter(pk__in=wanted).values_list("pk", "code"))
        return {
            pk: {**base, "scope": "province", "province": codes[pk], "coverage": per_province.get(pk, [])}
            for pk in wanted
            if pk in codes and (provinces_changed is None or pk in provinces_changed)
        }

    return webhooks.emit_by_province(EVENT, {**base, "scope": "nation", "coverage": national}, provinces)
