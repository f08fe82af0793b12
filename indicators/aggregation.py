"""The nightly aggregation: adoption indicators per round × nation / province / sector /
province × sector / ward (commune), and the share of self-assessments the registry contradicts.

Set-based: two GROUP BY queries per partition (the registry, and the counted responses: one
pass over the indicators' and evidence checks' chosen options, see ``_counted_responses``),
whatever the number of cooperatives. The rows of a partition are additive counts, so the country
can be computed in one partition or fanned out per province across Celery workers and summed;
percentages and averages are derived from the summed counts at the end. This module computes
and writes nothing; ``services`` runs it and writes the snapshot in one transaction (delete the
day's figures, insert the new ones): a run that dies leaves the previous snapshot whole, and two
runs on the same day give the same figures.
"""

from __future__ import annotations

import logging
import operator
from collections import defaultdict
from collections.abc import Collection
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Count

from cooperatives.models import Cooperative, CooperativeStatus, Province, Sector, Ward
from surveys.continuity import indicator_option_ids
from surveys.evidence import resolved_checks, sql_any_mismatch, sql_choice_flags
from surveys.lifecycle import counted_statuses
from surveys.models import Answer, IndicatorDefinition, Response, SurveyRound

from .models import Scope

logger = logging.getLogger(__name__)

LEVELS = range(6)
PRECISION = Decimal("0.000000000001")
# The score's own precision: SQLite sums it as a float, rounded back to it.
SCORE_STEP = Decimal(1).scaleb(-Response._meta.get_field("score").decimal_places)
# The share of counted responses with at least one mismatch against the registry's evidence.
MISMATCH_METRIC = "evidence_mismatch_pct"
MISMATCHED = "evidence_mismatched"


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
    if province_id is not None:
        cooperatives = cooperatives.filter(province_id=province_id)
    registry: list[dict[str, Any]] = [
        dict(row)
        for row in cooperatives.values("province_id", "sector_id", "ward_id")
        .annotate(n=Count("pk"))
        .order_by("province_id", "sector_id", "ward_id")
    ]
    return {"registry": registry, "responses": _counted_responses(round_ids, province_id)}


