"""A deleted round, province, sector or ward takes its figures with it, including figures a
snapshot's write committed while the delete waited.

The snapshot's references are not database foreign keys (``services.write_snapshot`` checks
them, once per row named). Django deletes the figures first (``on_delete``), then the row; a
write under way holds that row ``FOR KEY SHARE``, so the row's delete waits for the write's
commit, and the figures the write committed meanwhile were not seen by the first delete. After
the row is gone, this deletes again, and sees them.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.db.models.signals import post_delete

from .models import IndicatorSnapshot

REFERENCES = ("round", "province", "sector", "ward")


def connect() -> None:
    for name in REFERENCES:
        field = IndicatorSnapshot._meta.get_field(name)
        post_delete.connect(
            _figures_deleter(field.attname), sender=field.related_model, weak=False, dispatch_uid=f"figures_of_{name}"
        )


def _figures_deleter(attname: str) -> Any:
    def delete_figures(sender: type[Model], instance: Model, **kwargs: Any) -> None:
        IndicatorSnapshot.objects.filter(**{attname: instance.pk}).delete()

    return delete_figures
