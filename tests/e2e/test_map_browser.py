"""The national map in the browser: 34 provinces and the two archipelagos, coloured by class or marked
"no data", a legend that matches, a caption on hover, keyboard focus and touch, a link to each
province's page; in Vietnamese and English, on a desktop and a phone, and on paper."""

import pytest

from cooperatives.models import Province
from indicators import services as indicator_services
from indicators.map import NO_DATA_FILL, PALETTE, TOO_FEW_FILL
from tests.e2e.conftest import ARTIFACTS, log_in
from tests.e2e.test_dashboard_browser import fits, use_language, watch_console
from tests.factories import PASSWORD, CooperativeFactory
from tests.indicators.test_aggregation import answer

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

# Province code: (cooperatives that answered, of which selling on e-commerce platforms). Khánh Hòa
# (56, which Trường Sa belongs to) has no figure; Hồ Chí Minh (79) has 0 %, the lowest class; every
# coloured province rests on at least 5 answers, and Thanh Hóa (38), on 3, is shown as "n < 5".
ANSWERED = {
    "82": (5, 5),
    "48": (6, 3),
    "01": (8, 2),
    "79": (5, 0),
    "66": (8, 6),
    "24": (5, 2),
    "92": (6, 2),
    "38": (3, 1),
}
TOO_FEW = {"38"}
# Five classes of the seven figures 0, 25, 33.3, 40, 50, 75, 100 (quantiles), 26 provinces without a
# figure and one over too few answers.
LEGEND = {
    "vi": [
        "0,0–25,0%",
        "33,3%",
        "40,0–50,0%",
        "75,0%",
        "100,0%",
        "Chưa có số liệu",
        "n < 5: quá ít phiếu tự đánh giá để hiển thị",
    ],
    "en": ["0.0–25.0%", "33.3%", "40.0–50.0%", "75.0%", "100.0%", "No data", "n < 5: too few self-assessments to show"],
}
ISLANDS = {
    "vi": ["Quần đảo Hoàng Sa (Đà Nẵng)", "Quần đảo Trường Sa (Khánh Hòa)"],
    "en": ["Hoang Sa (Paracel) Islands (Đà Nẵng)", "Truong Sa (Spratly) Islands (Khánh Hòa)"],
}
NO_DATA = {"vi": "chưa có số liệu", "en": "no data"}


@pytest.fixture
def map_figures(questionnaire, open_round, national_admin):
    for code, (count, selling) in ANSWERED.items():
        province = Province.objects.get(code=code)
        for index in range(count):
            cooperative = CooperativeFactory(province=province, code=f"{code}{index:08d}")
            channels = ["marketplace"] if index < selling else ["none"]
            answer(questionnaire, open_round, cooperative, national_admin, ONLINE_CHANNELS=channels)
    indicator_services.aggregate_indicators()
    return open_round


DRAWN = """
() => {
  const svg = document.querySelector("[data-testid=map]");
  const [vx, vy, vw, vh] = svg.getAttribute("viewBox").split(" ").map(Number);
  const frame = svg.getBoundingClientRect();
  const shape = (a) => {
    const path = a.querySelector("path");
    const box = path.getBBox();
    const screen = path.getBoundingClientRect();
    return {
      code: a.dataset.code,
      name: a.dataset.name,
      href: a.getAttribute("href"),
      fill: path.getAttribute("fill"),
      // drawn: a real area, inside the viewBox and inside the SVG on the screen
      drawn: box.width > 0 && box.height > 0 && path.getTotalLength() > 0
        && box.x >= vx && box.y >= vy && box.x + box.width <= vx + vw && box.y + box.height <= vy + vh
        && screen.width > 0 && screen.left >= frame.left - 0.5 && screen.right <= frame.right + 0.5
        && screen.top >= frame.top - 0.5 && screen.bottom <= frame.bottom + 0.5,
    };
  };
  const labels = [...svg.querySelectorAll("[data-testid=map-archipelago-label]")].map((t) => {
    const box = t.getBoundingClientRect();
    return {
      text: t.textContent.replace(/\\s+/g, " ").trim(),
      inside: box.left >= frame.left && box.right <= frame.right && box.top >= frame.top && box.bottom <= frame.bottom,
      height: box.height,
    };
  });
  const legend = [...document.querySelectorAll("[data-testid=map-legend] li")].map((li) => ({
    fill: li.dataset.fill,
    swatch: li.querySelector("rect").getAttribute("fill"),
    text: li.querySelector("[data-testid=map-legend-range]").textContent.trim(),
  }));
  return {
    width: frame.width,
    provinces: [...svg.querySelectorAll("[data-testid=map-province]")].map(shape),
    archipelagos: [...svg.querySelectorAll("[data-testid=map-archipelago]")].map(shape),
    labels, legend,
    legendTitle: document.getElementById("map-legend-title").textContent.trim(),
  };
}
"""


