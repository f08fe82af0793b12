"""The status rule at each boundary, as a pure function and as the board's database expression."""

import datetime
import types

import pytest
from django.utils import timezone as django_timezone
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from directives import periods as periods_module
from directives import selectors
from directives import status as status_module
from directives.status import (
    ReportFact,
    TaskStatus,
    first_done_on,
    latest_closed_period,
    period_containing,
    period_history,
    status_for,
    task_status,
)
from tests.directives.conftest import TaskFactory, at_vn, report

D = datetime.date
DEADLINE = D(2025, 6, 30)


def _deadline_status(done_on, today):
    reports = [ReportFact(done=True, submitted_on=done_on)] if done_on else []
    return task_status(deadline=DEADLINE, reporting_period="", starts_on=D(2025, 1, 1), reports=reports, today=today)


def test_due_today_and_not_done_is_still_in_time():
    assert _deadline_status(None, DEADLINE).status == TaskStatus.IN_PROGRESS


def test_not_done_the_day_after_the_deadline_is_overdue():
    assert _deadline_status(None, DEADLINE + datetime.timedelta(days=1)).status == TaskStatus.OVERDUE


def test_done_on_the_deadline_is_done_on_time():
    assert _deadline_status(DEADLINE, D(2025, 8, 1)).status == TaskStatus.DONE_ON_TIME


def test_done_the_day_after_the_deadline_is_done_late():
    assert _deadline_status(DEADLINE + datetime.timedelta(days=1), D(2025, 8, 1)).status == TaskStatus.DONE_LATE


def test_an_in_progress_report_never_completes_a_task():
    reports = [ReportFact(done=False, submitted_on=D(2025, 6, 1))]
    result = task_status(
        deadline=DEADLINE, reporting_period="", starts_on=D(2025, 1, 1), reports=reports, today=D(2025, 7, 1)
    )
    assert result.status == TaskStatus.OVERDUE


def test_the_first_done_report_counts_not_a_later_one():
    reports = [ReportFact(done=True, submitted_on=D(2025, 6, 1)), ReportFact(done=True, submitted_on=D(2025, 7, 9))]
    result = task_status(
        deadline=DEADLINE, reporting_period="", starts_on=D(2025, 1, 1), reports=reports, today=D(2025, 8, 1)
    )
    assert result.status == TaskStatus.DONE_ON_TIME
    assert result.completed_on == D(2025, 6, 1)


@pytest.mark.parametrize(
    ("period", "today", "start", "end"),
    [
        ("monthly", D(2025, 3, 1), D(2025, 2, 1), D(2025, 2, 28)),
        ("monthly", D(2025, 1, 15), D(2024, 12, 1), D(2024, 12, 31)),
        ("quarterly", D(2025, 5, 20), D(2025, 1, 1), D(2025, 3, 31)),
        ("half_yearly", D(2025, 7, 1), D(2025, 1, 1), D(2025, 6, 30)),
        ("yearly", D(2025, 12, 31), D(2024, 1, 1), D(2024, 12, 31)),
    ],
)
def test_latest_closed_period_is_the_last_whole_calendar_period_before_today(period, today, start, end):
    closed = latest_closed_period(period, today)
    assert (closed.start, closed.end) == (start, end)
    assert closed.due == end + datetime.timedelta(days=15)


def _quarterly(reports, today):
    return task_status(
        deadline=None, reporting_period="quarterly", starts_on=D(2024, 1, 1), reports=reports, today=today
    )


# Judged on Q1 2025 (1/1–31/3), whose report is due on 15/4/2025.
Q1 = D(2025, 1, 1)


def test_recurring_report_on_the_last_grace_day_is_on_time():
    result = _quarterly([ReportFact(done=True, submitted_on=D(2025, 4, 15), period_start=Q1)], D(2025, 5, 1))
    assert result.status == TaskStatus.DONE_ON_TIME
    assert result.due == D(2025, 4, 15)


def test_recurring_report_after_the_grace_days_is_late():
    result = _quarterly([ReportFact(done=True, submitted_on=D(2025, 4, 16), period_start=Q1)], D(2025, 5, 1))
    assert result.status == TaskStatus.DONE_LATE


def test_recurring_report_missing_after_the_grace_days_is_overdue():
    assert _quarterly([], D(2025, 4, 16)).status == TaskStatus.OVERDUE


