"""Completeness and timeliness figures against the hand computation of ``timeliness_data``."""

from __future__ import annotations

import datetime
import html
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from indicators import services as indicator_services
from indicators.timeliness import timeliness
from surveys import selectors as survey_selectors
from surveys.models import Response, ResponseStatus
from tests.indicators.timeliness_data import at, prepare

pytestmark = pytest.mark.django_db


def _counts(row) -> dict[str, int]:
    return {
        name: getattr(row, name)
        for name in (
            "expected",
            "counted",
            "submitted",
            "on_time",
            "due_for_review",
            "reviewed_in_time",
            "waiting_late",
        )
    }


def test_figures_per_province_and_nation_match_the_hand_computation(ministry_analyst, django_assert_num_queries):
    data = prepare()
    with django_assert_num_queries(3):
        figures = timeliness(user=ministry_analyst, rounds=[data.survey_round])[data.survey_round.pk]
    rows = {row.province.code: row for row in figures.provinces}
    assert len(rows) == 34
    assert _counts(rows["82"]) == {
        "expected": 7,
        "counted": 2,
        "submitted": 5,
        "on_time": 2,
        "due_for_review": 4,
        "reviewed_in_time": 2,
        "waiting_late": 1,
    }
    assert _counts(rows["66"]) == {
        "expected": 2,
        "counted": 1,
        "submitted": 1,
        "on_time": 1,
        "due_for_review": 1,
        "reviewed_in_time": 1,
        "waiting_late": 0,
    }
    assert _counts(figures.nation) == {
        "expected": 9,
        "counted": 3,
        "submitted": 6,
        "on_time": 3,
        "due_for_review": 5,
        "reviewed_in_time": 3,
        "waiting_late": 1,
    }
    assert rows["82"].coverage_pct.quantize(Decimal("0.1")) == Decimal("28.6")
    assert rows["82"].on_time_pct == Decimal(40)
    assert rows["82"].reviewed_in_time_pct == Decimal(50)
    # A province with no cooperative has no share, not 0 %.
    assert rows["01"].expected == 0 and rows["01"].coverage_pct is None and rows["01"].on_time_pct is None


def test_the_close_is_the_end_of_the_closing_day_in_viet_nam(ministry_analyst):
    """23:30 on the closing day in Hồ Chí Minh time is on time; 00:30 the next day (still the
    closing day in UTC) is late; one minute before midnight too is on time."""
    data = prepare()
    on_time = lambda: timeliness(user=ministry_analyst, rounds=[data.survey_round])[data.survey_round.pk]  # noqa: E731
    before = {row.province.code: row.on_time for row in on_time().provinces}["82"]
    assert before == 2
    late = Response.objects.get(cooperative=data.a["a3"])
    assert late.submitted_at.astimezone(datetime.UTC).date() == data.closes_on
    Response.objects.filter(pk=late.pk).update(submitted_at=at(data.closes_on, 23, 59))
    assert {row.province.code: row.on_time for row in on_time().provinces}["82"] == 3
    Response.objects.filter(pk=late.pk).update(submitted_at=at(data.closes_on + datetime.timedelta(days=1), 0, 0))
    assert {row.province.code: row.on_time for row in on_time().provinces}["82"] == 2


def test_the_review_delay_is_a_setting_and_exactly_n_days_is_in_time(ministry_analyst, settings):
    data = prepare()
    settings.REVIEW_WITHIN_DAYS = 12
    rows = {
        row.province.code: row
        for row in timeliness(user=ministry_analyst, rounds=[data.survey_round])[data.survey_round.pk].provinces
    }
    # a2, reviewed 12 days after its submission, is now in time; a4 still waits past 12 days.
    assert (rows["82"].due_for_review, rows["82"].reviewed_in_time, rows["82"].waiting_late) == (4, 3, 1)
    assert rows["82"].review_within_days == 12
    settings.REVIEW_WITHIN_DAYS = 30
    rows = {
        row.province.code: row
        for row in timeliness(user=ministry_analyst, rounds=[data.survey_round])[data.survey_round.pk].provinces
    }
    # a4 (28 days) is no longer overdue: undecided, out of the base.
    assert (rows["82"].due_for_review, rows["82"].reviewed_in_time, rows["82"].waiting_late) == (3, 3, 0)


def test_a_waiting_response_turns_late_at_the_midnight_after_its_days_run_out(ministry_analyst, settings):
    """Not in the middle of a day: the figures change with a write or at midnight, as the API's
    validators (the data version and the day) say."""
    data = prepare()
    settings.REVIEW_WITHIN_DAYS = 30
    # a4 was sent on the close + 2 days at 09:00 (Viet Nam); its 30 days run out at 09:00 on the
    # close + 32 days, and it counts as late from the next midnight.
    run_out = data.closes_on + datetime.timedelta(days=32)

    def waiting_late(when):
        figures = timeliness(user=ministry_analyst, rounds=[data.survey_round], now=when)[data.survey_round.pk]
        return {row.province.code: row for row in figures.provinces}["82"].waiting_late

    assert waiting_late(at(run_out, 8, 59)) == 0
    assert waiting_late(at(run_out, 15, 0)) == 0  # the same day, after 09:00: not yet
    assert waiting_late(at(run_out + datetime.timedelta(days=1), 0, 0)) == 1


