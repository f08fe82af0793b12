"""Who may call what: role × endpoint × method → status, for every API endpoint.

Callers: nobody, a member of cooperative A (Đồng Tháp, 82), officers of Đồng Tháp (A) and
Đắk Lắk (B, 66), a ministry analyst, a national administrator, an officer of the Ministry of
Agriculture and Environment and one of the Cooperative Alliance (national readers who report on
their agency's tasks only), a ministry's national read-only token and a Đồng Tháp province token
with every scope. Objects of the other
province are 404 (the same answer as a missing object), never 403.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db import transaction

from tests.api.conftest import CALLERS
from tests.factories import CooperativeFactory

pytestmark = pytest.mark.django_db

ANONYMOUS = "anonymous"


def expect(default: int = 200, **overrides: int) -> dict[str, int]:
    """Statuses per caller: ``default`` for every signed-in caller, 401 for nobody."""
    statuses = dict.fromkeys(CALLERS, default)
    statuses[ANONYMOUS] = 401
    statuses.update(overrides)
    return statuses


# Shorthands for the recurring rules.
NATIONAL_OR_OFFICER = {"member_a": 403}  # the registry list, indicators, bulk (the dashboard's rule)
NOT_PROVINCE_B = {"officer_b": 404}  # objects of Đồng Tháp seen from Đắk Lắk
NOT_PROVINCE_A = {"member_a": 404, "officer_a": 404, "province_token": 404}  # objects of Đắk Lắk
# Readers: agency accounts enter no self-assessment.
NO_WRITE = {"ministry_analyst": 403, "ministry_token": 403, "agency_officer": 403, "alliance_officer": 403}
# Agency accounts may report, but on another agency's task they find nothing (404).
NOT_THEIR_AGENCY = {"agency_officer": 404, "alliance_officer": 404}
NO_REPORT = {"ministry_analyst": 403, "ministry_token": 403, **NOT_THEIR_AGENCY}


REPORT = {"status": "in_progress", "percent_done": 40, "narrative": "Đã tập huấn 12 hợp tác xã."}


@dataclass(frozen=True)
class Case:
    name: str
    method: str
    path: str  # formatted with the world's ids
    statuses: dict[str, int]
    body: Callable[[dict[str, Any]], dict[str, Any]] | None = None
    query: dict[str, str] = field(default_factory=dict)


CASES = [
    # Reference data
    Case("provinces", "GET", "/api/v1/provinces/", expect()),
    Case("province", "GET", "/api/v1/provinces/82/", expect()),
    Case("legacy provinces", "GET", "/api/v1/legacy-provinces/", expect()),
    Case("sectors", "GET", "/api/v1/sectors/", expect()),
    # Registry
    Case("cooperatives", "GET", "/api/v1/cooperatives/", expect(**NATIONAL_OR_OFFICER)),
    Case("cooperative A", "GET", "/api/v1/cooperatives/{coop_a}/", expect(**NOT_PROVINCE_B)),
    Case("cooperative B", "GET", "/api/v1/cooperatives/{coop_b}/", expect(**NOT_PROVINCE_A)),
    Case("bulk registry csv", "GET", "/api/v1/bulk/cooperatives.csv", expect(**NATIONAL_OR_OFFICER)),
    Case("bulk registry ndjson", "GET", "/api/v1/bulk/cooperatives.ndjson", expect(**NATIONAL_OR_OFFICER)),
    # Questionnaires and rounds
    Case("questionnaires", "GET", "/api/v1/questionnaires/", expect()),
    Case("questionnaire", "GET", "/api/v1/questionnaires/{questionnaire}/", expect()),
    Case("indicator definitions", "GET", "/api/v1/indicator-definitions/", expect()),
    Case("rounds", "GET", "/api/v1/rounds/", expect()),
    Case("round", "GET", "/api/v1/rounds/KS2026/", expect()),
    Case("province B round", "GET", "/api/v1/rounds/DL2026/", expect(**NOT_PROVINCE_A)),
    # Self-assessments
    Case("responses", "GET", "/api/v1/responses/", expect()),
    Case("response A", "GET", "/api/v1/responses/{response_a}/", expect(**NOT_PROVINCE_B)),
    Case("response B", "GET", "/api/v1/responses/{response_b}/", expect(**NOT_PROVINCE_A)),
    Case(
        "save answers A",
        "PATCH",
        "/api/v1/responses/{response_a}/",
        expect(**NOT_PROVINCE_B, **NO_WRITE),
        body=lambda w: {"revision": w["response_a_revision"], "answers": {w["text_question"]: "Thiếu vốn"}},
    ),
    Case(
        "save answers B",
        "PATCH",
        "/api/v1/responses/{response_b}/",
        expect(**NOT_PROVINCE_A, **NO_WRITE),
        body=lambda w: {"revision": w["response_b_revision"], "answers": {w["text_question"]: "Thiếu vốn"}},
    ),
    Case(
        "submit A",
        "POST",
        "/api/v1/responses/{response_a}/submit/",
        expect(**NOT_PROVINCE_B, **NO_WRITE),
        body=lambda w: {"revision": w["response_a_revision"]},
    ),
    Case(
        "start A (exists)",
        "POST",
        "/api/v1/cooperatives/{coop_a}/responses/",
        expect(**NOT_PROVINCE_B, **NO_WRITE),
        body=lambda w: {"round": "KS2026"},
    ),
    Case(
        "start B (new)",
        "POST",
        "/api/v1/cooperatives/{coop_b2}/responses/",
        expect(201, **NOT_PROVINCE_A, **NO_WRITE),
        body=lambda w: {"round": "KS2026"},
    ),
    # Indicators
    Case("indicators", "GET", "/api/v1/indicators/", expect(**NATIONAL_OR_OFFICER)),
    Case("national indicators", "GET", "/api/v1/indicators/national/", expect(**NATIONAL_OR_OFFICER)),
    Case(
        "province A indicators", "GET", "/api/v1/indicators/provinces/82/", expect(**NATIONAL_OR_OFFICER, officer_b=404)
    ),
    Case(
        "province B indicators",
        "GET",
        "/api/v1/indicators/provinces/66/",
        expect(**NATIONAL_OR_OFFICER, officer_a=404, province_token=404),
    ),
    Case(
        "province A ward indicators",
        "GET",
        "/api/v1/indicators/provinces/82/wards/",
        expect(**NATIONAL_OR_OFFICER, officer_b=404),
    ),
    Case(
        "province B ward indicators",
        "GET",
        "/api/v1/indicators/provinces/66/wards/",
        expect(**NATIONAL_OR_OFFICER, officer_a=404, province_token=404),
    ),
    Case("sector indicators", "GET", "/api/v1/indicators/sectors/NN/", expect(**NATIONAL_OR_OFFICER)),
    Case(
        "series of A",
        "GET",
        "/api/v1/indicators/series/",
        expect(**NATIONAL_OR_OFFICER, officer_b=404),
        query={"metric": "ecommerce_pct", "scope_key": "p:82"},
    ),
    Case(
        "series of B",
        "GET",
        "/api/v1/indicators/series/",
        expect(**NATIONAL_OR_OFFICER, officer_a=404, province_token=404),
        query={"metric": "ecommerce_pct", "scope_key": "p:66"},
    ),
    Case("round timeliness", "GET", "/api/v1/indicators/timeliness/KS2026/", expect(**NATIONAL_OR_OFFICER)),
    Case(
        "province B round timeliness",
        "GET",
        "/api/v1/indicators/timeliness/DL2026/",
        expect(**NATIONAL_OR_OFFICER, officer_a=404, province_token=404),
    ),
    Case("bulk indicators csv", "GET", "/api/v1/bulk/indicators.csv", expect(**NATIONAL_OR_OFFICER)),
    Case("bulk indicators ndjson", "GET", "/api/v1/bulk/indicators.ndjson", expect(**NATIONAL_OR_OFFICER)),
    # Export jobs: national readers and officers, each their own jobs (a made-up id is 404).
    Case("export jobs", "GET", "/api/v1/exports/", expect(**NATIONAL_OR_OFFICER)),
    Case(
        "start an export job",
        "POST",
        "/api/v1/exports/",
        expect(202, **NATIONAL_OR_OFFICER),
        body=lambda world: {"kind": "indicators", "fmt": "sdmx-csv"},
    ),
    Case("export job", "GET", "/api/v1/exports/999999/", expect(404, **NATIONAL_OR_OFFICER)),
    Case("export job file", "GET", "/api/v1/exports/999999/file/", expect(404, **NATIONAL_OR_OFFICER)),
    Case("bulk indicators sdmx-csv", "GET", "/api/v1/bulk/indicators.sdmx.csv", expect(**NATIONAL_OR_OFFICER)),
    # Directive tracking
    Case("agencies", "GET", "/api/v1/directives/agencies/", expect(**NATIONAL_OR_OFFICER)),
    Case("documents", "GET", "/api/v1/directives/documents/", expect(**NATIONAL_OR_OFFICER)),
    Case(
        "document A",
        "GET",
        "/api/v1/directives/documents/{document_a}/",
        expect(**NATIONAL_OR_OFFICER, **NOT_PROVINCE_B),
    ),
    Case(
        "document B",
        "GET",
        "/api/v1/directives/documents/{document_b}/",
        expect(**{**NOT_PROVINCE_A, **NATIONAL_OR_OFFICER}),
    ),
    Case(
        "reporting rule of document A",
        "PATCH",
        "/api/v1/directives/documents/{document_a}/",
        expect(**{**NATIONAL_OR_OFFICER, **NOT_PROVINCE_B, **NO_WRITE, "province_token": 403}),
        body=lambda w: {"report_due_days": 5},
    ),
    Case(
        "reporting rule of document B",
        "PATCH",
        "/api/v1/directives/documents/{document_b}/",
        expect(**{**NOT_PROVINCE_A, **NATIONAL_OR_OFFICER, **NO_WRITE, "province_token": 403}),
        body=lambda w: {"report_due_days": 5},
    ),
    Case("tasks", "GET", "/api/v1/directives/tasks/", expect(**NATIONAL_OR_OFFICER)),
    Case("task A", "GET", "/api/v1/directives/tasks/{task_a}/", expect(**NATIONAL_OR_OFFICER, **NOT_PROVINCE_B)),
    Case("task B", "GET", "/api/v1/directives/tasks/{task_b}/", expect(**{**NOT_PROVINCE_A, **NATIONAL_OR_OFFICER})),
    Case(
        "reports of task A",
        "GET",
        "/api/v1/directives/tasks/{task_a}/reports/",
        expect(**NATIONAL_OR_OFFICER, **NOT_PROVINCE_B),
    ),
    Case(
        "report on task A",
        "POST",
        "/api/v1/directives/tasks/{task_a}/reports/",
        expect(201, **NATIONAL_OR_OFFICER, **NOT_PROVINCE_B, **NO_REPORT),
        body=lambda w: REPORT,
    ),
    Case(
        "report on task B",
        "POST",
        "/api/v1/directives/tasks/{task_b}/reports/",
        expect(201, **{**NOT_PROVINCE_A, **NATIONAL_OR_OFFICER}, **NO_REPORT),
        body=lambda w: REPORT,
    ),
    Case(
        "report on a national task",
        "POST",
        "/api/v1/directives/tasks/{national_task}/reports/",
        # Officers see national tasks but report only on their province's: another's task is 404.
        expect(201, **NATIONAL_OR_OFFICER, **NO_REPORT, officer_a=404, officer_b=404, province_token=404),
        body=lambda w: REPORT,
    ),
    Case(
        "report on a task of a ministry merged into the agency's",
        "POST",
        "/api/v1/directives/tasks/{ministry_task}/reports/",
        # The ministry's officer reports on its predecessor's task; the Alliance finds nothing.
        expect(
            201,
            **{
                **NATIONAL_OR_OFFICER,
                **NO_REPORT,
                "officer_a": 404,
                "officer_b": 404,
                "province_token": 404,
                "agency_officer": 201,
            },
        ),
        body=lambda w: REPORT,
    ),
    # Documentation (public) and unknown addresses
    Case("schema", "GET", "/api/v1/schema/", expect(anonymous=200)),
    Case("docs", "GET", "/api/v1/docs/", expect(anonymous=200)),
    Case("unknown", "GET", "/api/v1/nothing-here/", expect(404, anonymous=404)),
    # Methods an endpoint does not have
    Case("no delete", "DELETE", "/api/v1/cooperatives/{coop_a}/", expect(405, member_a=405)),
]


@pytest.fixture
def world(coop_a, coop_b, response_a, response_b, figures, questionnaire, province_b, directive_tasks):
    from surveys.models import Question, SurveyRound

    SurveyRound.objects.create(
        code="DL2026",
        name_vi="Khảo sát Đắk Lắk 2026",
        questionnaire=questionnaire,
        province=province_b,
        opens_on=response_a.round.opens_on,
        closes_on=response_a.round.closes_on,
    )
    return {
        "coop_a": coop_a.pk,
        "coop_b": coop_b.pk,
        "coop_b2": CooperativeFactory(province=province_b, code="6600000002").pk,
        "response_a": response_a.pk,
        "response_b": response_b.pk,
        "response_a_revision": response_a.revision,
        "response_b_revision": response_b.revision,
        "questionnaire": questionnaire.pk,
        **{name: obj.pk for name, obj in directive_tasks.items()},
        "text_question": Question.objects.filter(questionnaire=questionnaire, kind="text").values_list(
            "code", flat=True
        )[0],
    }


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_permission_matrix(case: Case, world, as_caller, member_a, officer_a, officer_b):
    """Each caller in turn, each inside a savepoint rolled back afterwards (writes do not leak)."""
    mismatches = []
    for caller in CALLERS:
        with transaction.atomic():
            client = as_caller(caller)
            path = case.path.format(**world)
            kwargs: dict[str, Any] = {}
            if case.body:
                kwargs = {"data": case.body(world), "format": "json"}
            if case.query:
                kwargs = {"data": case.query}
            response = getattr(client, case.method.lower())(path, **kwargs)
            expected = case.statuses[caller]
            if response.status_code != expected:
                mismatches.append((caller, expected, response.status_code, _body(response)))
            elif expected >= 400 and response.status_code != 405:
                assert set(response.json()["error"]) == {"code", "message", "fields"}
            transaction.set_rollback(True)
    assert mismatches == []


def _body(response: Any) -> Any:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)[:300]
    return response.content[:300]


def test_matrix_covers_every_operation_of_the_schema():
    """A new endpoint cannot ship without its row in the matrix."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    operations = {
        (method.upper(), path) for path, item in schema["paths"].items() for method in item if method != "parameters"
    }
    covered = set()
    for case in CASES:
        template = case.path
        for path_template in {path for _method, path in operations}:
            pattern = path_template.replace("{id}", "{x}").replace("{code}", "{x}")
            if _matches(pattern, template):
                covered.add((case.method, path_template))
    assert operations - covered == set()


def _matches(pattern: str, path: str) -> bool:
    import re

    regex = "^" + re.escape(pattern).replace(re.escape("{x}"), "[^/]+") + "$"
    return re.match(regex, path) is not None
