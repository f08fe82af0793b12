"""Possible duplicates in the registry: the rule, computed in the database.

Two cooperatives that are neither dissolved nor archived are possibly the same one registered
twice when they share

* a name, folded as search folds it (``text.search_words``: case, diacritics, spacing and the
  usual abbreviations do not matter: "HTX DV NN Tân Dương" is "Hợp tác xã Dịch vụ Nông nghiệp
  Tân Dương"; the stored ``search_text`` holds those words before ``NAME_END``), **in the same
  commune (ward)**. Names like "HTX Nông nghiệp Tân Phú" recur from one commune to the next and
  are different cooperatives; a cooperative registered without a ward may be either of them, so
  it is compared with every cooperative of its province: with a ward W1 holding A and a ward W2
  holding B, a same-named C without a ward makes two groups, {A, C} and {B, C}, never {A, B};
* a phone number, written without spaces, dots, dashes or brackets, "+84" read as "0", in the
  same province;
* an e-mail address, whatever its case, in the same province;
* a representative, folded like names (``Cooperative.representative_key``), in the same province.

A cooperative and its own branches (codes ``8212345678`` and ``8212345678-001``) share a name or
a phone by nature, so a group counts only when its codes have at least two different 10-digit
stems. Nothing about a group is stored: it is gone once its cooperatives no longer match (one
was corrected, archived, dissolved or merged).

**Dismissed groups.** An officer may find that a group is not one cooperative twice
(``DuplicateDismissal``, the set of the group's cooperative ids). A group found later stays
hidden while all its members lie within one standing dismissal, whatever they share now: the
officer judged those cooperatives different from each other, and a second shared detail (the
same phone after the same name) does not change that. A group that gains a cooperative outside
the dismissed set (a new registration with the same name) is listed again, whole, since the
newcomer has not been judged. Undoing a dismissal lists its groups again.

The rule is one query; hiding the dismissed groups is one more, run only when a group is found.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import CharField, Count, F, Func, Q, QuerySet, Value
from django.db.models.functions import Lower, Replace, StrIndex, Substr

from .models import Cooperative, CooperativeStatus, DuplicateDismissal
from .text import NAME_END, fold

CODE_STEM = 10


class Reason:
    NAME = "name"
    PHONE = "phone"
    EMAIL = "email"
    REPRESENTATIVE = "representative"


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
    Reason.REPRESENTATIVE: lambda: F("representative_key"),
}

# What the duplicates page shows of each cooperative, read by the rule's one query.
SHOWN_FIELDS = (
    "pk",
    "code",
    "name",
    "province_id",
    "ward_id",
    "ward__name",
    "phone",
    "email",
    "representative",
    "status",
)


@dataclass
class DuplicateGroup:
    """Cooperatives that may be one, with what they share."""

    cooperatives: list[dict[str, Any]]
    reasons: list[str] = field(default_factory=list)

    @property
    def ids(self) -> list[int]:
        return sorted(c["pk"] for c in self.cooperatives)

    @property
    def province_id(self) -> int:
        return int(self.cooperatives[0]["province_id"])


def candidates(queryset: QuerySet[Cooperative]) -> QuerySet[Cooperative]:
    """The cooperatives of ``queryset`` the rule compares: neither dissolved nor archived."""
    return queryset.filter(is_archived=False).exclude(status=CooperativeStatus.DISSOLVED)


def _shared(queryset: QuerySet[Cooperative], reason: str) -> QuerySet[Any, Any]:
    """The values of one key that several cooperatives (not one and its branches) share, per
    province: for names a superset (the commune is checked on the rows read)."""
    return (
        queryset.annotate(key=KEYS[reason]())
        .exclude(key="")
        .order_by()
        .values("province_id", "key")
        .annotate(stems=Count(Substr("code", 1, CODE_STEM), distinct=True))
        .filter(stems__gt=1)
    )


def _sets(reason: str, members: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """The groups among cooperatives of one province sharing one key's value: for names, one per
    commune, each with the cooperatives that have no commune."""
    if reason != Reason.NAME:
        return [members]
    by_ward: dict[int, list[dict[str, Any]]] = {}
    without = [m for m in members if m["ward_id"] is None]
    for member in members:
        if member["ward_id"] is not None:
            by_ward.setdefault(member["ward_id"], []).append(member)
    if not by_ward:
        return [without]
    return [sorted(in_ward + without, key=lambda m: m["pk"]) for in_ward in by_ward.values()]


def _standing_dismissals(groups: list[DuplicateGroup]) -> list[frozenset[int]]:
    provinces = {group.province_id for group in groups}
    rows = DuplicateDismissal.objects.filter(province_id__in=provinces, undone_at__isnull=True)
    return [frozenset(ids) for ids in rows.values_list("cooperative_ids", flat=True)]


def duplicate_groups(queryset: QuerySet[Cooperative], *, include_dismissed: bool = False) -> list[DuplicateGroup]:
    """The possible duplicates among ``queryset`` (already scoped), largest group first then by
    name: one query for the rule (only the cooperatives that match are read; a pair sharing two
    things is one group), one more for the dismissals when a group is found."""
    base = candidates(queryset)
    matched = Q()
    for reason in KEYS:
        # The key alone: a value shared in another province may bring a row in, and the
        # grouping by province below leaves it out.
        common: QuerySet[Any, Any] = _shared(base, reason)
        matched |= Q(**{f"{reason}_match__in": common.values("key")})
    rows: list[dict[str, Any]] = list(
        base.annotate(**{f"{reason}_match": KEYS[reason]() for reason in KEYS})
        .filter(matched)
        .order_by("pk")
        .values(*SHOWN_FIELDS, *[f"{reason}_match" for reason in KEYS])
    )
    for row in rows:
        row["status_label"] = CooperativeStatus(row["status"]).label
    groups: dict[frozenset[int], DuplicateGroup] = {}
    for reason in KEYS:
        by_key: dict[tuple[int, str], list[dict[str, Any]]] = {}
        for row in rows:
            if row[f"{reason}_match"]:
                by_key.setdefault((row["province_id"], row[f"{reason}_match"]), []).append(row)
        for shared in by_key.values():
            for members in _sets(reason, shared):
                if len({m["code"][:CODE_STEM] for m in members}) < 2:
                    continue
                pks = frozenset(m["pk"] for m in members)
                group = groups.setdefault(pks, DuplicateGroup(cooperatives=members))
                group.reasons.append(reason)
    found = list(groups.values())
    if found and not include_dismissed:
        dismissed = _standing_dismissals(found)
        found = [g for g in found if not any(set(g.ids) <= ids for ids in dismissed)]
    return sorted(found, key=lambda g: (-len(g.cooperatives), fold(g.cooperatives[0]["name"]), g.ids))
