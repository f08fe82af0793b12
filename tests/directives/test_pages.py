"""The pages: document tree, board with filters and rates, task page, forms, export."""

import datetime
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from directives.models import Agency, DirectiveTask, Document
from tests.directives.conftest import DocumentFactory, TaskFactory, report

pytestmark = pytest.mark.django_db


def _board_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_board_queries_do_not_grow_with_the_number_of_tasks(login, national_admin, django_assert_max_num_queries):
    document = DocumentFactory()
    client = login(national_admin)
    agencies = list(Agency.objects.filter(code__startswith="UBND-")[:6])
    for index in range(3):
        task = TaskFactory(document=document, lead_agency=agencies[index % 6], cooperating=agencies[:2])
        report(task, by=national_admin, status="in_progress", percent=20)
    url = f"/directives/documents/{document.pk}/"
    client.get(url)  # warm up one-time look-ups (session, caches) before counting
    few = _board_queries(client, url)
    for index in range(30):
        task = TaskFactory(document=document, lead_agency=agencies[index % 6], cooperating=agencies[:2])
        report(task, by=national_admin, status="in_progress", percent=20)
    assert _board_queries(client, url) == few
    with django_assert_max_num_queries(15):
        client.get(url)
    with django_assert_max_num_queries(15):
        client.get("/directives/tasks/")


def test_task_page_and_list_queries_are_bounded(login, national_admin, django_assert_max_num_queries):
    task = DirectiveTask.objects.get(code="ct19-btttt-nen-tang-so")
    for _ in range(10):
        report(task, by=national_admin, status="in_progress", percent=20, period_start=datetime.date(2024, 1, 1))
    client = login(national_admin)
    # 14: the page also reads its linked indicators' figures (two queries, whatever the data size).
    with django_assert_max_num_queries(14):
        assert client.get(f"/directives/tasks/{task.pk}/").status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get("/directives/").status_code == 200


def test_the_document_list_is_a_tree_of_implementing_documents(login, national_admin):
    body = login(national_admin).get("/directives/").content.decode()
    assert body.index("20-NQ/TW") < body.index("19/CT-TTg") < body.index("3734/UBND-KT")
    assert "UBND tỉnh Phú Yên" in body


def test_the_board_highlights_overdue_tasks_and_filters_by_status(login, national_admin):
    document = DocumentFactory()
    past = TaskFactory(
        document=document, deadline=timezone.localdate() - datetime.timedelta(days=3), content="Việc đã trễ"
    )
    future = TaskFactory(
        document=document, deadline=timezone.localdate() + datetime.timedelta(days=30), content="Việc còn hạn"
    )
    client = login(national_admin)
    body = client.get(f"/directives/documents/{document.pk}/").content.decode()
    assert f'class="table-danger" data-task="{past.pk}"' in body
    assert f'class="" data-task="{future.pk}"' in body
    overdue_only = client.get(f"/directives/documents/{document.pk}/", {"status": "overdue"}).content.decode()
    assert "Việc đã trễ" in overdue_only and "Việc còn hạn" not in overdue_only


def test_the_board_filters_by_due_date_province_and_kind(login, national_admin, task_a, task_b, province_a):
    client = login(national_admin)
    by_province = client.get("/directives/tasks/", {"province": province_a.code}).content.decode()
    assert task_a.content in by_province and task_b.content not in by_province
    by_date = client.get("/directives/tasks/", {"due_from": "01/06/2025", "due_to": "30/06/2025", "kind": "deadline"})
    body = by_date.content.decode()
    assert task_a.content in body and task_b.content in body
    assert "Chủ động chuyển đổi số" not in body
    none = client.get("/directives/tasks/", {"due_from": "01/07/2025", "kind": "deadline"}).content.decode()
    assert task_a.content not in none


