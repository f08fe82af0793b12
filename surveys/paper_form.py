"""The round's paper form: an XLSX workbook officers print, fill in or type into, and import.

Sheets: instructions first; the answer sheet with the province's cooperatives pre-filled (code
and name) and, on every question's column, a drop-down of its Vietnamese option labels or the
input rule of its number; the questions and their options explained; a hidden sheet holding the
drop-downs' lists. The paper import (``surveys.importing``) reads labels or codes, ignores the
names and leaves a pre-filled row nobody answered as it was.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable

from django.utils import translation
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from cooperatives.models import Cooperative

from .addons import addon_part_name, addon_questions
from .answers import AskedQuestion, number_bounds_message
from .importing import ANSWER_SHEET, CODE_HEADER, NAME_HEADER
from .models import NUMBER_KINDS, AddOnKind, AddOnQuestion, Question, QuestionKind, SurveyRound

LISTS = "Danh sách"
ADDON_FILL = PatternFill("solid", fgColor="FFF2CC")  # the header of a province's add-on question
MIN_ROWS = 500  # rows with drop-downs beyond the pre-filled ones, for cooperatives added by hand
HOW = {
    QuestionKind.SINGLE: "chọn một phương án trong danh sách",
    QuestionKind.YES_NO: "chọn Có hoặc Không trong danh sách",
    QuestionKind.MULTIPLE: "chọn một phương án, hoặc gõ nhiều phương án cách nhau bằng dấu ;",
    QuestionKind.TEXT: "văn bản ngắn",
    AddOnKind.INTEGER: "số nguyên, từ 0 trở lên",
    AddOnKind.DECIMAL: "số, từ 0 trở lên (tối đa hai chữ số thập phân)",
}


def response_template(survey_round: SurveyRound, cooperatives: Iterable[Cooperative]) -> tempfile.SpooledTemporaryFile:
    questions = list(
        Question.objects.filter(questionnaire=survey_round.questionnaire)
        .select_related("pillar")
        .prefetch_related("options")
        .order_by("pillar__position", "position")
    )
    # A provincial round's add-on questions follow the national ones, in columns of their own.
    parts: list[tuple[AskedQuestion, str]] = [(q, q.pillar.name_vi) for q in questions]
    with translation.override("vi"):
        parts += [(q, addon_part_name(survey_round)) for q in addon_questions(survey_round)]
    workbook = Workbook()
    _instructions(workbook.active, survey_round)
    sheet = workbook.create_sheet(ANSWER_SHEET)
    sheet.append([CODE_HEADER, NAME_HEADER, *[q.code for q, _part in parts]])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "C2"
    sheet.column_dimensions["B"].width = 40
    for cooperative in cooperatives:
        sheet.append([cooperative.code, cooperative.name])
    last_row = max(sheet.max_row, 1) + MIN_ROWS
    lists = workbook.create_sheet(LISTS)
    lists.sheet_state = "hidden"
    for offset, (question, _part) in enumerate(parts):
        column = get_column_letter(offset + 3)
        if isinstance(question, AddOnQuestion):
            sheet.cell(row=1, column=offset + 3).fill = ADDON_FILL  # the province's own: marked apart
        sheet.column_dimensions[column].width = 24
        rule = _rule(question, lists, offset + 1)
        if rule is not None:
            sheet.add_data_validation(rule)
            rule.add(f"{column}2:{column}{last_row}")
    _guide(workbook.create_sheet("Câu hỏi"), parts)
    handle = tempfile.SpooledTemporaryFile(max_size=4 * 1024 * 1024)  # noqa: SIM115 - FileResponse closes it
    workbook.save(handle)
    handle.seek(0)
    return handle


def _rule(question: AskedQuestion, lists, list_column: int) -> DataValidation | None:
    """The column's drop-down (choices, from the hidden sheet) or input rule (numbers)."""
    if question.kind in (QuestionKind.SINGLE, QuestionKind.YES_NO, QuestionKind.MULTIPLE):
        labels = [option.label_vi for option in question.options.all()]
        letter = get_column_letter(list_column)
        lists.cell(row=1, column=list_column, value=question.code)
        for row, label in enumerate(labels, start=2):
            lists.cell(row=row, column=list_column, value=label)
        rule = DataValidation(
            type="list",
            formula1=f"{quote_sheetname(LISTS)}!${letter}$2:${letter}${len(labels) + 1}",
            allow_blank=True,
        )
        rule.prompt, rule.promptTitle = HOW[question.kind], question.code
        if question.kind == QuestionKind.MULTIPLE:
            rule.errorStyle = "information"  # several labels typed with ";" are allowed
        else:
            rule.error, rule.errorTitle = "Hãy chọn một phương án trong danh sách.", question.code
        return rule
    if question.kind in NUMBER_KINDS:
        low, high = question.min_value, question.max_value
        if low is None and high is None:
            return None
        rule = DataValidation(type="whole" if question.integer_only else "decimal", allow_blank=True)
        if low is not None and high is not None:
            rule.operator, rule.formula1, rule.formula2 = "between", str(low), str(high)
        elif low is not None:
            rule.operator, rule.formula1 = "greaterThanOrEqual", str(low)
        else:
            rule.operator, rule.formula1 = "lessThanOrEqual", str(high)
        with translation.override("vi"):
            rule.error = number_bounds_message(question)
        rule.errorTitle = question.code
        return rule
    return None


