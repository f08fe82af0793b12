"""Completeness and timeliness of the self-assessments, per round and province and for the nation.

Read live from the registry and the responses (two grouped queries whatever their number), not
from the nightly snapshot: an officer chasing late answers needs today's figures. For each round
and province:

* **expected**: the cooperatives the round expects an answer from (``lifecycle.expected_to_answer``:
  the active registry, the base of the dashboard's coverage);
* **counted**: their responses that count (``lifecycle.counted_statuses``); **coverage** =
  counted / expected;
* **submitted**: their responses sent for review (submitted, accepted or returned; not a draft);
  **on time** among them: last sent on or before the round's closing day, a date in Viet Nam's
  time (a response sent at 23:30 on the closing day is on time, at 00:30 the next day late);
* **due for review**: the sent responses whose review is decided: reviewed (accepted or returned),
  or still waiting more than ``REVIEW_WITHIN_DAYS`` days after their submission (late whatever
  happens next); **reviewed in time** among them: accepted or returned within that many days of
  their submission. A response waiting for fewer days is in neither count yet.

The definitions are written out for users in ``docs/api.md`` ("Completeness and timeliness").
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, F, Q
from django.db.models.functions import TruncDate
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone

from coopdx import versions
from cooperatives import selectors as registry
from cooperatives.models import Cooperative, Province
from cooperatives.text import fold
from surveys.lifecycle import counted_statuses, expected_to_answer
from surveys.models import Response, ResponseStatus, SurveyRound

from .versioning import TIMELINESS

if TYPE_CHECKING:
    from accounts.models import User

# A round closes at the end of its closing day in Viet Nam, wherever the server runs.
VIET_NAM = ZoneInfo("Asia/Ho_Chi_Minh")
SENT = (ResponseStatus.SUBMITTED, ResponseStatus.ACCEPTED, ResponseStatus.RETURNED)
REVIEWED = (ResponseStatus.ACCEPTED, ResponseStatus.RETURNED)
COUNTS = ("expected", "counted", "submitted", "on_time", "due_for_review", "reviewed_in_time", "waiting_late")


def review_within_days() -> int:
    return int(getattr(settings, "REVIEW_WITHIN_DAYS", 10))


def _share(numerator: int, denominator: int) -> Decimal | None:
    return Decimal(100) * numerator / denominator if denominator else None


@dataclass
class Timeliness:
    """The figures of one round in one province (``province`` None: the nation)."""

    round: SurveyRound
    province: Province | None
    expected: int = 0
    counted: int = 0
    submitted: int = 0
    on_time: int = 0
    due_for_review: int = 0
    reviewed_in_time: int = 0
    waiting_late: int = 0
    review_within_days: int = field(default_factory=review_within_days)

    @property
    def coverage_pct(self) -> Decimal | None:
        return _share(self.counted, self.expected)

    @property
    def on_time_pct(self) -> Decimal | None:
        return _share(self.on_time, self.submitted)

    @property
    def reviewed_in_time_pct(self) -> Decimal | None:
        return _share(self.reviewed_in_time, self.due_for_review)

    def add(self, other: Timeliness) -> None:
        for name in COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class RoundTimeliness:
    """A round's figures: the nation's and each province's the caller may see (alphabetical)."""

    round: SurveyRound
    nation: Timeliness
    provinces: list[Timeliness]


def _concerns(survey_round: SurveyRound, province_id: int) -> bool:
    return survey_round.province_id is None or survey_round.province_id == province_id


