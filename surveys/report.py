"""A result to take home: a cooperative's self-assessment on one A4 page (PDF), and its progress
across rounds, pillar by pillar.

The page is what a director brings to the members' general meeting: the level on the 0–5 scale
with its name, the pillars with their levels, what separates the result from the next level, how
it compares with the cooperatives of the same sector (nationwide) and of the province in the same
round, three next steps (the advice of the weakest pillars), and whom to contact at the province.
Comparisons follow the small-numbers rule (``coopdx.disclosure``): an average over fewer than five
self-assessments is not shown.

The PDF is drawn by WeasyPrint from an HTML template, with the DejaVu fonts (Debian's
``fonts-dejavu-core``) embedded as subsets, so Vietnamese diacritics print on any printer.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Avg, Count, Q
from django.template.loader import render_to_string
from django.utils import timezone

from coopdx.disclosure import enough

from .lifecycle import counted_statuses
from .models import Advice, PillarScore, Response, ResponseStatus
from .scoring import next_level_gap

if TYPE_CHECKING:
    from accounts.models import User

STEPS = 3
CONTACTS = 3


@dataclass(frozen=True)
class PeerFigure:
    """The average of a group of comparable self-assessments, or only its size when too small."""

    label: str
    count: int
    score: Decimal | None
    level: Decimal | None


def _peer_statuses() -> tuple[str, ...]:
    # The same responses as the result page's province average: counted, and those waiting review.
    return (*counted_statuses(), ResponseStatus.SUBMITTED)


def has_result(response: Response) -> bool:
    """Whether the response's score is a result to show: sent for review, or accepted."""
    return response.score is not None and response.status in _peer_statuses()


def _peers(response: Response) -> tuple[PeerFigure, PeerFigure]:
    """The same round's sector (nationwide) and province averages, in one query."""
    cooperative = response.cooperative
    same_sector = Q(cooperative__sector_id=cooperative.sector_id)
    same_province = Q(cooperative__province_id=cooperative.province_id)
    figures = Response.objects.filter(
        round_id=response.round_id, status__in=_peer_statuses(), score__isnull=False
    ).aggregate(
        sector_n=Count("pk", filter=same_sector),
        sector_score=Avg("score", filter=same_sector),
        sector_level=Avg("level", filter=same_sector),
        province_n=Count("pk", filter=same_province),
        province_score=Avg("score", filter=same_province),
        province_level=Avg("level", filter=same_province),
    )

    def figure(prefix: str, label: str) -> PeerFigure:
        count = figures[f"{prefix}_n"]
        if not enough(count):
            return PeerFigure(label, count, None, None)
        return PeerFigure(
            label,
            count,
            Decimal(figures[f"{prefix}_score"]).quantize(Decimal("0.1")),
            Decimal(figures[f"{prefix}_level"]).quantize(Decimal("0.1")),
        )

    return figure("sector", cooperative.sector.name), figure("province", cooperative.province.name)


def _contacts(response: Response) -> list[User]:
    """The province's officers with a way to reach them, those with a phone first."""
    from accounts.models import Role, User

    officers = User.objects.filter(
        role=Role.PROVINCIAL_OFFICER, province_id=response.cooperative.province_id, is_active=True
    ).exclude(email="", phone="")
    return list(officers.order_by("-phone", "last_name", "username")[:CONTACTS])


def result_report(*, response: Response) -> dict[str, Any]:
    """Everything the one-page result shows, for a scored response (six queries)."""
    questionnaire = response.round.questionnaire
    pillars = list(questionnaire.pillars.all())
    scores = {p.pillar_code: p for p in PillarScore.objects.filter(response=response)}
    advice = {(a.pillar_id, a.level): a for a in Advice.objects.filter(pillar__questionnaire=questionnaire)}
    rows = [
        {"pillar": pillar, "score": scores[pillar.code].score, "level": scores[pillar.code].level}
        for pillar in pillars
        if pillar.code in scores
    ]
    assert response.score is not None and response.level is not None
    scheme = response.scoring_scheme or response.round.scheme
    gap = next_level_gap(
        response.score, response.level, {row["pillar"].code: row["score"] for row in rows}, scheme.spec()
    )
    by_code = {row["pillar"].code: row["pillar"] for row in rows}
    # The weakest pillars first (lowest level, then lowest score): where a step moves the most.
    weakest = sorted(rows, key=lambda row: (row["level"], row["score"], row["pillar"].position))[:STEPS]
    steps = [
        {"pillar": row["pillar"], "advice": advice[(row["pillar"].pk, row["level"])]}
        for row in weakest
        if (row["pillar"].pk, row["level"]) in advice
    ]
    sector, province = _peers(response)
    return {
        "response": response,
        "cooperative": response.cooperative,
        "level_name": scheme.level_name(response.level),
        "levels": [{"level": value, "name": scheme.level_name(value)} for value in range(6)],
        "pillars": [{**row, "level_name": scheme.level_name(row["level"])} for row in rows],
        "gap": gap,
        "gap_level_name": scheme.level_name(gap.level) if gap else "",
        "gap_pillars": [by_code[code] for code in gap.pillars_below] if gap else [],
        "peers": [sector, province],
        "steps": steps,
        "contacts": _contacts(response),
        "generated": timezone.localtime(),
    }


def result_pdf(*, response: Response) -> bytes:
    """The one-page A4 result as PDF bytes, in the active language."""
    from weasyprint import HTML

    html = render_to_string("surveys/result_pdf.html", result_report(response=response))
    return bytes(HTML(string=html).write_pdf())


def cooperative_progress(*, cooperative: Any) -> dict[str, Any]:
    """The cooperative's scored self-assessments round by round (oldest first) and each pillar's
    score and level in each, with the change since the round before (five queries)."""
    responses = list(
        Response.objects.filter(cooperative=cooperative, score__isnull=False, status__in=_peer_statuses())
        .select_related("round")
        .prefetch_related("round__questionnaire__pillars")
        .order_by("round__opens_on")
    )
    scores = {
        (row.response_id, row.pillar_code): row
        for row in PillarScore.objects.filter(response__in=[r.pk for r in responses])
    }
    pillars: dict[str, Any] = {}
    for response in responses:
        for pillar in response.round.questionnaire.pillars.all():
            pillars.setdefault(pillar.code, pillar)
    rows = []
    for code, pillar in pillars.items():
        cells, previous = [], None
        for response in responses:
            score = scores.get((response.pk, code))
            change = score.score - previous.score if score and previous else None
            cells.append(
                {"score": score.score if score else None, "level": score.level if score else None, "change": change}
            )
            previous = score or previous
        rows.append({"pillar": pillar, "cells": cells})
    overall, previous_response = [], None
    for response in responses:
        change = response.score - previous_response.score if previous_response else None
        overall.append({"response": response, "change": change})
        previous_response = response
    return {"rounds": overall, "pillars": rows}