def test_the_board_shows_completion_per_agency(login, national_admin):
    document = DocumentFactory()
    finance = Agency.objects.get(code="BTC")
    planning = Agency.objects.get(code="BKHDT")
    done = TaskFactory(document=document, lead_agency=planning, deadline=datetime.date(2025, 6, 30))
    report(done, by=national_admin, at=datetime.datetime(2025, 6, 1, 3, tzinfo=datetime.UTC))
    TaskFactory(document=document, lead_agency=finance, deadline=datetime.date(2099, 1, 1))
    response = login(national_admin).get(f"/directives/documents/{document.pk}/")
    [rate] = response.context["rates"]
    assert rate.agency == finance
    assert (rate.total, rate.done_on_time, rate.in_progress, rate.completion_percent) == (2, 1, 1, 50)


def test_the_task_page_lists_linked_indicators_in_their_own_section(login, national_admin):
    task = DirectiveTask.objects.get(code="ct19-bnnptnt-truy-xuat")
    body = login(national_admin).get(f"/directives/tasks/{task.pk}/").content.decode()
    assert 'data-testid="task-indicators"' in body
    assert 'data-indicator-code="traceability_pct"' in body
    plain = DirectiveTask.objects.get(code="ct19-bkhdt-oda")
    assert (
        'data-testid="task-indicators"'
        not in login(national_admin).get(f"/directives/tasks/{plain.pk}/").content.decode()
    )


def test_the_task_page_shows_the_period_history_of_a_recurring_task(login, officer_a):
    task = DirectiveTask.objects.get(code="ct19-tinh-82")
    body = login(officer_a).get(f"/directives/tasks/{task.pk}/").content.decode()
    assert 'data-testid="period-history"' in body
    assert "01/01/2023" in body
    assert "data-report-form" in body


