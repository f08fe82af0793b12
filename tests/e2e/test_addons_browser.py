"""Provincial add-on questions in a real browser: the province's officer adds one on the round's
page, a member answers it as the form's last part and submits, in Vietnamese on a desktop and in
English on a phone; the score is the national questions' alone."""

import re

import pytest

from surveys.addons import addon_answer_values
from surveys.models import Response, ResponseStatus
from surveys.services import response_save_answers, response_start
from tests.e2e.conftest import ARTIFACTS, log_in
from tests.factories import PASSWORD, complete_answers, provincial_round

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

DEVICES = {"page": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}


def _signed_in(browser, device, language, base, user, errors):
    """A new browser of the device's size, signed in as ``user`` in ``language``; its console
    errors and page errors go to ``errors``."""
    extra = {"is_mobile": True, "has_touch": True} if device == "phone" else {}
    context = browser.new_context(viewport=DEVICES[device], locale="vi-VN", **extra)
    screen = context.new_page()
    screen.set_default_timeout(15_000)
    screen.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    screen.on("pageerror", lambda error: errors.append(str(error)))
    log_in(screen, base, user.username, PASSWORD)
    if language == "en":
        _switch_language(screen)
    return context, screen


def _switch_language(screen):
    with screen.expect_navigation():
        screen.locator("[data-testid=language-switch]").evaluate("button => button.click()")


@pytest.mark.parametrize(("device", "language"), [("page", "vi"), ("phone", "en")])
def test_an_officer_adds_a_question_and_a_member_answers_it(
    browser, device, language, live_server, officer_a, member_a, coop_a, province_a, questionnaire
):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    other = "en" if language == "vi" else "vi"
    survey_round = provincial_round(province_a)
    errors: list[str] = []

    # The officer of the province adds a required single-choice question.
    context, screen = _signed_in(browser, device, language, live_server.url, officer_a, errors)
    screen.goto(f"{live_server.url}/surveys/rounds/{survey_round.code}/")
    screen.click("[data-testid=round-addons]")
    screen.wait_for_url(re.compile(r"/addons/$"))
    screen.fill("#id_code", "TOURISM")
    screen.select_option("#id_kind", "single")
    screen.fill("#id_text_vi", "Hợp tác xã có làm du lịch cộng đồng không?")
    screen.fill("#id_text_en", "Does the cooperative run community tourism?")
    screen.fill("#id_options", "Chưa | Not yet\nĐang chuẩn bị | Preparing\nĐã làm | Running")
    screen.check("#id_required")
    screen.click("[data-testid=addon-save]")
    screen.wait_for_selector("[data-testid=addon-question]")
    shown = "Hợp tác xã có làm du lịch cộng đồng không?" if language == "vi" else "Does the cooperative"
    assert "TOURISM" in screen.inner_text("[data-testid=addon-questions]")
    assert "Hợp tác xã có làm du lịch cộng đồng không?" in screen.inner_text("[data-testid=addon-questions]")
    screen.screenshot(path=str(ARTIFACTS / f"addons-page-{device}-{language}.png"), full_page=True)
    _switch_language(screen)
    screen.screenshot(path=str(ARTIFACTS / f"addons-page-{device}-{other}.png"), full_page=True)
    context.close()

    # A member answers it as the last part of the form, after the national questions.
    response = response_start(survey_round=survey_round, cooperative=coop_a, by=member_a)
    response_save_answers(response=response, answers=complete_answers(questionnaire, "best"), by=member_a)
    last = questionnaire.pillars.count() + 1
    context, screen = _signed_in(browser, device, language, live_server.url, member_a, errors)
    screen.goto(f"{live_server.url}/surveys/responses/{response.pk}/page/{last - 1}/")
    screen.click("[data-testid=next-page]")
    screen.wait_for_url(re.compile(rf"/page/{last}/$"))
    heading = screen.inner_text("h1")
    part = "Câu hỏi bổ sung của tỉnh Đồng Tháp" if language == "vi" else "Additional questions from Đồng Tháp province"
    assert part in heading
    assert shown in screen.inner_text("[data-testid=pillar-form]")
    assert screen.get_by_test_id("addons-note").is_visible()
    screen.screenshot(path=str(ARTIFACTS / f"addons-fill-{device}-{language}.png"), full_page=True)
    _switch_language(screen)
    screen.screenshot(path=str(ARTIFACTS / f"addons-fill-{device}-{other}.png"), full_page=True)
    _switch_language(screen)

    # Without the required add-on the submission is refused; answered, it goes through.
    screen.click("[data-testid=to-submit]")
    screen.wait_for_url(re.compile(r"/submit/$"))
    assert "Hợp tác xã có làm du lịch cộng đồng không?" in screen.inner_text("[data-testid=unanswered]") or (
        "Does the cooperative" in screen.inner_text("[data-testid=unanswered]")
    )
    screen.goto(f"{live_server.url}/surveys/responses/{response.pk}/page/{last}/")
    screen.check("input[name=TOURISM][value='3']")
    screen.click("[data-testid=to-submit]")
    screen.wait_for_url(re.compile(r"/submit/$"))
    screen.click("[data-testid=submit-survey]")
    screen.wait_for_url(re.compile(rf"/responses/{response.pk}/$"))
    screen.wait_for_load_state("networkidle")
    context.close()

    submitted = Response.objects.get(pk=response.pk)
    assert submitted.status == ResponseStatus.SUBMITTED
    assert addon_answer_values(submitted)["TOURISM"].options == ["3"]
    assert (submitted.score, submitted.level) == (100, 5)  # the national answers' alone
    assert errors == []
