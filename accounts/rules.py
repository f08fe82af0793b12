"""Role predicates and the permissions built on them: the one permission module.

Views declare the permission they need (``PermissionRequiredMixin`` / ``has_perm``);
the rules here decide. Object scoping of querysets lives in the selectors.
"""

from __future__ import annotations

import rules


@rules.predicate
def is_national_admin(user: object) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_national_admin)  # type: ignore[attr-defined]


@rules.predicate
def is_national(user: object) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_national)  # type: ignore[attr-defined]


@rules.predicate
def is_ministry_analyst(user: object) -> bool:
    from .models import Role

    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active  # type: ignore[attr-defined]
        and not user.is_superuser  # type: ignore[attr-defined]
        and user.role == Role.MINISTRY_ANALYST  # type: ignore[attr-defined]
    )


@rules.predicate
def is_officer(user: object) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_officer)  # type: ignore[attr-defined]


@rules.predicate
def is_member(user: object) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_member)  # type: ignore[attr-defined]


@rules.predicate
def is_officer_of_object_province(user: object, obj: object) -> bool:
    return obj is not None and getattr(obj, "province_id", None) == user.province_id  # type: ignore[attr-defined]


# The registry: national roles and officers browse it; admins and the officer of the
# cooperative's province edit it; members see only their own cooperative.
rules.add_perm("cooperatives.view_registry", is_national | is_officer)
rules.add_perm("cooperatives.add_cooperative", is_national_admin | is_officer)
rules.add_perm("cooperatives.change_cooperative", is_national_admin | (is_officer & is_officer_of_object_province))
rules.add_perm("cooperatives.import_cooperatives", is_national_admin | is_officer)

# Accounts: national administrators manage them (in the admin, through accounts.services).
rules.add_perm("accounts.view_user", is_national_admin)
rules.add_perm("accounts.add_user", is_national_admin)
rules.add_perm("accounts.change_user", is_national_admin)

# API tokens: national administrators issue them to organisations; ministries are the API's
# users, so an analyst obtains read-only tokens for themselves (accounts.api.services).
rules.add_perm("accounts.obtain_api_token", is_national_admin | is_ministry_analyst)
