"""Reporting periods under a document's rule: calendar, or the Decree 09/2019 cut-off (15th–14th),
at their boundaries, with the due date the document sets; and everything that uses them."""

import datetime
import random

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from accounts.models import Role
from directives import selectors, services
from directives.models import Document, ReminderLog, ReportStatus
from directives.periods import (
    PERIOD_MONTHS,
    Period,
    ReportingRule,
    Schedule,
    add_months,
    judged_period,
    latest_closed_period,
    period_containing,
)
from directives.reminders import reminders_send
from directives.status import ReportFact, TaskStatus, task_status
from tests.directives.conftest import DocumentFactory, TaskFactory, at_vn, report
from tests.factories import UserFactory

D = datetime.date
DECREE = Schedule.of(ReportingRule.DECREE_09, None)
CALENDAR = Schedule.of(ReportingRule.CALENDAR, None)


def _bounds(day, length, schedule=DECREE):
    period = period_containing(day, length, schedule)
    return period.start, period.end


# --- Decree 09 periods at the 14th and the 15th -------------------------------------------------


@pytest.mark.parametrize(
    ("length", "day", "start", "end"),
    [
        ("monthly", D(2026, 3, 14), D(2026, 2, 15), D(2026, 3, 14)),
        ("monthly", D(2026, 3, 15), D(2026, 3, 15), D(2026, 4, 14)),
        ("quarterly", D(2026, 3, 14), D(2025, 12, 15), D(2026, 3, 14)),
        ("quarterly", D(2026, 3, 15), D(2026, 3, 15), D(2026, 6, 14)),
        ("quarterly", D(2026, 6, 14), D(2026, 3, 15), D(2026, 6, 14)),
        ("quarterly", D(2026, 6, 15), D(2026, 6, 15), D(2026, 9, 14)),
        ("quarterly", D(2026, 9, 15), D(2026, 9, 15), D(2026, 12, 14)),
        ("quarterly", D(2026, 2, 14), D(2025, 12, 15), D(2026, 3, 14)),
        ("half_yearly", D(2026, 6, 14), D(2025, 12, 15), D(2026, 6, 14)),
        ("half_yearly", D(2026, 6, 15), D(2026, 6, 15), D(2026, 12, 14)),
        ("yearly", D(2026, 12, 14), D(2025, 12, 15), D(2026, 12, 14)),
        ("yearly", D(2026, 12, 15), D(2026, 12, 15), D(2027, 12, 14)),
        ("yearly", D(2026, 7, 1), D(2025, 12, 15), D(2026, 12, 14)),
    ],
)
def test_a_decree_09_period_runs_from_the_15th_to_the_14th(length, day, start, end):
    assert _bounds(day, length) == (start, end)


# --- Year end -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("length", "before", "after"),
    [
        # (the period of 14 Dec, the period of 15 Dec, 31 Dec and 1 Jan)
        ("monthly", (D(2025, 11, 15), D(2025, 12, 14)), (D(2025, 12, 15), D(2026, 1, 14))),
        ("quarterly", (D(2025, 9, 15), D(2025, 12, 14)), (D(2025, 12, 15), D(2026, 3, 14))),
        ("half_yearly", (D(2025, 6, 15), D(2025, 12, 14)), (D(2025, 12, 15), D(2026, 6, 14))),
        ("yearly", (D(2024, 12, 15), D(2025, 12, 14)), (D(2025, 12, 15), D(2026, 12, 14))),
    ],
)
def test_from_15_december_the_days_belong_to_the_next_years_first_period(length, before, after):
    assert _bounds(D(2025, 12, 14), length) == before
    assert _bounds(D(2025, 12, 15), length) == after
    assert _bounds(D(2025, 12, 31), length) == after
    assert _bounds(D(2026, 1, 1), length) == after


@pytest.mark.parametrize(
    ("length", "end_of_year"),
    [("monthly", D(2025, 12, 31)), ("quarterly", D(2025, 12, 31)), ("half_yearly", D(2025, 12, 31))],
)
def test_calendar_periods_still_end_on_31_december(length, end_of_year):
    assert _bounds(D(2025, 12, 31), length, CALENDAR)[1] == end_of_year
    assert _bounds(D(2026, 1, 1), length, CALENDAR)[0] == D(2026, 1, 1)


# --- Leap years --------------------------------------------------------------------------------


