"""Benchmark 2: the nightly aggregation at national scale beside one SQL statement.

The reference statement computes every figure the job stores (every round, the four scopes,
registry totals, counted responses, average score, counts per level, every indicator, the share
of responses with a mismatch against the registry's evidence). Both run
alternately on the same data in the same process, and every figure is compared; the ratio is
what counts (the machine is shared and noisy).

    python -m bench.bench_aggregate [--scale 1]   (PostgreSQL; SURVEYS_COUNT_SUBMITTED=true)
"""

from __future__ import annotations

import argparse
import os
import statistics
from decimal import Decimal
from typing import Any

from bench.common import print_table, record, timed

# The registry's evidence of each kind for the cooperative ``c`` (surveys.EvidenceKind).
EVIDENCE = {
    "marketplace_listing": "c.id IN (SELECT cooperative_id FROM cooperatives_ecommercelisting"
    " WHERE platform <> 'provincial')",
    "provincial_listing": "c.id IN (SELECT cooperative_id FROM cooperatives_ecommercelisting"
    " WHERE platform = 'provincial')",
    "ocop_product": "c.id IN (SELECT cooperative_id FROM cooperatives_ocopproduct)",
    "traceability_record": "c.traceability IN ('qr_partial', 'qr_all')",
}


def reference_sql(indicators: int, checks: list[tuple[str, str]] | None = None) -> str:
    """One PostgreSQL statement computing every figure the job stores for every round: the
    five scopes (nation, province, sector, province × sector, ward) by GROUPING SETS, the registry
    totals, counts per level, the summed score, every indicator, the responses with a mismatch
    of at least one evidence check (``checks``: (kind, direction) of each) and the responses of
    active cooperatives (the coverage's numerator), in one pass over the chosen options of the
    indicators and checks among the counted responses.
    Parameters: the counted statuses, the option ids of each indicator, then of each check (an
    array each), all of them (one array), the counted statuses."""
    checks = checks or []
    flags = ",\n    ".join(
        [f"bool_or(ao.option_id = ANY(%s)) AS f_{index}" for index in range(indicators)]
        + [f"bool_or(ao.option_id = ANY(%s)) AS e_{index}" for index in range(len(checks))]
    )
    counted_flags = "".join(f", coalesce(chosen.f_{index}, false) AS f_{index}" for index in range(indicators))
    mismatch = " OR ".join(
        f"(coalesce(chosen.e_{index}, false) AND {'' if direction == 'denied' else 'NOT '}({EVIDENCE[kind]}))"
        for index, (kind, direction) in enumerate(checks)
    )
    counted_flags += f", ({mismatch or 'false'}) AS mismatched, c.status = 'active' AS expected"
    counts = "".join(f",\n  count(*) FILTER (WHERE f_{index})" for index in range(indicators))
    counts += ",\n  count(*) FILTER (WHERE mismatched),\n  count(*) FILTER (WHERE expected)"
    levels = ", ".join(f"count(*) FILTER (WHERE level = {level})" for level in range(6))
    sets = "GROUPING SETS ((), (province_id), (sector_id), (province_id, sector_id), (province_id, ward_id))"
    return f"""
WITH counted_ids AS (
  SELECT r.id FROM surveys_response r JOIN cooperatives_cooperative c ON c.id = r.cooperative_id
  WHERE r.status = ANY(%s) AND NOT c.is_archived
), chosen AS (
  SELECT a.response_id,
    {flags}
  FROM surveys_answer_options ao
  JOIN surveys_answer a ON a.id = ao.answer_id
  WHERE ao.option_id = ANY(%s) AND a.response_id IN (SELECT id FROM counted_ids)
  GROUP BY a.response_id
), counted AS (
  SELECT r.round_id, c.province_id, c.sector_id, c.ward_id, r.score, r.level{counted_flags}
  FROM surveys_response r JOIN cooperatives_cooperative c ON c.id = r.cooperative_id
  LEFT JOIN chosen ON chosen.response_id = r.id
  WHERE r.status = ANY(%s) AND NOT c.is_archived
), registry AS (
  SELECT province_id, sector_id, ward_id, GROUPING(province_id, sector_id, ward_id) AS g, count(*) AS n
  FROM cooperatives_cooperative WHERE status = 'active' AND NOT is_archived
  GROUP BY {sets}
), answered AS (
  SELECT round_id, province_id, sector_id, ward_id, GROUPING(province_id, sector_id, ward_id) AS g,
  count(*) AS surveyed, sum(score) AS score_sum, {levels}{counts}
  FROM counted GROUP BY round_id, {sets}
)
SELECT answered.*, coalesce(registry.n, 0) AS registry_n
FROM answered LEFT JOIN registry ON registry.g = answered.g
  AND registry.province_id IS NOT DISTINCT FROM answered.province_id
  AND registry.sector_id IS NOT DISTINCT FROM answered.sector_id
  AND registry.ward_id IS NOT DISTINCT FROM answered.ward_id
-- A cooperative without a ward has no ward scope.
WHERE NOT (answered.g = 2 AND answered.ward_id IS NULL)
"""


