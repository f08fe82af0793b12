"""The officer's work list in the browser, in Vietnamese and English, on a desktop and a 390 px
phone: one item of each kind is prepared, each shows in the panel above the figures, each is
done (in the browser where an officer does it there, else through the services), and after a
reload it is gone, until the panel says that nothing is waiting."""

import datetime

import pytest
from django.utils import timezone

from directives.models import AgencyKind, DirectiveTask
from imports.models import ImportJob, ImportJobStatus
from indicators import services as indicator_services
from surveys.models import Response, SurveyRound
from surveys.services import response_start
from tests.directives.conftest import AgencyFactory, DocumentFactory, TaskFactory
from tests.e2e.conftest import ARTIFACTS, log_in
from tests.factories import PASSWORD, CooperativeFactory, complete_answers
from tests.indicators.test_aggregation import answer
from tests.sheets import xlsx_bytes

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

KINDS = ("work-review", "work-flags", "work-call-list", "work-reports", "work-imports", "work-duplicates")
TEXT = {
    "vi": {
        "title": "Việc cần làm tuần này",
        "empty": "Không có việc nào đang chờ bạn.",
        "review": "phiếu tự đánh giá đang chờ bạn duyệt",
        "flags": "Cảnh báo từ kiểm tra dữ liệu",
        "flag_detail": "Mức độ trưởng thành đã chuyển từ 0",
        "call": "Hợp tác xã cần liên hệ",
        "duplicates": "trùng tên",
    },
    "en": {
        "title": "What to do this week",
        "empty": "Nothing is waiting for you.",
        "review": "waiting for your review",
        "flags": "Flagged by the data checks",
        "flag_detail": "The maturity level went from 0",
        "call": "Cooperatives to reach",
        "duplicates": "same name",
    },
}


