"""End-to-end tests in the Debian Chromium (/usr/bin/chromium), driven by Playwright.

They run in `make test` whenever Chromium is installed and are required in CI (CI=true), where
a missing browser is a failure, not a skip. Screenshots of each main screen are saved under
test-artifacts/screens/ (git-ignored).
"""

import os
import shutil
import threading
from pathlib import Path

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.testcases import LiveServerThread

from tests.conftest import ensure_reference_data, require_service

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


class OneRequestAtATimeServer(ThreadedWSGIServer):
    """The live server, answering one request at a time when its threads share an in-memory
    SQLite connection: two requests at once (a page and what its service worker fetches) could
    each wait for the other, one inside SQLite calling back into Python (Django's SQLite
    functions), the other holding Python and waiting for SQLite. Connections stay threaded, so a
    browser's idle keep-alive connection never holds the others up; only the application runs
    alone, its whole answer included."""

    def set_app(self, application):
        if not self.connections_override:  # PostgreSQL: a connection per thread, nothing shared
            return super().set_app(application)
        lock = threading.Lock()

        def one_at_a_time(environ, start_response):
            with lock:
                answer = application(environ, start_response)
                try:
                    return list(answer)
                finally:
                    if hasattr(answer, "close"):
                        answer.close()

        return super().set_app(one_at_a_time)


LiveServerThread.server_class = OneRequestAtATimeServer
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screens"


@pytest.fixture(scope="module")
def browser():
    require_service(bool(shutil.which(CHROMIUM) or Path(CHROMIUM).exists()), f"Chromium at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are made
    # between browser steps, never concurrently. Only for the browser tests, then restored.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"],
        )
        yield browser
        browser.close()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def phone(browser):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="vi-VN", is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def screenshot():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def take(page, name):
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

    return take


def log_in(page, base_url, username, password):
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")


@pytest.fixture(autouse=True)
def _reference_data(transactional_db):
    """Transactional tests end with a flush; load the shipped reference data again before each."""
    ensure_reference_data()
