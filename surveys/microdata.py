"""Microdata: responses with every answer, one row per response, and the data dictionary that
says what each column holds.

A row: the round, the cooperative (code, name, province, ward, sector), status, dates, score,
level and the pillar scores, then one column per question (codes of the chosen options, several
joined by ``;``, a number or a text), then, for a provincial round, one column per add-on question
of the province, named ``addon_<code>`` (never scored: docs/scoring.md). The rows are read in
ordered streams (responses, answers, chosen options, pillar scores, add-on answers and their
options) with ``values_list().iterator(chunk_size=)`` and merged
by response: a handful of queries and bounded memory whatever the number of responses, never a
model object per row. Used by the officers' Excel download and by the export jobs (CSV, NDJSON).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from coopdx.exports import neutralise

from .models import (
    AddOnAnswer,
    AddOnKind,
    AddOnQuestion,
    Answer,
    PillarScore,
    Question,
    QuestionKind,
    Response,
    ResponseStatus,
)

CHUNK_SIZE = 2000
DICTIONARY_SHEET = "Từ điển dữ liệu"
FIXED = (
    # (column, Vietnamese, English, type)
    ("round", "Mã đợt khảo sát", "Survey round code", "text"),
    ("cooperative_code", "Mã số HTX", "Cooperative code", "text"),
    ("cooperative_name", "Tên hợp tác xã", "Cooperative name", "text"),
    ("province_code", "Mã tỉnh/thành phố", "Province code", "text"),
    ("province", "Tỉnh/thành phố", "Province", "text"),
    ("ward_code", "Mã xã/phường", "Ward/commune code", "text"),
    ("ward", "Xã/phường", "Ward/commune", "text"),
    ("sector", "Lĩnh vực", "Sector", "text"),
    ("status", "Trạng thái", "Status", "code"),
    ("created_at", "Thời điểm tạo phiếu", "Created", "datetime"),
    ("submitted_at", "Thời điểm gửi", "Submitted", "datetime"),
    ("reviewed_at", "Thời điểm duyệt", "Reviewed", "datetime"),
    ("score", "Điểm", "Score (0-100)", "number"),
    ("level", "Mức trưởng thành số", "Digital maturity level (0-5)", "integer"),
)
RESPONSE_FIELDS = (
    "pk",
    "round__code",
    "cooperative__code",
    "cooperative__name",
    "cooperative__province__code",
    "cooperative__province__name",
    "cooperative__ward__code",
    "cooperative__ward__name",
    "cooperative__sector__name",
    "status",
    "created_at",
    "submitted_at",
    "reviewed_at",
    "score",
    "level",
)


@dataclass
class Layout:
    """The columns of a set of questionnaires: pillar codes, then question codes, in order."""

    pillars: list[str] = field(default_factory=list)
    questions: list[dict[str, Any]] = field(default_factory=list)
    # A provincial round's add-on questions: (round id, code) → column, after the national ones.
    addons: dict[tuple[int, str], dict[str, Any]] = field(default_factory=dict)

    @property
    def header(self) -> list[str]:
        fixed = [name for name, *_rest in FIXED] + [f"pillar_{code}" for code in self.pillars]
        return fixed + self.question_codes + [a["column"] for a in self.addons.values()]

    @property
    def question_codes(self) -> list[str]:
        return [q["code"] for q in self.questions]


def microdata_layout(*, questionnaire_ids: Iterable[int], round_ids: Iterable[int] = ()) -> Layout:
    """The columns of the questionnaires' questions (a code shared by versions is one column), and
    of the add-on questions of the rounds among ``round_ids`` that have some."""
    layout = Layout()
    addons = list(
        AddOnQuestion.objects.filter(round_id__in=list(round_ids))
        .select_related("round")
        .prefetch_related("options")
        .order_by("round__code", "position", "pk")
    )
    shared = {q.code for q in addons if sum(1 for other in addons if other.code == q.code) > 1}
    for addon in addons:
        layout.addons[(addon.round_id, addon.code)] = {
            "column": f"addon_{addon.round.code}_{addon.code}" if addon.code in shared else f"addon_{addon.code}",
            "text_vi": f"[Câu hỏi bổ sung của tỉnh, không tính điểm] {addon.text_vi}",
            "text_en": f"[Provincial add-on question, not scored] {addon.text_en or addon.text_vi}",
            "kind": addon.kind,
            "options": [(o.code, o.label_vi, o.label_en) for o in addon.options.all()],
        }
    questions = (
        Question.objects.filter(questionnaire_id__in=list(questionnaire_ids))
        .select_related("pillar")
        .prefetch_related("options")
        .order_by("questionnaire_id", "pillar__position", "position", "pk")
    )
    seen: set[str] = set()
    for question in questions:
        if question.pillar.code not in layout.pillars:
            layout.pillars.append(question.pillar.code)
        if question.code in seen:
            continue
        seen.add(question.code)
        layout.questions.append(
            {
                "code": question.code,
                "text_vi": question.text_vi,
                "text_en": question.text_en,
                "kind": question.kind,
                "options": [(o.code, o.label_vi, o.label_en) for o in question.options.all()],
            }
        )
    return layout


def microdata_dictionary(layout: Layout) -> Iterator[list[object]]:
    """The data dictionary: every column with its question text (vi, en), type, codes and labels."""
    yield ["column", "text_vi", "text_en", "type", "codes"]
    statuses = "; ".join(f"{s.value} = {s.label}" for s in ResponseStatus)
    for name, text_vi, text_en, kind in FIXED:
        yield [name, text_vi, text_en, kind, statuses if name == "status" else ""]
    for code in layout.pillars:
        yield [f"pillar_{code}", f"Điểm trụ cột {code}", f"Pillar {code} score (0-100)", "number", ""]
    kinds = {
        QuestionKind.NUMBER: "number",
        QuestionKind.TEXT: "text",
        QuestionKind.MULTIPLE: "codes (;)",
        AddOnKind.INTEGER: "integer",
        AddOnKind.DECIMAL: "number",
    }
    for question in [*layout.questions, *layout.addons.values()]:
        codes = "; ".join(f"{code} = {vi}" + (f" / {en}" if en else "") for code, vi, en in question["options"])
        yield [
            question.get("column", question.get("code")),
            question["text_vi"],
            question["text_en"],
            kinds.get(question["kind"], "code"),
            codes,
        ]


class _Stream:
    """An iterator of rows ordered by their first value (the response), read group by group."""

    def __init__(self, rows: Iterator[tuple[Any, ...]]) -> None:
        self.rows = rows
        self.head = next(rows, None)

    def take(self, key: int) -> list[tuple[Any, ...]]:
        taken = []
        while self.head is not None and self.head[0] <= key:
            if self.head[0] == key:
                taken.append(self.head)
            self.head = next(self.rows, None)
        return taken


def microdata_rows(*, responses: QuerySet[Response], layout: Layout) -> Iterator[list[object]]:
    """The header, then one row per response of ``responses`` (already scoped to the reader)."""
    ids = responses.order_by().values("pk")
    main = responses.order_by("pk").values_list(*RESPONSE_FIELDS).iterator(chunk_size=CHUNK_SIZE)
    answers = _Stream(
        Answer.objects.filter(response__in=ids)
        .order_by("response_id", "pk")
        .values_list("response_id", "pk", "question__code", "number", "text")
        .iterator(chunk_size=CHUNK_SIZE)
    )
    chosen = _Stream(
        Answer.options.through.objects.filter(answer__response__in=ids)
        .order_by("answer__response_id", "answer_id", "option__position", "option__code")
        .values_list("answer__response_id", "answer_id", "option__code")
        .iterator(chunk_size=CHUNK_SIZE)
    )
    pillars = _Stream(
        PillarScore.objects.filter(response__in=ids)
        .order_by("response_id")
        .values_list("response_id", "pillar_code", "score")
        .iterator(chunk_size=CHUNK_SIZE)
    )
    addon_answers = _Stream(
        AddOnAnswer.objects.filter(response__in=ids)
        .order_by("response_id", "pk")
        .values_list("response_id", "pk", "response__round_id", "question__code", "number", "text")
        .iterator(chunk_size=CHUNK_SIZE)
        if layout.addons
        else iter(())
    )
    addon_chosen = _Stream(
        AddOnAnswer.options.through.objects.filter(addonanswer__response__in=ids)
        .order_by("addonanswer__response_id", "addonanswer_id", "addonoption__position", "addonoption__code")
        .values_list("addonanswer__response_id", "addonanswer_id", "addonoption__code")
        .iterator(chunk_size=CHUNK_SIZE)
        if layout.addons
        else iter(())
    )
    header: list[object] = [*layout.header]
    yield header
    question_codes = layout.question_codes
    for values in main:
        pk = values[0]
        codes: dict[int, list[str]] = {}
        for _response, answer_id, option_code in chosen.take(pk):
            codes.setdefault(answer_id, []).append(option_code)
        answered: dict[str, object] = {}
        for _response, answer_id, question_code, number, text in answers.take(pk):
            answered[question_code] = _cell(codes.get(answer_id), number, text)
        scores = {code: score for _response, code, score in pillars.take(pk)}
        row = [*values[1:], *(scores.get(code) for code in layout.pillars)]
        row += [answered.get(code) for code in question_codes]
        if layout.addons:
            addon_codes: dict[int, list[str]] = {}
            for _response, answer_id, option_code in addon_chosen.take(pk):
                addon_codes.setdefault(answer_id, []).append(option_code)
            provincial = {
                (round_id, code): _cell(addon_codes.get(answer_id), number, text)
                for _response, answer_id, round_id, code, number, text in addon_answers.take(pk)
            }
            row += [provincial.get(key) for key in layout.addons]
        yield [neutralise(value) for value in row]


def _cell(options: list[str] | None, number: object, text: str) -> object:
    """An answer's cell: the chosen options' codes joined by ";", else the number or the text."""
    if options:
        return ";".join(options)
    return number if number is not None else (text or None)


def microdata_workbook(*, responses: QuerySet[Response], layout: Layout, rows: Iterator[list[object]] | None = None):
    """The responses as an Excel workbook (openpyxl write-only, spooled to disk): the rows, then
    the sheet "Từ điển dữ liệu"."""
    import openpyxl
    from openpyxl.cell import WriteOnlyCell

    from coopdx.exports import export_value

    workbook = openpyxl.Workbook(write_only=True)
    for title, lines in (
        ("Phiếu", rows if rows is not None else microdata_rows(responses=responses, layout=layout)),
        (DICTIONARY_SHEET, microdata_dictionary(layout)),
    ):
        sheet = workbook.create_sheet(title)
        for line in lines:
            cells = []
            for raw in line:
                value: Any = export_value(raw)
                if hasattr(value, "tzinfo") and value.tzinfo is not None:
                    value = value.replace(tzinfo=None)  # Viet Nam time: Excel has no zones
                cell = WriteOnlyCell(sheet, value="" if value is None else value)
                if isinstance(value, str):
                    cell.data_type = "s"  # never a formula
                cells.append(cell)
            sheet.append(cells)
    handle = tempfile.SpooledTemporaryFile(max_size=32 * 1024 * 1024)  # noqa: SIM115 - FileResponse closes it
    workbook.save(handle)
    handle.seek(0)
    return handle
