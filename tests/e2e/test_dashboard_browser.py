"""What the browser draws on the dashboard and the result page, in both languages, desktop and phone."""

import pytest

from cooperatives.models import Province
from indicators import services as indicator_services
from surveys.models import Response
from tests.e2e.conftest import log_in
from tests.factories import PASSWORD, CooperativeFactory
from tests.indicators.test_aggregation import answer

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

# Provinces with answers in the open round, and how many cooperatives answered in each.
ANSWERED = {"82": 3, "66": 2, "01": 4, "79": 1, "48": 2}


@pytest.fixture
def national_figures(questionnaire, open_round, previous_round, national_admin):
    for code, count in ANSWERED.items():
        province = Province.objects.get(code=code)
        for index in range(count):
            cooperative = CooperativeFactory(province=province, code=f"{code}{index:08d}")
            channels = ["marketplace"] if index % 2 == 0 else ["none"]
            answer(questionnaire, open_round, cooperative, national_admin, ONLINE_CHANNELS=channels, DX_NEED="yes")
            Response.objects.create(round=previous_round, cooperative=cooperative, status="accepted", score=20, level=2)
    indicator_services.aggregate_indicators()
    return open_round


def watch_console(page):
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def use_language(page, base_url, language):
    page.context.add_cookies([{"name": "django_language", "value": language, "url": base_url}])


def fits(page):
    """The page's width against the screen's. On a phone, window.innerWidth grows with content that
    overflows (the browser zooms out), so the screen is the root element's client width."""
    return page.evaluate(
        """() => {
          const screen = document.documentElement.clientWidth;
          const wide = [...document.querySelectorAll("body *")]
            .filter((e) => e.getBoundingClientRect().right > screen + 0.5 && !e.closest(".table-responsive"))
            .slice(0, 8).map((e) => e.tagName + "." + e.className + "#" + e.id);
          return {scroll: document.documentElement.scrollWidth, screen, wide};
        }"""
    )


@pytest.mark.parametrize("who", ["officer", "national"])
def test_the_dashboard_fits_a_phone_screen(
    phone, live_server, officer_a, national_admin, national_figures, screenshot, who
):
    errors = watch_console(phone)
    user = officer_a if who == "officer" else national_admin
    log_in(phone, live_server.url, user.username, PASSWORD)
    for language in ("vi", "en"):
        use_language(phone, live_server.url, language)
        phone.goto(f"{live_server.url}/dashboard/")
        phone.wait_for_selector("[data-testid=cards]")
        phone.wait_for_load_state("networkidle")
        size = fits(phone)
        assert size["scroll"] <= size["screen"] == 390, (language, size)
        screenshot(phone, f"61-{who}-dashboard-{language}-390")
        phone.locator("[data-testid=cards]").screenshot(path=str(screenshot_path(f"61-{who}-cards-{language}-390")))
    assert errors == [], "\n".join(errors)


TREND_PLOT = """
() => {
  const chart = window.Chart.getChart(document.getElementById("trend-chart"));
  const area = chart.chartArea;
  return {width: area.right - area.left, height: area.bottom - area.top, canvas: chart.height,
          ticks: chart.scales.x.ticks.length, rounds: chart.data.labels.length};
}
"""


def test_the_trend_chart_keeps_a_readable_plot_on_a_phone(phone, live_server, officer_a, national_figures, screenshot):
    log_in(phone, live_server.url, officer_a.username, PASSWORD)
    for language in ("vi", "en"):
        use_language(phone, live_server.url, language)
        phone.goto(f"{live_server.url}/dashboard/")
        phone.wait_for_selector("#trend-chart")
        phone.wait_for_function("() => window.Chart && window.Chart.getChart(document.getElementById('trend-chart'))")
        plot = phone.evaluate(TREND_PLOT)
        # The legend of five indicators must not squeeze the lines into a strip.
        assert plot["height"] >= 180 and plot["width"] >= 250, (language, plot)
        assert plot["ticks"] == plot["rounds"] == 2, (language, plot)
        phone.locator("#trend-chart").scroll_into_view_if_needed()
        phone.locator("#trend-chart").screenshot(path=str(screenshot_path(f"62-trend-chart-{language}-390")))


def screenshot_path(name):
    from tests.e2e.conftest import ARTIFACTS

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS / f"{name}.png"


RADAR_LABELS = """
() => {
  const chart = window.Chart.getChart(document.getElementById("pillar-chart"));
  const items = chart.scales.r._pointLabelItems || [];
  return {
    width: chart.width, height: chart.height,
    labels: chart.data.labels,
    boxes: items.map((i) => [i.left, i.top, i.right, i.bottom]),
  };
}
"""


@pytest.fixture
def scored_response(questionnaire, open_round, coop_a, national_admin, best_answers):
    from surveys.services import response_save_answers, response_start, response_submit

    response = response_start(survey_round=open_round, cooperative=coop_a, by=national_admin)
    response_save_answers(response=response, answers=best_answers, by=national_admin)
    return response_submit(response=response, by=national_admin)


@pytest.mark.parametrize("width", [390, 1366])
def test_the_result_radar_shows_every_pillar_name_whole(browser, live_server, member_a, scored_response, width):
    context = browser.new_context(viewport={"width": width, "height": 844}, locale="vi-VN", is_mobile=width < 500)
    page = context.new_page()
    errors = watch_console(page)
    log_in(page, live_server.url, member_a.username, PASSWORD)
    for language in ("vi", "en"):
        use_language(page, live_server.url, language)
        page.goto(f"{live_server.url}/surveys/responses/{scored_response.pk}/")
        page.wait_for_function("() => window.Chart && window.Chart.getChart(document.getElementById('pillar-chart'))")
        radar = page.evaluate(RADAR_LABELS)
        assert len(radar["boxes"]) == 6, radar
        for left, top, right, bottom in radar["boxes"]:
            assert left >= 0 and top >= 0 and right <= radar["width"] and bottom <= radar["height"], (language, radar)
        # Long names are wrapped into short lines rather than shrunk or cut.
        for label in radar["labels"]:
            lines = label if isinstance(label, list) else [label]
            assert all(len(line) <= 16 for line in lines), (language, label)
        size = fits(page)
        assert size["scroll"] <= size["screen"] == width, (language, size)
        page.wait_for_timeout(1200)  # the chart's opening animation
        page.screenshot(path=str(screenshot_path(f"63-result-{language}-{width}")), full_page=True)
    context.close()
    assert errors == [], "\n".join(errors)
