"""The national team keeps an indicator's series going in a real browser: the draft's breaks are
listed, a question of the draft is chosen, its options ticked, and the decision is recorded, in
Vietnamese on a desktop and in English on a phone."""

import pytest

from surveys.continuity import indicator_breaks
from surveys.models import IndicatorMapping, Question
from surveys.questionnaires import questionnaire_new_version
from tests.e2e.conftest import log_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

TEXTS = {
    "vi": {"breaks": "1 chỉ tiêu cần quyết định", "done": "được nối tiếp", "kept": "Mọi chỉ tiêu đều giữ"},
    "en": {"breaks": "1 indicator needs a decision", "done": "goes on", "kept": "Every indicator keeps"},
}


@pytest.mark.parametrize(("device", "language"), [("page", "vi"), ("phone", "en")])
def test_an_indicator_series_is_carried_on_by_another_question(
    request, device, language, live_server, national_admin, questionnaire, screenshot
):
    screen = request.getfixturevalue(device)
    errors = []
    screen.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    screen.on("pageerror", lambda error: errors.append(str(error)))
    draft = questionnaire_new_version(questionnaire=questionnaire)
    Question.objects.filter(questionnaire=draft, code="DIGITAL_SIGNATURE").delete()
    log_in(screen, live_server.url, national_admin.username, PASSWORD)
    if language == "en":
        with screen.expect_navigation():
            screen.locator("[data-testid=language-switch]").evaluate("button => button.click()")
    text = TEXTS[language]

    screen.goto(f"{live_server.url}/surveys/questionnaires/{draft.pk}/indicators/")
    assert text["breaks"] in screen.locator("[data-testid=indicator-breaks]").inner_text()
    screenshot(screen, f"indicator-series-breaks-{device}-{language}")
    screen.click("[data-testid=map-digital_signature]")
    screen.select_option("#id_question", "E_FILING")
    with screen.expect_navigation():
        screen.get_by_role("button", name="Xem các phương án" if language == "vi" else "Show its options").click()
    screen.check("input[name=options][value=yes]")
    screen.fill("#id_note", "Chữ ký số nay hỏi cùng câu nộp hồ sơ điện tử.")
    screenshot(screen, f"indicator-series-form-{device}-{language}")
    with screen.expect_navigation():
        screen.locator("[data-testid=mapping-form] button[type=submit]").click()

    assert text["done"] in screen.locator(".alert-success, [role=alert], [role=status]").first.inner_text()
    assert text["kept"] in screen.locator("[data-testid=no-breaks]").inner_text()
    assert "E_FILING" in screen.locator("[data-testid=mappings]").inner_text()
    screenshot(screen, f"indicator-series-recorded-{device}-{language}")
    mapping = IndicatorMapping.objects.get(questionnaire=draft, indicator__code="digital_signature")
    assert (mapping.question_code, mapping.option_codes) == ("E_FILING", ["yes"])
    assert indicator_breaks(draft) == []
    width = screen.evaluate("document.documentElement.scrollWidth")
    assert width <= screen.viewport_size["width"], "the page scrolls sideways"
    assert errors == []
