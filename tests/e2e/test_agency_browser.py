"""An agency officer signs in, opens the tasks of their agency and reports progress, in Vietnamese
and English, on a desktop and on a phone."""

import datetime

import pytest

from accounts.models import Role
from directives.models import AgencyKind, TaskReport
from tests.directives.conftest import AgencyFactory, DocumentFactory, TaskFactory
from tests.e2e.conftest import log_in
from tests.e2e.test_dashboard_browser import fits, use_language, watch_console
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

TEXTS = {
    "vi": {"lead": "Nhiệm vụ của cơ quan tôi", "added": "Đã thêm báo cáo tiến độ."},
    "en": {"lead": "Tasks of my agency", "added": "The report has been added."},
}


@pytest.mark.parametrize("screen", ["desktop", "phone"])
def test_an_agency_officer_reports_on_a_task_of_their_agency(request, live_server, screenshot, screen):
    browser_page = request.getfixturevalue("page" if screen == "desktop" else "phone")
    # Made here: a transactional test's database holds only what ensure_reference_data loads.
    ministry = AgencyFactory(code="E2E-BNNMT", name="Bộ Nông nghiệp và Môi trường", short_name="Bộ NN&MT")
    merged = AgencyFactory(
        code="E2E-BNNPTNT",
        name="Bộ Nông nghiệp và Phát triển nông thôn",
        successor=ministry,
        dissolved_on=datetime.date(2025, 3, 1),
    )
    other = AgencyFactory(code="E2E-BTC", name="Bộ Tài chính", kind=AgencyKind.MINISTRY)
    task = TaskFactory(
        document=DocumentFactory(issuing_agency=other),
        lead_agency=merged,
        content="Hướng dẫn hợp tác xã nông nghiệp ứng dụng truy xuất nguồn gốc",
    )
    TaskFactory(document=task.document, lead_agency=other, content="Bố trí vốn hỗ trợ chuyển đổi số")
    officer = UserFactory(username="bo.nongnghiep", role=Role.AGENCY_OFFICER, agency=ministry)
    errors = watch_console(browser_page)
    log_in(browser_page, live_server.url, officer.username, PASSWORD)
    width = "1366" if screen == "desktop" else "390"
    for number, language in enumerate(("vi", "en"), start=1):
        use_language(browser_page, live_server.url, language)
        browser_page.goto(f"{live_server.url}/directives/tasks/")
        browser_page.get_by_role("link", name=TEXTS[language]["lead"]).click()
        browser_page.wait_for_load_state("networkidle")
        board = browser_page.content()
        assert task.content in board and "Bố trí vốn hỗ trợ" not in board, language
        size = fits(browser_page)
        assert size["scroll"] <= size["screen"], (language, size)
        screenshot(browser_page, f"80-agency-board-{language}-{width}")
        browser_page.get_by_role("link", name=task.content).click()
        browser_page.wait_for_selector("[data-report-form]")
        browser_page.select_option("#id_status", "in_progress")
        browser_page.fill("#id_percent_done", str(30 * number))
        browser_page.fill("#id_narrative", "Đã tập huấn 12 hợp tác xã về truy xuất nguồn gốc.")
        browser_page.locator("[data-report-form] button[type=submit]").click()
        browser_page.wait_for_load_state("networkidle")
        assert TEXTS[language]["added"] in browser_page.content(), language
        size = fits(browser_page)
        assert size["scroll"] <= size["screen"], (language, size)
        screenshot(browser_page, f"81-agency-task-{language}-{width}")
    reports = TaskReport.objects.filter(task=task).order_by("pk")
    assert [(r.percent_done, r.reporting_agency_id, r.submitted_by_id) for r in reports] == [
        (30, ministry.pk, officer.pk),
        (60, ministry.pk, officer.pk),
    ]
    assert errors == [], "\n".join(errors)
