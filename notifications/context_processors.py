"""The unread count of the navigation bar: loaded with the user (``accounts.backends``), or,
for a session from another backend, one query made only when a page shows it."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.http import HttpRequest


def unread(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    if not user.is_authenticated:
        return {}
    loaded = getattr(user, "unread_notifications", None)
    if loaded is not None:
        return {"notifications_unread": loaded}

    @cache
    def count() -> int:
        from .selectors import unread_count

        return unread_count(user=user)

    return {"notifications_unread": count}
