"""Every export speaks Viet Nam time and writes counts as whole numbers.

An officer reads "21:33" on the page; the file they download must say 21:33 too, with the zone
(CSV: ISO 8601 with +07:00; XLSX: a real date-time in Viet Nam time, displayed with "UTC+07:00"),
and 50 cooperatives are "50", never "50.0".
"""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest

from cooperatives.models import Sector
from indicators.models import AggregationRun, IndicatorSnapshot, RunStatus, Scope
from tests.factories import CooperativeFactory, province

pytestmark = pytest.mark.django_db

# 14:33 UTC is 21:33 in Viet Nam.
COMPUTED_AT = datetime.datetime(2026, 4, 1, 14, 33, 5, tzinfo=datetime.UTC)
LOCAL_TEXT = "2026-04-01T21:33:05+07:00"
# What a spreadsheet cell holds: Viet Nam's wall-clock time, naive (Excel has no time zones).
LOCAL_NAIVE = datetime.datetime(2026, 4, 1, 21, 33, 5)  # noqa: DTZ001

FIGURES = {
    "cooperatives_total": Decimal("50"),
    "surveyed_total": Decimal("20"),
    "survey_coverage_pct": Decimal("40"),
    "maturity_score_avg": Decimal("47.25"),
    "ecommerce_pct": Decimal("33.333333333333"),
    "dx_plan_pct": Decimal("12.5"),
    **{f"level_{level}_count": Decimal(level + 2) for level in range(6)},
}
COUNTS = {"cooperatives_total", "surveyed_total", *(f"level_{level}_count" for level in range(6))}


@pytest.fixture
def snapshot(open_round):
    """One computation finished at 14:33:05 UTC, with counts and shares in every scope."""
    run = AggregationRun.objects.create(status=RunStatus.SUCCEEDED, trigger="test", finished_at=COMPUTED_AT)
    nn = Sector.objects.get(code="NN")
    rows = []
    for key, scope, code, sector in (
        ("nation", Scope.NATION, None, None),
        ("p:82", Scope.PROVINCE, "82", None),
        ("p:66", Scope.PROVINCE, "66", None),
        ("s:NN", Scope.SECTOR, None, nn),
        ("p:82|s:NN", Scope.PROVINCE_SECTOR, "82", nn),
    ):
        for metric, value in FIGURES.items():
            rows.append(
                IndicatorSnapshot(
                    run=run,
                    snapshot_date=COMPUTED_AT.date(),
                    as_of=COMPUTED_AT,
                    round=open_round,
                    scope=scope,
                    province=province(code) if code else None,
                    sector=sector,
                    scope_key=key,
                    metric=metric,
                    value=value,
                )
            )
    IndicatorSnapshot.objects.bulk_create(rows)
    return open_round


def _csv_rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def _sheet_rows(response) -> list[tuple]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return list(openpyxl.load_workbook(io.BytesIO(body)).active.iter_rows())


def _is_whole_number_text(text: str) -> bool:
    return text.isdigit()


@pytest.mark.parametrize("table", ["cards", "trend", "levels", "sectors", "provinces"])
def test_dashboard_csv_states_the_viet_nam_time_and_whole_counts(login, ministry_analyst, snapshot, table):
    rows = _csv_rows(login(ministry_analyst).get(f"/dashboard/export/{table}.csv"))
    header, body = rows[0], rows[1:]
    assert body
    assert {row[-1] for row in body} == {LOCAL_TEXT}
    if table == "levels":
        assert [row[1] for row in body] == ["2", "3", "4", "5", "6", "7"]
    if table in ("sectors", "provinces"):
        total = header.index("HTX đang hoạt động")
        counted = header.index("Số phiếu tự đánh giá được tính")
        filled = [row for row in body if row[total]]
        assert filled and {(row[total], row[counted]) for row in filled} == {("50", "20")}
    for row in body:
        for cell in row[:-2]:
            assert not cell.endswith(".0"), (table, row)


