import csv
import io

import openpyxl
import pytest

from tests.factories import CooperativeFactory

pytestmark = pytest.mark.django_db


def _csv(response):
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_csv_export_is_scoped_filtered_and_neutralises_formulas(login, officer_a, province_a, coop_b):
    CooperativeFactory(province=province_a, name='=HYPERLINK("http://evil.example","bấm")', code="8299999999")
    CooperativeFactory(province=province_a, name="Hợp tác xã Sen Đồng Tháp", code="8299999998")
    rows = _csv(login(officer_a).get("/cooperatives/export.csv"))
    assert rows[0][:3] == ["Mã số HTX", "Tên HTX", "Tỉnh/Thành phố"]
    codes = {r[0] for r in rows[1:]}
    assert codes == {"8299999999", "8299999998"}
    assert coop_b.code not in codes
    names = {r[1] for r in rows[1:]}
    assert '\'=HYPERLINK("http://evil.example","bấm")' in names
    filtered = _csv(login(officer_a).get("/cooperatives/export.csv", {"q": "sen dong thap"}))
    assert [r[0] for r in filtered[1:]] == ["8299999998"]


def test_xlsx_export_stores_text_never_formulas(login, national_admin, province_a):
    CooperativeFactory(province=province_a, name="=1+1", code="8299999999")
    response = login(national_admin).get("/cooperatives/export.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    cell = sheet["B2"]
    assert cell.value == "'=1+1"
    assert cell.data_type == "s"


def test_member_cannot_export(login, member_a):
    assert login(member_a).get("/cooperatives/export.csv").status_code == 403
