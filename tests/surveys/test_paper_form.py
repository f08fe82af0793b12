"""The round's paper form as officers use it: instructions first, the province's cooperatives
pre-filled, drop-downs of Vietnamese labels and number rules on every question's column; filled
with the labels its lists offer, it imports and scores as the browser does."""

import io
import random

import openpyxl
import pytest

from imports.jobs import import_bytes
from surveys.answers import parse_answer
from surveys.models import PillarScore, Question, QuestionKind, Response
from surveys.services import response_save_answers, response_start, response_submit
from tests.factories import CooperativeFactory

pytestmark = pytest.mark.django_db


def download(client, survey_round):
    answer = client.get(f"/surveys/rounds/{survey_round.code}/template.xlsx")
    assert answer.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(b"".join(answer.streaming_content)))


def rules_by_column(sheet):
    found = {}
    for rule in sheet.data_validations.dataValidation:
        for cell_range in rule.sqref.ranges:
            found[cell_range.min_col] = (rule, cell_range)
    return found


def listed(book, formula):
    """The values of a list rule's source range (``'Danh sách'!$C$2:$C$5``)."""
    sheet_part, cells = formula.rsplit("!", 1)
    sheet = book[sheet_part.strip("'")]
    return [row[0].value for row in sheet[cells.replace("$", "")]]


def test_the_form_opens_on_instructions_and_lists_the_provinces_cooperatives(
    login, officer_a, coop_a, coop_b, open_round, province_a
):
    second = CooperativeFactory(province=province_a, name="Hợp tác xã Rau sạch Tân Hòa")
    book = download(login(officer_a), open_round)
    assert book.sheetnames[0] == "Hướng dẫn" and "Phiếu" in book.sheetnames
    assert "danh sách thả xuống" in " ".join(str(c.value) for c in book["Hướng dẫn"]["A"])
    assert book["Danh sách"].sheet_state == "hidden"
    rows = list(book["Phiếu"].iter_rows(min_row=2, values_only=True))
    assert {(row[0], row[1]) for row in rows} == {(coop_a.code, coop_a.name), (second.code, second.name)}
    assert coop_b.code not in {row[0] for row in rows}  # another province's registry is not handed out


def test_every_question_column_has_its_labels_or_its_number_rule(login, officer_a, open_round):
    book = download(login(officer_a), open_round)
    sheet = book["Phiếu"]
    headers = [cell.value for cell in sheet[1]]
    rules = rules_by_column(sheet)
    questions = {q.code: q for q in Question.objects.filter(questionnaire=open_round.questionnaire)}
    numbers_with_bounds = 0
    for index, code in enumerate(headers[2:], start=3):
        question = questions[code]
        if question.kind in (QuestionKind.SINGLE, QuestionKind.YES_NO, QuestionKind.MULTIPLE):
            rule, cells = rules[index]
            assert rule.type == "list" and (cells.min_row, cells.max_row) == (2, sheet.max_row + 500)
            assert listed(book, rule.formula1) == [o.label_vi for o in question.options.all()]
            assert (rule.errorStyle == "information") is (question.kind == QuestionKind.MULTIPLE)
        elif question.kind == QuestionKind.NUMBER and (
            question.min_value is not None or question.max_value is not None
        ):
            rule, _cells = rules[index]
            assert rule.type == ("whole" if question.integer_only else "decimal")
            bounds = [float(b) for b in (question.min_value, question.max_value) if b is not None]
            assert [float(f) for f in (rule.formula1, rule.formula2) if f is not None] == bounds
            assert rule.error  # Excel says what the cell accepts
            numbers_with_bounds += 1
        else:
            assert index not in rules
    assert numbers_with_bounds > 0


def test_a_form_filled_with_its_labels_imports_and_scores_like_the_browser(
    login, officer_a, national_admin, coop_a, open_round, province_a
):
    untouched = CooperativeFactory(province=province_a)
    book = download(login(officer_a), open_round)
    sheet = book["Phiếu"]
    headers = [cell.value for cell in sheet[1]]
    rules = rules_by_column(sheet)
    questions = {q.code: q for q in Question.objects.filter(questionnaire=open_round.questionnaire)}
    rng = random.Random(5)
    codes_given = {}
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == coop_a.code)
    for index, code in enumerate(headers[2:], start=3):
        question = questions[code]
        options = list(question.options.all())
        if question.kind in (QuestionKind.SINGLE, QuestionKind.YES_NO):
            label = rng.choice(listed(book, rules[index][0].formula1))  # as the drop-down offers it
            sheet.cell(row, index, label)
            codes_given[code] = next(o.code for o in options if o.label_vi == label)
        elif question.kind == QuestionKind.MULTIPLE:
            plain = [o for o in options if not o.exclusive]
            chosen = rng.sample(plain, 2)
            sheet.cell(row, index, "; ".join(o.label_vi for o in chosen))
            codes_given[code] = [o.code for o in chosen]
        elif question.kind == QuestionKind.NUMBER:
            sheet.cell(row, index, 3)
            codes_given[code] = "3"
        else:
            sheet.cell(row, index, "Thiếu vốn")
            codes_given[code] = "Thiếu vốn"
    buffer = io.BytesIO()
    book.save(buffer)

    plan, result = import_bytes(
        kind="responses",
        filename="phieu.xlsx",
        content=buffer.getvalue(),
        scope_province=province_a,
        by=officer_a,
        dry_run=False,
        options={"round": open_round.code},
    )
    assert plan.ok, plan.errors
    assert result is not None and result["created"] == 1
    assert plan.summary()["unchanged"] == 1  # the pre-filled row nobody answered
    assert not Response.objects.filter(cooperative=untouched).exists()
    imported = Response.objects.get(cooperative=coop_a, round=open_round)

    browser_coop = CooperativeFactory(province=province_a)
    browser = response_start(survey_round=open_round, cooperative=browser_coop, by=national_admin)
    response_save_answers(response=browser, answers=codes_given, by=national_admin)
    browser = response_submit(response=browser, by=national_admin, confirm_warnings=True)
    assert (imported.score, imported.level) == (browser.score, browser.level)
    pillars = lambda r: dict(PillarScore.objects.filter(response=r).values_list("pillar_code", "score"))  # noqa: E731
    assert pillars(imported) == pillars(browser)


def test_a_cell_may_name_options_by_code_or_by_label_in_either_language(questionnaire):
    channels = Question.objects.get(questionnaire=questionnaire, code="ONLINE_CHANNELS")
    first, second = [o for o in channels.options.all() if not o.exclusive][:2]
    by_label = parse_answer(channels, f"{first.label_vi}; {second.label_en.upper()}")
    assert list(by_label.options) == [first.code, second.code]
    assert list(parse_answer(channels, f"{first.code};{second.label_vi}").options) == [first.code, second.code]
    data_use = Question.objects.get(questionnaire=questionnaire, code="DATA_USE")
    with_semicolon = next(o for o in data_use.options.all() if ";" in o.label_en)
    assert list(parse_answer(data_use, with_semicolon.label_en).options) == [with_semicolon.code]
