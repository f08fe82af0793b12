"""Agency accounts: an officer of a ministry, a province's committee or department, or of the
Cooperative Alliance reads the whole country and reports on the tasks their agency leads (those
of agencies dissolved into it included); another agency's task, or one it only co-operates on,
is 404 for a report."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.models import Role, User
from accounts.services import user_create
from directives import selectors
from directives.models import Agency, AgencyKind, EvidenceFile, TaskReport
from tests.accounts.test_admin_users import add_form, error_text
from tests.directives.conftest import PDF, DocumentFactory, TaskFactory, upload
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

REPORT = {"status": "in_progress", "percent_done": 40, "narrative": "Đã tập huấn 12 hợp tác xã."}


def agency(code: str) -> Agency:
    return Agency.objects.get(code=code)


@pytest.fixture
def own_task(db):
    """A task the Ministry of Agriculture and Environment (BNNMT) leads."""
    return TaskFactory(
        document=DocumentFactory(), lead_agency=agency("BNNMT"), content="Nhiệm vụ của Bộ Nông nghiệp và Môi trường"
    )


@pytest.fixture
def predecessor_task(db):
    """A task of the Ministry of Agriculture and Rural Development, dissolved into BNNMT in 2025."""
    return TaskFactory(
        document=DocumentFactory(),
        lead_agency=agency("BNNPTNT"),
        content="Nhiệm vụ của Bộ Nông nghiệp và Phát triển nông thôn",
    )


@pytest.fixture
def other_task(db):
    """A task of the Ministry of Finance, on which BNNMT does not work."""
    return TaskFactory(document=DocumentFactory(), lead_agency=agency("BTC"), content="Nhiệm vụ của Bộ Tài chính")


@pytest.fixture
def cooperating_task(db):
    """A task the Alliance leads and BNNMT's predecessor co-operates on."""
    return TaskFactory(
        document=DocumentFactory(),
        lead_agency=agency("LMHTXVN"),
        content="Nhiệm vụ Liên minh chủ trì",
        cooperating=[agency("BNNPTNT")],
    )


# --- Reporting in the browser -------------------------------------------------------------------


def test_an_agency_officer_reports_on_their_agencys_task(login, agency_officer, own_task):
    client = login(agency_officer)
    page = client.get(f"/directives/tasks/{own_task.pk}/").content.decode()
    assert "data-report-form" in page and 'data-testid="reporting-as"' in page
    response = client.post(f"/directives/tasks/{own_task.pk}/", REPORT)
    assert response.status_code == 302
    made = TaskReport.objects.get(task=own_task)
    assert (made.reporting_agency.code, made.submitted_by, made.percent_done) == ("BNNMT", agency_officer, 40)


def test_an_agency_officer_reports_on_a_task_of_an_agency_dissolved_into_theirs(
    login, agency_officer, predecessor_task
):
    response = login(agency_officer).post(f"/directives/tasks/{predecessor_task.pk}/", REPORT)
    assert response.status_code == 302
    # The report is the successor's: the user's agency, not the dissolved lead.
    assert TaskReport.objects.get(task=predecessor_task).reporting_agency == agency("BNNMT")


def test_another_agencys_task_is_seen_but_a_report_on_it_is_404(login, agency_officer, other_task):
    client = login(agency_officer)
    page = client.get(f"/directives/tasks/{other_task.pk}/")
    assert page.status_code == 200 and "data-report-form" not in page.content.decode()
    assert client.post(f"/directives/tasks/{other_task.pk}/", REPORT).status_code == 404
    assert not TaskReport.objects.exists()


def test_a_task_the_agency_only_cooperates_on_is_read_not_reported(login, agency_officer, cooperating_task):
    client = login(agency_officer)
    page = client.get(f"/directives/tasks/{cooperating_task.pk}/").content.decode()
    assert 'data-testid="cooperating-note"' in page and "data-report-form" not in page
    assert client.post(f"/directives/tasks/{cooperating_task.pk}/", REPORT).status_code == 404
    assert not TaskReport.objects.exists()


