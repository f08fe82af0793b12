"""Roles and what binds each to its scope: a province, a cooperative or an agency.

Kept apart from the models so the binding's rule (``role_scope_errors``, the
``user_role_binding`` constraint in words) reads in one place; ``accounts.models`` re-exports
these names.
"""

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class Role(models.TextChoices):
    NATIONAL_ADMIN = "national_admin", _("National administrator")
    MINISTRY_ANALYST = "ministry_analyst", _("Ministry analyst")
    PROVINCIAL_OFFICER = "provincial_officer", _("Provincial officer")
    COOPERATIVE_MEMBER = "cooperative_member", _("Cooperative member")
    AGENCY_OFFICER = "agency_officer", _("Agency officer")
    ALLIANCE_OFFICER = "alliance_officer", _("Cooperative Alliance officer")


# Roles bound to an agency (``directives.Agency``, named here by value: accounts sits below
# directives). They read the whole country like a ministry analyst and report on their agency's
# tasks (``directives/rules.py``).
AGENCY_ROLES = (Role.AGENCY_OFFICER, Role.ALLIANCE_OFFICER)
NATIONAL_READER_ROLES = (Role.NATIONAL_ADMIN, Role.MINISTRY_ANALYST, *AGENCY_ROLES)
# The kinds of agency (``directives.AgencyKind`` values) each agency role may be bound to.
ALLIANCE_AGENCY_KIND = "cooperative_alliance"
AGENCY_OFFICER_KINDS = ("ministry", "provincial_committee", "provincial_department")


def role_scope_errors(
    *,
    role: str,
    province_id: object,
    cooperative_id: object,
    is_active: bool = True,
    is_superuser: bool = False,
    agency: object = None,
) -> "dict[str, StrOrPromise]":
    """What is wrong with a role's binding, by field: the ``user_role_binding`` constraint in words,
    and for an agency role the kind of agency it may be bound to (which no constraint can say).

    Forms and services report these as field errors instead of meeting the constraint as a
    database error. ``agency`` is the bound ``directives.Agency`` (read by its attributes only).
    """
    if not is_active or (is_superuser and province_id is None and cooperative_id is None):
        return {}
    if role in AGENCY_ROLES:
        return _agency_role_errors(role=role, province_id=province_id, cooperative_id=cooperative_id, agency=agency)
    errors = _place_role_errors(role=role, province_id=province_id, cooperative_id=cooperative_id)
    if agency is not None:
        errors["agency"] = _("Only an agency officer or a Cooperative Alliance officer belongs to an agency.")
    return errors


def _place_role_errors(*, role: str, province_id: object, cooperative_id: object) -> "dict[str, StrOrPromise]":
    errors: dict[str, StrOrPromise] = {}
    if role == Role.PROVINCIAL_OFFICER:
        if province_id is None:
            errors["province"] = _("A provincial officer must belong to a province.")
        if cooperative_id is not None:
            errors["cooperative"] = _("A provincial officer is not bound to a cooperative.")
    elif role == Role.COOPERATIVE_MEMBER:
        if cooperative_id is None:
            errors["cooperative"] = _("A cooperative member must belong to a cooperative.")
        if province_id is not None:
            errors["province"] = _("A cooperative member has no province of their own: it is the cooperative's.")
    elif role in (Role.NATIONAL_ADMIN, Role.MINISTRY_ANALYST):
        message = _("A national account is bound to no province and no cooperative.")
        if province_id is not None:
            errors["province"] = message
        if cooperative_id is not None:
            errors["cooperative"] = message
    # Any other value is refused by the role field's own choices.
    return errors


def _agency_role_errors(
    *, role: str, province_id: object, cooperative_id: object, agency: object
) -> "dict[str, StrOrPromise]":
    errors: dict[str, StrOrPromise] = {}
    message = _("An agency account is bound to its agency, not to a province or a cooperative.")
    if province_id is not None:
        errors["province"] = message
    if cooperative_id is not None:
        errors["cooperative"] = message
    kind = getattr(agency, "kind", None)
    if agency is None:
        errors["agency"] = _("An agency officer or a Cooperative Alliance officer must belong to an agency.")
    elif getattr(agency, "successor_id", None) is not None:
        errors["agency"] = _("This agency was dissolved: choose the agency that took over its tasks.")
    elif role == Role.ALLIANCE_OFFICER and kind != ALLIANCE_AGENCY_KIND:
        errors["agency"] = _("A Cooperative Alliance officer belongs to the Vietnam Cooperative Alliance.")
    elif role == Role.AGENCY_OFFICER and kind not in AGENCY_OFFICER_KINDS:
        errors["agency"] = _(
            "An agency officer belongs to a ministry, a provincial People's Committee or a department."
        )
    return errors
