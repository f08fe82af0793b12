"""Directive tracking over the API: scoped reads, and progress reports through directives.services."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from directives.models import TaskReport
from tests.directives.conftest import PDF, DocumentFactory, TaskFactory

pytestmark = pytest.mark.django_db


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_an_officer_reads_national_and_own_province_tasks_only(as_caller, directive_tasks):
    tasks = {name: obj.pk for name, obj in directive_tasks.items()}
    seen = ids(as_caller("officer_a").get("/api/v1/directives/tasks/", {"page_size": 500}))
    assert tasks["task_a"] in seen and tasks["national_task"] in seen and tasks["task_b"] not in seen
    # Choosing another province is an invalid choice (as on the task board), never a peek.
    filtered = as_caller("officer_a").get("/api/v1/directives/tasks/", {"province": "66"})
    assert filtered.status_code == 400 and "province" in filtered.json()["error"]["fields"]
    documents = ids(as_caller("province_token").get("/api/v1/directives/documents/", {"page_size": 500}))
    assert directive_tasks["document_a"].pk in documents and directive_tasks["document_b"].pk not in documents
    everything = ids(as_caller("ministry_token").get("/api/v1/directives/tasks/", {"page_size": 500}))
    assert {tasks["task_a"], tasks["task_b"], tasks["national_task"]} <= everything


def test_a_task_shows_its_status_agency_and_reports(as_caller, directive_tasks, officer_a):
    task = directive_tasks["task_a"]
    client = as_caller("officer_a")
    created = client.post(
        f"/api/v1/directives/tasks/{task.pk}/reports/",
        {"status": "done", "percent_done": 100, "narrative": "Hoàn thành kế hoạch."},
        format="json",
    )
    assert created.status_code == 201
    report = created.json()
    assert report["status"] == "done" and report["reporting_agency"] == "UBND-82"
    detail = client.get(f"/api/v1/directives/tasks/{task.pk}/").json()
    assert detail["status"] in ("done_on_time", "done_late")
    assert detail["lead_agency"] == detail["current_agency"] == "UBND-82"
    assert [r["id"] for r in detail["reports"]] == [report["id"]]
    assert TaskReport.objects.get().submitted_by == officer_a


def test_report_rules_are_the_services(as_caller, directive_tasks):
    task = directive_tasks["task_a"]
    client = as_caller("province_token")
    not_100 = client.post(
        f"/api/v1/directives/tasks/{task.pk}/reports/",
        {"status": "done", "percent_done": 80, "narrative": "Gần xong."},
        format="json",
    )
    assert not_100.status_code == 400 and "percent_done" in not_100.json()["error"]["fields"]
    missing = client.post(f"/api/v1/directives/tasks/{task.pk}/reports/", {"status": "done"}, format="json")
    assert set(missing.json()["error"]["fields"]) == {"percent_done", "narrative"}
    assert not TaskReport.objects.exists()


def test_a_recurring_task_needs_one_of_its_periods(as_caller, directive_tasks, province_a):
    from directives.models import Agency

    committee = Agency.objects.get(code="UBND-82")
    task = TaskFactory(
        document=directive_tasks["document_a"],
        lead_agency=committee,
        deadline=None,
        reporting_period="quarterly",
        starts_on=datetime.date(2025, 1, 1),
    )
    client = as_caller("officer_a")
    detail = client.get(f"/api/v1/directives/tasks/{task.pk}/").json()
    assert detail["report_periods"]
    body = {"status": "in_progress", "percent_done": 50, "narrative": "Đang làm."}
    wrong = client.post(
        f"/api/v1/directives/tasks/{task.pk}/reports/", {**body, "period_start": "2019-01-01"}, format="json"
    )
    assert wrong.status_code == 400 and "period_start" in wrong.json()["error"]["fields"]
    period = detail["report_periods"][0]["start"]
    right = client.post(f"/api/v1/directives/tasks/{task.pk}/reports/", {**body, "period_start": period}, format="json")
    assert right.status_code == 201 and right.json()["period_start"] == period


def test_evidence_can_be_posted_as_multipart(as_caller, directive_tasks):
    task = directive_tasks["task_a"]
    response = as_caller("province_token").post(
        f"/api/v1/directives/tasks/{task.pk}/reports/",
        {
            "status": "in_progress",
            "percent_done": "30",
            "narrative": "Biên bản kèm theo.",
            "evidence": [SimpleUploadedFile("bien-ban.pdf", PDF)],
        },
        format="multipart",
    )
    assert response.status_code == 201, response.content
    assert [f["original_name"] for f in response.json()["evidence_files"]] == ["bien-ban.pdf"]
    bad = as_caller("province_token").post(
        f"/api/v1/directives/tasks/{task.pk}/reports/",
        {
            "status": "in_progress",
            "percent_done": "30",
            "narrative": "Tệp lạ.",
            "evidence": [SimpleUploadedFile("virus.exe", b"MZ\x90\x00")],
        },
        format="multipart",
    )
    assert bad.status_code == 400 and "evidence" in bad.json()["error"]["fields"]
    assert TaskReport.objects.count() == 1


def test_a_ministry_analyst_reads_but_never_reports(as_caller, directive_tasks):
    task = directive_tasks["national_task"]
    client = as_caller("ministry_analyst")
    assert client.get(f"/api/v1/directives/tasks/{task.pk}/").status_code == 200
    response = client.post(f"/api/v1/directives/tasks/{task.pk}/reports/", {"status": "done"}, format="json")
    assert response.status_code == 403
    assert not TaskReport.objects.exists()


def test_documents_of_another_province_are_404(as_caller, directive_tasks):
    other = DocumentFactory(issuing_agency=directive_tasks["document_b"].issuing_agency)
    assert as_caller("officer_a").get(f"/api/v1/directives/documents/{other.pk}/").status_code == 404
