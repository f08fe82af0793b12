"""The share of self-assessments the registry contradicts is served like every other indicator."""

from __future__ import annotations

import pytest

from indicators import services as indicator_services
from tests.indicators.test_evidence_indicator import data  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


def test_the_api_serves_the_mismatch_rate_per_scope(as_caller, data):  # noqa: F811
    indicator_services.aggregate_indicators()
    national = as_caller("ministry_token").get("/api/v1/indicators/national/", {"metric": "evidence_mismatch_pct"})
    assert national.status_code == 200
    assert [(r["value"], r["numerator"], r["denominator"]) for r in national.json()["results"]] == [(60.0, 3, 5)]
    province = as_caller("officer_a").get("/api/v1/indicators/provinces/66/", {"metric": "evidence_mismatch_pct"})
    assert province.status_code == 404  # another province's figures, like every indicator
    own = as_caller("province_token").get("/api/v1/indicators/provinces/82/", {"metric": "evidence_mismatch_pct"})
    rows = own.json()["results"]
    assert {(r["scope"], r["numerator"], r["denominator"]) for r in rows} == {
        ("province", 1, 3),
        ("province_sector", 1, 3),
    }
    assert abs(rows[0]["value"] - 100 / 3) < 1e-9
