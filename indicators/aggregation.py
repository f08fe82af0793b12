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
    rollup = _Rollup(definitions)
    rollup.add_registry(counts["registry"])
    rollup.add_responses(counts["responses"])
    figures: list[dict[str, Any]] = []
    for survey_round in rounds:
        for key, (scope, province_id, sector_id) in rollup.scopes.items():
            place = {
                "round_id": survey_round.pk,
                "scope": scope,
                "scope_key": key,
                "province_id": province_id,
                "sector_id": sector_id,
            }
            bucket = rollup.per_round.get((survey_round.pk, key), {})
            figures.extend(
                {
                    **place,
                    "metric": metric,
                    "value": None if value is None else value.quantize(PRECISION),
                    "numerator": numerator,
                    "denominator": denominator,
                }
                for metric, value, numerator, denominator in _metrics(bucket, rollup.totals.get(key, 0), definitions)
            )
    return figures


class _Rollup:
    """The partition rows summed into every scope each belongs to: the nation, its province, its
    sector, and its province × sector. Scopes keep the order they are first met in (the nation
    first), which is the order of the figures."""

    def __init__(self, definitions: list[str]) -> None:
        self.definitions = definitions
        self.sector_codes = dict(Sector.objects.values_list("pk", "code"))
        self.province_codes = dict(Province.objects.values_list("pk", "code"))
        # Scope key ("nation", "p:01", "s:NN", "p:01|s:NN") → (scope, province id, sector id).
        self.scopes: dict[str, tuple[str, int | None, int | None]] = {"nation": (Scope.NATION, None, None)}
        # Active cooperatives in the registry, per scope key.
        self.totals: dict[str, int] = defaultdict(int)
        # The counted responses' sums, per (round id, scope key).
        self.per_round: dict[tuple[int, str], dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))

    def _keys(self, province_id: int, sector_id: int) -> list[str]:
        """The keys of the scopes a (province, sector) row counts in; each scope is recorded."""
        p, s = self.province_codes[province_id], self.sector_codes[sector_id]
        scoped = {
            "nation": (Scope.NATION, None, None),
            f"p:{p}": (Scope.PROVINCE, province_id, None),
            f"s:{s}": (Scope.SECTOR, None, sector_id),
            f"p:{p}|s:{s}": (Scope.PROVINCE_SECTOR, province_id, sector_id),
        }
        self.scopes.update(scoped)
        return list(scoped)

    def add_registry(self, rows: list[dict[str, Any]]) -> None:
        for row in rows:
            for key in self._keys(row["province_id"], row["sector_id"]):
                self.totals[key] += row["n"]

    def add_responses(self, rows: list[dict[str, Any]]) -> None:
        for row in rows:
            for key in self._keys(row["province_id"], row["sector_id"]):
                bucket = self.per_round[(row["round_id"], key)]
                bucket["n"] += row["n"]
                bucket["score_sum"] += Decimal(row["score_sum"])
                for level in LEVELS:
                    bucket[f"level_{level}"] += row[f"level_{level}"]
                for code in self.definitions:
                    bucket[f"ind_{code}"] += row.get(f"ind_{code}", 0)


def _metrics(
    bucket: dict[str, Decimal], total: int, definitions: list[str]
) -> list[tuple[str, Decimal | None, int | None, int | None]]:
    """(metric, value, numerator, denominator) of one round and scope, from its summed counts;
    a percentage or an average over nothing is None."""
    surveyed = int(bucket.get("n", 0))
    metrics: list[tuple[str, Decimal | None, int | None, int | None]] = [
        ("cooperatives_total", Decimal(total), total, None),
        ("surveyed_total", Decimal(surveyed), surveyed, None),
        ("survey_coverage_pct", _pct(surveyed, total), surveyed, total),
        ("maturity_score_avg", bucket["score_sum"] / surveyed if surveyed else None, None, None),
    ]
    for level in LEVELS:
        count = int(bucket.get(f"level_{level}", 0))
        metrics.append((f"level_{level}_count", Decimal(count), count, None))
    for code in definitions:
        numerator = int(bucket.get(f"ind_{code}", 0))
        metrics.append((f"{code}_pct", _pct(numerator, surveyed), numerator, surveyed))
    return metrics


def _pct(numerator: int, denominator: int) -> Decimal | None:
    return Decimal(100) * numerator / denominator if denominator else None


def should_fan_out() -> bool:
    """Fan out per province when real workers exist and the registry is large."""
    threshold = getattr(settings, "INDICATORS_FANOUT_THRESHOLD", 5000)
    return not settings.CELERY_TASK_ALWAYS_EAGER and Cooperative.objects.count() >= threshold
