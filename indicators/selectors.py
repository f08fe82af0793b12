"""Reads of the indicator snapshots for the dashboard and the API.

Everything comes from the snapshot tables, never from responses: a dashboard costs the same
handful of queries whether the registry holds 300 cooperatives or 280,000.

Longer than 300 lines on purpose: the dashboard's figures and the API's are the same reads of
the same snapshots, scoped by the same rule (``_snapshot_scope``); kept in one module so that
the page and the API cannot drift apart.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Max, Q, QuerySet

from coopdx import versions
from coopdx.collation import vietnamese
from coopdx.disclosure import MIN_ANSWERS
from cooperatives.models import Province, Sector
from cooperatives.text import fold
from surveys.models import IndicatorDefinition, SurveyRound

from .models import AggregationRun, IndicatorSnapshot, IndicatorTarget, RunStatus, Scope
from .versioning import INDICATORS

if TYPE_CHECKING:
    from accounts.models import User

CARD_METRICS = (
    "survey_coverage_pct",
    "maturity_score_avg",
    "dx_necessary_pct",
    "dx_plan_pct",
    "online_sales_pct",
    "ecommerce_pct",
    "traceability_pct",
    "digital_accounting_pct",
)
LEVEL_METRICS = tuple(f"level_{level}_count" for level in range(6))
# The figures whose base is the counted self-assessments (a share of answers, or their average).
# Coverage is not one: its base is the registry, a count of every active cooperative.
WARD_METRICS = (
    "survey_coverage_pct",
    "maturity_score_avg",
    "online_sales_pct",
    "ecommerce_pct",
    "digital_accounting_pct",
    "traceability_pct",
)


def rests_on_answers(metric: str) -> bool:
    return metric == "maturity_score_avg" or (metric.endswith("_pct") and metric != "survey_coverage_pct")


def too_few(metric: str, answers: Decimal | int | None) -> bool:
    """Whether a figure is to be shown as "n < 5": it rests on fewer than MIN_ANSWERS answers."""
    return rests_on_answers(metric) and answers is not None and answers < MIN_ANSWERS


@dataclass(frozen=True)
class TargetCheck:
    """A figure of a round against the target that applies to it.

    ``status``: "met" (at or above the target), "on_track" (below it, but at or above the
    straight path from the baseline), "off_track" (below that path, or below the target in or
    after its year), "due" (below the target, before its year, with no baseline to draw a path
    from: no verdict yet).
    """

    year: int
    value: Decimal
    status: str
    expected: Decimal | None
    own: bool
    source: str = ""


def targets_for(*, province: Province | None, metrics: tuple[str, ...] | list[str]) -> dict[str, list[IndicatorTarget]]:
    """Each metric's targets, by year: the province's own when it set any for that metric, else the
    national ones. One query."""
    rows = IndicatorTarget.objects.filter(metric__in=metrics).filter(
        Q(province__isnull=True) | Q(province=province) if province else Q(province__isnull=True)
    )
    national: dict[str, list[IndicatorTarget]] = defaultdict(list)
    own: dict[str, list[IndicatorTarget]] = defaultdict(list)
    for target in rows.order_by("year"):
        (own if target.province_id else national)[target.metric].append(target)
    return {metric: own.get(metric) or national.get(metric, []) for metric in metrics}


def target_check(targets: list[IndicatorTarget], value: Decimal | None, year: int) -> TargetCheck | None:
    """``value`` (a round of ``year``) against the first target due in or after that year (or the
    last one, when all are past). None without a value or a target."""
    if value is None or not targets:
        return None
    target = next((t for t in targets if t.year >= year), targets[-1])
    expected = None
    if target.baseline_year is not None and target.baseline_value is not None:
        span = target.year - target.baseline_year
        elapsed = min(max(year - target.baseline_year, 0), span)
        expected = target.baseline_value + (target.value - target.baseline_value) * elapsed / span
    if value >= target.value:
        status = "met"
    elif year >= target.year:
        status = "off_track"
    elif expected is not None:
        status = "on_track" if value >= expected else "off_track"
    else:
        status = "due"
    return TargetCheck(
        year=target.year,
        value=target.value,
        status=status,
        expected=expected,
        own=target.province_id is not None,
        source=target.source,
    )


@dataclass
class Card:
    """One headline figure with what it rests on and what it is compared with.

    ``comparison`` says which figure of the previous round ``previous`` is: ``"final"`` when both
    rounds are closed, ``"same_day"`` when this round is open and the previous round's figures on
    the same day of its own round were recorded, ``""`` when nothing comparable exists (an open
    round against a finished one is not a change: ``reference`` then holds the previous round's
    final figure, shown for information only).
    """

    metric: str
    label: str
    value: Decimal | None
    previous: Decimal | None
    national: Decimal | None
    rank: int | None
    ranked: int
    provinces: int = 0
    numerator: int | None = None
    denominator: int | None = None
    comparison: str = ""
    reference: Decimal | None = None
    target: TargetCheck | None = None

    @property
    def change(self) -> Decimal | None:
        if not self.comparison or self.value is None or self.previous is None:
            return None
        return self.value - self.previous

    @property
    def is_percent(self) -> bool:
        return self.metric.endswith("_pct")

    @property
    def too_few(self) -> bool:
        return self.value is not None and too_few(self.metric, self.denominator)


def metric_labels() -> dict[str, str]:
    """Names of the metrics in the user's language (the indicator definitions are data)."""
    from django.utils.translation import gettext as _

    labels = {
        "cooperatives_total": _("Active cooperatives"),
        "surveyed_total": _("Self-assessments counted"),
        "survey_coverage_pct": _("Share that assessed themselves"),
        "maturity_score_avg": _("Average maturity score"),
        **{f"level_{level}_count": _("Level %(level)s") % {"level": level} for level in range(6)},
    }
    for definition in IndicatorDefinition.objects.filter(is_active=True):
        labels[f"{definition.code}_pct"] = definition.name
    # Computed by the aggregation from the evidence checks (surveys.evidence), not a definition.
    labels["evidence_mismatch_pct"] = _("Self-reports the registry contradicts")
    return labels


