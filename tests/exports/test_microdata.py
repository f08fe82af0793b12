"""A round's responses with every answer as Excel: one row per response, one column per question,
the data dictionary on a second sheet; an officer's file holds their province only; audited."""

import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.models import ExportRecord
from surveys.microdata import DICTIONARY_SHEET, microdata_layout, microdata_rows
from surveys.models import Answer, Question, Response
from surveys.selectors import response_list

pytestmark = pytest.mark.django_db


def workbook(response):
    assert response.status_code == 200, response.content[:500]
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def rows_of(sheet):
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_an_officer_downloads_the_responses_of_their_province_only(login, officer_a, answered, open_round):
    book = workbook(login(officer_a).get(f"/surveys/rounds/{open_round.code}/responses.xlsx"))
    rows = rows_of(book["Phiếu"])
    header = rows[0]
    assert [row[header.index("cooperative_code")] for row in rows[1:]] == [answered["a"].cooperative.code]
    assert answered["b"].cooperative.code not in str(rows)
    # One column per question, with the answer codes; a multiple choice joined by ";".
    questions = list(Question.objects.filter(questionnaire=open_round.questionnaire))
    assert all(q.code in header for q in questions)
    multiple = next(q for q in questions if q.kind == "multiple")
    chosen = sorted(
        Answer.objects.get(response=answered["a"], question=multiple).options.values_list("code", flat=True)
    )
    assert sorted(rows[1][header.index(multiple.code)].split(";")) == chosen
    assert rows[1][header.index("level")] == answered["a"].level
    # The dictionary lists every column of the sheet, with the question's text.
    dictionary = rows_of(book[DICTIONARY_SHEET])
    assert [line[0] for line in dictionary[1:]] == header
    assert dictionary[1 + header.index(multiple.code)][1] == multiple.text_vi
    record = ExportRecord.objects.get()
    assert (record.kind, record.fmt, record.scope, record.rows, record.user) == (
        "responses",
        "xlsx",
        officer_a.province.code,
        1,
        officer_a,
    )


def test_a_national_reader_chooses_a_province_or_the_whole_country(login, ministry_analyst, answered, open_round):
    client = login(ministry_analyst)
    everyone = rows_of(workbook(client.get(f"/surveys/rounds/{open_round.code}/responses.xlsx"))["Phiếu"])
    assert len(everyone) - 1 == Response.objects.filter(round=open_round).count() == 2
    province_b = answered["b"].cooperative.province.code
    one = rows_of(
        workbook(client.get(f"/surveys/rounds/{open_round.code}/responses.xlsx?province={province_b}"))["Phiếu"]
    )
    assert [row[1] for row in one[1:]] == [answered["b"].cooperative.code]
    assert ExportRecord.objects.filter(scope="national", filters__province=province_b).exists()


def test_an_unknown_province_is_a_clear_400(login, ministry_analyst, open_round):
    response = login(ministry_analyst).get(f"/surveys/rounds/{open_round.code}/responses.xlsx?province=XX")
    assert response.status_code == 400
    assert "XX" in response.content.decode()


def test_a_member_may_not_download_microdata(login, member_a, open_round):
    assert login(member_a).get(f"/surveys/rounds/{open_round.code}/responses.xlsx").status_code == 403


def test_the_rows_are_read_in_a_constant_number_of_queries(answered, national_admin, open_round, coop_a, officer_a):
    from tests.exports.conftest import submitted
    from tests.factories import CooperativeFactory, complete_answers

    layout = microdata_layout(questionnaire_ids=[open_round.questionnaire_id])

    def count_queries() -> tuple[int, int]:
        responses = response_list(user=national_admin).filter(round=open_round)
        with CaptureQueriesContext(connection) as queries:
            rows = list(microdata_rows(responses=responses, layout=layout))
        return len(queries), len(rows) - 1

    few, rows_before = count_queries()
    answers = complete_answers(open_round.questionnaire, "worst")
    for number in range(4):
        cooperative = CooperativeFactory(province=coop_a.province, code=f"820000070{number}")
        submitted(survey_round=open_round, cooperative=cooperative, by=officer_a, answers=answers)
    many, rows_after = count_queries()
    assert (rows_before, rows_after) == (2, 6)
    assert many == few  # streamed with iterators: the queries do not grow with the rows
