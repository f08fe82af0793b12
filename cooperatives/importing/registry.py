"""Registry import: validate every row first, then write all of them or none.

The spreadsheet columns are mapped by :mod:`cooperatives.resources` (django-import-export),
values are read by :mod:`.values` with a handful of set-based look-ups, and the write is a
batched upsert with history (``bulk_create_with_history`` / ``bulk_update_with_history``)
inside one transaction. No query runs per row, and an error always names its row and column.

A file says only what it gives: a column that is absent, or a blank cell, leaves the stored
value alone, so re-importing a partial list never erases anything. A cell holding
``CLEAR_MARKER`` ("(xoá)") empties an optional field. The plan lists every change as
old → new, for the preview, before anything is written.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from coopdx import versions

from ..models import Cooperative, CooperativeStatus, Province
from ..resources import (
    CLEAR_MARKER,
    EXPORT_ONLY_HEADERS,
    IMPORT_COLUMNS,
    REQUIRED_COLUMNS,
    REQUIRED_FOR_NEW,
    header_key,
    is_clear_marker,
)
from ..services import EDITABLE_FIELDS
from ..text import fold
from .files import Cell, Sheet
from .values import STATUS_WORDS, Lookups, parse_code, parse_date, parse_int
from .values import cell_text as text

if TYPE_CHECKING:
    from accounts.models import User

# Fields an import sets, compared to decide whether an existing cooperative changed.
COMPARED_FIELDS = tuple(
    f"{name}_id" if name in ("province", "ward", "sector") else name
    for name in EDITABLE_FIELDS
    if name not in ("code", "traceability")
)
# The model attribute each column sets.
ATTRIBUTES = {
    column.key: f"{column.key}_id" if column.key in ("province", "ward", "sector") else column.key
    for column in IMPORT_COLUMNS
}
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
MAX_STORED_ERRORS = 500
MAX_STORED_CHANGES = 1000


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


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


@dataclass
class _Row:
    """A row whose cells read well: the code and the fields it gives (a cleared one as empty)."""

    number: int
    code: str
    given: dict[str, Any]
    ward_text: str = ""


# Reference fields are resolved against look-up tables, never by the model's per-row query.
_LOOKED_UP = {"province", "ward", "sector"}
_RULE_FIELDS = [field.name for field in Cooperative._meta.fields]


def _rule_errors(code: str, given: dict[str, Any]) -> list[tuple[str, str]]:
    """(column key, message) for each value the model's own field rules refuse.

    The row is built as an unsaved ``Cooperative`` and checked with ``clean_fields``, the rules
    the form, the admin and the services apply through ``full_clean``; only what the file gives
    is checked, so a stored value the row leaves alone never blocks it.
    """
    values = {name: value for name, value in given.items() if name.removesuffix("_id") not in _LOOKED_UP}
    if code:
        values["code"] = code
    checked = set(values)
    try:
        Cooperative(**values).clean_fields(exclude=[name for name in _RULE_FIELDS if name not in checked])
    except ValidationError as error:
        return [(name, message) for name, messages in error.message_dict.items() for message in messages]
    return []


def map_headers(headers: list[str]) -> tuple[dict[str, int], list[str], list[str]]:
    """Column key → position, plus unknown headers and missing required columns."""
    known = {header_key(alias): column.key for column in IMPORT_COLUMNS for alias in column.spellings}
    ignored = {header_key(header) for header in EXPORT_ONLY_HEADERS}
    positions: dict[str, int] = {}
    unknown: list[str] = []
    for index, header in enumerate(headers):
        key = known.get(header_key(header))
        if key and key not in positions:
            positions[key] = index
        elif header and header_key(header) not in ignored:
            unknown.append(header)
    labels = {column.key: column.header for column in IMPORT_COLUMNS}
    missing = [labels[key] for key in REQUIRED_COLUMNS if key not in positions]
    return positions, unknown, missing


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
    labels = {column.key: column.header for column in IMPORT_COLUMNS}
    if missing:
        plan.errors.append(
            RowError(1, ", ".join(missing), _("Required column missing: %(columns)s") % {"columns": ", ".join(missing)})
        )
        return plan

    lookups = Lookups()
    rows: list[_Row] = []
    first_row_of_code: dict[str, int] = {}

    for done, (row_number, cells) in enumerate(sheet.rows, start=1):
        errors_before = len(plan.errors)

        def fail(key: str, message: str, row_number: int = row_number) -> None:
            plan.errors.append(RowError(row_number, labels[key], message))

        def cell(key: str, cells: list[Cell] = cells) -> Cell:
            index = positions.get(key)
            return cells[index] if index is not None and index < len(cells) else None

        code = parse_code(cell("code"))
        if not code:
            fail("code", _("The cooperative code is empty."))
        elif code in first_row_of_code:
            fail(
                "code",
                _("The code %(code)s appears twice in the file (also in row %(row)s).")
                % {"code": code, "row": first_row_of_code[code]},
            )
        else:
            first_row_of_code[code] = row_number
        row = _Row(number=row_number, code=code, given={})
        given = row.given

        # Each column below: a blank cell (or no column) gives nothing; the marker clears.
        for key in ("name", "province", "sector", "status"):
            value = text(cell(key))
            if value and is_clear_marker(value):
                fail(
                    key,
                    _('This column cannot be emptied: "%(marker)s" clears optional columns only.')
                    % {"marker": CLEAR_MARKER},
                )
            elif value and key == "name":
                given["name"] = value
            elif value and key == "province":
                province_id, legacy = lookups.province(value)
                if province_id is None:
                    fail(
                        "province",
                        _('"%(value)s" is not a known province (current or before 1 July 2025).')
                        % {"value": value[:60]},
                    )
                elif scope_province is not None and province_id != scope_province.pk:
                    fail(
                        "province",
                        _("You may only import cooperatives of %(province)s.")
                        % {"province": scope_province.short_name},
                    )
                else:
                    plan.legacy_province_rows += int(legacy)
                    given["province_id"] = province_id
            elif value and key == "sector":
                sector_id = lookups.sectors.get(fold(value))
                if sector_id is None:
                    fail("sector", _('"%(value)s" is not one of the 8 sectors.') % {"value": value[:60]})
                given["sector_id"] = sector_id
            elif value and key == "status":
                status = STATUS_WORDS.get(fold(value))
                if status is not None:
                    given["status"] = status
                else:
                    fail(
                        "status",
                        _('"%(value)s" is not a status (%(choices)s).')
                        % {"value": value[:40], "choices": ", ".join(str(label) for label in CooperativeStatus.labels)},
                    )

        def optional(
            key: str, empty: Any, cell: Callable[[str], Cell] = cell, given: dict[str, Any] = given
        ) -> str | None:
            """The cell's text to read, or None when it gives nothing or clears the field."""
            value = text(cell(key))
            if not value:
                return None
            if is_clear_marker(value):
                given[ATTRIBUTES[key]] = empty
                return None
            return value

        ward = optional("ward", None)
        if ward is not None:
            row.ward_text = ward

        members = optional("members_count", None)
        if members is not None:
            try:
                given["members_count"] = parse_int(cell("members_count"))
            except ValueError:
                fail("members_count", _('"%(value)s" is not a whole number.') % {"value": members[:20]})

        founded = optional("founded_on", None)
        if founded is not None:
            try:
                founded_on = parse_date(cell("founded_on"))
            except ValueError:
                fail("founded_on", _('"%(value)s" is not a date (use dd/mm/yyyy).') % {"value": founded[:20]})
            else:
                given["founded_on"] = founded_on

        for key in ("address", "phone", "email", "representative"):
            value = optional(key, "")
            if value is not None:
                given[key] = value
        website = optional("website", "")
        if website is not None:
            # As the browser form does (FORMS_URLFIELD_ASSUME_HTTPS): "htx.vn" means https://htx.vn.
            given["website"] = website if website.lower().startswith(("http://", "https://")) else f"https://{website}"

        for key, message in _rule_errors(code, given):
            fail(key, message)

        if len(plan.errors) == errors_before:
            rows.append(row)
        if progress and done % 1000 == 0:
            progress(done, plan.total_rows)

    _plan_writes(plan, rows, lookups, labels, scope_province)
    plan.errors.sort(key=lambda error: error.row)
    if progress:
        progress(plan.total_rows, plan.total_rows)
    return plan


