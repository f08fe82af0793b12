"""Role predicates and the permissions built on them: the one permission module.

Views declare the permission they need (``PermissionRequiredMixin`` / ``has_perm``);
the rules here decide. Object scoping of querysets lives in the selectors.
"""

from __future__ import annotations

import rules

from .models import Role, User


def _active(user: object) -> User | None:
    """The signed-in, active account, or None (anonymous, deactivated, or not an account)."""
    return user if isinstance(user, User) and user.is_active else None


@rules.predicate
def is_national_admin(user: object) -> bool:
    account = _active(user)
    return bool(account and account.is_national_admin)


@rules.predicate
def is_national(user: object) -> bool:
    account = _active(user)
    return bool(account and account.is_national)


@rules.predicate
def is_ministry_analyst(user: object) -> bool:
    account = _active(user)
    return bool(account and not account.is_superuser and account.role == Role.MINISTRY_ANALYST)


@rules.predicate
def is_officer(user: object) -> bool:
    account = _active(user)
    return bool(account and account.is_officer)


@rules.predicate
def is_member(user: object) -> bool:
    account = _active(user)
    return bool(account and account.is_member)


@rules.predicate
def is_officer_of_object_province(user: object, obj: object) -> bool:
    return isinstance(user, User) and obj is not None and getattr(obj, "province_id", None) == user.province_id


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
