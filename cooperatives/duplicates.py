"""Possible duplicates in the registry: the rule, computed in the database.

Two cooperatives of the same province that are neither dissolved nor archived are possibly the
same one registered twice when they share

* a name, folded as search folds it (``text.search_words``: case, diacritics, spacing and the
  usual abbreviations do not matter: "HTX DV NN Tân Dương" is "Hợp tác xã Dịch vụ Nông nghiệp
  Tân Dương"); the stored ``search_text`` holds those words before ``NAME_END``;
* a phone number, written without spaces, dots, dashes or brackets, "+84" read as "0";
* an e-mail address, whatever its case.

A cooperative and its own branches (codes ``8212345678`` and ``8212345678-001``) share a name or
a phone by nature, so a group counts only when its codes have at least two different 10-digit
stems. Nothing is stored: a group is gone once its cooperatives no longer match (one was
corrected, archived or dissolved).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import CharField, Count, F, Func, Q, QuerySet, Value
from django.db.models.functions import Lower, Replace, StrIndex, Substr

from .models import Cooperative, CooperativeStatus
from .text import NAME_END, fold

CODE_STEM = 10


class Reason:
    NAME = "name"
    PHONE = "phone"
    EMAIL = "email"


def _phone_key() -> Func:
    key: Func = Replace(F("phone"), Value("+84"), Value("0"), output_field=CharField())
    for mark in (" ", ".", "-", "(", ")"):
        key = Replace(key, Value(mark), Value(""), output_field=CharField())
    return key


def _name_key() -> Func:
    return Substr(F("search_text"), 1, StrIndex(F("search_text"), Value(NAME_END)) - 1, output_field=CharField())


KEYS = {
    Reason.NAME: _name_key,
    Reason.PHONE: _phone_key,
    Reason.EMAIL: lambda: Lower(F("email")),
}


@dataclass
class DuplicateGroup:
    """Cooperatives that may be one, with what they share."""

    cooperatives: list[dict[str, Any]]
    reasons: list[str] = field(default_factory=list)


def candidates(queryset: QuerySet[Cooperative]) -> QuerySet[Cooperative]:
    """The cooperatives of ``queryset`` the rule compares: neither dissolved nor archived."""
    return queryset.filter(is_archived=False).exclude(status=CooperativeStatus.DISSOLVED)


def _shared(queryset: QuerySet[Cooperative], reason: str) -> QuerySet[Cooperative]:
    """The values of one key that several cooperatives (not one and its branches) share, per province."""
    return (
        queryset.annotate(key=KEYS[reason]())
        .exclude(key="")
        .order_by()
        .values("province_id", "key")
        .annotate(stems=Count(Substr("code", 1, CODE_STEM), distinct=True))
        .filter(stems__gt=1)
    )


def duplicate_groups(queryset: QuerySet[Cooperative]) -> list[DuplicateGroup]:
    """The possible duplicates among ``queryset`` (already scoped), in one query: each group of
    cooperatives sharing a name, phone or e-mail within a province, largest first then by name.
    Only the cooperatives that match are read; a pair sharing two things is one group."""
    base = candidates(queryset)
    matched = Q()
    for reason in KEYS:
        # The key alone: a value shared in another province may bring a row in, and the
        # grouping by province below leaves it out.
        matched |= Q(**{f"{reason}_key__in": _shared(base, reason).values("key")})
    rows: list[dict[str, Any]] = list(
        base.annotate(**{f"{reason}_key": KEYS[reason]() for reason in KEYS})
        .filter(matched)
        .order_by("pk")
        .values("pk", "code", "name", "province_id", *[f"{reason}_key" for reason in KEYS])
    )
    groups: dict[frozenset[int], DuplicateGroup] = {}
    for reason in KEYS:
        by_key: dict[tuple[int, str], list[dict[str, Any]]] = {}
        for row in rows:
            if row[f"{reason}_key"]:
                by_key.setdefault((row["province_id"], row[f"{reason}_key"]), []).append(row)
        for members in by_key.values():
            if len({m["code"][:CODE_STEM] for m in members}) < 2:
                continue
            pks = frozenset(m["pk"] for m in members)
            group = groups.setdefault(pks, DuplicateGroup(cooperatives=members))
            group.reasons.append(reason)
    return sorted(groups.values(), key=lambda g: (-len(g.cooperatives), fold(g.cooperatives[0]["name"])))
