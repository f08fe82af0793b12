"""Writes to the registry. The browser, the API, the importer and the admin all come here."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from coopdx import versions
from coopdx.history import record_by

from .models import Cooperative

if TYPE_CHECKING:
    from accounts.models import User

EDITABLE_FIELDS = (
    "code",
    "name",
    "province",
    "ward",
    "sector",
    "status",
    "members_count",
    "founded_on",
    "address",
    "phone",
    "email",
    "representative",
    "website",
    "traceability",
)


def _check_can_edit(*, cooperative: Cooperative, by: User) -> None:
    if by.is_national_admin:
        return
    if by.is_officer and cooperative.province_id == by.province_id:
        return
    raise PermissionDenied(_("You may only edit cooperatives of your own province."))


@transaction.atomic
def cooperative_create(*, by: User, **fields: Any) -> Cooperative:
    """Register a cooperative. An officer's cooperative always lands in their province."""
    if by.is_officer:
        fields["province"] = by.province
    cooperative = Cooperative(**{k: v for k, v in fields.items() if k in EDITABLE_FIELDS})
    _check_can_edit(cooperative=cooperative, by=by)
    cooperative.full_clean()
    record_by(cooperative, by)
    cooperative.save()
    versions.mark_changed(versions.REGISTRY)
    return cooperative


@transaction.atomic
def cooperative_update(*, cooperative: Cooperative, by: User, **fields: Any) -> Cooperative:
    """Change a cooperative's profile; the change is kept in its history."""
    _check_can_edit(cooperative=cooperative, by=by)
    if by.is_officer:
        # The province comes from the officer's scope, never from the request.
        fields.pop("province", None)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    for name, value in fields.items():
        setattr(cooperative, name, value)
    cooperative.full_clean()
    record_by(cooperative, by)
    cooperative.save()
    versions.mark_changed(versions.REGISTRY)
    return cooperative


@transaction.atomic
def cooperative_archive(*, cooperative: Cooperative, by: User, archived: bool = True) -> Cooperative:
    """Archive (or restore) a cooperative instead of deleting it."""
    _check_can_edit(cooperative=cooperative, by=by)
    cooperative.is_archived = archived
    record_by(cooperative, by)
    cooperative.save(update_fields=["is_archived", "updated_at"])
    versions.mark_changed(versions.REGISTRY)
    return cooperative


def cooperative_search_text_refresh(*, ward_ids: Iterable[int]) -> int:
    """Rebuild the search text of the cooperatives of renamed wards (the ward's name is part of
    it); returns how many were rewritten. Called by the ward admin and the reference data load."""
    ids = set(ward_ids)
    batch: list[Cooperative] = []
    rewritten = 0
    rows = Cooperative.objects.filter(ward_id__in=ids).select_related("ward")
    for cooperative in rows.only("pk", "name", "code", "representative", "ward__name").iterator(chunk_size=2000):
        cooperative.search_text = cooperative.current_search_text()
        batch.append(cooperative)
        if len(batch) >= 2000:
            rewritten += Cooperative.objects.bulk_update(batch, ["search_text"])
            batch = []
    if batch:
        rewritten += Cooperative.objects.bulk_update(batch, ["search_text"])
    return rewritten