@pytest.fixture
def waiting(questionnaire, open_round, national_admin, officer_a, province_a, media_root):
    """One item of each kind for officer_a in Đồng Tháp."""
    # The seeded yearly tasks of Directive 19 would be due too: this test makes its own.
    DirectiveTask.objects.exclude(code="").delete()
    reviewed = CooperativeFactory(province=province_a, name="Hợp tác xã Chờ Duyệt", phone="0277 100 001")
    answer(questionnaire, open_round, reviewed, national_admin, accept=False)
    # Level 0 in the round before, every answer at its best now: flagged by the data checks.
    earlier = SurveyRound.objects.create(
        code="KS2025",
        name_vi="Khảo sát 2025",
        questionnaire=questionnaire,
        opens_on=timezone.localdate() - datetime.timedelta(days=40),
        closes_on=timezone.localdate() + datetime.timedelta(days=30),
    )
    leaping = CooperativeFactory(province=province_a, name="Hợp tác xã Nhảy Vọt", phone="0277 100 004")
    answer(questionnaire, earlier, leaping, national_admin, accept=True)
    answer(questionnaire, open_round, leaping, national_admin, accept=False, **complete_answers(questionnaire, "best"))
    unreachable = CooperativeFactory(
        province=province_a,
        name="Hợp tác xã Không Liên Lạc",
        representative="Trần Văn Ba",
        address="Ấp Tân Phú, đường Cây Me",
    )
    committee = AgencyFactory(
        name="Ủy ban nhân dân tỉnh Đồng Tháp", kind=AgencyKind.PROVINCIAL_COMMITTEE, province=province_a
    )
    document = DocumentFactory(number="45/KH-UBND", issuing_agency=committee, title="Kế hoạch chuyển đổi số HTX")
    task = TaskFactory(
        document=document,
        lead_agency=committee,
        content="Báo cáo kết quả hỗ trợ hợp tác xã lên sàn thương mại điện tử",
        starts_on=timezone.localdate() - datetime.timedelta(days=90),
        deadline=timezone.localdate() - datetime.timedelta(days=2),
    )
    ImportJob.objects.create(
        kind="registry",
        file="imports/danh-sach-htx.xlsx",
        original_name="danh-sach-htx.xlsx",
        created_by=officer_a,
        status=ImportJobStatus.FAILED,
        message="Máy chủ xử lý không phản hồi.",
    )
    CooperativeFactory(province=province_a, code="8200000501", name="Hợp tác xã Trùng Tên", phone="0277 100 002")
    copy = CooperativeFactory(province=province_a, code="8200000502", name="HTX trung ten", phone="0277 100 003")
    indicator_services.aggregate_indicators()  # the figures the panel sits above
    return {"unreachable": unreachable, "task": task, "copy": copy}


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def watch_console(page):
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def fits(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"page is {width}px wide"


def panel_kinds(page, base_url):
    page.goto(f"{base_url}/")
    page.wait_for_selector("[data-testid=work-list]")
    return [kind for kind in KINDS if page.locator(f"[data-testid={kind}]").count()]


@pytest.mark.parametrize("device", ["page", "phone"])
@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_work_list_shows_each_kind_and_empties_as_the_work_is_done(
    request, live_server, officer_a, open_round, waiting, tmp_path, screenshot, language, device
):
    page = request.getfixturevalue(device)
    base = live_server.url
    page.context.add_cookies([{"name": "django_language", "value": language, "url": base}])
    page.on("dialog", lambda dialog: dialog.accept())
    errors = watch_console(page)
    text = TEXT[language]
    log_in(page, base, officer_a.username, PASSWORD)
    width = 1366 if device == "page" else 390

    # Every kind is there, above the figures.
    assert panel_kinds(page, base) == list(KINDS)
    panel = page.locator("[data-testid=work-list]")
    assert text["title"] in panel.inner_text()
    assert text["review"] in panel.inner_text() and text["duplicates"] in panel.inner_text()
    fits(page)
    screenshot(page, f"70-work-list-{language}-{width}")
    panel.screenshot(path=str(ARTIFACTS / f"70-work-list-panel-{language}-{width}.png"))

    # The flagged response: the page the item opens says what is flagged and why; the officer
    # confirms each flag, then accepts the response.
    page.click("[data-testid=work-flags] a[href*='/surveys/responses/']")
    page.wait_for_selector("[data-testid=flags]")
    flags_text = page.inner_text("[data-testid=flags]")
    assert text["flags"] in flags_text and text["flag_detail"] in flags_text
    fits(page)
    screenshot(page, f"74-flagged-response-{language}-{width}")
    page.fill("[data-testid=confirm-flag] textarea", "HTX đã đầu tư phần mềm và mở gian hàng trên sàn")
    page.click("[data-testid=confirm-flag] button[type=submit]")
    page.wait_for_selector("[data-testid=flag][data-status=confirmed]")
    while page.locator("[data-testid=confirm-flag]").count():
        page.click("[data-testid=confirm-flag] button[type=submit]")
        page.wait_for_load_state("networkidle")
    screenshot(page, f"75-flags-confirmed-{language}-{width}")
    page.select_option("#id_decision", "accept")
    page.click("form[action*='/review/'] button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "work-flags" not in panel_kinds(page, base)
    assert Response.objects.get(cooperative__name="Hợp tác xã Nhảy Vọt", round=open_round).status == "accepted"

    # A response to review: its answers are on the page the item opens; accept it there.
    page.click("[data-testid=work-review] a[href*='/surveys/responses/']")
    page.wait_for_selector("[data-testid=answers][open]")
    page.select_option("#id_decision", "accept")
    page.click("form[action*='/review/'] button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "work-review" not in panel_kinds(page, base)

    # The call list: the cooperative with what is known to find it; it prints without the menus.
    page.click("[data-testid=work-call-list] a")
    page.wait_for_selector("[data-testid=call-list]")
    assert text["call"] in page.inner_text("h1")
    row = page.inner_text("[data-testid=call-list] tbody")
    assert "Hợp tác xã Không Liên Lạc" in row and "Trần Văn Ba" in row and "Ấp Tân Phú, đường Cây Me" in row
    fits(page)
    screenshot(page, f"71-call-list-{language}-{width}")
    page.emulate_media(media="print")
    assert not page.locator("nav").first.is_visible() and not page.locator("button[data-print]").is_visible()
    assert page.locator(".call-list-notes").is_visible()
    screenshot(page, f"72-call-list-print-{language}-{width}")
    page.emulate_media(media="screen")
    # An officer reaches it (on the phone, in the ward) and starts its self-assessment for it.
    response_start(survey_round=open_round, cooperative=waiting["unreachable"], by=officer_a)
    assert "work-call-list" not in panel_kinds(page, base)

    # The overdue report: filed on the task's page as done.
    page.click("[data-testid=work-reports] a")
    page.wait_for_selector("form[data-report-form]")
    page.select_option("#id_status", "done")
    page.fill("#id_percent_done", "100")
    page.fill("#id_narrative", "Đã hỗ trợ 12 hợp tác xã mở gian hàng trên sàn.")
    page.click("form[data-report-form] button[type=submit]")
    page.wait_for_selector("[data-testid=reports] li")
    assert "work-reports" not in panel_kinds(page, base)

    # The failed import: its page says so; the file is imported again, and goes through.
    page.click("[data-testid=work-imports] a")
    page.wait_for_selector("[data-testid=import-job][data-status=failed]")
    again = tmp_path / "danh-sach-htx.xlsx"
    again.write_bytes(xlsx_bytes([["8200000501", 31]], headers=["Mã số HTX", "Số thành viên"]))
    page.goto(f"{base}/cooperatives/import/")
    page.set_input_files("input[type=file]", str(again))
    page.click("main form[enctype] button[type=submit]")
    page.click("[data-testid=confirm-import]")
    page.wait_for_selector("[data-testid=import-done]")
    assert "work-imports" not in panel_kinds(page, base)

    # The possible duplicate: both cooperatives are linked; the copy is archived from its page.
    links = page.locator("[data-testid=work-duplicates] [data-testid=duplicate-group] a").evaluate_all(
        "(links) => links.map((a) => a.pathname)"
    )
    copy_page = f"/cooperatives/{waiting['copy'].pk}/"
    assert copy_page in links and len(links) == 2
    page.goto(f"{base}{copy_page}")
    page.click("form[action$='/archive/'] button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert panel_kinds(page, base) == []

    assert page.inner_text("[data-testid=work-list-empty]") == text["empty"]
    fits(page)
    screenshot(page, f"73-work-list-empty-{language}-{width}")
    assert errors == [], "\n".join(errors)
