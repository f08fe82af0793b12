"""Reads of the registry, always scoped to what the user may see."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import StrIndex
from django.db.models.lookups import LessThan
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.text import capfirst

from coopdx import versions
from coopdx.collation import vietnamese

from .duplicates import DuplicateGroup, duplicate_groups
from .merging import MERGED_FROM, MERGED_INTO
from .models import Cooperative, DuplicateDismissal, Province, Sector, Ward
from .text import NAME_END, search_terms
from .versioning import REGISTRY

if TYPE_CHECKING:
    from accounts.models import User
    from imports.models import ImportJob


def cooperative_list(*, user: User, include_archived: bool = False) -> QuerySet[Cooperative]:
    """Cooperatives the user may see, with their province, ward and sector joined."""
    queryset = Cooperative.objects.visible_to(user).select_related("province", "ward", "sector")
    if not include_archived:
        queryset = queryset.filter(is_archived=False)
    return queryset


# Names mostly begin with their legal form; a query may or may not repeat it.
LEGAL_FORM = " hop tac xa"


def cooperative_search_ranked(queryset: QuerySet[Cooperative], query: str) -> QuerySet[Cooperative]:
    """Order search results closest first: the exact code, then names beginning with the query
    (with or without "Hợp tác xã" before it), then names holding every word, then the rows
    that match through the code, representative or ward; in Vietnamese alphabetical order of the name within each rank.

    ``queryset`` is already filtered by the query (``CooperativeFilter``); this only orders it,
    in the database. The API keeps its own stable order for keyset pages.
    """
    terms = search_terms(query)
    if not terms:
        return queryset
    phrase = " " + " ".join(terms)
    name_end = StrIndex("search_text", Value(NAME_END))
    # The first occurrence of each term lies before the end of the name.
    in_name = [LessThan(StrIndex("search_text", Value(f" {term}")), name_end) for term in terms]
    rank = Case(
        When(code=query.strip(), then=Value(0)),
        When(Q(search_text__startswith=phrase) | Q(search_text__startswith=LEGAL_FORM + phrase), then=Value(1)),
        When(Q(*in_name), then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )
    return queryset.annotate(search_rank=rank).order_by("search_rank", vietnamese("name"), "code")


def cooperative_get(*, user: User, pk: int) -> Cooperative:
    """One cooperative; 404 when it does not exist or lies outside the user's scope."""
    return get_object_or_404(cooperative_list(user=user, include_archived=True), pk=pk)


def province_list(*, user: User) -> QuerySet[Province]:
    """Provinces the user works with: all for national roles, their own otherwise."""
    if user.is_national:
        return Province.objects.all()
    if user.is_officer and user.province_id is not None:
        return Province.objects.filter(pk=user.province_id)
    if user.is_member and user.cooperative_id:
        return Province.objects.filter(cooperatives__pk=user.cooperative_id)
    return Province.objects.none()


def registry_version() -> tuple[str, datetime.datetime | None]:
    """The whole registry's version in constant time, in one query: the registry data set's
    version (renewed by any committed write to cooperatives, provinces, wards or sectors,
    whatever path made it; see ``coopdx.versions``) and the latest change, for Last-Modified.

    Any change anywhere renews it (so every caller's validators); counting a caller's rows
    instead would cost a scan growing with the registry. The latest ``updated_at`` is an index
    read folded into the same query.
    """
    current = versions.version(
        REGISTRY, latest=Cooperative.objects.order_by("-updated_at").values_list("updated_at", flat=True)[:1]
    )
    return current.token, current.last_modified


