"""Property-based tests of the whole API from its own OpenAPI schema (Schemathesis).

For every operation, generated requests are sent as every kind of caller: nobody, a session of
each role (cooperative member, provincial officer, ministry analyst, national administrator)
and each kind of token (a provincial system's, a ministry's): no answer may be a server error,
and every answer must match the schema (status code documented, body of the documented shape).
Bounded (a few examples per operation, no deadline) to stay within a couple of minutes. Generated
path parameters rarely name a row that exists, so a second test reads existing rows of every
kind as every caller.
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
    officer_a,
    ministry_analyst,
    national_admin,
    ministry_token,
    province_token,
):
    """Request options per caller; data in both provinces so that scoped paths have rows."""
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api_token": None, "api_user": None, "api_anon": None},
    }

    def session(user):
        browser = Client()
        browser.force_login(user)
        return {
            "cookies": {"sessionid": browser.cookies["sessionid"].value, "csrftoken": CSRF},
            "headers": {"X-CSRFToken": CSRF},
        }

    return {
        "anonymous": {},
        "member": session(member_a),
        "officer": session(officer_a),
        "analyst": session(ministry_analyst),
        "admin": session(national_admin),
        "province": {"headers": {"Authorization": f"Bearer {province_token.secret}"}},
        "ministry": {"headers": {"Authorization": f"Bearer {ministry_token.secret}"}},
    }


@pytest.mark.django_db
@schema.parametrize()
@hypothesis_settings(
    max_examples=10,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_the_api_keeps_its_schema_and_never_fails(case, callers):
    for caller, options in callers.items():
        # identity: the WSGI test client does not decompress (GZipMiddleware is tested elsewhere).
        headers = {"Accept-Language": "en", "Accept-Encoding": "identity", **options.get("headers", {})}
        response = case.call(headers=headers, cookies=options.get("cookies"))
        assert response.status_code < 500, (caller, case.method, case.formatted_path, response.status_code)
        case.validate_response(response, checks=CHECKS, headers=headers)


@pytest.fixture
def known_objects(
    coop_a, coop_b, response_a, open_round, questionnaire, directive_tasks, province_a, officer_a, settings, tmp_path
):
    """Path parameters naming rows that exist (generated ones rarely do), per path template; a
    cooperative with a blank e-mail and website, as most are; an officer's finished export."""
    import datetime

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from exports.models import ExportJob

    coop_a.email, coop_a.website = "", ""
    coop_a.save(update_fields=["email", "website"])
    settings.MEDIA_ROOT = tmp_path
    export = ExportJob.objects.create(
        kind="registry",
        fmt="csv",
        created_by=officer_a,
        status="done",
        file=SimpleUploadedFile("htx.csv.gz", b"\x1f\x8b"),
        expires_at=timezone.now() + datetime.timedelta(days=1),
    )
    return {
        "/api/v1/exports/{id}/": [{"id": export.pk}],
        "/api/v1/exports/{id}/file/": [{"id": export.pk}],
        "/api/v1/cooperatives/{id}/": [{"id": coop_a.pk}, {"id": coop_b.pk}],
        "/api/v1/directives/documents/{id}/": [{"id": directive_tasks["document_a"].pk}],
        "/api/v1/directives/tasks/{id}/": [{"id": directive_tasks["task_a"].pk}],
        "/api/v1/directives/tasks/{id}/reports/": [{"id": directive_tasks["task_a"].pk}],
        "/api/v1/indicators/provinces/{code}/": [{"code": province_a.code}],
        "/api/v1/indicators/provinces/{code}/wards/": [{"code": province_a.code}],
        "/api/v1/indicators/sectors/{code}/": [{"code": "NN"}],
        "/api/v1/indicators/timeliness/{code}/": [{"code": open_round.code}],
        "/api/v1/provinces/{code}/": [{"code": province_a.code}],
        "/api/v1/questionnaires/{id}/": [{"id": questionnaire.pk}],
        "/api/v1/responses/{id}/": [{"id": response_a.pk}],
        "/api/v1/rounds/{code}/": [{"code": open_round.code}],
    }


@pytest.mark.django_db
def test_every_read_of_an_existing_row_matches_the_schema_for_every_caller(api_schema, known_objects, callers):
    """Each GET, with rows that exist, as each caller: the answer (200, 403 or 404) is documented
    and its body has the documented shape, formats included (an empty e-mail is not an e-mail)."""
    checked = 0
    for path, methods in api_schema.raw_schema["paths"].items():
        if "get" not in methods:
            continue
        parameter_sets = known_objects.get(path, [{}])
        assert "{" not in path or path in known_objects, f"no known row for {path}"
        for parameters in parameter_sets:
            operation = api_schema[path]["GET"]
            for caller, options in callers.items():
                case = operation.Case(path_parameters=parameters or None)
                headers = {"Accept-Language": "en", "Accept-Encoding": "identity", **options.get("headers", {})}
                response = case.call(headers=headers, cookies=options.get("cookies"))
                assert response.status_code < 500, (caller, path, parameters, response.status_code)
                case.validate_response(response, checks=CHECKS, headers=headers)
                checked += response.status_code == 200
    assert checked > 40  # most reads answered with data, not only refusals