def _plan_writes(
    plan: ImportPlan,
    rows: list[_Row],
    lookups: Lookups,
    labels: dict[str, str],
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
        given = row.given

        def fail(key: str, message: str, row: _Row = row) -> None:
            plan.errors.append(RowError(row.number, labels[key], message))

        current = existing.get(row.code)
        if current is None:
            needed = [key for key in REQUIRED_FOR_NEW if given.get(ATTRIBUTES[key]) is None]
            for key in needed:
                fail(key, _("A new cooperative needs a value in this column."))
            if needed:
                continue
            province_id = given["province_id"]
        elif scope_province is not None and current.province_id != scope_province.pk:
            fail("code", _("This code is already registered outside your province; ask the national administrator."))
            continue
        else:
            province_id = given.get("province_id", current.province_id)

        if row.ward_text:
            matches = lookups.ward(province_id, row.ward_text)
            if len(matches) != 1:
                fail(
                    "ward",
                    _('"%(value)s" matches several wards/communes; write "Phường …" or "Xã …".')
                    % {"value": row.ward_text[:60]}
                    if matches
                    else _('"%(value)s" is not a current ward/commune of %(province)s.')
                    % {"value": row.ward_text[:60], "province": lookups.province_names[province_id]},
                )
                continue
            given["ward_id"] = matches[0]
        elif current is not None and province_id != current.province_id and current.ward_id and "ward_id" not in given:
            fail(
                "ward",
                _('The province changes: give the ward/commune in the new province, or write "%(marker)s" to clear it.')
                % {"marker": CLEAR_MARKER},
            )
            continue

        if current is None:
            cooperative = Cooperative(code=row.code, **{**NEW_DEFAULTS, **given})
            cooperative.search_text = cooperative.current_search_text(
                lookups.ward_names.get(cooperative.ward_id, "") if cooperative.ward_id else ""
            )
            plan.to_create.append(cooperative)
            continue

        changed = [
            (name, getattr(current, name), given[name])
            for name in ATTRIBUTES.values()  # in the template's column order
            if name in given and getattr(current, name) != given[name]
        ]
        if not changed:
            plan.unchanged += 1
            continue
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
                            "column": labels[_COLUMN_OF[name]],
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
                [*(name.removesuffix("_id") for name in COMPARED_FIELDS), "search_text", "updated_at"],
                batch_size=WRITE_BATCH,
                default_user=by,
            )
        versions.mark_changed(versions.REGISTRY)
    return {"created": len(plan.to_create), "updated": len(plan.to_update), "unchanged": plan.unchanged}


class RegistryImporter:
    """The registry as an import kind (see ``cooperatives.importing.jobs``)."""

    def check_options(self, *, options: dict[str, Any], by: User | None) -> None:
        return None

    def plan(self, *, sheet: Sheet, options: dict[str, Any], scope_province: Any, progress: Any) -> ImportPlan:
        return registry_import_plan(sheet=sheet, scope_province=scope_province, progress=progress)

    def apply(self, *, plan: ImportPlan, by: User | None) -> dict[str, int]:
        return registry_import_apply(plan=plan, by=by)
