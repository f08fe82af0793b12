"""The public figures in the browser, without logging in: the map draws and leads to a province's
public page, small cells read "n < 5", the downloads are there; in Vietnamese and English, on a
desktop and a phone, with no console error and nothing wider than the screen."""

import pytest

from cooperatives.models import Province
from indicators import services as indicator_services
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.test_dashboard_browser import fits, use_language, watch_console
from tests.e2e.test_map_browser import inside
from tests.factories import CooperativeFactory
from tests.indicators.test_aggregation import answer

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

# Province code: (cooperatives that answered, of which selling on e-commerce platforms).
ANSWERED = {"82": (6, 5), "01": (5, 1), "66": (3, 3)}
HEADING = {
    "vi": "Chuyển đổi số hợp tác xã: số liệu công khai",
    "en": "Digital transformation of cooperatives: public figures",
}


@pytest.fixture
def public_figures(questionnaire, open_round, national_admin):
    for code, (count, selling) in ANSWERED.items():
        province = Province.objects.get(code=code)
        for index in range(count):
            cooperative = CooperativeFactory(province=province, code=f"{code}{index:08d}")
            channels = ["marketplace"] if index < selling else ["none"]
            answer(questionnaire, open_round, cooperative, national_admin, ONLINE_CHANNELS=channels)
    indicator_services.aggregate_indicators()
    return open_round


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("device", ["page", "phone"])
def test_the_public_figures_without_login(request, live_server, public_figures, language, device):
    page = request.getfixturevalue(device)
    errors = watch_console(page)
    use_language(page, live_server.url, language)
    page.goto(f"{live_server.url}/figures/?metric=ecommerce_pct")
    assert page.locator("h1").inner_text() == HEADING[language]
    assert page.locator("[data-testid=map-province]").count() == 34
    assert page.locator("[data-testid=map-archipelago]").count() == 2
    # Đắk Lắk's three answers are too few: their own pattern on the map, "n < 5" in the table.
    dak_lak = page.locator("[data-testid=map-province][data-code='66'] path")
    assert dak_lak.get_attribute("fill") == "url(#map-too-few)"
    row = page.locator("[data-testid=province-table] tr", has_text="Đắk Lắk")
    assert "n < 5" in row.inner_text().replace("\u00a0", " ")
    assert page.locator("[data-testid=public-csv]").is_visible()
    layout = fits(page)
    assert layout["scroll"] <= layout["screen"], layout["wide"]
    page.screenshot(path=str(ARTIFACTS / f"80-public-{language}-{device}.png"), full_page=True)
    # The province's public page, from the map (a phone's first tap shows the caption).
    shape = "[data-testid=map-province][data-code='82']"
    page.locator(shape).scroll_into_view_if_needed()
    if device == "phone":
        page.touchscreen.tap(*inside(page, shape))  # the first tap shows the caption
        page.touchscreen.tap(*inside(page, shape))
    else:
        page.mouse.click(*inside(page, shape))
    page.wait_for_url("**/figures/82/**")
    assert page.locator("h1").inner_text() == "Tỉnh Đồng Tháp"
    assert page.locator("[data-testid=card-ecommerce_pct]").inner_text().count("83,3" if language == "vi" else "83.3")
    page.screenshot(path=str(ARTIFACTS / f"81-public-province-{language}-{device}.png"), full_page=True)
    csv = page.request.get(f"{live_server.url}/figures/figures.csv")
    assert csv.ok and csv.text().lstrip("\ufeff").startswith("round,round_name,scope")
    assert errors == []