def test_an_officer_records_a_provincial_plan_and_its_task(login, officer_a, province_a):
    client = login(officer_a)
    directive = Document.objects.get(number="19/CT-TTg")
    committee = Agency.objects.get(code="UBND-82")
    response = client.post(
        "/directives/documents/new/",
        {
            "number": "55/KH-UBND",
            "kind": "plan",
            "title": "Kế hoạch thực hiện Chỉ thị 19/CT-TTg trên địa bàn tỉnh",
            "issuing_agency": committee.pk,
            "issued_on": "15/08/2023",
            "parent": directive.pk,
            "summary": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    plan = Document.objects.get(number="55/KH-UBND")
    assert plan.parent == directive
    response = client.post(
        f"/directives/documents/{plan.pk}/tasks/new/",
        {
            "clause": "Mục II.1",
            "content": "Hỗ trợ 20 HTX lên sàn thương mại điện tử",
            "lead_agency": committee.pk,
            "starts_on": "15/08/2023",
            "deadline": "31/12/2025",
            "reporting_period": "",
            "indicator_codes": "ecommerce_pct",
            "note": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    task = DirectiveTask.objects.get(document=plan)
    assert task.province == province_a
    assert task.indicator_codes == ["ecommerce_pct"]


def test_an_officer_cannot_issue_for_another_provinces_committee(login, officer_a):
    response = login(officer_a).post(
        "/directives/documents/new/",
        {
            "number": "9/KH-UBND",
            "kind": "plan",
            "title": "Kế hoạch",
            "issuing_agency": Agency.objects.get(code="UBND-66").pk,
            "issued_on": "15/08/2023",
        },
    )
    assert response.status_code == 200
    assert not Document.objects.filter(number="9/KH-UBND").exists()


def test_an_officer_cannot_edit_a_national_document_or_task(login, officer_a):
    client = login(officer_a)
    directive = Document.objects.get(number="19/CT-TTg")
    task = DirectiveTask.objects.get(code="ct19-tinh-82")
    assert client.get(f"/directives/documents/{directive.pk}/edit/").status_code == 403
    assert (
        client.get(f"/directives/tasks/{DirectiveTask.objects.get(code='ct19-bkhdt-oda').pk}/edit/").status_code == 403
    )
    # The share of a national directive assigned to the province is the province's to manage.
    assert client.get(f"/directives/tasks/{task.pk}/edit/").status_code == 200


@pytest.mark.parametrize(
    "codes", ["Ecommerce_pct", "ecommerce", "ecommerce_pct, 1bad_pct", "ecommerce_pct,ecommerce_pct"]
)
def test_invalid_indicator_codes_are_refused(login, national_admin, codes):
    document = DocumentFactory()
    response = login(national_admin).post(
        f"/directives/documents/{document.pk}/tasks/new/",
        {
            "content": "Nhiệm vụ",
            "lead_agency": Agency.objects.get(code="BTC").pk,
            "starts_on": "01/01/2024",
            "deadline": "31/12/2024",
            "indicator_codes": codes,
        },
    )
    assert response.status_code == 200
    assert not DirectiveTask.objects.filter(document=document).exists()


def test_a_task_needs_a_deadline_or_a_reporting_period_not_both(login, national_admin):
    document = DocumentFactory()
    client = login(national_admin)
    base = {"content": "Nhiệm vụ", "lead_agency": Agency.objects.get(code="BTC").pk, "starts_on": "01/01/2024"}
    assert client.post(f"/directives/documents/{document.pk}/tasks/new/", base).status_code == 200
    both = {**base, "deadline": "31/12/2024", "reporting_period": "yearly"}
    assert client.post(f"/directives/documents/{document.pk}/tasks/new/", both).status_code == 200
    assert not DirectiveTask.objects.filter(document=document).exists()
    recurring = {**base, "reporting_period": "quarterly"}
    assert client.post(f"/directives/documents/{document.pk}/tasks/new/", recurring).status_code == 302


def test_the_export_is_filtered_and_neutralises_formulas(login, national_admin, officer_a, task_a, committee_a):
    TaskFactory(document=task_a.document, lead_agency=committee_a, content='=HYPERLINK("http://evil.example","bấm")')
    TaskFactory(document=task_a.document, lead_agency=committee_a, content="@SUM(A1)", clause="+1")
    response = login(officer_a).get(f"/directives/documents/{task_a.document_id}/export.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(min_row=2))
    contents = {row[2].value: row for row in rows}
    assert set(contents) == {task_a.content, '\'=HYPERLINK("http://evil.example","bấm")', "'@SUM(A1)"}
    for row in rows:
        assert row[2].data_type == "s"
    assert contents["'@SUM(A1)"][1].value == "'+1"
    filtered = login(national_admin).get("/directives/tasks/export.xlsx", {"agency": "BTC"})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(filtered.streaming_content))).active
    leads = {row[4].value for row in sheet.iter_rows(min_row=2)}
    assert leads == {"Bộ Tài chính"}


def test_the_navigation_shows_directive_tasks_to_those_who_may_see_them(login, officer_a, member_a):
    assert 'href="/directives/"' in login(officer_a).get("/").content.decode()
    assert 'href="/directives/"' not in login(member_a).get("/").content.decode()


def test_a_documents_attached_file_is_checked_like_evidence(login, officer_a):
    from tests.directives.conftest import PDF, PNG, upload

    client = login(officer_a)
    fields = {
        "number": "56/KH-UBND",
        "kind": "plan",
        "title": "Kế hoạch",
        "issuing_agency": Agency.objects.get(code="UBND-82").pk,
        "issued_on": "15/08/2023",
    }
    refused = client.post("/directives/documents/new/", {**fields, "upload": upload("ke-hoach.pdf", PNG)})
    assert refused.status_code == 200
    assert not Document.objects.filter(number="56/KH-UBND").exists()
    accepted = client.post("/directives/documents/new/", {**fields, "upload": upload("ke-hoach.pdf", PDF)})
    assert accepted.status_code == 302
    document = Document.objects.get(number="56/KH-UBND")
    assert document.file_name == "ke-hoach.pdf"
    assert "ke-hoach" not in document.file.name


def test_the_reporting_period_reads_as_part_of_the_sentence_in_english_and_vietnamese(login, officer_a):
    task = DirectiveTask.objects.get(code="ct19-tinh-82")
    client = login(officer_a)
    for language, sentence in (
        ("en", "Recurring, reported {} in calendar periods;"),
        ("vi", "kỳ báo cáo: {}, theo kỳ lịch;"),
    ):
        client.cookies["django_language"] = language
        body = client.get(f"/directives/tasks/{task.pk}/").content.decode()
        with translation.override(language):
            period = str(task.get_reporting_period_display())
        assert period != period.lower()  # "Yearly", "Hằng năm": a choice label, capitalised
        assert sentence.format(period.lower()) in body
