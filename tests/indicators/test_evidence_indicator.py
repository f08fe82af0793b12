"""The share of counted self-assessments that the registry contradicts (surveys.evidence), as an
indicator of the nightly snapshot, worked out by hand on a small data set.

Round KS2026. Đồng Tháp (82): a sells on a marketplace with no listing (a mismatch); b sells on
Shopee with a listing (none); c answers paper traceability (none); d is a mismatch but only
submitted (not counted); e is a mismatch but archived (not counted). Đắk Lắk (66): f claims QR
traceability with no record; g answers no online channel while listed on Lazada (two mismatches).
By hand: 82 → 1 of 3 = 33.33…%; 66 → 2 of 2 = 100 %; nation → 3 of 5 = 60 %.
"""

from decimal import Decimal

import pytest
from django.urls import reverse

from indicators import services as indicator_services
from indicators.models import IndicatorSnapshot
from surveys import evidence_selectors
from tests.factories import CooperativeFactory
from tests.surveys.test_evidence import answer

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(open_round, national_admin, province_a, province_b):
    r, by = open_round, national_admin
    plain = {"TRACEABILITY": "paper", "ONLINE_CHANNELS": ["website"]}
    a = CooperativeFactory(province=province_a, code="8200000001")
    answer(r, a, by, **{**plain, "ONLINE_CHANNELS": ["marketplace"]})
    b = CooperativeFactory(province=province_a, code="8200000002")
    b.listings.create(platform="shopee", url="https://shopee.vn/b")
    answer(r, b, by, **{**plain, "ONLINE_CHANNELS": ["marketplace"]})
    answer(r, CooperativeFactory(province=province_a, code="8200000003"), by, **plain)
    d = CooperativeFactory(province=province_a, code="8200000004")
    answer(r, d, by, accept=False, **{**plain, "ONLINE_CHANNELS": ["marketplace"]})
    e = CooperativeFactory(province=province_a, code="8200000005")
    answer(r, e, by, **{**plain, "ONLINE_CHANNELS": ["marketplace"]})
    type(e).objects.filter(pk=e.pk).update(is_archived=True)
    answer(r, CooperativeFactory(province=province_b, code="6600000001"), by, **{**plain, "TRACEABILITY": "qr_all"})
    g = CooperativeFactory(province=province_b, code="6600000002", traceability="qr_partial")
    g.listings.create(platform="lazada", url="https://lazada.vn/g")
    answer(r, g, by, ONLINE_CHANNELS=["none"], TRACEABILITY="none")
    return r


def figure(survey_round, scope_key):
    row = IndicatorSnapshot.objects.get(round=survey_round, scope_key=scope_key, metric="evidence_mismatch_pct")
    return row.value, row.numerator, row.denominator


def test_the_mismatch_rate_per_scope_matches_the_hand_count(data):
    indicator_services.aggregate_indicators()
    assert figure(data, "nation") == (Decimal(60), 3, 5)
    value, numerator, denominator = figure(data, "p:82")
    assert (numerator, denominator) == (1, 3) and abs(value - Decimal(100) / 3) < Decimal("1e-9")
    assert figure(data, "p:66") == (Decimal(100), 2, 2)
    sector = IndicatorSnapshot.objects.get(round=data, scope="sector", metric="evidence_mismatch_pct")
    assert (sector.numerator, sector.denominator) == (3, 5)
    # Not for a ward (like the counts per level): a handful of answers, read on the province's page.
    assert IndicatorSnapshot.objects.filter(round=data, scope="ward", metric="surveyed_total").exists()
    assert not IndicatorSnapshot.objects.filter(scope="ward", metric="evidence_mismatch_pct").exists()


def test_the_officers_page_and_the_snapshot_count_the_same(data, officer_a, national_admin):
    indicator_services.aggregate_indicators()
    checks, _ = evidence_selectors.round_checks(data)
    rows = evidence_selectors.province_mismatches(user=national_admin, survey_round=data, checks=checks)
    for row in rows:
        snapshot = IndicatorSnapshot.objects.filter(
            round=data, scope_key=f"p:{row.province.code}", metric="evidence_mismatch_pct"
        ).first()
        if row.counted:
            assert (snapshot.numerator, snapshot.denominator) == (row.mismatched, row.counted)


def test_without_any_active_check_the_rate_is_zero(data):
    from surveys.models import EvidenceCheck

    EvidenceCheck.objects.update(is_active=False)
    indicator_services.aggregate_indicators()
    assert figure(data, "nation") == (Decimal(0), 0, 5)


def test_the_dashboard_offers_the_rate_on_the_map(data, login, national_admin):
    indicator_services.aggregate_indicators()
    page = login(national_admin).get(reverse("indicators:dashboard"), {"metric": "evidence_mismatch_pct"})
    html = page.content.decode()
    assert page.status_code == 200
    assert 'value="evidence_mismatch_pct" selected' in html
    assert "HTX tự đánh giá khác với sổ đăng ký" in html
