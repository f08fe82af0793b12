"""Scoring a self-assessment: pure functions, the same for the browser, the API and imports.

The rules (documented for users in docs/scoring.md):

1. Each scored question gives a fraction between 0 and 1:
   - single choice / yes-no: the chosen option's score ÷ the question's best option score;
   - multiple choice: the chosen options' scores added up, capped at ``max_score``, ÷ ``max_score``;
   - number: the score of the highest band whose minimum the number reaches, ÷ 5;
   - unanswered: 0.
2. A pillar's score (0-100) is the weighted mean of its questions' fractions × 100. A question
   hidden by its skip logic (``relevant``, see ``hidden_codes``) counts neither in the fractions
   nor in the weights, as if it were not in the questionnaire.
3. The overall score (0-100) is the weighted mean of the pillar scores.
4. A pillar's level follows its score and the scoring scheme's pillar bounds (the lower bounds of
   levels 1…5; in the first scheme 10, 20, 40, 60, 80).
5. The overall level is the highest level L whose overall lower bound the overall score reaches
   AND for which enough pillars are at L or above (the scheme's share of the pillars for L,
   rounded half-up, or all of them). Otherwise 0.

The thresholds, the shares and the level names are data: a scoring scheme (``ScoringScheme``,
``surveys/data/scoring_schemes.json``), attached to a questionnaire version and kept by each
response scored with it. ``SchemeSpec`` is its pure form.

Scores are rounded half-up to two decimals, so a response always gets the same result.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from .expressions import Expression

TWO_PLACES = Decimal("0.01")
LEVELS = 5  # levels 0…5: a scheme gives the lower bounds of levels 1…5


class SchemeError(ValueError):
    """A scoring scheme's description that cannot be used, with what is wrong."""


@dataclass(frozen=True)
class SchemeSpec:
    """The rules of a scoring scheme, as the scoring functions read them."""

    pillar_bounds: tuple[Decimal, ...]  # lower bounds of levels 1…5 for a pillar's score
    overall_bounds: tuple[Decimal, ...]  # lower bounds of levels 1…5 for the overall score
    pillars_needed: tuple[Fraction | None, ...]  # per level 1…5: share of the pillars; None = all

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> SchemeSpec:
        """Read a scheme's description (strings or numbers); ``SchemeError`` names what is wrong."""
        return cls(
            pillar_bounds=_bounds(data.get("pillar_bounds"), "pillar_bounds"),
            overall_bounds=_bounds(data.get("overall_bounds"), "overall_bounds"),
            pillars_needed=_shares(data.get("pillars_needed")),
        )


def _bounds(values: Any, name: str) -> tuple[Decimal, ...]:
    if not isinstance(values, list | tuple) or len(values) != LEVELS:
        raise SchemeError(_("%(field)s: give the lower bounds of levels 1 to 5, 5 numbers.") % {"field": name})
    try:
        bounds = tuple(Decimal(str(value)) for value in values)
    except InvalidOperation as error:
        raise SchemeError(_("%(field)s: every bound must be a number.") % {"field": name}) from error
    if any(not bound.is_finite() or not 0 < bound <= 100 for bound in bounds):
        raise SchemeError(_("%(field)s: every bound must be above 0 and at most 100.") % {"field": name})
    if any(low >= high for low, high in zip(bounds, bounds[1:], strict=False)):
        raise SchemeError(_("%(field)s: the bounds must rise from level 1 to level 5.") % {"field": name})
    return bounds


def _shares(values: Any) -> tuple[Fraction | None, ...]:
    if not isinstance(values, list | tuple) or len(values) != LEVELS:
        raise SchemeError(_('pillars_needed: give one share per level 1 to 5, such as "4/6" or "all".'))
    shares: list[Fraction | None] = []
    for value in values:
        if str(value).strip().lower() == "all":
            shares.append(None)
            continue
        try:
            share = Fraction(str(value).strip())
        except (ValueError, ZeroDivisionError) as error:
            raise SchemeError(
                _('pillars_needed: "%(value)s" is not a share such as "4/6" or "all".') % {"value": value}
            ) from error
        if not 0 < share <= 1:
            raise SchemeError(_('pillars_needed: "%(value)s" must be above 0 and at most 1.') % {"value": value})
        shares.append(share)
    return tuple(shares)


@dataclass(frozen=True)
class OptionSpec:
    code: str
    score: int
    exclusive: bool = False


@dataclass(frozen=True)
class QuestionSpec:
    code: str
    kind: str
    weight: Decimal
    scored: bool = True
    required: bool = True
    max_score: int | None = None
    bands: tuple[tuple[Decimal, int], ...] = ()
    options: tuple[OptionSpec, ...] = ()
    # Skip logic and constraint (XLSForm relevant / constraint), parsed; None when there is none.
    relevant: Expression | None = None
    constraint: Expression | None = None
    constraint_message_vi: str = ""
    constraint_message_en: str = ""


@dataclass(frozen=True)
class PillarSpec:
    code: str
    weight: Decimal
    questions: tuple[QuestionSpec, ...]


@dataclass
class AnswerValue:
    options: Sequence[str] = ()
    number: Decimal | None = None
    text: str = ""

    @property
    def is_empty(self) -> bool:
        return not self.options and self.number is None and not self.text.strip()


@dataclass
class ScoreResult:
    score: Decimal
    level: int
    pillar_scores: dict[str, Decimal] = field(default_factory=dict)
    pillar_levels: dict[str, int] = field(default_factory=dict)


