"""The export pages as a ministry analyst uses them, in Vietnamese and English, on a desktop and
a phone: start an export of the registry, follow it to the end, download it."""

import pytest

from accounts.models import Role
from tests.e2e.conftest import log_in
from tests.e2e.test_dashboard_browser import fits, use_language, watch_console
from tests.factories import PASSWORD, CooperativeFactory, UserFactory, province

pytestmark = pytest.mark.django_db(transaction=True)

TITLES = {"vi": "Xuất dữ liệu", "en": "Data exports"}
READY = {"vi": "Sẵn sàng tải xuống", "en": "Ready to download"}


@pytest.mark.parametrize("device", ["page", "phone"])
def test_an_analyst_starts_an_export_and_downloads_it(device, request, live_server, screenshot, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    browser_page = request.getfixturevalue(device)
    analyst = UserFactory(username="analyst", role=Role.MINISTRY_ANALYST)
    CooperativeFactory(province=province("82"), code="8200000501")
    errors = watch_console(browser_page)
    log_in(browser_page, live_server.url, analyst.username, PASSWORD)
    width = 390 if device == "phone" else 1280
    for language in ("vi", "en"):
        use_language(browser_page, live_server.url, language)
        browser_page.goto(f"{live_server.url}/exports/")
        assert browser_page.locator("h1").inner_text() == TITLES[language]
        screenshot(browser_page, f"80-exports-form-{language}-{width}")
        layout = fits(browser_page)
        assert layout["scroll"] <= layout["screen"], (language, layout)
        browser_page.select_option("#id_kind", "registry")
        browser_page.click("[data-testid=export-form] button[type=submit]")
        browser_page.wait_for_selector("[data-testid=export-job][data-status=done]")
        assert READY[language] in browser_page.inner_text("[data-testid=export-job]")
        screenshot(browser_page, f"81-exports-done-{language}-{width}")
        layout = fits(browser_page)
        assert layout["scroll"] <= layout["screen"], (language, layout)
        with browser_page.expect_download() as download:
            browser_page.click("[data-testid=export-download]")
        assert download.value.suggested_filename.endswith(".csv.gz")
    assert errors == [], "\n".join(errors)
