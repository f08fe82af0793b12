"""End-to-end tests in the Debian Chromium (/usr/bin/chromium), driven by Playwright.

They run in `make test` whenever Chromium is installed and are required in CI (CI=true), where
a missing browser is a failure, not a skip. Screenshots of each main screen are saved under
test-artifacts/screens/ (git-ignored).
"""

import contextlib
import os
import shutil
import threading
import time
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
    alone, its whole answer included.

    It also counts the requests it is answering, so that a test's end can wait for the last one
    (a service worker's fetch may still be running when the browser closes) before the database
    is emptied under it."""

    answering = 0
    counting = threading.Lock()

    def set_app(self, application):
        shared = threading.Lock() if self.connections_override else None  # PostgreSQL: nothing shared

        def counted(environ, start_response):
            with OneRequestAtATimeServer.counting:
                OneRequestAtATimeServer.answering += 1
            try:
                with shared or contextlib.nullcontext():
                    answer = application(environ, start_response)
                    try:
                        return list(answer)
                    finally:
                        if hasattr(answer, "close"):
                            answer.close()
            finally:
                with OneRequestAtATimeServer.counting:
                    OneRequestAtATimeServer.answering -= 1

        return super().set_app(counted)

    @classmethod
    def wait_until_idle(cls, seconds=30.0):
        """Until no request has been under way for two looks 0.1 s apart (one read from its
        socket a moment before the browser closed has had time to start); at most `seconds`."""
        deadline = time.monotonic() + seconds
        quiet = 0
        while quiet < 2 and time.monotonic() < deadline:
            quiet = quiet + 1 if cls.answering == 0 else 0
            time.sleep(0.1)


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
def _server_idle_before_the_database_is_emptied(transactional_db):
    """Torn down after the test's browser contexts are closed and before the database is flushed."""
    yield
    OneRequestAtATimeServer.wait_until_idle()


@pytest.fixture(autouse=True)
def _reference_data(transactional_db):
    """Transactional tests end with a flush; load the shipped reference data again before each."""
    ensure_reference_data()
