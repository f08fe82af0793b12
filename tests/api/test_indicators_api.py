"""Indicator figures: national, per province, per sector; by round; latest or as of a date; series."""

from __future__ import annotations

import csv
import datetime
import io
import json
from decimal import Decimal

import pytest

from tests.api.conftest import first_ward, make_snapshot

pytestmark = pytest.mark.django_db


def rows(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_the_latest_snapshot_is_read_by_default_and_every_row_says_as_of_and_round(as_caller, figures):
    body = as_caller("ministry_token").get("/api/v1/indicators/national/").json()
    assert body["snapshot_date"] == "2026-04-01"
    assert body["as_of"].startswith("2026-04-01T02:00:00")
    assert {row["metric"]: row["value"] for row in body["results"]} == {"ecommerce_pct": 55.0, "dx_plan_pct": 55.0}
    assert all(row["as_of"] == body["as_of"] and row["round"] == "KS2026" for row in body["results"])


@pytest.mark.parametrize(
    ("as_of", "day", "value"),
    [("2026-04-01", "2026-04-01", 55.0), ("2026-03-31", "2026-03-01", 40.0), ("2026-03-01", "2026-03-01", 40.0)],
)
def test_as_of_picks_the_latest_snapshot_on_or_before_the_date(as_caller, figures, as_of, day, value):
    body = (
        as_caller("officer_a").get("/api/v1/indicators/national/", {"as_of": as_of, "metric": "ecommerce_pct"}).json()
    )
    assert body["snapshot_date"] == day
    assert [row["value"] for row in body["results"]] == [value]


def test_before_the_first_snapshot_there_are_no_figures(as_caller, figures):
    body = as_caller("officer_a").get("/api/v1/indicators/", {"as_of": "2020-01-01"}).json()
    assert body == {"snapshot_date": None, "as_of": None, "next": None, "results": []}


def test_figures_by_round(as_caller, figures, questionnaire, previous_round):
    make_snapshot(previous_round, datetime.date(2026, 4, 1), Decimal("10"))
    client = as_caller("national_admin")
    both = {row["round"] for row in rows(client.get("/api/v1/indicators/national/"))}
    assert both == {"KS2025", "KS2026"}
    only = rows(client.get("/api/v1/indicators/national/", {"round": "KS2025"}))
    assert {row["round"] for row in only} == {"KS2025"} and only[0]["value"] == 10.0


def test_province_and_sector_figures(as_caller, figures):
    client = as_caller("ministry_analyst")
    keys = {row["scope_key"] for row in rows(client.get("/api/v1/indicators/provinces/82/"))}
    assert keys == {"p:82", "p:82|s:NN"}  # its wards have their own endpoint
    keys = {row["scope_key"] for row in rows(client.get("/api/v1/indicators/sectors/NN/"))}
    assert keys == {"s:NN", "p:82|s:NN", "p:66|s:NN"}
    listed = rows(client.get("/api/v1/indicators/", {"scope": "province_sector", "province": "66"}))
    assert {row["scope_key"] for row in listed} == {"p:66|s:NN"}
    assert client.get("/api/v1/indicators/sectors/ZZ/").status_code == 404


def test_a_provinces_ward_figures_name_the_ward(as_caller, figures):
    ward_a, ward_b = first_ward("82"), first_ward("66")
    client = as_caller("ministry_analyst")
    listed = rows(client.get("/api/v1/indicators/provinces/82/wards/", {"metric": "ecommerce_pct"}))
    assert [(row["scope"], row["scope_key"], row["province"], row["ward"], row["value"]) for row in listed] == [
        ("ward", f"p:82|w:{ward_a.code}", "82", ward_a.code, 55.0)
    ]
    assert rows(client.get("/api/v1/indicators/provinces/82/wards/", {"ward": ward_b.code})) == []
    everywhere = rows(client.get("/api/v1/indicators/", {"scope": "ward", "ward": ward_b.code}))
    assert {row["scope_key"] for row in everywhere} == {f"p:66|w:{ward_b.code}"}
    assert client.get("/api/v1/indicators/provinces/ZZ/wards/").status_code == 404
    national = rows(client.get("/api/v1/indicators/national/"))
    assert national and all(row["ward"] is None for row in national)


def test_an_officer_sees_the_nation_sectors_and_their_own_province_only(as_caller, figures):
    client = as_caller("officer_a")
    ward_a = first_ward("82").code
    keys = {row["scope_key"] for row in rows(client.get("/api/v1/indicators/", {"page_size": 500}))}
    assert keys == {"nation", "s:NN", "p:82", "p:82|s:NN", f"p:82|w:{ward_a}"}
    assert client.get("/api/v1/indicators/provinces/66/wards/").status_code == 404
    assert len(rows(client.get("/api/v1/indicators/provinces/82/wards/"))) == 2  # 2 metrics, latest day
    assert rows(client.get("/api/v1/indicators/", {"province": "66"})) == []
    assert rows(client.get("/api/v1/indicators/", {"scope_key": "p:66"})) == []
    assert {row["scope_key"] for row in rows(client.get("/api/v1/indicators/sectors/NN/"))} == {"s:NN", "p:82|s:NN"}
    assert client.get("/api/v1/indicators/provinces/66/").status_code == 404
    series = client.get("/api/v1/indicators/series/", {"metric": "ecommerce_pct", "scope_key": "p:66"})
    missing = client.get("/api/v1/indicators/series/", {"metric": "ecommerce_pct", "scope_key": "p:00"})
    assert series.status_code == missing.status_code == 404 and series.json() == missing.json()
    for fmt in ("csv", "ndjson"):
        text = b"".join(client.get(f"/api/v1/bulk/indicators.{fmt}").streaming_content).decode("utf-8-sig")
        assert "p:82" in text and f"p:82|w:{ward_a}" in text and "p:66" not in text


def test_the_series_of_one_figure_runs_over_snapshot_dates(as_caller, figures):
    points = rows(
        as_caller("province_token").get("/api/v1/indicators/series/", {"metric": "ecommerce_pct", "scope_key": "p:82"})
    )
    assert [(p["snapshot_date"], p["value"], p["round"]) for p in points] == [
        ("2026-03-01", 40.0, "KS2026"),
        ("2026-04-01", 55.0, "KS2026"),
    ]
    assert all(p["as_of"] for p in points)
    since = rows(
        as_caller("ministry_token").get(
            "/api/v1/indicators/series/", {"metric": "ecommerce_pct", "scope_key": "nation", "since": "2026-03-15"}
        )
    )
    assert [p["snapshot_date"] for p in since] == ["2026-04-01"]


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/api/v1/indicators/", {"as_of": "01/04/2026"}, "as_of"),
        ("/api/v1/indicators/", {"scope": "galaxy"}, "scope"),
        ("/api/v1/indicators/series/", {"scope_key": "nation"}, "metric"),
        ("/api/v1/indicators/series/", {"metric": "x"}, "scope_key"),
        (
            "/api/v1/indicators/series/",
            {"metric": "x", "scope_key": "nation", "since": "2026-05-01", "until": "2026-01-01"},
            "until",
        ),
    ],
)
def test_invalid_parameters_are_400(as_caller, figures, path, params, field):
    response = as_caller("officer_a").get(path, params)
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]


def test_bulk_indicators_carry_as_of_and_round_on_every_row(as_caller, figures):
    client = as_caller("ministry_token")
    text = b"".join(client.get("/api/v1/bulk/indicators.csv").streaming_content).decode("utf-8-sig")
    table = list(csv.DictReader(io.StringIO(text)))
    assert len(table) == 16  # eight scopes (two of them wards) × two metrics of the latest day
    assert {row["ward"] for row in table} == {"", first_ward("82").code, first_ward("66").code}
    assert all(row["as_of"].startswith("2026-04-01T02:00:00") and row["round"] == "KS2026" for row in table)
    lines = b"".join(client.get("/api/v1/bulk/indicators.ndjson", {"as_of": "2026-03-10"}).streaming_content)
    records = [json.loads(line) for line in lines.decode().splitlines()]
    assert {record["snapshot_date"] for record in records} == {"2026-03-01"}
    assert records[0]["value"] == 40.0


def test_no_round_filter_matches_nothing_but_keeps_the_snapshot_stamp(as_caller, figures):
    body = as_caller("officer_a").get("/api/v1/indicators/national/", {"round": "NOPE"}).json()
    assert body["results"] == [] and body["snapshot_date"] == "2026-04-01" and body["as_of"]
