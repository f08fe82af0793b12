"""Reads of agencies: who carries an agency's tasks today, and the agencies a user may pick."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from coopdx.collation import vietnamese

from ..models import Agency, DirectiveTask

if TYPE_CHECKING:
    from accounts.models import User


def agency_current_map() -> dict[int, int]:
    """Each agency's id → the id of the agency responsible today (the end of its successor chain).

    One query; a loop in the data (refused by ``Agency.clean``) stops at the last new agency.
    """
    successors = dict(Agency.objects.values_list("pk", "successor_id"))
    current: dict[int, int] = {}
    for agency_id in successors:
        seen = {agency_id}
        here = agency_id
        while successors.get(here) is not None and successors[here] not in seen:
            here = successors[here]
            seen.add(here)
        current[agency_id] = here
    return current


def agency_lineage_ids(agency_id: int) -> set[int]:
    """The agency and every agency whose tasks it now carries (all its predecessors). One query."""
    successors = dict(Agency.objects.filter(successor__isnull=False).values_list("pk", "successor_id"))
    lineage = {agency_id}
    for start in successors:
        here: int | None = start
        seen: set[int] = set()
        while here is not None and here not in seen:
            if here == agency_id:
                lineage.add(start)
                break
            seen.add(here)
            here = successors.get(here)
    return lineage


def user_agency_ids(*, user: User) -> set[int]:
    """An agency account's agency and every agency dissolved into it; empty for anyone else."""
    if not user.is_authenticated or not user.is_agency_bound or user.agency_id is None:
        return set()
    return agency_lineage_ids(user.agency_id)


def task_agency_role(*, user: User, task: DirectiveTask) -> str:
    """How an agency account's agency stands to the task: "lead" (it, or an agency dissolved into
    it, leads), "cooperating" (only co-operates), or "" (neither, or not an agency account).
    Reads the task's prefetched co-operating agencies."""
    agency_ids = user_agency_ids(user=user)
    if not agency_ids:
        return ""
    if task.lead_agency_id in agency_ids:
        return "lead"
    if any(agency.pk in agency_ids for agency in task.cooperating_agencies.all()):
        return "cooperating"
    return ""


def agency_current(agency: Agency) -> Agency:
    """The agency responsible today for what ``agency`` was given."""
    current_id = agency_current_map().get(agency.pk, agency.pk)
    return agency if current_id == agency.pk else Agency.objects.get(pk=current_id)


def agency_choices(*, user: User) -> QuerySet[Agency]:
    """Agencies offered in the board's filter: national bodies and, for an officer, their province's."""
    agencies = Agency.objects.order_by("kind", vietnamese("short_name"))
    if user.is_national:
        return agencies
    if user.is_officer:
        return agencies.filter(Q(province__isnull=True) | Q(province_id=user.province_id))
    return agencies.none()


def agencies_for_officer_documents(*, user: User) -> QuerySet[Agency]:
    """Bodies whose documents and tasks the user may manage: an officer's province's, or all."""
    if user.is_national_admin:
        return Agency.objects.all()
    if user.is_officer and user.province_id is not None:
        return Agency.objects.filter(province_id=user.province_id)
    return Agency.objects.none()
