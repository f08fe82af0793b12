"""Fixtures of the API tests: callers (people and tokens), objects in two provinces, figures."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.api.services import api_token_issue
from accounts.models import ApiScope, Role
from cooperatives.models import Sector, Ward
from indicators.models import AggregationRun, IndicatorSnapshot, RunStatus, Scope
from surveys.services import response_save_answers, response_start
from tests.factories import province

READ_SCOPES = [ApiScope.INDICATORS_READ, ApiScope.REGISTRY_READ, ApiScope.RESPONSES_READ]
ALL_SCOPES = list(ApiScope.values)
CALLERS = (
    "anonymous",
    "member_a",
    "officer_a",
    "officer_b",
    "ministry_analyst",
    "national_admin",
    "agency_officer",
    "alliance_officer",
    "ministry_token",
    "province_token",
)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def issue(by, *, role=Role.MINISTRY_ANALYST, province_code=None, scopes=READ_SCOPES, days=30, organisation="Bộ"):
    return api_token_issue(
        by=by,
        organisation=organisation,
        role=role,
        province=province(province_code) if province_code else None,
        scopes=scopes,
        expires_at=timezone.now() + datetime.timedelta(days=days),
    )


@pytest.fixture
def ministry_token(national_admin):
    """A ministry's national read-only token."""
    return issue(national_admin, organisation="Bộ Nông nghiệp và Môi trường")


@pytest.fixture
def province_token(national_admin, province_a):
    """A provincial system of Đồng Tháp (82) with every scope."""
    return issue(
        national_admin,
        role=Role.PROVINCIAL_OFFICER,
        province_code="82",
        scopes=ALL_SCOPES,
        organisation="Sở Nông nghiệp Đồng Tháp",
    )


@pytest.fixture
def as_caller(request):
    """A DRF test client acting as the named caller (a session user, a token or nobody)."""

    def _as(name: str) -> APIClient:
        client = APIClient()
        if name == "anonymous":
            return client
        if name.endswith("_token"):
            issued = request.getfixturevalue(name)
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {issued.secret}")
            return client
        client.force_authenticate(user=None)
        client.force_login(request.getfixturevalue(name))
        return client

    return _as


@pytest.fixture
def response_a(open_round, coop_a, national_admin, best_answers):
    """Coop A's complete draft in the open round (submittable)."""
    response = response_start(survey_round=open_round, cooperative=coop_a, by=national_admin)
    return response_save_answers(response=response, answers=best_answers, by=national_admin)


@pytest.fixture
def response_b(open_round, coop_b, national_admin):
    return response_start(survey_round=open_round, cooperative=coop_b, by=national_admin)


# Key, scope, province, sector, ward: a ward's key ends in the province's first ward code.
SCOPE_ROWS = (
    ("nation", Scope.NATION, None, None, False),
    ("p:82", Scope.PROVINCE, "82", None, False),
    ("p:66", Scope.PROVINCE, "66", None, False),
    ("s:NN", Scope.SECTOR, None, "NN", False),
    ("p:82|s:NN", Scope.PROVINCE_SECTOR, "82", "NN", False),
    ("p:66|s:NN", Scope.PROVINCE_SECTOR, "66", "NN", False),
    ("p:82|w:", Scope.WARD, "82", None, True),
    ("p:66|w:", Scope.WARD, "66", None, True),
)


def first_ward(code: str) -> Ward:
    return Ward.objects.filter(province__code=code).order_by("code").first()


def make_snapshot(survey_round, day: datetime.date, value: Decimal = Decimal("40"), metrics=("ecommerce_pct",)):
    """One day's figures in every kind of scope, as the nightly aggregation writes them."""
    as_of = timezone.make_aware(datetime.datetime.combine(day, datetime.time(2, 0)))
    run = AggregationRun.objects.create(status=RunStatus.SUCCEEDED, trigger="test", finished_at=as_of)
    nn = Sector.objects.get(code="NN")
    IndicatorSnapshot.objects.bulk_create(
        IndicatorSnapshot(
            run=run,
            snapshot_date=day,
            as_of=as_of,
            round=survey_round,
            scope=scope,
            province=province(code) if code else None,
            sector=nn if sector else None,
            ward=first_ward(code) if ward else None,
            scope_key=key + first_ward(code).code if ward else key,
            metric=metric,
            value=value,
            numerator=int(value),
            denominator=100,
        )
        for key, scope, code, sector, ward in SCOPE_ROWS
        for metric in metrics
    )
    return run


@pytest.fixture
def figures(open_round):
    """Two snapshots: 1 March (40 %) and 1 April 2026 (55 %)."""
    make_snapshot(open_round, datetime.date(2026, 3, 1), Decimal("40"), metrics=("ecommerce_pct", "dx_plan_pct"))
    make_snapshot(open_round, datetime.date(2026, 4, 1), Decimal("55"), metrics=("ecommerce_pct", "dx_plan_pct"))


@pytest.fixture
def directive_tasks(db):
    """A task of Đồng Tháp's committee, one of Đắk Lắk's, a national task of a ministry, and one of
    a ministry dissolved into the agency officer's (Bộ NN&PTNT → Bộ NN&MT)."""
    from directives.models import Agency
    from tests.directives.conftest import AgencyFactory, DocumentFactory, TaskFactory

    committee_a, committee_b = Agency.objects.get(code="UBND-82"), Agency.objects.get(code="UBND-66")
    document_a = DocumentFactory(number="100/KH-UBND", issuing_agency=committee_a, title="Kế hoạch Đồng Tháp")
    document_b = DocumentFactory(number="200/KH-UBND", issuing_agency=committee_b, title="Kế hoạch Đắk Lắk")
    return {
        "document_a": document_a,
        "document_b": document_b,
        "task_a": TaskFactory(document=document_a, lead_agency=committee_a, content="Nhiệm vụ của Đồng Tháp"),
        "task_b": TaskFactory(document=document_b, lead_agency=committee_b, content="Nhiệm vụ của Đắk Lắk"),
        "national_task": TaskFactory(
            document=DocumentFactory(), lead_agency=AgencyFactory(), content="Nhiệm vụ của Bộ"
        ),
        "ministry_task": TaskFactory(
            document=DocumentFactory(), lead_agency=Agency.objects.get(code="BNNPTNT"), content="Nhiệm vụ của Bộ NN"
        ),
    }
