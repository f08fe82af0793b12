"""Reading an XLSForm workbook into a questionnaire version's description (the JSON shape of
``surveys/data/questionnaire_national_v1.json``, which ``questionnaires.questionnaire_load``
writes), or refusing it with the sheet, row and column of every problem.

The file is opened by the import app's guarded reader (no formulas, no encrypted or legacy
workbooks, no zip bombs or XML entities) before anything else reads it; pyxform then validates
it as XLSForm (types, names, references between questions, choice lists), and only then are
CoopDX's own limits checked: every question inside a group (a part of the questionnaire), the
types CoopDX can ask (select_one, select_multiple, integer, decimal, text), a Vietnamese label,
scores and bands in range, conditions that parse against the earlier questions.

Longer than 300 lines on purpose: one reader of one kind of file, its sheets read in turn.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from imports.files import Cell, ImportFileError, Sheet, read_table

from ..expressions import QuestionFacts, parse
from ..skip_logic import logic_expressions
from . import columns as c


@dataclass(frozen=True)
class Problem:
    """Something in the workbook CoopDX cannot take, and where it is."""

    sheet: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [self.sheet] if self.sheet else []
        if self.row:
            where.append(_("row %(row)s") % {"row": self.row})
        if self.column:
            where.append(_("column %(column)s") % {"column": self.column})
        return f"{', '.join(where)}: {self.message}" if where else self.message


class XLSFormRefused(Exception):
    """The workbook cannot become a questionnaire version; ``problems`` says where and why."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(p) for p in problems[:5]))
        self.problems = problems


class _Table:
    """A sheet's rows as header → cell, with their row numbers."""

    def __init__(self, name: str, sheet: Sheet | None) -> None:
        self.name = name
        self.headers = [h.strip() for h in sheet.headers] if sheet else []
        rows = sheet.rows if sheet else []
        self.rows = [(number, dict(zip(self.headers, cells, strict=False))) for number, cells in rows]

    def header(self, *names: str) -> str | None:
        """The sheet's header for a column, spelt as XLSForm allows (``list_name``, ``list name``)."""
        wanted = {n.lower().replace(" ", "_") for n in names}
        return next((h for h in self.headers if h.lower().replace(" ", "_") in wanted), None)

    def translations(self, column: str) -> dict[str, str]:
        """Language code → the header holding ``column`` in it."""
        found: dict[str, str] = {}
        for header in self.headers:
            language = c.header_language(header, column)
            if language and language not in found:
                found[language] = header
        return found


def _text(value: Cell) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None else str(value).strip()


def _open(filename: str, content: bytes) -> dict[str, _Table]:
    """The workbook's sheets that matter, read through the guarded reader."""
    if not filename.lower().endswith(".xlsx"):
        raise XLSFormRefused([Problem("", None, None, _("An XLSForm is imported from an .xlsx workbook."))])
    try:
        first = read_table(filename, content, "survey")
    except ImportFileError as error:
        raise XLSFormRefused([Problem("", None, None, str(error))]) from error
    from openpyxl import load_workbook  # the bytes passed the guarded reader above

    names = load_workbook(io.BytesIO(content), read_only=True).sheetnames
    if "survey" not in names:
        raise XLSFormRefused([Problem("survey", None, None, _("The workbook has no “survey” sheet."))])
    tables = {"survey": _Table("survey", first)}
    for name in ("choices", "settings", c.ADVICE_SHEET, c.RULES_SHEET):
        sheet = None
        if name in names:
            try:
                sheet = read_table(filename, content, name)
            except ImportFileError as error:
                if str(error) != _("The file has a header row but no data rows."):
                    raise XLSFormRefused([Problem(name, None, None, str(error))]) from error
        tables[name] = _Table(name, sheet)
    return tables


def _pyxform_problems(content: bytes) -> list[Problem]:
    """What pyxform finds wrong with the workbook as XLSForm (its words, with its row)."""
    from pyxform.errors import PyXFormError
    from pyxform.xls2xform import convert

    try:
        convert(content, warnings=[])
    except PyXFormError as error:
        message = str(error)
        row = re.search(r"\[row\s*:\s*(\d+)\]", message)
        sheet = next((s for s in ("choices", "settings") if f"'{s}'" in message or f" {s} " in message), "survey")
        text = re.sub(r"^\[row\s*:\s*\d+\]\s*", "", message)
        return [
            Problem(
                sheet, int(row.group(1)) if row else None, None, _("Not valid XLSForm: %(error)s") % {"error": text}
            )
        ]
    except Exception as error:  # noqa: BLE001 - pyxform raises plain errors on some broken sheets
        return [Problem("", None, None, _("Not valid XLSForm: %(error)s") % {"error": str(error)[:300]})]
    return []