def test_the_monthly_period_containing_29_february_2028_has_29_days():
    start, end = _bounds(D(2028, 2, 29), "monthly")
    assert (start, end) == (D(2028, 2, 15), D(2028, 3, 14))
    assert (end - start).days + 1 == 29
    assert _bounds(D(2028, 2, 29), "quarterly") == (D(2027, 12, 15), D(2028, 3, 14))
    assert _bounds(D(2028, 2, 29), "half_yearly") == (D(2027, 12, 15), D(2028, 6, 14))
    assert _bounds(D(2028, 2, 29), "yearly") == (D(2027, 12, 15), D(2028, 12, 14))


def test_28_february_2027_lies_in_a_monthly_period_of_28_days():
    start, end = _bounds(D(2027, 2, 28), "monthly")
    assert (start, end) == (D(2027, 2, 15), D(2027, 3, 14))
    assert (end - start).days + 1 == 28


def test_calendar_february_ends_on_the_leap_day_and_its_report_is_due_15_days_later():
    leap = period_containing(D(2028, 2, 29), "monthly")
    assert leap == Period(D(2028, 2, 1), D(2028, 2, 29), D(2028, 3, 15))
    plain = period_containing(D(2027, 2, 28), "monthly")
    assert plain == Period(D(2027, 2, 1), D(2027, 2, 28), D(2027, 3, 15))


# --- Latest closed period, due dates ----------------------------------------------------------


def test_on_the_14th_the_period_still_runs_and_on_the_15th_it_is_the_latest_closed():
    assert latest_closed_period("quarterly", D(2026, 3, 14), DECREE) == Period(
        D(2025, 9, 15), D(2025, 12, 14), D(2025, 12, 20)
    )
    assert latest_closed_period("quarterly", D(2026, 3, 15), DECREE) == Period(
        D(2025, 12, 15), D(2026, 3, 14), D(2026, 3, 20)
    )
    assert latest_closed_period("yearly", D(2026, 12, 15), DECREE).end == D(2026, 12, 14)
    assert latest_closed_period("yearly", D(2026, 12, 14), DECREE).end == D(2025, 12, 14)
    assert latest_closed_period("monthly", D(2026, 1, 1), DECREE).end == D(2025, 12, 14)


@pytest.mark.parametrize(("days", "due"), [(None, D(2026, 3, 20)), (0, D(2026, 3, 14)), (3, D(2026, 3, 17))])
def test_the_due_date_is_the_cut_off_end_plus_the_documents_days(days, due):
    schedule = Schedule.of(ReportingRule.DECREE_09, days)
    assert latest_closed_period("monthly", D(2026, 3, 15), schedule).due == due


def test_the_default_days_are_15_for_calendar_periods_and_6_under_decree_09():
    assert CALENDAR.due_days == 15
    assert DECREE.due_days == 6
    assert Schedule.of("", None) == CALENDAR


def test_a_task_started_in_the_running_period_is_not_judged_yet():
    assert (
        judged_period(starts_on=D(2026, 3, 15), reporting_period="quarterly", today=D(2026, 6, 14), schedule=DECREE)
        is None
    )
    judged = judged_period(
        starts_on=D(2026, 3, 15), reporting_period="quarterly", today=D(2026, 6, 15), schedule=DECREE
    )
    assert judged is not None and judged.start == D(2026, 3, 15)


@hypothesis_settings(max_examples=400, deadline=None, derandomize=True)
@given(
    day=st.dates(min_value=D(2023, 1, 1), max_value=D(2030, 12, 31)),
    length=st.sampled_from(list(PERIOD_MONTHS)),
    schedule=st.sampled_from([CALENDAR, DECREE]),
)
def test_periods_contain_their_day_tile_the_calendar_and_span_their_months(day, length, schedule):
    period = period_containing(day, length, schedule)
    assert period.start <= day <= period.end
    following = period_containing(period.end + datetime.timedelta(days=1), length, schedule)
    assert following.start == period.end + datetime.timedelta(days=1)
    assert add_months(period.start, PERIOD_MONTHS[length]) == add_months(following.start, 0)
    if schedule.rule == ReportingRule.DECREE_09:
        assert (period.start.day, period.end.day) == (15, 14)
        # The period is named after its last month, the calendar period it reports on.
        assert period_containing(period.end.replace(day=1), length, CALENDAR).end.month == period.end.month
    assert period.due == period.end + datetime.timedelta(days=schedule.due_days)


# --- The four categories, per period, for a Decree 09 task ------------------------------------

# A quarterly task judged on 15/12/2025–14/3/2026, whose report is due on 20/3/2026.
Q1 = D(2025, 12, 15)


def _decree_quarterly(reports, today):
    return task_status(
        deadline=None,
        reporting_period="quarterly",
        starts_on=D(2025, 1, 1),
        reports=reports,
        today=today,
        schedule=DECREE,
    )


