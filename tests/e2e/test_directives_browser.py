"""A directive task's page as an officer reads it on a phone."""

import datetime

import pytest
from django.utils import timezone

from directives.models import AgencyKind
from directives.periods import period_containing
from tests.directives.conftest import AgencyFactory, DocumentFactory, TaskFactory
from tests.e2e.conftest import log_in
from tests.e2e.test_dashboard_browser import fits, use_language, watch_console
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


def test_a_decree_09_task_and_its_document_show_the_cut_off_periods(page, phone, live_server, officer_a, screenshot):
    """In both languages, on a desktop and a phone: the task page names the rule, shows each
    period as its dates with its due date, and offers those periods to report on; the document
    form lets the officer choose the rule and the days."""
    committee = AgencyFactory(
        name="Ủy ban nhân dân tỉnh Đồng Tháp", kind=AgencyKind.PROVINCIAL_COMMITTEE, province=officer_a.province
    )
    document = DocumentFactory(issuing_agency=committee, reporting_rule="decree_09")
    task = TaskFactory(
        document=document,
        lead_agency=committee,
        deadline=None,
        reporting_period="quarterly",
        starts_on=datetime.date(2025, 3, 15),
    )
    running = period_containing(timezone.localdate(), "quarterly", document.schedule)
    dates = f"{running.start:%d/%m/%Y} – {running.end:%d/%m/%Y}"
    rule = {"vi": "chốt số liệu theo Nghị định 09", "en": "Decree 09 data cut-off"}
    due = {"vi": f"(hạn {running.due:%d/%m/%Y})", "en": f"(due {running.due:%d/%m/%Y})"}
    for device, width in ((page, 1366), (phone, 390)):
        errors = watch_console(device)
        log_in(device, live_server.url, officer_a.username, PASSWORD)
        for language in ("vi", "en"):
            use_language(device, live_server.url, language)
            device.goto(f"{live_server.url}/directives/tasks/{task.pk}/")
            device.wait_for_selector("[data-testid=period-history]")
            assert rule[language] in device.inner_text("[data-testid=reporting-rule]")
            assert dates in device.inner_text("[data-testid=period-history] tbody tr:first-child")
            options = device.eval_on_selector_all("select[name=period_start] option", "os => os.map(o => o.text)")
            assert options[0] == f"{dates} {due[language]}", (language, options)
            assert fits(device)["scroll"] <= fits(device)["screen"], (language, width, fits(device))
            screenshot(device, f"71-task-decree09-{language}-{width}")
            device.goto(f"{live_server.url}/directives/documents/{document.pk}/edit/")
            assert device.input_value("select[name=reporting_rule]") == "decree_09"
            assert device.input_value("input[name=report_due_days]") == ""
            assert fits(device)["scroll"] <= fits(device)["screen"], (language, width, fits(device))
            screenshot(device, f"72-document-rule-{language}-{width}")
        assert errors == [], "\n".join(errors)
