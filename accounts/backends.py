"""The session's user, loaded with what every page's navigation shows about them.

Django's ``ModelBackend`` loads the signed-in user on each request; this one loads, in the same
query, how many of their notifications are unread (the navigation bar's count), so the count
costs no query of its own. The relation is read by its name (``notifications``, the
notifications app's), so this app imports nothing above it.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.db.models import Count, Q

from .models import User


class UserBackend(ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        unread = Count("notifications", filter=Q(notifications__read_at__isnull=True))
        user = User._default_manager.annotate(unread_notifications=unread).filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