def province_for(*, user: User, code: str | None) -> Province | None:
    """The province a dashboard shows: an officer's own; a national user's choice (or none)."""
    if user.is_officer:
        return user.province
    if user.is_national and code:
        return Province.objects.filter(code=code).first()
    return None


def latest_run() -> AggregationRun | None:
    return AggregationRun.objects.filter(status=RunStatus.SUCCEEDED).order_by("-finished_at").first()


def snapshot_date(on: datetime.date | None = None) -> datetime.date | None:
    """The latest snapshot date (or the latest on or before ``on``)."""
    snapshots = IndicatorSnapshot.objects.all()
    if on:
        snapshots = snapshots.filter(snapshot_date__lte=on)
    return snapshots.aggregate(latest=Max("snapshot_date"))["latest"]


def snapshot_version() -> tuple[str, int | None, datetime.datetime | None]:
    """The snapshots' version: their change stamp, and the latest successful run and its end.

    Snapshots are only written by a run, which replaces a day's figures and succeeds in the same
    transaction, so the latest successful run identifies every day's figures (one indexed read).
    """
    succeeded = AggregationRun.objects.filter(status=RunStatus.SUCCEEDED).order_by("-pk")
    # One query: the indicators data set's version (renewed by any committed write to figures,
    # runs, rounds, provinces or sectors; see ``coopdx.versions``) with the latest run.
    current = versions.version(
        INDICATORS,
        run=succeeded.values_list("pk", flat=True)[:1],
        finished_at=succeeded.values_list("finished_at", flat=True)[:1],
    )
    return current.token, current.values["run"], current.last_modified


