"""In the browser, in Vietnamese and English, on a desktop and a 390 px phone: the import preview
shows each change as old → new, the errors come back as a marked workbook, and the registry
search form finds "HTX Thủy sản" with the closest match first."""

import datetime
import io
from pathlib import Path

import openpyxl
import pytest

from cooperatives.models import Cooperative
from tests.e2e.conftest import log_in
from tests.factories import PASSWORD, CooperativeFactory
from tests.sheets import xlsx_bytes

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

HEADERS = ["Mã số HTX", "Tên HTX", "Người đại diện", "Số thành viên", "Điện thoại", "Email"]
LABELS = {
    "vi": {
        "changes": "Thay đổi đối với hợp tác xã đã có",
        "members": "Số thành viên",
        "download": "Tải tệp có đánh dấu các ô lỗi",
    },
    "en": {
        "changes": "Changes to existing cooperatives",
        "members": "Number of members",
        "download": "Download the file with the errors marked",
    },
}


@pytest.fixture
def registry(province_a):
    return [
        CooperativeFactory(
            code="8200000101",
            name="Hợp tác xã Thủy sản Tân Hòa",
            province=province_a,
            representative="Nguyễn Văn Tư",
            members_count=40,
            founded_on=datetime.date(2010, 5, 1),
        ),
        CooperativeFactory(
            code="8200000102",
            name="Hợp tác xã Dịch vụ Tôm giống và Thủy sản",
            province=province_a,
            representative="Phạm Văn Sản",
        ),
        CooperativeFactory(code="8200000103", name="HTX Lúa gạo Cao Lãnh", representative="Lê Văn Thủy"),
    ]


def no_horizontal_overflow(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"page is {width}px wide"


@pytest.mark.parametrize("device", ["page", "phone"])
@pytest.mark.parametrize("language", ["vi", "en"])
def test_import_preview_errors_and_search_as_the_officer_sees_them(
    request, live_server, officer_a, registry, tmp_path, screenshot, language, device
):
    browser_page = request.getfixturevalue(device)
    browser_page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    errors = []
    browser_page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    log_in(browser_page, live_server.url, officer_a.username, PASSWORD)
    assert browser_page.get_attribute("html", "lang") == language

    # A partial list: two columns change, the blank cells and the absent columns change nothing.
    good = tmp_path / "cap-nhat.xlsx"
    good.write_bytes(
        xlsx_bytes(
            [["8200000101", "", "Trần Văn Hai", 45, "", ""], ["8200000102", "", "", "", "", ""]], headers=HEADERS
        )
    )
    browser_page.goto(f"{live_server.url}/cooperatives/import/")
    browser_page.set_input_files("input[type=file]", str(good))
    browser_page.click("main form[enctype] button[type=submit]")
    browser_page.wait_for_selector("[data-testid=confirm-import]")
    assert browser_page.inner_text("[data-testid=rows-changed]") == "1"
    assert LABELS[language]["changes"] in browser_page.inner_text("main")
    changes = browser_page.inner_text("[data-testid=import-changes]")
    assert "Nguyễn Văn Tư" in changes and "→ Trần Văn Hai" in changes and "→ 45" in changes
    assert LABELS[language]["members"] in changes  # fields named in the page's language
    no_horizontal_overflow(browser_page)
    screenshot(browser_page, f"30-import-preview-{language}-{device}")
    assert Cooperative.objects.get(code="8200000101").representative == "Nguyễn Văn Tư"

    bad = tmp_path / "loi.xlsx"
    bad.write_bytes(xlsx_bytes([["8200000101", "", "", "nhiều", "abc", ""]], headers=HEADERS))
    browser_page.goto(f"{live_server.url}/cooperatives/import/")
    browser_page.set_input_files("input[type=file]", str(bad))
    browser_page.click("main form[enctype] button[type=submit]")
    browser_page.wait_for_selector("[data-testid=import-errors]")
    no_horizontal_overflow(browser_page)
    screenshot(browser_page, f"31-import-errors-{language}-{device}")
    with browser_page.expect_download() as download:
        browser_page.click("[data-testid=error-workbook]")
    assert LABELS[language]["download"] in browser_page.inner_text("[data-testid=error-workbook]")
    # The download has no extension on disk; openpyxl goes by the name, so read the bytes.
    sheet = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).active
    marked = {c.coordinate for row in sheet.iter_rows() for c in row if c.fill.fgColor.rgb == "FFFFC7CE"}
    assert marked == {"D2", "E2"}

    # The search form as an officer fills it in: an abbreviation, no diacritics.
    browser_page.goto(f"{live_server.url}/cooperatives/")
    browser_page.fill("input[name=q]", "htx thuy san")
    browser_page.click("main form[role=search] button[type=submit]")
    browser_page.wait_for_load_state("networkidle")
    names = browser_page.locator("table.table-registry tbody a").all_inner_texts()
    assert names == ["Hợp tác xã Thủy sản Tân Hòa", "Hợp tác xã Dịch vụ Tôm giống và Thủy sản"]
    no_horizontal_overflow(browser_page)
    screenshot(browser_page, f"32-registry-search-{language}-{device}")
    assert errors == [], "\n".join(errors)


