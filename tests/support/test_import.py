"""Support received in bulk: good rows, bad rows with their row and column, nothing half-written.

Messages are the Vietnamese an officer reads (the site's default language)."""

import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from imports.jobs import import_bytes
from imports.models import ImportJob
from support.importing import SUPPORT
from support.models import SupportReceived
from tests.sheets import xlsx_bytes

pytestmark = pytest.mark.django_db

HEADERS = ["Mã số HTX", "Mã chương trình", "Ngày nhận hỗ trợ", "Ghi chú"]


def run(rows, *, by, scope=None, dry_run=False, headers=HEADERS):
    return import_bytes(
        kind=SUPPORT,
        filename="ho-tro.xlsx",
        content=xlsx_bytes(rows, headers=headers),
        scope_province=scope,
        by=by,
        dry_run=dry_run,
    )


def errors(plan):
    return [(e.row, e.column, e.message) for e in plan.errors]


def test_good_rows_are_written_with_history_and_a_second_import_changes_nothing(
    coop_a, coop_b, programme, national_admin
):
    rows = [
        [coop_a.code, "cds-98", "15/09/2024", "Lớp tập huấn bán hàng trực tuyến"],
        [coop_b.code, "CDS-98", datetime.date(2025, 1, 10), None],
    ]
    plan, result = run(rows, by=national_admin)
    assert result == {"created": 2, "updated": 0, "unchanged": 0}
    assert set(SupportReceived.objects.values_list("cooperative__code", "received_on", "note")) == {
        (coop_a.code, datetime.date(2024, 9, 15), "Lớp tập huấn bán hàng trực tuyến"),
        (coop_b.code, datetime.date(2025, 1, 10), ""),
    }
    assert {h.history_user for h in SupportReceived.history.all()} == {national_admin}
    plan, result = run(rows, by=national_admin)
    assert result == {"created": 0, "updated": 0, "unchanged": 2}
    assert plan.summary()["unchanged"] == 2
    assert SupportReceived.objects.count() == 2


def test_bad_rows_name_their_row_and_column_and_nothing_is_written(
    coop_a, coop_b, programme, provincial_programme, national_admin
):
    rows = [
        [coop_a.code, "CDS-98", "15/09/2024", ""],  # row 2: good
        ["8299999999", "CDS-98", "15/09/2024", ""],  # row 3
        [coop_a.code, "KHONG-CO", "31/02/2024", ""],  # row 4: two errors
        [coop_a.code, "CDS-98", "01/01/2030", ""],  # row 5
        [coop_b.code, "DT-SAN", "01/03/2025", ""],  # row 6
        [coop_a.code, "CDS-98", "15/09/2024", "lặp lại"],  # row 7: the same as row 2
        ["", "", "", ""],  # blank: skipped
        [coop_a.code, "", None, ""],  # row 9
    ]
    plan, result = run(rows, by=national_admin)
    assert result is None
    assert errors(plan) == [
        (3, "Mã số HTX", "Hợp tác xã có mã số 8299999999 không có trong danh bạ."),
        (4, "Mã chương trình", "Không có chương trình nào mang mã KHONG-CO."),
        (4, "Ngày nhận hỗ trợ", "Không đúng định dạng ngày: hãy viết dd/mm/yyyy."),
        (5, "Ngày nhận hỗ trợ", "Ngày này nằm ngoài thời gian của chương trình (2024–2025)."),
        (6, "Mã chương trình", "Chương trình này dành cho hợp tác xã của tỉnh khác."),
        (7, "Mã số HTX", "Cùng một lần hỗ trợ xuất hiện hai lần trong tệp (cả ở dòng 2)."),
        (9, "Mã chương trình", "Trường này là bắt buộc."),
        (9, "Ngày nhận hỗ trợ", "Trường này là bắt buộc."),
    ]
    assert plan.summary()["error_rows"] == 6
    assert SupportReceived.objects.count() == 0


