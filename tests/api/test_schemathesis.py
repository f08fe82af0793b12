"""Property-based tests of the whole API from its own OpenAPI schema (Schemathesis).

For every operation, generated requests are sent as four callers (nobody, a cooperative
member's session, a provincial token, a ministry token): no answer may be a server error, and
every answer must match the schema (status code documented, body of the documented shape).
Bounded (a few examples per operation, no deadline) to stay within a couple of minutes.
"""

from __future__ import annotations

import pytest
import schemathesis
import schemathesis.pytest
from django.core import signals
from django.db import close_old_connections
from django.test import Client
from django.test.utils import override_settings
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from coopdx.wsgi import application


@pytest.fixture(scope="session")
def api_schema(django_db_setup, django_db_blocker):
    """The API's own OpenAPI schema, built when this test runs rather than when every test
    process collects the suite. Schemathesis calls the WSGI application as host "localhost"
    (the request's middleware may read the database, e.g. the session)."""
    with django_db_blocker.unblock(), override_settings(ALLOWED_HOSTS=["localhost", "testserver"]):
        return schemathesis.openapi.from_wsgi(
            "/api/v1/schema/?format=json", application, headers={"Accept-Language": "en"}
        )


schema = schemathesis.pytest.from_fixture("api_schema")

CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance]
CSRF = "s" * 32


@pytest.fixture
def _keep_the_test_connection():
    """The real WSGI handler closes "old" connections after each request, which on PostgreSQL
    would close the test's transaction; Django's own test client disconnects the same signals."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def callers(
    _keep_the_test_connection,
    settings,
    coop_a,
    coop_b,
    response_a,
    response_b,
    figures,
    member_a,
    ministry_token,
    province_token,
):
    """Request options per caller; data in both provinces so that scoped paths have rows."""
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api_token": None, "api_user": None, "api_anon": None},
    }
    browser = Client()
    browser.force_login(member_a)
    return {
        "anonymous": {},
        "member": {
            "cookies": {"sessionid": browser.cookies["sessionid"].value, "csrftoken": CSRF},
            "headers": {"X-CSRFToken": CSRF},
        },
        "province": {"headers": {"Authorization": f"Bearer {province_token.secret}"}},
        "ministry": {"headers": {"Authorization": f"Bearer {ministry_token.secret}"}},
    }


@pytest.mark.django_db
@schema.parametrize()
@hypothesis_settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_the_api_keeps_its_schema_and_never_fails(case, callers):
    for options in callers.values():
        # identity: the WSGI test client does not decompress (GZipMiddleware is tested elsewhere).
        headers = {"Accept-Language": "en", "Accept-Encoding": "identity", **options.get("headers", {})}
        response = case.call(headers=headers, cookies=options.get("cookies"))
        assert response.status_code < 500, (case.method, case.formatted_path, response.status_code)
        case.validate_response(response, checks=CHECKS, headers=headers)
