"""Fixtures of the registry's tests: a cooperative registered twice, with rows on both."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import Role
from cooperatives.models import EcommerceListing, OcopProduct
from surveys.models import FlagKind, ResponseFlag, SurveyRound
from surveys.services import cooperatives_refresh_maturity
from tests.factories import CooperativeFactory, UserFactory
from tests.surveys.test_flags import submit


@pytest.fixture
def earlier_round(questionnaire):
    today = timezone.localdate()
    return SurveyRound.objects.create(
        code="KS2025",
        name_vi="Khảo sát 2025",
        questionnaire=questionnaire,
        opens_on=today - datetime.timedelta(days=40),
        closes_on=today + datetime.timedelta(days=30),
    )


@pytest.fixture
def pair(questionnaire, earlier_round, open_round, national_admin, province_a):
    """A (kept) answered last round at level 0; B (its copy) answered this round at level 5,
    with a flag, two OCOP products, a listing and a member's account."""
    keep = CooperativeFactory(province=province_a, code="8200000201", name="HTX Tân Dương", phone="0277 100 201")
    copy = CooperativeFactory(province=province_a, code="8200000202", name="HTX Tân Dương", phone="0277100201")
    submit(questionnaire, earlier_round, keep, national_admin, "worst", accept=True)
    answered = submit(questionnaire, open_round, copy, national_admin, "best", accept=True)
    cooperatives_refresh_maturity(cooperative_ids=[keep.pk, copy.pk], by=national_admin)
    ResponseFlag.objects.create(
        response=answered, kind=FlagKind.LEVEL_JUMP, detail={"level": 5}, raised_at=timezone.now()
    )
    OcopProduct.objects.create(cooperative=keep, name="Gạo sạch", stars=3, year_certified=2022)
    OcopProduct.objects.create(cooperative=copy, name="Bưởi da xanh", stars=4, year_certified=2023)
    OcopProduct.objects.create(cooperative=copy, name="Mật ong", stars=3, year_certified=2024)
    EcommerceListing.objects.create(cooperative=keep, platform="shopee", url="https://shopee.vn/tan-duong")
    EcommerceListing.objects.create(cooperative=copy, platform="tiki", url="https://tiki.vn/tan-duong")
    UserFactory(username="member_copy", role=Role.COOPERATIVE_MEMBER, cooperative=copy)
    keep.refresh_from_db()
    copy.refresh_from_db()
    return keep, copy
