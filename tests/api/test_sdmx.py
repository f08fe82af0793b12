"""Indicator figures as SDMX-CSV: the header, one observation checked by hand, the small numbers
rule (OBS_STATUS C, no value), the caller's scope; and as an export job's format."""

from __future__ import annotations

import csv
import datetime
import gzip
import io
from decimal import Decimal

import pytest

from audit.models import ExportRecord
from indicators.models import IndicatorSnapshot
from tests.api.conftest import make_snapshot

pytestmark = pytest.mark.django_db

HEADER = [
    "DATAFLOW",
    "REF_AREA",
    "COOP_SECTOR",
    "SURVEY_ROUND",
    "INDICATOR",
    "TIME_PERIOD",
    "UNIT_MEASURE",
    "OBS_VALUE",
    "OBS_STATUS",
]


def table(response) -> list[list[str]]:
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/vnd.sdmx.data+csv")
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8"))))


def test_sdmx_csv_header_and_one_observation_by_hand(as_caller, figures, open_round):
    lines = table(as_caller("ministry_token").get("/api/v1/bulk/indicators.sdmx.csv", {"metric": "ecommerce_pct"}))
    assert lines[0] == HEADER
    by_area = {(line[1], line[2]): line for line in lines[1:]}
    # The nation's share selling online on 1 April 2026: 55 % over 100 answers.
    assert by_area[("VN", "_T")] == [
        "VN_COOPDX:DX_INDICATORS(1.0)",
        "VN",
        "_T",
        "KS2026",
        "ecommerce_pct",
        str(open_round.opens_on.year),
        "PT",
        "55",
        "A",
    ]
    assert by_area[("82", "NN")][7] == "55"  # Đồng Tháp, agriculture
    assert ExportRecord.objects.get().fmt == "sdmx-csv"


def test_a_figure_over_fewer_than_five_answers_is_confidential(as_caller, figures):
    IndicatorSnapshot.objects.filter(scope_key="p:82", snapshot_date=datetime.date(2026, 4, 1)).update(
        denominator=4, value=Decimal("75")
    )
    lines = table(as_caller("national_admin").get("/api/v1/bulk/indicators.sdmx.csv"))
    suppressed = [line for line in lines[1:] if line[1] == "82" and line[2] == "_T"]
    assert suppressed and all(line[7:] == ["", "C"] for line in suppressed)
    assert "75" not in {line[7] for line in lines[1:]}


def test_an_officer_gets_the_nation_and_their_own_province_only(as_caller, figures):
    lines = table(as_caller("officer_a").get("/api/v1/bulk/indicators.sdmx.csv"))
    assert {line[1] for line in lines[1:] if len(line[1]) == 2} <= {"VN", "82"}
    assert "66" not in {line[1] for line in lines[1:]}


def test_sdmx_csv_as_an_export_job(national_admin, open_round, settings, tmp_path, django_capture_on_commit_callbacks):
    from exports.models import ExportStatus
    from exports.services import export_job_start

    settings.MEDIA_ROOT = tmp_path
    make_snapshot(open_round, datetime.date(2026, 4, 1), Decimal("55"))
    with django_capture_on_commit_callbacks(execute=True):
        job = export_job_start(kind="indicators", fmt="sdmx-csv", by=national_admin)
    job.refresh_from_db()
    assert job.status == ExportStatus.DONE
    with job.file.open("rb") as handle:
        lines = list(csv.reader(io.StringIO(gzip.decompress(handle.read()).decode())))
    assert lines[0] == HEADER
    assert len(lines) - 1 == IndicatorSnapshot.objects.count() == job.progress_total
