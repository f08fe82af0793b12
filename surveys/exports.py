"""A round's files to download. Its cooperatives as a spreadsheet: the round page's list with who
entered, submitted and reviewed each response, for officers to follow up, call or print, written
by the shared writers (``coopdx.exports``): Viet Nam time, whole numbers as integers. And the
blank template of its paper self-assessment, which the paper import reads back."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from coopdx.exports import neutralise
from cooperatives.models import Cooperative

from .answers import number_bounds_message
from .importing import CODE_HEADER
from .models import Question, Response, ResponseStatus, SurveyRound

if TYPE_CHECKING:
    from accounts.models import User

HEADERS = (
    "Mã số HTX",
    "Tên hợp tác xã",
    "Xã/Phường",
    "Số điện thoại",
    "Email",
    "Người đại diện",
    "Trạng thái",
    "Điểm",
    "Mức",
    "Người nhập",
    "Cán bộ nhập thay",
    "Người gửi",
    "Thời điểm gửi",
    "Người duyệt",
    "Thời điểm duyệt",
)


def _name(user: User | None) -> str:
    return (user.get_full_name() or user.username) if user else ""


def round_export_rows(*, survey_round: SurveyRound, cooperatives: QuerySet[Cooperative]) -> Iterator[list[object]]:
    """The header, then one row per cooperative of ``cooperatives`` (the round page's filtered
    list): two queries whatever the number of rows."""
    responses = {
        r.cooperative_id: r
        for r in Response.objects.filter(round=survey_round, cooperative__in=cooperatives.values("pk")).select_related(
            "entered_by", "submitted_by", "reviewed_by"
        )
    }
    with translation.override("vi"):
        states = {"not_started": _("Not started"), **{s.value: str(s.label) for s in ResponseStatus}}
        yield list(HEADERS)
        for cooperative in cooperatives.iterator(chunk_size=2000):
            response = responses.get(cooperative.pk)
            row: list[object] = [
                cooperative.code,
                cooperative.name,
                cooperative.ward.name if cooperative.ward_id else "",
                cooperative.phone,
                cooperative.email,
                cooperative.representative,
                states[response.status if response else "not_started"],
            ]
            if response:
                row += [
                    response.score,
                    response.level,
                    _name(response.entered_by),
                    "có" if response.is_proxy else "",
                    _name(response.submitted_by),
                    response.submitted_at,
                    _name(response.reviewed_by),
                    response.reviewed_at,
                ]
            else:
                row += [None] * 8
            yield [neutralise(value) for value in row]


def response_template(survey_round: SurveyRound) -> tempfile.SpooledTemporaryFile:
    """An XLSX template for a round: the answer sheet, then each question's codes explained."""
    import openpyxl
    from openpyxl.styles import Font

    questions = list(
        Question.objects.filter(questionnaire=survey_round.questionnaire)
        .select_related("pillar")
        .prefetch_related("options")
    )
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Phiếu"
    sheet.append([CODE_HEADER, *[q.code for q in questions]])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "B2"
    guide = workbook.create_sheet("Câu hỏi")
    guide.append(["Mã câu hỏi", "Trụ cột", "Câu hỏi", "Cách ghi", "Mã phương án", "Phương án"])
    for question in questions:
        how = {
            "single": "một mã phương án",
            "yes_no": "yes hoặc no",
            "multiple": "một hoặc nhiều mã, cách nhau bằng dấu ;",
            "number": _number_how(question),
            "text": "văn bản ngắn",
        }[question.kind]
        options = list(question.options.all())
        guide.append(
            [
                question.code,
                question.pillar.name_vi,
                question.text_vi,
                how,
                options[0].code if options else "",
                options[0].label_vi if options else "",
            ]
        )
        for option in options[1:]:
            guide.append(["", "", "", "", option.code, option.label_vi])
    handle = tempfile.SpooledTemporaryFile(max_size=4 * 1024 * 1024)  # noqa: SIM115 - FileResponse closes it
    workbook.save(handle)
    handle.seek(0)
    return handle


def _number_how(question: Question) -> str:
    """How to write a number answer, with its bounds, as the guide sheet says it (in Vietnamese)."""
    with translation.override("vi"):
        message = number_bounds_message(question)
    # "Nhập một số nguyên từ 0 đến 1.000." → "một số nguyên từ 0 đến 1.000"
    how = message.removeprefix("Nhập ").removeprefix("Vui lòng nhập ").rstrip(".")
    return how + (f" ({question.unit_vi})" if question.unit_vi else "")