SELECT_TEXT_CUT = """
() => [...document.querySelectorAll("form[role=search] select")].flatMap((select) => {
  const chosen = select.options[select.selectedIndex];
  const context = document.createElement("canvas").getContext("2d");
  context.font = getComputedStyle(select).font;
  // The text plus the select's own padding and arrow.
  const needed = context.measureText(chosen.text).width + parseFloat(getComputedStyle(select).paddingLeft)
    + parseFloat(getComputedStyle(select).paddingRight);
  return needed > select.clientWidth ? [`${select.name}: "${chosen.text}" needs ${Math.round(needed)} px`] : [];
})
"""


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_registry_filters_show_their_choices_whole_on_a_desktop(page, live_server, officer_a, language):
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    log_in(page, live_server.url, officer_a.username, PASSWORD)
    page.goto(f"{live_server.url}/cooperatives/")
    page.wait_for_selector("form[role=search] select")
    assert page.evaluate(SELECT_TEXT_CUT) == []


MORE_FILTERS = {"vi": "Thêm bộ lọc", "en": "More filters"}


@pytest.mark.parametrize("language", ["vi", "en"])
def test_on_a_phone_the_registry_filters_fold_under_a_button_and_open_whole(
    phone, live_server, officer_a, screenshot, language
):
    """At 390 px the search box comes first and the six drop-downs wait behind "More filters";
    opened, each takes the whole width and shows its choice whole. A filter in use keeps the
    panel open and is counted on the button."""
    phone.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    log_in(phone, live_server.url, officer_a.username, PASSWORD)
    phone.goto(f"{live_server.url}/cooperatives/")
    toggle = phone.locator("[data-testid=more-filters]")
    assert MORE_FILTERS[language] in toggle.inner_text()
    assert phone.locator("form[role=search] select[name=province]").is_hidden()
    assert phone.locator("input[name=q]").is_visible()
    toggle.click()
    phone.wait_for_selector("#more-filters.show")  # Bootstrap adds it when the panel has opened
    assert toggle.get_attribute("aria-expanded") == "true"
    assert phone.evaluate(SELECT_TEXT_CUT) == []
    screenshot(phone, f"33-registry-filters-open-{language}-390")
    phone.select_option("select[name=status]", "active")
    phone.click("main form[role=search] button[type=submit]")
    phone.wait_for_load_state("networkidle")
    assert phone.locator("form[role=search] select[name=status]").is_visible()
    assert "(1)" in phone.locator("[data-testid=more-filters]").inner_text()


def test_on_a_desktop_the_registry_filters_need_no_button(page, live_server, officer_a):
    log_in(page, live_server.url, officer_a.username, PASSWORD)
    page.goto(f"{live_server.url}/cooperatives/")
    assert page.locator("form[role=search] select[name=province]").is_visible()
    assert page.locator("[data-testid=more-filters]").is_hidden()


NAME_LINES = """
() => [...document.querySelectorAll("table.table-registry tbody a")].map((link) => {
  const lineHeight = parseFloat(getComputedStyle(link).lineHeight);
  return [link.textContent, Math.round(link.getBoundingClientRect().height / lineHeight)];
})
"""


@pytest.mark.parametrize("language", ["vi", "en"])
def test_on_a_phone_a_cooperatives_name_has_the_rows_width_with_its_code_and_province_under_it(
    phone, live_server, officer_a, registry, screenshot, language
):
    """At 390 px the code and province columns give their width to the name (both are shown
    under it): a long name takes at most two lines instead of a narrow column of eight."""
    phone.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    log_in(phone, live_server.url, officer_a.username, PASSWORD)
    phone.goto(f"{live_server.url}/cooperatives/")
    screenshot(phone, f"34-registry-list-{language}-390")
    lines = dict(phone.evaluate(NAME_LINES))
    assert lines["Hợp tác xã Dịch vụ Tôm giống và Thủy sản"] <= 2, lines
    assert lines["Hợp tác xã Thủy sản Tân Hòa"] <= 2, lines
    under = phone.locator("table.table-registry tbody tr", has_text="8200000102").locator("td:has(a)")
    assert "8200000102 · " in under.inner_text()  # the code and the province, under the name
    assert phone.get_by_text("8200000102", exact=True).filter(visible=True).count() == 1
    no_horizontal_overflow(phone)
