"""Registry import rules, through the same function the browser job and the command use."""

import datetime
import io
import zipfile

import openpyxl
import pytest

from cooperatives.importing.registry import registry_import_bytes
from cooperatives.models import Cooperative
from imports import files
from imports.files import ImportFileError
from tests.sheets import HEADERS, csv_bytes, row, xlsx_bytes

pytestmark = pytest.mark.django_db


def run(content, filename="htx.xlsx", scope=None, dry_run=False, by=None):
    return registry_import_bytes(filename=filename, content=content, scope_province=scope, by=by, dry_run=dry_run)


def messages(plan):
    return [(e.row, e.column, e.message) for e in plan.errors]


def test_reimporting_the_same_file_updates_and_never_duplicates():
    content = xlsx_bytes([row(), row(code="8212345679", name="Hợp tác xã Sen Tháp Mười")])
    plan, result = run(content)
    assert result == {"created": 2, "updated": 0, "unchanged": 0}
    plan, result = run(content)
    assert result == {"created": 0, "updated": 0, "unchanged": 2}
    plan, result = run(xlsx_bytes([row(name="Hợp tác xã Xoài Cát Hòa Lộc Mới", members=45)]))
    assert result == {"created": 0, "updated": 1, "unchanged": 0}
    assert Cooperative.objects.count() == 2
    cooperative = Cooperative.objects.get(code="8212345678")
    assert (cooperative.name, cooperative.members_count) == ("Hợp tác xã Xoài Cát Hòa Lộc Mới", 45)


def test_import_keeps_history_of_creation_and_change_with_the_user(national_admin):
    run(xlsx_bytes([row()]), by=national_admin)
    run(xlsx_bytes([row(members=99)]), by=national_admin)
    history = Cooperative.objects.get(code="8212345678").history.order_by("history_date")
    assert [h.history_type for h in history] == ["+", "~"]
    assert [h.members_count for h in history] == [30, 99]
    assert all(h.history_user == national_admin for h in history)


@pytest.mark.parametrize(
    ("given", "expected_code"),
    [
        ("Kiên Giang", "91"),
        ("Tỉnh Phú Yên", "66"),
        ("tien giang", "82"),
        ("91", "91"),
        ("Đồng Tháp", "82"),
        ("TP Hồ Chí Minh", "79"),
        ("Bình Dương", "79"),
        ("8", "08"),
    ],
)
def test_provinces_by_current_name_code_or_pre_2025_name(given, expected_code):
    plan, result = run(xlsx_bytes([row(province=given)]))
    assert plan.ok, messages(plan)
    assert Cooperative.objects.get().province.code == expected_code


def test_pre_2025_names_are_counted_in_the_preview():
    plan, _ = run(xlsx_bytes([row(province="Kiên Giang"), row(code="8200000002", province="Đồng Tháp")]), dry_run=True)
    assert plan.summary()["legacy_province_rows"] == 1


@pytest.mark.parametrize("given", ["Nông nghiệp", "NN", "nong nghiep", "NÔNG NGHIỆP"])
def test_sector_by_name_or_short_code(given):
    plan, _ = run(xlsx_bytes([row(sector=given)]))
    assert plan.ok, messages(plan)
    assert Cooperative.objects.get().sector.code == "NN"


# A spreadsheet's date cell is naive: Excel has no time zones.
@pytest.mark.parametrize("given", ["15/03/2012", "2012-03-15", datetime.datetime(2012, 3, 15), 40983])  # noqa: DTZ001
def test_dates_as_day_first_iso_or_excel_cells(given):
    plan, _ = run(xlsx_bytes([row(founded=given)]))
    assert plan.ok, messages(plan)
    assert Cooperative.objects.get().founded_on == datetime.date(2012, 3, 15)


