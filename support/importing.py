"""Support received, in bulk: an all-or-nothing import of rows (cooperative code, programme
code, date, note), registered with ``imports.kinds`` as the kind ``support``.

Rows are checked with the model's own rules (``clean_fields`` and ``clean`` on the unsaved rows)
after two look-ups for the whole file; a support already recorded (same programme, cooperative
and date) is left as it is, so a file can be imported again. Errors name their row and column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from cooperatives.models import Cooperative
from cooperatives.resources import ERRORS_HEADER, header_key
from imports.cells import cell_text, parse_code, parse_date
from imports.files import Cell, Sheet
from imports.kinds import MAX_STORED_ERRORS, RowError

from .models import SupportProgramme, SupportReceived

if TYPE_CHECKING:
    from accounts.models import User

# The kind of import this module registers (support.apps).
SUPPORT = "support"

CODE = "Mã số HTX"
PROGRAMME = "Mã chương trình"
DATE = "Ngày nhận hỗ trợ"
NOTE = "Ghi chú"
HEADERS = (CODE, PROGRAMME, DATE, NOTE)
REQUIRED = (CODE, PROGRAMME, DATE)
# Other spellings a user's own file may have (folded by ``header_key``).
ALIASES = {
    "ma htx": CODE,
    "cooperative code": CODE,
    "programme code": PROGRAMME,
    "program code": PROGRAMME,
    "ngay": DATE,
    "date": DATE,
    "date received": DATE,
    "note": NOTE,
}
# The model's field each column's rule is given under.
FIELD_COLUMNS = {"cooperative": CODE, "programme": PROGRAMME, "received_on": DATE, "note": NOTE}


@dataclass
class SupportPlan:
    total_rows: int = 0
    rows: list[SupportReceived] = field(default_factory=list)
    unchanged: int = 0
    unknown_columns: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> dict[str, Any]:
        return {
            "total_rows": self.total_rows,
            "new": len(self.rows),
            "changed": 0,
            "unchanged": self.unchanged,
            "error_rows": len({e.row for e in self.errors}),
            "errors_total": len(self.errors),
            "unknown_columns": self.unknown_columns,
            "legacy_province_rows": 0,
        }

    def stored_errors(self) -> list[dict[str, Any]]:
        return [e.as_dict() for e in self.errors[:MAX_STORED_ERRORS]]


def _columns(headers: list[str], plan: SupportPlan) -> dict[str, int]:
    """Column → position; unknown headers are reported (not read), missing required ones are errors."""
    known = {header_key(h): h for h in HEADERS} | ALIASES
    positions: dict[str, int] = {}
    for index, header in enumerate(headers):
        column = known.get(header_key(header))
        if column is not None:
            positions.setdefault(column, index)
        elif header.strip() and header_key(header) != header_key(ERRORS_HEADER):
            plan.unknown_columns.append(header.strip()[:60])
    missing = [column for column in REQUIRED if column not in positions]
    if missing:
        plan.errors.append(
            RowError(1, ", ".join(missing), _("Required column missing: %(columns)s") % {"columns": ", ".join(missing)})
        )
    return positions


class SupportImporter:
    """Support received as an import kind (registered with ``imports.kinds``)."""

    permission = "support.import_support"
    sheet_name = None

    def check_options(self, *, options: dict[str, Any], by: User | None) -> None:
        return None

    def plan(self, *, sheet: Sheet, options: dict[str, Any], scope_province: Any, progress: Any) -> SupportPlan:
        plan = SupportPlan(total_rows=len(sheet.rows))
        positions = _columns(sheet.headers, plan)
        if plan.errors:
            return plan

        def cell(cells: list[Cell], column: str) -> Cell:
            index = positions.get(column)
            return cells[index] if index is not None and index < len(cells) else None

        codes = {parse_code(cell(cells, CODE)) for _, cells in sheet.rows}
        programme_codes = {cell_text(cell(cells, PROGRAMME)).upper() for _, cells in sheet.rows}
        cooperatives = Cooperative.objects.filter(code__in=codes, is_archived=False)
        if scope_province is not None:
            cooperatives = cooperatives.filter(province_id=scope_province.pk)
        reader = _RowReader(
            plan=plan,
            cooperatives={c.code: c for c in cooperatives.only("pk", "code", "province_id")},
            programmes={p.code: p for p in SupportProgramme.objects.filter(code__in=programme_codes)},
        )
        for number, cells in sheet.rows:
            reader.read(
                number,
                code=parse_code(cell(cells, CODE)),
                programme=cell_text(cell(cells, PROGRAMME)).upper(),
                date=cell(cells, DATE),
                note=cell_text(cell(cells, NOTE)),
            )
        reader.drop_recorded()
        plan.errors.sort(key=lambda e: e.row)
        return plan

    def apply(self, *, plan: SupportPlan, by: User | None) -> dict[str, int]:
        return support_import_apply(plan=plan, by=by)


class _RowReader:
    def __init__(
        self, *, plan: SupportPlan, cooperatives: dict[str, Cooperative], programmes: dict[str, SupportProgramme]
    ) -> None:
        self.plan = plan
        self.cooperatives = cooperatives
        self.programmes = programmes
        self.first_row: dict[tuple[int, int, Any], int] = {}

    def read(self, number: int, *, code: str, programme: str, date: Cell, note: str) -> None:
        errors_before = len(self.plan.errors)
        cooperative = self.cooperatives.get(code)
        if not code:
            self._error(number, CODE, _("This field is required."))
        elif cooperative is None:
            # The same words for another province's cooperative: its registry is not revealed.
            self._error(number, CODE, _("The cooperative %(code)s is not in the registry.") % {"code": code[:20]})
        found = self.programmes.get(programme)
        if not programme:
            self._error(number, PROGRAMME, _("This field is required."))
        elif found is None:
            self._error(
                number, PROGRAMME, _("There is no programme with the code %(code)s.") % {"code": programme[:32]}
            )
        received_on = None
        if date is None or cell_text(date) == "":
            self._error(number, DATE, _("This field is required."))
        else:
            try:
                received_on = parse_date(date)
            except ValueError:
                self._error(number, DATE, _("Not a date: write it as dd/mm/yyyy."))
        if len(self.plan.errors) > errors_before or cooperative is None or found is None or received_on is None:
            return
        record = SupportReceived(cooperative=cooperative, programme=found, received_on=received_on, note=note)
        try:
            record.clean_fields(exclude=["cooperative", "programme"])  # both looked up above
            record.clean()
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                self._error(number, FIELD_COLUMNS.get(name, CODE), " ".join(messages))
            return
        key = (found.pk, cooperative.pk, received_on)
        if key in self.first_row:
            self._error(
                number,
                CODE,
                _("The same support appears twice in the file (also in row %(row)s).") % {"row": self.first_row[key]},
            )
            return
        self.first_row[key] = number
        self.plan.rows.append(record)

    def drop_recorded(self) -> None:
        """Rows already recorded (one query for the whole file) are left as they are."""
        if not self.plan.rows:
            return
        recorded = set(
            SupportReceived.objects.filter(
                programme__in={r.programme_id for r in self.plan.rows},
                cooperative__in={r.cooperative_id for r in self.plan.rows},
            ).values_list("programme_id", "cooperative_id", "received_on")
        )
        new = [r for r in self.plan.rows if (r.programme_id, r.cooperative_id, r.received_on) not in recorded]
        self.plan.unchanged = len(self.plan.rows) - len(new)
        self.plan.rows = new

    def _error(self, number: int, column: str, message: str) -> None:
        self.plan.errors.append(RowError(number, column, message))


def support_import_apply(*, plan: SupportPlan, by: User | None) -> dict[str, int]:
    """Write a clean plan, all rows or none, each with its history under ``by``."""
    if not plan.ok:
        raise ValueError("refusing to write a plan with errors")
    with transaction.atomic():
        bulk_create_with_history(plan.rows, SupportReceived, batch_size=2000, default_user=by)
    return {"created": len(plan.rows), "updated": 0, "unchanged": plan.unchanged}
