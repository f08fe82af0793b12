"""Reports accumulate: a new report never changes an earlier one, and none can be edited."""

import datetime

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError

from directives import services
from directives.models import ImmutableReportError, TaskReport
from tests.directives.conftest import TaskFactory

pytestmark = pytest.mark.django_db


def test_a_second_report_does_not_change_the_first(officer_a, task_a):
    first = services.report_create(task=task_a, by=officer_a, status="in_progress", percent_done=30, narrative="Bước 1")
    snapshot = TaskReport.objects.filter(pk=first.pk).values().get()
    services.report_create(task=task_a, by=officer_a, status="done", percent_done=100, narrative="Hoàn thành")
    assert TaskReport.objects.filter(task=task_a).count() == 2
    assert TaskReport.objects.filter(pk=first.pk).values().get() == snapshot


def test_a_report_cannot_be_changed_or_deleted(officer_a, task_a):
    created = services.report_create(task=task_a, by=officer_a, status="in_progress", percent_done=30, narrative="x")
    created.percent_done = 90
    with pytest.raises(ImmutableReportError):
        created.save()
    with pytest.raises(ImmutableReportError):
        created.delete()
    assert TaskReport.objects.get(pk=created.pk).percent_done == 30


def test_the_admin_offers_no_way_to_change_or_delete_a_report(rf, national_admin):
    model_admin = admin.site._registry[TaskReport]
    request = rf.get("/admin/")
    request.user = national_admin
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)


def test_a_report_marked_done_must_be_at_100_percent(officer_a, task_a):
    with pytest.raises(ValidationError) as error:
        services.report_create(task=task_a, by=officer_a, status="done", percent_done=80, narrative="x")
    assert [e.code for e in error.value.error_dict["percent_done"]] == ["done_not_100"]
    assert not TaskReport.objects.exists()


def test_a_recurring_report_names_one_of_the_tasks_periods(officer_a, committee_a, document_a):
    task = TaskFactory(
        document=document_a,
        lead_agency=committee_a,
        deadline=None,
        reporting_period="quarterly",
        starts_on=datetime.date(2024, 4, 10),
    )
    for wrong in (None, datetime.date(2024, 5, 1), datetime.date(2024, 1, 1), datetime.date(2099, 1, 1)):
        with pytest.raises(ValidationError):
            services.report_create(
                task=task, by=officer_a, status="done", percent_done=100, narrative="x", period_start=wrong
            )
    created = services.report_create(
        task=task, by=officer_a, status="done", percent_done=100, narrative="x", period_start=datetime.date(2024, 4, 1)
    )
    assert created.period_start == datetime.date(2024, 4, 1)


def test_a_deadline_tasks_report_has_no_period(officer_a, task_a):
    created = services.report_create(
        task=task_a,
        by=officer_a,
        status="in_progress",
        percent_done=10,
        narrative="x",
        period_start=datetime.date(2024, 1, 1),
    )
    assert created.period_start is None


def test_reports_are_shown_newest_first_with_who_and_when(login, officer_a, task_a):
    services.report_create(task=task_a, by=officer_a, status="in_progress", percent_done=30, narrative="Bước đầu tiên")
    services.report_create(task=task_a, by=officer_a, status="in_progress", percent_done=60, narrative="Bước thứ hai")
    body = login(officer_a).get(f"/directives/tasks/{task_a.pk}/").content.decode()
    assert body.index("Bước thứ hai") < body.index("Bước đầu tiên")
    assert "officer_a" in body