def test_a_decree_09_report_done_on_the_due_date_is_on_time():
    result = _decree_quarterly([ReportFact(done=True, submitted_on=D(2026, 3, 20), period_start=Q1)], D(2026, 4, 1))
    assert (result.status, result.due, result.period.start) == (TaskStatus.DONE_ON_TIME, D(2026, 3, 20), Q1)


def test_a_decree_09_report_done_the_day_after_is_late():
    result = _decree_quarterly([ReportFact(done=True, submitted_on=D(2026, 3, 21), period_start=Q1)], D(2026, 4, 1))
    assert result.status == TaskStatus.DONE_LATE


def test_a_decree_09_report_missing_on_the_due_date_is_in_progress_and_the_day_after_overdue():
    assert _decree_quarterly([], D(2026, 3, 20)).status == TaskStatus.IN_PROGRESS
    assert _decree_quarterly([], D(2026, 3, 21)).status == TaskStatus.OVERDUE


def test_a_report_for_the_calendar_quarter_does_not_complete_the_decree_period():
    calendar_q1 = ReportFact(done=True, submitted_on=D(2026, 3, 18), period_start=D(2026, 1, 1))
    assert _decree_quarterly([calendar_q1], D(2026, 3, 21)).status == TaskStatus.OVERDUE


# --- In the database: the board, the report form, the task page --------------------------------


@pytest.fixture
def decree_document(committee_a):
    return DocumentFactory(number="300/KH-UBND", issuing_agency=committee_a, reporting_rule=ReportingRule.DECREE_09)


@pytest.fixture
def decree_task(decree_document, committee_a):
    return TaskFactory(
        document=decree_document,
        lead_agency=committee_a,
        deadline=None,
        reporting_period="quarterly",
        starts_on=D(2025, 1, 1),
        content="Báo cáo quý theo Nghị định 09",
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("done_on", "today", "status"),
    [
        (D(2026, 3, 20), D(2026, 4, 1), TaskStatus.DONE_ON_TIME),
        (D(2026, 3, 21), D(2026, 4, 1), TaskStatus.DONE_LATE),
        (None, D(2026, 3, 20), TaskStatus.IN_PROGRESS),
        (None, D(2026, 3, 21), TaskStatus.OVERDUE),
    ],
)
def test_the_board_judges_a_decree_09_task_on_its_period(decree_task, national_admin, done_on, today, status):
    if done_on:
        report(decree_task, by=national_admin, at=at_vn(done_on.year, done_on.month, done_on.day, 23), period_start=Q1)
    row = selectors.task_list(user=national_admin, today=today).get(pk=decree_task.pk)
    assert (row.status, row.due_on) == (status, D(2026, 3, 20))
    assert (row.judged_period_start, row.judged_period_end) == (Q1, D(2026, 3, 14))


@pytest.mark.django_db
def test_the_report_form_offers_the_decree_09_periods_with_their_due_dates(decree_task, login, officer_a):
    periods = services.report_periods(task=decree_task, today=D(2026, 3, 15))
    assert [(p.start, p.end, p.due) for p in periods[:2]] == [
        (D(2026, 3, 15), D(2026, 6, 14), D(2026, 6, 20)),
        (D(2025, 12, 15), D(2026, 3, 14), D(2026, 3, 20)),
    ]
    assert periods[-1].start == D(2024, 12, 15)  # the period of the task's start, 1/1/2025
    page = login(officer_a).get(f"/directives/tasks/{decree_task.pk}/")
    html = page.content.decode()
    running = period_containing(timezone.localdate(), "quarterly", DECREE)
    assert f'value="{running.start.isoformat()}"' in html
    assert f"{running.start:%d/%m/%Y} – {running.end:%d/%m/%Y} (hạn {running.due:%d/%m/%Y})" in html
    assert 'value="2025-01-01"' not in html  # no calendar quarter is offered
    assert "chốt số liệu theo Nghị định 09" in html


@pytest.mark.django_db
def test_a_report_is_accepted_for_a_decree_period_and_refused_for_a_calendar_one(decree_task, officer_a):
    fields = {"by": officer_a, "status": ReportStatus.DONE, "percent_done": 100, "narrative": "Đã báo cáo."}
    with pytest.raises(ValidationError) as refused:
        services.report_create(task=decree_task, period_start=D(2025, 10, 1), **fields)
    assert "period_start" in refused.value.error_dict
    created = services.report_create(task=decree_task, period_start=D(2025, 9, 15), **fields)
    assert created.period_start == D(2025, 9, 15)


