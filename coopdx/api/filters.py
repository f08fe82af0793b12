"""django-filter for the API, with the caller's scope passed to the filterset."""

from __future__ import annotations

import datetime
from typing import Any

import django_filters
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_filters.fields import IsoDateTimeField
from django_filters.rest_framework import DjangoFilterBackend


class ScopedFilterBackend(DjangoFilterBackend):
    """Passes ``view.get_filterset_extra_kwargs()`` (e.g. the provinces a caller may pick) to the
    filterset, as the browser pages do. Invalid filter values are a 400 with field errors."""

    def get_filterset_kwargs(self, request: Any, queryset: Any, view: Any) -> dict[str, Any]:
        kwargs = super().get_filterset_kwargs(request, queryset, view)
        extra = getattr(view, "get_filterset_extra_kwargs", None)
        if extra is not None and not getattr(view, "swagger_fake_view", False):
            kwargs.update(extra())
        return kwargs


# PostgreSQL refuses a time-zone displacement of 16 hours or more; Python accepts up to 24.
MAX_OFFSET = datetime.timedelta(hours=15, minutes=59)


class InstantField(IsoDateTimeField):
    """An ISO 8601 date-time that every database can compare: its offset within ±15:59, and
    passed on as the same instant in UTC (a time that has none, e.g. year 1 at +05:00, is refused)."""

    def to_python(self, value: Any) -> datetime.datetime | None:
        parsed = super().to_python(value)
        if parsed is None:
            return None
        offset = parsed.utcoffset()
        message = _("Give a date-time with a time-zone offset between -15:59 and +15:59.")
        if offset is not None and abs(offset) > MAX_OFFSET:
            raise ValidationError(message, code="invalid")
        try:
            return parsed.astimezone(datetime.UTC)
        except (OverflowError, ValueError) as error:
            raise ValidationError(message, code="invalid") from error


class InstantFilter(django_filters.IsoDateTimeFilter):
    field_class = InstantField
