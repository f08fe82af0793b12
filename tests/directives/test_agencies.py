"""Reorganised agencies: a dissolved agency's tasks show under its successor, history kept."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from directives import selectors, services
from directives.models import Agency, DirectiveTask, TaskReport
from directives.status import TaskStatus
from tests.directives.conftest import AgencyFactory, TaskFactory, report

pytestmark = pytest.mark.django_db


def test_a_task_of_the_dissolved_mpi_shows_on_the_ministry_of_finance_board(login, national_admin):
    task = DirectiveTask.objects.get(code="ct19-bkhdt-luat-htx")
    body = login(national_admin).get("/directives/tasks/", {"agency": "BTC"}).content.decode()
    assert f'data-task="{task.pk}"' in body
    assert "Bộ Tài chính" in body
    # The original assignment is still shown beside the agency that answers for it today.
    assert "Bộ KH&amp;ĐT" in body


def test_the_task_keeps_its_original_lead_agency(login, national_admin):
    task = DirectiveTask.objects.get(code="ct19-bkhdt-luat-htx")
    assert task.lead_agency.code == "BKHDT"
    assert selectors.agency_current(task.lead_agency).code == "BTC"
    body = login(national_admin).get(f"/directives/tasks/{task.pk}/").content.decode()
    assert "Bộ Kế hoạch và Đầu tư" in body
    assert "Bộ Tài chính" in body


def test_filtering_by_the_dissolved_agency_shows_only_its_own_tasks(login, national_admin):
    own = DirectiveTask.objects.get(code="ct19-bkhdt-luat-htx")
    finance_own = DirectiveTask.objects.get(code="ct19-chung-btc")
    body = login(national_admin).get("/directives/tasks/", {"agency": "BKHDT"}).content.decode()
    assert f'data-task="{own.pk}"' in body
    assert f'data-task="{finance_own.pk}"' not in body


def test_a_successor_chain_is_followed_to_its_end():
    newest = AgencyFactory(code="NEW")
    middle = AgencyFactory(code="MID", successor=newest)
    oldest = AgencyFactory(code="OLD", successor=middle)
    current = selectors.agency_current_map()
    assert current[oldest.pk] == newest.pk
    assert current[middle.pk] == newest.pk
    assert selectors.agency_lineage_ids(newest.pk) == {newest.pk, middle.pk, oldest.pk}
    assert selectors.agency_lineage_ids(middle.pk) == {middle.pk, oldest.pk}


def test_phu_yen_agriculture_department_answers_to_dak_lak_today():
    department = Agency.objects.get(code="SNNPTNT-L54")
    assert selectors.agency_current(department).code == "SNNMT-66"
    assert department.province.code == "66"
    assert department.legacy_province.short_name == "Phú Yên"


def test_a_successor_loop_is_refused(national_admin):
    first = AgencyFactory()
    second = AgencyFactory(successor=first)
    with pytest.raises(ValidationError):
        services.agency_save(by=national_admin, agency=first, successor=second)
    first.refresh_from_db()
    assert first.successor_id is None


def test_recording_a_successor_keeps_the_agency_history(national_admin):
    old = AgencyFactory(code="OLD-MIN")
    new = AgencyFactory(code="NEW-MIN")
    services.agency_save(by=national_admin, agency=old, successor=new, dissolved_on=datetime.date(2025, 3, 1))
    records = list(old.history.order_by("history_date"))
    assert records[-1].successor_id == new.pk
    assert records[-1].history_user == national_admin


def test_completion_of_a_dissolved_agency_is_counted_under_its_successor(national_admin):
    finance = Agency.objects.get(code="BTC")
    tasks = selectors.task_list(user=national_admin, today=datetime.date(2025, 1, 10)).filter(
        lead_agency__code__in=["BKHDT", "BTC"]
    )
    rates = {rate.agency.code: rate for rate in selectors.agency_completion(tasks=tasks)}
    assert set(rates) == {"BTC"}
    expected = DirectiveTask.objects.filter(lead_agency__code__in=["BKHDT", "BTC"]).count()
    assert rates["BTC"].total == expected
    assert rates["BTC"].agency == finance


def test_a_report_on_a_dissolved_agencys_task_is_recorded_for_its_successor(officer_b):
    task = DirectiveTask.objects.get(code="cv3734-phu-yen-san-tmdt")
    created = services.report_create(
        task=task,
        by=officer_b,
        status="in_progress",
        percent_done=30,
        narrative="Đã đưa 12 sản phẩm lên sàn.",
        period_start=datetime.date(2024, 1, 1),
    )
    assert created.reporting_agency.code == "UBND-66"
    assert created.task.lead_agency.code == "UBND-L54"
    assert TaskReport.objects.filter(task=task).count() == 1


def test_reports_of_a_dissolved_agencys_task_count_towards_the_successor(national_admin):
    old = AgencyFactory(code="OLD")
    new = AgencyFactory(code="NEW")
    old.successor = new
    old.save()
    task = TaskFactory(lead_agency=old, deadline=datetime.date(2025, 6, 30))
    report(task, by=national_admin, at=datetime.datetime(2025, 6, 1, 9, tzinfo=datetime.UTC))
    tasks = selectors.task_list(user=national_admin, today=datetime.date(2025, 7, 1)).filter(pk=task.pk)
    [rate] = selectors.agency_completion(tasks=tasks)
    assert rate.agency == new
    assert rate.done_on_time == 1
    assert tasks.get().status == TaskStatus.DONE_ON_TIME
