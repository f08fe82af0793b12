"""Who sees and does what: scope is 404 outside, roles are 403, analysts read and never write."""

import io

import openpyxl
import pytest

from directives.models import Document, EvidenceFile, TaskReport
from tests.directives.conftest import PDF, DocumentFactory, TaskFactory, upload

pytestmark = pytest.mark.django_db


def _xlsx_rows(response):
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


# --- Officer of province A never reaches province B ---------------------------------------


def test_officer_gets_404_on_another_provinces_task(login, officer_a, task_b):
    assert login(officer_a).get(f"/directives/tasks/{task_b.pk}/").status_code == 404


def test_officer_gets_404_on_another_provinces_document(login, officer_a, document_b):
    client = login(officer_a)
    assert client.get(f"/directives/documents/{document_b.pk}/").status_code == 404
    assert client.get(f"/directives/documents/{document_b.pk}/export.xlsx").status_code == 404
    assert client.get(f"/directives/documents/{document_b.pk}/edit/").status_code == 404


def test_officer_gets_404_on_another_provinces_evidence(login, officer_a, evidence_b):
    assert login(officer_a).get(f"/directives/evidence/{evidence_b.pk}/").status_code == 404


def test_officer_cannot_report_on_another_provinces_task(login, officer_a, task_b):
    response = login(officer_a).post(
        f"/directives/tasks/{task_b.pk}/", {"status": "done", "percent_done": 100, "narrative": "x"}
    )
    assert response.status_code == 404
    assert not TaskReport.objects.filter(task=task_b).exists()


def test_list_board_and_export_never_show_another_provinces_tasks(login, officer_a, task_a, task_b, province_b):
    client = login(officer_a)
    listing = client.get("/directives/").content.decode()
    assert task_a.document.number in listing
    assert task_b.document.number not in listing
    # The seeded Phú Yên letter belongs to Đắk Lắk (province B) today.
    assert "3734/UBND-KT" not in listing
    for params in ({}, {"province": province_b.code}, {"agency": "UBND-66"}):
        board = client.get("/directives/tasks/", params).content.decode()
        assert task_b.content not in board
        assert "phuyentrade" not in board
        export = client.get("/directives/tasks/export.xlsx", params)
        if export.status_code == 400:  # a province or agency outside the officer's choices
            assert task_b.content not in export.content.decode()
            continue
        rows = _xlsx_rows(export)
        assert not any(task_b.content in (row[2] or "") for row in rows)
        assert not any((row[6] or "") == "Đắk Lắk" for row in rows[1:])
    board = client.get("/directives/tasks/").content.decode()
    assert task_a.content in board


def test_officer_sees_national_tasks_and_only_their_provinces_share(login, officer_a):
    body = login(officer_a).get("/directives/tasks/", {"document": Document.objects.get(number="19/CT-TTg").pk})
    body = body.content.decode()
    assert "UBND tỉnh Đồng Tháp" in body
    assert "Bộ Tài chính" in body
    assert "UBND tỉnh Đắk Lắk" not in body


def test_evidence_download_is_served_within_scope(login, officer_b, evidence_b):
    response = login(officer_b).get(f"/directives/evidence/{evidence_b.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert "attachment" in response["Content-Disposition"]


# --- Ministry analysts read everything and write nothing -------------------------------------


def test_ministry_analyst_reads_every_province(login, ministry_analyst, task_a, task_b, evidence_b):
    client = login(ministry_analyst)
    board = client.get("/directives/tasks/").content.decode()
    assert task_a.content in board and task_b.content in board
    page = client.get(f"/directives/tasks/{task_b.pk}/")
    assert page.status_code == 200
    assert "data-report-form" not in page.content.decode()
    assert client.get(f"/directives/evidence/{evidence_b.pk}/").status_code == 200


def test_ministry_analyst_cannot_post_a_report(login, ministry_analyst, task_a):
    response = login(ministry_analyst).post(
        f"/directives/tasks/{task_a.pk}/",
        {"status": "done", "percent_done": 100, "narrative": "x", "evidence": upload("a.pdf", PDF)},
    )
    assert response.status_code == 403
    assert not TaskReport.objects.exists()
    assert not EvidenceFile.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        "/directives/documents/new/",
        "/directives/documents/{doc}/edit/",
        "/directives/documents/{doc}/tasks/new/",
        "/directives/tasks/{task}/edit/",
    ],
)
def test_ministry_analyst_cannot_open_any_editing_page(login, ministry_analyst, task_a, url):
    url = url.format(doc=task_a.document_id, task=task_a.pk)
    assert login(ministry_analyst).get(url).status_code == 403


