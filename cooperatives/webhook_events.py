"""The webhook events of the registry: ``cooperative.created`` and ``cooperative.changed``.

Every event lists cooperatives (``"cooperatives": [...]``) with where the change came from
(``"source"``: ``edit``, ``archive``, ``import``, ``merge``): one for an edit in a page or the
API, and for a bulk write (the registry import, a merge) one event per province and per
:data:`BATCH` cooperatives, built from one query per chunk. Each entry names the cooperative
and its place, status and level, not its contacts (phone, e-mail, representative), which are
read through the API.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import webhooks

from .models import Cooperative

CREATED = "cooperative.created"
CHANGED = "cooperative.changed"
BATCH = 500
FIELDS = {
    "code": "code",
    "name": "name",
    "province": "province__code",
    "ward": "ward__code",
    "sector": "sector__code",
    "status": "status",
    "maturity_level": "maturity_level",
    "archived": "is_archived",
    "updated_at": "updated_at",
}


def cooperatives_emit(*, event: str, codes: Iterable[str], source: str, extra: Mapping[str, Any] | None = None) -> int:
    """Emit ``event`` for the cooperatives of ``codes`` (inside the write's transaction)."""
    wanted = list(dict.fromkeys(codes))
    by_province: dict[int, list[dict[str, Any]]] = {}
    for start in range(0, len(wanted), 5000):
        rows = Cooperative.objects.filter(code__in=wanted[start : start + 5000]).order_by("code")
        for row in rows.values("province_id", *FIELDS.values()):
            entry = {name: row[column] for name, column in FIELDS.items()}
            by_province.setdefault(row["province_id"], []).append(entry)
    items: list[tuple[Mapping[str, Any], int | None]] = []
    for province_id, entries in by_province.items():
        for start in range(0, len(entries), BATCH):
            items.append(
                ({"source": source, **(extra or {}), "cooperatives": entries[start : start + BATCH]}, province_id)
            )
    return webhooks.emit_many(event, items)
