"""Indicator targets: kept by national administrators, each figure judged against the one that
applies (the province's own, else the national one), on the cards and the task pages."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from indicators import services as indicator_services
from indicators.models import IndicatorTarget
from indicators.selectors import target_check
from tests.factories import CooperativeFactory
from tests.indicators.test_aggregation import answer
from tests.indicators.test_dashboard import card

pytestmark = pytest.mark.django_db


def target(year, value, baseline=None, province=None, metric="ecommerce_pct"):
    baseline_year, baseline_value = baseline or (None, None)
    return IndicatorTarget(
        metric=metric,
        province=province,
        year=year,
        value=Decimal(value),
        baseline_year=baseline_year,
        baseline_value=None if baseline_value is None else Decimal(baseline_value),
    )


@pytest.mark.parametrize(
    ("targets", "value", "year", "status", "expected"),
    [
        ([target(2030, 60)], 60, 2026, "met", None),
        ([target(2030, 60)], 40, 2026, "due", None),  # no baseline: no path to judge by
        ([target(2030, 60, (2022, 20))], 40, 2026, "on_track", Decimal(40)),  # 20 + 40 × 4/8
        ([target(2030, 60, (2022, 20))], "39.9", 2026, "off_track", Decimal(40)),
        ([target(2025, 60)], 59, 2025, "off_track", None),  # its year, below it
        ([target(2025, 60), target(2030, 80)], 70, 2026, "due", None),  # the next one due applies
        ([target(2024, 60), target(2025, 70)], 65, 2026, "off_track", None),  # all past: the last
        ([target(2030, 60, (2022, 20))], 19, 2020, "off_track", Decimal(20)),  # before the baseline
    ],
)
def test_a_figure_is_judged_against_the_first_target_due_in_or_after_its_year(targets, value, year, status, expected):
    check = target_check(targets, Decimal(value), year)
    assert (check.status, check.expected) == (status, expected)


def test_no_value_or_no_target_has_no_verdict():
    assert target_check([target(2030, 60)], None, 2026) is None
    assert target_check([], Decimal(10), 2026) is None


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"metric": "galaxy_pct"}, "metric"),
        ({"baseline_year": 2022}, "baseline_value"),
        ({"baseline_year": 2030, "baseline_value": Decimal(10)}, "baseline_year"),
        ({"value": Decimal("100.1")}, "value"),
        ({"year": 1999}, "year"),
    ],
)
def test_a_target_the_rules_refuse_is_not_saved(national_admin, fields, field):
    values = {"metric": "ecommerce_pct", "year": 2030, "value": Decimal(60), **fields}
    with pytest.raises(ValidationError) as refused:
        indicator_services.target_save(target=IndicatorTarget(**values), by=national_admin)
    assert field in refused.value.message_dict
    assert not IndicatorTarget.objects.exists()


def test_the_admin_keeps_targets_through_the_service_with_history(login, national_admin, officer_a, province_a):
    client = login(national_admin)
    form = {"metric": "ecommerce_pct", "province": province_a.pk, "year": 2030, "value": "60", "source": "KH 45"}
    response = client.post("/admin/indicators/indicatortarget/add/", {**form, "baseline_year": "2022"})
    assert response.status_code == 200  # half a baseline: the form says so, nothing saved
    assert "Give both the baseline year and its value, or neither." in response.content.decode() or (
        "năm gốc" in response.content.decode()
    )
    assert not IndicatorTarget.objects.exists()
    assert client.post("/admin/indicators/indicatortarget/add/", form).status_code == 302
    saved = IndicatorTarget.objects.get()
    assert (saved.province, saved.value, saved.history.get().history_user) == (province_a, 60, national_admin)
    assert login(officer_a).get("/admin/indicators/indicatortarget/").status_code in (302, 403)


@pytest.fixture
def figures(questionnaire, open_round, national_admin, province_a, province_b):
    # Đồng Tháp: 5 of 5 sell on a marketplace (100 %); Đắk Lắk: 2 of 5 (40 %).
    for index in range(5):
        cooperative = CooperativeFactory(province=province_a, code=f"820000070{index}")
        answer(questionnaire, open_round, cooperative, national_admin, ONLINE_CHANNELS=["marketplace"])
        cooperative = CooperativeFactory(province=province_b, code=f"660000070{index}")
        channels = ["marketplace"] if index < 2 else ["none"]
        answer(questionnaire, open_round, cooperative, national_admin, ONLINE_CHANNELS=channels)
    indicator_services.aggregate_indicators()
    return open_round


def test_cards_say_on_or_off_track_against_the_provinces_own_target_else_the_national_one(
    login, national_admin, officer_a, officer_b, province_a, figures
):
    year = figures.opens_on.year
    for fields in (
        {"year": year + 4, "value": Decimal(60), "baseline_year": year - 4, "baseline_value": Decimal(20)},
        {"year": year + 4, "value": Decimal(100), "province": province_a, "source": "KH 45/KH-UBND"},
    ):
        indicator_services.target_save(target=IndicatorTarget(metric="ecommerce_pct", **fields), by=national_admin)
    own = card(login(officer_a).get("/").content.decode(), "ecommerce_pct")
    assert "Đạt mục tiêu" in own and f"mục tiêu của tỉnh năm {year + 4}: 100,0" in own
    national = card(login(officer_b).get("/").content.decode(), "ecommerce_pct")
    # 40 % against the path from 20 % to 60 %: 40 % is due halfway.
    assert "Đúng tiến độ" in national and f"mục tiêu quốc gia năm {year + 4}: 60,0" in national
    assert "(theo lộ trình: 40,0)" in national
    IndicatorTarget.objects.filter(province__isnull=True).update(baseline_value=Decimal(30))
    national = card(login(officer_b).get("/").content.decode(), "ecommerce_pct")
    assert "Chậm tiến độ" in national and "(theo lộ trình: 45,0)" in national


def test_a_task_page_judges_its_linked_indicator_round_by_round(login, national_admin, figures):
    from directives.models import DirectiveTask

    task = next(t for t in DirectiveTask.objects.filter(province__isnull=True) if "ecommerce_pct" in t.indicator_codes)
    year = figures.opens_on.year
    indicator_services.target_save(
        target=IndicatorTarget(metric="ecommerce_pct", year=year, value=Decimal(80)), by=national_admin
    )
    page = login(national_admin).get(f"/directives/tasks/{task.pk}/").content.decode()
    assert 'data-status="off_track"' in page  # 70 % nationally in the target's own year
    assert f"mục tiêu quốc gia năm {year}: 80,0" in page