def test_recurring_report_missing_within_the_grace_days_is_still_in_time():
    assert _quarterly([], D(2025, 4, 15)).status == TaskStatus.IN_PROGRESS


def test_a_report_for_another_period_does_not_count():
    other = ReportFact(done=True, submitted_on=D(2025, 1, 10), period_start=D(2024, 10, 1))
    assert _quarterly([other], D(2025, 4, 20)).status == TaskStatus.OVERDUE


def test_recurring_task_is_in_time_while_its_first_period_runs():
    result = task_status(
        deadline=None, reporting_period="yearly", starts_on=D(2025, 3, 1), reports=[], today=D(2025, 11, 1)
    )
    assert result.status == TaskStatus.IN_PROGRESS
    assert result.period is None


def test_period_history_judges_every_period_newest_first():
    reports = [
        ReportFact(done=True, submitted_on=D(2025, 1, 10), period_start=D(2024, 10, 1)),
        ReportFact(done=True, submitted_on=D(2025, 4, 30), period_start=D(2025, 1, 1)),
    ]
    history = period_history(
        starts_on=D(2024, 8, 15), reporting_period="quarterly", reports=reports, today=D(2025, 5, 2)
    )
    assert [(r.period.start, r.status, r.is_open) for r in history] == [
        (D(2025, 4, 1), TaskStatus.IN_PROGRESS, True),
        (D(2025, 1, 1), TaskStatus.DONE_LATE, False),
        (D(2024, 10, 1), TaskStatus.DONE_ON_TIME, False),
        (D(2024, 7, 1), TaskStatus.OVERDUE, False),
    ]


# --- Determinism: the same facts and the same ``today`` give the same answer --------------------

PERIODS = ["", "monthly", "quarterly", "half_yearly", "yearly"]
days = st.dates(min_value=D(2023, 1, 1), max_value=D(2026, 12, 31))
report_facts = st.lists(
    st.builds(
        ReportFact,
        done=st.booleans(),
        submitted_on=days,
        period_start=st.one_of(st.none(), days.map(lambda d: period_containing(d, "quarterly").start)),
        source=st.integers(min_value=1, max_value=10_000),
    ),
    max_size=6,
)


class _FakeDate(datetime.date):
    """``date.today()`` answers whatever the test says: code that reads the clock changes answer."""

    fixed = D(2000, 1, 1)

    @classmethod
    def today(cls):
        return cls.fixed


class _FakeDateTime(datetime.datetime):
    fixed = datetime.datetime(2000, 1, 1, 12, tzinfo=datetime.UTC)

    @classmethod
    def now(cls, tz=None):
        return cls.fixed if tz is None else cls.fixed.astimezone(tz)

    @classmethod
    def utcnow(cls):
        return cls.fixed.replace(tzinfo=None)

    @classmethod
    def today(cls):
        return cls.fixed.replace(tzinfo=None)


def _judge_at_clock(clock, *, deadline, period, starts_on, reports, today):
    """Everything the rule answers (status, due, completion, judged period, the whole history),
    computed while the wall clock (``datetime`` in the module and Django's ``timezone.now``)
    says ``clock``."""
    fake = types.SimpleNamespace(date=_FakeDate, datetime=_FakeDateTime, timedelta=datetime.timedelta)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_FakeDate, "fixed", clock.date())
        patch.setattr(_FakeDateTime, "fixed", clock)
        patch.setattr(status_module, "datetime", fake)
        patch.setattr(periods_module, "datetime", fake)
        patch.setattr(django_timezone, "now", lambda: clock)
        assessment = task_status(
            deadline=deadline, reporting_period=period, starts_on=starts_on, reports=reports, today=today
        )
        history = (
            period_history(starts_on=starts_on, reporting_period=period, reports=reports, today=today) if period else []
        )
    # The reports listed under each period keep the caller's order (the page sorts them); what
    # they are must not depend on it, so they are compared as a multiset.
    return assessment, [(r.period, r.status, r.completed_on, r.is_open, sorted(map(repr, r.reports))) for r in history]