def _counted_responses(round_ids: list[int], province_id: int | None) -> list[dict[str, Any]]:
    """The counted responses per (round, province, sector, ward): how many, their summed score, how
    many at each level, per active indicator how many chose one of its options, and how many are
    a mismatch of at least one evidence check (``surveys.evidence``).

    One statement, one pass: the chosen options among the indicators' (resolved to ids first)
    are read once for the partition's counted responses, folded into one row per response (a
    0/1 flag per indicator), joined to the responses and grouped. No subquery per indicator or
    per response.
    """
    if not round_ids:
        return []
    definitions = list(
        IndicatorDefinition.objects.filter(is_active=True).values_list("code", "question_code", "option_codes")
    )
    # Each indicator's options as ids in every questionnaire version (the same codes, or the
    # version's mapping where it dropped or changed the question): two queries.
    options_of = indicator_option_ids(definitions)
    # The evidence checks' options join the same fold: one more 0/1 flag per check.
    checks = resolved_checks()
    option_ids = sorted({pk for ids in options_of.values() for pk in ids} | {pk for r in checks for pk in r.option_ids})
    statuses = list(counted_statuses())

    def marks(values: Collection[Any]) -> str:
        return ", ".join(["%s"] * len(values))

    # The counted responses of the partition: the outer query's rows, and the filter of the
    # chosen options below (so that a province's partition reads only its own answers).
    where = f"r.round_id IN ({marks(round_ids)}) AND r.status IN ({marks(statuses)}) AND c.is_archived = %s"
    where_params: list[Any] = [*round_ids, *statuses, False]
    if province_id is not None:
        where += " AND c.province_id = %s"
        where_params.append(province_id)
    counted = f"FROM {Response._meta.db_table} r JOIN {Cooperative._meta.db_table} c ON c.id = r.cooperative_id"
    params: list[Any] = []
    flags = ""
    sums = ""
    for index, (code, _question, _options) in enumerate(definitions):
        if options_of[code]:
            flags += f", MAX(CASE WHEN ao.option_id IN ({marks(options_of[code])}) THEN 1 ELSE 0 END) AS ind_{index}"
            params += options_of[code]
            sums += f", SUM(COALESCE(f.ind_{index}, 0))"
        else:
            sums += ", 0"
    evidence_columns, evidence_params = sql_choice_flags(checks)
    flags += "".join(f", {column}" for column in evidence_columns)
    params += evidence_params
    mismatch, mismatch_params = sql_any_mismatch(checks)
    sums += f", SUM({mismatch})"
    # First, the coverage's numerator: the answers of the active registry, its base (the rule of
    # ``surveys.lifecycle.expected_to_answer``); a suspended cooperative's count in the shares.
    params = [CooperativeStatus.ACTIVE, *mismatch_params, *params]
    chosen = ""
    if option_ids:
        # One row per response with a 0/1 flag per indicator, from its chosen indicator options.
        chosen = (
            f" LEFT JOIN (SELECT a.response_id{flags} FROM {Answer.options.through._meta.db_table} ao"
            f" JOIN {Answer._meta.db_table} a ON a.id = ao.answer_id WHERE ao.option_id IN ({marks(option_ids)})"
            f" AND a.response_id IN (SELECT r.id {counted} WHERE {where}) GROUP BY a.response_id)"
            f" f ON f.response_id = r.id"
        )
        params += [*option_ids, *where_params]
    params += where_params
    levels = ", ".join(f"SUM(CASE WHEN r.level = {level} THEN 1 ELSE 0 END)" for level in LEVELS)
    sql = (
        f"SELECT r.round_id, c.province_id, c.sector_id, c.ward_id, COUNT(*),"
        f" SUM(CASE WHEN c.status = %s THEN 1 ELSE 0 END), SUM(r.score), {levels}{sums} "
        f"{counted}{chosen} WHERE {where} "
        f"GROUP BY r.round_id, c.province_id, c.sector_id, c.ward_id"
        f" ORDER BY r.round_id, c.province_id, c.sector_id, c.ward_id"
    )
    rows: list[dict[str, Any]] = []
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # PostgreSQL would compile this statement just in time, which costs more than it saves.
            cursor.execute("SET LOCAL jit = off")
        cursor.execute(sql, params)
        for row in cursor.fetchall():
            round_id, province, sector, ward, n, n_expected, score_sum, *counts = row
            record: dict[str, Any] = {"round_id": round_id, "province_id": province, "sector_id": sector}
            record.update(ward_id=ward, n=n, n_expected=int(n_expected or 0))
            record["score_sum"] = str(Decimal(score_sum or 0).quantize(SCORE_STEP))
            record.update({f"level_{level}": int(counts[level]) for level in LEVELS})
            record.update(
                {f"ind_{code}": int(counts[len(LEVELS) + index]) for index, (code, _q, _o) in enumerate(definitions)}
            )
            record[MISMATCHED] = int(counts[-1] or 0)
            rows.append(record)
    return rows


def build_figures(counts: dict[str, list[dict[str, Any]]], rounds: list[SurveyRound]) -> list[dict[str, Any]]:
    """Roll the (province, sector, ward) counts up to every scope and derive the metrics."""
    rollup = Rollup(active_definitions())
    rollup.add_registry(counts["registry"])
    rollup.add_responses(counts["responses"])
    return figures_of(rollup, rounds)


def active_definitions() -> list[str]:
    return list(IndicatorDefinition.objects.filter(is_active=True).values_list("code", flat=True))


def figures_of(rollup: Rollup, rounds: list[SurveyRound], keys: Collection[str] | None = None) -> list[dict[str, Any]]:
    """The figures of every round in the rollup's scopes (only those named by ``keys``, if given)."""
    figures: list[dict[str, Any]] = []
    for survey_round in rounds:
        for key, (scope, province_id, sector_id, ward_id) in rollup.scopes.items():
            if keys is not None and key not in keys:
                continue
            place = {
                "round_id": survey_round.pk,
                "scope": scope,
                "scope_key": key,
                "province_id": province_id,
                "sector_id": sector_id,
                "ward_id": ward_id,
            }
            bucket = rollup.bucket(survey_round.pk, key)
            figures.extend(
                {
                    **place,
                    "metric": metric,
                    "value": None if value is None else value.quantize(PRECISION),
                    "numerator": numerator,
                    "denominator": denominator,
                }
                for metric, value, numerator, denominator in _metrics(
                    bucket, rollup.totals.get(key, 0), rollup.definitions, levels=scope != Scope.WARD
                )
            )
    return figures


