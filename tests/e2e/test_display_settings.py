"""The display bar in the header: text size and high contrast, as Vietnamese state portals offer
them (Circular 26/2020/TT-BTTTT). Each switch is a button with a name in the page's language and
a pressed state; the choice is kept in the browser and applied before the next page is painted;
on a phone the header stays within the screen at every size.
"""

import pytest
from django.conf import settings

from indicators import services as indicator_services
from surveys import services as survey_services
from tests.e2e.conftest import log_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

ROOT_FONT_SIZE = "() => parseFloat(getComputedStyle(document.documentElement).fontSize)"
BODY_COLOURS = "() => { const s = getComputedStyle(document.body); return [s.backgroundColor, s.color]; }"
OUTLINE = "(el) => { const s = getComputedStyle(el); return [s.outlineStyle, s.outlineColor]; }"
LINK_COLOUR = "() => getComputedStyle(document.querySelector('main td a[href]')).color"
# The state of <html> when <body> starts, recorded before anything of the body can be painted.
RECORD_FIRST_PAINT_STATE = """
new MutationObserver((changes, observer) => {
  if (!document.body) return;
  const root = document.documentElement;
  window.__atBodyStart = {
    size: root.getAttribute("data-text-size"),
    contrast: root.getAttribute("data-contrast"),
    fontSize: getComputedStyle(root).fontSize,
  };
  observer.disconnect();
}).observe(document, { childList: true, subtree: true });
"""


def _pressed(page, selector):
    return page.get_attribute(selector, "aria-pressed")


def _size_button(page, size):
    return f"[data-testid=display-bar] [data-text-size-option={size}]"


CONTRAST = "[data-testid=display-bar] [data-contrast-toggle]"


def _fits(page, width):
    """Nothing wider than the screen: the page, and the header's own right edge."""
    return page.evaluate(
        """(width) => document.documentElement.scrollWidth <= width &&
           [...document.querySelectorAll('header *')].every((el) => el.getBoundingClientRect().right <= width + 0.5)""",
        width,
    )


def test_larger_text_scales_the_page_and_is_kept_on_the_next_page(page, live_server, officer_a, coop_a):
    page.context.add_init_script(script=RECORD_FIRST_PAINT_STATE)
    log_in(page, live_server.url, officer_a.username, PASSWORD)
    assert page.evaluate(ROOT_FONT_SIZE) == 16
    assert _pressed(page, _size_button(page, "normal")) == "true"
    heading = page.locator("main h1").first
    normal_heading = heading.evaluate("el => el.getBoundingClientRect().height")

    page.click(_size_button(page, "larger"))
    assert page.evaluate(ROOT_FONT_SIZE) == 22
    assert [_pressed(page, _size_button(page, s)) for s in ("normal", "large", "larger")] == ["false", "false", "true"]
    assert heading.evaluate("el => el.getBoundingClientRect().height") > normal_heading  # rem: the page scales

    page.goto(f"{live_server.url}/cooperatives/")
    assert page.evaluate(ROOT_FONT_SIZE) == 22
    assert _pressed(page, _size_button(page, "larger")) == "true"
    # Set before the body was parsed: the larger page is the first one painted.
    assert page.evaluate("() => window.__atBodyStart") == {"size": "larger", "contrast": None, "fontSize": "22px"}

    page.click(_size_button(page, "large"))
    assert page.evaluate(ROOT_FONT_SIZE) == 19
    page.click(_size_button(page, "normal"))
    assert page.evaluate(ROOT_FONT_SIZE) == 16
    page.reload()
    assert page.evaluate(ROOT_FONT_SIZE) == 16
    assert _pressed(page, _size_button(page, "normal")) == "true"


