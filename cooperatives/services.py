"""Writes to the registry. The browser, the API, the importer and the admin all come here."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from coopdx import versions
from coopdx.history import record_by

from .duplicates import duplicate_groups
from .models import Cooperative, DuplicateDismissal
from .versioning import REGISTRY
from .webhook_events import CHANGED, CREATED, cooperatives_emit

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
    versions.mark_changed(REGISTRY)
    cooperatives_emit(event=CREATED, codes=[cooperative.code], source="edit")
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
    versions.mark_changed(REGISTRY)
    cooperatives_emit(event=CHANGED, codes=[cooperative.code], source="edit")
    return cooperative


@transaction.atomic
def cooperative_archive(*, cooperative: Cooperative, by: User, archived: bool = True) -> Cooperative:
    """Archive (or restore) a cooperative instead of deleting it."""
    _check_can_edit(cooperative=cooperative, by=by)
    cooperative.is_archived = archived
    record_by(cooperative, by)
    cooperative.save(update_fields=["is_archived", "updated_at"])
    versions.mark_changed(REGISTRY)
    cooperatives_emit(event=CHANGED, codes=[cooperative.code], source="archive")
    return cooperative


MATURITY_BATCH = 2000


@transaction.atomic
def cooperatives_set_maturity(*, levels: Mapping[int, int | None], by: User | None) -> int:
    """Write the maturity level (0-5, or None when no self-assessment counts) of cooperatives.

    The survey services decide the level (the latest counted response) and call this, the one
    write of ``maturity_level``. Only real changes are written, with ``updated_at`` (API readers'
    ``updated_since`` and ETags see them) and a history record naming ``by``: the person whose
    submission, review or import moved the level. No scope check: that was the survey write's.
    Returns how many changed.
    """
    ids = list(levels)
    now = timezone.now()
    rule = Cooperative._meta.get_field("maturity_level")
    changed = 0
    for start in range(0, len(ids), MATURITY_BATCH):
        moved = []
        for cooperative in Cooperative.objects.filter(pk__in=ids[start : start + MATURITY_BATCH]):
            level = levels[cooperative.pk]
            if cooperative.maturity_level == level:
                continue
            cooperative.maturity_level = level
            cooperative.updated_at = now
            rule.clean(level, cooperative)  # the model's bound (0-5)
            moved.append(cooperative)
        bulk_update_with_history(moved, Cooperative, ["maturity_level", "updated_at"], default_user=by)
        changed += len(moved)
    if changed:
        versions.mark_changed(REGISTRY)
    return changed


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


@transaction.atomic
def duplicates_dismiss(*, cooperatives: Sequence[Cooperative], by: User, note: str = "") -> DuplicateDismissal:
    """Record that a group of possible duplicates are different cooperatives (with a note), so
    that it leaves the list until a cooperative outside it joins it (``duplicates``)."""
    if not by.has_perm("cooperatives.dismiss_duplicates", cast(Any, cooperatives)):
        raise PermissionDenied(_("You may only handle possible duplicates of your own province."))
    ids = sorted({c.pk for c in cooperatives})
    found = duplicate_groups(Cooperative.objects.filter(pk__in=ids), include_dismissed=True)
    if ids not in [group.ids for group in found]:
        raise ValidationError(_("These cooperatives are no longer a group of possible duplicates."))
    dismissal = DuplicateDismissal(
        province_id=cooperatives[0].province_id,
        cooperative_ids=ids,
        note=note.strip(),
        dismissed_by=by,
        dismissed_at=timezone.now(),
    )
    dismissal.full_clean()
    dismissal.save()
    return dismissal


@transaction.atomic
def duplicates_dismissal_undo(*, dismissal: DuplicateDismissal, by: User) -> DuplicateDismissal:
    """List a dismissed group again; the dismissal stays on record, with who undid it."""
    if not by.has_perm("cooperatives.dismiss_duplicates", cast(Any, [dismissal])):
        raise PermissionDenied(_("You may only handle possible duplicates of your own province."))
    if dismissal.undone_at is not None:
        raise ValidationError(_("This dismissal has already been undone."))
    dismissal.undone_by = by
    dismissal.undone_at = timezone.now()
    dismissal.save(update_fields=["undone_by", "undone_at"])
    return dismissal