def _instructions(sheet, survey_round: SurveyRound) -> None:
    sheet.title = "Hướng dẫn"
    lines = [
        f"Phiếu tự đánh giá chuyển đổi số: {survey_round.name_vi} ({survey_round.code})",
        "",
        "1. Mỗi hợp tác xã một dòng ở trang \u201cPhiếu\u201d. Các HTX của tỉnh đã có sẵn mã số và tên; "
        "HTX khác: ghi mã số HTX ở cột A.",
        "2. Ở mỗi cột câu hỏi, bấm vào ô và chọn phương án trong danh sách thả xuống. Câu nhiều lựa chọn: "
        "chọn một phương án, hoặc gõ nhiều phương án cách nhau bằng dấu ;.",
        "3. Câu hỏi về số: nhập một số trong khoảng cho phép (Excel báo lỗi nếu ngoài khoảng).",
        "4. Nội dung từng câu hỏi và các phương án ở trang \u201cCâu hỏi\u201d.",
        "5. Dòng không có câu trả lời nào được bỏ qua khi nhập; không cần xoá.",
        "6. Nhập tệp ở trang đợt khảo sát: hệ thống kiểm tra toàn bộ tệp, báo lỗi theo dòng và cột, "
        "và chỉ ghi khi không còn lỗi.",
    ]
    if survey_round.province_id:
        lines.append(
            "7. Các cột có tiêu đề tô vàng (nếu có) là câu hỏi bổ sung của tỉnh, sau các câu hỏi toàn quốc: "
            "không tính vào điểm và mức độ trưởng thành."
        )
    for line in lines:
        sheet.append([line])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.column_dimensions["A"].width = 110
    for row in sheet.iter_rows():
        row[0].alignment = Alignment(wrap_text=True, vertical="top")


def _guide(guide, parts: list[tuple[AskedQuestion, str]]) -> None:
    guide.append(["Mã câu hỏi", "Trụ cột", "Câu hỏi", "Cách ghi", "Mã phương án", "Phương án"])
    for cell in guide[1]:
        cell.font = Font(bold=True)
    for question, part in parts:
        how = HOW.get(question.kind) or _number_how(question)
        if isinstance(question, AddOnQuestion):
            how += " (bắt buộc)" if question.required else " (không bắt buộc)"
        options = list(question.options.all())
        first = options[0] if options else None
        guide.append(
            [
                question.code,
                part,
                question.text_vi,
                how,
                first.code if first else "",
                first.label_vi if first else "",
            ]
        )
        for option in options[1:]:
            guide.append(["", "", "", "", option.code, option.label_vi])


def _number_how(question: AskedQuestion) -> str:
    """How to write a number answer, with its bounds, as the guide sheet says it (in Vietnamese)."""
    with translation.override("vi"):
        message = number_bounds_message(question)
    how = message.removeprefix("Nhập ").removeprefix("Vui lòng nhập ").rstrip(".")
    unit = getattr(question, "unit_vi", "")
    return how + (f" ({unit})" if unit else "")