def test_dashboard_cards_round_shares_to_one_decimal(login, officer_a, snapshot):
    rows = _csv_rows(login(officer_a).get("/dashboard/export/cards.csv"))
    values = {row[0]: row[1] for row in rows[1:]}
    assert values["Tỷ lệ HTX đã tự đánh giá"] == "40"
    assert values["Điểm trưởng thành số trung bình"] == "47.3"
    assert rows[1][-1] == LOCAL_TEXT


@pytest.mark.parametrize("table", ["levels", "sectors", "provinces"])
def test_dashboard_xlsx_has_a_local_date_time_and_integer_counts(login, ministry_analyst, snapshot, table):
    rows = _sheet_rows(login(ministry_analyst).get(f"/dashboard/export/{table}.xlsx"))
    header = [cell.value for cell in rows[0]]
    body = rows[1:]
    assert body
    for row in body:
        as_of = row[-1]
        assert as_of.value == LOCAL_NAIVE
        assert as_of.is_date and "hh:mm" in as_of.number_format.lower()
        assert "UTC+07:00" in as_of.number_format
    if table == "levels":
        counts = [row[1].value for row in body]
        assert counts == [2, 3, 4, 5, 6, 7] and all(type(v) is int for v in counts)
    else:
        total = header.index("HTX đang hoạt động")
        counts = [row[total].value for row in body if row[total].value is not None]
        assert counts and set(counts) == {50} and all(type(v) is int for v in counts)


def test_indicator_bulk_csv_writes_counts_as_whole_numbers_and_local_time(login, ministry_analyst, snapshot):
    rows = _csv_rows(login(ministry_analyst).get("/api/v1/bulk/indicators.csv"))
    header = rows[0]
    metric, value, as_of = header.index("metric"), header.index("value"), header.index("as_of")
    by_metric = {(row[header.index("scope_key")], row[metric]): row for row in rows[1:]}
    assert by_metric[("nation", "cooperatives_total")][value] == "50"
    assert by_metric[("nation", "level_5_count")][value] == "7"
    assert by_metric[("nation", "dx_plan_pct")][value] == "12.5"
    assert {row[as_of] for row in rows[1:]} == {LOCAL_TEXT}


def test_registry_exports_write_member_counts_as_integers(login, officer_a, province_a):
    CooperativeFactory(province=province_a, code="8299999990", members_count=50)
    client = login(officer_a)
    rows = _csv_rows(client.get("/cooperatives/export.csv"))
    members = rows[0].index("Số thành viên")
    assert [row[members] for row in rows[1:] if row[0] == "8299999990"] == ["50"]
    sheet = _sheet_rows(client.get("/cooperatives/export.xlsx"))
    header = [cell.value for cell in sheet[0]]
    cell = next(row for row in sheet[1:] if row[0].value == "8299999990")[header.index("Số thành viên")]
    assert cell.value == 50 and type(cell.value) is int


def test_the_shared_writers_turn_utc_into_viet_nam_time():
    """Any export passing a date-time gets it in Viet Nam time, whatever zone it was read in."""
    from coopdx.exports import csv_stream, xlsx_file

    rows = [["Lúc", "Số"], [COMPUTED_AT, Decimal("50.000")], [COMPUTED_AT.astimezone(datetime.UTC), 50.0]]
    text = "".join(csv_stream(iter(rows)))
    assert list(csv.reader(io.StringIO(text[1:])))[1:] == [[LOCAL_TEXT, "50"], [LOCAL_TEXT, "50"]]
    sheet = list(openpyxl.load_workbook(xlsx_file(iter(rows))).active.iter_rows())
    assert [(row[0].value, row[1].value) for row in sheet[1:]] == [(LOCAL_NAIVE, 50), (LOCAL_NAIVE, 50)]
    assert all(type(row[1].value) is int for row in sheet[1:])
