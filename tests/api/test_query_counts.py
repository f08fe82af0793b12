"""List endpoints cost the same number of queries for 5 rows as for 50 (no N+1)."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from cooperatives.models import Cooperative, EcommerceListing, OcopProduct, Sector
from surveys.models import Response, SurveyRound
from tests.api.conftest import make_snapshot
from tests.factories import province

pytestmark = pytest.mark.django_db


def cooperatives(n: int) -> list[Cooperative]:
    sector = Sector.objects.get(code="NN")
    prefix = Cooperative.objects.count()
    created = Cooperative.objects.bulk_create(
        Cooperative(
            code=f"{8230000000 + prefix + i}",
            name=f"HTX {prefix}-{i}",
            search_text=f"htx {prefix}-{i}",
            province=province("82"),
            ward=province("82").wards.first(),
            sector=sector,
        )
        for i in range(n)
    )
    for cooperative in created:
        OcopProduct.objects.create(cooperative=cooperative, name="Xoài", stars=4, year_certified=2024)
        EcommerceListing.objects.create(
            cooperative=cooperative, platform="shopee", url=f"https://s.vn/{cooperative.code}"
        )
    return created


def responses(n: int, survey_round: SurveyRound) -> None:
    Response.objects.bulk_create(Response(round=survey_round, cooperative=c) for c in cooperatives(n))


def figures(n: int, survey_round: SurveyRound) -> None:
    metrics = [f"m{i}_pct" for i in range(max(1, n // 6))]
    day = datetime.date(2026, 4, 1) + datetime.timedelta(days=n)  # the larger set is the latest
    make_snapshot(survey_round, day, metrics=metrics)


def tasks(n: int, survey_round: SurveyRound) -> None:
    from directives.models import Agency
    from tests.directives.conftest import DocumentFactory, TaskFactory, report

    committee = Agency.objects.get(code="UBND-82")
    document = DocumentFactory(issuing_agency=committee)
    admin = User.objects.filter(role="national_admin").first()
    for _ in range(n):
        task = TaskFactory(document=document, lead_agency=committee)
        report(task, by=admin)


def documents(n: int, survey_round: SurveyRound) -> None:
    from directives.models import Agency
    from tests.directives.conftest import DocumentFactory

    committee = Agency.objects.get(code="UBND-82")
    for _ in range(n):
        DocumentFactory(issuing_agency=committee)


LISTS: list[tuple[str, Callable[..., None], str]] = [
    ("/api/v1/cooperatives/", lambda n, r: cooperatives(n), "officer_a"),
    ("/api/v1/bulk/cooperatives.csv", lambda n, r: cooperatives(n), "ministry_token"),
    ("/api/v1/bulk/cooperatives.ndjson", lambda n, r: cooperatives(n), "officer_a"),
    ("/api/v1/responses/", responses, "officer_a"),
    ("/api/v1/responses/", responses, "province_token"),
    ("/api/v1/indicators/", figures, "ministry_token"),
    ("/api/v1/indicators/sectors/NN/", figures, "ministry_analyst"),
    ("/api/v1/indicators/series/?metric=m0_pct&scope_key=nation", figures, "officer_a"),
    ("/api/v1/bulk/indicators.ndjson", figures, "officer_a"),
    ("/api/v1/indicators/timeliness/KS2026/", responses, "ministry_token"),
    ("/api/v1/indicators/timeliness/KS2026/", responses, "province_token"),
    ("/api/v1/directives/tasks/", tasks, "officer_a"),
    ("/api/v1/directives/tasks/", tasks, "ministry_token"),
    ("/api/v1/directives/documents/", documents, "province_token"),
]


def _count(client, path: str, warm_up: bool = False) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, {"page_size": 500} if "?" not in path else None)
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
    assert warm_up or response.status_code == 200, response.content
    return len(queries)


@pytest.mark.parametrize(("path", "make", "caller"), LISTS, ids=[f"{p} as {c}" for p, _m, c in LISTS])
def test_list_queries_do_not_grow_with_the_rows(
    path, make, caller, as_caller, open_round, national_admin, django_assert_max_num_queries
):
    client = as_caller(caller)
    _count(client, path, warm_up=True)  # session, the token's last use, content types
    make(5, open_round)
    few = _count(client, path)
    make(45, open_round)
    with django_assert_max_num_queries(few):
        _count(client, path)
    assert few <= 8


def test_a_cooperative_detail_is_a_constant_handful_of_queries(as_caller, django_assert_max_num_queries):
    cooperative = cooperatives(1)[0]
    client = as_caller("officer_a")
    client.get(f"/api/v1/cooperatives/{cooperative.pk}/")
    with django_assert_max_num_queries(6):
        assert client.get(f"/api/v1/cooperatives/{cooperative.pk}/").status_code == 200


def test_a_questionnaire_is_read_in_a_constant_number_of_queries(
    as_caller, questionnaire, django_assert_max_num_queries
):
    client = as_caller("member_a")
    client.get(f"/api/v1/questionnaires/{questionnaire.pk}/")
    with django_assert_max_num_queries(7):
        assert client.get(f"/api/v1/questionnaires/{questionnaire.pk}/").status_code == 200