# GROUPING(province_id, sector_id, ward_id): a bit set for each column grouped away.
SCOPES = {1: "province_sector", 2: "ward", 3: "province", 5: "sector", 7: "nation"}


def compare(rows: list[tuple], run: Any, definitions: list[tuple[str, str, list[str]]]) -> tuple[int, int]:
    """(mismatches, figures compared) between the reference's rows and the run's snapshot: every
    figure of every scope the reference computes, and no scope with answers missing from either."""
    from indicators.models import IndicatorSnapshot

    stored = {
        (s.round_id, s.scope, s.province_id, s.sector_id, s.ward_id, s.metric): s
        for s in IndicatorSnapshot.objects.filter(run=run)
    }
    mismatches = compared = 0
    for row in rows:
        round_id, province_id, sector_id, ward_id, grouping, surveyed, score_sum, *rest = row
        levels, flags, mismatched, expected_n, total = rest[:6], rest[6:-3], rest[-3], rest[-2], rest[-1]
        key = (round_id, SCOPES[grouping], province_id, sector_id, ward_id)
        expected = {
            "cooperatives_total": (total, None),
            "surveyed_total": (surveyed, None),
            # Over the active registry: the responses of its cooperatives (a suspended one's count
            # in the shares, not in the coverage).
            "survey_coverage_pct": (expected_n, total),
            # No counts per level for a ward.
            **{
                f"level_{level}_count": (count, None)
                for level, count in enumerate(levels)
                if SCOPES[grouping] != "ward"
            },
            **{f"{code}_pct": (flag, surveyed) for (code, _q, _o), flag in zip(definitions, flags, strict=True)},
            # Nor a mismatch rate (the job's rule: its write would cost more than a ward's rate tells).
            **({"evidence_mismatch_pct": (mismatched, surveyed)} if SCOPES[grouping] != "ward" else {}),
        }
        for metric, (numerator, denominator) in expected.items():
            compared += 1
            figure = stored.get((*key, metric))
            if figure is None or (figure.numerator, figure.denominator) != (numerator, denominator):
                mismatches += 1
        compared += 1
        average = stored.get((*key, "maturity_score_avg"))
        if (
            average is None
            or average.value is None
            or abs(average.value - Decimal(score_sum) / surveyed) > Decimal("1e-9")
        ):
            mismatches += 1
    answered_scopes = {key[:5] for key, figure in stored.items() if key[5] == "surveyed_total" and figure.numerator}
    mismatches += len(answered_scopes ^ {(r[0], SCOPES[r[4]], r[1], r[2], r[3]) for r in rows})
    return mismatches, compared


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("SURVEYS_COUNT_SUBMITTED", "true")
    from bench.national import prepare

    loading = prepare(args.scale)
    from django.db import connection, transaction

    from indicators.aggregation import build_figures, compute_partition, rounds_for
    from indicators.services import aggregate_indicators
    from surveys.lifecycle import counted_statuses
    from surveys.models import Answer, EvidenceCheck, IndicatorDefinition, Response

    definitions = [
        (d.code, d.question_code, d.option_codes) for d in IndicatorDefinition.objects.filter(is_active=True)
    ]
    # The checks of a question some version has (the others apply to no response).
    checks = [
        (c.question_code, [str(o) for o in c.option_codes], c.kind, c.direction)
        for c in EvidenceCheck.objects.filter(is_active=True)
    ]
    sql = reference_sql(len(definitions), [(kind, direction) for _q, _o, kind, direction in checks])

    def option_ids() -> list[list[int]]:
        """Each indicator's option ids (the same codes in every questionnaire version)."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT q.code, o.code, o.id FROM surveys_option o JOIN surveys_question q ON q.id = o.question_id"
            )
            ids: dict[tuple[str, str], list[int]] = {}
            for question, option, pk in cursor.fetchall():
                ids.setdefault((question, option), []).append(pk)
        return [
            [pk for option in options for pk in ids.get((question, option), [])]
            for question, options in [(q, o) for _c, q, o in definitions] + [(q, o) for q, o, _k, _d in checks]
        ]

    def reference() -> list[tuple]:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")
            each = option_ids()
            statuses = list(counted_statuses())
            cursor.execute(sql, [statuses, *each, sorted({pk for ids in each for pk in ids}), statuses])
            return cursor.fetchall()

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    reference()  # warm the cache for both contenders
    # Pair by pair, alternating, so that both see the same machine.
    sql_times: list[float] = []
    job_times: list[float] = []
    compute_times: list[float] = []
    rounds = rounds_for()
    for _ in range(args.repeat):
        elapsed, _figures = timed(lambda: build_figures(compute_partition(round_ids=[r.pk for r in rounds]), rounds))
        compute_times.append(elapsed)
        elapsed, rows = timed(reference)
        sql_times.append(elapsed)
        vacuum_snapshot()
        elapsed, run = timed(lambda: aggregate_indicators(trigger="bench"))
        job_times.append(elapsed)
    sql_time, aggregation_time = statistics.median(sql_times), statistics.median(job_times)
    compute_time = statistics.median(compute_times)
    mismatches, compared = compare(rows, run, definitions)
    metrics = {
        "cooperatives": int(Response.objects.values("cooperative").distinct().count()),
        "responses": Response.objects.count(),
        "answers": Answer.objects.count(),
        **{key: round(value, 2) for key, value in loading.items()},
        "reference_sql_s": round(sql_time, 3),
        "aggregation_s": round(aggregation_time, 3),
        "of_which_computing_s": round(compute_time, 3),
        "aggregation_to_sql_ratio": round(aggregation_time / sql_time, 2),
        "figures_written": run.rows_written,
        "figures_compared": compared,
        "figure_mismatches": mismatches,
    }
    metrics.update(data_checks_cost(args.repeat, rounds))
    print_table(f"Aggregation x{args.scale} ({connection.vendor})", list(metrics.items()))
    record(f"aggregate_x{args.scale}", metrics)


def vacuum_snapshot() -> None:
    """Vacuum the snapshot's table before a timed job (not timed). Every job of a run rewrites
    the same day's ~160,000 figures; between two nights, autovacuum clears the figures a
    rewrite left dead, but the benchmark runs a dozen jobs in minutes, and a test cluster may
    have autovacuum off: without this, each job would find more dead index entries than the
    last."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) indicators_indicatorsnapshot")


