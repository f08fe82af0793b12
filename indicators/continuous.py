"""Continuous figures: between the nightly runs, every minute, today's snapshot follows the
responses and the registry, at a cost that grows with what changed and not with the nation.

Each province's counts are kept summed per scope (``ProvinceCounts``): its own scopes (the
province, its sectors, its wards) and its share of the nation's and of the national sectors'.
A minute's work finds the provinces where something changed since their counts were made,
counts those provinces again (``aggregation.compute_partition``, one province each), adds the
kept shares of the others to make the nation and the sectors, and rewrites only those scopes'
figures of today's snapshot, in one transaction under the aggregation lock. The figures are the
ones a full run would write: the same counts, rolled up and derived by the same code
(``aggregation.Rollup``, ``aggregation.figures_of``); a test compares them on random changes.

What changed is read from the history tables, which every write path fills (the browser, the
API, the importers, the admin, merges, rescoring): a cooperative's rows name every province it
was in, a response's its cooperative. A change is looked for from the time its province was
counted, less ``INDICATORS_CONTINUOUS_OVERLAP_SECONDS`` and never after the oldest transaction
still open on PostgreSQL: a history row's time is taken before its transaction commits.

Nothing is updated before the night's full run has written today's snapshot, nor for a round
it did not count; counts made with other rounds, indicators or evidence checks are made again.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Min, OuterRef, Q, Subquery
from django.forms.models import model_to_dict
from django.utils import timezone

from coopdx import versions
from coopdx.heartbeat import beating
from cooperatives.models import Cooperative, Province
from surveys.evidence import resolved_checks
from surveys.lifecycle import counted_statuses
from surveys.models import IndicatorDefinition, Response, SurveyRound

from .aggregation import Rollup, active_definitions, compute_partition, figures_of
from .models import AggregationRun, IndicatorSnapshot, ProvinceCounts, RunStatus, Scope
from .services import AggregationBusy, MissingReference, check_references, insert_figures, run_fail, run_start
from .versioning import INDICATORS
from .webhook_events import indicators_recomputed

SCORE = 2  # the place of the summed score (a Decimal, kept as text) in a count vector


def figures_follow_changes() -> AggregationRun | None:
    """Rewrite the figures of today's snapshot that changed; None when nothing did, when today
    has no snapshot yet, or when another computation holds the lock (the next minute will)."""
    today = timezone.localdate()
    if not IndicatorSnapshot.objects.filter(snapshot_date=today).exists():
        return None
    rounds = list(
        SurveyRound.objects.filter(
            pk__in=IndicatorSnapshot.objects.filter(snapshot_date=today).values("round_id").distinct()
        ).order_by("opens_on")
    )
    fingerprint = _fingerprint(rounds)
    started = timezone.now()
    stale = stale_provinces(fingerprint)
    if not stale:
        return None
    try:
        run = run_start(trigger="continuous")
    except AggregationBusy:
        return None
    try:
        with beating(AggregationRun, run.pk):
            AggregationRun.objects.filter(pk=run.pk).update(partitions_total=len(stale))
            definitions = active_definitions()
            counted = {pk: _count(pk, rounds, definitions) for pk in stale}
            rollup = Rollup(definitions)
            kept = ProvinceCounts.objects.exclude(province_id__in=stale).values_list("shared", flat=True)
            for part in [*(own for own, _shared in counted.values()), *kept, *(s for _o, s in counted.values())]:
                _add(rollup, part)
            keys = [key for key in rollup.scopes if key == "nation" or key.startswith("s:")]
            keys += [key for own, _shared in counted.values() for key in own["scopes"]]
            figures = figures_of(rollup, rounds, set(keys))
            _write(run.pk, today, rounds, counted, figures, fingerprint, _counted_from(started))
    except BaseException as error:
        run_fail(run_id=run.pk, message=f"{type(error).__name__}: {error}")
        raise
    run.refresh_from_db()
    return run


def stale_provinces(fingerprint: str) -> list[int]:
    """The provinces to count again: those never counted (or counted otherwise), and those where
    a cooperative or a response changed since they were."""
    provinces = set(Province.objects.values_list("pk", flat=True))
    kept = ProvinceCounts.objects.filter(fingerprint=fingerprint, province_id__in=provinces)
    stale = provinces - set(kept.values_list("province_id", flat=True))
    since = kept.aggregate(since=Min("counted_from"))["since"]
    if since is None:
        return sorted(stale)
    since -= datetime.timedelta(seconds=settings.INDICATORS_CONTINUOUS_OVERLAP_SECONDS)
    # A cooperative changed: the provinces it has been in since, and the one it was in before.
    changed = Cooperative.history.filter(history_date__gt=since)
    before = Cooperative.history.filter(id=OuterRef("id"), history_date__lte=since).order_by("-history_date")
    stale |= set(changed.values_list("province_id", flat=True).distinct())
    stale |= set(changed.annotate(was=Subquery(before.values("province_id")[:1])).values_list("was", flat=True))
    # A response changed: its cooperative's province (a cooperative that moved or went is above).
    answered = Response.history.filter(history_date__gt=since).values("cooperative_id")
    stale |= set(Cooperative.objects.filter(pk__in=answered).values_list("province_id", flat=True).distinct())
    return sorted(stale & provinces)


def _fingerprint(rounds: list[SurveyRound]) -> str:
    made_with = {
        "rounds": [r.pk for r in rounds],
        "indicators": list(
            IndicatorDefinition.objects.filter(is_active=True).values_list("code", "question_code", "option_codes")
        ),
        "checks": [[model_to_dict(r.check), r.option_ids] for r in resolved_checks()],
        "counted": sorted(counted_statuses()),
    }
    return hashlib.sha256(json.dumps(made_with, sort_keys=True, default=str).encode()).hexdigest()


def _counted_from(started: datetime.datetime) -> datetime.datetime:
    """The time from which changes are still to be looked for: when this count started, or the
    start of the oldest transaction then open (its history rows bear earlier times)."""
    if connection.vendor != "postgresql":
        return started
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT min(xact_start) FROM pg_stat_activity"
            " WHERE datname = current_database() AND xact_start IS NOT NULL AND pid <> pg_backend_pid()"
        )
        oldest = cursor.fetchone()[0]
    return min(started, oldest) if oldest else started


def _count(province_id: int, rounds: list[SurveyRound], definitions: list[str]) -> tuple[dict, dict]:
    """A province's counts rolled up: (its own scopes, its share of the nation's and sectors')."""
    counts = compute_partition(round_ids=[r.pk for r in rounds], province_id=province_id)
    rollup = Rollup(definitions)
    rollup.add_registry(counts["registry"])
    rollup.add_responses(counts["responses"])
    own: dict[str, Any] = {"scopes": {}, "totals": {}, "sums": []}
    shared: dict[str, Any] = {"scopes": {}, "totals": {}, "sums": []}
    part = {key: shared if key == "nation" or key.startswith("s:") else own for key in rollup.scopes}
    for key, place in rollup.scopes.items():
        part[key]["scopes"][key] = list(place)
        part[key]["totals"][key] = rollup.totals.get(key, 0)
    for (round_id, key), summed in rollup.sums.items():
        part[key]["sums"].append([round_id, key, [str(v) if i == SCORE else v for i, v in enumerate(summed)]])
    return own, shared