def test_headers_tolerate_case_spaces_and_missing_diacritics_and_unknown_columns_are_reported():
    headers = ["  ma so htx ", "TEN HTX", "Tinh / Thanh pho", "xa/phuong", "Linh vuc", "Ghi chú"]
    plan, _ = run(xlsx_bytes([["8212345678", "HTX Một", "Đồng Tháp", "", "NN", "hợp lệ"]], headers=headers))
    assert plan.ok, messages(plan)
    assert plan.summary()["unknown_columns"] == ["Ghi chú"]
    assert Cooperative.objects.get().name == "HTX Một"


def test_a_file_without_the_code_column_is_an_error():
    plan, result = run(xlsx_bytes([["HTX Một", "Đồng Tháp"]], headers=["Tên HTX", "Tỉnh/Thành phố"]))
    assert result is None
    assert [(e.row, e.column) for e in plan.errors] == [(1, "Mã số HTX")]


def test_a_new_cooperative_without_province_and_sector_columns_is_an_error_naming_them():
    plan, result = run(xlsx_bytes([["8212345678", "HTX Một"]], headers=["Mã số HTX", "Tên HTX"]))
    assert result is None
    assert [(e.row, e.column) for e in plan.errors] == [(2, "Tỉnh/Thành phố"), (2, "Lĩnh vực")]
    assert Cooperative.objects.count() == 0


def test_one_bad_row_and_nothing_is_written():
    rows = [row(code=f"82000000{i:02d}") for i in range(40)]
    rows[25] = row(code="82000000xx")
    plan, result = run(xlsx_bytes(rows))
    assert result is None
    assert Cooperative.objects.count() == 0
    assert messages(plan) == [(27, "Mã số HTX", messages(plan)[0][2])]


def test_duplicate_codes_inside_one_file_are_errors():
    plan, result = run(xlsx_bytes([row(), row(name="Khác")]))
    assert result is None
    assert plan.errors[0].row == 3
    assert "2" in plan.errors[0].message
    assert Cooperative.objects.count() == 0


@pytest.mark.parametrize(
    ("override", "column"),
    [
        ({"code": "12345"}, "Mã số HTX"),
        ({"name": ""}, "Tên HTX"),
        ({"province": "Atlantis"}, "Tỉnh/Thành phố"),
        ({"sector": "Hàng không"}, "Lĩnh vực"),
        ({"status": "Bay"}, "Trạng thái"),
        ({"members": "nhiều"}, "Số thành viên"),
        ({"founded": "32/13/2020"}, "Ngày thành lập"),
        ({"founded": "01/01/2090"}, "Ngày thành lập"),
        ({"email": "not-an-email"}, "Email"),
        ({"website": "http://"}, "Website"),
        ({"phone": "abc"}, "Điện thoại"),
        ({"ward": "Phường Không Có"}, "Xã/Phường"),
    ],
)
def test_each_bad_cell_names_its_row_and_column(override, column):
    plan, result = run(xlsx_bytes([row(**override)]))
    assert result is None
    assert [(e.row, e.column) for e in plan.errors] == [(2, column)]
    assert Cooperative.objects.count() == 0


def test_ward_by_name_without_its_kind_or_by_code_within_the_province(province_a):
    ward = province_a.wards.order_by("code").first()
    bare = ward.name[len(ward.kind) + 1 :]
    run(xlsx_bytes([row(ward=bare), row(code="8200000002", ward=ward.code)]))
    assert set(Cooperative.objects.values_list("ward__code", flat=True)) == {ward.code}


def test_numeric_code_cells_keep_their_leading_zero():
    plan, _ = run(xlsx_bytes([row(code=101234567, province="Hà Nội")]))
    assert plan.ok, messages(plan)
    assert Cooperative.objects.get().code == "0101234567"


def test_branch_codes_are_accepted():
    plan, _ = run(xlsx_bytes([row(code="8212345678-001")]))
    assert plan.ok


def test_decomposed_diacritics_are_stored_composed_and_found_by_search():
    import unicodedata

    name = unicodedata.normalize("NFD", "Hợp tác xã Thanh Long Chợ Gạo")
    run(xlsx_bytes([row(name=name)]))
    stored = Cooperative.objects.get()
    assert stored.name == unicodedata.normalize("NFC", name)
    assert Cooperative.objects.filter(search_text__contains="thanh long cho gao").exists()