def check_drawing(page, language):
    drawn = page.evaluate(DRAWN)
    provinces, archipelagos, legend = drawn["provinces"], drawn["archipelagos"], drawn["legend"]
    assert len(provinces) == 34 and all(p["drawn"] for p in provinces), [p["code"] for p in provinces if not p["drawn"]]
    assert {p["code"] for p in provinces} == set(Province.objects.values_list("code", flat=True))
    assert [a["drawn"] for a in archipelagos] == [True, True]
    # Every province has a class colour or the "no data" fill, and the legend lists exactly the fills used.
    fills = {p["code"]: p["fill"] for p in provinces}
    assert [item["fill"] for item in legend] == [item["swatch"] for item in legend]
    assert set(fills.values()) == {item["fill"] for item in legend}
    assert [item["text"] for item in legend] == LEGEND[language]
    assert [item["fill"] for item in legend] == [*PALETTE, NO_DATA_FILL, TOO_FEW_FILL]
    assert fills["79"] == PALETTE[0] and fills["82"] == PALETTE[-1] and fills["56"] == NO_DATA_FILL
    assert [p for p in fills if fills[p] in PALETTE] == [p for p in fills if p in ANSWERED and p not in TOO_FEW]
    assert [p for p in fills if fills[p] == TOO_FEW_FILL] == list(TOO_FEW)
    # The archipelagos: coloured as their province, named, labelled inside the map.
    assert [(a["code"], a["name"]) for a in archipelagos] == [
        ("48", ISLANDS[language][0]),
        ("56", ISLANDS[language][1]),
    ]
    assert [a["fill"] for a in archipelagos] == [fills["48"], NO_DATA_FILL]
    # Two lines, the archipelago and its province: "Quần đảo Hoàng Sa" over "(Đà Nẵng)".
    assert [label["text"] for label in drawn["labels"]] == [
        "(".join(name.rsplit(" (", 1)) for name in ISLANDS[language]
    ]
    assert all(label["inside"] and label["height"] >= 10 for label in drawn["labels"]), drawn["labels"]
    assert (
        drawn["legendTitle"]
        == {"vi": "Bán trên sàn thương mại điện tử (%)", "en": "Sells on e-commerce platforms (%)"}[language]
    )
    return drawn


def caption(page):
    tip = page.locator("[data-testid=map-tip]")
    return {
        "visible": tip.is_visible(),
        "text": " | ".join(t.strip() for t in tip.locator(":scope > :not([hidden])").all_inner_texts()),
    }


def inside(page, selector):
    """A point of the shape on the screen, with a pixel of it all round: its anchor, or else a point of
    a grid over its box (the middle of a province's box may be its neighbour, that of an archipelago
    open sea)."""
    return page.locator(selector).evaluate(
        """(a) => {
          const path = a.querySelector("path");
          path.scrollIntoView({block: "center", behavior: "instant"});
          const svg = a.ownerSVGElement, ctm = svg.getScreenCTM(), box = path.getBBox();
          const candidates = [[Number(a.dataset.anchorX), Number(a.dataset.anchorY)]];
          for (let i = 0; i <= 60; i++) {
            for (let j = 0; j <= 60; j++) {
              candidates.push([box.x + (box.width * i) / 60, box.y + (box.height * j) / 60]);
            }
          }
          const hits = (x, y) => {
            const hit = document.elementFromPoint(x, y);
            return hit !== null && hit.closest("a") === a;
          };
          for (const [x, y] of candidates) {
            const point = svg.createSVGPoint();
            point.x = x; point.y = y;
            const at = point.matrixTransform(ctm);
            if ([[0, 0], [-1, 0], [1, 0], [0, -1], [0, 1]].every(([dx, dy]) => hits(at.x + dx, at.y + dy))) {
              return [at.x, at.y];
            }
          }
          return null;
        }"""
    )


def save(page, name, full_page=True):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full_page)