# --- Members have no access; anonymous users log in -------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/directives/",
        "/directives/tasks/",
        "/directives/tasks/export.xlsx",
        "/directives/tasks/{task}/",
        "/directives/documents/{doc}/",
        "/directives/documents/new/",
        "/directives/evidence/{evidence}/",
    ],
)
def test_cooperative_member_is_refused_everywhere(login, member_a, task_a, evidence_b, url):
    url = url.format(task=task_a.pk, doc=task_a.document_id, evidence=evidence_b.pk)
    assert login(member_a).get(url).status_code == 403


def test_anonymous_is_sent_to_login(client, task_a):
    response = client.get(f"/directives/tasks/{task_a.pk}/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


# --- The permission table ---------------------------------------------------------------------

PERMISSIONS = [
    # (role fixture, permission, object fixture or None, expected)
    ("national_admin", "directives.view_board", None, True),
    ("ministry_analyst", "directives.view_board", None, True),
    ("officer_a", "directives.view_board", None, True),
    ("member_a", "directives.view_board", None, False),
    ("national_admin", "directives.change_document", "document_b", True),
    ("ministry_analyst", "directives.change_document", "document_a", False),
    ("officer_a", "directives.change_document", "document_a", True),
    ("officer_a", "directives.change_document", "document_b", False),
    ("officer_a", "directives.change_document", "national_document", False),
    ("national_admin", "directives.change_task", "task_b", True),
    ("officer_a", "directives.change_task", "task_a", True),
    ("officer_a", "directives.change_task", "task_b", False),
    ("officer_a", "directives.change_task", "national_task", False),
    ("ministry_analyst", "directives.change_task", "task_a", False),
    ("national_admin", "directives.add_report", "national_task", True),
    ("officer_a", "directives.add_report", "task_a", True),
    ("officer_a", "directives.add_report", "task_b", False),
    ("officer_a", "directives.add_report", "national_task", False),
    ("ministry_analyst", "directives.add_report", "task_a", False),
    ("member_a", "directives.add_report", "task_a", False),
    ("officer_b", "directives.add_report", "phu_yen_task", True),
    # Agency accounts read the board, edit nothing, and report on their agency's tasks only.
    ("agency_officer", "directives.view_board", None, True),
    ("alliance_officer", "directives.view_board", None, True),
    ("agency_officer", "directives.add_document", None, False),
    ("agency_officer", "directives.change_document", "national_document", False),
    ("agency_officer", "directives.add_task", None, False),
    ("agency_officer", "directives.change_task", "ministry_task", False),
    ("agency_officer", "directives.add_report", "ministry_task", True),
    ("agency_officer", "directives.add_report", "national_task", False),
    ("agency_officer", "directives.add_report", "task_a", False),
    ("alliance_officer", "directives.add_report", "alliance_task", True),
    ("alliance_officer", "directives.add_report", "ministry_task", False),
    ("alliance_officer", "directives.change_task", "alliance_task", False),
    # The role gate of reporting (then 404 on a task outside the reporting scope).
    ("national_admin", "directives.report_on_tasks", None, True),
    ("officer_a", "directives.report_on_tasks", None, True),
    ("agency_officer", "directives.report_on_tasks", None, True),
    ("alliance_officer", "directives.report_on_tasks", None, True),
    ("ministry_analyst", "directives.report_on_tasks", None, False),
    ("member_a", "directives.report_on_tasks", None, False),
]


@pytest.fixture
def ministry_task(db):
    """A task of a ministry dissolved into the agency officer's (Bộ NN&PTNT → Bộ NN&MT)."""
    from directives.models import Agency

    return TaskFactory(document=DocumentFactory(), lead_agency=Agency.objects.get(code="BNNPTNT"))


@pytest.fixture
def alliance_task(db):
    from directives.models import Agency

    return TaskFactory(document=DocumentFactory(), lead_agency=Agency.objects.get(code="LMHTXVN"))


@pytest.fixture
def national_document(db):
    return Document.objects.get(number="19/CT-TTg")


@pytest.fixture
def national_task(db):
    from directives.models import DirectiveTask

    return DirectiveTask.objects.get(code="ct19-bkhdt-oda")


@pytest.fixture
def phu_yen_task(db):
    from directives.models import DirectiveTask

    return DirectiveTask.objects.get(code="cv3734-phu-yen-tap-huan")


@pytest.mark.parametrize(("role", "perm", "obj", "expected"), PERMISSIONS)
def test_permission_table(request, role, perm, obj, expected):
    user = request.getfixturevalue(role)
    target = request.getfixturevalue(obj) if obj else None
    assert user.has_perm(perm, target) is expected


def test_a_documents_attached_file_is_served_only_within_scope(login, officer_a, officer_b, document_b):
    document_b.file_name = "ke-hoach.pdf"
    document_b.file.save("ke-hoach.pdf", upload("ke-hoach.pdf", PDF), save=True)
    assert login(officer_a).get(f"/directives/documents/{document_b.pk}/file/").status_code == 404
    response = login(officer_b).get(f"/directives/documents/{document_b.pk}/file/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
