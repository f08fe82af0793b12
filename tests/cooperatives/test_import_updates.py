"""Re-importing the registry changes only what the file says: absent columns and blank cells keep
the stored values, "(xoá)" clears, the preview shows each change as old → new before anything is
written, exports and the template round-trip without changes, and errors come back as a workbook
with the bad cells marked."""

import datetime
import io
import re

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cooperatives.importing.registry import registry_import_bytes
from cooperatives.models import Cooperative, Ward
from imports.models import ImportJob
from tests.factories import CooperativeFactory
from tests.sheets import HEADERS, xlsx_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("run_on_commit_after_post")]

ALL_HEADERS = [*HEADERS, "Người đại diện"]


@pytest.fixture
def full_profile(province_a):
    """A cooperative with every importable field filled in, values that spreadsheets like to mangle."""
    ward = Ward.objects.filter(province=province_a).order_by("code")[5]
    return CooperativeFactory(
        code="8212345678",
        name="Hợp tác xã Dịch vụ Nông nghiệp Tân Thuận",
        province=province_a,
        ward=ward,
        status="suspended",
        members_count=1250,
        founded_on=datetime.date(2009, 1, 2),
        address="Ấp 3, đường ĐT 845",
        phone="+84 277 3851 234",
        email="htxtanthuan@example.vn",
        website="https://htxtanthuan.example.vn",
        representative="Nguyễn Thị Mười",
    )


def profile(cooperative):
    cooperative.refresh_from_db()
    return {
        name: getattr(cooperative, name)
        for name in (
            "name",
            "province_id",
            "ward_id",
            "sector_id",
            "status",
            "members_count",
            "founded_on",
            "address",
            "phone",
            "email",
            "website",
            "representative",
        )
    }


def run(content, filename="htx.xlsx", dry_run=False):
    return registry_import_bytes(filename=filename, content=content, scope_province=None, by=None, dry_run=dry_run)