def rounds_with_figures(day: datetime.date | None) -> list[SurveyRound]:
    if day is None:
        return []
    round_ids = IndicatorSnapshot.objects.filter(snapshot_date=day).values("round_id").distinct()
    return list(
        SurveyRound.objects.filter(pk__in=round_ids)
        .select_related("scoring_scheme", "questionnaire__scoring_scheme")
        .order_by("opens_on")
    )


def figures(
    *,
    day: datetime.date,
    scope_keys: list[str],
    metrics: tuple[str, ...] | None = None,
    rounds: list[SurveyRound] | None = None,
) -> dict[tuple[int, str, str], Decimal | None]:
    """(round id, scope key, metric) → value for the day: one query."""
    return {
        key: value
        for key, (value, _n, _d) in _figure_rows(day=day, scope_keys=scope_keys, metrics=metrics, rounds=rounds).items()
    }


def _figure_rows(
    *,
    day: datetime.date,
    scope_keys: list[str],
    metrics: tuple[str, ...] | None = None,
    rounds: list[SurveyRound] | None = None,
) -> dict[tuple[int, str, str], tuple[Decimal | None, int | None, int | None]]:
    """(round id, scope key, metric) → (value, numerator, denominator) for the day: one query."""
    snapshots = IndicatorSnapshot.objects.filter(snapshot_date=day, scope_key__in=scope_keys)
    if metrics:
        snapshots = snapshots.filter(metric__in=metrics)
    if rounds is not None:
        snapshots = snapshots.filter(round__in=rounds)
    return {
        (round_id, key, metric): (value, numerator, denominator)
        for round_id, key, metric, value, numerator, denominator in snapshots.values_list(
            "round_id", "scope_key", "metric", "value", "numerator", "denominator"
        )
    }


# A recorded figure of the previous round counts as "the same day of the round" within this many days.
SAME_DAY_TOLERANCE = 2


def round_day(survey_round: SurveyRound, day: datetime.date) -> int:
    """Day 1 is the day the round opens."""
    return (day - survey_round.opens_on).days + 1


def round_length(survey_round: SurveyRound) -> int:
    return (survey_round.closes_on - survey_round.opens_on).days + 1


def _same_day_of_previous_round(
    *, previous: SurveyRound, current: SurveyRound, day: datetime.date, scope_keys: list[str]
) -> tuple[datetime.date | None, dict[tuple[int, str, str], Decimal | None]]:
    """The previous round's figures recorded on the same day of its round as ``day`` is of the current one.

    Past the previous round's close, its figures on its last day are the like-for-like ones; the
    latest snapshot on or before that day stands for it if it is at most SAME_DAY_TOLERANCE days older.
    """
    target = min(previous.opens_on + (day - current.opens_on), previous.closes_on)
    recorded = IndicatorSnapshot.objects.filter(
        round=previous, snapshot_date__lte=target, snapshot_date__gte=previous.opens_on
    ).aggregate(latest=Max("snapshot_date"))["latest"]
    if recorded is None or (target - recorded).days > SAME_DAY_TOLERANCE:
        return None, {}
    return recorded, figures(day=recorded, scope_keys=scope_keys, metrics=CARD_METRICS, rounds=[previous])


