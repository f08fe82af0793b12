"""The daily reminder job: which tasks it picks, where the mail goes, and that it never repeats."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command

from directives.models import ReminderKind, ReminderLog
from directives.reminders import reminders_send
from directives.tasks import send_task_reminders
from tests.directives.conftest import AgencyFactory, TaskFactory, at_vn, report

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 6, 16)


def _days(n):
    return TODAY + datetime.timedelta(days=n)


def _mailed_to(address):
    return [m for m in mail.outbox if address in m.to]


def test_it_picks_tasks_due_within_14_days_and_overdue_ones_not_done(national_admin):
    lead = AgencyFactory(email="chutri@example.gov.vn")
    due_today = TaskFactory(lead_agency=lead, deadline=_days(0), content="Hạn hôm nay")
    due_in_14 = TaskFactory(lead_agency=lead, deadline=_days(14), content="Còn 14 ngày")
    due_in_15 = TaskFactory(lead_agency=lead, deadline=_days(15), content="Còn 15 ngày")
    overdue = TaskFactory(lead_agency=lead, deadline=_days(-1), content="Quá hạn một ngày")
    done = TaskFactory(lead_agency=lead, deadline=_days(3), content="Đã xong")
    report(done, by=national_admin, at=at_vn(2025, 6, 10))
    done_late = TaskFactory(lead_agency=lead, deadline=_days(-5), content="Xong muộn")
    report(done_late, by=national_admin, at=at_vn(2025, 6, 14))
    in_progress_overdue = TaskFactory(lead_agency=lead, deadline=_days(-2), content="Đang làm nhưng quá hạn")
    report(in_progress_overdue, by=national_admin, status="in_progress", percent=80, at=at_vn(2025, 6, 1))

    run = reminders_send(today=TODAY)

    logged = {(log.task_id, log.kind) for log in ReminderLog.objects.all()}
    assert logged == {
        (due_today.pk, ReminderKind.DUE_SOON),
        (due_in_14.pk, ReminderKind.DUE_SOON),
        (overdue.pk, ReminderKind.OVERDUE),
        (in_progress_overdue.pk, ReminderKind.OVERDUE),
    }
    assert run.sent == 4
    mails = _mailed_to("chutri@example.gov.vn")
    assert len(mails) == 4
    bodies = "\n".join(m.subject + m.body for m in mails)
    assert "Còn 14 ngày" in bodies and "Quá hạn một ngày" in bodies
    assert "Còn 15 ngày" not in bodies and "Đã xong" not in bodies and "Xong muộn" not in bodies
    assert due_in_15.pk not in {log.task_id for log in ReminderLog.objects.all()}


def test_running_twice_sends_nothing_new(national_admin):
    lead = AgencyFactory(email="chutri@example.gov.vn")
    TaskFactory(lead_agency=lead, deadline=_days(5))
    TaskFactory(lead_agency=lead, deadline=_days(-5))
    assert reminders_send(today=TODAY).sent == 2
    sent = len(mail.outbox)
    second = reminders_send(today=TODAY)
    assert second.sent == 0
    assert second.already_sent == 2
    assert len(mail.outbox) == sent
    # The next day, too: each reminder is sent once per deadline and kind.
    assert reminders_send(today=_days(1)).sent == 0


def test_a_task_due_soon_is_reminded_again_once_it_is_overdue():
    lead = AgencyFactory(email="chutri@example.gov.vn")
    task = TaskFactory(lead_agency=lead, deadline=_days(2))
    reminders_send(today=TODAY)
    reminders_send(today=_days(3))
    reminders_send(today=_days(4))
    assert sorted(ReminderLog.objects.filter(task=task).values_list("kind", flat=True)) == ["due_soon", "overdue"]
    assert len(_mailed_to("chutri@example.gov.vn")) == 2


def test_a_recurring_task_is_reminded_once_per_period(national_admin):
    lead = AgencyFactory(email="baocao@example.gov.vn")
    task = TaskFactory(lead_agency=lead, deadline=None, reporting_period="monthly", starts_on=datetime.date(2025, 1, 1))
    # 5 June: May's report is due on 15 June → due soon.
    reminders_send(today=datetime.date(2025, 6, 5))
    # 16 June: not in → overdue; run twice.
    reminders_send(today=datetime.date(2025, 6, 16))
    reminders_send(today=datetime.date(2025, 6, 20))
    # July: May's is no longer judged; June's report came in on time → nothing.
    report(task, by=national_admin, period_start=datetime.date(2025, 6, 1), at=at_vn(2025, 7, 3))
    reminders_send(today=datetime.date(2025, 7, 5))
    logs = list(ReminderLog.objects.filter(task=task).order_by("sent_at").values_list("period_key", "kind"))
    assert logs == [
        (datetime.date(2025, 5, 1), "due_soon"),
        (datetime.date(2025, 5, 1), "overdue"),
    ]
    # August: July's report is missing and due on 15 August → a new reminder for the new period.
    reminders_send(today=datetime.date(2025, 8, 2))
    assert ReminderLog.objects.filter(task=task, period_key=datetime.date(2025, 7, 1), kind="due_soon").exists()


def test_the_reminder_goes_to_the_successor_of_a_dissolved_lead_agency():
    successor = AgencyFactory(email="moi@example.gov.vn")
    dissolved = AgencyFactory(email="cu@example.gov.vn", successor=successor)
    TaskFactory(lead_agency=dissolved, deadline=_days(3))
    reminders_send(today=TODAY)
    assert len(_mailed_to("moi@example.gov.vn")) == 1
    assert not _mailed_to("cu@example.gov.vn")


def test_an_agency_without_email_is_skipped_until_it_has_one():
    lead = AgencyFactory(email="")
    TaskFactory(lead_agency=lead, deadline=_days(3))
    run = reminders_send(today=TODAY)
    assert run.sent == 0 and run.without_email >= 1
    assert not ReminderLog.objects.exists()
    lead.email = "co-email@example.gov.vn"
    lead.save()
    assert reminders_send(today=TODAY).sent == 1
    assert len(_mailed_to("co-email@example.gov.vn")) == 1


def test_seeded_tasks_without_agency_email_send_nothing():
    run = reminders_send(today=datetime.date(2025, 2, 1))
    assert run.sent == 0
    assert run.without_email > 0
    assert mail.outbox == []


def test_the_celery_task_and_the_command_use_the_same_service(monkeypatch):
    lead = AgencyFactory(email="chutri@example.gov.vn")
    TaskFactory(lead_agency=lead, deadline=_days(1))
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: TODAY)
    assert send_task_reminders.delay().get() == 1
    call_command("send_task_reminders", "--today", TODAY.isoformat())
    assert len(_mailed_to("chutri@example.gov.vn")) == 1


def test_the_reminder_links_to_the_task_with_an_absolute_address(settings):
    # SITE_URL comes from the environment (tests/coopdx/test_settings_profiles.py); a trailing
    # slash there must not double the one of the path.
    settings.SITE_URL = "https://coopdx.example.gov.vn/"
    task = TaskFactory(lead_agency=AgencyFactory(email="lienket@example.gov.vn"), deadline=_days(3))
    reminders_send(today=TODAY)
    (message,) = _mailed_to("lienket@example.gov.vn")
    assert f"https://coopdx.example.gov.vn/directives/tasks/{task.pk}/" in message.body
