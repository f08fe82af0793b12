"""Who a change is recorded under in the history that django-simple-history keeps per model."""

from __future__ import annotations

from typing import Any

from django.db import models


def record_by(instance: models.Model, user: Any) -> None:
    """Name ``user`` in the history row that the instance's next save writes.

    Services are called outside a request too (imports, commands, tasks), so the user is set on
    the instance, the way django-simple-history reads it, rather than taken from the request.
    """
    instance._history_user = user  # type: ignore[attr-defined]
