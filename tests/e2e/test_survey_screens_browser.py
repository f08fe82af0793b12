"""The officer's survey screens in a real browser, in Vietnamese and English, on a desktop and a
phone: number inputs that refuse impossible answers, a round page paginated past 100
cooperatives, the list of cooperatives a reminder could not reach, and a result page saying who
entered and who reviewed."""

import pytest

from accounts.models import Role
from surveys.models import Question, Response
from surveys.services import response_review, response_save_answers, response_start, response_submit
from tests.e2e.conftest import ARTIFACTS, log_in
from tests.factories import PASSWORD, UserFactory, cooperatives_in_bulk

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

TEXT = {
    "vi": {
        "computers_error": "Nhập một số nguyên từ 0 đến 1.000.",
        "page": "Trang 1/2",
        "unreachable": "không nhận được nhắc nhở vì không có địa chỉ email",
        "entered": "nhập thay cho hợp tác xã",
        "reviewed": "duyệt lúc",
        "self": "không thể tự duyệt",
    },
    "en": {
        "computers_error": "Enter a whole number from 0 to 1,000.",
        "page": "Page 1 of 2",
        "unreachable": "did not receive a reminder because they have no e-mail address",
        "entered": "Entered on behalf of the cooperative by",
        "reviewed": "Reviewed by",
        "self": "cannot accept it yourself",
    },
}


@pytest.fixture
def officers_round(officer_a, province_a, coop_a, open_round, best_answers):
    """130 cooperatives in province A (some with an e-mail), two entered on their behalf by officer A:
    one accepted by a second officer, one waiting for review."""
    cooperatives = cooperatives_in_bulk(
        province_a,
        130,
        lambda n: {
            "code": f"829{n:07d}",
            "name": f"Hợp tác xã Dịch vụ Nông nghiệp Thử nghiệm {n:03d}",
            "phone": f"0277 {n:03d} 456",
            "representative": f"Nguyễn Văn {n:03d}",
            "email": f"htx{n}@example.vn" if n % 3 == 0 else "",
        },
    )
    officer_a.first_name, officer_a.last_name = "Minh", "Nguyễn"
    officer_a.save()
    second = UserFactory(
        username="officer_a2", first_name="Lan", last_name="Trần", role=Role.PROVINCIAL_OFFICER, province=province_a
    )
    accepted = response_start(survey_round=open_round, cooperative=coop_a, by=officer_a)
    accepted = response_submit(
        response=response_save_answers(response=accepted, answers=best_answers, by=officer_a), by=officer_a
    )
    response_review(response=accepted, by=second, accept=True)
    waiting = response_start(survey_round=open_round, cooperative=cooperatives[1], by=officer_a)
    waiting = response_submit(
        response=response_save_answers(response=waiting, answers=best_answers, by=officer_a), by=officer_a
    )
    draft = response_start(survey_round=open_round, cooperative=cooperatives[2], by=officer_a)
    return {"accepted": accepted, "waiting": waiting, "draft": draft}


def no_overflow(page):
    """True when nothing sticks out of the screen sideways (else the widest elements, for the message)."""
    wide = page.evaluate(
        """() => {
            const width = document.documentElement.clientWidth;
            if (document.documentElement.scrollWidth <= width) return [];
            return [...document.querySelectorAll("body *")]
                .filter(e => e.getBoundingClientRect().right > width + 1)
                .slice(0, 5)
                .map(e => e.tagName + "." + e.className + " " + Math.round(e.getBoundingClientRect().right));
        }"""
    )
    assert wide == [], wide
    return True


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("device", ["page", "phone"])
def test_officers_survey_screens(request, device, language, live_server, officer_a, officers_round, screenshot):
    screen = request.getfixturevalue(device)
    errors = []
    screen.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    screen.on("pageerror", lambda error: errors.append(str(error)))
    screen.on("dialog", lambda dialog: dialog.accept())
    words = TEXT[language]
    name = f"h4-{'desktop' if device == 'page' else 'phone'}-{language}"
    log_in(screen, live_server.url, officer_a.username, PASSWORD)
    if language == "en":
        # On a phone the switch sits in the collapsed menu: press it as the menu would.
        with screen.expect_navigation():
            screen.locator("[data-testid=language-switch]").evaluate("button => button.click()")
        assert screen.get_attribute("html", "lang") == "en"
    base = live_server.url

    # The questionnaire page with number inputs: a fractional count of computers is refused.
    draft = officers_round["draft"]
    computers = Question.objects.get(questionnaire=draft.round.questionnaire, code="COMPUTERS")
    screen.goto(f"{base}/surveys/responses/{draft.pk}/page/{computers.pillar.position + 1}/")
    screen.fill("input[name=COMPUTERS]", "2.5")
    screen.click("[data-testid=next-page]")
    screen.wait_for_load_state("networkidle")
    assert words["computers_error"] in screen.inner_text("main")
    assert screen.get_attribute("input[name=COMPUTERS]", "max") == "1000"
    assert no_overflow(screen)
    screenshot(screen, f"{name}-1-fill-numbers")

    # The round page: 100 a page, with the pages below.
    screen.goto(f"{base}/surveys/rounds/{draft.round.code}/")
    assert words["page"] in screen.inner_text("main")
    assert screen.locator("[data-testid=round-progress] tbody tr").count() == 100
    assert no_overflow(screen)
    # The table itself fits: on a phone, who entered sits under the status and the buttons wrap.
    assert screen.evaluate(
        "(() => { const box = document.querySelector('.table-responsive');"
        " return box.scrollWidth <= box.clientWidth; })()"
    )
    screenshot(screen, f"{name}-2-round-detail")
    screen.screenshot(path=str(ARTIFACTS / f"{name}-2a-round-detail-top.png"))
    screen.locator(".pagination").scroll_into_view_if_needed()
    screen.screenshot(path=str(ARTIFACTS / f"{name}-2b-round-detail-pages.png"))

    # Reminders: how many were sent, and who could not be reached.
    screen.locator("form[action$='/remind/'] button[type=submit]:not([formaction])").click()
    screen.wait_for_selector("[data-testid=unreachable]")
    assert words["unreachable"] in screen.inner_text("main")
    assert "0277 004 456" in screen.inner_text("[data-testid=unreachable]")
    assert no_overflow(screen)
    screenshot(screen, f"{name}-3-reminders-unreachable")
    screen.screenshot(path=str(ARTIFACTS / f"{name}-3a-reminders-unreachable-top.png"))

    # Who entered and who reviewed; the officer who entered may not accept.
    screen.goto(f"{base}/surveys/responses/{officers_round['accepted'].pk}/")
    provenance = screen.inner_text("[data-testid=provenance]")
    assert words["entered"] in provenance and words["reviewed"] in provenance and "Lan" in provenance
    assert no_overflow(screen)
    screenshot(screen, f"{name}-4-result-who")
    screen.screenshot(path=str(ARTIFACTS / f"{name}-4a-result-who-top.png"))
    screen.goto(f"{base}/surveys/responses/{officers_round['waiting'].pk}/")
    assert words["self"] in screen.inner_text("[data-testid=self-review]")
    assert screen.locator("input[value=accept], option[value=accept]").count() == 0
    screenshot(screen, f"{name}-5-result-self-review")
    assert Response.objects.get(pk=officers_round["waiting"].pk).status == "submitted"
    assert errors == [], "\n".join(errors)