def test_the_map_colours_each_province_and_opens_its_page_on_a_desktop(
    page, live_server, ministry_analyst, map_figures
):
    # Without smooth scrolling: a page still gliding after a Tab moves the map under the mouse.
    page.emulate_media(reduced_motion="reduce")
    errors = watch_console(page)
    log_in(page, live_server.url, ministry_analyst.username, PASSWORD)
    for language in ("vi", "en"):
        use_language(page, live_server.url, language)
        page.goto(f"{live_server.url}/dashboard/?metric=ecommerce_pct")
        page.wait_for_selector("[data-testid=map-province]")
        assert page.get_attribute("html", "lang") == language
        check_drawing(page, language)
        page.locator("[data-testid=map]").scroll_into_view_if_needed()

        # Hover: the province's name and figure, by the province.
        page.mouse.move(*inside(page, "[data-testid=map-province][data-code='82']"))
        figure = {"vi": "100,0%", "en": "100.0%"}[language]
        assert caption(page) == {"visible": True, "text": f"Đồng Tháp | {figure}"}
        page.mouse.move(0, 0)
        assert not caption(page)["visible"]

        # Keyboard: from the indicator's button, Tab reaches the first province (An Giang, no figure).
        page.focus("#metric-select + button")
        page.keyboard.press("Tab")
        focused = page.evaluate("() => document.activeElement.dataset.code")
        assert focused == "91"
        assert caption(page) == {"visible": True, "text": f"An Giang | {NO_DATA[language]}"}
        assert page.locator("[data-map-highlight]").evaluate("(e) => getComputedStyle(e).display") != "none"
        page.keyboard.press("Tab")
        assert caption(page)["text"].startswith("Bắc Ninh | ")
        save(page, f"70-map-focus-{language}-1366", full_page=False)
        page.keyboard.press("Shift+Tab")

        page.mouse.move(*inside(page, "[data-testid=map-archipelago][data-code='56']"))
        assert caption(page) == {"visible": True, "text": f"{ISLANDS[language][1]} | {NO_DATA[language]}"}
        save(page, f"60-national-dashboard-{language}-1366")
        page.mouse.move(*inside(page, "[data-testid=map-province][data-code='38']"))
        assert caption(page) == {"visible": True, "text": "Thanh Hóa | n < 5"}

        # A click opens the province's page.
        page.mouse.click(*inside(page, "[data-testid=map-province][data-code='82']"))
        page.wait_for_url("**/dashboard/?province=82&round=*")
        assert page.locator("h1").inner_text() == "Tỉnh Đồng Tháp"
        assert page.locator("[data-testid=map]").count() == 0
        save(page, f"60-province-dashboard-{language}-1366")
    assert errors == [], "\n".join(errors)


def test_the_map_fits_a_phone_and_opens_a_province_on_the_second_tap(phone, live_server, ministry_analyst, map_figures):
    errors = watch_console(phone)
    log_in(phone, live_server.url, ministry_analyst.username, PASSWORD)
    for language in ("vi", "en"):
        use_language(phone, live_server.url, language)
        phone.goto(f"{live_server.url}/dashboard/?metric=ecommerce_pct")
        phone.wait_for_selector("[data-testid=map-province]")
        drawn = check_drawing(phone, language)
        assert drawn["width"] >= 340
        size = fits(phone)
        assert size["scroll"] <= size["screen"] == 390, (language, size)
        phone.locator("[data-testid=map]").scroll_into_view_if_needed()
        save(phone, f"71-map-{language}-390")

        # The first tap shows the caption, and says that a second tap opens the page.
        phone.touchscreen.tap(*inside(phone, "[data-testid=map-province][data-code='66']"))
        hint = {"vi": "Chạm lần nữa để mở trang của tỉnh", "en": "Tap again to open the province's page"}[language]
        figure = {"vi": "75,0%", "en": "75.0%"}[language]
        assert caption(phone) == {"visible": True, "text": f"Đắk Lắk | {figure} | {hint}"}
        assert "province=" not in phone.url
        save(phone, f"71-map-tap-{language}-390", full_page=False)
        phone.touchscreen.tap(*inside(phone, "[data-testid=map-province][data-code='66']"))
        phone.wait_for_url("**/dashboard/?province=66&round=*")
        assert phone.locator("h1").inner_text() == "Tỉnh Đắk Lắk"
    assert errors == [], "\n".join(errors)


def test_the_map_prints_in_colour_with_its_legend(page, live_server, ministry_analyst, map_figures):
    log_in(page, live_server.url, ministry_analyst.username, PASSWORD)
    for language in ("vi", "en"):
        use_language(page, live_server.url, language)
        page.goto(f"{live_server.url}/dashboard/?metric=ecommerce_pct")
        page.wait_for_selector("[data-testid=map-province]")
        page.mouse.move(*inside(page, "[data-testid=map-province][data-code='82']"))
        # An A4 page at 96 dpi, less the browser's default margins of about 1 cm.
        page.set_viewport_size({"width": 718, "height": 1047})
        page.emulate_media(media="print")
        printed = page.evaluate(
            """() => {
              const figure = document.querySelector("[data-map]");
              const style = getComputedStyle(document.querySelector("[data-testid=map]"));
              return {
                colour: style.printColorAdjust || style.webkitPrintColorAdjust,
                swatches: getComputedStyle(document.querySelector(".map-swatch")).printColorAdjust,
                unbroken: getComputedStyle(figure).breakInside,
                legend: document.querySelector("[data-testid=map-legend]").getBoundingClientRect().height > 0,
                caption: getComputedStyle(document.querySelector("[data-testid=map-tip]")).display,
                highlight: getComputedStyle(document.querySelector("[data-map-highlight]")).display,
                height: figure.getBoundingClientRect().height,
              };
            }"""
        )
        assert printed["colour"] == printed["swatches"] == "exact", printed
        # The map and its legend fit on one page and are kept together; no caption or hover outline.
        assert printed["unbroken"] == "avoid" and printed["legend"] and printed["height"] < 1047, printed
        assert printed["caption"] == printed["highlight"] == "none", printed
        check_drawing(page, language)
        page.locator("[data-map]").screenshot(path=str(ARTIFACTS / f"72-map-print-{language}.png"))
        page.emulate_media(media="screen")
        page.set_viewport_size({"width": 1366, "height": 768})