def dashboard(*, user: User, province: Province | None, round_code: str = "") -> dict[str, Any]:
    """Everything the dashboard shows, in a constant number of queries."""
    day = snapshot_date()
    rounds = rounds_with_figures(day)
    if not rounds or day is None:
        return {"empty": True, "run": latest_run(), "province": province}
    current = next((r for r in rounds if r.code == round_code), rounds[-1])
    previous = next((r for r in reversed(rounds) if r.opens_on < current.opens_on), None)
    key = f"p:{province.code}" if province else "nation"
    rows = _figure_rows(day=day, scope_keys=list({key, "nation"}))
    values = {figure: value for figure, (value, _n, _d) in rows.items()}
    labels = metric_labels()
    ranking = _ranking(day=day, survey_round=current) if province else {}
    provinces = Province.objects.count() if province else 0
    # Like with like: a round still open on the snapshot day is compared only with the previous
    # round on the same day of its own round (when that was recorded), never with its final figures.
    current_open = day <= current.closes_on
    comparison, compared = "", {}
    same_day: datetime.date | None = None
    if previous is not None and not current_open:
        comparison = "final"
        compared = {metric: values.get((previous.pk, key, metric)) for metric in CARD_METRICS}
    elif previous is not None:
        same_day, past = _same_day_of_previous_round(previous=previous, current=current, day=day, scope_keys=[key])
        if same_day is not None:
            comparison = "same_day"
            compared = {metric: past.get((previous.pk, key, metric)) for metric in CARD_METRICS}
    surveyed = rows.get((current.pk, key, "surveyed_total"), (None, None, None))[1]
    targets = targets_for(province=province, metrics=CARD_METRICS)
    cards = []
    for metric in CARD_METRICS:
        value, numerator, denominator = rows.get((current.pk, key, metric), (None, None, None))
        if metric == "maturity_score_avg":
            numerator, denominator = None, surveyed
        # No verdict on a figure too small to show.
        shown = None if too_few(metric, denominator) else value
        cards.append(
            Card(
                metric=metric,
                label=labels.get(metric, metric),
                value=value,
                previous=compared.get(metric),
                national=values.get((current.pk, "nation", metric)) if province else None,
                rank=ranking.get(metric, {}).get(province.code) if province else None,
                ranked=len(ranking.get(metric, {})),
                provinces=provinces,
                numerator=numerator,
                denominator=denominator,
                comparison=comparison,
                reference=values.get((previous.pk, key, metric)) if previous and not comparison else None,
                target=target_check(targets[metric], shown, current.opens_on.year),
            )
        )
    trend_metrics = ("maturity_score_avg", "dx_plan_pct", "online_sales_pct", "ecommerce_pct", "traceability_pct")
    trend = [
        {
            "round": r,
            **{m: values.get((r.pk, key, m)) for m in trend_metrics},
            "answers": values.get((r.pk, key, "surveyed_total")),
            "national_score": values.get((r.pk, "nation", "maturity_score_avg")),
        }
        for r in rounds
    ]
    scheme = current.scheme
    levels = [
        {"level": lvl, "name": scheme.level_name(lvl), "count": values.get((current.pk, key, f"level_{lvl}_count"))}
        for lvl in range(6)
    ]
    return {
        "empty": False,
        "day": day,
        # When the figures shown were computed: the night's run, or later where they followed changes.
        "as_of": IndicatorSnapshot.objects.filter(snapshot_date=day, scope_key=key).aggregate(Max("as_of"))[
            "as_of__max"
        ],
        "run": latest_run(),
        "province": province,
        "rounds": rounds,
        "round": current,
        "previous_round": previous,
        "round_open": current_open,
        "round_day": round_day(current, day),
        "round_length": round_length(current),
        "comparison": comparison,
        "compared_day": round_day(previous, same_day) if previous and same_day else None,
        "cards": cards,
        # Every figure of the nation in this round, by metric (the map's target line).
        "national_values": {m: v for (r, k, m), v in values.items() if r == current.pk and k == "nation"},
        "totals": {
            "cooperatives": values.get((current.pk, key, "cooperatives_total")),
            "surveyed": values.get((current.pk, key, "surveyed_total")),
        },
        "trend": trend,
        "trend_metrics": [(m, labels.get(m, m)) for m in trend_metrics],
        "levels": levels,
        "sectors": sector_table(day=day, survey_round=current, province=province, labels=labels),
    }


