"""What a part of the questionnaire's form shows besides its questions: the step bar, the
progress and the skip logic the browser runs. Shared by the cooperative's form and the national
team's preview of a version, so that the preview is the form a cooperative sees. A provincial
round's add-on questions (``surveys.addons``) are a last part of their own, never previewed with
a version: they belong to a round."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .models import AddOnQuestion, Pillar
from .offline import fill_progress
from .scoring import AnswerValue, PillarSpec, hidden_codes
from .skip_logic import has_logic, page_logic


@dataclass(frozen=True)
class AddOnPart:
    """A provincial round's add-on questions as the form's last part."""

    name: str
    questions: Sequence[AddOnQuestion]
    values: Mapping[str, AnswerValue] = field(default_factory=dict)
    missing: int = 0


def fill_steps(
    pillars: Sequence[Pillar], unanswered: set[str], addons: AddOnPart | None = None
) -> list[dict[str, Any]]:
    """The step bar: each part with its number and how many of its questions are unanswered."""
    steps = [
        {"number": i, "name": p.name, "missing": sum(1 for q in p.questions.all() if q.code in unanswered)}
        for i, p in enumerate(pillars, start=1)
    ]
    if addons is not None:
        steps.append({"number": len(pillars) + 1, "name": addons.name, "missing": addons.missing})
    return steps


def part_context(
    *,
    pillars: list[Pillar],
    page: int,
    spec: Sequence[PillarSpec],
    values: Mapping[str, AnswerValue],
    unanswered: set[str],
    addons: AddOnPart | None = None,
) -> dict[str, Any]:
    """The template context of part ``page`` (from 1) of the form, with ``values`` answered."""
    pillar = pillars[page - 1] if page <= len(pillars) else None
    logic = has_logic(spec)
    hidden = hidden_codes(spec, values) if logic else frozenset()
    provincial = addons.questions if addons else ()
    return {
        "pillar": pillar,
        "part_name": pillar.name if pillar else addons.name if addons else "",
        "provincial": pillar is None,
        "page": page,
        "steps": fill_steps(pillars, unanswered, addons),
        "last_page": len(pillars) + (1 if addons else 0),
        "unanswered_here": [q for q in pillar.questions.all() if q.code in unanswered] if pillar else [],
        "progress": fill_progress(pillars, pillar, values, hidden, provincial, addons.values if addons else None),
        "logic": page_logic(spec, pillar.code, values) if pillar and logic else None,
    }
