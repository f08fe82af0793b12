"""django-filter for the API, with the caller's scope passed to the filterset."""

from __future__ import annotations

from typing import Any

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