def upload(client, content, name="htx.xlsx"):
    response = client.post("/cooperatives/import/", {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 302, response.content.decode()[:500]
    return ImportJob.objects.order_by("-pk").first(), client.get(response.url).content.decode()


def count(page, testid):
    return int(re.search(rf'data-testid="{testid}">([\d.,]+)<', page).group(1).replace(".", "").replace(",", ""))


def downloaded(response) -> bytes:
    assert response.status_code == 200
    return b"".join(response.streaming_content)


# --- Round trips ----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_reimported_unchanged_changes_no_field(login, national_admin, full_profile, coop_a, fmt):
    other = CooperativeFactory(code="8212345679", name="HTX Sen Tháp Mười", province=full_profile.province)
    client = login(national_admin)
    exported = downloaded(client.get(f"/cooperatives/export.{fmt}", {"province": "82"}))
    before = {c.pk: profile(c) for c in (full_profile, coop_a, other)}
    history = Cooperative.history.count()

    job, page = upload(client, exported, name=f"htx.{fmt}")

    assert job.status == "ready", (job.message, job.errors)
    assert (count(page, "rows-new"), count(page, "rows-changed"), count(page, "rows-unchanged")) == (0, 0, 3)
    assert 'data-testid="import-changes"' not in page
    client.post(f"/cooperatives/import/{job.pk}/confirm/")
    job.refresh_from_db()
    assert (job.status, job.summary["updated"]) == ("done", 0)
    assert {c.pk: profile(c) for c in (full_profile, coop_a, other)} == before
    assert Cooperative.history.count() == history


def test_downloaded_template_filled_in_imports_and_reimports_without_changes(login, national_admin, province_a):
    client = login(national_admin)
    workbook = openpyxl.load_workbook(io.BytesIO(downloaded(client.get("/cooperatives/import/template.xlsx"))))
    sheet = workbook["HTX"]
    assert [c.value for c in sheet[1]] == ALL_HEADERS
    guide = " ".join(str(c.value) for row in workbook["Hướng dẫn"].iter_rows() for c in row if c.value)
    assert "(xoá)" in guide and "để trống" in guide.lower()
    sheet.append(
        [
            "8212345678",
            "Hợp tác xã Xoài Cát Hòa Lộc",
            "Đồng Tháp",
            "",
            "Nông nghiệp",
            "Đang hoạt động",
            30,
            "15/03/2012",
            "Ấp Hòa",
            "0277 3851 234",
            "",
            "",
            "Lê Văn Tám",
        ]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)

    job, page = upload(client, buffer.getvalue())
    assert count(page, "rows-new") == 1
    client.post(f"/cooperatives/import/{job.pk}/confirm/")
    cooperative = Cooperative.objects.get(code="8212345678")
    assert cooperative.representative == "Lê Văn Tám"

    job, page = upload(client, buffer.getvalue())
    assert (count(page, "rows-changed"), count(page, "rows-unchanged")) == (0, 1)


# --- What a file changes ---------------------------------------------------------------------


def test_absent_columns_never_touch_a_field(full_profile):
    before = profile(full_profile)
    # The old template had no representative column: a partial list of names and members only.
    plan, result = run(xlsx_bytes([["8212345678", full_profile.name]], headers=["Mã số HTX", "Tên HTX"]))
    assert plan.ok and result == {"created": 0, "updated": 0, "unchanged": 1}
    plan, result = run(xlsx_bytes([["8212345678", 1300]], headers=["Mã số HTX", "Số thành viên"]))
    assert result == {"created": 0, "updated": 1, "unchanged": 0}
    assert profile(full_profile) == {**before, "members_count": 1300}


def test_blank_cells_keep_the_stored_values(full_profile):
    before = profile(full_profile)
    blank_row = ["8212345678"] + [""] * (len(ALL_HEADERS) - 1)
    plan, result = run(xlsx_bytes([blank_row], headers=ALL_HEADERS))
    assert plan.ok, plan.errors
    assert result == {"created": 0, "updated": 0, "unchanged": 1}
    assert profile(full_profile) == before


def test_the_clear_marker_empties_optional_fields_only(full_profile):
    before = profile(full_profile)
    headers = ["Mã số HTX", "Điện thoại", "Người đại diện", "Xã/Phường", "Ngày thành lập", "Số thành viên"]
    plan, result = run(xlsx_bytes([["8212345678", "(xoá)", "(Xóa)", " (XOÁ) ", "(xoa)", "(xoá)"]], headers=headers))
    assert plan.ok, plan.errors
    assert result["updated"] == 1
    assert profile(full_profile) == {
        **before,
        "phone": "",
        "representative": "",
        "ward_id": None,
        "founded_on": None,
        "members_count": None,
    }
    plan, result = run(xlsx_bytes([["8212345678", "(xoá)"]], headers=["Mã số HTX", "Tên HTX"]))
    assert result is None
    assert [(e.row, e.column) for e in plan.errors] == [(2, "Tên HTX")]
    assert "(xoá)" in plan.errors[0].message
    assert profile(full_profile)["name"] == before["name"]


def test_moving_province_without_a_ward_in_the_new_province_is_an_error(full_profile):
    plan, result = run(xlsx_bytes([["8212345678", "Đắk Lắk"]], headers=["Mã số HTX", "Tỉnh/Thành phố"]))
    assert result is None
    assert [(e.row, e.column) for e in plan.errors] == [(2, "Xã/Phường")]
    plan, result = run(
        xlsx_bytes([["8212345678", "Đắk Lắk", "(xoá)"]], headers=["Mã số HTX", "Tỉnh/Thành phố", "Xã/Phường"])
    )
    assert plan.ok, plan.errors
    assert (profile(full_profile)["ward_id"], full_profile.province.code) == (None, "66")


def test_preview_lists_each_changed_field_old_to_new_before_anything_is_written(login, officer_a, full_profile, coop_a):
    before = profile(full_profile)
    headers = ["Mã số HTX", "Tên HTX", "Người đại diện", "Số thành viên", "Trạng thái", "Địa chỉ"]
    content = xlsx_bytes(
        [
            ["8212345678", full_profile.name, "Trần Văn Hai", 1300, "Đang hoạt động", ""],
            [coop_a.code, coop_a.name, "", "", "", ""],
        ],
        headers=headers,
    )
    client = login(officer_a)
    job, page = upload(client, content)
    assert job.status == "ready"
    assert (count(page, "rows-changed"), count(page, "rows-unchanged")) == (1, 1)
    assert profile(full_profile) == before  # the preview wrote nothing
    table = page[page.index('data-testid="import-changes"') :]
    table = table[: table.index("</table>")]
    cells = [" ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in re.findall(r"<td[^>]*>(.*?)</td>", table, re.S)]
    assert cells == [
        "2",
        f"8212345678 {full_profile.name}",
        "Trạng thái",
        "Tạm ngừng hoạt động",
        "→ Đang hoạt động",
        "Số thành viên",
        "1250",
        "→ 1300",
        "Người đại diện",
        "Nguyễn Thị Mười",
        "→ Trần Văn Hai",
    ]
    assert coop_a.code not in table  # unchanged rows are not listed


# --- The workbook of errors -------------------------------------------------------------------


def test_error_workbook_marks_exactly_the_bad_cells(client, login, officer_a, officer_b, full_profile):
    rows = [
        ["8212345678", full_profile.name, "Đồng Tháp", "", "Nông nghiệp", "", "", "", "", "", "", "", ""],
        ["8212345680", "HTX Hai", "Đồng Tháp", "", "Nông nghiệp", "", "", "", "", "abc", "not-an-email", "", ""],
        ["82123", "HTX Ba", "Đồng Tháp", "", "Hàng không", "", "", "", "", "", "", "", ""],
    ]
    own = login(officer_a)
    job, page = upload(own, xlsx_bytes(rows, headers=ALL_HEADERS))
    assert job.status == "invalid"
    link = f"/cooperatives/import/{job.pk}/errors.xlsx"
    assert f'href="{link}"' in page

    response = own.get(link)
    workbook = openpyxl.load_workbook(io.BytesIO(downloaded(response)))
    sheet = workbook.active
    assert [c.value for c in sheet[1]] == [*ALL_HEADERS, "Lỗi cần sửa"]
    marked = {c.coordinate for row in sheet.iter_rows() for c in row if c.fill.fgColor.rgb == "FFFFC7CE"}
    assert marked == {"J3", "K3", "A4", "E4"}
    assert "abc" in sheet["J3"].comment.text and "điện thoại" in sheet["J3"].comment.text
    assert "email" in sheet["K3"].comment.text.lower()
    assert sheet["B3"].comment is None and sheet["A2"].comment is None
    assert (sheet["J3"].value, sheet["A4"].value) == ("abc", "82123")  # the user's values, to correct
    assert sheet["N2"].value is None
    assert "Điện thoại" in sheet["N3"].value and "Email" in sheet["N3"].value
    assert "Mã số HTX" in sheet["N4"].value and "Lĩnh vực" in sheet["N4"].value

    # Only the job's owner (or a national administrator) can have it.
    client.logout()
    assert login(officer_b).get(link).status_code == 404


def test_error_workbook_re_imports_once_corrected(login, officer_a):
    client = login(officer_a)
    rows = [["8212345680", "HTX Hai", "Đồng Tháp", "", "Nông nghiệp", "", "", "", "", "abc", "", "", ""]]
    job, _ = upload(client, xlsx_bytes(rows, headers=ALL_HEADERS))
    workbook = openpyxl.load_workbook(io.BytesIO(downloaded(client.get(f"/cooperatives/import/{job.pk}/errors.xlsx"))))
    workbook.active["J2"] = "0277 3851 234"
    buffer = io.BytesIO()
    workbook.save(buffer)
    job, page = upload(client, buffer.getvalue())
    assert job.status == "ready", job.errors
    assert "Lỗi cần sửa" not in page  # the error column is not reported as unknown


def test_command_dry_run_prints_each_change_and_writes_nothing(tmp_path, capsys, full_profile):
    from django.core.management import call_command

    path = tmp_path / "cap-nhat.xlsx"
    path.write_bytes(xlsx_bytes([["8212345678", "Trần Văn Hai", ""]], headers=["Mã số HTX", "Người đại diện", "Email"]))
    call_command("import_cooperatives", str(path), "--dry-run")
    out = capsys.readouterr().out
    assert "changed: 1" in out
    assert "row 2 8212345678: Người đại diện: Nguyễn Thị Mười → Trần Văn Hai" in out
    assert "Email" not in out
    assert profile(full_profile)["representative"] == "Nguyễn Thị Mười"


def test_error_workbook_of_a_file_no_longer_stored_is_a_404_not_a_server_error(login, officer_a):
    own = login(officer_a)
    job, _page = upload(own, xlsx_bytes([["82123", "HTX Ba", "Đồng Tháp", "", "Hàng không"]], headers=ALL_HEADERS[:5]))
    assert job.status == "invalid"
    job.file.storage.delete(job.file.name)  # e.g. removed by a retention clean-up
    assert own.get(f"/cooperatives/import/{job.pk}/errors.xlsx").status_code == 404