@pytest.mark.django_db
def test_the_rule_stays_once_a_period_was_reported_but_the_days_may_change(decree_task, decree_document, officer_a):
    report(decree_task, by=officer_a, period_start=D(2025, 9, 15))
    with pytest.raises(ValidationError) as refused:
        services.document_update(document=decree_document, by=officer_a, reporting_rule=ReportingRule.CALENDAR)
    assert "reporting_rule" in refused.value.error_dict
    decree_document.refresh_from_db()
    services.document_update(document=decree_document, by=officer_a, report_due_days=3)
    decree_task.refresh_from_db()
    assert decree_task.schedule == Schedule(ReportingRule.DECREE_09, 3)


@pytest.mark.django_db
def test_the_document_form_sets_the_rule_and_refuses_too_many_days(login, officer_a, committee_a):
    client = login(officer_a)
    fields = {
        "number": "57/KH-UBND",
        "kind": "plan",
        "title": "Kế hoạch báo cáo theo Nghị định 09",
        "issuing_agency": committee_a.pk,
        "issued_on": "01/03/2026",
        "reporting_rule": "decree_09",
        "report_due_days": "91",
    }
    refused = client.post("/directives/documents/new/", fields)
    assert refused.status_code == 200
    assert "report_due_days" in refused.context["form"].errors
    assert client.post("/directives/documents/new/", {**fields, "report_due_days": ""}).status_code == 302
    document = Document.objects.get(number="57/KH-UBND")
    assert document.schedule == DECREE


@pytest.mark.django_db
def test_the_admin_saves_the_rule_through_the_service(login, decree_document):
    client = login(UserFactory(username="root", role=Role.NATIONAL_ADMIN, is_staff=True, is_superuser=True))
    url = f"/admin/directives/document/{decree_document.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {name: form.initial.get(name) or "" for name in form.fields}
    data.update(
        issued_on=decree_document.issued_on.isoformat(),
        issuing_agency=decree_document.issuing_agency_id,
        reporting_rule="calendar",
        report_due_days="10",
    )
    assert client.post(url, data).status_code == 302
    decree_document.refresh_from_db()
    assert decree_document.schedule == Schedule(ReportingRule.CALENDAR, 10)


@pytest.mark.django_db
def test_reminders_and_the_work_list_use_the_decree_09_due_date(decree_document, committee_a, officer_a):
    committee_a.email = "ubnd@example.gov.vn"
    committee_a.save()
    monthly = TaskFactory(
        document=decree_document,
        lead_agency=committee_a,
        deadline=None,
        reporting_period="monthly",
        starts_on=D(2025, 1, 1),
        content="Báo cáo tháng theo Nghị định 09",
    )
    # On 16/3/2026 the month judged is 15/2–14/3, due on 20/3: due soon, not overdue.
    reminders_send(today=D(2026, 3, 16))
    log = ReminderLog.objects.get(task=monthly)
    assert (log.kind, log.period_key, log.due_on) == ("due_soon", D(2026, 2, 15), D(2026, 3, 20))
    body = next(m.body for m in mail.outbox if monthly.content in m.body)
    assert "15/02/2026 – 14/03/2026" in body
    listed = selectors.task_list_to_report(user=officer_a, today=D(2026, 3, 16)).get(pk=monthly.pk)
    assert listed.due_on == D(2026, 3, 20)


@pytest.mark.django_db
def test_the_api_gives_the_rule_and_the_judged_period(login, officer_a, decree_task):
    client = login(officer_a)
    document = client.get(f"/api/v1/directives/documents/{decree_task.document_id}/").json()
    assert (document["reporting_rule"], document["report_due_days"]) == ("decree_09", None)
    task = client.get(f"/api/v1/directives/tasks/{decree_task.pk}/").json()
    running = period_containing(timezone.localdate(), "quarterly", DECREE)
    judged = latest_closed_period("quarterly", timezone.localdate(), DECREE)
    assert task["judged_period_start"] == judged.start.isoformat()
    assert task["judged_period_end"] == judged.end.isoformat()
    assert task["due_on"] == judged.due.isoformat()
    assert task["report_periods"][0] == {
        "start": running.start.isoformat(),
        "end": running.end.isoformat(),
        "due": running.due.isoformat(),
    }


