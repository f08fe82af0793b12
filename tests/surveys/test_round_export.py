"""The round page's list as a spreadsheet, with who entered, submitted and reviewed each
response, in Viet Nam time, filtered like the page."""

import datetime
import io
from urllib.parse import quote

import openpyxl
import pytest

from accounts.models import Role
from surveys.services import response_review, response_save_answers, response_start, response_submit
from tests.factories import CooperativeFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewed(officer_a, coop_a, open_round, province_a, best_answers):
    officer_a.first_name, officer_a.last_name = "Minh", "Nguyễn"
    officer_a.save()
    second = UserFactory(
        username="officer_a2", first_name="Lan", last_name="Trần", role=Role.PROVINCIAL_OFFICER, province=province_a
    )
    response = response_start(survey_round=open_round, cooperative=coop_a, by=officer_a)
    response = response_submit(
        response=response_save_answers(response=response, answers=best_answers, by=officer_a), by=officer_a
    )
    return response_review(response=response, by=second, accept=True)


def sheet_rows(response):
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [list(row) for row in book.active.iter_rows(values_only=True)]


def test_the_export_says_who_entered_submitted_and_reviewed_in_viet_nam_time(login, officer_a, province_a, reviewed):
    quiet = CooperativeFactory(province=province_a, code="8200000901", name="Hợp tác xã Chưa Làm", phone="0277 1")
    response = login(officer_a).get(f"/surveys/rounds/{reviewed.round.code}/export.xlsx")
    assert response.status_code == 200
    header, *rows = sheet_rows(response)
    by_code = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    accepted = by_code[reviewed.cooperative.code]
    assert accepted["Trạng thái"] == "Đã chấp nhận"
    assert (accepted["Người nhập"], accepted["Cán bộ nhập thay"]) == ("Minh Nguyễn", "có")
    assert (accepted["Người gửi"], accepted["Người duyệt"]) == ("Minh Nguyễn", "Lan Trần")
    assert accepted["Điểm"] == 100 and isinstance(accepted["Điểm"], int)
    local = reviewed.reviewed_at.astimezone(datetime.timezone(datetime.timedelta(hours=7))).replace(tzinfo=None)
    assert abs(accepted["Thời điểm duyệt"] - local) < datetime.timedelta(seconds=1)
    assert by_code[quiet.code]["Trạng thái"] == "Chưa bắt đầu" and by_code[quiet.code]["Số điện thoại"] == "0277 1"


def test_the_export_keeps_the_pages_filters(login, officer_a, province_a, reviewed):
    CooperativeFactory(province=province_a, code="8200000902", name="Hợp tác xã Khác")
    client = login(officer_a)
    body = b"".join(
        client.get(f"/surveys/rounds/{reviewed.round.code}/export.csv", {"state": "accepted"}).streaming_content
    ).decode("utf-8-sig")
    lines = body.strip().splitlines()
    assert len(lines) == 2 and reviewed.cooperative.code in lines[1] and "Lan Trần" in lines[1]
    page = client.get(f"/surveys/rounds/{reviewed.round.code}/", {"state": "accepted"}).content.decode()
    assert "export.xlsx?state=accepted" in page


def test_the_export_reads_in_a_few_queries(login, officer_a, province_a, reviewed, django_assert_max_num_queries):
    for n in range(40):
        CooperativeFactory(province=province_a, code=f"82000010{n:02d}")
    client = login(officer_a)
    client.get("/surveys/")
    with django_assert_max_num_queries(10):
        response = client.get(f"/surveys/rounds/{reviewed.round.code}/export.xlsx")
        assert len(sheet_rows(response)) == 1 + 41  # the header, coop A and the 40 others


def test_members_cannot_export_a_round(login, member_a, open_round):
    assert login(member_a).get(f"/surveys/rounds/{open_round.code}/export.xlsx").status_code == 403


def test_a_round_code_that_excel_forbids_in_sheet_names_still_exports(login, officer_a, reviewed):
    # Excel refuses : \ / ? * [ ] in a sheet's name and quotes end a Content-Disposition filename.
    reviewed.round.code = 'KS:2026[a]*"'
    reviewed.round.save()
    client = login(officer_a)
    path = f"/surveys/rounds/{quote(reviewed.round.code)}"
    response = client.get(f"{path}/export.xlsx")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames == ['KS-2026-a--"']
    csv_response = client.get(f"{path}/export.csv")
    assert csv_response.status_code == 200
    assert csv_response["Content-Disposition"].count('"') == 2