def data_checks_cost(repeat: int, rounds: list[Any]) -> dict[str, float]:
    """What the nightly job's data checks (the evidence checks) cost, in this run: the job and its
    computing alone with every check switched off and on, pair by pair (alternating which goes
    first), at least five pairs; medians and ratios.
    The goal (issue #18): the checks make the job at most 10 % slower."""
    from indicators.aggregation import build_figures, compute_partition
    from indicators.services import aggregate_indicators
    from surveys.models import EvidenceCheck

    active = list(EvidenceCheck.objects.filter(is_active=True).values_list("pk", flat=True))
    ids = [r.pk for r in rounds]

    def compute() -> Any:
        return build_figures(compute_partition(round_ids=ids), rounds)

    times: dict[str, list[float]] = {"job_off": [], "job_on": [], "compute_off": [], "compute_on": []}
    try:
        for turn in range(max(repeat, 5)):
            for state in ("off", "on") if turn % 2 == 0 else ("on", "off"):
                EvidenceCheck.objects.filter(pk__in=active).update(is_active=state == "on")
                elapsed, _figures = timed(compute)
                times[f"compute_{state}"].append(elapsed)
                vacuum_snapshot()
                elapsed, _run = timed(lambda: aggregate_indicators(trigger="bench"))
                times[f"job_{state}"].append(elapsed)
    finally:
        EvidenceCheck.objects.filter(pk__in=active).update(is_active=True)
    median = {key: statistics.median(values) for key, values in times.items()}
    return {
        "checks_off_job_s": round(median["job_off"], 3),
        "checks_on_job_s": round(median["job_on"], 3),
        "data_checks_job_ratio": round(median["job_on"] / median["job_off"], 3),
        "data_checks_computing_ratio": round(median["compute_on"] / median["compute_off"], 3),
    }


if __name__ == "__main__":
    main()
