"""Data-check flags raised by a submission through the API, as by the browser and the paper
import (tests/surveys/test_flags.py): the same service, so the same flags."""

import pytest

from surveys.models import FlagKind
from tests.api.test_consistency_api import draft
from tests.factories import CooperativeFactory, complete_answers
from tests.surveys import test_flags
from tests.surveys.test_flags import open_flags, submit

pytestmark = pytest.mark.django_db

earlier_round = test_flags.earlier_round  # the fixture


def test_a_submission_through_the_api_raises_the_level_and_pillar_flags(
    as_caller,
    questionnaire,
    earlier_round,
    open_round,
    national_admin,
    province_a,
):
    cooperative = CooperativeFactory(province=province_a, code="8200000121")
    submit(questionnaire, earlier_round, cooperative, national_admin, "worst", accept=True)  # level 0 before
    api = as_caller("officer_a")
    pk, revision = draft(api, cooperative, open_round, complete_answers(questionnaire, "best"))
    sent = api.post(f"/api/v1/responses/{pk}/submit/", {"revision": revision}, format="json")
    assert sent.status_code == 200 and sent.json()["level"] == 5
    flags = open_flags(pk)
    assert set(flags) == {FlagKind.LEVEL_JUMP, FlagKind.PILLAR_JUMP}
    assert flags[FlagKind.LEVEL_JUMP] == {"previous_level": 0, "level": 5, "previous_round": "Khảo sát 2025"}


def test_an_ordinary_submission_through_the_api_raises_no_flag(
    as_caller,
    questionnaire,
    earlier_round,
    open_round,
    national_admin,
    province_a,
):
    cooperative = CooperativeFactory(province=province_a, code="8200000122")
    submit(questionnaire, earlier_round, cooperative, national_admin, "worst", accept=True)
    api = as_caller("officer_a")
    pk, revision = draft(api, cooperative, open_round, complete_answers(questionnaire, "worst"))
    assert api.post(f"/api/v1/responses/{pk}/submit/", {"revision": revision}, format="json").status_code == 200
    assert open_flags(pk) == {}
