"""The national team's questionnaire pages in a real browser: the preview of a version shows and
hides questions as a cooperative's form does and saves nothing; the list, a refused workbook,
the comparison and a refused publication, in Vietnamese on a desktop and in English on a phone,
with no console error."""

import io
import re

import openpyxl
import pytest

from surveys.models import Answer, Question, Questionnaire, Response
from surveys.questionnaires import questionnaire_new_version
from surveys.xlsform import questionnaire_export_xlsform
from tests.e2e.conftest import log_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def shown(screen, code):
    return screen.locator(f"#div_id_{code}").is_visible()


def refused_workbook(questionnaire):
    """The version's XLSForm with a question CoopDX cannot ask (a geopoint)."""
    book = openpyxl.load_workbook(io.BytesIO(questionnaire_export_xlsform(questionnaire)))
    survey = book["survey"]
    headers = [cell.value for cell in survey[1]]
    row = next(r for r in survey.iter_rows(min_row=2) if r[headers.index("name")].value == "DX_BUDGET")
    row[headers.index("type")].value = "geopoint"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(("device", "language"), [("page", "vi"), ("phone", "en"), ("page", "en"), ("phone", "vi")])
def test_the_preview_shows_and_hides_questions_and_saves_nothing_and_the_pages_read_well(
    request, device, language, live_server, national_admin, logic_round, screenshot
):
    screen = request.getfixturevalue(device)
    base, version = live_server.url, logic_round.questionnaire
    errors, posts = [], []
    screen.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    screen.on("pageerror", lambda error: errors.append(str(error)))
    screen.on("request", lambda sent: posts.append(sent.url) if sent.method != "GET" else None)
    log_in(screen, base, national_admin.username, PASSWORD)
    if language == "en":
        with screen.expect_navigation():
            screen.locator("[data-testid=language-switch]").evaluate("button => button.click()")
    posts.clear()  # signing in and choosing the language are the only posts allowed
    name = f"{device}-{language}"

    # Part 1: DX_PLAN only when digital transformation is not judged unneeded; DX_BUDGET only
    # with an approved or running plan.
    screen.goto(f"{base}/surveys/questionnaires/{version.pk}/preview/")
    banner = screen.locator("[data-testid=preview-banner]").inner_text()
    assert ("câu trả lời không được lưu" if language == "vi" else "answers are not saved") in banner
    assert shown(screen, "DX_PLAN") and not shown(screen, "DX_BUDGET")
    screen.check("input[name=DX_NEED][value=no]")
    assert not shown(screen, "DX_PLAN") and not shown(screen, "DX_BUDGET")
    screen.check("input[name=DX_NEED][value=yes]")
    screen.check("input[name=DX_PLAN][value=approved]")
    assert shown(screen, "DX_PLAN") and shown(screen, "DX_BUDGET")
    screenshot(screen, f"authoring-preview-{name}")

    # Part 2, reached by the step bar: no question on online orders without an online channel.
    with screen.expect_navigation():
        screen.locator("[data-testid=preview-step]").nth(1).click()
    assert re.search(r"\?part=2$", screen.url)
    assert shown(screen, "ONLINE_ORDERS")
    screen.check("input[name=ONLINE_CHANNELS][value=none]")
    assert not shown(screen, "ONLINE_ORDERS")
    assert posts == [] and not Response.objects.exists() and not Answer.objects.exists()

    # The list of versions, the comparison of the version with skip logic against version 1.
    screen.goto(f"{base}/surveys/questionnaires/")
    assert screen.locator("[data-testid=version-NATIONAL-2]").is_visible()
    screenshot(screen, f"authoring-list-{name}")
    screen.goto(f"{base}/surveys/questionnaires/{version.pk}/compare/")
    assert screen.locator("[data-testid=changes] tr[data-kind=condition]").count() >= 4
    screenshot(screen, f"authoring-compare-{name}")

    # A workbook with a question CoopDX cannot ask: the table names its sheet, row and column.
    screen.goto(f"{base}/surveys/questionnaires/new/")
    screen.set_input_files("input[type=file]", files=[_file(refused_workbook(version))])
    with screen.expect_navigation():
        screen.locator("[data-testid=upload-form] button[type=submit]").click()
    assert "geopoint" in screen.locator("[data-testid=problems]").inner_text()
    screenshot(screen, f"authoring-upload-refused-{name}")

    # A draft that drops an indicator's question: publishing is refused, the draft stays a draft.
    draft = questionnaire_new_version(questionnaire=version)
    Question.objects.filter(questionnaire=draft, code="DIGITAL_SIGNATURE").delete()
    screen.goto(f"{base}/surveys/questionnaires/{draft.pk}/publish/")
    with screen.expect_navigation():
        screen.locator("[data-testid=publish]").click()
    assert "DIGITAL_SIGNATURE" in screen.locator("[data-testid=indicator-breaks]").inner_text()
    screenshot(screen, f"authoring-publish-refused-{name}")
    assert not Questionnaire.objects.get(pk=draft.pk).is_published
    # The browser reports the two refused pages' own status (400) as errors; nothing else.
    assert [e for e in errors if "status of 400" not in e] == []


def _file(content):
    return {
        "name": "bang-hoi-v3.xlsx",
        "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "buffer": content,
    }
