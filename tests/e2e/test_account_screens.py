"""In the browser, at 1366 and 390 px, in Vietnamese and English: the error pages, an analyst's
token page and the admin's add-account form fit the screen, speak the language and log no error."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from accounts.models import ApiScope, Role
from tests.e2e.conftest import log_in
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

HEADINGS = {
    "vi": {
        "404": "Không tìm thấy trang",
        "403": "Bạn không có quyền xem trang này",
        "csrf": "Biểu mẫu đã hết hạn",
        "500": "Đã xảy ra lỗi ở máy chủ",
    },
    "en": {
        "404": "Page not found",
        "403": "You may not see this page",
        "csrf": "The form has expired",
        "500": "Something went wrong on the server",
    },
}


def watch(page) -> list[str]:
    """Console errors and page errors, except the browser's note of the error status itself."""
    errors: list[str] = []

    def on_console(message):
        if message.type == "error" and "Failed to load resource" not in message.text:
            errors.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def choose(page, base_url: str, language: str) -> None:
    page.context.add_cookies([{"name": "django_language", "value": language, "url": base_url}])


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.urls("tests.coopdx.failing_urls")
@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("device", ["page", "phone"])
def test_error_pages_are_branded_and_fit(device, language, request, live_server, officer_a, screenshot):
    browser_page = request.getfixturevalue(device)
    errors = watch(browser_page)
    url = live_server.url
    choose(browser_page, url, language)
    browser_page.goto(f"{url}/khong-co-trang-nay/")
    assert browser_page.inner_text("h1") == HEADINGS[language]["404"]
    assert fits(browser_page)
    screenshot(browser_page, f"h3-error-404-{language}-{device}")
    browser_page.goto(f"{url}/boom/")
    assert browser_page.inner_text("h1") == HEADINGS[language]["500"]
    assert fits(browser_page)
    screenshot(browser_page, f"h3-error-500-{language}-{device}")
    log_in(browser_page, url, officer_a.username, PASSWORD)
    browser_page.goto(f"{url}/accounts/tokens/")
    assert browser_page.inner_text("h1") == HEADINGS[language]["403"]
    assert fits(browser_page)
    screenshot(browser_page, f"h3-error-403-{language}-{device}")
    # A form whose CSRF cookie was lost (another tab logged out, the browser dropped it).
    browser_page.goto(f"{url}/cooperatives/")
    browser_page.context.clear_cookies(name="csrftoken")
    browser_page.evaluate(
        "document.getElementById('language-form').requestSubmit(document.querySelector('[data-testid=language-switch]'))"
    )
    browser_page.wait_for_load_state("networkidle")
    assert browser_page.inner_text("h1") == HEADINGS[language]["csrf"]
    assert fits(browser_page)
    screenshot(browser_page, f"h3-error-csrf-{language}-{device}")
    reload_link = browser_page.get_by_role("link", name="Tải lại trang" if language == "vi" else "Reload the page")
    assert reload_link.get_attribute("href") == "/cooperatives/"
    assert errors == [], "\n".join(errors)


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("device", ["page", "phone"])
def test_an_analysts_token_page_names_the_scopes(device, language, request, live_server, screenshot):
    from accounts.api.services import api_token_issue

    browser_page = request.getfixturevalue(device)
    errors = watch(browser_page)
    analyst = UserFactory(username="bo.taichinh", role=Role.MINISTRY_ANALYST, organisation="Bộ Tài chính")
    api_token_issue(
        by=analyst,
        organisation="Kịch bản thống kê",
        role=Role.MINISTRY_ANALYST,
        scopes=[ApiScope.REGISTRY_READ, ApiScope.INDICATORS_READ],
        expires_at=timezone.now() + datetime.timedelta(days=90),
    )
    choose(browser_page, live_server.url, language)
    log_in(browser_page, live_server.url, analyst.username, PASSWORD)
    browser_page.goto(f"{live_server.url}/accounts/tokens/")
    row = browser_page.inner_text("[data-testid=token-card]" if device == "phone" else "[data-testid=token-row]")
    expected = "Đọc danh bạ hợp tác xã" if language == "vi" else "Read the cooperative registry"
    assert expected in row and "registry:read" not in row
    assert fits(browser_page)
    screenshot(browser_page, f"h3-tokens-analyst-{language}-{device}")
    browser_page.goto(f"{live_server.url}/accounts/tokens/new/")
    assert browser_page.locator("input[name=scopes]").count() == 3
    assert fits(browser_page)
    screenshot(browser_page, f"h3-token-form-analyst-{language}-{device}")
    assert errors == [], "\n".join(errors)


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("device", ["page", "phone"])
def test_the_admin_add_account_form_asks_for_role_and_scope(device, language, request, live_server, screenshot):
    browser_page = request.getfixturevalue(device)
    errors = watch(browser_page)
    root = UserFactory(username="quantri", role=Role.NATIONAL_ADMIN, is_staff=True, is_superuser=True)
    choose(browser_page, live_server.url, language)
    log_in(browser_page, live_server.url, root.username, PASSWORD)
    browser_page.goto(f"{live_server.url}/admin/accounts/user/add/")
    options = browser_page.locator("select[name=role] option").all_inner_texts()
    expected = "Cán bộ cấp tỉnh" if language == "vi" else "Provincial officer"
    assert expected in options
    assert browser_page.locator("select[name=province]").count() == 1
    screenshot(browser_page, f"h3-admin-add-user-{language}-{device}")
    # A role without its scope: the form says so, on the page.
    browser_page.fill("#id_username", "canbo.moi")
    browser_page.fill("#id_password1", "Mat-khau-quan-tri-2026")
    browser_page.fill("#id_password2", "Mat-khau-quan-tri-2026")
    browser_page.select_option("select[name=role]", Role.PROVINCIAL_OFFICER)
    browser_page.click("input[name=_save]")
    message = (
        "Cán bộ cấp tỉnh phải thuộc một tỉnh, thành phố."
        if language == "vi"
        else "A provincial officer must belong to a province."
    )
    assert message in browser_page.inner_text("#content")
    screenshot(browser_page, f"h3-admin-add-user-error-{language}-{device}")
    assert errors == [], "\n".join(errors)
