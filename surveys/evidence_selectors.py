"""Reads of the evidence checks' mismatches (``surveys.evidence``) for officers, scoped like the
rest: a cooperative's mismatches round by round, and per province in a round (counts and rate,
and the cooperatives concerned). Counted in the database, a constant number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from coopdx.collation import vietnamese
from coopdx.disclosure import enough
from cooperatives.models import Cooperative, Province

from .evidence import (
    ANY,
    MARKETPLACES,
    ResolvedCheck,
    counted_responses,
    mismatch_condition,
    resolve,
    resolved_checks,
    with_mismatches,
)
from .models import Answer, EvidenceCheck, EvidenceKind, Option, Response, SurveyRound

if TYPE_CHECKING:
    from accounts.models import User


def round_checks(survey_round: SurveyRound) -> tuple[list[ResolvedCheck], list[EvidenceCheck]]:
    """The active checks that apply to the round's questionnaire version (its options' ids), and
    those that do not (the version lacks their question). Two queries."""
    checks = list(EvidenceCheck.objects.filter(is_active=True))
    ids_of: dict[tuple[str, str], list[int]] = {}
    rows = Option.objects.filter(
        question__questionnaire_id=survey_round.questionnaire_id,
        question__code__in={check.question_code for check in checks},
    ).values_list("pk", "question__code", "code")
    for pk, question_code, option_code in rows:
        ids_of.setdefault((question_code, option_code), []).append(pk)
    applying = resolve(checks, ids_of)
    codes = {r.check.code for r in applying}
    return applying, [check for check in checks if check.code not in codes]


def _in_scope(user: User) -> QuerySet[Response]:
    return counted_responses().filter(cooperative__in=Cooperative.objects.visible_to(user))


@dataclass
class ProvinceMismatches:
    province: Province
    counted: int
    mismatched: int
    # Check code → how many counted responses it finds.
    per_check: dict[str, int] = field(default_factory=dict)

    @property
    def rate(self) -> Decimal | None:
        """The share, or None over fewer than ``MIN_ANSWERS`` counted responses (the small-numbers
        rule of the indicator ``evidence_mismatch_pct``; the counts stay shown)."""
        return Decimal(100) * self.mismatched / self.counted if enough(self.counted) else None


def province_mismatches(
    *, user: User, survey_round: SurveyRound, checks: list[ResolvedCheck]
) -> list[ProvinceMismatches]:
    """Every province in the user's scope with its counted responses in the round, how many have
    at least one mismatch and how many each check finds. Two queries (the provinces, the counts)."""
    if user.is_national:
        provinces = list(Province.objects.all())
    else:
        provinces = list(Province.objects.filter(pk=user.province_id)) if user.is_officer else []
    conditions = {r.check.code: mismatch_condition(r) for r in checks}
    any_condition = Q()
    for condition in conditions.values():
        any_condition |= condition
    aggregates: dict[str, Any] = {
        "counted": Count("pk"),
        **{f"check_{index}": Count("pk", filter=c) for index, c in enumerate(conditions.values())},
    }
    if conditions:
        aggregates["mismatched"] = Count("pk", filter=any_condition)
    rows = {
        row["cooperative__province_id"]: row
        for row in _in_scope(user)
        .filter(round=survey_round)
        .values("cooperative__province_id")
        .annotate(**aggregates)
        .order_by()
    }
    result = []
    for province in provinces:
        row = rows.get(province.pk, {})
        result.append(
            ProvinceMismatches(
                province=province,
                counted=row.get("counted", 0),
                mismatched=row.get("mismatched", 0),
                per_check={code: row.get(f"check_{index}", 0) for index, code in enumerate(conditions)},
            )
        )
    return result


def mismatched_responses(
    *, user: User, survey_round: SurveyRound, province: Province, checks: list[ResolvedCheck]
) -> QuerySet[Response]:
    """The counted responses of the round in the province (within the user's scope) with at least
    one mismatch, each with a flag per check, in the order of the cooperatives' names."""
    responses = _in_scope(user).filter(round=survey_round, cooperative__province=province)
    return (
        with_mismatches(responses, checks)
        .filter(**{ANY: True})
        .select_related("cooperative")
        .order_by(vietnamese("cooperative__name"), "cooperative__code")
    )


@dataclass(frozen=True)
class Mismatch:
    """One check a response fails: what was answered, what the registry holds."""

    check: EvidenceCheck
    answered: str
    holds: str


def cooperative_mismatches(*, user: User, cooperative: Cooperative) -> list[tuple[Response, list[Mismatch]]]:
    """The cooperative's counted responses (one per round, latest round first) that the registry
    as it is now contradicts, with the mismatches of each. None for an archived cooperative or a
    user who cannot see it. A constant number of queries, whatever the rounds."""
    checks = resolved_checks()
    if not checks:
        return []
    responses = list(
        with_mismatches(_in_scope(user).filter(cooperative=cooperative), checks)
        .filter(**{ANY: True})
        .select_related("round")
        .order_by("-round__opens_on")
    )
    if not responses:
        return []
    answers = Answer.objects.filter(
        response__in=responses, question__code__in={r.check.question_code for r in checks}
    ).prefetch_related("options")
    answered: dict[tuple[int, str], str] = {
        (answer.response_id, answer.question.code): ", ".join(o.label for o in answer.options.all())
        for answer in answers.select_related("question")
    }
    holdings = _holdings(cooperative)
    return [
        (
            response,
            [
                Mismatch(r.check, answered.get((response.pk, r.check.question_code), "—"), holdings[r.check.kind])
                for r in checks
                if getattr(response, r.flag)
            ],
        )
        for response in responses
    ]


def _holdings(cooperative: Cooperative) -> dict[str, str]:
    """What the registry holds of each kind of evidence for the cooperative, in words."""
    listings = list(cooperative.listings.all())
    marketplaces = sorted({str(x.get_platform_display()) for x in listings if x.platform in MARKETPLACES})
    provincial = [x for x in listings if x.platform not in MARKETPLACES]
    products = cooperative.ocop_products.count()
    return {
        EvidenceKind.MARKETPLACE_LISTING: ", ".join(marketplaces) or _("No marketplace listing"),
        EvidenceKind.PROVINCIAL_LISTING: (
            _("Listed on the provincial platform") if provincial else _("No listing on the provincial platform")
        ),
        EvidenceKind.OCOP_PRODUCT: (
            ngettext("%(count)s OCOP product", "%(count)s OCOP products", products) % {"count": products}
            if products
            else _("No OCOP product")
        ),
        EvidenceKind.TRACEABILITY_RECORD: str(cooperative.get_traceability_display()),
    }
