"""Data checks on a submitted self-assessment, against the cooperative's own history and the
round's other responses (issue #18): each doubt becomes an open ``ResponseFlag`` that the
province's officer confirms, or that goes when the response is returned or submitted again.

- level jump: the maturity level moved by three levels or more since the cooperative's previous
  counted response (in an earlier round);
- pillar jump: a pillar scored 0 in that previous response and 100 now;
- identical answers: every answer is the same as another cooperative's in the same round (the
  responses' ``answers_signature``), which usually means a copied form.

:func:`flags_raise` is the one place they are raised, for the browser's submission and the paper
import alike: it takes any number of responses and costs the same few queries for one or ten
thousand (the checks are database reads over the whole set, never one query per response).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Max, Min, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from coopdx.history import record_by

from .lifecycle import counted_statuses, may_accept
from .models import FlagKind, FlagStatus, Pillar, PillarScore, Response, ResponseFlag

if TYPE_CHECKING:
    from accounts.models import User

LEVEL_JUMP = 3
CHUNK = 5000


def flags_raise(*, response_ids: Sequence[int], by: User | None, now: datetime.datetime) -> list[ResponseFlag]:
    """Check responses just submitted (their level, pillar rows and signature written): their
    open flags are replaced by what the checks find now. Returns the flags raised."""
    ids = list(response_ids)
    flags_resolve(response_ids=ids, status=FlagStatus.REPLACED, by=by, now=now)
    raised: list[ResponseFlag] = []
    for start in range(0, len(ids), CHUNK):
        raised.extend(_check(ids[start : start + CHUNK], now))
    if raised:
        bulk_create_with_history(raised, ResponseFlag, default_user=by)
    return raised


def flags_resolve(
    *, response_ids: Sequence[int], status: FlagStatus, by: User | None, now: datetime.datetime, note: str = ""
) -> int:
    """Close the open flags of these responses (returned, or submitted again), in their history."""
    flags = list(ResponseFlag.objects.filter(response_id__in=list(response_ids), status=FlagStatus.OPEN))
    for flag in flags:
        flag.status, flag.resolved_by, flag.resolved_at, flag.note = status, by, now, note
    if flags:
        bulk_update_with_history(flags, ResponseFlag, ["status", "resolved_by", "resolved_at", "note"], default_user=by)
    return len(flags)


def _check(ids: list[int], now: datetime.datetime) -> list[ResponseFlag]:
    previous = Response.objects.filter(
        cooperative_id=OuterRef("cooperative_id"),
        round__opens_on__lt=OuterRef("round__opens_on"),
        status__in=counted_statuses(),
        level__isnull=False,
    ).order_by("-round__opens_on")
    rows = list(
        Response.objects.filter(pk__in=ids)
        .annotate(
            previous_id=Subquery(previous.values("pk")[:1]),
            previous_level=Subquery(previous.values("level")[:1]),
            previous_round=Subquery(previous.values("round__name_vi")[:1]),
        )
        .values(
            "pk",
            "level",
            "round_id",
            "round__questionnaire_id",
            "answers_signature",
            "cooperative__code",
            "previous_id",
            "previous_level",
            "previous_round",
        )
    )
    flags: list[ResponseFlag] = []
    for row in rows:
        if row["previous_level"] is not None and abs(row["level"] - row["previous_level"]) >= LEVEL_JUMP:
            detail = {
                "previous_level": row["previous_level"],
                "level": row["level"],
                "previous_round": row["previous_round"],
            }
            flags.append(ResponseFlag(response_id=row["pk"], kind=FlagKind.LEVEL_JUMP, detail=detail, raised_at=now))
    flags.extend(_pillar_jumps(rows, now))
    flags.extend(_identical_answers(rows, now))
    return flags


def _pillar_jumps(rows: list[dict[str, Any]], now: datetime.datetime) -> list[ResponseFlag]:
    """Pillars at 0 in the previous response and at 100 now: two queries for the whole set."""
    previous_of = {row["previous_id"]: row for row in rows if row["previous_id"] is not None}
    if not previous_of:
        return []
    scores = PillarScore.objects.filter(
        Q(response_id__in=[row["pk"] for row in previous_of.values()], score=Decimal(100))
        | Q(response_id__in=list(previous_of), score=Decimal(0))
    ).values_list("response_id", "pillar_code", "score")
    full: set[tuple[int, str]] = set()
    empty: set[tuple[int, str]] = set()
    for response_id, code, score in scores:
        (empty if response_id in previous_of and score == 0 else full).add((response_id, code))
    jumps: dict[int, list[str]] = {}
    for previous_id, code in sorted(empty):
        row = previous_of[previous_id]
        if (row["pk"], code) in full:
            jumps.setdefault(previous_id, []).append(code)
    if not jumps:
        return []
    names = {
        (q, code): {"code": code, "vi": vi, "en": en or vi}
        for q, code, vi, en in Pillar.objects.filter(
            questionnaire_id__in={previous_of[p]["round__questionnaire_id"] for p in jumps}
        ).values_list("questionnaire_id", "code", "name_vi", "name_en")
    }
    flags = []
    for previous_id, codes in jumps.items():
        row = previous_of[previous_id]
        pillars = [
            names.get((row["round__questionnaire_id"], code), {"code": code, "vi": code, "en": code}) for code in codes
        ]
        detail = {"pillars": pillars, "previous_round": row["previous_round"]}
        flags.append(ResponseFlag(response_id=row["pk"], kind=FlagKind.PILLAR_JUMP, detail=detail, raised_at=now))
    return flags


def _identical_answers(rows: list[dict[str, Any]], now: datetime.datetime) -> list[ResponseFlag]:
    """Responses of the same round with the same signature: one grouped query on the indexed
    (round, signature) pair, whatever the number of responses. Not at level 0: answers that show
    no digital practice at all are alike in every cooperative that has none, which is common and
    no sign of a copied form."""
    signed = [row for row in rows if row["answers_signature"] and row["level"]]
    if not signed:
        return []
    groups = {
        (group["round_id"], group["answers_signature"]): group
        for group in Response.objects.filter(
            round_id__in={row["round_id"] for row in signed},
            answers_signature__in={row["answers_signature"] for row in signed},
        )
        .values("round_id", "answers_signature")
        .annotate(count=Count("pk"), first=Min("cooperative__code"), last=Max("cooperative__code"))
        .filter(count__gt=1)
    }
    flags = []
    for row in signed:
        group = groups.get((row["round_id"], row["answers_signature"]))
        if group is None:
            continue
        other = group["last"] if group["first"] == row["cooperative__code"] else group["first"]
        detail = {"other_code": other, "others": group["count"] - 1}
        flags.append(ResponseFlag(response_id=row["pk"], kind=FlagKind.IDENTICAL_ANSWERS, detail=detail, raised_at=now))
    return flags


@transaction.atomic
def response_flag_confirm(*, flag: ResponseFlag, by: User, note: str = "") -> ResponseFlag:
    """The reviewing officer confirms that a flagged response's figures are right (with a note
    saying why, if they wish). The one who entered or submitted the response does not: another
    officer does, as for its acceptance (the rule ``surveys.accept_response``)."""
    flag = ResponseFlag.objects.select_for_update().select_related("response").get(pk=flag.pk)
    if not by.has_perm("surveys.review_response", flag.response):
        raise PermissionDenied
    if not flag.is_open:
        raise ValidationError(
            _("This flag was already resolved (%(status)s); there is nothing left to confirm.")
            % {"status": flag.get_status_display()}
        )
    if not may_accept(by, flag.response):
        raise ValidationError(
            _("You entered this self-assessment, so another officer needs to confirm its flagged figures.")
        )
    flag.status = FlagStatus.CONFIRMED
    flag.resolved_by = by
    flag.resolved_at = timezone.now()
    flag.note = note.strip()
    flag.full_clean()
    record_by(flag, by)
    flag.save()
    return flag