def _add(rollup: Rollup, part: dict[str, Any]) -> None:
    """Add kept counts (``_count``'s) to a rollup."""
    for key, place in part["scopes"].items():
        rollup.scopes.setdefault(key, tuple(place))  # type: ignore[arg-type]
    for key, total in part["totals"].items():
        rollup.totals[key] += total
    for round_id, key, kept in part["sums"]:
        counts = [Decimal(v) if i == SCORE else v for i, v in enumerate(kept)]
        summed = rollup.sums.get((round_id, key))
        rollup.sums[(round_id, key)] = (
            counts if summed is None else [a + b for a, b in zip(summed, counts, strict=True)]
        )


def _write(
    run_id: int,
    day: datetime.date,
    rounds: list[SurveyRound],
    counted: dict[int, tuple[dict, dict]],
    figures: list[dict[str, Any]],
    fingerprint: str,
    counted_from: datetime.datetime,
) -> None:
    """Replace the figures of the counted provinces' scopes, the nation's and the sectors' in
    today's snapshot, and keep the provinces' new counts, in one transaction; close the run."""
    with transaction.atomic():
        if not AggregationRun.objects.select_for_update().filter(pk=run_id).exists():
            raise MissingReference(f"indicators.AggregationRun {run_id} no longer exists")
        now = timezone.now()
        AggregationRun.objects.filter(pk=run_id).update(
            status=RunStatus.SUCCEEDED, finished_at=now, rows_written=len(figures), partitions_done=len(counted)
        )
        IndicatorSnapshot.objects.filter(snapshot_date=day, round__in=rounds).filter(
            Q(province_id__in=counted) | Q(scope__in=[Scope.NATION, Scope.SECTOR])
        ).delete()
        check_references(run_id, figures)
        insert_figures(figures, run_id=run_id, snapshot_date=day, as_of=now)
        # The others were found unchanged until then.
        ProvinceCounts.objects.filter(fingerprint=fingerprint).update(counted_from=counted_from)
        for province_id, (own, shared) in counted.items():
            ProvinceCounts.objects.update_or_create(
                province_id=province_id,
                defaults={"fingerprint": fingerprint, "counted_from": counted_from, "own": own, "shared": shared},
            )
        versions.mark_changed(INDICATORS)
        indicators_recomputed(run_id=run_id, day=day, rounds=rounds, figures=figures)