@pytest.mark.django_db
def test_the_export_shows_the_judged_period_as_dates(login, national_admin, decree_task):
    import io

    import openpyxl

    response = login(national_admin).get(f"/directives/documents/{decree_task.document_id}/export.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header = [cell.value for cell in next(sheet.iter_rows(max_row=1))]
    judged = latest_closed_period("quarterly", timezone.localdate(), DECREE)
    row = [cell.value for cell in next(sheet.iter_rows(min_row=2, max_row=2))]
    assert row[header.index("Kỳ được đánh giá")] == f"{judged.start:%d/%m/%Y} – {judged.end:%d/%m/%Y}"


# --- The database rule agrees with the Python rule, for both rules -----------------------------

DOCUMENT_SCHEDULES = [
    (ReportingRule.CALENDAR, None),
    (ReportingRule.CALENDAR, 10),
    (ReportingRule.DECREE_09, None),
    (ReportingRule.DECREE_09, 0),
]
BOUNDARY_DAYS = [
    D(2025, 3, 14),
    D(2025, 3, 15),
    D(2025, 3, 20),
    D(2025, 3, 21),
    D(2025, 12, 14),
    D(2025, 12, 15),
    D(2025, 12, 31),
    D(2026, 1, 1),
    D(2026, 1, 15),
    D(2027, 2, 28),
    D(2027, 3, 1),
    D(2028, 2, 14),
    D(2028, 2, 15),
    D(2028, 2, 29),
    D(2028, 3, 1),
    D(2028, 3, 14),
    D(2028, 3, 15),
    D(2028, 12, 31),
]


@pytest.mark.django_db
def test_the_database_rule_agrees_with_the_python_rule_under_both_rules(national_admin, committee_a):
    """Tasks of each rule and length, with reports on random periods around their due dates,
    judged on month ends, 14ths/15ths, year ends, 29 February and random days."""
    chance = random.Random(2026)
    tasks = []
    for number, (rule, due_days) in enumerate(DOCUMENT_SCHEDULES):
        document = DocumentFactory(
            number=f"{number}/KH-KY", issuing_agency=committee_a, reporting_rule=rule, report_due_days=due_days
        )
        for length in PERIOD_MONTHS:
            starts_on = chance.choice([D(2024, 12, 15), D(2025, 1, 1), D(2025, 6, 14), D(2026, 2, 1)])
            task = TaskFactory(
                document=document, lead_agency=committee_a, deadline=None, reporting_period=length, starts_on=starts_on
            )
            tasks.append(task)
            for period in services.report_periods(task=task, today=D(2028, 12, 31)):
                choice = chance.choice(["none", "on_due", "after_due", "in_progress", "early"])
                if choice == "none":
                    continue
                day = {"on_due": period.due, "after_due": period.due + datetime.timedelta(days=1)}.get(
                    choice, period.end
                )
                status = ReportStatus.IN_PROGRESS if choice == "in_progress" else ReportStatus.DONE
                # 23:30 in Viet Nam is 16:30 UTC the same day: the Viet Nam date counts.
                report(
                    task,
                    by=national_admin,
                    status=status,
                    at=at_vn(day.year, day.month, day.day, 23),
                    period_start=period.start,
                )
    month_ends = [add_months(D(2024, 1, 1), n) - datetime.timedelta(days=1) for n in range(1, 62, 5)]
    randoms = [D(2024, 1, 1) + datetime.timedelta(days=chance.randrange(365 * 5)) for _ in range(20)]
    reports = {task.pk: selectors.task_reports(task=task) for task in tasks}
    for today in [*BOUNDARY_DAYS, *month_ends, *randoms]:
        rows = {
            row.pk: row
            for row in selectors.task_list(user=national_admin, today=today).filter(pk__in=[t.pk for t in tasks])
        }
        for task in tasks:
            expected, _history = selectors.task_assessment(task=task, reports=reports[task.pk], today=today)
            row = rows[task.pk]
            period = expected.period
            assert (row.status, row.due_on, row.completed_on) == (
                expected.status,
                expected.due,
                expected.completed_on,
            ), (today, task.document.reporting_rule, task.reporting_period)
            assert (row.judged_period_start, row.judged_period_end) == (
                (period.start, period.end) if period else (None, None)
            )


@pytest.mark.django_db
def test_the_api_changes_the_rule_through_the_service(login, officer_a, decree_task, decree_document):
    client = login(officer_a)
    url = f"/api/v1/directives/documents/{decree_document.pk}/"
    changed = client.patch(url, {"report_due_days": 3}, content_type="application/json")
    assert (changed.status_code, changed.json()["report_due_days"]) == (200, 3)
    assert client.patch(url, {"report_due_days": 91}, content_type="application/json").status_code == 400
    report(decree_task, by=officer_a, period_start=D(2025, 9, 15))
    refused = client.patch(url, {"reporting_rule": "calendar"}, content_type="application/json")
    assert refused.status_code == 400
    assert "reporting_rule" in str(refused.json())
    decree_document.refresh_from_db()
    assert decree_document.schedule == Schedule(ReportingRule.DECREE_09, 3)
    assert decree_document.history.first().report_due_days == 3
