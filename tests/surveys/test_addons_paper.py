"""A provincial round's add-on questions on paper: the template has their columns after the
national ones, the import reads them with the browser's rules (row and column named) and stores
them apart, never in the score."""

import io

import openpyxl
import pytest

from surveys.addons import addon_answer_values
from surveys.models import Response
from tests.factories import CooperativeFactory
from tests.surveys.test_response_import import cells, run, template_headers, workbook

pytestmark = pytest.mark.django_db


def test_the_template_has_the_add_on_columns_after_the_national_ones(login, officer_a, addon_round, coop_a):
    headers = template_headers(login(officer_a), addon_round)
    assert headers[-3:] == ["TOURISM", "HOMESTAY_ROOMS", "TOURISM_NOTE"]
    reply = login(officer_a).get(f"/surveys/rounds/{addon_round.code}/template.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(reply.streaming_content)))
    guide = [row for row in book["Câu hỏi"].iter_rows(values_only=True) if row[0] == "TOURISM"][0]
    assert guide[1] == "Câu hỏi bổ sung của tỉnh Đồng Tháp"
    assert "(bắt buộc)" in guide[3]
    lists = [row for row in book["Danh sách"].iter_cols(values_only=True) if row[0] == "TOURISM"][0]
    assert list(lists[1:4]) == ["Chưa", "Đang chuẩn bị", "Đã làm"]


def test_the_import_reads_the_add_on_columns_and_stores_them_apart(
    login, officer_a, addon_round, coop_a, province_a, best_answers
):
    headers = template_headers(login(officer_a), addon_round)
    other = CooperativeFactory(province=province_a, code="8200000655")
    rows = [
        cells(headers, coop_a.code, {**best_answers, "TOURISM": "Đã làm", "HOMESTAY_ROOMS": 8}),
        cells(headers, other.code, {**best_answers, "TOURISM": "Running", "TOURISM_NOTE": "Chợ nổi"}),
    ]
    plan, result = run(workbook(headers, rows), addon_round, scope=province_a, by=officer_a)
    assert plan.ok, plan.errors
    imported = Response.objects.get(cooperative=coop_a)
    assert addon_answer_values(imported)["TOURISM"].options == ["3"]
    assert addon_answer_values(imported)["HOMESTAY_ROOMS"].number == 8
    assert addon_answer_values(Response.objects.get(cooperative=other))["TOURISM_NOTE"].text == "Chợ nổi"
    assert (imported.score, imported.level) == (100, 5)
    assert not imported.answers.filter(question__code="TOURISM").exists()
    # Imported again: replaced, not added.
    plan, result = run(workbook(headers, rows), addon_round, scope=province_a, by=officer_a)
    assert result["updated"] == 2 and imported.addon_answers.count() == 2


@pytest.mark.parametrize(
    ("change", "column"),
    [({"TOURISM": "Có lẽ"}, "TOURISM"), ({"HOMESTAY_ROOMS": "2.5"}, "HOMESTAY_ROOMS"), ({"TOURISM": None}, "TOURISM")],
)
def test_a_bad_add_on_cell_names_its_row_and_column(addon_round, coop_a, province_a, best_answers, change, column):
    headers = ["Mã số HTX", *best_answers, "TOURISM", "HOMESTAY_ROOMS"]
    good = {**best_answers, "TOURISM": "1"}
    plan, result = run(
        workbook(headers, [cells(headers, coop_a.code, good), cells(headers, "8200000656", {**good, **change})]),
        addon_round,
    )
    assert result is None and Response.objects.count() == 0
    assert any(e.row == 3 and column in e.column for e in plan.errors), plan.errors


def test_the_round_microdata_has_the_add_on_answers_in_columns_marked_provincial(
    login, officer_a, addon_round, coop_a, best_answers
):
    from surveys.services import response_save_answers, response_start

    response = response_start(survey_round=addon_round, cooperative=coop_a, by=officer_a)
    response_save_answers(
        response=response, answers={**best_answers, "TOURISM": "2", "HOMESTAY_ROOMS": "3"}, by=officer_a
    )
    reply = login(officer_a).get(f"/surveys/rounds/{addon_round.code}/responses.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(reply.streaming_content)))
    rows = [list(row) for row in book["Phiếu"].iter_rows(values_only=True)]
    header = rows[0]
    assert header[-3:] == ["addon_TOURISM", "addon_HOMESTAY_ROOMS", "addon_TOURISM_NOTE"]
    assert rows[1][header.index("addon_TOURISM")] == "2"
    assert rows[1][header.index("addon_HOMESTAY_ROOMS")] == 3
    assert "TOURISM" not in header
    dictionary = {row[0]: row for row in book["Từ điển dữ liệu"].iter_rows(values_only=True)}
    assert dictionary["addon_TOURISM"][1].startswith("[Câu hỏi bổ sung của tỉnh, không tính điểm]")
    assert "3 = Đã làm / Running" in dictionary["addon_TOURISM"][4]
