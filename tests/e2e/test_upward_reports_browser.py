"""A report to send upward, as an officer prepares it: new → edit → preview → download, in
Vietnamese and English, on a desktop and a phone."""

import datetime

import pytest

from directives.models import AgencyKind
from tests.directives.conftest import AgencyFactory, DocumentFactory, TaskFactory
from tests.e2e.conftest import log_in
from tests.e2e.test_dashboard_browser import fits, use_language, watch_console
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

HEADINGS = {"vi": "Xem trước báo cáo", "en": "Preview of the report"}


@pytest.mark.parametrize("device", ["page", "phone"])
def test_an_officer_prepares_edits_previews_and_downloads_a_report(request, device, live_server, officer_a, screenshot):
    browser = request.getfixturevalue(device)
    width = 1366 if device == "page" else 390
    committee = AgencyFactory(
        name="Ủy ban nhân dân tỉnh Đồng Tháp", kind=AgencyKind.PROVINCIAL_COMMITTEE, province=officer_a.province
    )
    TaskFactory(
        document=DocumentFactory(issuing_agency=committee),
        lead_agency=committee,
        content="Đưa hợp tác xã lên sàn thương mại điện tử",
        deadline=datetime.date(2026, 3, 31),
    )
    errors = watch_console(browser)
    log_in(browser, live_server.url, officer_a.username, PASSWORD)
    for language in ("vi", "en"):
        use_language(browser, live_server.url, language)
        browser.goto(f"{live_server.url}/directives/")
        browser.click("[data-testid=upward-reports-link]")
        browser.click("[data-testid=new-upward-report]")
        browser.select_option("#id_province", str(officer_a.province_id))
        browser.fill("#id_period_start", "01/01/2026")
        browser.fill("#id_period_end", "30/06/2026")
        screenshot(browser, f"80-upward-new-{language}-{width}")
        browser.click("[data-testid=upward-create] button[type=submit]")
        browser.wait_for_selector("[data-testid=upward-form]")
        edited = f"Thiếu cán bộ số ở cấp xã ({language}, {width})."
        browser.fill("#id_difficulties", edited)
        browser.fill("#id_number", "12/BC-UBND")
        screenshot(browser, f"81-upward-edit-{language}-{width}")
        browser.click("[data-testid=upward-form] button[type=submit]")
        browser.wait_for_selector("[data-testid=upward-document]")
        assert browser.inner_text("h1") == HEADINGS[language]
        document = browser.inner_text("[data-testid=upward-document]")
        for line in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Số: 12/BC-UBND", edited, "Đưa hợp tác xã lên sàn"):
            assert line in document, (language, line)
        size = fits(browser)
        assert size["scroll"] <= size["screen"], (language, size)
        screenshot(browser, f"82-upward-preview-{language}-{width}")
        for testid, suffix in (("download-docx", ".docx"), ("download-pdf", ".pdf")):
            with browser.expect_download() as download:
                browser.click(f"[data-testid={testid}]")
            assert download.value.suggested_filename.endswith(suffix)
            assert download.value.failure() is None
    browser.goto(f"{live_server.url}/directives/reports/")
    assert browser.locator("[data-testid=upward-reports] tbody tr").count() == 2
    screenshot(browser, f"83-upward-list-en-{width}")
    assert errors == [], "\n".join(errors)