class _Reader:
    def __init__(self, tables: dict[str, _Table]) -> None:
        self.t = tables
        self.problems: list[Problem] = []

    def problem(self, table: _Table, row: int | None, column: str | None, message: str) -> None:
        self.problems.append(Problem(table.name, row, column, message))

    def translations(self, table: _Table, row: dict[str, Cell], column: str) -> dict[str, str]:
        return {language: _text(row.get(header)) for language, header in table.translations(column).items()}

    def number(self, table: _Table, number: int, row: dict[str, Cell], column: str) -> Decimal | None:
        text = _text(row.get(column)).replace(",", ".")
        if not text:
            return None
        try:
            value = Decimal(text)
        except InvalidOperation:
            value = Decimal("NaN")
        if not value.is_finite() or abs(value) >= Decimal("1e10"):
            self.problem(table, number, column, _("“%(value)s” is not a number.") % {"value": text[:30]})
            return None
        return value

    # --- settings ---------------------------------------------------------------------------
    def settings(self) -> dict[str, Any]:
        table = self.t["settings"]
        row = table.rows[0][1] if table.rows else {}
        number = table.rows[0][0] if table.rows else None
        code = _text(row.get(c.FORM_ID)) or "NATIONAL"
        if not re.fullmatch(r"[A-Za-z0-9_-]{1,32}", code):
            self.problem(table, number, c.FORM_ID, _("A form_id of letters, digits, “_” and “-” (at most 32)."))
        title = self.translations(table, row, c.FORM_TITLE)
        title_vi = title.get("vi") or _text(row.get(c.FORM_TITLE)) or code
        scheme = _text(row.get(c.SCHEME)) or None
        if scheme:
            from ..models import ScoringScheme

            if not ScoringScheme.objects.filter(code=scheme).exists():
                self.problem(table, number, c.SCHEME, _("No scoring scheme “%(code)s”.") % {"code": scheme[:40]})
        return {
            "code": code,
            "title": {"vi": title_vi[:200], "en": (title.get("en") or _text(row.get(c.TITLE_EN)))[:200]},
            "source": _text(row.get(c.SOURCE)),
            "scoring_scheme": scheme,
        }

    # --- choices ----------------------------------------------------------------------------
    def choice_lists(self) -> dict[str, list[dict[str, Any]]]:
        table = self.t["choices"]
        list_header, name_header = table.header("list_name"), table.header("name")
        lists: dict[str, list[dict[str, Any]]] = {}
        for number, row in table.rows:
            list_name = _text(row.get(list_header)) if list_header else ""
            name = _text(row.get(name_header)) if name_header else ""
            if not list_name or not name:
                continue
            label = self.translations(table, row, "label")
            if not label.get("vi"):
                self.problem(table, number, c.translated("label", "vi"), _("Each choice needs a label in Vietnamese."))
            score = self.number(table, number, row, c.SCORE) or Decimal(0)
            if score != int(score) or not 0 <= score <= 5:
                self.problem(table, number, c.SCORE, _("A choice's score is a whole number from 0 to 5."))
            lists.setdefault(list_name, []).append(
                {
                    "code": name[:48],
                    "label": {"vi": label.get("vi", "")[:255], "en": label.get("en", "")[:255]},
                    "score": int(score) if score == int(score) else 0,
                    "exclusive": c.is_yes(row.get(c.EXCLUSIVE)),
                }
            )
        return lists

    # --- survey -----------------------------------------------------------------------------
    def pillars(self, lists: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
        table = self.t["survey"]
        type_header = table.header(c.TYPE) or c.TYPE
        pillars: list[dict[str, Any]] = []
        current: dict[str, Any] | None = None
        for number, row in table.rows:
            tokens = _text(row.get(type_header)).split()
            kind = " ".join(tokens).lower()
            words = kind.replace("_", " ").split(" ")
            if words[:2] == ["begin", "group"]:
                if current is not None:
                    self.problem(table, number, c.TYPE, _("A group inside a group: CoopDX's parts are not nested."))
                current = self.pillar(table, number, row)
                pillars.append(current)
            elif words[:2] == ["end", "group"]:
                current = None
            elif not kind or kind in c.METADATA_TYPES:
                continue
            elif current is None:
                self.problem(
                    table, number, c.TYPE, _("A question outside a group: each question belongs to a part (a group).")
                )
            else:
                question = self.question(table, number, row, tokens, lists)
                if question:
                    current["questions"].append(question)
        for pillar in pillars:
            if not pillar["questions"]:
                self.problem(table, pillar.pop("_row"), c.NAME, _("The group has no question CoopDX can ask."))
            pillar.pop("_row", None)
        if not pillars and not self.problems:
            self.problem(table, None, c.TYPE, _("The form has no group of questions."))
        return pillars

    def pillar(self, table: _Table, number: int, row: dict[str, Cell]) -> dict[str, Any]:
        name = self.translations(table, row, "label")
        if not name.get("vi"):
            self.problem(table, number, c.translated("label", "vi"), _("Each group needs a label in Vietnamese."))
        weight = self.number(table, number, row, c.WEIGHT)
        return {
            "_row": number,
            "code": _text(row.get(c.NAME))[:32],
            "name": {"vi": name.get("vi", "")[:200], "en": name.get("en", "")[:200]},
            "weight": weight if weight is not None else Decimal(1),
            "questions": [],
        }

    def question(
        self, table: _Table, number: int, row: dict[str, Cell], tokens: list[str], lists: dict[str, list[Any]]
    ) -> dict[str, Any] | None:
        # "select_one LIST", "select one LIST", "select one from LIST" (older forms); the list's
        # name keeps its case.
        lowered = [t.lower() for t in tokens]
        head = 1 if lowered[0] in ("select_one", "select_multiple") else 2 if lowered[:1] == ["select"] else 0
        select = lowered[0].replace("select_", "") if head == 1 else lowered[1] if head == 2 else ""
        rest = [t for t in tokens[head:] if t.lower() != "from"] if head else []
        words = lowered if not head else ["select", select, *rest]
        if head and select in ("one", "multiple") and len(rest) == 1:
            kind = "multiple" if select == "multiple" else "single"
            if kind == "single" and _text(row.get(c.KIND)) == "yes_no":
                kind = "yes_no"
        elif words in (["integer"], ["decimal"]):
            kind = "number"
        elif words == ["text"]:
            kind = "text"
        else:
            self.problem(
                table,
                number,
                c.TYPE,
                _(
                    "CoopDX cannot ask a question of type “%(type)s”: it takes select_one, select_multiple, "
                    "integer, decimal and text."
                )
                % {"type": " ".join(words)[:60]},
            )
            return None
        label = self.translations(table, row, "label")
        if not label.get("vi"):
            self.problem(table, number, c.translated("label", "vi"), _("Each question needs a label in Vietnamese."))
        options = lists.get(words[2], []) if kind in ("single", "yes_no", "multiple") else []
        question: dict[str, Any] = {
            "_row": number,
            "code": _text(row.get(c.NAME))[:48],
            "kind": kind,
            "text": label,
            "help": self.translations(table, row, c.HINT),
            "unit": {"vi": _text(row.get(f"{c.UNIT}_vi"))[:50], "en": _text(row.get(f"{c.UNIT}_en"))[:50]},
            "required": c.is_yes(row.get(c.REQUIRED)),
            "options": [dict(o) for o in options],
            "integer": words == ["integer"],
            "min": self.number(table, number, row, c.MINIMUM),
            "max": self.number(table, number, row, c.MAXIMUM),
            "relevant": _text(row.get(table.header(c.RELEVANT) or c.RELEVANT)),
            "constraint": _text(row.get(table.header(c.CONSTRAINT) or c.CONSTRAINT)),
            "constraint_message": self.translations(table, row, c.CONSTRAINT_MESSAGE),
            "bands": self.bands(table, number, row) if kind == "number" else [],
        }
        max_score = self.number(table, number, row, c.MAX_SCORE)
        question["max_score"] = int(max_score) if max_score is not None else None
        scored_cell = _text(row.get(c.SCORED))
        has_scores = bool(question["bands"]) or any(o["score"] for o in options)
        question["scored"] = c.is_yes(scored_cell) if scored_cell else (kind != "text" and has_scores)
        weight = self.number(table, number, row, c.WEIGHT)
        question["weight"] = weight if weight is not None else Decimal(1 if question["scored"] else 0)
        if weight is not None and not 0 <= weight < 1000:
            self.problem(table, number, c.WEIGHT, _("A weight from 0 to 999."))
        return question

    def bands(self, table: _Table, number: int, row: dict[str, Cell]) -> list[list[Any]]:
        """``0=0; 1=1; 10=2`` (from this answer up, this score) → ``[[0, 0], [1, 1], [10, 2]]``."""
        text = _text(row.get(c.BANDS))
        if not text:
            return []
        bands: list[list[Any]] = []
        for part in filter(None, (p.strip() for p in text.split(";"))):
            match = re.fullmatch(r"(-?\d+(?:[.,]\d+)?)\s*=\s*([0-5])", part)
            if not match:
                self.problem(
                    table, number, c.BANDS, _("Bands are written “0=0; 10=2; 30=3”: from an answer, a score 0–5.")
                )
                return []
            minimum = Decimal(match.group(1).replace(",", "."))
            if bands and minimum <= Decimal(str(bands[-1][0])):
                self.problem(table, number, c.BANDS, _("Each band starts above the previous one."))
                return []
            bands.append([int(minimum) if minimum == int(minimum) else float(minimum), int(match.group(2))])
        return bands

    # --- CoopDX's own sheets ----------------------------------------------------------------
    def advice(self, pillars: list[dict[str, Any]]) -> None:
        table = self.t[c.ADVICE_SHEET]
        by_code = {p["code"]: p for p in pillars}
        for number, row in table.rows:
            code, level = _text(row.get("pillar")), _text(row.get("level"))
            if code not in by_code:
                self.problem(
                    table, number, "pillar", _("No group “%(code)s” in the survey sheet.") % {"code": code[:40]}
                )
            elif level not in {str(n) for n in range(6)}:
                self.problem(table, number, "level", _("A level from 0 to 5."))
            else:
                text = {"vi": _text(row.get("text_vi")), "en": _text(row.get("text_en"))}
                by_code[code].setdefault("advice", {})[level] = text

    def rules(self) -> list[dict[str, Any]]:
        table = self.t[c.RULES_SHEET]
        found = []
        for number, row in table.rows:
            severity = _text(row.get("severity")) or "error"
            if severity not in ("error", "warning"):
                self.problem(table, number, "severity", _("A severity of “error” or “warning”."))
            found.append(
                {
                    "_row": number,
                    "code": _text(row.get("code"))[:48],
                    "severity": severity,
                    "when": _text(row.get("when")),
                    "must": _text(row.get("must")),
                    "message": {"vi": _text(row.get("message_vi")), "en": _text(row.get("message_en"))},
                }
            )
        return found

    # --- conditions, read against the questions before each ------------------------------------
    def check_logic(self, pillars: list[dict[str, Any]], rules: list[dict[str, Any]]) -> None:
        survey = self.t["survey"]
        facts: dict[str, QuestionFacts] = {}
        for q in (q for p in pillars for q in p["questions"]):
            itself = QuestionFacts(kind=q["kind"], options=frozenset(o["code"] for o in q["options"]))
            try:
                logic_expressions(
                    code=q["code"], relevant=q["relevant"], constraint=q["constraint"], earlier=facts, itself=itself
                )
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    self.problem(survey, q["_row"], field, " ".join(messages))
            facts[q["code"]] = itself
        for rule in rules:
            for column in ("when", "must"):
                if rule[column] or column == "must":
                    try:
                        parse(rule[column], facts)
                    except ValidationError as error:
                        self.problem(self.t[c.RULES_SHEET], rule["_row"], column, " ".join(error.messages))


def read_xlsform(filename: str, content: bytes) -> dict[str, Any]:
    """The questionnaire version a workbook describes (without its version number), or
    ``XLSFormRefused`` listing every problem with its sheet, row and column."""
    tables = _open(filename, content)
    pyxform = _pyxform_problems(content)
    if pyxform:
        raise XLSFormRefused(pyxform)
    reader = _Reader(tables)
    data = reader.settings()
    lists = reader.choice_lists()
    data["pillars"] = reader.pillars(lists)
    reader.advice(data["pillars"])
    data["rules"] = reader.rules()
    if not reader.problems:
        reader.check_logic(data["pillars"], data["rules"])
    if reader.problems:
        raise XLSFormRefused(reader.problems)
    for item in (q for p in data["pillars"] for q in p["questions"]):
        item.pop("_row", None)
    for rule in data["rules"]:
        rule.pop("_row", None)
    return data
