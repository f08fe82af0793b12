"""The browser tests' server answers requests that arrive together (a page, its fragments, the
service worker fetching the questionnaire's parts) without locking up. With an in-memory SQLite
database its threads share one connection, and two requests at once could each wait for the
other (one inside SQLite calling back into Python, the other holding Python waiting for SQLite)."""

import concurrent.futures
import urllib.request

import pytest
from django.conf import settings
from django.test import Client

pytestmark = pytest.mark.django_db(transaction=True)


def test_requests_arriving_together_are_all_answered(live_server, officer_a, open_round, coop_a):
    from tests.conftest import ensure_reference_data

    ensure_reference_data()
    client = Client()
    client.force_login(officer_a)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    paths = ("/", f"/surveys/rounds/{open_round.code}/", "/figures/", "/cooperatives/")
    urls = [f"{live_server.url}{path}" for path in paths] * 10

    def fetch(url):
        request = urllib.request.Request(url, headers={"Cookie": cookie})
        with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310 - the test's own server
            return answer.status

    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(fetch, urls, timeout=120))
    assert statuses == [200] * len(urls)