def _ranking(*, day: datetime.date, survey_round: SurveyRound) -> dict[str, dict[str, int]]:
    """Each card metric's rank of every province (1 = highest value), from one query; a province
    whose figure rests on too few answers is not ranked on it."""
    rows = IndicatorSnapshot.objects.filter(
        snapshot_date=day,
        round=survey_round,
        scope=Scope.PROVINCE,
        metric__in=(*CARD_METRICS, "surveyed_total"),
        value__isnull=False,
    ).values_list("metric", "scope_key", "value")
    answers = {key: value for metric, key, value in rows if metric == "surveyed_total"}
    by_metric: dict[str, list[tuple[Decimal, str]]] = defaultdict(list)
    for metric, key, value in rows:
        # value is never None, as the query asks; this says so to the type checker
        if metric != "surveyed_total" and value is not None and not too_few(metric, answers.get(key)):
            by_metric[metric].append((value, key.removeprefix("p:")))
    # Equal values share a rank (1, 1, 3): a province's rank is one more than the number ahead of it.
    return {
        metric: {code: 1 + sum(1 for other, _c in pairs if other > value) for value, code in pairs}
        for metric, pairs in by_metric.items()
    }


def sector_table(
    *, day: datetime.date, survey_round: SurveyRound, province: Province | None, labels: dict[str, str]
) -> list[dict[str, Any]]:
    scope = Scope.PROVINCE_SECTOR if province else Scope.SECTOR
    snapshots = IndicatorSnapshot.objects.filter(snapshot_date=day, round=survey_round, scope=scope)
    if province:
        snapshots = snapshots.filter(province=province)
    cells: dict[int, dict[str, Decimal | None]] = defaultdict(dict)
    for sector_id, metric, value in snapshots.values_list("sector_id", "metric", "value"):
        cells[sector_id][metric] = value
    return [{"sector": sector, **cells.get(sector.pk, {})} for sector in Sector.objects.order_by("position")]


def province_table(*, survey_round: SurveyRound, day: datetime.date, metric: str) -> list[dict[str, Any]]:
    """Every province with the chosen metric and the key figures, for the national view and map."""
    wanted = {metric, "cooperatives_total", "surveyed_total", "survey_coverage_pct", "maturity_score_avg"}
    cells: dict[int, dict[str, Decimal | None]] = defaultdict(dict)
    for province_id, name, value in IndicatorSnapshot.objects.filter(
        snapshot_date=day, round=survey_round, scope=Scope.PROVINCE, metric__in=wanted
    ).values_list("province_id", "metric", "value"):
        cells[province_id][name] = value
    provinces = sorted(Province.objects.all(), key=lambda p: fold(p.short_name))
    return [
        {"province": province, "value": cells.get(province.pk, {}).get(metric), **cells.get(province.pk, {})}
        for province in provinces
    ]


def ward_table(*, survey_round: SurveyRound, day: datetime.date, province: Province) -> list[dict[str, Any]]:
    """The province's wards with figures (those with active cooperatives) in Vietnamese
    alphabetical order, each with its registry count, counted answers and main figures: one query."""
    rows: dict[str, dict[str, Any]] = {}
    for code, name, metric, value in (
        IndicatorSnapshot.objects.filter(
            snapshot_date=day,
            round=survey_round,
            scope=Scope.WARD,
            province=province,
            metric__in=("cooperatives_total", "surveyed_total", *WARD_METRICS),
        )
        .order_by(vietnamese("ward__name"), "ward__code")
        .values_list("ward__code", "ward__name", "metric", "value")
    ):
        rows.setdefault(code, {"ward": {"code": code, "name": name}})[metric] = value
    return list(rows.values())


def snapshot_rows(*, queryset: QuerySet[IndicatorSnapshot]) -> QuerySet[IndicatorSnapshot]:
    return queryset.select_related("round", "province", "sector", "ward")


def _snapshot_scope(user: User) -> Q | None:
    if not user.is_authenticated or not user.is_active:
        return None
    if user.is_national:
        return Q()
    if user.is_officer:
        # The dashboard's rule (``province_for``) as a filter: the nation and the national sector
        # figures have no province; the officer's own province and its sectors carry it.
        return Q(province__isnull=True) | Q(province_id=user.province_id)
    return None


