"""Writes to user accounts."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from coopdx.history import record_by

from .models import Role, User

# What the admin's account forms may change through ``user_update`` (the password has its own path).
USER_FIELDS = (
    "username",
    "first_name",
    "last_name",
    "email",
    "is_active",
    "is_superuser",
    "role",
    "province",
    "cooperative",
    "agency",
    "organisation",
    "phone",
    "last_login",
    "date_joined",
)


def _check_can_manage(*, by: User | None, fields: dict[str, Any], target: User | None = None) -> None:
    if by is None:
        return  # a command or data load, not a person
    if not by.is_national_admin:
        raise PermissionDenied(_("Only national administrators manage accounts."))
    if by.is_superuser:
        return
    if fields.get("is_superuser") or (target is not None and target.is_superuser):
        raise PermissionDenied(_("Only a superuser changes superuser accounts."))


def _admin_site_access(user: User) -> None:
    # The admin site is for national administrators: the role decides, not a checkbox.
    user.is_staff = bool(user.is_superuser or user.role == Role.NATIONAL_ADMIN)


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str | None,
    role: str,
    province: Any = None,
    cooperative: Any = None,
    by: User | None = None,
    **fields: Any,
) -> User:
    """Create an account bound to its scope.

    A wrong binding is a ``ValidationError`` by field (see ``role_scope_errors``); the database
    constraint stays as the last guard. National administrators get the admin site, no one else.
    """
    _check_can_manage(by=by, fields=fields)
    user = User(username=username, role=role, province=province, cooperative=cooperative, **fields)
    _admin_site_access(user)
    if password:
        from django.contrib.auth.password_validation import validate_password

        validate_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    if by is not None:
        record_by(user, by)
    user.save()
    return user


@transaction.atomic
def user_update(*, user: User, by: User, **fields: Any) -> User:
    """Change an account's identity, role, scope or status (national administrators only).

    Leaving the ministry analyst role, or being deactivated, revokes the API tokens the account
    issued for itself: they were personal.
    """
    unknown = set(fields) - set(USER_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    user = User.objects.select_for_update().get(pk=user.pk)
    _check_can_manage(by=by, fields=fields, target=user)
    was_analyst = user.is_active and user.role == Role.MINISTRY_ANALYST
    for name, value in fields.items():
        setattr(user, name, value)
    _admin_site_access(user)
    user.full_clean(exclude=["password"])
    record_by(user, by)
    user.save()
    if was_analyst and not (user.is_active and user.role == Role.MINISTRY_ANALYST):
        from .api.services import api_token_revoke

        for token in user.issued_api_tokens.filter(personal=True, revoked_at__isnull=True):
            api_token_revoke(token=token, by=by)
    return user


@transaction.atomic
def user_set_password(*, user: User, password: str | None, by: User) -> User:
    """Set an account's password, or make it unusable (``None``), for a national administrator.

    The password is checked against the validators; the history records who changed the account
    (the hash itself is never copied into the history).
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    _check_can_manage(by=by, fields={}, target=user)
    if password:
        from django.contrib.auth.password_validation import validate_password

        validate_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    record_by(user, by)
    user.save(update_fields=["password"])
    return user


# --- Two-step verification (TOTP, django-otp) ----------------------------------------------


def two_factor_start(*, user: User) -> Any:
    """The user's TOTP device awaiting confirmation (created once; a confirmed one is left alone)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="CoopDX", confirmed=False)
    return device


@transaction.atomic
def two_factor_confirm(*, user: User, token: str) -> Any | None:
    """Turn the device on when the first code from the authenticator app is right."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
    if device is None or not device.verify_token(token.strip().replace(" ", "")):
        return None
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save()
    _end_other_sessions(user)
    return device


@transaction.atomic
def two_factor_disable(*, user: User, token: str) -> bool:
    """Turn two-step verification off, only with a current code from the device being removed
    (a session alone, however it was obtained, cannot). False, and nothing changed, otherwise."""
    from django_otp import match_token
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        TOTPDevice.objects.filter(user=user).delete()  # a set-up never finished protects nothing
        return True
    if match_token(user, token.strip().replace(" ", "")) is None:
        return False
    TOTPDevice.objects.filter(user=user).delete()
    _end_other_sessions(user)
    return True


def _end_other_sessions(user: User) -> None:
    """Move the user's session stamp: every session but the one the caller renews (the view's
    ``update_session_auth_hash``) no longer matches and is logged out at its next request."""
    User.objects.filter(pk=user.pk).update(session_stamp=F("session_stamp") + 1)
    user.refresh_from_db(fields=["session_stamp"])
