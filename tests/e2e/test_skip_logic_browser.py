"""Skip logic and constraints in a real browser: a question appears and disappears as the member
answers, is not required while hidden, and a broken constraint shows its message at once, in
Vietnamese and English, on a desktop and a phone."""

import re

import pytest

from surveys.models import Response, ResponseStatus
from surveys.services import response_save_answers, response_start
from tests.e2e.conftest import ARTIFACTS, log_in
from tests.e2e.test_offline_form_browser import open_form, settle, wait_for_status
from tests.factories import NO_CHANNEL, PASSWORD, STAFF_MESSAGE_EN, STAFF_MESSAGE_VI

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def shown(screen, code):
    return screen.locator(f"#div_id_{code}").is_visible()


@pytest.mark.parametrize(("device", "language"), [("page", "vi"), ("phone", "en")])
def test_questions_appear_and_disappear_and_a_hidden_one_is_not_required(
    request, device, language, live_server, member_a, coop_a, logic_round, best_answers
):
    screen = request.getfixturevalue(device)
    errors = []
    screen.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    screen.on("pageerror", lambda error: errors.append(str(error)))
    response = response_start(survey_round=logic_round, cooperative=coop_a, by=member_a)
    others = {code: value for code, value in best_answers.items() if code != "ONLINE_ORDERS"}
    response_save_answers(response=response, answers={**others, **NO_CHANNEL, "DX_NEED": "unsure"}, by=member_a)
    log_in(screen, live_server.url, member_a.username, PASSWORD)
    if language == "en":
        with screen.expect_navigation():
            screen.locator("[data-testid=language-switch]").evaluate("button => button.click()")

    # Part 1: DX_PLAN only when digital transformation is not judged unneeded; DX_BUDGET only
    # with an approved or running plan.
    screen.goto(f"{live_server.url}/surveys/responses/{response.pk}/page/1/")
    assert shown(screen, "DX_PLAN") and shown(screen, "DX_BUDGET")  # the saved plan is the best one
    screen.check("input[name=DX_NEED][value=no]")
    assert not shown(screen, "DX_PLAN") and not shown(screen, "DX_BUDGET")
    assert screen.locator("input[name=DX_PLAN]").first.is_disabled()
    screen.screenshot(path=str(ARTIFACTS / f"skip-logic-hidden-{device}-{language}.png"), full_page=True)
    screen.check("input[name=DX_NEED][value=yes]")
    assert shown(screen, "DX_PLAN") and shown(screen, "DX_BUDGET")
    screen.check("input[name=DX_PLAN][value=idea]")
    assert shown(screen, "DX_PLAN") and not shown(screen, "DX_BUDGET")
    screen.check("input[name=DX_PLAN][value=implementing]")
    assert shown(screen, "DX_BUDGET")
    screen.check("input[name=DX_NEED][value=no]")
    screen.click("[data-testid=next-page]")
    screen.wait_for_url(re.compile(r"/page/2/$"))
    kept = set(Response.objects.get(pk=response.pk).answers.values_list("question__code", flat=True))
    assert {"DX_PLAN", "DX_BUDGET"}.isdisjoint(kept) and "DX_NEED" in kept

    # Part 2: no online channel, so no question on online orders, and nothing missing without it.
    assert not shown(screen, "ONLINE_ORDERS")
    screen.uncheck("input[name=ONLINE_CHANNELS][value=none]")
    screen.check("input[name=ONLINE_CHANNELS][value=website]")
    assert shown(screen, "ONLINE_ORDERS")
    screen.uncheck("input[name=ONLINE_CHANNELS][value=website]")
    screen.check("input[name=ONLINE_CHANNELS][value=none]")
    assert not shown(screen, "ONLINE_ORDERS")
    screen.click("[data-testid=next-page]")
    screen.wait_for_url(re.compile(r"/page/3/$"))

    # Part 5: trained staff but nobody using computers breaks STAFF_TRAINED's constraint.
    screen.goto(f"{live_server.url}/surveys/responses/{response.pk}/page/5/")
    message = STAFF_MESSAGE_VI if language == "vi" else STAFF_MESSAGE_EN
    screen.check("input[name=DIGITAL_SKILLS][value=none]")
    screen.fill("input[name=STAFF_TRAINED]", "3")
    note = screen.locator("#div_id_STAFF_TRAINED [data-constraint-message]")
    assert note.inner_text() == message
    screen.screenshot(path=str(ARTIFACTS / f"skip-logic-constraint-{device}-{language}.png"), full_page=True)
    # The server refuses it too, with the same words: wait for its answer before going on, or the
    # next steps would act on the page being replaced.
    with screen.expect_navigation():
        screen.click("[data-testid=next-page]")
    assert re.search(r"/page/5/$", screen.url)
    assert message in screen.locator("#div_id_STAFF_TRAINED").inner_text()
    screen.fill("input[name=STAFF_TRAINED]", "0")
    assert note.count() == 0
    screen.check("input[name=DIGITAL_SKILLS][value=advanced]")
    screen.fill("input[name=STAFF_TRAINED]", "3")
    assert screen.locator("#div_id_STAFF_TRAINED [data-constraint-message]").count() == 0
    screen.click("[data-testid=next-page]")
    screen.wait_for_url(re.compile(r"/page/6/$"))

    # The hidden questions are not asked for: the round is sent as it is.
    screen.goto(f"{live_server.url}/surveys/responses/{response.pk}/submit/")
    with screen.expect_navigation():
        screen.locator("[data-testid=submit-survey]").click()
    screen.wait_for_load_state("networkidle")
    assert Response.objects.get(pk=response.pk).status == ResponseStatus.SUBMITTED
    assert errors == [], "\n".join(errors)


def test_offline_a_condition_reads_the_answers_of_another_part_kept_on_the_device(
    page, live_server, member_a, coop_a, logic_round, best_answers
):
    response = response_start(survey_round=logic_round, cooperative=coop_a, by=member_a)
    response_save_answers(response=response, answers=best_answers, by=member_a)
    open_form(page, live_server.url, member_a, response)
    page.goto(f"{live_server.url}/surveys/responses/{response.pk}/page/3/")
    page.context.set_offline(True)
    wait_for_status(page, "Mất mạng")
    page.check("input[name=INTERNET][value=none]")  # no Internet: no electronic filing on part 4
    page.click("[data-testid=next-page]")
    page.wait_for_url(re.compile(r"/page/4/$"))
    for _ in range(50):  # the device's answers come from IndexedDB a moment after the page
        if not shown(page, "E_FILING"):
            break
        page.wait_for_timeout(100)
    assert not shown(page, "E_FILING") and shown(page, "ACCOUNTING")
    page.screenshot(path=str(ARTIFACTS / "skip-logic-offline-page-vi.png"), full_page=True)
    page.context.set_offline(False)
    wait_for_status(page, "Không có câu trả lời nào chờ gửi")
    kept = set(Response.objects.get(pk=response.pk).answers.values_list("question__code", flat=True))
    assert "E_FILING" not in kept  # the server hid it too when the answer reached it
    settle(page, response)
