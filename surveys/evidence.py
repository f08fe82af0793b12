"""Self-reports against the registry's evidence: the rule of a mismatch, in the database.

A counted response (``lifecycle.counted_statuses``, of a cooperative not archived) is checked
against the registry as it is now by every active ``EvidenceCheck``: it is a mismatch of a
"claimed" check when it chose one of the check's options and the registry holds no evidence of
the check's kind, and of a "denied" check when it chose one and the registry holds some. A check
whose question a questionnaire version lacks has no option in that version, so no response of it
can match: the check does not apply there.

The rule is written twice, once for each reader, both in the database: as ORM expressions on
responses (the officer's pages, ``evidence_selectors``) and as SQL fragments for the nightly
aggregation's single statement (``indicators.aggregation``). The tests hold the two to the same
figures on the same data.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import BooleanField, Case, Exists, OuterRef, Q, QuerySet, Value, When

from cooperatives.models import EcommerceListing, OcopProduct, Platform, Traceability

from .models import Answer, EvidenceCheck, EvidenceDirection, EvidenceKind, Option, Question, Response

# A listing on any platform but the province's is a marketplace listing ("other" included: the
# registry records smaller marketplaces under it).
MARKETPLACES = tuple(platform for platform in Platform.values if platform != Platform.PROVINCIAL)
QR_TRACEABILITY = (Traceability.QR_PARTIAL, Traceability.QR_ALL)
# The flag of the responses with at least one mismatch, among the annotations.
ANY = "evidence_mismatched"


@dataclass(frozen=True)
class ResolvedCheck:
    """An active check with its options' ids in every questionnaire version that has its question."""

    check: EvidenceCheck
    option_ids: tuple[int, ...]

    @property
    def flag(self) -> str:
        return f"evidence_{self.check.code}"


def resolved_checks() -> list[ResolvedCheck]:
    """The active checks with their option ids; those that apply to no version are left out. One
    query: each check joined to the options of its question in every version."""
    check, question, option = (m._meta.db_table for m in (EvidenceCheck, Question, Option))
    rows = EvidenceCheck.objects.raw(
        f"SELECT ec.*, o.id AS option_id, o.code AS option_code FROM {check} ec"
        f" LEFT JOIN {question} q ON q.code = ec.question_code LEFT JOIN {option} o ON o.question_id = q.id"
        " WHERE ec.is_active = %s ORDER BY ec.position, ec.code, o.id",
        [True],
    )
    checks: dict[int, EvidenceCheck] = {}
    ids_of: dict[tuple[str, str], list[int]] = defaultdict(list)
    for row in rows:
        checks.setdefault(row.pk, row)
        if row.option_id is not None and (row.option_id not in ids_of[(row.question_code, row.option_code)]):
            ids_of[(row.question_code, row.option_code)].append(row.option_id)
    return resolve(checks.values(), ids_of)


def resolve(checks: Iterable[EvidenceCheck], ids_of: dict[tuple[str, str], list[int]]) -> list[ResolvedCheck]:
    """``checks`` with their option ids from ``ids_of``; those that apply to no version are left out."""
    resolved = [ResolvedCheck(check, check_option_ids(check, ids_of)) for check in checks]
    return [r for r in resolved if r.option_ids]


def check_option_ids(check: EvidenceCheck, ids_of: dict[tuple[str, str], list[int]]) -> tuple[int, ...]:
    # str(): the codes are JSON an administrator edits, where 1 and "1" mean the same option.
    codes = check.option_codes if isinstance(check.option_codes, list) else []
    return tuple(sorted(pk for code in codes for pk in ids_of.get((check.question_code, str(code)), [])))


# --- ORM: the officer's pages --------------------------------------------------------------------


def _evidence(kind: str, cooperative: str) -> Q:
    """The registry holds evidence of ``kind`` for the cooperative at ``cooperative`` (a path from
    the queryset's model)."""
    if kind == EvidenceKind.TRACEABILITY_RECORD:
        return Q(**{f"{cooperative}__traceability__in": QR_TRACEABILITY})
    outer = OuterRef(f"{cooperative}_id")
    if kind == EvidenceKind.OCOP_PRODUCT:
        return Q(Exists(OcopProduct.objects.filter(cooperative_id=outer)))
    platforms = (Platform.PROVINCIAL,) if kind == EvidenceKind.PROVINCIAL_LISTING else MARKETPLACES
    return Q(Exists(EcommerceListing.objects.filter(cooperative_id=outer, platform__in=platforms)))


