"""The nightly aggregation: adoption indicators per round × province / sector / nation.

Set-based: two GROUP BY queries per partition (the registry, and the counted responses with
one filtered count per indicator definition), whatever the number of cooperatives. The rows
of a partition are additive counts, so the country can be computed in one partition or fanned
out per province across Celery workers and summed; percentages and averages are derived from
the summed counts at the end. This module computes and writes nothing; ``services`` runs it
and writes the snapshot in one transaction (delete the day's figures, insert the new ones): a
run that dies leaves the previous snapshot whole, and two runs on the same day give the same
figures.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Q, Sum

from cooperatives.models import Cooperative, CooperativeStatus, Province, Sector
from surveys.lifecycle import counted_statuses
from surveys.models import Answer, IndicatorDefinition, Response, SurveyRound

from .models import Scope

logger = logging.getLogger(__name__)

LEVELS = range(6)
PRECISION = Decimal("0.000000000001")


def rounds_for(round_code: str = "") -> list[SurveyRound]:
    rounds = SurveyRound.objects.order_by("opens_on")
    if round_code:
        rounds = rounds.filter(code=round_code)
        if not rounds.exists():
            raise SurveyRound.DoesNotExist(f"No survey round {round_code}")
    return list(rounds)


def compute_partition(*, round_ids: list[int], province_id: int | None = None) -> dict[str, list[dict[str, Any]]]:
    """Additive counts of one partition (a province, or the whole country when None).

    Returns plain JSON-able rows so that a Celery worker can send them back to the join.
    """
    cooperatives = Cooperative.objects.filter(is_archived=False, status=CooperativeStatus.ACTIVE)
    responses = Response.objects.filter(
        round_id__in=round_ids, status__in=counted_statuses(), cooperative__is_archived=False
    )
    if province_id is not None:
        cooperatives = cooperatives.filter(province_id=province_id)
        responses = responses.filter(cooperative__province_id=province_id)
    registry: list[dict[str, Any]] = [
        dict(row)
        for row in cooperatives.values("province_id", "sector_id")
        .annotate(n=Count("pk"))
        .order_by("province_id", "sector_id")
    ]
    through = Answer.options.through
    aggregates: dict[str, Any] = {
        "n": Count("pk"),
        "score_sum": Sum("score"),
        **{f"level_{level}": Count("pk", filter=Q(level=level)) for level in LEVELS},
    }
    for definition in IndicatorDefinition.objects.filter(is_active=True):
        matches = through.objects.filter(
            answer__response=OuterRef("pk"),
            answer__question__code=definition.question_code,
            option__code__in=definition.option_codes,
        )
        aggregates[f"ind_{definition.code}"] = Count("pk", filter=Q(Exists(matches)))
    answered: list[dict[str, Any]] = [
        dict(row)
        for row in responses.values(
            "round_id", province_id=F("cooperative__province_id"), sector_id=F("cooperative__sector_id")
        )
        .annotate(**aggregates)
        .order_by("round_id", "province_id", "sector_id")
    ]
    for row in answered:
        row["score_sum"] = str(row["score_sum"] or 0)
    return {"registry": registry, "responses": answered}


def merge_partitions(partitions: Iterable[dict[str, list[dict[str, Any]]]]) -> dict[str, list[dict[str, Any]]]:
    merged: dict[str, list[dict[str, Any]]] = {"registry": [], "responses": []}
    for partition in partitions:
        merged["registry"].extend(partition["registry"])
        merged["responses"].extend(partition["responses"])
    return merged


def build_figures(counts: dict[str, list[dict[str, Any]]], rounds: list[SurveyRound]) -> list[dict[str, Any]]:
    """Roll the (province, sector) counts up to every scope and derive the metrics."""
    definitions = list(IndicatorDefinition.objects.filter(is_active=True).values_list("code", flat=True))
    sector_codes = dict(Sector.objects.values_list("pk", "code"))
    province_codes = dict(Province.objects.values_list("pk", "code"))

    def keys(province_id: int, sector_id: int) -> list[tuple[str, str, int | None, int | None]]:
        p, s = province_codes[province_id], sector_codes[sector_id]
        return [
            ("nation", Scope.NATION, None, None),
            (f"p:{p}", Scope.PROVINCE, province_id, None),
            (f"s:{s}", Scope.SECTOR, None, sector_id),
            (f"p:{p}|s:{s}", Scope.PROVINCE_SECTOR, province_id, sector_id),
        ]

    totals: dict[str, int] = defaultdict(int)
    scopes: dict[str, tuple[str, int | None, int | None]] = {"nation": (Scope.NATION, None, None)}
    for row in counts["registry"]:
        for key, scope, province_id, sector_id in keys(row["province_id"], row["sector_id"]):
            totals[key] += row["n"]
            scopes[key] = (scope, province_id, sector_id)
    per_round: dict[tuple[int, str], dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for row in counts["responses"]:
        for key, scope, province_id, sector_id in keys(row["province_id"], row["sector_id"]):
            scopes[key] = (scope, province_id, sector_id)
            bucket = per_round[(row["round_id"], key)]
            bucket["n"] += row["n"]
            bucket["score_sum"] += Decimal(row["score_sum"])
            for level in LEVELS:
                bucket[f"level_{level}"] += row[f"level_{level}"]
            for code in definitions:
                bucket[f"ind_{code}"] += row.get(f"ind_{code}", 0)
    figures: list[dict[str, Any]] = []
    for survey_round in rounds:
        for key, (scope, province_id, sector_id) in scopes.items():
            bucket = per_round.get((survey_round.pk, key), {})
            surveyed = int(bucket.get("n", 0))
            total = totals.get(key, 0)

            def add(
                metric: str,
                value: Decimal | None,
                numerator: int | None = None,
                denominator: int | None = None,
                *,
                _key: str = key,
                _scope: str = scope,
                _province: int | None = province_id,
                _sector: int | None = sector_id,
                _round: SurveyRound = survey_round,
            ) -> None:
                figures.append(
                    {
                        "round_id": _round.pk,
                        "scope": _scope,
                        "scope_key": _key,
                        "province_id": _province,
                        "sector_id": _sector,
                        "metric": metric,
                        "value": None if value is None else value.quantize(PRECISION),
                        "numerator": numerator,
                        "denominator": denominator,
                    }
                )

            def pct(numerator: int, denominator: int) -> Decimal | None:
                return Decimal(100) * numerator / denominator if denominator else None

            add("cooperatives_total", Decimal(total), total)
            add("surveyed_total", Decimal(surveyed), surveyed)
            add("survey_coverage_pct", pct(surveyed, total), surveyed, total)
            add("maturity_score_avg", bucket["score_sum"] / surveyed if surveyed else None)
            for level in LEVELS:
                count = int(bucket.get(f"level_{level}", 0))
                add(f"level_{level}_count", Decimal(count), count)
            for code in definitions:
                numerator = int(bucket.get(f"ind_{code}", 0))
                add(f"{code}_pct", pct(numerator, surveyed), numerator, surveyed)
    return figures


def should_fan_out() -> bool:
    """Fan out per province when real workers exist and the registry is large."""
    threshold = getattr(settings, "INDICATORS_FANOUT_THRESHOLD", 5000)
    return not settings.CELERY_TASK_ALWAYS_EAGER and Cooperative.objects.count() >= threshold
