"""Writes to user accounts."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from .models import Role, User


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str | None,
    role: str,
    province: Any = None,
    cooperative: Any = None,
    **fields: Any,
) -> User:
    """Create an account bound to its scope; the model's constraint refuses a wrong binding."""
    user = User(username=username, role=role, province=province, cooperative=cooperative, **fields)
    if role == Role.NATIONAL_ADMIN:
        user.is_staff = True
    if password:
        from django.contrib.auth.password_validation import validate_password

        validate_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
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
    return device


def two_factor_disable(*, user: User) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.filter(user=user).delete()
