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
