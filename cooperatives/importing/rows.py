"""Reading the registry file's rows: headers to columns, cells to field values, each refusal an
error naming its row and column. Nothing here queries per row or writes; ``registry`` matches
the rows with the registry and writes them.

A blank cell (or an absent column) gives nothing, so the stored value stays; ``CLEAR_MARKER``
("(xoá)") empties an optional field. Field rules (formats, ranges) are the model's own: the row
is checked by the model's own fields (``rule_errors``), as ``Model.clean_fields`` does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from imports.cells import cell_text as text
from imports.cells import parse_code, parse_date, parse_int
from imports.files import Cell
from imports.kinds import RowError

from ..models import Cooperative, CooperativeStatus, Province
from ..resources import CLEAR_MARKER, EXPORT_ONLY_HEADERS, IMPORT_COLUMNS, REQUIRED_COLUMNS, header_key, is_clear_marker
from ..text import fold
from .values import STATUS_WORDS, Lookups

# The model attribute each column sets.
ATTRIBUTES = {
    column.key: f"{column.key}_id" if column.key in ("province", "ward", "sector") else column.key
    for column in IMPORT_COLUMNS
}
LABELS = {column.key: column.header for column in IMPORT_COLUMNS}
# Reference fields are resolved against look-up tables, never by the model's per-row query.
_LOOKED_UP = {"province", "ward", "sector"}
_FIELDS = {model_field.name: model_field for model_field in Cooperative._meta.fields}
# Optional columns read from the cell's value (an Excel number or date too), with the refusal
# of a value that does not read.
_PARSED_COLUMNS: tuple[tuple[str, Callable[[Cell], Any], Any], ...] = (
    ("members_count", parse_int, gettext_lazy('"%(value)s" is not a whole number.')),
    ("founded_on", parse_date, gettext_lazy('"%(value)s" is not a date (use dd/mm/yyyy).')),
)
# Optional text columns taken as written (the model's rules judge them).
_TEXT_COLUMNS = ("address", "phone", "email", "representative")


@dataclass
class RowValues:
    """A row whose cells read well: the code and the fields it gives (a cleared one as empty)."""

    number: int
    code: str
    given: dict[str, Any] = field(default_factory=dict)
    ward_text: str = ""


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
    missing = [LABELS[key] for key in REQUIRED_COLUMNS if key not in positions]
    return positions, unknown, missing


def rule_errors(code: str, given: dict[str, Any]) -> list[tuple[str, str]]:
    """(column key, message) for each value the model's own field rules refuse.

    Exactly what ``Model.clean_fields`` does for the fields the row gives (the rules the form,
    the admin and the services apply through ``full_clean``), without building an instance per
    row first: a blank optional value passes, every other value goes through its field's
    ``clean`` (type, choices, length, the validators). Only what the file gives is checked, so a
    stored value the row leaves alone never blocks it.
    """
    values = {"code": code} if code else {}
    values.update((name, value) for name, value in given.items() if name.removesuffix("_id") not in _LOOKED_UP)
    refused: list[tuple[str, str]] = []
    for name, value in values.items():
        model_field = _FIELDS[name]
        if model_field.blank and value in model_field.empty_values:
            continue
        try:
            model_field.clean(value, None)
        except ValidationError as error:
            refused.extend((name, message) for message in error.messages)
    return refused


class RowReader:
    """Reads the rows of one file in turn; errors go to ``errors``, with their row and column."""

    def __init__(
        self,
        *,
        positions: dict[str, int],
        lookups: Lookups,
        scope_province: Province | None,
        errors: list[RowError],
    ) -> None:
        self.positions = positions
        self.lookups = lookups
        self.scope_province = scope_province
        self.errors = errors
        self.legacy_province_rows = 0
        self._first_row_of_code: dict[str, int] = {}
        self._number = 0
        self._cells: list[Cell] = []

    def read(self, number: int, cells: list[Cell]) -> RowValues | None:
        """The row's values, or None when any cell of it is refused."""
        self._number, self._cells = number, cells
        errors_before = len(self.errors)
        row = RowValues(number=number, code=self._code())
        for key, read in self._REQUIRED.items():
            value = text(self._cell(key))
            if value and is_clear_marker(value):
                self._fail(
                    key,
                    _('This column cannot be emptied: "%(marker)s" clears optional columns only.')
                    % {"marker": CLEAR_MARKER},
                )
            elif value:
                read(self, value, row.given)
        self._optional(row)
        for key, message in rule_errors(row.code, row.given):
            self._fail(key, message)
        return row if len(self.errors) == errors_before else None

    def _fail(self, key: str, message: str) -> None:
        self.errors.append(RowError(self._number, LABELS[key], message))

    def _cell(self, key: str) -> Cell:
        index = self.positions.get(key)
        return self._cells[index] if index is not None and index < len(self._cells) else None

    def _code(self) -> str:
        code = parse_code(self._cell("code"))
        if not code:
            self._fail("code", _("The cooperative code is empty."))
        elif code in self._first_row_of_code:
            self._fail(
                "code",
                _("The code %(code)s appears twice in the file (also in row %(row)s).")
                % {"code": code, "row": self._first_row_of_code[code]},
            )
        else:
            self._first_row_of_code[code] = self._number
        return code

    # Columns a row may leave blank but never empty: each reader takes the cell's text.
    def _name(self, value: str, given: dict[str, Any]) -> None:
        given["name"] = value

    def _province(self, value: str, given: dict[str, Any]) -> None:
        province_id, legacy = self.lookups.province(value)
        if province_id is None:
            self._fail(
                "province",
                _('"%(value)s" is not a known province (current or before 1 July 2025).') % {"value": value[:60]},
            )
        elif self.scope_province is not None and province_id != self.scope_province.pk:
            self._fail(
                "province",
                _("You may only import cooperatives of %(province)s.") % {"province": self.scope_province.short_name},
            )
        else:
            self.legacy_province_rows += int(legacy)
            given["province_id"] = province_id

    def _sector(self, value: str, given: dict[str, Any]) -> None:
        sector_id = self.lookups.sectors.get(fold(value))
        if sector_id is None:
            self._fail("sector", _('"%(value)s" is not one of the 8 sectors.') % {"value": value[:60]})
        given["sector_id"] = sector_id

    def _status(self, value: str, given: dict[str, Any]) -> None:
        status = STATUS_WORDS.get(fold(value))
        if status is not None:
            given["status"] = status
            return
        self._fail(
            "status",
            _('"%(value)s" is not a status (%(choices)s).')
            % {"value": value[:40], "choices": ", ".join(str(label) for label in CooperativeStatus.labels)},
        )

    _REQUIRED: dict[str, Callable[[RowReader, str, dict[str, Any]], None]] = {
        "name": _name,
        "province": _province,
        "sector": _sector,
        "status": _status,
    }

    def _optional_text(self, key: str, empty: Any, given: dict[str, Any]) -> str | None:
        """The cell's text to read, or None when it gives nothing or clears the field."""
        value = text(self._cell(key))
        if not value:
            return None
        if is_clear_marker(value):
            given[ATTRIBUTES[key]] = empty
            return None
        return value

    def _optional(self, row: RowValues) -> None:
        given = row.given
        row.ward_text = self._optional_text("ward", None, given) or ""
        for key, parse, refusal in _PARSED_COLUMNS:
            value = self._optional_text(key, None, given)
            if value is not None:
                try:
                    given[key] = parse(self._cell(key))
                except ValueError:
                    self._fail(key, refusal % {"value": value[:20]})
        for key in _TEXT_COLUMNS:
            value = self._optional_text(key, "", given)
            if value is not None:
                given[key] = value
        website = self._optional_text("website", "", given)
        if website is not None:
            # As the browser form does (FORMS_URLFIELD_ASSUME_HTTPS): "htx.vn" means https://htx.vn.
            given["website"] = website if website.lower().startswith(("http://", "https://")) else f"https://{website}"
