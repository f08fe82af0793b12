"""The pages: a user's own notifications, marking them read, settings, and the people not reached."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Role
from notifications.models import Delivery, DeliveryStatus, Notification, NotificationKind, NotificationPreference
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _notification(user, key, *, subject="Bản tự đánh giá bị trả lại", link="/surveys/", read=False, deliveries=()):
    notification = Notification.objects.create(
        recipient=user,
        kind=NotificationKind.RESPONSE_RETURNED,
        key=key,
        subject=subject,
        body="Nhận xét của cán bộ: sửa câu 3",
        link=link,
        read_at=timezone.now() if read else None,
    )
    for channel, status in deliveries:
        Delivery.objects.create(notification=notification, channel=channel, status=status)
    return notification


def test_a_member_sees_only_their_own_notifications_unread_first(login, member_a, officer_a):
    _notification(member_a, "a", subject="Đã đọc rồi", read=True)
    _notification(member_a, "b", subject="Chưa đọc")
    _notification(officer_a, "c", subject="Của cán bộ")

    page = login(member_a).get("/notifications/").content.decode()
    assert page.index("Chưa đọc") < page.index("Đã đọc rồi")
    assert "Của cán bộ" not in page
    assert 'data-testid="unread-count">1<' in page


def test_opening_a_notification_marks_it_read_and_goes_to_its_page(login, member_a):
    notification = _notification(member_a, "a", link="/surveys/")
    response = login(member_a).post(f"/notifications/{notification.pk}/read/", {"open": "1"})
    assert response.status_code == 302 and response["Location"] == "/surveys/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_an_outside_link_is_never_followed(login, member_a):
    notification = _notification(member_a, "a", link="https://example.com/")
    response = login(member_a).post(f"/notifications/{notification.pk}/read/", {"open": "1"})
    assert response["Location"] == "/notifications/"


def test_someone_elses_notification_is_404_and_stays_unread(login, member_a, officer_a):
    theirs = _notification(officer_a, "a")
    assert login(member_a).post(f"/notifications/{theirs.pk}/read/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read_reads_only_ones_own(login, member_a, officer_a):
    _notification(member_a, "a")
    _notification(member_a, "b")
    theirs = _notification(officer_a, "c")
    login(member_a).post("/notifications/read-all/")
    assert not Notification.objects.filter(recipient=member_a, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_settings_page_saves_the_users_channels_and_language(login, member_a):
    client = login(member_a)
    assert client.get("/notifications/settings/").status_code == 200
    response = client.post("/notifications/settings/", {"zalo": "on", "language": "en"})
    assert response.status_code == 302
    preference = NotificationPreference.objects.get(user=member_a)
    assert (preference.email, preference.zalo, preference.language) == (False, True, "en")


def test_the_navigation_counts_unread_with_the_users_own_query(login, member_a):
    """The count comes with the signed-in user (accounts.backends): no query of its own."""
    for n in range(3):
        _notification(member_a, f"k{n}")
    client = login(member_a)
    client.get("/notifications/settings/")  # warm the session
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/notifications/settings/").content.decode()
    counts = [q["sql"] for q in queries.captured_queries if 'FROM "notifications_notification"' in q["sql"]]
    assert counts == []
    assert 'data-testid="unread-count">3<' in page


def test_the_officer_sees_who_in_the_province_no_channel_reached(login, officer_a, member_a, coop_b, national_admin):
    member_b = UserFactory(username="member_b", role=Role.COOPERATIVE_MEMBER, cooperative=coop_b)
    failed = _notification(member_a, "failed", subject="Không ai nhận", deliveries=[("email", DeliveryStatus.FAILED)])
    _notification(member_a, "chosen-none", subject="Không chọn kênh nào")
    _notification(member_a, "sent", subject="Đã gửi thư", deliveries=[("email", DeliveryStatus.SENT)])
    _notification(member_a, "waiting", subject="Đang chờ gửi", deliveries=[("zalo", DeliveryStatus.PENDING)])
    _notification(member_a, "read", subject="Đã đọc trên trang", read=True, deliveries=[("email", "failed")])
    _notification(member_b, "other", subject="Tỉnh khác", deliveries=[("email", DeliveryStatus.SKIPPED)])

    page = login(officer_a).get("/notifications/unreached/").content.decode()
    assert "Không ai nhận" in page and "Không chọn kênh nào" in page
    for reached in ("Đã gửi thư", "Đang chờ gửi", "Đã đọc trên trang", "Tỉnh khác"):
        assert reached not in page
    assert failed.recipient.username in page

    national = login(national_admin).get("/notifications/unreached/").content.decode()
    assert "Tỉnh khác" in national and "Không ai nhận" in national


def test_members_may_not_see_who_was_not_reached(login, member_a):
    assert login(member_a).get("/notifications/unreached/").status_code == 403


def test_the_officers_work_list_counts_the_notifications_that_reached_nobody(login, officer_a, member_a):
    _notification(member_a, "failed", deliveries=[("email", DeliveryStatus.FAILED)])
    page = login(officer_a).get("/").content.decode()
    assert 'data-testid="work-unreached"' in page
    assert "/notifications/unreached/" in page


def test_a_message_sent_in_vietnamese_is_shown_in_the_language_of_the_page(
    login, member_a, django_capture_on_commit_callbacks
):
    from notifications.services import notify

    with django_capture_on_commit_callbacks(execute=True):
        notify(
            kind=NotificationKind.RESPONSE_ACCEPTED,
            recipients=[member_a],
            key="accepted",
            params={
                "round": {"vi": "Khảo sát 2026", "en": "Survey 2026"},
                "cooperative": "HTX A",
                "level": {"vi": "Hình thành", "en": "Forming"},
            },
            link="/",
        )
    client = login(member_a)
    assert "Bản tự đánh giá của bạn đã được chấp nhận" in client.get("/notifications/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/notifications/").content.decode()
    assert "Your self-assessment was accepted" in page
    assert "Survey 2026" in page and "Forming" in page
    assert "Khảo sát" not in page