def test_high_contrast_changes_the_colours_and_is_kept_on_the_next_page(page, live_server, officer_a, coop_a):
    page.context.add_init_script(script=RECORD_FIRST_PAINT_STATE)
    log_in(page, live_server.url, officer_a.username, PASSWORD)
    page.goto(f"{live_server.url}/cooperatives/")
    assert page.evaluate(BODY_COLOURS) == ["rgb(255, 255, 255)", "rgb(33, 37, 41)"]
    assert _pressed(page, CONTRAST) == "false"

    # Keyboard only, as a reader without a mouse: the switch comes early in the tab order (after
    # the skip link and the three sizes), and Enter presses it.
    for _ in range(5):
        page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.hasAttribute('data-contrast-toggle')")
    page.keyboard.press("Enter")
    assert _pressed(page, CONTRAST) == "true"
    assert page.evaluate(BODY_COLOURS) == ["rgb(0, 0, 0)", "rgb(255, 255, 255)"]
    assert page.evaluate(LINK_COLOUR) == "rgb(255, 255, 0)"
    # The focused switch shows a thick yellow ring.
    outline = page.eval_on_selector(CONTRAST, OUTLINE)
    assert outline == ["solid", "rgb(255, 255, 0)"]

    page.click(f"a[href='/cooperatives/{coop_a.pk}/']")
    page.wait_for_load_state("load")
    assert page.evaluate(BODY_COLOURS) == ["rgb(0, 0, 0)", "rgb(255, 255, 255)"]
    assert _pressed(page, CONTRAST) == "true"
    assert page.evaluate("() => window.__atBodyStart.contrast") == "high"

    page.focus(CONTRAST)
    page.keyboard.press("Space")
    assert _pressed(page, CONTRAST) == "false"
    assert page.evaluate(BODY_COLOURS) == ["rgb(255, 255, 255)", "rgb(33, 37, 41)"]
    page.goto(f"{live_server.url}/")
    assert page.evaluate("() => document.documentElement.hasAttribute('data-contrast')") is False


@pytest.mark.parametrize(
    ("language", "names"),
    [
        ("vi", ["Cỡ chữ", "A, thường", "A+, lớn", "A++, rất lớn", "Tương phản cao"]),
        ("en", ["Text size", "A, normal", "A+, large", "A++, larger", "High contrast"]),
    ],
)
def test_the_switches_are_named_in_the_page_language(page, live_server, language, names):
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}])
    page.goto(f"{live_server.url}/")
    group, *buttons = names
    assert page.get_by_role("group", name=group).is_visible()
    for name in buttons:
        button = page.get_by_role("button", name=name, exact=True)
        assert button.is_visible(), name
        assert button.get_attribute("aria-pressed") in ("true", "false")


def test_the_header_fits_a_phone_at_every_text_size(phone, live_server, officer_a, coop_a):
    log_in(phone, live_server.url, officer_a.username, PASSWORD)
    for size in ("normal", "large", "larger"):
        phone.click(_size_button(phone, size))
        for path in ("/", "/cooperatives/"):
            phone.goto(f"{live_server.url}{path}")
            assert _pressed(phone, _size_button(phone, size)) == "true"
            assert _fits(phone, 390), f"{path} at {size} text is wider than the phone"
        # The menu, opened, stays within the screen too.
        phone.click(".navbar-toggler")
        phone.wait_for_selector("#nav-main.show")
        assert _fits(phone, 390), f"the open menu at {size} text is wider than the phone"
    phone.click(CONTRAST)
    assert _fits(phone, 390)


# The main screens in each display mode, in both languages, on a desktop and a phone: each fits
# its screen, and a screenshot of each is saved for whoever reviews the look.
MODES = {"normal": ("normal", "normal"), "large": ("larger", "normal"), "contrast": ("normal", "high")}


@pytest.mark.parametrize("device", ["desktop", "phone"])
@pytest.mark.parametrize("language", ["vi", "en"])
def test_main_screens_fit_in_every_display_mode(
    request, live_server, officer_a, coop_a, open_round, screenshot, language, device
):
    view = request.getfixturevalue("page" if device == "desktop" else "phone")
    width = 1366 if device == "desktop" else 390
    draft = survey_services.response_start(survey_round=open_round, cooperative=coop_a, by=officer_a)
    indicator_services.aggregate_indicators()
    view.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}])
    log_in(view, live_server.url, officer_a.username, PASSWORD)
    screens = {"dashboard": "/", "registry": "/cooperatives/", "survey": f"/surveys/responses/{draft.pk}/page/1/"}
    for mode, (size, contrast) in MODES.items():
        view.evaluate(
            "([size, contrast]) => { localStorage.setItem('coopdx.textSize', size);"
            " localStorage.setItem('coopdx.contrast', contrast); }",
            [size, contrast],
        )
        for name, path in screens.items():
            view.goto(f"{live_server.url}{path}")
            view.wait_for_load_state("networkidle")
            assert view.get_attribute("html", "lang") == language
            assert _pressed(view, CONTRAST) == ("true" if contrast == "high" else "false")
            assert _fits(view, width), f"{name} ({mode}, {language}) is wider than {width} px"
            screenshot(view, f"display-{name}-{mode}-{language}-{device}")
