"""A directive task's page as an officer reads it on a phone."""

import datetime

import pytest

from directives.models import AgencyKind
from tests.directives.conftest import AgencyFactory, DocumentFactory, TaskFactory
from tests.e2e.conftest import log_in
from tests.e2e.test_dashboard_browser import use_language, watch_console
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

PERIOD_CARDS = """
() => {
  const table = document.querySelector("[data-testid=period-history]");
  const box = table.closest(".table-responsive");
  const cells = [...table.querySelectorAll("tbody tr:first-child td")];
  return {
    overflow: box.scrollWidth - box.clientWidth,
    headerShown: table.querySelector("thead").getBoundingClientRect().height > 1,
    labels: cells.map((cell) => getComputedStyle(cell, "::before").content),
    right: Math.max(...cells.map((cell) => cell.getBoundingClientRect().right)),
    screen: document.documentElement.clientWidth,
  };
}
"""


def test_reporting_periods_read_as_labelled_cards_on_a_phone(phone, live_server, officer_a, screenshot):
    # Made here: a transactional test's database holds only what ensure_reference_data loads.
    committee = AgencyFactory(
        name="Ủy ban nhân dân tỉnh Đồng Tháp", kind=AgencyKind.PROVINCIAL_COMMITTEE, province=officer_a.province
    )
    task = TaskFactory(
        document=DocumentFactory(issuing_agency=committee),
        lead_agency=committee,
        deadline=None,
        reporting_period="quarterly",
        starts_on=datetime.date(2024, 4, 10),
    )
    errors = watch_console(phone)
    log_in(phone, live_server.url, officer_a.username, PASSWORD)
    expected = {"vi": '"Hạn báo cáo"', "en": '"Report due"'}
    for language in ("vi", "en"):
        use_language(phone, live_server.url, language)
        phone.goto(f"{live_server.url}/directives/tasks/{task.pk}/")
        phone.wait_for_selector("[data-testid=period-history]")
        cards = phone.evaluate(PERIOD_CARDS)
        # Every column visible without scrolling sideways, each value with its column's name.
        assert cards["overflow"] <= 0 and cards["right"] <= cards["screen"], (language, cards)
        assert not cards["headerShown"] and len(cards["labels"]) == 5, (language, cards)
        assert cards["labels"][1] == expected[language], (language, cards)
        screenshot(phone, f"70-task-periods-{language}-390")
    assert errors == [], "\n".join(errors)