def test_an_officers_file_naming_another_provinces_cooperative_is_refused_whole(coop_a, coop_b, programme, officer_a):
    rows = [[coop_a.code, "CDS-98", "15/09/2024", ""], [coop_b.code, "CDS-98", "15/09/2024", ""]]
    plan, result = run(rows, by=officer_a, scope=officer_a.province)
    assert result is None
    # The same words as for a code that does not exist: another province's registry is not revealed.
    assert errors(plan) == [(3, "Mã số HTX", f"Hợp tác xã có mã số {coop_b.code} không có trong danh bạ.")]
    assert SupportReceived.objects.count() == 0


def test_a_file_without_a_required_column_is_refused(coop_a, programme, national_admin):
    plan, result = run([[coop_a.code, "CDS-98"]], by=national_admin, headers=["Mã số HTX", "Mã chương trình", "Khác"])
    assert result is None
    assert errors(plan) == [(1, "Ngày nhận hỗ trợ", "Thiếu cột bắt buộc: Ngày nhận hỗ trợ")]
    assert plan.summary()["unknown_columns"] == ["Khác"]


@pytest.mark.usefixtures("run_on_commit_after_post")
def test_an_officer_uploads_checks_and_confirms_through_the_pages(
    login, coop_a, programme, officer_a, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client = login(officer_a)
    content = xlsx_bytes([[coop_a.code, "CDS-98", "15/09/2024", ""]], headers=HEADERS)
    response = client.post("/support/import/", {"file": SimpleUploadedFile("ho-tro.xlsx", content)})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == f"/cooperatives/import/{job.pk}/"
    assert (job.kind, job.status, job.scope_province) == ("support", "ready", officer_a.province)
    assert SupportReceived.objects.count() == 0  # the check wrote nothing
    ready = client.get(response.url).content.decode()
    assert 'data-testid="rows-new">1<' in ready
    # The job page leads back to the support import and the programmes, not to the registry's.
    assert 'href="/support/import/">' in ready and 'href="/cooperatives/import/"' not in ready
    client.post(f"/cooperatives/import/{job.pk}/confirm/")
    job.refresh_from_db()
    assert job.status == "done"
    assert SupportReceived.objects.get().cooperative == coop_a
    done = client.get(response.url).content.decode()
    assert 'href="/support/"' in done and 'href="/cooperatives/"' not in done.split('data-testid="import-done"')[1]


@pytest.mark.usefixtures("run_on_commit_after_post")
def test_a_bad_file_gets_its_errors_marked_in_the_workbook(login, coop_a, programme, officer_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = login(officer_a)
    content = xlsx_bytes([[coop_a.code, "CDS-98", "hôm qua", ""]], headers=HEADERS)
    client.post("/support/import/", {"file": SimpleUploadedFile("ho-tro.xlsx", content)})
    job = ImportJob.objects.get()
    assert job.status == "invalid"
    again = client.get(f"/cooperatives/import/{job.pk}/").content.decode()
    assert 'href="/support/import/">' in again and "/cooperatives/import/?kind=support" not in again
    workbook = openpyxl.load_workbook(io.BytesIO(client.get(f"/cooperatives/import/{job.pk}/errors.xlsx").getvalue()))
    sheet = workbook.active
    assert sheet["C2"].comment.text == "Không đúng định dạng ngày: hãy viết dd/mm/yyyy."
    assert sheet["E2"].value == "Ngày nhận hỗ trợ: Không đúng định dạng ngày: hãy viết dd/mm/yyyy."


def test_a_wrong_kind_of_file_gets_a_message_and_nothing_is_stored(login, officer_a):
    response = login(officer_a).post("/support/import/", {"file": SimpleUploadedFile("a.pdf", b"%PDF-1.4")})
    assert response.status_code == 400
    assert "Chỉ nhập được tệp .xlsx (Excel) và .csv." in response.content.decode()
    assert ImportJob.objects.count() == 0


def test_the_template_has_the_columns_and_the_programmes_in_scope(login, officer_b, programme, provincial_programme):
    response = login(officer_b).get("/support/import/template.xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(response.getvalue()))
    assert [c.value for c in workbook["Hỗ trợ"][1]] == HEADERS
    # Đồng Tháp's own programme is not offered to an officer of Đắk Lắk.
    assert [r[0] for r in workbook["Chương trình"].iter_rows(min_row=2, values_only=True)] == ["CDS-98"]
