"""Questionnaire versions in and out as XLSForm: the national version's round trip (its diff is empty
and every stored response scores the same), workbooks written elsewhere, and the refusals that name
their sheet, row and column."""

from __future__ import annotations

import io
import random
from pathlib import Path

import openpyxl
import pytest
from django.utils import translation

from surveys.diff import questionnaire_diff
from surveys.models import Question, Response
from surveys.questionnaires import questionnaire_publish, questionnaire_spec
from surveys.scoring import score_response
from surveys.services import response_answer_values, response_save_answers, response_start, response_submit
from surveys.xlsform import XLSFormRefused, questionnaire_export_xlsform, questionnaire_import_xlsform
from tests.factories import CooperativeFactory

pytestmark = pytest.mark.django_db

OUTSIDE = Path(__file__).parent / "xlsform"


def markdown_workbook(text: str) -> bytes:
    """An .xlsx of a form kept as pyxform's test suite keeps them: a markdown table per sheet."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    sheet = None
    for line in text.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if cells[0]:
            sheet = book.create_sheet(cells[0])
        elif sheet is not None:
            sheet.append(cells[1:])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def workbook(sheets: dict[str, list[list[object]]]) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def refusal(content: bytes, filename: str = "form.xlsx") -> list[tuple[str, int | None, str | None]]:
    with pytest.raises(XLSFormRefused) as refused:
        questionnaire_import_xlsform(filename=filename, content=content)
    return [(p.sheet, p.row, p.column) for p in refused.value.problems]


def random_answers(questionnaire, seed):
    rng = random.Random(seed)
    answers = {}
    for question in Question.objects.filter(questionnaire=questionnaire).prefetch_related("options"):
        codes = [o.code for o in question.options.all() if not o.exclusive]
        if question.kind in ("single", "yes_no"):
            answers[question.code] = rng.choice([o.code for o in question.options.all()])
        elif question.kind == "multiple":
            answers[question.code] = rng.sample(codes, rng.randint(1, len(codes)))
        elif question.kind == "number":
            top = question.max_value if question.max_value is not None else 500
            answers[question.code] = str(rng.randint(0, int(top)))
        else:
            answers[question.code] = "Thiếu vốn"
    return answers


def test_the_national_version_goes_out_and_back_unchanged_and_scores_every_response_the_same(
    questionnaire, open_round, officer_a, province_a
):
    stored = []
    for seed in range(12):
        cooperative = CooperativeFactory(province=province_a)
        response = response_start(survey_round=open_round, cooperative=cooperative, by=officer_a)
        response_save_answers(response=response, answers=random_answers(questionnaire, seed), by=officer_a)
        stored.append(response_submit(response=response, by=officer_a, confirm_warnings=True))

    content = questionnaire_export_xlsform(questionnaire)
    again = questionnaire_import_xlsform(filename="national.xlsx", content=content)
    assert (again.code, again.version, again.published_at) == ("NATIONAL", 2, None)
    assert questionnaire_diff(questionnaire, again) == []
    assert questionnaire_import_xlsform(filename="again.xlsx", content=questionnaire_export_xlsform(again)).version == 3
    again = questionnaire_publish(questionnaire=again)

    spec, scheme = questionnaire_spec(again), again.scoring_scheme.spec()
    assert again.scoring_scheme == questionnaire.scoring_scheme
    for response in stored:
        response = Response.objects.get(pk=response.pk)
        result = score_response(spec, response_answer_values(response), scheme)
        assert (result.score, result.level) == (response.score, response.level)
        assert result.pillar_scores == dict(response.pillar_scores.values_list("pillar_code", "score"))


def test_the_export_is_a_form_pyxform_reads_with_the_questions_in_their_parts(questionnaire):
    from pyxform.xls2xform import convert

    content = questionnaire_export_xlsform(questionnaire)
    form = convert(content, warnings=[]).xform
    assert 'id="NATIONAL"' in form and "DX_NEED" in form and "ONLINE_ORDERS" in form
    book = openpyxl.load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["survey", "choices", "coopdx_advice", "coopdx_rules", "settings"]
    rows = list(book["survey"].iter_rows(values_only=True))
    assert rows[1][:3] == ("begin_group", "STRATEGY", "Chiến lược")
    orders = next(row for row in rows if row[1] == "ONLINE_ORDERS")
    assert orders[0] == "integer" and orders[rows[0].index("coopdx_bands")] == "0=0; 1=1; 10=2; 30=3; 100=4; 300=5"


def test_a_skip_logic_version_keeps_its_conditions_through_the_round_trip(logic_round):
    version = logic_round.questionnaire
    again = questionnaire_import_xlsform(filename="v.xlsx", content=questionnaire_export_xlsform(version))
    assert questionnaire_diff(version, again) == []
    assert Question.objects.get(questionnaire=again, code="ONLINE_ORDERS").relevant == (
        "not(selected(${ONLINE_CHANNELS}, 'none'))"
    )


def test_the_diff_names_what_changed(questionnaire):
    draft = questionnaire_import_xlsform(filename="n.xlsx", content=questionnaire_export_xlsform(questionnaire))
    question = Question.objects.get(questionnaire=draft, code="DX_NEED")
    question.text_vi = "HTX có cần chuyển đổi số không?"
    question.relevant = ""
    question.save()
    option = question.options.get(code="unsure")
    option.score = 2
    option.save()
    Question.objects.filter(questionnaire=draft, code="SUPPORT_NEEDED").delete()
    changes = {(c.kind, c.code, str(c.what), c.before, c.after) for c in questionnaire_diff(questionnaire, draft)}
    with translation.override("en"):
        changes = {(c.kind, c.code, str(c.what), c.before, c.after) for c in questionnaire_diff(questionnaire, draft)}
    text = Question.objects.get(questionnaire=questionnaire, code="DX_NEED").text_vi
    assert changes == {
        ("reworded", "DX_NEED", "question (Vietnamese)", text, "HTX có cần chuyển đổi số không?"),
        ("scores", "DX_NEED/unsure", "score", "1", "2"),
        ("removed", "SUPPORT_NEEDED", "question", "SUPPORT_NEEDED", ""),
    }


def test_forms_written_elsewhere_are_refused_naming_sheet_row_and_column():
    # pyxform's own example forms (tests/surveys/xlsform/README.md): English labels only,
    # questions outside any group, a phone number question.
    group = markdown_workbook((OUTSIDE / "group.md").read_text(encoding="utf-8"))
    assert refusal(group) == [
        ("survey", 2, "type"),
        ("survey", 3, "label::Vietnamese (vi)"),
        ("survey", 4, "type"),
        ("survey", 5, "label::Vietnamese (vi)"),
    ]
    yes_no = markdown_workbook((OUTSIDE / "yes_or_no_question.md").read_text(encoding="utf-8"))
    assert refusal(yes_no) == [
        ("choices", 2, "label::Vietnamese (vi)"),
        ("choices", 3, "label::Vietnamese (vi)"),
        ("survey", 2, "type"),
    ]


LABEL_VI, LABEL_EN = "label::Vietnamese (vi)", "label::English (en)"
SURVEY_HEAD = [
    "type",
    "name",
    LABEL_VI,
    LABEL_EN,
    "required",
    "relevant",
    "constraint",
    "constraint_message::Vietnamese (vi)",
]


def maturity_form(*extra_rows, choices=None, settings=None):
    """A small digital-maturity form as a survey team would write it in Excel."""
    survey = [
        SURVEY_HEAD,
        ["begin_group", "SALES", "Bán hàng", "Sales", "", "", "", ""],
        ["select_one yesno", "SELLS_ONLINE", "HTX có bán hàng trực tuyến không?", "Sells online?", "yes", "", "", ""],
        [
            "integer",
            "ONLINE_SHARE",
            "Tỷ lệ doanh thu trực tuyến (%)",
            "Online share (%)",
            "yes",
            "${SELLS_ONLINE} = 'yes'",
            ". >= 0 and . <= 100",
            "Tỷ lệ từ 0 đến 100.",
        ],
        ["text", "NOTES", "Ghi chú", "Notes", "no", "", "", ""],
        *extra_rows,
        ["end_group", "", "", "", "", "", "", ""],
    ]
    return workbook(
        {
            "survey": survey,
            "choices": choices
            or [
                ["list_name", "name", LABEL_VI, LABEL_EN, "coopdx_score"],
                ["yesno", "yes", "Có", "Yes", 5],
                ["yesno", "no", "Không", "No", 0],
            ],
            "settings": settings
            or [["form_title", "form_id", "version"], ["Khảo sát mức độ chuyển đổi số", "DX_PILOT", "2025.1"]],
        }
    )


def test_a_form_written_in_excel_becomes_a_draft_whose_conditions_apply(member_a, coop_a):
    draft = questionnaire_import_xlsform(filename="pilot.xlsx", content=maturity_form())
    assert (draft.code, draft.version, draft.title_vi, draft.is_published) == (
        "DX_PILOT",
        1,
        "Khảo sát mức độ chuyển đổi số",
        False,
    )
    share = Question.objects.get(questionnaire=draft, code="ONLINE_SHARE")
    assert (share.kind, share.integer_only, share.required, share.scored) == ("number", True, True, False)
    assert share.relevant == "${SELLS_ONLINE} = 'yes'" and share.constraint_message_vi == "Tỷ lệ từ 0 đến 100."
    sells = Question.objects.get(questionnaire=draft, code="SELLS_ONLINE")
    assert [(o.code, o.label_vi, o.score) for o in sells.options.all()] == [("yes", "Có", 5), ("no", "Không", 0)]
    assert sells.scored and not Question.objects.get(questionnaire=draft, code="NOTES").scored
    spec = questionnaire_spec(draft)
    from decimal import Decimal

    from surveys.scoring import AnswerValue, hidden_codes
    from surveys.skip_logic import constraint_errors

    no = {"SELLS_ONLINE": AnswerValue(options=["no"]), "ONLINE_SHARE": AnswerValue(number=Decimal(150))}
    assert hidden_codes(spec, no) == {"ONLINE_SHARE"} and constraint_errors(spec, no) == {}
    yes = {**no, "SELLS_ONLINE": AnswerValue(options=["yes"])}
    assert constraint_errors(spec, yes) == {"ONLINE_SHARE": ["Tỷ lệ từ 0 đến 100."]}
    # A second upload of the same form_id is its next version.
    assert questionnaire_import_xlsform(filename="pilot.xlsx", content=maturity_form()).version == 2


@pytest.mark.parametrize(
    ("content", "where", "words"),
    [
        (
            lambda: maturity_form(["geopoint", "LOCATION", "Vị trí", "Location", "no", "", "", ""]),
            [("survey", 6, "type")],
            "CoopDX cannot ask a question of type “geopoint”",
        ),
        (
            lambda: maturity_form(
                ["integer", "EARLY", "Sớm", "Early", "yes", "${LATE} > 1", "", ""],
                ["integer", "LATE", "Muộn", "Late", "yes", "", "", ""],
            ),
            [("survey", 6, "relevant")],
            "LATE is not a question before this one",
        ),
        (
            lambda: maturity_form(
                choices=[
                    ["list_name", "name", LABEL_VI, "coopdx_score"],
                    ["yesno", "yes", "Có", 7],
                    ["yesno", "no", "Không", 0],
                ]
            ),
            [("choices", 2, "coopdx_score")],
            "A choice's score is a whole number from 0 to 5.",
        ),
        (
            lambda: maturity_form(["integer", "BAD_REF", "Sai", "Wrong", "yes", "${NOWHERE} > 1", "", ""]),
            [("survey", 6, None)],
            "Could not find the name 'NOWHERE'",
        ),
        (
            lambda: maturity_form(["integer", "=SUM(1,2)", "Công thức", "Formula", "yes", "", "", ""]),
            [("", None, None)],
            "contains a formula",
        ),
    ],
    ids=["geopoint", "condition-on-a-later-question", "score-above-5", "unknown-reference", "formula"],
)
def test_what_coopdx_cannot_take_is_refused_with_its_place(content, where, words):
    with translation.override("en"), pytest.raises(XLSFormRefused) as refused:
        questionnaire_import_xlsform(filename="form.xlsx", content=content())
    assert [(p.sheet, p.row, p.column) for p in refused.value.problems] == where
    assert words in " ".join(p.message for p in refused.value.problems)


def test_only_an_xlsx_workbook_is_read_and_the_refusal_speaks_vietnamese():
    assert refusal(b"type,name\ntext,a\n", filename="form.csv") == [("", None, None)]
    with translation.override("vi"), pytest.raises(XLSFormRefused) as refused:
        questionnaire_import_xlsform(
            filename="form.xlsx", content=maturity_form(["geopoint", "LOC", "Vị trí", "", "", "", "", ""])
        )
    assert str(refused.value.problems[0]).startswith("survey, dòng 6, cột type: ")


def test_the_command_exports_and_imports_a_version(questionnaire, tmp_path):
    from django.core.management import CommandError, call_command

    target = tmp_path / "national.xlsx"
    call_command("xlsform", "export", "NATIONAL", "1", str(target))
    call_command("xlsform", "import", str(target))
    assert questionnaire.__class__.objects.get(code="NATIONAL", version=2).published_at is None
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(maturity_form(["geopoint", "LOC", "Vị trí", "", "", "", "", ""]))
    with translation.override("en"), pytest.raises(CommandError, match="survey, row 6, column type"):
        call_command("xlsform", "import", str(broken))
