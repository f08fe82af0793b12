"""Permissions of directive tracking: the one place that decides who may do what.

Object scoping (what is 404) lives in ``directives.selectors``; these rules decide, for an
object the user can see, whether they may change it or report on it. Services ask the same
rules, so the browser, the admin and any other path agree.
"""

from __future__ import annotations

import rules

from accounts.models import User
from accounts.rules import is_national, is_national_admin, is_officer
from cooperatives.models import Province

from .models import Agency
from .selectors.agencies import agency_lineage_ids


@rules.predicate
def is_document_of_officer_province(user: object, document: object) -> bool:
    """The document is issued by a body of the officer's province (its committee or departments)."""
    agency = getattr(document, "issuing_agency", None) if document is not None else None
    return (
        isinstance(user, User)
        and agency is not None
        and agency.province_id is not None
        and agency.province_id == user.province_id
    )


@rules.predicate
def is_task_of_officer_province(user: object, task: object) -> bool:
    """The task is assigned to the officer's province."""
    province_id = getattr(task, "province_id", None) if task is not None else None
    return isinstance(user, User) and province_id is not None and province_id == user.province_id


@rules.predicate
def is_agency_user(user: object) -> bool:
    """An active agency or Cooperative Alliance officer bound to their agency."""
    return isinstance(user, User) and user.is_active and user.is_agency_bound


def user_agency_lineage(user: User) -> set[int]:
    """The user's agency and every agency dissolved into it (one query, kept on the user object
    for the request: a page asks the rule of many tasks)."""
    if user.agency_id is None:
        return set()
    cached: tuple[int, set[int]] | None = getattr(user, "_agency_lineage", None)
    if cached is None or cached[0] != user.agency_id:
        cached = (user.agency_id, agency_lineage_ids(user.agency_id))
        setattr(user, "_agency_lineage", cached)  # noqa: B010 - a per-request cache, not a field
    return cached[1]


@rules.predicate
def is_task_of_user_agency(user: object, task: object) -> bool:
    """The task's lead agency is the user's agency, or one whose succession chain leads to it."""
    lead_id = getattr(task, "lead_agency_id", None) if task is not None else None
    return isinstance(user, User) and lead_id is not None and lead_id in user_agency_lineage(user)


# Reading: national roles (agency accounts among them) and provincial officers (within scope);
# members have no access.
rules.add_perm("directives.view_board", is_national | is_officer)
rules.add_perm("directives.export_board", is_national | is_officer)
# Documents: admins manage all; an officer manages those issued by their province's bodies.
rules.add_perm("directives.add_document", is_national_admin | is_officer)
rules.add_perm("directives.change_document", is_national_admin | (is_officer & is_document_of_officer_province))
# Tasks: admins manage all; an officer manages the tasks of their province.
rules.add_perm("directives.add_task", is_national_admin | is_officer)
rules.add_perm("directives.change_task", is_national_admin | (is_officer & is_task_of_officer_province))
# Reports: written for the responsible agency by an admin, by the officer of the task's province, or
# by an officer of the lead agency (or of the agency a dissolved lead was merged into); an agency
# that only co-operates on a task reads it. Ministry analysts read everything and write nothing.
rules.add_perm(
    "directives.add_report",
    is_national_admin | (is_officer & is_task_of_officer_province) | (is_agency_user & is_task_of_user_agency),
)
# The role gate of reporting: whoever reports on some task. A task outside their reporting scope
# is then 404 (``selectors.task_get_to_report``), as a missing one.
rules.add_perm("directives.report_on_tasks", is_national_admin | is_officer | is_agency_user)


@rules.predicate
def is_upward_scope_of_officer_province(user: object, scope: object) -> bool:
    """A report (or the agency or province it is for) belongs to the officer's province: the
    province itself, or an agency of that province. Asked without an object, any officer may."""
    if scope is None:
        return True
    if not isinstance(user, User) or user.province_id is None:
        return False
    province_id = getattr(scope, "province_id", None)
    agency = getattr(scope, "agency", None)
    if province_id is None and agency is not None:
        province_id = agency.province_id
    if isinstance(scope, Province):
        province_id = scope.pk
    return province_id is not None and province_id == user.province_id


@rules.predicate
def is_upward_scope_of_user_agency(user: object, scope: object) -> bool:
    """A report (or the agency it is for) is the agency account's own agency. Asked without an
    object, any agency account may."""
    if scope is None:
        return True
    if not isinstance(user, User) or user.agency_id is None:
        return False
    agency_id = scope.pk if isinstance(scope, Agency) else getattr(scope, "agency_id", None)
    return agency_id is not None and agency_id == user.agency_id


# Reports sent upward (directives.upward): read by national roles and officers (scoped by the
# selectors); prepared and edited by a national admin for any agency or province, by an officer for
# their own province or one of its agencies, by an agency account for its own agency. Ministry
# analysts read them and prepare none.
rules.add_perm("directives.view_upward_reports", is_national | is_officer)
rules.add_perm(
    "directives.prepare_upward_report",
    is_national_admin
    | (is_officer & is_upward_scope_of_officer_province)
    | (is_agency_user & is_upward_scope_of_user_agency),
)
