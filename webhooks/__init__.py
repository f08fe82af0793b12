"""Webhooks: integrators' URLs told of events within their API token's scope.

The apps above call :func:`emit` (or :func:`emit_by_province`) from their services, inside
their transaction; see ``webhooks.events``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any


def emit(event: str, payload: Mapping[str, Any], province_id: int | None) -> int:
    """Fan one event out to the subscriptions that may see it; sent after the commit."""
    from .events import emit as _emit

    return _emit(event, payload, province_id)


def emit_many(event: str, items: list[tuple[Mapping[str, Any], int | None]]) -> int:
    """Several events of one type from a bulk write, each ``(payload, province_id)``."""
    from .events import emit_many as _emit_many

    return _emit_many(event, items)


def emit_by_province(
    event: str,
    national: Mapping[str, Any] | None,
    provinces: Mapping[int, Mapping[str, Any]] | Callable[[set[int]], Mapping[int, Mapping[str, Any]]],
) -> int:
    """One event in two shapes: the whole country's for national subscriptions, each province's
    own for that province's subscriptions (``provinces`` may build them for the provinces that
    have subscriptions)."""
    from .events import emit_by_province as _emit_by_province

    return _emit_by_province(event, national, provinces)