def test_the_alliance_reports_on_its_own_task_only(login, alliance_officer, cooperating_task, own_task):
    client = login(alliance_officer)
    assert client.post(f"/directives/tasks/{cooperating_task.pk}/", REPORT).status_code == 302
    assert TaskReport.objects.get().reporting_agency == agency("LMHTXVN")
    assert client.post(f"/directives/tasks/{own_task.pk}/", REPORT).status_code == 404


def test_an_agency_officer_attaches_evidence_and_downloads_it(login, agency_officer, own_task):
    client = login(agency_officer)
    response = client.post(f"/directives/tasks/{own_task.pk}/", {**REPORT, "evidence": upload("bien-ban.pdf", PDF)})
    assert response.status_code == 302
    evidence = EvidenceFile.objects.get(report__task=own_task)
    assert evidence.original_name == "bien-ban.pdf"
    download = client.get(f"/directives/evidence/{evidence.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF


def test_an_agency_officer_edits_no_document_and_no_task(login, agency_officer, own_task):
    client = login(agency_officer)
    assert client.get(f"/directives/tasks/{own_task.pk}/edit/").status_code == 403
    assert client.get("/directives/documents/new/").status_code == 403
    assert client.get(f"/directives/documents/{own_task.document_id}/edit/").status_code == 403


# --- The board ------------------------------------------------------------------------------------


def test_the_board_has_the_sections_of_my_agency(
    login, agency_officer, own_task, predecessor_task, other_task, cooperating_task
):
    client = login(agency_officer)
    everything = client.get("/directives/tasks/").content.decode()
    assert 'data-testid="my-agency-sections"' in everything
    assert all(t.content in everything for t in (own_task, predecessor_task, other_task, cooperating_task))
    lead = client.get("/directives/tasks/", {"mine": "lead"}).content.decode()
    assert own_task.content in lead and predecessor_task.content in lead
    assert other_task.content not in lead and cooperating_task.content not in lead
    cooperating = client.get("/directives/tasks/", {"mine": "cooperating"}).content.decode()
    assert cooperating_task.content in cooperating
    assert own_task.content not in cooperating and other_task.content not in cooperating


def test_the_sections_are_offered_to_agency_accounts_only(login, ministry_analyst, own_task):
    page = login(ministry_analyst).get("/directives/tasks/", {"mine": "lead"}).content.decode()
    assert 'data-testid="my-agency-sections"' not in page
    assert own_task.content in page  # the parameter means nothing to a ministry analyst


def test_the_tasks_to_report_are_the_agencys(agency_officer, own_task, predecessor_task, other_task):
    import datetime

    today = datetime.date(2025, 6, 20)  # every factory task is due on 30/6/2025
    due = selectors.task_list_to_report(user=agency_officer, today=today)
    assert {own_task.pk, predecessor_task.pk} <= {task.pk for task in due}
    assert other_task.pk not in {task.pk for task in due}
    # Seeded tasks due then count too, all of them the ministry's or its predecessors'.
    assert {task.lead_agency.code for task in due} <= {"BNNMT", "BNNPTNT", "BTNMT"}


# --- Through the API (a signed-in session) -------------------------------------------------------


def test_an_agency_officer_reports_through_the_api(agency_officer, own_task, other_task, cooperating_task):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_login(agency_officer)
    made = client.post(f"/api/v1/directives/tasks/{own_task.pk}/reports/", REPORT, format="json")
    assert made.status_code == 201, made.content
    assert TaskReport.objects.get().reporting_agency == agency("BNNMT")
    for task in (other_task, cooperating_task):
        refused = client.post(f"/api/v1/directives/tasks/{task.pk}/reports/", REPORT, format="json")
        assert refused.status_code == 404
    assert TaskReport.objects.count() == 1
    lead = client.get("/api/v1/directives/tasks/", {"mine": "lead", "page_size": 500}).json()["results"]
    assert own_task.pk in {row["id"] for row in lead} and other_task.pk not in {row["id"] for row in lead}
    cooperating = client.get("/api/v1/directives/tasks/", {"mine": "cooperating", "page_size": 500}).json()
    cooperating_ids = {row["id"] for row in cooperating["results"]}
    assert cooperating_task.pk in cooperating_ids and own_task.pk not in cooperating_ids


# --- National reading, and no editing of the registry --------------------------------------------


@pytest.mark.parametrize("role", ["agency_officer", "alliance_officer"])
def test_agency_accounts_read_the_nation_and_edit_no_cooperative(request, login, role, coop_a, coop_b):
    user = request.getfixturevalue(role)
    client = login(user)
    assert client.get("/dashboard/").status_code == 200
    assert client.get(f"/cooperatives/{coop_b.pk}/").status_code == 200
    assert client.get(f"/cooperatives/{coop_a.pk}/edit/").status_code == 403
    assert client.post(f"/cooperatives/{coop_a.pk}/archive/").status_code == 403
    assert client.get("/cooperatives/new/").status_code == 403
    assert not user.has_perm("cooperatives.change_cooperative", coop_a)
    assert not user.has_perm("surveys.answer_for_cooperative", coop_a)
    assert not user.has_perm("accounts.change_user")
    assert user.has_perm("indicators.compare_provinces")


# --- The binding of the roles ----------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.AGENCY_OFFICER, Role.ALLIANCE_OFFICER])
def test_the_database_refuses_an_agency_role_without_its_agency(role):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="khong.co.quan", role=role)