class Rollup:
    """The partition rows summed into every scope each belongs to: the nation, its province, its
    sector, its province × sector and its ward (when the cooperative has one). Scopes keep the
    order they are first met in (the nation first), which is the order of the figures.

    A row's counts are summed as one vector per (round, scope) (``fields`` order), added
    element-wise: ~30,000 rows into five scopes each, at national scale."""

    def __init__(self, definitions: list[str]) -> None:
        self.definitions = definitions
        self.fields = ["n", "n_expected", "score_sum", *(f"level_{level}" for level in LEVELS)]
        self.fields += [*(f"ind_{code}" for code in definitions), MISMATCHED]
        self.sector_codes = dict(Sector.objects.values_list("pk", "code"))
        self.province_codes = dict(Province.objects.values_list("pk", "code"))
        self.ward_codes = dict(Ward.objects.values_list("pk", "code"))
        # Scope key ("nation", "p:01", "s:NN", "p:01|s:NN", "p:01|w:00004") → (scope, province
        # id, sector id, ward id).
        self.scopes: dict[str, tuple[str, int | None, int | None, int | None]] = {
            "nation": (Scope.NATION, None, None, None)
        }
        # Active cooperatives in the registry, per scope key.
        self.totals: dict[str, int] = defaultdict(int)
        # The counted responses' sums, per (round id, scope key), in ``fields`` order.
        self.sums: dict[tuple[int, str], list[Any]] = {}

    def _keys(self, row: dict[str, Any]) -> list[str]:
        """The keys of the scopes a (province, sector, ward) row counts in; each scope is recorded."""
        province_id, sector_id, ward_id = row["province_id"], row["sector_id"], row["ward_id"]
        p, s = self.province_codes[province_id], self.sector_codes[sector_id]
        scoped: dict[str, tuple[str, int | None, int | None, int | None]] = {
            "nation": (Scope.NATION, None, None, None),
            f"p:{p}": (Scope.PROVINCE, province_id, None, None),
            f"s:{s}": (Scope.SECTOR, None, sector_id, None),
            f"p:{p}|s:{s}": (Scope.PROVINCE_SECTOR, province_id, sector_id, None),
        }
        if ward_id is not None:
            scoped[f"p:{p}|w:{self.ward_codes[ward_id]}"] = (Scope.WARD, province_id, None, ward_id)
        self.scopes.update(scoped)
        return list(scoped)

    def add_registry(self, rows: list[dict[str, Any]]) -> None:
        for row in rows:
            for key in self._keys(row):
                self.totals[key] += row["n"]

    def add_responses(self, rows: list[dict[str, Any]]) -> None:
        for row in rows:
            # An indicator or the mismatch count may be missing from a partition computed before
            # it was defined (a fanned-out run); the rest may not.
            counts = [row["n"], row.get("n_expected", 0), Decimal(row["score_sum"])]
            counts += [row[f"level_{level}"] for level in LEVELS]
            counts += [row.get(field, 0) for field in self.fields[len(counts) :]]
            round_id = row["round_id"]
            for key in self._keys(row):
                summed = self.sums.get((round_id, key))
                self.sums[(round_id, key)] = counts if summed is None else list(map(operator.add, summed, counts))

    def bucket(self, round_id: int, key: str) -> dict[str, Any]:
        """The summed counts of a round in a scope by name (empty when nothing was counted)."""
        summed = self.sums.get((round_id, key))
        return {} if summed is None else dict(zip(self.fields, summed, strict=True))


def _metrics(
    bucket: dict[str, Any], total: int, definitions: list[str], *, levels: bool = True
) -> list[tuple[str, Decimal | None, int | None, int | None]]:
    """(metric, value, numerator, denominator) of one round and scope from its summed counts (over
    nothing: None). ``levels``: the counts per level and the mismatch rate, which a ward does not
    get (a handful of cooperatives over six levels tells nothing; its write would cost most)."""
    surveyed = int(bucket.get("n", 0))
    expected = int(bucket.get("n_expected", 0))
    metrics: list[tuple[str, Decimal | None, int | None, int | None]] = [
        ("cooperatives_total", Decimal(total), total, None),
        ("surveyed_total", Decimal(surveyed), surveyed, None),
        ("survey_coverage_pct", _pct(expected, total), expected, total),
        ("maturity_score_avg", bucket["score_sum"] / surveyed if surveyed else None, None, None),
    ]
    for level in LEVELS if levels else ():
        count = int(bucket.get(f"level_{level}", 0))
        metrics.append((f"level_{level}_count", Decimal(count), count, None))
    for code in definitions:
        numerator = int(bucket.get(f"ind_{code}", 0))
        metrics.append((f"{code}_pct", _pct(numerator, surveyed), numerator, surveyed))
    if levels:
        mismatched = int(bucket.get(MISMATCHED, 0))
        metrics.append((MISMATCH_METRIC, _pct(mismatched, surveyed), mismatched, surveyed))
    return metrics


def _pct(numerator: int, denominator: int) -> Decimal | None:
    return Decimal(100) * numerator / denominator if denominator else None
