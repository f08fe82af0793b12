"""Every download of the site's exports is in the audit trail (who, what, scope, when, rows),
which national administrators read in the admin and nobody can change."""

import pytest

from audit.models import ExportRecord

pytestmark = pytest.mark.django_db


def test_a_streamed_registry_download_is_recorded_with_its_row_count(login, officer_a, coop_a, coop_b):
    response = login(officer_a).get("/cooperatives/export.csv", {"q": "Tân"})
    b"".join(response.streaming_content)
    record = ExportRecord.objects.get()
    assert (record.user, record.action, record.kind, record.fmt, record.scope, record.rows) == (
        officer_a,
        "download",
        "registry",
        "csv",
        "82",
        1,
    )
    assert record.filters == {"q": "Tân"}


def test_the_round_list_download_is_recorded_as_national(login, ministry_analyst, open_round):
    client = login(ministry_analyst)
    client.get(f"/surveys/rounds/{open_round.code}/export.xlsx")
    kinds = set(ExportRecord.objects.values_list("kind", "scope"))
    assert ("round_list", "national") in kinds


def test_national_administrators_read_the_trail_in_the_admin_read_only(
    client, login, national_admin, officer_a, coop_a
):
    login(officer_a).get("/cooperatives/export.xlsx")
    page = login(national_admin).get("/admin/audit/exportrecord/")
    assert page.status_code == 200 and "officer_a" in page.content.decode()
    record = ExportRecord.objects.get()
    assert (
        login(national_admin).post(f"/admin/audit/exportrecord/{record.pk}/delete/", {"post": "yes"}).status_code == 403
    )
    assert ExportRecord.objects.filter(pk=record.pk).exists()