@hypothesis_settings(max_examples=300, deadline=None, derandomize=True)
@given(
    deadline=st.one_of(st.none(), days),
    period=st.sampled_from(PERIODS),
    starts_on=days,
    reports=report_facts,
    today=days,
    order=st.randoms(use_true_random=False),
)
def test_status_is_deterministic_given_the_reports_and_today(deadline, period, starts_on, reports, today, order):
    """Computed twice, under two wall clocks 30 years apart and with the reports in two orders,
    the status, due date, completion date, judged period and period history are identical."""
    facts = {"deadline": deadline, "period": period, "starts_on": min(starts_on, today)}
    shuffled = list(reports)
    order.shuffle(shuffled)
    first = _judge_at_clock(
        datetime.datetime(1995, 3, 1, 8, tzinfo=datetime.UTC), reports=reports, today=today, **facts
    )
    second = _judge_at_clock(
        datetime.datetime(2031, 11, 30, 23, 59, tzinfo=datetime.UTC), reports=shuffled, today=today, **facts
    )
    assert first == second
    assessment, _history = first
    # And the answer is the rule's, not merely a stable one.
    expected_completed = first_done_on(reports, assessment.period.start if assessment.period else None)
    if period and assessment.period is None:
        assert assessment.status == TaskStatus.IN_PROGRESS
    else:
        assert assessment.completed_on == expected_completed
        assert assessment.status == status_for(due=assessment.due, completed_on=expected_completed, today=today)


def test_the_leap_day_closes_february_and_status_for_reads_no_clock():
    assert period_containing(D(2024, 2, 29), "monthly").end == D(2024, 2, 29)
    answers = {
        _judge_at_clock(
            clock, deadline=D(2025, 1, 1), period="", starts_on=D(2024, 1, 1), reports=[], today=D(2025, 1, 1)
        )[0].status
        for clock in (
            datetime.datetime(2024, 12, 31, tzinfo=datetime.UTC),
            datetime.datetime(2025, 1, 2, tzinfo=datetime.UTC),
        )
    }
    assert answers == {TaskStatus.IN_PROGRESS}


# --- The database expression agrees with the pure function --------------------------------


@pytest.mark.django_db
def test_the_done_date_is_the_viet_nam_date_of_the_report(national_admin):
    task = TaskFactory(deadline=DEADLINE)
    # 17:30 UTC on 30 June is 00:30 on 1 July in Viet Nam: one day late.
    report(task, by=national_admin, at=datetime.datetime(2025, 6, 30, 17, 30, tzinfo=datetime.UTC))
    row = selectors.task_list(user=national_admin, today=D(2025, 8, 1)).get(pk=task.pk)
    assert row.completed_on == D(2025, 7, 1)
    assert row.status == TaskStatus.DONE_LATE


SCENARIOS = [
    # (deadline, reporting period, reports as (status, Viet Nam date, period start), today)
    (DEADLINE, "", [], DEADLINE),
    (DEADLINE, "", [], D(2025, 7, 1)),
    (DEADLINE, "", [("done", DEADLINE, None)], D(2025, 9, 1)),
    (DEADLINE, "", [("done", D(2025, 7, 1), None)], D(2025, 9, 1)),
    (DEADLINE, "", [("in_progress", D(2025, 6, 1), None)], D(2025, 9, 1)),
    (None, "quarterly", [("done", D(2025, 4, 15), Q1)], D(2025, 5, 1)),
    (None, "quarterly", [("done", D(2025, 4, 16), Q1)], D(2025, 5, 1)),
    (None, "quarterly", [], D(2025, 4, 15)),
    (None, "quarterly", [], D(2025, 4, 16)),
    (None, "monthly", [("done", D(2025, 3, 2), D(2025, 2, 1))], D(2025, 3, 20)),
    (None, "half_yearly", [("in_progress", D(2025, 7, 2), D(2025, 1, 1))], D(2025, 7, 20)),
    (None, "yearly", [], D(2024, 6, 1)),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("deadline", "period", "reports", "today"), SCENARIOS)
def test_board_status_in_the_database_matches_the_pure_function(national_admin, deadline, period, reports, today):
    task = TaskFactory(deadline=deadline, reporting_period=period, starts_on=D(2024, 1, 1))
    for status, day, period_start in reports:
        report(
            task,
            by=national_admin,
            status=status,
            at=at_vn(day.year, day.month, day.day, 23),
            period_start=period_start,
        )
    row = selectors.task_list(user=national_admin, today=today).get(pk=task.pk)
    expected, _history = selectors.task_assessment(task=task, reports=selectors.task_reports(task=task), today=today)
    assert row.status == expected.status
    assert row.due_on == expected.due
    assert row.completed_on == expected.completed_on