def test_counting_submitted_responses_raises_coverage_only(ministry_analyst, settings):
    data = prepare()
    settings.SURVEYS_COUNT_SUBMITTED = True
    rows = {
        row.province.code: row
        for row in timeliness(user=ministry_analyst, rounds=[data.survey_round])[data.survey_round.pk].provinces
    }
    assert (rows["82"].counted, rows["82"].submitted, rows["82"].on_time) == (4, 5, 2)


def test_an_officer_sees_their_province_and_the_nation_only(officer_a, officer_b):
    data = prepare()
    figures = timeliness(user=officer_a, rounds=[data.survey_round])[data.survey_round.pk]
    assert [row.province.code for row in figures.provinces] == ["82"]
    assert (figures.provinces[0].counted, figures.nation.counted) == (2, 3)
    other = timeliness(user=officer_b, rounds=[data.survey_round])[data.survey_round.pk]
    assert [(row.province.code, row.expected) for row in other.provinces] == [("66", 2)]


def test_a_provincial_round_concerns_its_province_only(ministry_analyst, questionnaire, province_a):
    data = prepare()
    today = timezone.localdate()
    local = data.survey_round.__class__.objects.create(
        code="DT2026",
        name_vi="Khảo sát Đồng Tháp",
        questionnaire=questionnaire,
        province=province_a,
        opens_on=today - datetime.timedelta(days=5),
        closes_on=today + datetime.timedelta(days=5),
    )
    Response.objects.create(
        round=local, cooperative=data.a["a1"], status=ResponseStatus.SUBMITTED, submitted_at=timezone.now()
    )
    figures = timeliness(user=ministry_analyst, rounds=[local])[local.pk]
    assert [row.province.code for row in figures.provinces] == ["82"]
    assert (figures.nation.expected, figures.nation.submitted, figures.nation.on_time) == (7, 1, 1)


def test_the_open_round_counts_rest_on_the_same_expected_cooperatives(ministry_analyst):
    """One rule: the dashboard's "not started" count and the coverage's base leave out the archived
    and dissolved cooperatives alike."""
    data = prepare()
    counts = survey_selectors.round_counts(survey_round=data.survey_round, user=ministry_analyst)
    figures = timeliness(user=ministry_analyst, rounds=[data.survey_round])[data.survey_round.pk]
    assert counts["total"] == figures.nation.expected == 9
    assert counts["accepted"] == figures.nation.counted == 3
    # a6 and b2 have no response.
    assert counts["not_started"] == 2


def _row(page: str, key: str) -> str:
    """The text of one row of the completeness table, tags removed."""
    match = re.search(rf'<tr data-testid="timeliness-{key}">(.*?)</tr>', page, re.S)
    assert match, key
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", match.group(1))).split())


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("vi", "Khảo sát 2026 7 28,6% 2 / 7 40,0% 2 / 5 50,0% 2 / 4 1"),
        ("en", "Survey 2026 7 28.6% 2 / 7 40.0% 2 / 5 50.0% 2 / 4 1"),
    ],
)
def test_the_officers_dashboard_shows_their_provinces_rounds_with_the_counts(
    client, login, officer_a, language, expected
):
    data = prepare()
    indicator_services.aggregate_indicators()
    client.cookies["django_language"] = language
    page = login(officer_a).get("/dashboard/").content.decode()
    assert _row(page, "82") == expected
    assert 'data-testid="timeliness-66"' not in page and 'data-testid="timeliness-nation"' not in page
    heading = "Chờ duyệt quá 10 ngày" if language == "vi" else "Waiting over 10 days"
    assert heading in page and data.survey_round.opens_on < timezone.localdate()


def test_the_national_dashboard_lists_the_provinces_of_the_chosen_round_and_the_nation(login, ministry_analyst):
    data = prepare()
    indicator_services.aggregate_indicators()
    page = login(ministry_analyst).get("/dashboard/", {"round": data.survey_round.code}).content.decode()
    assert _row(page, "82") == "Đồng Tháp 7 28,6% 2 / 7 40,0% 2 / 5 50,0% 2 / 4 1"
    assert _row(page, "66") == "Đắk Lắk 2 50,0% 1 / 2 100,0% 1 / 1 100,0% 1 / 1 0"
    assert _row(page, "nation") == "Cả nước 9 33,3% 3 / 9 50,0% 3 / 6 60,0% 3 / 5 1"
    # A province without cooperatives has no share; every province has its row, sortable.
    assert _row(page, "01") == "Hà Nội 0 — — — 0"
    assert page.count('<tr data-testid="timeliness-') == 34 + 1
    table = page[page.index('data-testid="timeliness-table"') :]
    assert table.startswith('data-testid="timeliness-table" data-sortable>')


def test_the_nightly_coverage_and_the_completeness_table_agree(ministry_analyst):
    """Both rest on the cooperatives expected to answer: the accepted answers of the dissolved a8
    (and the archived a7) count in neither coverage, whatever the nightly job counts in its shares."""
    from indicators.models import IndicatorSnapshot

    data = prepare()
    indicator_services.aggregate_indicators()
    snapshot = IndicatorSnapshot.objects.get(round=data.survey_round, scope_key="p:82", metric="survey_coverage_pct")
    live = {
        row.province.code: row
        for row in timeliness(user=ministry_analyst, rounds=[data.survey_round])[data.survey_round.pk].provinces
    }["82"]
    assert (snapshot.numerator, snapshot.denominator) == (live.counted, live.expected) == (2, 7)
    surveyed = IndicatorSnapshot.objects.get(round=data.survey_round, scope_key="p:82", metric="surveyed_total")
    assert surveyed.numerator == 3  # a1, a2 and the dissolved a8: its answers stay in the shares
