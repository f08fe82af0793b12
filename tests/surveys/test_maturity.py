"""The registry's maturity level follows the latest counted self-assessment, and the change is
visible to API readers (``updated_at`` moves, so ``updated_since`` pulls and ETags see it)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from cooperatives.models import Cooperative
from surveys.services import (
    cooperatives_refresh_maturity,
    response_review,
    response_save_answers,
    response_start,
    response_submit,
)
from tests.api.conftest import issue

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(open_round, coop_a, national_admin, best_answers):
    response = response_start(survey_round=open_round, cooperative=coop_a, by=national_admin)
    response = response_save_answers(response=response, answers=best_answers, by=national_admin)
    long_ago = timezone.now() - datetime.timedelta(days=30)
    Cooperative.objects.filter(pk=coop_a.pk).update(updated_at=long_ago)
    return response_submit(response=response, by=national_admin)


def test_an_accepted_response_sets_the_level_and_the_change_time(submitted, coop_a, officer_a, settings):
    settings.SURVEYS_COUNT_SUBMITTED = False
    before = Cooperative.objects.get(pk=coop_a.pk)
    assert before.maturity_level is None
    response_review(response=submitted, by=officer_a, accept=True)
    after = Cooperative.objects.get(pk=coop_a.pk)
    assert after.maturity_level == submitted.level == 5
    assert after.updated_at > before.updated_at


def test_an_api_pull_of_recent_changes_sees_the_new_level(submitted, coop_a, officer_a, national_admin, client):
    since = timezone.now() - datetime.timedelta(minutes=5)
    response_review(response=submitted, by=officer_a, accept=True)
    token = issue(national_admin)
    rows = client.get(
        "/api/v1/cooperatives/",
        {"updated_since": since.isoformat()},
        HTTP_AUTHORIZATION=f"Bearer {token.secret}",
    ).json()["results"]
    assert [(row["code"], row["maturity_level"]) for row in rows] == [(coop_a.code, 5)]


def test_where_submitted_responses_count_submit_sets_the_level_and_return_clears_it(
    open_round, coop_a, national_admin, officer_a, best_answers, settings
):
    settings.SURVEYS_COUNT_SUBMITTED = True
    response = response_start(survey_round=open_round, cooperative=coop_a, by=national_admin)
    response = response_save_answers(response=response, answers=best_answers, by=national_admin)
    response = response_submit(response=response, by=national_admin)
    assert Cooperative.objects.get(pk=coop_a.pk).maturity_level == 5
    response_review(response=response, by=officer_a, accept=False, comment="Thiếu số liệu doanh thu")
    assert Cooperative.objects.get(pk=coop_a.pk).maturity_level is None


def test_an_unchanged_level_writes_nothing(submitted, coop_a, officer_a, coop_b):
    response_review(response=submitted, by=officer_a, accept=True)
    stamped = Cooperative.objects.get(pk=coop_a.pk).updated_at
    untouched = Cooperative.objects.get(pk=coop_b.pk).updated_at
    assert cooperatives_refresh_maturity(cooperative_ids=[coop_a.pk, coop_b.pk]) == 0
    assert Cooperative.objects.get(pk=coop_a.pk).updated_at == stamped
    assert Cooperative.objects.get(pk=coop_b.pk).updated_at == untouched


def test_the_level_is_written_through_the_registry_and_kept_in_its_history(submitted, coop_a, officer_a, settings):
    settings.SURVEYS_COUNT_SUBMITTED = False
    versions = coop_a.history.count()
    response_review(response=submitted, by=officer_a, accept=True)
    latest = coop_a.history.order_by("-history_date", "-history_id").first()
    assert coop_a.history.count() == versions + 1
    assert (latest.maturity_level, latest.history_user, latest.history_type) == (5, officer_a, "~")
    assert latest.prev_record.maturity_level is None


def test_a_paper_import_writes_the_level_with_the_importer_in_the_history(
    login, open_round, coop_a, officer_a, best_answers, settings
):
    from tests.surveys.test_response_import import cells, run, template_headers, workbook

    settings.SURVEYS_COUNT_SUBMITTED = True
    headers = template_headers(login(officer_a), open_round)
    plan, result = run(
        workbook(headers, [cells(headers, coop_a.code, best_answers)]), open_round, scope=coop_a.province, by=officer_a
    )
    assert plan.ok, plan.errors
    latest = coop_a.history.order_by("-history_date", "-history_id").first()
    assert (latest.maturity_level, latest.history_user) == (5, officer_a)
