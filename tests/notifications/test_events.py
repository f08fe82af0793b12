"""The events that notify: each reaches the right people exactly once, and nobody outside scope."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from accounts.models import Role
from cooperatives.models import CooperativeStatus
from directives.notices import task_notices_send
from imports.models import ImportJob
from notifications.models import Notification, NotificationKind
from surveys.models import Response, SurveyRound
from surveys.notices import round_notices_send
from surveys.services import response_review
from tests.directives.conftest import AgencyFactory, TaskFactory
from tests.factories import CooperativeFactory, UserFactory
from tests.sheets import row, xlsx_bytes

pytestmark = pytest.mark.django_db


def _received(kind, key=""):
    notifications = Notification.objects.filter(kind=kind, key__startswith=key)
    return sorted(notifications.values_list("recipient__username", flat=True))


@pytest.fixture
def member_b(coop_b):
    return UserFactory(username="member_b", role=Role.COOPERATIVE_MEMBER, cooperative=coop_b)


@pytest.fixture
def submitted(open_round, coop_a, member_a):
    return Response.objects.create(
        round=open_round,
        cooperative=coop_a,
        status="submitted",
        submitted_by=member_a,
        submitted_at=timezone.now(),
        level=3,
        score=Decimal("45.00"),
    )


def test_a_returned_response_tells_the_cooperatives_members_with_the_comment(
    submitted, officer_a, member_a, member_b, coop_a, django_capture_on_commit_callbacks
):
    chair = UserFactory(username="chair_a", role=Role.COOPERATIVE_MEMBER, cooperative=coop_a)
    with django_capture_on_commit_callbacks(execute=True):
        response_review(response=submitted, by=officer_a, accept=False, comment="Câu 3 chưa đúng")

    assert _received(NotificationKind.RESPONSE_RETURNED) == ["chair_a", "member_a"]
    notification = Notification.objects.get(recipient=chair)
    assert "Câu 3 chưa đúng" in notification.body
    assert notification.link == f"/surveys/responses/{submitted.pk}/"
    assert notification.deliveries.get().status == "sent"  # by e-mail


def test_an_accepted_response_tells_its_members_and_whoever_submitted_it(submitted, officer_a, national_admin):
    Response.objects.filter(pk=submitted.pk).update(submitted_by=national_admin)
    submitted.refresh_from_db()
    response_review(response=submitted, by=officer_a, accept=True)

    assert _received(NotificationKind.RESPONSE_ACCEPTED) == ["admin", "member_a"]


def test_a_round_that_is_open_tells_members_of_expected_cooperatives_once(
    open_round, member_a, member_b, officer_a, province_a
):
    archived = CooperativeFactory(province=province_a, is_archived=True)
    UserFactory(username="archived_member", role=Role.COOPERATIVE_MEMBER, cooperative=archived)
    dissolved = CooperativeFactory(province=province_a, status=CooperativeStatus.DISSOLVED)
    UserFactory(username="dissolved_member", role=Role.COOPERATIVE_MEMBER, cooperative=dissolved)

    assert round_notices_send() == 2
    assert round_notices_send() == 0
    assert _received(NotificationKind.ROUND_OPENED) == ["member_a", "member_b"]
    assert "Khảo sát 2026" in Notification.objects.get(recipient=member_a).subject


def test_a_provincial_round_tells_only_its_provinces_members(questionnaire, province_a, member_a, member_b):
    today = timezone.localdate()
    SurveyRound.objects.create(
        code="DT2026",
        name_vi="Khảo sát Đồng Tháp",
        questionnaire=questionnaire,
        province=province_a,
        opens_on=today,
        closes_on=today + datetime.timedelta(days=60),
    )
    round_notices_send()
    assert _received(NotificationKind.ROUND_OPENED) == ["member_a"]


def test_a_round_not_open_yet_or_closed_tells_nobody(questionnaire, member_a, previous_round):
    today = timezone.localdate()
    SurveyRound.objects.create(
        code="KS2027",
        name_vi="Khảo sát 2027",
        questionnaire=questionnaire,
        opens_on=today + datetime.timedelta(days=1),
        closes_on=today + datetime.timedelta(days=60),
    )
    assert round_notices_send() == 0


def test_members_who_have_not_submitted_are_reminded_days_before_the_close(
    open_round, submitted, member_b, coop_b, settings
):
    settings.ROUND_REMINDER_DAYS_BEFORE_CLOSE = 7
    today = open_round.closes_on - datetime.timedelta(days=8)
    round_notices_send(today=today)
    assert _received(NotificationKind.ROUND_REMINDER) == []

    today = open_round.closes_on - datetime.timedelta(days=7)
    round_notices_send(today=today)
    round_notices_send(today=today + datetime.timedelta(days=1))
    # member_a's cooperative submitted; member_b's has not.
    assert _received(NotificationKind.ROUND_REMINDER) == ["member_b"]


@pytest.mark.usefixtures("run_on_commit_after_post")
def test_the_uploader_is_told_when_the_check_and_the_import_finish(login, officer_a, national_admin):
    client = login(officer_a)
    client.post("/cooperatives/import/", {"file": SimpleUploadedFile("htx.xlsx", xlsx_bytes([row()]))})
    job = ImportJob.objects.get()
    assert job.status == "ready"
    assert _received(NotificationKind.IMPORT_READY) == ["officer_a"]

    client.post(f"/cooperatives/import/{job.pk}/confirm/")
    assert _received(NotificationKind.IMPORT_DONE) == ["officer_a"]
    done = Notification.objects.get(kind=NotificationKind.IMPORT_DONE)
    assert "htx.xlsx" in done.subject and done.link == f"/cooperatives/import/{job.pk}/"
    assert Notification.objects.filter(recipient=national_admin).count() == 0


@pytest.mark.usefixtures("run_on_commit_after_post")
def test_a_file_with_errors_tells_the_uploader_it_failed(login, officer_a):
    login(officer_a).post(
        "/cooperatives/import/", {"file": SimpleUploadedFile("htx.xlsx", xlsx_bytes([row(phone="abc")]))}
    )
    [notification] = Notification.objects.filter(kind=NotificationKind.IMPORT_FAILED)
    assert notification.recipient == officer_a
    assert "1" in notification.body


TODAY = datetime.date(2025, 6, 16)


def test_reports_due_soon_and_overdue_tell_the_officers_of_the_tasks_province(
    officer_a, officer_b, national_admin, province_a
):
    lead = AgencyFactory(kind="provincial_committee", province=province_a, code="TEST-UBND-A")
    due = TaskFactory(lead_agency=lead, deadline=TODAY + datetime.timedelta(days=5), content="Sắp đến hạn")
    late = TaskFactory(lead_agency=lead, deadline=TODAY - datetime.timedelta(days=2), content="Đã quá hạn")
    far = TaskFactory(lead_agency=lead, deadline=TODAY + datetime.timedelta(days=40), content="Còn xa")

    task_notices_send(today=TODAY)
    task_notices_send(today=TODAY)

    assert _received(NotificationKind.TASK_DUE, f"task_due:{due.pk}:") == ["officer_a"]
    assert _received(NotificationKind.TASK_OVERDUE, f"task_overdue:{late.pk}:") == ["officer_a"]
    assert not Notification.objects.filter(key__contains=f":{far.pk}:").exists()
    assert Notification.objects.get(key__startswith=f"task_due:{due.pk}:").link == f"/directives/tasks/{due.pk}/"
    assert "Đã quá hạn" in Notification.objects.get(key__startswith=f"task_overdue:{late.pk}:").body
    # Another province's officer, and the national administrators, hear nothing of A's tasks.
    for task in (due, late):
        heard = Notification.objects.filter(key__contains=f":{task.pk}:").values_list("recipient", flat=True)
        assert officer_b.pk not in heard and national_admin.pk not in heard


def test_a_national_tasks_report_is_due_from_the_national_administrators(national_admin, officer_a, ministry_analyst):
    task = TaskFactory(lead_agency=AgencyFactory(), deadline=TODAY + datetime.timedelta(days=3))
    task_notices_send(today=TODAY)
    assert _received(NotificationKind.TASK_DUE, f"task_due:{task.pk}:") == ["admin"]


def test_a_report_due_from_an_agency_tells_its_agency_accounts_and_those_of_no_other(
    national_admin, agency_officer, alliance_officer, officer_a
):
    """An agency account reports on the tasks its agency leads, a dissolved predecessor's too, so
    it is told when one is due; the Alliance's account hears nothing of a ministry's task."""
    from directives.models import Agency

    ministry = Agency.objects.get(code="BNNMT")
    merged = AgencyFactory(code="TEST-BO-CU", successor=ministry)
    own = TaskFactory(lead_agency=ministry, deadline=TODAY + datetime.timedelta(days=3))
    predecessors = TaskFactory(lead_agency=merged, deadline=TODAY - datetime.timedelta(days=1))
    another = TaskFactory(lead_agency=AgencyFactory(), deadline=TODAY + datetime.timedelta(days=3))
    task_notices_send(today=TODAY)
    assert _received(NotificationKind.TASK_DUE, f"task_due:{own.pk}:") == ["admin", "agency_officer"]
    assert _received(NotificationKind.TASK_OVERDUE, f"task_overdue:{predecessors.pk}:") == ["admin", "agency_officer"]
    assert _received(NotificationKind.TASK_DUE, f"task_due:{another.pk}:") == ["admin"]


def test_round_notices_are_scheduled_daily_in_beat():
    entry = PeriodicTask.objects.get(name="surveys: daily round notices")
    assert entry.task == "surveys.send_round_notices"
    assert (entry.crontab.hour, entry.crontab.minute) == ("7", "0")
