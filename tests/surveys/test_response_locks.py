"""Saving, submitting or reviewing a response locks that response only.

Two cooperatives of the same round answer at the same time, and an officer edits a
cooperative's registry entry while its response is being saved: none of them waits for
another. (The writes once locked the round's and the cooperative's rows too, so that every
save of a round, nationally, queued behind the one before it.) Two real connections on
PostgreSQL; SQLite lets one writer at a time.
"""

import threading

import pytest
from django.db import connection, transaction

from cooperatives.models import Cooperative
from surveys.services import response_review, response_save_answers, response_start, response_submit
from tests.conftest import ensure_reference_data
from tests.factories import CooperativeFactory, complete_answers

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("two writers at once are PostgreSQL's: the PostgreSQL pass of the suite runs this test")
    ensure_reference_data()


def in_another_connection(work) -> list[BaseException]:
    """Run ``work`` in another connection that gives up after 3 s waiting for a lock."""
    errors: list[BaseException] = []

    def run() -> None:
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '3s'")
                work()
        except BaseException as error:  # noqa: BLE001 - reported to the test
            errors.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(30)
    assert not thread.is_alive()
    return errors


def test_writes_of_two_responses_of_a_round_and_a_registry_edit_do_not_wait_for_each_other(
    postgresql, questionnaire, open_round, province_a, national_admin, officer_a
):
    values = complete_answers(questionnaire, "best")
    first, second, third = (
        response_start(survey_round=open_round, cooperative=CooperativeFactory(province=province_a), by=national_admin)
        for _ in range(3)
    )
    third = response_submit(
        response=response_save_answers(response=third, answers=values, by=national_admin),
        by=national_admin,
        confirm_warnings=True,
    )

    with transaction.atomic():
        # The first response's save holds its locks until this block ends.
        response_save_answers(response=first, answers=values, by=national_admin)
        errors = in_another_connection(
            lambda: response_submit(
                response=response_save_answers(response=second, answers=values, by=national_admin),
                by=national_admin,
                confirm_warnings=True,
            )
        )
        errors += in_another_connection(lambda: response_review(response=third, by=officer_a, accept=True))
        errors += in_another_connection(
            lambda: Cooperative.objects.filter(pk=first.cooperative_id).update(phone="0909123456")
        )

    assert errors == []
    second.refresh_from_db()
    third.refresh_from_db()
    assert (second.status, third.status) == ("submitted", "accepted")
    assert Cooperative.objects.get(pk=first.cooperative_id).phone == "0909123456"
