"""A deleted round, province, sector or ward takes its figures with it, including figures a
snapshot's write commits while the delete waits.

The snapshot's references are not database foreign keys (``services.write_snapshot`` checks
them, once per row named, and holds each row ``FOR KEY SHARE`` until it commits). Django deletes
the figures (``on_delete``) before the row itself; a write under way would commit figures that
delete did not see. So the row is first locked ``FOR UPDATE`` (before Django deletes anything,
in the same transaction): that waits for any write naming it, and the figures' delete then sees
what the write committed.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.db.models.signals import pre_delete

from .models import IndicatorSnapshot

# The figures' references (``IndicatorSnapshot``: no foreign key constraint in the database).
REFERENCES = ("round", "province", "sector", "ward")


def connect() -> None:
    for name in REFERENCES:
        model = IndicatorSnapshot._meta.get_field(name).related_model
        pre_delete.connect(_wait_for_snapshot_writes, sender=model, dispatch_uid=f"figures_of_{name}")


def _wait_for_snapshot_writes(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    list(sender._base_manager.select_for_update().filter(pk=instance.pk).values_list("pk", flat=True))
