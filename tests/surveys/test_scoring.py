"""Scoring against worked examples computed by hand (see docs/scoring.md)."""

from decimal import Decimal

import pytest

from surveys.schemes import schemes_data
from surveys.scoring import (
    AnswerValue,
    OptionSpec,
    PillarSpec,
    QuestionSpec,
    SchemeSpec,
    overall_level,
    pillar_level,
    question_fraction,
    score_response,
)

# The first scheme, as its data file describes it (the rule CoopDX scored with before schemes).
FIRST = SchemeSpec.parse(schemes_data()["schemes"][0])

SINGLE = QuestionSpec("Q1", "single", Decimal(2), options=(OptionSpec("a", 0), OptionSpec("b", 3), OptionSpec("c", 5)))
MULTIPLE = QuestionSpec(
    "Q2",
    "multiple",
    Decimal(1),
    max_score=4,
    options=(OptionSpec("x", 1), OptionSpec("y", 2), OptionSpec("z", 3), OptionSpec("none", 0, exclusive=True)),
)
NUMBER = QuestionSpec(
    "Q3", "number", Decimal(1), bands=((Decimal(0), 0), (Decimal(1), 2), (Decimal(3), 4), (Decimal(5), 5))
)
YES_NO = QuestionSpec("Q4", "yes_no", Decimal(1), options=(OptionSpec("yes", 5), OptionSpec("no", 0)))
TEXT = QuestionSpec("Q5", "text", Decimal(0), scored=False, required=False)
PILLARS = (
    PillarSpec("A", Decimal(1), (SINGLE, MULTIPLE)),
    PillarSpec("B", Decimal(1), (NUMBER, YES_NO, TEXT)),
)


def test_worked_example_by_hand():
    # A: Q1 "b" = 3/5 = 0.6 (weight 2); Q2 y+z = 5, capped at 4 → 4/4 = 1.0 (weight 1)
    #    → 100 × (2×0.6 + 1×1.0) / 3 = 73.333… → 73.33, level 4 (60 ≤ 73.33 < 80)
    # B: Q3 = 3 reaches the band [3, 4] → 4/5 = 0.8; Q4 "no" = 0; Q5 unscored
    #    → 100 × (0.8 + 0) / 2 = 40.00, level 3 (40 ≤ 40 < 60)
    # Overall: (73.33 + 40.00) / 2 = 56.665 → 56.67 (half up). Level 3: ≥ 40 and 2 of 2 pillars
    # at ≥ 3 (4/6 of 2 pillars rounds to 1 needed); level 4 needs 60.
    result = score_response(
        PILLARS,
        {
            "Q1": AnswerValue(options=["b"]),
            "Q2": AnswerValue(options=["y", "z"]),
            "Q3": AnswerValue(number=Decimal(3)),
            "Q4": AnswerValue(options=["no"]),
            "Q5": AnswerValue(text="vốn"),
        },
        FIRST,
    )
    assert result.pillar_scores == {"A": Decimal("73.33"), "B": Decimal("40.00")}
    assert result.pillar_levels == {"A": 4, "B": 3}
    assert result.score == Decimal("56.67")
    assert result.level == 3


def test_unanswered_questions_score_zero():
    result = score_response(PILLARS, {}, FIRST)
    assert result.score == Decimal("0.00")
    assert result.level == 0


def test_exclusive_none_scores_zero_and_numbers_below_first_band_too():
    assert question_fraction(MULTIPLE, AnswerValue(options=["none"])) == 0
    assert question_fraction(NUMBER, AnswerValue(number=Decimal("0.5"))) == 0
    assert question_fraction(NUMBER, AnswerValue(number=Decimal(99))) == 1


@pytest.mark.parametrize(
    ("score", "level"),
    [
        (Decimal("9.99"), 0),
        (Decimal(10), 1),
        (Decimal("19.99"), 1),
        (Decimal(20), 2),
        (Decimal(40), 3),
        (Decimal("59.99"), 3),
        (Decimal(60), 4),
        (Decimal("79.99"), 4),
        (Decimal(80), 5),
        (Decimal(100), 5),
    ],
)
def test_pillar_level_bands(score, level):
    assert pillar_level(score, FIRST) == level


def test_overall_level_needs_enough_pillars_at_that_level():
    # 85 overall but two pillars at 2: level 5 needs all six at 5; level 4 needs four at ≥ 4.
    assert overall_level(Decimal(85), [5, 5, 5, 5, 2, 2], FIRST) == 4
    # 45 overall with only three pillars at 3: not level 3; six pillars at ≥ 2 → level 2.
    assert overall_level(Decimal(45), [3, 3, 3, 2, 2, 2], FIRST) == 2
    assert overall_level(Decimal(80), [5, 5, 5, 5, 5, 5], FIRST) == 5
    assert overall_level(Decimal("9.5"), [5, 5, 5, 5, 5, 5], FIRST) == 0


def test_scoring_is_deterministic():
    answers = {"Q1": AnswerValue(options=["c"]), "Q3": AnswerValue(number=Decimal(2))}
    assert score_response(PILLARS, answers, FIRST) == score_response(
        PILLARS, dict(reversed(list(answers.items()))), FIRST
    )