def _round(value: Decimal) -> Decimal:
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def question_fraction(question: QuestionSpec, answer: AnswerValue | None) -> Decimal:
    """The share (0 to 1) of the question's best answer that this answer reaches."""
    if answer is None or answer.is_empty:
        return Decimal(0)
    scores = {option.code: option.score for option in question.options}
    if question.kind in ("single", "yes_no"):
        best = max(scores.values(), default=0)
        chosen = scores.get(answer.options[0], 0) if answer.options else 0
        return Decimal(chosen) / Decimal(best) if best else Decimal(0)
    if question.kind == "multiple":
        cap = question.max_score or sum(s for s in scores.values() if s > 0)
        total = min(sum(scores.get(code, 0) for code in answer.options), cap)
        return Decimal(total) / Decimal(cap) if cap else Decimal(0)
    if question.kind == "number" and answer.number is not None:
        reached = 0
        for minimum, score in question.bands:
            if answer.number >= minimum:
                reached = score
        return Decimal(reached) / Decimal(5)
    return Decimal(0)


def pillar_level(score: Decimal, scheme: SchemeSpec) -> int:
    return sum(1 for bound in scheme.pillar_bounds if score >= bound)


def pillars_needed(level: int, pillar_count: int, scheme: SchemeSpec) -> int:
    """How many pillars must be at ``level`` or above for the overall level to be ``level``:
    the scheme's share of them rounded half-up, or all."""
    share = scheme.pillars_needed[level - 1]
    if share is None:
        return pillar_count
    exact = share * pillar_count
    return int(exact) + (1 if exact - int(exact) >= Fraction(1, 2) else 0)


def overall_level(score: Decimal, pillar_levels: Iterable[int], scheme: SchemeSpec) -> int:
    levels = list(pillar_levels)
    for level in range(LEVELS, 0, -1):
        if score < scheme.overall_bounds[level - 1]:
            continue
        at_or_above = sum(1 for value in levels if value >= level)
        if at_or_above >= pillars_needed(level, len(levels), scheme):
            return level
    return 0


@dataclass(frozen=True)
class LevelGap:
    """What separates a result from the next level, by the rule of ``overall_level``."""

    level: int  # the next level
    score_needed: Decimal  # the overall score it needs
    score_short: Decimal  # how far the overall score is below it (0 when reached)
    pillars_needed: int  # how many pillars must be at that level or above
    pillars_below: tuple[str, ...]  # the pillars below it, closest first
    pillars_short: int  # how many of them must still rise


def next_level_gap(
    score: Decimal, level: int, pillar_scores: Mapping[str, Decimal], scheme: SchemeSpec
) -> LevelGap | None:
    """The gap from a result (overall score, level, pillar scores by code) to the next level;
    None at the top level."""
    if level >= LEVELS:
        return None
    target = level + 1
    needed = pillars_needed(target, len(pillar_scores), scheme)
    below = sorted(
        (code for code, value in pillar_scores.items() if pillar_level(value, scheme) < target),
        key=lambda code: -pillar_scores[code],
    )
    at_or_above = len(pillar_scores) - len(below)
    bound = scheme.overall_bounds[target - 1]
    return LevelGap(
        level=target,
        score_needed=bound,
        score_short=max(Decimal(0), bound - score),
        pillars_needed=needed,
        pillars_below=tuple(below),
        pillars_short=max(0, needed - at_or_above),
    )


def hidden_codes(pillars: Sequence[PillarSpec], answers: Mapping[str, AnswerValue]) -> frozenset[str]:
    """The questions the answers hide: those whose ``relevant`` condition is false. As in ODK, an
    answer to a hidden question counts as no answer, so a question hidden by another hidden one
    is evaluated with that answer empty (a condition reads earlier questions only)."""
    hidden: set[str] = set()
    visible: dict[str, AnswerValue] = {}
    for pillar in pillars:
        for question in pillar.questions:
            if question.relevant is not None and not question.relevant.evaluate(visible):
                hidden.add(question.code)
            elif question.code in answers:
                visible[question.code] = answers[question.code]
    return frozenset(hidden)


def score_response(
    pillars: Sequence[PillarSpec], answers: Mapping[str, AnswerValue], scheme: SchemeSpec
) -> ScoreResult:
    """Score a response from its answers (question code → value) under a scoring scheme."""
    pillar_scores: dict[str, Decimal] = {}
    pillar_levels: dict[str, int] = {}
    weighted_total = Decimal(0)
    weight_sum = Decimal(0)
    hidden = hidden_codes(pillars, answers)
    for pillar in pillars:
        scored = [q for q in pillar.questions if q.scored and q.weight > 0 and q.code not in hidden]
        weights = sum((q.weight for q in scored), Decimal(0))
        if weights:
            value = sum((q.weight * question_fraction(q, answers.get(q.code)) for q in scored), Decimal(0))
            pillar_score = _round(Decimal(100) * value / weights)
        else:
            pillar_score = Decimal(0)
        pillar_scores[pillar.code] = pillar_score
        pillar_levels[pillar.code] = pillar_level(pillar_score, scheme)
        weighted_total += pillar.weight * pillar_score
        weight_sum += pillar.weight
    score = _round(weighted_total / weight_sum) if weight_sum else Decimal(0)
    return ScoreResult(
        score=score,
        level=overall_level(score, pillar_levels.values(), scheme),
        pillar_scores=pillar_scores,
        pillar_levels=pillar_levels,
    )
