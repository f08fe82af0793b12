"""Real-browser journeys: the officer's import and dashboard, the member's survey, the language."""

import pytest

from cooperatives.models import Cooperative
from indicators import services as indicator_services
from surveys.models import Response, ResponseStatus
from tests.e2e.conftest import log_in
from tests.factories import PASSWORD
from tests.sheets import row, xlsx_bytes

# Transactional: the live server is another thread. The reference data that a flush removes is
# loaded again before each test (tests/e2e/conftest.py).
pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def console_errors(page):
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def test_officer_imports_a_registry_file_and_sees_the_dashboard(
    page, live_server, officer_a, open_round, tmp_path, screenshot, console_errors
):
    path = tmp_path / "danh-sach-htx.xlsx"
    path.write_bytes(
        xlsx_bytes([row(), row(code="8212345679", name="Hợp tác xã Sen Tháp Mười", province="Tiền Giang")])
    )
    log_in(page, live_server.url, officer_a.username, PASSWORD)
    screenshot(page, "01-officer-dashboard-empty")
    page.goto(f"{live_server.url}/cooperatives/import/")
    page.set_input_files("input[type=file]", str(path))
    page.click("main form[enctype] button[type=submit]")
    page.wait_for_selector("[data-testid=confirm-import]")
    assert page.inner_text("[data-testid=rows-new]") == "2"
    screenshot(page, "02-import-preview")
    page.click("[data-testid=confirm-import]")
    page.wait_for_selector("[data-testid=import-done]")
    screenshot(page, "03-import-done")
    assert set(Cooperative.objects.values_list("province__code", flat=True)) == {"82"}
    indicator_services.aggregate_indicators()
    page.goto(f"{live_server.url}/")
    page.wait_for_selector("[data-testid=cards]")
    assert "Đồng Tháp" in page.inner_text("h1")
    screenshot(page, "04-officer-dashboard")
    page.goto(f"{live_server.url}/cooperatives/?q=sen+thap+muoi")
    assert "Hợp tác xã Sen Tháp Mười" in page.inner_text("main")
    screenshot(page, "05-registry-search")
    assert console_errors == [], "\n".join(console_errors)


def test_member_fills_in_leaves_resumes_and_submits_on_a_phone(
    phone, live_server, member_a, coop_a, open_round, screenshot
):
    log_in(phone, live_server.url, member_a.username, PASSWORD)
    phone.goto(f"{live_server.url}/surveys/")
    phone.click("[data-testid=start-survey]")
    phone.wait_for_selector("[data-testid=pillar-form]")
    screenshot(phone, "10-survey-page-1-phone")

    def answer_page():
        form = phone.locator("[data-testid=pillar-form]")
        for name in form.locator("input[type=radio]").evaluate_all("els => [...new Set(els.map(e => e.name))]"):
            form.locator(f"input[type=radio][name='{name}']").last.check()
        for name in form.locator("input[type=checkbox]").evaluate_all("els => [...new Set(els.map(e => e.name))]"):
            boxes = form.locator(f"input[type=checkbox][name='{name}']")
            boxes.first.check() if boxes.count() == 1 else boxes.nth(0).check()
        for field in form.locator("input[type=number]").all():
            field.fill("3")
        for field in form.locator("input[type=text]").all():
            field.fill("Thiếu vốn")

    answer_page()
    phone.click("[data-testid=save-leave]")
    phone.wait_for_selector("[data-testid=continue-survey]")
    response = Response.objects.get(cooperative=coop_a)
    assert response.answers.exists()
    # Log out (the phone's menu, as the member does) and back in: the draft is waiting.
    phone.click(".navbar-toggler")
    phone.get_by_test_id("user-menu").click()
    logout = phone.get_by_role("button", name="Đăng xuất")
    logout.wait_for(state="visible")
    # Until the answer to the logout arrives: the home page's own load is not this test's (it
    # took over 15 s once, on a loaded machine).
    with phone.expect_navigation(wait_until="commit", timeout=30_000):
        logout.click()
    log_in(phone, live_server.url, member_a.username, PASSWORD)
    phone.goto(f"{live_server.url}/surveys/")
    phone.click("[data-testid=continue-survey]")
    phone.wait_for_selector("[data-testid=pillar-form]")
    assert phone.locator("input[type=radio]:checked").count() > 0
    pages = open_round.questionnaire.pillars.count()
    for number in range(1, pages + 1):
        answer_page()
        phone.click("[data-testid=next-page]" if number < pages else "[data-testid=to-submit]")
        phone.wait_for_load_state("networkidle")
    screenshot(phone, "11-survey-review-phone")
    # The check step: every part with its answers, none missing, a way back to each part.
    assert phone.locator("[data-testid=review-part]").count() == pages
    assert phone.locator("[data-testid=change-part]").count() == pages
    assert "Chưa trả lời" not in phone.inner_text("main")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    phone.reload()
    assert "Your answers" in phone.inner_text("main")
    screenshot(phone, "11-survey-review-phone-en")
    # Sent from the button after the answers, where a reader of the list arrives.
    phone.click("[data-testid=submit-survey-after-review]")
    phone.wait_for_selector("[data-testid=level]")
    screenshot(phone, "12-survey-result-phone")
    response.refresh_from_db()
    assert response.status == ResponseStatus.SUBMITTED
    assert response.level is not None
    assert phone.inner_text("[data-testid=level]") == str(response.level)


def test_the_language_switch_works_on_every_page(page, live_server, ministry_analyst, screenshot):
    log_in(page, live_server.url, ministry_analyst.username, PASSWORD)
    for path in ("/", "/cooperatives/", "/surveys/"):
        page.goto(f"{live_server.url}{path}")
        assert page.get_attribute("html", "lang") == "vi"
    page.click("[data-testid=language-switch]")
    page.wait_for_load_state("networkidle")
    assert page.get_attribute("html", "lang") == "en"
    assert "Cooperatives" in page.inner_text("nav")
    screenshot(page, "20-english-dashboard")
    page.goto(f"{live_server.url}/cooperatives/")
    assert page.get_attribute("html", "lang") == "en"
    page.click("[data-testid=language-switch]")
    page.wait_for_load_state("networkidle")
    assert page.get_attribute("html", "lang") == "vi"
    assert "Hợp tác xã" in page.inner_text("nav")
