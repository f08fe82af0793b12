"""The browser's two-step import: upload → preview → confirm, as a job the page polls."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from cooperatives.models import Cooperative
from imports.models import ImportJob
from tests.sheets import HEADERS, row, xlsx_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("run_on_commit_after_post")]


def upload(client, content, name="htx.xlsx"):
    return client.post("/cooperatives/import/", {"file": SimpleUploadedFile(name, content)})


def test_officer_previews_then_confirms_and_rows_land_in_their_province(login, officer_a):
    client = login(officer_a)
    response = upload(client, xlsx_bytes([row(), row(code="8212345679", province="Tiền Giang")]))
    assert response.status_code == 302
    job = ImportJob.objects.get()
    page = client.get(response.url).content.decode()
    assert job.status == "ready"
    assert 'data-testid="rows-new">2<' in page
    assert Cooperative.objects.count() == 0  # the preview wrote nothing
    client.post(f"/cooperatives/import/{job.pk}/confirm/")
    job.refresh_from_db()
    assert job.status == "done"
    assert set(Cooperative.objects.values_list("province__code", flat=True)) == {"82"}
    assert Cooperative.objects.get(code="8212345678").history.first().history_user == officer_a


def test_officer_file_with_another_provinces_row_is_refused_whole(login, officer_a):
    client = login(officer_a)
    response = upload(client, xlsx_bytes([row(), row(code="6612345678", province="Đắk Lắk")]))
    job = ImportJob.objects.get()
    page = client.get(response.url).content.decode()
    assert job.status == "invalid"
    assert 'data-testid="import-errors"' in page
    assert "<td>3</td>" in page
    assert client.post(f"/cooperatives/import/{job.pk}/confirm/").status_code == 302
    assert Cooperative.objects.count() == 0


def test_wrong_file_type_gets_a_message_on_the_form(login, officer_a):
    response = upload(login(officer_a), b"%PDF-1.4", name="htx.pdf")
    assert response.status_code == 200
    assert ".xlsx" in response.content.decode()
    assert ImportJob.objects.count() == 0


def test_another_officer_cannot_see_or_confirm_my_import(client, login, officer_a, officer_b):
    upload(login(officer_a), xlsx_bytes([row()]))
    job = ImportJob.objects.get()
    client.logout()
    other = login(officer_b)
    assert other.get(f"/cooperatives/import/{job.pk}/").status_code == 404
    assert other.post(f"/cooperatives/import/{job.pk}/confirm/").status_code == 404
    assert Cooperative.objects.count() == 0


@pytest.mark.parametrize("role_fixture", ["member_a", "ministry_analyst"])
def test_members_and_ministry_analysts_cannot_import(request, login, role_fixture):
    client = login(request.getfixturevalue(role_fixture))
    before = Cooperative.objects.count()
    assert client.get("/cooperatives/import/").status_code == 403
    assert upload(client, xlsx_bytes([row()])).status_code == 403
    assert Cooperative.objects.count() == before
    assert ImportJob.objects.count() == 0


def test_job_page_polls_with_htmx_while_running_and_returns_only_the_fragment(login, officer_a):
    client = login(officer_a)
    job = ImportJob.objects.create(
        file=SimpleUploadedFile("a.xlsx", b"x"),
        original_name="a.xlsx",
        created_by=officer_a,
        status="validating",
        progress_done=500,
        progress_total=2000,
    )
    fragment = client.get(f"/cooperatives/import/{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert fragment.lstrip().startswith("<div") and "<html" not in fragment
    assert 'hx-trigger="every 1s"' in fragment
    assert 'data-width="25"' in fragment


def test_template_download_has_the_vietnamese_headers(login, officer_a):
    response = login(officer_a).get("/cooperatives/import/template.xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert [c.value for c in workbook["HTX"][1]] == [*HEADERS, "Người đại diện"]
    assert workbook["HTX"].max_row == 1


def test_command_dry_run_writes_nothing_and_bad_rows_exit_non_zero(tmp_path, capsys):
    good = tmp_path / "good.xlsx"
    good.write_bytes(xlsx_bytes([row(), row(code="8212345679")]))
    call_command("import_cooperatives", str(good), "--dry-run")
    assert "new: 2" in capsys.readouterr().out
    assert Cooperative.objects.count() == 0
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(xlsx_bytes([row(), row(code="bad")]))
    with pytest.raises(CommandError):
        call_command("import_cooperatives", str(bad))
    assert "row 3" in capsys.readouterr().err
    assert Cooperative.objects.count() == 0
    call_command("import_cooperatives", str(good))
    assert Cooperative.objects.count() == 2


def test_command_province_option_restricts_rows(tmp_path):
    path = tmp_path / "mixed.xlsx"
    path.write_bytes(xlsx_bytes([row(), row(code="6612345678", province="Đắk Lắk")]))
    with pytest.raises(CommandError):
        call_command("import_cooperatives", str(path), "--province", "82")
    assert Cooperative.objects.count() == 0