@pytest.mark.parametrize("bom", [True, False])
def test_csv_in_utf8_with_or_without_bom(bom):
    plan, result = run(csv_bytes([row()], bom=bom), filename="htx.csv")
    assert plan.ok, messages(plan)
    assert Cooperative.objects.get().name == "Hợp tác xã Xoài Cát Hòa Lộc"


def test_officer_scope_refuses_rows_of_another_province(province_a):
    plan, result = run(xlsx_bytes([row(), row(code="6612345678", province="Đắk Lắk")]), scope=province_a)
    assert result is None
    assert [(e.row, e.column) for e in plan.errors] == [(3, "Tỉnh/Thành phố")]
    assert Cooperative.objects.count() == 0


def test_officer_scope_cannot_move_or_touch_another_provinces_cooperative(province_a, coop_b):
    plan, result = run(xlsx_bytes([row(code=coop_b.code)]), scope=province_a)
    assert result is None
    assert plan.errors[0].column == "Mã số HTX"
    coop_b.refresh_from_db()
    assert coop_b.province.code == "66"


# --- Whole-file problems: refused with a message, nothing written ---------------------------


def _refused(content, filename="htx.xlsx"):
    with pytest.raises(ImportFileError) as error:
        run(content, filename=filename)
    assert Cooperative.objects.count() == 0
    return str(error.value)


def test_wrong_file_type():
    assert ".xlsx" in _refused(b"hello", filename="htx.txt")


def test_content_not_matching_the_extension():
    assert _refused(csv_bytes([row()]), filename="htx.xlsx")
    assert _refused(xlsx_bytes([row()]), filename="htx.csv")


def test_encrypted_or_legacy_workbook():
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2000
    assert _refused(ole2)


def test_corrupt_workbook():
    assert _refused(xlsx_bytes([row()])[:700])


def test_zip_bomb():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * (50 * 1024 * 1024))
    assert _refused(buffer.getvalue())


def test_formulas():
    workbook = openpyxl.Workbook()
    workbook.active.append(HEADERS)
    workbook.active.append(row(members="=10*3"))
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert "G2" in _refused(buffer.getvalue())


def test_formulas_in_csv():
    assert _refused(csv_bytes([row(name='=HYPERLINK("http://x")')]), filename="htx.csv")


def test_empty_file_and_header_only():
    assert _refused(b"")
    assert _refused(xlsx_bytes([]))
    assert _refused(csv_bytes([]), filename="htx.csv")


def test_over_the_size_limit(monkeypatch):
    monkeypatch.setattr(files, "MAX_FILE_BYTES", 1000)
    assert _refused(xlsx_bytes([row()]))


def test_over_the_row_limit(monkeypatch):
    monkeypatch.setattr(files, "MAX_ROWS", 5)
    assert _refused(xlsx_bytes([row(code=f"820000000{i}") for i in range(6)]))


def test_csv_not_in_utf8():
    assert _refused(csv_bytes([row()], encoding="utf-16"), filename="htx.csv")


def test_wards_differing_only_in_diacritics_resolve_exactly_and_are_ambiguous_without_them():
    from cooperatives.models import Ward

    thanh, thanh_dot = Ward.objects.get(code="25294"), Ward.objects.get(code="25280")
    assert (thanh.name, thanh_dot.name) == ("Xã Lộc Thành", "Xã Lộc Thạnh")
    province = thanh.province.short_name
    plan, result = run(
        xlsx_bytes(
            [
                row(code="7500000001", province=province, ward="Xã Lộc Thành"),
                row(code="7500000002", province=province, ward="xã lộc thạnh"),
            ]
        )
    )
    assert plan.ok, messages(plan)
    assert dict(Cooperative.objects.values_list("code", "ward__code")) == {"7500000001": "25294", "7500000002": "25280"}
    plan, result = run(xlsx_bytes([row(code="7500000003", province=province, ward="Xa Loc Thanh")]))
    assert result is None
    assert plan.errors[0].column == "Xã/Phường"
