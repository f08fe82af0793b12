"""The effect of a programme: the change of maturity level between two rounds of the
cooperatives it supported, against comparable cooperatives it did not support.

Method (docs/support.md): a cooperative is *supported* when it received the programme's support
after round A closed and no later than round B closed; it is *compared* when it never received
that programme's support up to round B's close, nor any other programme's support between the
two rounds. Both need a counted self-assessment with a level
in each round. Cooperatives are compared within a stratum: the same province, sector and level
in round A. A stratum with fewer than ``MIN_ANSWERS`` cooperatives in either group is too small
to conclude and stays out of the overall figure, which weighs each kept stratum by its supported
cooperatives (the comparison group standardised to the supported group's make-up).

Everything is counted by one grouped query; Python only combines its few rows (one per stratum
and group), never the cooperatives.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    Sum,
    Value,
    When,
)
from django.utils.translation import get_language

from coopdx.collation import sort_key
from cooperatives.models import Cooperative
from indicators.selectors import MIN_ANSWERS
from surveys.lifecycle import counted_statuses
from surveys.models import SurveyRound

from .models import SupportProgramme, SupportReceived

if TYPE_CHECKING:
    from accounts.models import User

SUPPORTED = "supported"
COMPARED = "compared"


def _mean(total: int, count: int) -> Fraction | None:
    return Fraction(total, count) if count else None


def shown(value: Fraction | None) -> Decimal | None:
    """A mean as shown: two decimals, half up (a hand computation rounds the same way)."""
    if value is None:
        return None
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass
class Stratum:
    province: str
    sector: str
    sector_position: int
    level_a: int
    supported: int = 0
    supported_change: int = 0  # the sum of the level changes
    compared: int = 0
    compared_change: int = 0

    @property
    def too_few(self) -> bool:
        return self.supported < MIN_ANSWERS or self.compared < MIN_ANSWERS

    @property
    def supported_mean(self) -> Decimal | None:
        return shown(_mean(self.supported_change, self.supported))

    @property
    def compared_mean(self) -> Decimal | None:
        return shown(_mean(self.compared_change, self.compared))

    @property
    def difference(self) -> Decimal | None:
        supported, compared = _mean(self.supported_change, self.supported), _mean(self.compared_change, self.compared)
        return shown(supported - compared) if supported is not None and compared is not None else None


@dataclass
class Effect:
    round_a: SurveyRound
    round_b: SurveyRound
    strata: list[Stratum] = field(default_factory=list)
    # Supported in the period, with or without both self-assessments.
    supported_in_period: int = 0
    supported_unmeasured: int = 0

    @property
    def kept(self) -> list[Stratum]:
        return [stratum for stratum in self.strata if not stratum.too_few]

    @property
    def excluded(self) -> int:
        return len(self.strata) - len(self.kept)

    @property
    def supported(self) -> int:
        return sum(stratum.supported for stratum in self.kept)

    @property
    def compared(self) -> int:
        return sum(stratum.compared for stratum in self.kept)

    @property
    def too_few(self) -> bool:
        return self.supported < MIN_ANSWERS or self.compared < MIN_ANSWERS

    def _overall(self) -> tuple[Fraction, Fraction] | None:
        if self.too_few:
            return None
        weight = self.supported
        supported = Fraction(sum(s.supported_change for s in self.kept), weight)
        # Each stratum's comparison mean weighted by that stratum's supported cooperatives.
        compared = sum((Fraction(s.compared_change, s.compared) * s.supported for s in self.kept), Fraction(0)) / weight
        return supported, compared

    @property
    def supported_mean(self) -> Decimal | None:
        overall = self._overall()
        return shown(overall[0]) if overall else None

    @property
    def compared_mean(self) -> Decimal | None:
        overall = self._overall()
        return shown(overall[1]) if overall else None

    @property
    def difference(self) -> Decimal | None:
        overall = self._overall()
        return shown(overall[0] - overall[1]) if overall else None


def _counted_in(survey_round: SurveyRound) -> FilteredRelation:
    """The cooperative's counted self-assessment with a level in the round (one at most), joined."""
    return FilteredRelation(
        "responses",
        condition=Q(
            responses__round=survey_round, responses__status__in=counted_statuses(), responses__level__isnull=False
        ),
    )


def effect_rows(
    *, user: User, programme: SupportProgramme, round_a: SurveyRound, round_b: SurveyRound
) -> list[dict[str, Any]]:
    """One grouped query: per province, sector, level in A, group (supported, compared or
    neither) and whether both levels are known, the number of cooperatives and the sum of their
    changes. Each cooperative's two responses are joined (one per round at most), not looked up."""
    any_support = SupportReceived.objects.filter(cooperative=OuterRef("pk"))
    support = any_support.filter(programme=programme)
    period = {"received_on__gt": round_a.closes_on, "received_on__lte": round_b.closes_on}
    in_period = Exists(support.filter(**period))
    before_b = Exists(support.filter(received_on__lte=round_b.closes_on))
    # Support of any other programme between the rounds would blur the comparison.
    other_in_period = Exists(any_support.filter(**period))
    rows = (
        Cooperative.objects.visible_to(user)
        .annotate(in_a=_counted_in(round_a), in_b=_counted_in(round_b))
        .annotate(
            level_a=F("in_a__level"),
            group=Case(
                When(in_period, then=Value(SUPPORTED)),
                When(~before_b & ~other_in_period, then=Value(COMPARED)),
                default=Value(""),
                output_field=CharField(),
            ),
            both=Case(
                When(in_a__isnull=False, in_b__isnull=False, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
        )
        .values(
            "province_id",
            "province__name",
            "sector_id",
            "sector__name",
            "sector__name_en",
            "sector__position",
            "level_a",
            "group",
            "both",
        )
        .annotate(
            cooperatives=Count("pk"),
            change=Sum(F("in_b__level") - F("in_a__level"), output_field=IntegerField()),
        )
        .order_by()
    )
    return [dict(row) for row in rows]


def programme_effect(*, user: User, programme: SupportProgramme, round_a: SurveyRound, round_b: SurveyRound) -> Effect:
    """The programme's effect between two rounds, per stratum and overall (see the module)."""
    effect = Effect(round_a=round_a, round_b=round_b)
    english = (get_language() or "vi").startswith("en")
    strata: dict[tuple[int, int, int], Stratum] = {}
    # The supported rows first: they make the strata the compared rows fall into.
    rows = sorted(effect_rows(user=user, programme=programme, round_a=round_a, round_b=round_b), key=_supported_first)
    for row in rows:
        if row["group"] == "" or (row["group"] == COMPARED and not row["both"]):
            continue  # neither group, or not measured in both rounds
        if row["group"] == SUPPORTED:
            effect.supported_in_period += row["cooperatives"]
            if not row["both"]:
                effect.supported_unmeasured += row["cooperatives"]
                continue
        key = (row["province_id"], row["sector_id"], row["level_a"])
        stratum = strata.get(key)
        if row["group"] == SUPPORTED:
            stratum = strata[key] = Stratum(
                province=row["province__name"],
                sector=(row["sector__name_en"] if english and row["sector__name_en"] else row["sector__name"]),
                sector_position=row["sector__position"],
                level_a=row["level_a"],
                supported=row["cooperatives"],
                supported_change=row["change"],
            )
        elif stratum is not None:
            stratum.compared, stratum.compared_change = row["cooperatives"], row["change"]
    effect.strata = sorted(strata.values(), key=lambda s: (sort_key(s.province), s.sector_position, s.level_a))
    return effect


def _supported_first(row: dict[str, Any]) -> int:
    return 0 if row["group"] == SUPPORTED else 1
