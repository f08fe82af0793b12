"""Registry import: validate every row first, then write all of them or none.

The spreadsheet columns are mapped by :mod:`cooperatives.resources` (django-import-export),
values are checked here in Python with a handful of set-based look-ups, and the write is a
batched upsert with history (``bulk_create_with_history`` / ``bulk_update_with_history``)
inside one transaction. No query runs per row, and an error always names its row and column.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from coopdx import versions

from ..models import Cooperative, CooperativeStatus, LegacyProvince, Province, Sector, Ward
from ..reference import sector_aliases
from ..resources import EXPORT_ONLY_HEADERS, IMPORT_COLUMNS, REQUIRED_COLUMNS, header_key
from ..services import EDITABLE_FIELDS
from ..text import fold, nfc
from .files import Cell, Sheet

if TYPE_CHECKING:
    from accounts.models import User

CODE_PATTERN = re.compile(r"^\d{10}(-\d{3})?$")
PHONE_PATTERN = re.compile(r"^\+?[\d .\-()]{8,20}$")
STATUS_WORDS = {
    "dang hoat dong": CooperativeStatus.ACTIVE,
    "hoat dong": CooperativeStatus.ACTIVE,
    "active": CooperativeStatus.ACTIVE,
    "tam ngung": CooperativeStatus.SUSPENDED,
    "tam ngung hoat dong": CooperativeStatus.SUSPENDED,
    "tam dung hoat dong": CooperativeStatus.SUSPENDED,
    "suspended": CooperativeStatus.SUSPENDED,
    "giai the": CooperativeStatus.DISSOLVED,
    "da giai the": CooperativeStatus.DISSOLVED,
    "dissolved": CooperativeStatus.DISSOLVED,
}
# Fields an import sets, compared to decide whether an existing cooperative changed.
COMPARED_FIELDS = tuple(
    f"{name}_id" if name in ("province", "ward", "sector") else name
    for name in EDITABLE_FIELDS
    if name not in ("code", "traceability")
)
LOOKUP_CHUNK = 5000
WRITE_BATCH = 1000
MAX_STORED_ERRORS = 500


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
        }

    def stored_errors(self) -> list[dict[str, Any]]:
        return [error.as_dict() for error in self.errors[:MAX_STORED_ERRORS]]


class _Lookups:
    """Reference tables folded into dictionaries once per import (a few queries in all)."""

    def __init__(self) -> None:
        self.provinces: dict[str, int] = {}
        self.legacy: dict[str, int] = {}
        self.province_names: dict[int, str] = {}
        for province in Province.objects.all():
            self.province_names[province.pk] = province.short_name
            for spelling in (province.code, province.name, province.short_name):
                self.provinces[fold(spelling)] = province.pk
            if province.kind == "Thành phố":
                for prefix in ("tp", "tp.", "thanh pho"):
                    self.provinces[f"{prefix} {fold(province.short_name)}"] = province.pk
        for legacy in LegacyProvince.objects.all():
            for spelling in (legacy.name, legacy.short_name):
                self.legacy.setdefault(fold(spelling), legacy.successor_id)
        codes = dict(Sector.objects.values_list("code", "pk"))
        self.sectors = {alias: codes[code] for alias, code in sector_aliases().items() if code in codes}
        self.wards: dict[int, tuple[dict[str, list[int]], dict[str, list[int]]]] = {}

    def load_wards(self, province_ids: Iterable[int]) -> None:
        """Index wards by code, exact name and folded name, with and without their kind."""
        for ward_id, code, name, kind, province_id in Ward.objects.filter(
            province_id__in=set(province_ids)
        ).values_list("pk", "code", "name", "kind", "province_id"):
            exact, folded = self.wards.setdefault(province_id, ({}, {}))
            bare = name[len(kind) :].strip() if name.startswith(kind) else name
            exact.setdefault(code, []).append(ward_id)
            for spelling in {name, bare}:
                exact.setdefault(_exact(spelling), []).append(ward_id)
                folded.setdefault(fold(spelling), []).append(ward_id)

    def ward(self, province_id: int, value: str) -> list[int]:
        """Wards matching ``value``: the exact spelling wins; without diacritics only as a fallback,
        since folding makes e.g. "Lộc Thành" and "Lộc Thạnh" the same."""
        exact, folded = self.wards.get(province_id, ({}, {}))
        key = value.strip().zfill(5) if value.strip().isdigit() else _exact(value)
        return exact.get(key) or folded.get(fold(value), [])

    def province(self, value: str) -> tuple[int | None, bool]:
        """(province id, whether a pre-2025 name was used)."""
        key = fold(value)
        if key.isdigit():
            key = key.zfill(2)
        if key in self.provinces:
            return self.provinces[key], False
        if key in self.legacy:
            return self.legacy[key], True
        for prefix in ("tinh ", "thanh pho ", "tp. ", "tp "):
            if key.startswith(prefix):
                return self.province(key[len(prefix) :])
        return None, False


def _exact(value: str) -> str:
    """Case and spacing ignored, diacritics kept (composed)."""
    return " ".join(nfc(value).lower().split())


def _text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return nfc(str(value)).strip()


def _parse_code(value: Cell) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        # Excel drops the leading zero of codes such as 0101234567 (Hà Nội).
        return str(int(value)).zfill(10)
    return _text(value).replace(" ", "")


def _parse_int(value: Cell) -> int:
    if isinstance(value, int | float) and not isinstance(value, bool):
        if float(value).is_integer() and value >= 0:
            return int(value)
        raise ValueError
    text = _text(value)
    if re.fullmatch(r"\d{1,3}([.,]\d{3})+", text):
        text = re.sub(r"[.,]", "", text)
    if not text.isdigit():
        raise ValueError
    return int(text)


EXCEL_EPOCH = datetime.date(1899, 12, 30)


def _parse_date(value: Cell) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value <= 80_000:  # an Excel serial day number
            return EXCEL_EPOCH + datetime.timedelta(days=int(value))
        raise ValueError
    text = _text(value)
    for pattern in ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError


_url_validator = URLValidator(schemes=["http", "https"])


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

    lookups = _Lookups()
    parsed: list[tuple[int, dict[str, Any]]] = []
    province_ids: set[int] = set()
    first_row_of_code: dict[str, int] = {}

    def cell(cells: list[Cell], key: str) -> Cell:
        index = positions.get(key)
        return cells[index] if index is not None and index < len(cells) else None

    for done, (row_number, cells) in enumerate(sheet.rows, start=1):
        errors_before = len(plan.errors)

        def fail(key: str, message: str, row_number: int = row_number) -> None:
            plan.errors.append(RowError(row_number, labels[key], message))

        values: dict[str, Any] = {}
        code = _parse_code(cell(cells, "code"))
        if not code:
            fail("code", _("The cooperative code is empty."))
        elif not CODE_PATTERN.match(code):
            fail(
                "code",
                _('"%(value)s" is not a valid cooperative code (10 digits, or 10 digits-3 digits).')
                % {"value": code[:40]},
            )
        elif code in first_row_of_code:
            fail(
                "code",
                _("The code %(code)s appears twice in the file (also in row %(row)s).")
                % {"code": code, "row": first_row_of_code[code]},
            )
        else:
            first_row_of_code[code] = row_number
        values["code"] = code

        name = _text(cell(cells, "name"))
        if not name:
            fail("name", _("The cooperative name is empty."))
        elif len(name) > 255:
            fail("name", _("The name is longer than 255 characters."))
        values["name"] = name

        province_text = _text(cell(cells, "province"))
        province_id, legacy = lookups.province(province_text) if province_text else (None, False)
        if not province_text:
            fail("province", _("The province is empty."))
        elif province_id is None:
            fail(
                "province",
                _('"%(value)s" is not a known province (current or before 1 July 2025).')
                % {"value": province_text[:60]},
            )
        elif scope_province is not None and province_id != scope_province.pk:
            fail(
                "province",
                _("You may only import cooperatives of %(province)s.") % {"province": scope_province.short_name},
            )
        else:
            province_ids.add(province_id)
            plan.legacy_province_rows += int(legacy)
        values["province_id"] = province_id
        values["ward_text"] = _text(cell(cells, "ward"))

        sector_text = _text(cell(cells, "sector"))
        sector_id = lookups.sectors.get(fold(sector_text))
        if not sector_text:
            fail("sector", _("The sector is empty."))
        elif sector_id is None:
            fail("sector", _('"%(value)s" is not one of the 8 sectors.') % {"value": sector_text[:60]})
        values["sector_id"] = sector_id

        status_text = _text(cell(cells, "status"))
        values["status"] = STATUS_WORDS.get(fold(status_text)) if status_text else CooperativeStatus.ACTIVE
        if values["status"] is None:
            fail(
                "status",
                _('"%(value)s" is not a status (Đang hoạt động, Tạm ngừng hoạt động, Giải thể).')
                % {"value": status_text[:40]},
            )

        members = cell(cells, "members_count")
        values["members_count"] = None
        if _text(members):
            try:
                values["members_count"] = _parse_int(members)
            except ValueError:
                fail("members_count", _('"%(value)s" is not a whole number.') % {"value": _text(members)[:20]})

        founded = cell(cells, "founded_on")
        values["founded_on"] = None
        if _text(founded):
            try:
                values["founded_on"] = _parse_date(founded)
                if values["founded_on"] > timezone.localdate() or values["founded_on"].year < 1945:
                    fail(
                        "founded_on",
                        _("The founding date %(value)s is not plausible.")
                        % {"value": values["founded_on"].strftime("%d/%m/%Y")},
                    )
            except ValueError:
                fail("founded_on", _('"%(value)s" is not a date (use dd/mm/yyyy).') % {"value": _text(founded)[:20]})

        values["address"] = _text(cell(cells, "address"))[:255]
        phone = _text(cell(cells, "phone"))
        if phone and not PHONE_PATTERN.match(phone):
            fail("phone", _('"%(value)s" is not a phone number.') % {"value": phone[:30]})
        values["phone"] = phone[:32]
        email = _text(cell(cells, "email"))
        if email:
            try:
                validate_email(email)
            except ValidationError:
                fail("email", _('"%(value)s" is not an e-mail address.') % {"value": email[:60]})
        values["email"] = email
        website = _text(cell(cells, "website"))
        if website:
            if not re.match(r"^https?://", website, re.IGNORECASE):
                website = f"https://{website}"
            try:
                _url_validator(website)
            except ValidationError:
                fail("website", _('"%(value)s" is not a web address.') % {"value": website[:80]})
        values["website"] = website
        values["representative"] = _text(cell(cells, "representative"))[:150]

        if len(plan.errors) == errors_before:
            parsed.append((row_number, values))
        if progress and done % 1000 == 0:
            progress(done, plan.total_rows)

    lookups.load_wards(province_ids)
    existing = _existing_by_code([values["code"] for _, values in parsed])
    for row_number, values in parsed:
        ward_text = values.pop("ward_text")
        values["ward_id"] = None
        if ward_text:
            matches = lookups.ward(values["province_id"], ward_text)
            if len(matches) == 1:
                values["ward_id"] = matches[0]
            elif matches:
                plan.errors.append(
                    RowError(
                        row_number,
                        labels["ward"],
                        _('"%(value)s" matches several wards/communes; write "Phường …" or "Xã …".')
                        % {"value": ward_text[:60]},
                    )
                )
                continue
            else:
                plan.errors.append(
                    RowError(
                        row_number,
                        labels["ward"],
                        _('"%(value)s" is not a current ward/commune of %(province)s.')
                        % {"value": ward_text[:60], "province": lookups.province_names[values["province_id"]]},
                    )
                )
                continue
        current = existing.get(values["code"])
        if current is None:
            cooperative = Cooperative(**values)
            cooperative.search_text = Cooperative.build_search_text(cooperative.name, cooperative.code)
            plan.to_create.append(cooperative)
            continue
        if scope_province is not None and current.province_id != scope_province.pk:
            plan.errors.append(
                RowError(
                    row_number,
                    labels["code"],
                    _("This code is already registered outside your province; ask the national administrator."),
                )
            )
            continue
        if all(getattr(current, name) == values[name] for name in COMPARED_FIELDS):
            plan.unchanged += 1
            continue
        for name in COMPARED_FIELDS:
            setattr(current, name, values[name])
        current.search_text = Cooperative.build_search_text(current.name, current.code)
        plan.to_update.append(current)
    plan.errors.sort(key=lambda error: error.row)
    if progress:
        progress(plan.total_rows, plan.total_rows)
    return plan


def _existing_by_code(codes: list[str]) -> dict[str, Cooperative]:
    found: dict[str, Cooperative] = {}
    for start in range(0, len(codes), LOOKUP_CHUNK):
        chunk = codes[start : start + LOOKUP_CHUNK]
        found.update((c.code, c) for c in Cooperative.objects.filter(code__in=chunk))
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