def mismatch_condition(resolved: ResolvedCheck) -> Q:
    """A response (the queryset's rows) is a mismatch of this check."""
    chose = Q(
        Exists(
            Answer.options.through.objects.filter(answer__response_id=OuterRef("pk"), option_id__in=resolved.option_ids)
        )
    )
    evidence = _evidence(resolved.check.kind, "cooperative")
    return chose & (~evidence if resolved.check.direction == EvidenceDirection.CLAIMED else evidence)


def _flag(condition: Q) -> Case:
    return Case(When(condition, then=Value(True)), default=Value(False), output_field=BooleanField())


def with_mismatches(responses: QuerySet[Response], checks: list[ResolvedCheck]) -> QuerySet[Response]:
    """``responses`` with a boolean per check (``ResolvedCheck.flag``) and ``ANY``."""
    conditions = [mismatch_condition(r) for r in checks]
    any_condition = Q()
    for condition in conditions:
        any_condition |= condition
    flags = {r.flag: _flag(condition) for r, condition in zip(checks, conditions, strict=True)}
    return responses.annotate(**flags, **{ANY: _flag(any_condition) if conditions else Value(False)})


def counted_responses() -> QuerySet[Response]:
    """The responses the checks look at: counted, of cooperatives not archived (as the aggregation)."""
    from .lifecycle import counted_statuses

    return Response.objects.filter(status__in=counted_statuses(), cooperative__is_archived=False)


# --- SQL: the nightly aggregation's one statement -----------------------------------------------


def _marks(values: Iterable[Any]) -> str:
    return ", ".join(["%s"] * len(list(values)))


def sql_choice_flags(checks: list[ResolvedCheck], option: str = "ao") -> tuple[list[str], list[Any]]:
    """Columns of the per-response fold of chosen options (``MAX(...) AS evidence_<i>``): 1 when the
    response chose one of the check's options."""
    columns = [
        f"MAX(CASE WHEN {option}.option_id IN ({_marks(r.option_ids)}) THEN 1 ELSE 0 END) AS evidence_{index}"
        for index, r in enumerate(checks)
    ]
    return columns, [pk for r in checks for pk in r.option_ids]


def _sql_evidence(kind: str, cooperative: str) -> tuple[str, list[Any]]:
    if kind == EvidenceKind.TRACEABILITY_RECORD:
        return f"{cooperative}.traceability IN ({_marks(QR_TRACEABILITY)})", list(QR_TRACEABILITY)
    if kind == EvidenceKind.OCOP_PRODUCT:
        return f"{cooperative}.id IN (SELECT cooperative_id FROM {OcopProduct._meta.db_table})", []
    platforms = [Platform.PROVINCIAL.value] if kind == EvidenceKind.PROVINCIAL_LISTING else list(MARKETPLACES)
    listings = EcommerceListing._meta.db_table
    # Uncorrelated: computed once per statement (a hashed subplan), then looked up per response.
    return (
        f"{cooperative}.id IN (SELECT cooperative_id FROM {listings} WHERE platform IN ({_marks(platforms)}))",
        platforms,
    )


def sql_any_mismatch(checks: list[ResolvedCheck], flags: str = "f", cooperative: str = "c") -> tuple[str, list[Any]]:
    """1 when the response (its fold of chosen options at ``flags``, its cooperative at
    ``cooperative``) is a mismatch of at least one check, else 0. The registry is read only for
    the responses that chose a check's option."""
    if not checks:
        return "0", []
    terms: list[str] = []
    params: list[Any] = []
    for index, resolved in enumerate(checks):
        evidence, evidence_params = _sql_evidence(resolved.check.kind, cooperative)
        negate = "NOT " if resolved.check.direction == EvidenceDirection.CLAIMED else ""
        terms.append(f"(COALESCE({flags}.evidence_{index}, 0) = 1 AND {negate}({evidence}))")
        params += evidence_params
    return f"CASE WHEN {' OR '.join(terms)} THEN 1 ELSE 0 END", params