def cooperative_changes(*, cooperative: Cooperative, limit: int = 50) -> list[dict[str, object]]:
    """The cooperative's change history, newest first: who, when, and each field's old → new.

    One query for the records plus one per referenced table; each record is compared with
    the one before it, so no query runs per record.
    """
    records = list(
        cooperative.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1]
    )
    labels = {f.name: str(f.verbose_name) for f in Cooperative._meta.get_fields() if hasattr(f, "verbose_name")}
    referenced: dict[str, dict[int, str]] = {"province": {}, "ward": {}, "sector": {}}
    for model, name in ((Province, "province"), (Ward, "ward"), (Sector, "sector")):
        ids = {getattr(r, f"{name}_id") for r in records if getattr(r, f"{name}_id")}
        referenced[name] = {obj.pk: str(obj) for obj in model.objects.filter(pk__in=ids)}
    choices = {
        "status": dict(Cooperative._meta.get_field("status").flatchoices),
        "traceability": dict(Cooperative._meta.get_field("traceability").flatchoices),
    }

    def shown(field: str, value: object) -> object:
        if field in referenced and isinstance(value, int):  # a foreign key's id, or None
            return referenced[field].get(value, value)
        if field in choices:
            return choices[field].get(value, value)
        return value

    entries = []
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes = []
        if previous is not None and record.history_type == "~":
            for change in record.diff_against(previous).changes:
                changes.append(
                    {
                        "field": labels.get(change.field, change.field),
                        "old": shown(change.field, change.old),
                        "new": shown(change.field, change.new),
                    }
                )
        reason = record.history_change_reason or ""
        entries.append(
            {
                "record": record,
                "changes": changes,
                # Written by ``merging`` as data ("merged into <code>"), worded by the page.
                "merged_into": reason.removeprefix(MERGED_INTO) if reason.startswith(MERGED_INTO) else "",
                "merged_from": reason.removeprefix(MERGED_FROM) if reason.startswith(MERGED_FROM) else "",
            }
        )
    return entries


def import_job_changes(*, job: ImportJob) -> list[dict[str, Any]]:
    """The changes an import makes (or made), old → new, each field named in the reader's language."""
    labels = {field.name: capfirst(str(field.verbose_name)) for field in Cooperative._meta.fields}
    return [
        {
            **change,
            "fields": [
                {**item, "label": labels.get(item.get("field", ""), item["column"])} for item in change["fields"]
            ],
        }
        for change in job.summary.get("changes", [])
    ]


def possible_duplicates(*, user: User, province_id: int | None = None) -> list[DuplicateGroup]:
    """Groups of cooperatives the user may see that may be one registered twice (the rule of
    ``cooperatives.duplicates``), without the groups dismissed: one query, and one more for the
    dismissals when a group is found; ``province_id`` narrows them to one province."""
    queryset = Cooperative.objects.visible_to(user)
    if province_id is not None:
        queryset = queryset.filter(province_id=province_id)
    return duplicate_groups(queryset)


def duplicate_dismissal_list(*, user: User, province_id: int | None = None) -> list[dict[str, Any]]:
    """The standing dismissals of possible duplicates the user may see, newest first, each with
    its cooperatives' codes and names: two queries, whatever their number."""
    dismissals = DuplicateDismissal.objects.filter(
        undone_at__isnull=True, province__in=province_list(user=user)
    ).select_related("dismissed_by", "province")
    if province_id is not None:
        dismissals = dismissals.filter(province_id=province_id)
    found = list(dismissals)
    ids = {pk for dismissal in found for pk in dismissal.cooperative_ids}
    named = {row["pk"]: row for row in Cooperative.objects.filter(pk__in=ids).values("pk", "code", "name")}
    return [{"dismissal": d, "cooperatives": [named[pk] for pk in d.cooperative_ids if pk in named]} for d in found]


def duplicate_dismissal_get(*, user: User, pk: int) -> DuplicateDismissal:
    """A standing dismissal within the user's provinces; 404 otherwise."""
    return get_object_or_404(
        DuplicateDismissal.objects.filter(undone_at__isnull=True, province__in=province_list(user=user)), pk=pk
    )


def duplicate_group_get(*, user: User, ids: list[int]) -> list[Cooperative]:
    """The cooperatives of one group the user acts on, kept ones in the order given; 404 when
    one is missing or outside the user's scope."""
    found = cooperative_list(user=user).in_bulk(ids)
    if not ids or len(found) != len(set(ids)):
        raise Http404
    return [found[pk] for pk in dict.fromkeys(ids)]
