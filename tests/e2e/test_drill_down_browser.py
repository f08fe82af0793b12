"""From the nation to a commune's cooperatives in clicks, as the issue's "done" asks: the national
map opens a province's page, whose "Wards and communes" table opens the registry filtered to one
ward, listing exactly its cooperatives; a ward over fewer than 5 answers shows "n < 5" in its
share columns. In Vietnamese and English, on a desktop (a click) and a phone (a first tap shows
the caption, a second opens the page)."""

import pytest

from cooperatives.models import Province, Ward
from indicators import services as indicator_services
from indicators.selectors import WARD_METRICS, rests_on_answers
from tests.e2e.conftest import ARTIFACTS, log_in
from tests.e2e.test_dashboard_browser import fits, use_language, watch_console
from tests.e2e.test_map_browser import inside
from tests.factories import PASSWORD, CooperativeFactory
from tests.indicators.test_aggregation import answer

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

PROVINCE = "82"  # Đồng Tháp
# Two wards of the province: the first with 6 accepted self-assessments (figures shown), the
# second with 3 (its shares and average shown as "n < 5").
ANSWERS = (6, 3)
NAMES = ("Hợp tác xã Sen Hồng", "Hợp tác xã Tràm Chim")
COUNT = {"vi": "{n} hợp tác xã", "en": "{n} cooperatives"}
HEADING = {"vi": "Xã, phường", "en": "Wards and communes"}


@pytest.fixture
def two_wards(questionnaire, open_round, national_admin):
    province = Province.objects.get(code=PROVINCE)
    wards = list(Ward.objects.filter(province=province).order_by("code")[:2])
    assert len(wards) == 2
    names = {}
    for ward, count, name in zip(wards, ANSWERS, NAMES, strict=True):
        names[ward.code] = []
        for index in range(count):
            cooperative = CooperativeFactory(
                province=province, ward=ward, name=f"{name} {index + 1}", code=f"{PROVINCE}{ward.code}{index:03d}"
            )
            answer(questionnaire, open_round, cooperative, national_admin, ONLINE_CHANNELS=["marketplace"])
            names[ward.code].append(cooperative.name)
    indicator_services.aggregate_indicators()
    return wards, names


WARD_ROWS = """
() => [...document.querySelectorAll("[data-testid=ward-table] tbody tr")].map((tr) => ({
  code: tr.dataset.ward,
  name: tr.querySelector("td a").textContent.trim(),
  cells: Object.fromEntries(
    [...tr.querySelectorAll("td[data-metric]")]
      .map((td) => [td.dataset.metric, td.innerText.replace(/\\u00a0/g, " ").trim()])
  ),
}))
"""


def open_province(view, live_server, language, *, touch):
    view.goto(f"{live_server.url}/dashboard/")
    view.wait_for_selector("[data-testid=map-province]")
    assert view.get_attribute("html", "lang") == language
    shape = f"[data-testid=map-province][data-code='{PROVINCE}']"
    if touch:
        view.touchscreen.tap(*inside(view, shape))
        assert view.locator("[data-testid=map-tip]").is_visible()
        assert "province=" not in view.url
        view.touchscreen.tap(*inside(view, shape))
    else:
        view.mouse.click(*inside(view, shape))
    view.wait_for_url(f"**/dashboard/?province={PROVINCE}&round=*")
    assert view.locator("h1").inner_text() == "Tỉnh Đồng Tháp"


def check_wards(view, language, wards):
    table = view.locator("[data-testid=ward-table]")
    table.scroll_into_view_if_needed()
    assert view.locator("#wards-title").inner_text() == HEADING[language]
    rows = {row["code"]: row for row in view.evaluate(WARD_ROWS)}
    assert set(rows) == {ward.code for ward in wards}
    many, few = (rows[ward.code] for ward in wards)
    assert [many["name"], few["name"]] == [ward.name for ward in wards]
    for metric in WARD_METRICS:
        if rests_on_answers(metric):
            assert few["cells"][metric] == "n < 5", (metric, few)
            assert "n < 5" not in many["cells"][metric] and many["cells"][metric] != "—", (metric, many)
        else:  # coverage: its base is the registry, whatever the answers
            assert few["cells"][metric] not in ("n < 5", "—"), (metric, few)
    assert many["cells"]["ecommerce_pct"] == {"vi": "100,0", "en": "100.0"}[language]


SCROLLED = """
() => {
  const box = document.querySelector("[data-testid=ward-table]").closest(".table-responsive");
  const link = box.querySelector("tbody tr a").getBoundingClientRect();
  const frame = box.getBoundingClientRect();
  return {focused: document.activeElement === box, left: box.scrollLeft, label: box.getAttribute("aria-label"),
          nameInView: link.left >= frame.left - 0.5 && link.right <= frame.right + 0.5};
}
"""


def scroll_wards_by_keyboard(view, language):
    """On a phone the table is wider than the screen: its box takes the focus from the keyboard and
    the arrow keys scroll it, the ward's name staying in view beside the figures."""
    box = view.locator(".table-responsive:has([data-testid=ward-table])")
    assert box.get_attribute("tabindex") == "0"
    box.focus()
    for _ in range(12):
        view.keyboard.press("ArrowRight")
    # The browser scrolls smoothly: wait for the box to have moved before reading where it is.
    view.wait_for_function(
        "() => document.querySelector('[data-testid=ward-table]').closest('.table-responsive').scrollLeft > 0",
        timeout=5_000,
    )
    state = view.evaluate(SCROLLED)
    assert state["focused"] and state["left"] > 0 and state["nameInView"], state
    assert state["label"] == HEADING[language]
    view.evaluate(
        "() => document.querySelector('[data-testid=ward-table]').closest('.table-responsive').scrollLeft = 0"
    )


def open_ward(view, live_server, language, ward, names, others):
    view.locator(f"[data-testid=ward-table] tr[data-ward='{ward.code}'] a").click()
    view.wait_for_url(f"**/cooperatives/?province={PROVINCE}&ward={ward.code}")
    view.wait_for_selector("[data-testid=result-count]")
    assert view.locator("[data-testid=result-count]").inner_text() == COUNT[language].format(n=len(names))
    listed = view.locator("table.table-registry tbody td:nth-child(2) > a").all_inner_texts()
    assert sorted(name.strip() for name in listed) == sorted(names)
    assert not set(listed) & set(others)
    # The filter the link set is the one the form shows, so the reader sees why the list is short.
    assert view.locator("#id_ward").input_value() == ward.code


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_a_click_reaches_the_province_and_then_a_communes_cooperatives(
    request, live_server, ministry_analyst, two_wards, device
):
    view = request.getfixturevalue("page" if device == "desktop" else "phone")
    width = 1366 if device == "desktop" else 390
    wards, names = two_wards
    # Without smooth scrolling: a page still gliding moves the map under the pointer.
    view.emulate_media(reduced_motion="reduce")
    errors = watch_console(view)
    log_in(view, live_server.url, ministry_analyst.username, PASSWORD)
    for language in ("vi", "en"):
        use_language(view, live_server.url, language)
        for ward, other in ((wards[0], wards[1]), (wards[1], wards[0])):
            open_province(view, live_server, language, touch=device == "phone")
            check_wards(view, language, wards)
            size = fits(view)
            assert size["scroll"] <= size["screen"] == width, (language, size)
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            view.screenshot(path=str(ARTIFACTS / f"80-province-wards-{language}-{width}.png"))
            if device == "phone":
                scroll_wards_by_keyboard(view, language)
            open_ward(view, live_server, language, ward, names[ward.code], names[other.code])
    assert errors == [], "\n".join(errors)