def test_the_database_refuses_an_agency_on_another_role(province_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(
            username="can.bo.tinh", role=Role.PROVINCIAL_OFFICER, province=province_a, agency=agency("BNNMT")
        )


@pytest.mark.parametrize(
    ("role", "code", "message"),
    [
        (Role.AGENCY_OFFICER, None, "phải thuộc một cơ quan"),
        (Role.ALLIANCE_OFFICER, "BNNMT", "phải thuộc Liên minh Hợp tác xã Việt Nam"),
        (Role.AGENCY_OFFICER, "LMHTXVN", "phải thuộc một bộ"),
        (Role.AGENCY_OFFICER, "BNNPTNT", "đã giải thể"),
        (Role.MINISTRY_ANALYST, "BNNMT", "Chỉ cán bộ cơ quan"),
    ],
)
def test_the_account_service_explains_a_wrong_agency(national_admin, role, code, message):
    with pytest.raises(ValidationError) as refused:
        user_create(
            username="tai.khoan.moi",
            password=None,
            role=role,
            agency=agency(code) if code else None,
            by=national_admin,
        )
    assert message in " ".join(refused.value.message_dict["agency"])
    assert not User.objects.filter(username="tai.khoan.moi").exists()


def test_the_alliance_kind_is_the_seeded_alliances():
    from accounts.roles import ALLIANCE_AGENCY_KIND

    assert ALLIANCE_AGENCY_KIND == AgencyKind.COOPERATIVE_ALLIANCE
    assert list(Agency.objects.filter(kind=AgencyKind.COOPERATIVE_ALLIANCE).values_list("code", flat=True)) == [
        "LMHTXVN"
    ]


@pytest.mark.parametrize(("role", "code"), [(Role.AGENCY_OFFICER, "BNNMT"), (Role.ALLIANCE_OFFICER, "LMHTXVN")])
def test_a_national_administrator_creates_an_agency_account_in_the_admin(login, role, code):
    admin = UserFactory(username="root", role=Role.NATIONAL_ADMIN, is_staff=True, is_superuser=True)
    client = login(admin)
    page = client.get("/admin/accounts/user/add/").content.decode()
    assert 'name="agency"' in page and "Cán bộ Liên minh HTX Việt Nam" in page
    response = client.post("/admin/accounts/user/add/", add_form(role=role, agency=agency(code).pk))
    assert response.status_code == 302, error_text(response)
    user = User.objects.get(username="tai.khoan.moi")
    assert (user.role, user.agency.code, user.is_staff) == (role, code, False)


def test_the_admin_form_says_in_vietnamese_what_is_wrong_with_the_agency(login):
    admin = UserFactory(username="root", role=Role.NATIONAL_ADMIN, is_staff=True, is_superuser=True)
    client = login(admin)
    response = client.post("/admin/accounts/user/add/", add_form(role=Role.ALLIANCE_OFFICER, agency=agency("BNNMT").pk))
    assert response.status_code == 200
    assert "Cán bộ Liên minh HTX phải thuộc Liên minh Hợp tác xã Việt Nam." in error_text(response)
    assert not User.objects.filter(username="tai.khoan.moi").exists()