def snapshot_list(*, user: User) -> QuerySet[IndicatorSnapshot]:
    """Every figure (all days, rounds and scopes) the user may see, with round, province and sector."""
    scope = _snapshot_scope(user)
    if scope is None:
        return IndicatorSnapshot.objects.none()
    return snapshot_rows(queryset=IndicatorSnapshot.objects.filter(scope))


def indicator_series(*, metrics: list[str], scope_key: str) -> dict[str, list[dict[str, Any]]]:
    """Each metric's value per round at the latest snapshot, for one scope, with the answers it
    rests on and its target's verdict (the province's own target for a province's key, else the
    national one). Three queries."""
    if not metrics:
        return {}
    day = snapshot_date()
    if day is None:
        return {metric: [] for metric in metrics}
    rows = list(
        IndicatorSnapshot.objects.filter(
            snapshot_date=day, scope_key=scope_key, metric__in=[*metrics, "surveyed_total"]
        )
        .select_related("round")
        .order_by("round__opens_on")
    )
    province_code = scope_key.removeprefix("p:") if scope_key.startswith("p:") and "|" not in scope_key else None
    province = Province.objects.filter(code=province_code).first() if province_code else None
    targets = targets_for(province=province, metrics=metrics)
    answers = {row.round_id: row.value for row in rows if row.metric == "surveyed_total"}
    series: dict[str, list[dict[str, Any]]] = {metric: [] for metric in metrics}
    for row in rows:
        if row.metric not in series:
            continue
        points = series[row.metric]
        small = too_few(row.metric, answers.get(row.round_id))
        before = next((p["value"] for p in reversed(points) if not p["too_few"]), None) if points else None
        shown = None if small else row.value
        change = shown - before if shown is not None and before is not None else None
        points.append(
            {
                "round": row.round,
                "value": row.value,
                "answers": answers.get(row.round_id),
                "too_few": small,
                "as_of": row.as_of,
                "change": change,
                "target": target_check(targets.get(row.metric, []), shown, row.round.opens_on.year),
            }
        )
    return series


# The figures the public page and its download publish: counts, coverage, the average score and
# every indicator's share, for the nation and each province (never a sector or ward: cells too
# small to publish without many more suppressions).
def public_metrics() -> tuple[str, ...]:
    definitions = IndicatorDefinition.objects.filter(is_active=True).order_by("code").values_list("code", flat=True)
    return (
        "cooperatives_total",
        "surveyed_total",
        "survey_coverage_pct",
        "maturity_score_avg",
        *(f"{code}_pct" for code in definitions),
    )


@dataclass(frozen=True)
class PublicFigure:
    """A published figure: a snapshot row as the public may read it."""

    snapshot: IndicatorSnapshot
    answers: int | None
    suppressed: bool
    value: Decimal | None
    numerator: int | None


def public_figures(*, day: datetime.date) -> list[PublicFigure]:
    """Every published figure of the day's snapshot (all rounds; the nation, then the provinces in
    alphabetical order), each with the answers it rests on and whether it is suppressed (a share or
    average over fewer than MIN_ANSWERS answers: no value, no numerator). Three queries."""
    rows = list(
        IndicatorSnapshot.objects.filter(
            snapshot_date=day, scope__in=(Scope.NATION, Scope.PROVINCE), metric__in=public_metrics()
        ).select_related("round", "province")
    )
    answers = {(row.round_id, row.scope_key): row.numerator for row in rows if row.metric == "surveyed_total"}
    order = {f"p:{p.code}": fold(p.short_name) for p in Province.objects.all()}
    rows.sort(key=lambda r: (r.round.opens_on, r.scope != Scope.NATION, order.get(r.scope_key, ""), r.metric))
    figures = []
    for row in rows:
        count = answers.get((row.round_id, row.scope_key))
        suppressed = row.value is not None and too_few(row.metric, count)
        figures.append(
            PublicFigure(
                snapshot=row,
                answers=count,
                suppressed=suppressed,
                value=None if suppressed else row.value,
                numerator=None if suppressed else row.numerator,
            )
        )
    return figures
