"""What a part of the questionnaire's form shows besides its questions: the step bar, the
progress and the skip logic the browser runs. Shared by the cooperative's form and the national
team's preview of a version, so that the preview is the form a cooperative sees."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .models import Pillar
from .offline import fill_progress
from .scoring import AnswerValue, PillarSpec, hidden_codes
from .skip_logic import has_logic, page_logic


def fill_steps(pillars: Sequence[Pillar], unanswered: set[str]) -> list[dict[str, Any]]:
    """The step bar: each pillar with its number and how many of its questions are unanswered."""
    return [
        {"number": i, "pillar": p, "missing": sum(1 for q in p.questions.all() if q.code in unanswered)}
        for i, p in enumerate(pillars, start=1)
    ]


def part_context(
    *,
    pillars: list[Pillar],
    page: int,
    spec: Sequence[PillarSpec],
    values: Mapping[str, AnswerValue],
    unanswered: set[str],
) -> dict[str, Any]:
    """The template context of part ``page`` (from 1) of the form, with ``values`` answered."""
    pillar = pillars[page - 1]
    logic = has_logic(spec)
    hidden = hidden_codes(spec, values) if logic else frozenset()
    return {
        "pillar": pillar,
        "page": page,
        "steps": fill_steps(pillars, unanswered),
        "last_page": len(pillars),
        "unanswered_here": [q for q in pillar.questions.all() if q.code in unanswered],
        "progress": fill_progress(pillars, pillar, values, hidden),
        "logic": page_logic(spec, pillar.code, values) if logic else None,
    }
