"""Registry import: validate every row first, then write all of them or none.

The spreadsheet columns are mapped by :mod:`cooperatives.resources` (django-import-export),
values are read by :mod:`.values` with a handful of set-based look-ups, and the write is a
batched upsert with history (``bulk_create_with_history`` / ``bulk_update_with_history``)
inside one transaction. No query runs per row, and an error always names its row and column.

A file says only what it gives: a column that is absent, or a blank cell, leaves the stored
value alone, so re-importing a partial list never erases anything. A cell holding
``CLEAR_MARKER`` ("(xoá)") empties an optional field. The plan lists every change as
old → new, for the preview, before anything is written.

Longer than 300 lines on purpose: the plan and the write of one kind of file, read top to
bottom (rows are read in ``rows``, reference tables in ``values``, cells by ``imports.cells``).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from coopdx import versions
from imports.files import Sheet
from imports.jobs import import_bytes
from imports.kinds import MAX_STORED_ERRORS, Plan, RowError

from ..models import Cooperative, CooperativeStatus, Province
from ..resources import (
    CLEAR_MARKER,
    REQUIRED_FOR_NEW,
)
from ..services import EDITABLE_FIELDS
from ..versioning import REGISTRY as REGISTRY_DATA
from ..webhook_events import CHANGED, CREATED, cooperatives_emit
from .rows import ATTRIBUTES, LABELS, RowReader, RowValues, map_headers
from .values import Lookups

if TYPE_CHECKING:
    from accounts.models import User

# Fields an import sets, compared to decide whether an existing cooperative changed.
COMPARED_FIELDS = tuple(
    f"{name}_id" if name in ("province", "ward", "sector") else name
    for name in EDITABLE_FIELDS
    if name not in ("code", "traceability")
)
# What a new cooperative gets for a column the file does not give.
NEW_DEFAULTS: dict[str, Any] = {
    "ward_id": None,
    "status": CooperativeStatus.ACTIVE,
    "members_count": None,
    "founded_on": None,
    "address": "",
    "phone": "",
    "email": "",
    "website": "",
    "representative": "",
}
LOOKUP_CHUNK = 5000
WRITE_BATCH = 1000
MAX_STORED_CHANGES = 1000
# The kind of import this module registers (cooperatives.apps).
REGISTRY = "registry"


@dataclass
class ImportPlan:
    """The outcome of validating a file: what would be created, changed, left alone."""

    total_rows: int = 0
    to_create: list[Cooperative] = field(default_factory=list)
    to_update: list[Cooperative] = field(default_factory=list)
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    unknown_columns: list[str] = field(default_factory=list)
    legacy_province_rows: int = 0
    # One entry per changed cooperative: {"row", "code", "name", "fields": [{"field", "column", "old", "new"}]}.
    changes: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> dict[str, Any]:
        return {
            "total_rows": self.total_rows,
            "new": len(self.to_create),
            "changed": len(self.to_update),
            "unchanged": self.unchanged,
            "error_rows": len({error.row for error in self.errors}),
            "errors_total": len(self.errors),
            "unknown_columns": self.unknown_columns,
            "legacy_province_rows": self.legacy_province_rows,
            "changes": self.changes[:MAX_STORED_CHANGES],
        }

    def stored_errors(self) -> list[dict[str, Any]]:
        return [error.as_dict() for error in self.errors[:MAX_STORED_ERRORS]]


def registry_import_plan(
    *,
    sheet: Sheet,
    scope_province: Province | None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportPlan:
    """Validate every row of ``sheet`` and work out the upsert; writes nothing.

    ``scope_province`` is the province an officer (or ``--province``) is bound to: rows
    of any other province are errors.
    """
    plan = ImportPlan(total_rows=len(sheet.rows))
    positions, plan.unknown_columns, missing = map_headers(sheet.headers)
    if missing:
        plan.errors.append(
            RowError(1, ", ".join(missing), _("Required column missing: %(columns)s") % {"columns": ", ".join(missing)})
        )
        return plan
    lookups = Lookups()
    reader = RowReader(positions=positions, lookups=lookups, scope_province=scope_province, errors=plan.errors)
    rows: list[RowValues] = []
    for done, (row_number, cells) in enumerate(sheet.rows, start=1):
        row = reader.read(row_number, cells)
        if row is not None:
            rows.append(row)
        if progress and done % 1000 == 0:
            progress(done, plan.total_rows)
    plan.legacy_province_rows = reader.legacy_province_rows
    _plan_writes(plan, rows, lookups, scope_province)
    plan.errors.sort(key=lambda error: error.row)
    if progress:
        progress(plan.total_rows, plan.total_rows)
    return plan


def _plan_writes(
    plan: ImportPlan,
    rows: list[RowValues],
    lookups: Lookups,
    scope_province: Province | None,
) -> None:
    """Match the rows with the registry: new cooperatives, changes (old → new), errors."""
    existing = _existing_by_code([row.code for row in rows])
    lookups.load_wards(
        {
            row.given.get("province_id") or existing[row.code].province_id
            for row in rows
            if row.ward_text and (row.given.get("province_id") or row.code in existing)
        }
    )
    for row in rows:
        current = existing.get(row.code)
        if not _resolve(plan, row, current, lookups, scope_province):
            continue
        if current is None:
            cooperative = Cooperative(code=row.code, **{**NEW_DEFAULTS, **row.given})
            cooperative.search_text = cooperative.current_search_text(
                lookups.ward_names.get(cooperative.ward_id, "") if cooperative.ward_id else ""
            )
            cooperative.representative_key = cooperative.build_representative_key(cooperative.representative)
            plan.to_create.append(cooperative)
        else:
            _plan_update(plan, row, current, lookups)


def _resolve(
    plan: ImportPlan,
    row: RowValues,
    current: Cooperative | None,
    lookups: Lookups,
    scope_province: Province | None,
) -> bool:
    """Check the row against what the registry holds (a new code has every required column, a
    known one is in the importer's province) and find its ward; False after an error."""
    given = row.given

    def fail(key: str, message: str) -> bool:
        plan.errors.append(RowError(row.number, LABELS[key], message))
        return False

    if current is None:
        needed = [key for key in REQUIRED_FOR_NEW if given.get(ATTRIBUTES[key]) is None]
        for key in needed:
            fail(key, _("A new cooperative needs a value in this column."))
        if needed:
            return False
        province_id = given["province_id"]
    elif scope_province is not None and current.province_id != scope_province.pk:
        return fail("code", _("This code is already registered outside your province; ask the national administrator."))
    else:
        province_id = given.get("province_id", current.province_id)

    if row.ward_text:
        matches = lookups.ward(province_id, row.ward_text)
        if len(matches) != 1:
            return fail(
                "ward",
                _('"%(value)s" matches several wards/communes; write "Phường …" or "Xã …".')
                % {"value": row.ward_text[:60]}
                if matches
                else _('"%(value)s" is not a current ward/commune of %(province)s.')
                % {"value": row.ward_text[:60], "province": lookups.province_names[province_id]},
            )
        given["ward_id"] = matches[0]
    elif current is not None and province_id != current.province_id and current.ward_id and "ward_id" not in given:
        return fail(
            "ward",
            _('The province changes: give the ward/commune in the new province, or write "%(marker)s" to clear it.')
            % {"marker": CLEAR_MARKER},
        )
    return True


def _plan_update(plan: ImportPlan, row: RowValues, current: Cooperative, lookups: Lookups) -> None:
    """An existing cooperative: left alone when nothing changes, else changed, old → new kept."""
    given = row.given
    changed = [
        (name, getattr(current, name), given[name])
        for name in ATTRIBUTES.values()  # in the template's column order
        if name in given and getattr(current, name) != given[name]
    ]
    if not changed:
        plan.unchanged += 1
        return
    ward_name = current.ward.name if current.ward_id else ""
    if "ward_id" in given and given["ward_id"] != current.ward_id:
        ward_name = lookups.ward_names.get(given["ward_id"], "") if given["ward_id"] else ""
    if len(plan.changes) < MAX_STORED_CHANGES:
        plan.changes.append(
            {
                "row": row.number,
                "code": current.code,
                "name": current.name,
                "fields": [
                    {
                        "field": _COLUMN_OF[name],
                        "column": LABELS[_COLUMN_OF[name]],
                        "old": _shown(name, old, current, lookups),
                        "new": _shown(name, new, current, lookups),
                    }
                    for name, old, new in changed
                ],
            }
        )
    for name, _old, new in changed:
        setattr(current, name, new)
    current.search_text = current.current_search_text(ward_name)
    current.representative_key = current.build_representative_key(current.representative)
    plan.to_update.append(current)


_COLUMN_OF = {attribute: key for key, attribute in ATTRIBUTES.items()}


def _shown(name: str, value: Any, current: Cooperative, lookups: Lookups) -> str:
    """A value as the preview shows it: names rather than ids, dates as dd/mm/yyyy."""
    if value is None or value == "":
        return ""
    if name == "province_id":
        return lookups.province_names.get(value, str(value))
    if name == "ward_id":
        if value == current.ward_id and current.ward_id:
            return current.ward.name
        return lookups.ward_names.get(value, str(value))
    if name == "sector_id":
        return lookups.sector_names.get(value, str(value))
    if name == "status":
        return str(CooperativeStatus(value).label)
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def _existing_by_code(codes: list[str]) -> dict[str, Cooperative]:
    found: dict[str, Cooperative] = {}
    for start in range(0, len(codes), LOOKUP_CHUNK):
        chunk = codes[start : start + LOOKUP_CHUNK]
        found.update((c.code, c) for c in Cooperative.objects.filter(code__in=chunk).select_related("ward"))
    return found


def registry_import_apply(*, plan: ImportPlan, by: User | None) -> dict[str, int]:
    """Write a validated plan: every row or, on any failure, none."""
    if not plan.ok:
        raise ValueError("refusing to write a plan with errors")
    now = timezone.now()
    with transaction.atomic():
        if plan.to_create:
            for cooperative in plan.to_create:
                cooperative.created_at = cooperative.updated_at = now
            bulk_create_with_history(plan.to_create, Cooperative, batch_size=WRITE_BATCH, default_user=by)
        if plan.to_update:
            for cooperative in plan.to_update:
                cooperative.updated_at = now
            bulk_update_with_history(
                plan.to_update,
                Cooperative,
                [
                    *(name.removesuffix("_id") for name in COMPARED_FIELDS),
                    "search_text",
                    "representative_key",
                    "updated_at",
                ],
                batch_size=WRITE_BATCH,
                default_user=by,
            )
        versions.mark_changed(REGISTRY_DATA)
        # One event per province and batch of codes, not one per row (cooperatives.webhook_events).
        cooperatives_emit(event=CREATED, codes=[c.code for c in plan.to_create], source="import")
        cooperatives_emit(event=CHANGED, codes=[c.code for c in plan.to_update], source="import")
    return {"created": len(plan.to_create), "updated": len(plan.to_update), "unchanged": plan.unchanged}


class RegistryImporter:
    """The registry as an import kind (registered with ``imports.kinds``)."""

    permission = "cooperatives.import_cooperatives"
    sheet_name = None

    def check_options(self, *, options: dict[str, Any], by: User | None) -> None:
        return None

    def plan(self, *, sheet: Sheet, options: dict[str, Any], scope_province: Any, progress: Any) -> ImportPlan:
        return registry_import_plan(sheet=sheet, scope_province=scope_province, progress=progress)

    def apply(self, *, plan: ImportPlan, by: User | None) -> dict[str, int]:
        return registry_import_apply(plan=plan, by=by)


def registry_import_bytes(
    *, filename: str, content: bytes, scope_province: Province | None, by: User | None, dry_run: bool
) -> tuple[Plan, dict[str, int] | None]:
    """Check a registry file and, unless ``dry_run`` or any row is bad, write it."""
    return import_bytes(
        kind=REGISTRY, filename=filename, content=content, scope_province=scope_province, by=by, dry_run=dry_run
    )
