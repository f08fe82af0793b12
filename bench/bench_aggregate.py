"""Benchmark 2: the nightly aggregation at national scale beside one hand-written SQL query.

The reference query computes the same province figures (counted responses, average score,
counts per level, every indicator) for every round in a single statement. Both run on the same
data in the same process; the ratio is what counts (the machine is shared and noisy).

    python -m bench.bench_aggregate [--scale 1]   (PostgreSQL; SURVEYS_COUNT_SUBMITTED=true)
"""

from __future__ import annotations

import argparse
import os
from decimal import Decimal
from typing import Any

from bench.common import print_table, record, timed


def reference_sql(definitions: list[tuple[str, str, list[str]]]) -> str:
    flags = ",\n      ".join(
        f"bool_or(q.code = %s AND o.code = ANY(%s)) AS f_{code}" for code, _question, _options in definitions
    )
    counts = ",\n  ".join(f"count(*) FILTER (WHERE f.f_{code}) AS {code}" for code, _q, _o in definitions)
    return f"""
WITH counted AS (
  SELECT r.id, r.round_id, c.province_id, r.score, r.level
  FROM surveys_response r JOIN cooperatives_cooperative c ON c.id = r.cooperative_id
  WHERE r.status = ANY(%s) AND NOT c.is_archived
), flags AS (
  SELECT a.response_id,
      {flags}
  FROM surveys_answer a
  JOIN surveys_question q ON q.id = a.question_id
  JOIN surveys_answer_options ao ON ao.answer_id = a.id
  JOIN surveys_option o ON o.id = ao.option_id
  JOIN counted ON counted.id = a.response_id
  GROUP BY a.response_id
), registry AS (
  SELECT province_id, count(*) AS n FROM cooperatives_cooperative
  WHERE status = 'active' AND NOT is_archived GROUP BY province_id
)
SELECT counted.round_id, counted.province_id, max(registry.n) AS cooperatives_total, count(*) AS surveyed,
  avg(counted.score) AS score_avg,
  {", ".join(f"count(*) FILTER (WHERE counted.level = {level}) AS level_{level}" for level in range(6))},
  {counts}
FROM counted LEFT JOIN flags f ON f.response_id = counted.id
LEFT JOIN registry ON registry.province_id = counted.province_id
GROUP BY counted.round_id, counted.province_id
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("SURVEYS_COUNT_SUBMITTED", "true")
    from bench.national import prepare

    loading = prepare(args.scale)
    from django.db import connection

    from indicators.models import IndicatorSnapshot
    from indicators.services import aggregate_indicators
    from surveys.lifecycle import counted_statuses
    from surveys.models import Answer, IndicatorDefinition, Response

    definitions = [
        (d.code, d.question_code, d.option_codes) for d in IndicatorDefinition.objects.filter(is_active=True)
    ]
    sql = reference_sql(definitions)
    params: list[Any] = []
    for _code, question, options in definitions:
        params += [question, options]
    params = [list(counted_statuses()), *params]

    def reference() -> list[tuple]:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    reference()  # warm the cache for both contenders
    sql_time, rows = timed(reference, repeat=args.repeat)
    aggregation_time, run = timed(lambda: aggregate_indicators(trigger="bench"), repeat=args.repeat)

    # The two must agree on every province figure.
    columns = [
        "round_id",
        "province_id",
        "cooperatives_total",
        "surveyed",
        "score_avg",
        *[f"level_{level}" for level in range(6)],
        *[code for code, _q, _o in definitions],
    ]
    mismatches = 0
    stored = {
        (s.round_id, s.province_id, s.metric): s for s in IndicatorSnapshot.objects.filter(run=run, scope="province")
    }
    for row in rows:
        values = dict(zip(columns, row, strict=True))
        key = (values["round_id"], values["province_id"])
        checks = {
            "surveyed_total": values["surveyed"],
            **{f"level_{lv}_count": values[f"level_{lv}"] for lv in range(6)},
            **{f"{code}_pct": values[code] for code, _q, _o in definitions},
        }
        for metric, expected in checks.items():
            figure = stored[(*key, metric)]
            got = figure.numerator
            if got != expected:
                mismatches += 1
        score = stored[(*key, "maturity_score_avg")].value
        if score is None or abs(score - Decimal(values["score_avg"])) > Decimal("1e-6"):
            mismatches += 1
    metrics = {
        "cooperatives": int(Response.objects.values("cooperative").distinct().count()),
        "responses": Response.objects.count(),
        "answers": Answer.objects.count(),
        **{key: round(value, 2) for key, value in loading.items()},
        "reference_sql_s": round(sql_time, 3),
        "aggregation_s": round(aggregation_time, 3),
        "aggregation_to_sql_ratio": round(aggregation_time / sql_time, 2),
        "figures_written": run.rows_written,
        "province_figure_mismatches": mismatches,
    }
    print_table(f"Aggregation x{args.scale} ({connection.vendor})", list(metrics.items()))
    record(f"aggregate_x{args.scale}", metrics)


if __name__ == "__main__":
    main()