def timeliness(
    *, user: User, rounds: list[SurveyRound], now: datetime.datetime | None = None
) -> dict[int, RoundTimeliness]:
    """Each round's figures (by round id): the nation (every province the round concerns, whoever
    asks: as the snapshot's national figures) and the provinces in the user's scope that the round
    concerns. Three queries, whatever the number of rounds, cooperatives and responses."""
    if not rounds:
        return {}
    now = now or timezone.now()
    within = review_within_days()
    delta = datetime.timedelta(days=within)
    expected = dict(
        Cooperative.objects.filter(expected_to_answer())
        .order_by()
        .values_list("province_id")
        .annotate(n=Count("pk"))
        .values_list("province_id", "n")
    )
    sent = Q(status__in=SENT, submitted_at__isnull=False)
    reviewed = Q(status__in=REVIEWED, submitted_at__isnull=False, reviewed_at__isnull=False)
    # A response still waiting turns late at the first midnight (Viet Nam) after its N days have
    # run out: the figures change with a write or at midnight, as their validators say
    # (``timeliness_version``), never in the middle of a day.
    midnight = datetime.datetime.combine(timezone.localdate(now, VIET_NAM), datetime.time.min, tzinfo=VIET_NAM)
    waiting_late = Q(status=ResponseStatus.SUBMITTED, submitted_at__lte=midnight - delta)
    on_time = LessThanOrEqual(TruncDate("submitted_at", tzinfo=VIET_NAM), F("round__closes_on"))
    in_time = LessThanOrEqual(F("reviewed_at"), F("submitted_at") + delta)
    grouped = (
        Response.objects.filter(round__in=[r.pk for r in rounds])
        .filter(expected_to_answer("cooperative__"))
        .filter(Q(round__province__isnull=True) | Q(round__province_id=F("cooperative__province_id")))
        .order_by()
        .values_list("round_id", "cooperative__province_id")
        .annotate(
            counted=Count("pk", filter=Q(status__in=counted_statuses())),
            submitted=Count("pk", filter=sent),
            on_time=Count("pk", filter=sent & Q(on_time)),
            due_for_review=Count("pk", filter=reviewed | waiting_late),
            reviewed_in_time=Count("pk", filter=reviewed & Q(in_time)),
            waiting_late=Count("pk", filter=waiting_late),
        )
    )
    counts: dict[tuple[int, int], tuple[int, ...]] = {
        (round_id, province_id): tuple(rest) for round_id, province_id, *rest in grouped
    }
    provinces = sorted(registry.province_list(user=user), key=lambda p: fold(p.short_name))
    result = {}
    for survey_round in rounds:

        def figures(
            province_id: int, province: Province | None, survey_round: SurveyRound = survey_round
        ) -> Timeliness:
            return Timeliness(
                survey_round,
                province,
                expected.get(province_id, 0),
                *counts.get((survey_round.pk, province_id), (0,) * 6),
                review_within_days=within,
            )

        # The nation sums every province's counts (at most 34 grouped rows, not responses).
        nation = Timeliness(round=survey_round, province=None, review_within_days=within)
        for province_id in {*expected, *(p for r, p in counts if r == survey_round.pk)}:
            if _concerns(survey_round, province_id):
                nation.add(figures(province_id, None))
        shown = [figures(p.pk, p) for p in provinces if _concerns(survey_round, p.pk)]
        result[survey_round.pk] = RoundTimeliness(round=survey_round, nation=nation, provinces=shown)
    return result


def timeliness_version() -> tuple[tuple[object, ...], datetime.datetime | None]:
    """What the figures rest on, for validators: the registry's and the responses' version, the
    day (a response waiting past the review delay turns late with no write) and the delay."""
    current = versions.version(TIMELINESS)
    today = timezone.localdate()
    midnight = datetime.datetime.combine(today, datetime.time.min, tzinfo=VIET_NAM)
    last_modified = max(current.changed_at, midnight) if current.changed_at else midnight
    return (current.token, today.isoformat(), review_within_days()), last_modified


def dashboard_timeliness(*, user: User, province: Province | None, survey_round: SurveyRound) -> dict[str, object]:
    """The dashboard's part: a province's page shows every round that concerns it and has opened
    (the province's row of each); the national page the chosen round's provinces and the nation.
    Four queries at most."""
    if province is not None:
        rounds = list(
            SurveyRound.objects.filter(Q(province__isnull=True) | Q(province=province))
            .filter(opens_on__lte=timezone.localdate())
            .order_by("opens_on", "code")
        )
        by_round = timeliness(user=user, rounds=rounds)
        rows = []
        for each in rounds:
            own = {row.province.pk: row for row in by_round[each.pk].provinces if row.province}
            if province.pk in own:
                rows.append(own[province.pk])
        return {"timeliness_rows": rows, "review_within_days": review_within_days()}
    figures = timeliness(user=user, rounds=[survey_round])[survey_round.pk]
    return {
        "timeliness_rows": figures.provinces,
        "timeliness_nation": figures.nation,
        "review_within_days": review_within_days(),
    }
