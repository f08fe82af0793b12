"""The unread count of the navigation bar: one query, made only when a page shows it."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.http import HttpRequest


def unread(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    if not user.is_authenticated:
        return {}

    @cache
    def count() -> int:
        from .selectors import unread_count

        return unread_count(user=user)  # type: ignore[arg-type]

    return {"notifications_unread": count}
