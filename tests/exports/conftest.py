import pytest

from surveys.services import response_save_answers, response_start, response_submit


def submitted(*, survey_round, cooperative, by, answers):
    response = response_start(survey_round=survey_round, cooperative=cooperative, by=by)
    return response_submit(response=response_save_answers(response=response, answers=answers, by=by), by=by)


@pytest.fixture
def answered(db, open_round, coop_a, coop_b, officer_a, officer_b, best_answers, worst_answers, settings, tmp_path):
    """One submitted response in province A (best answers) and one in province B (worst)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return {
        "a": submitted(survey_round=open_round, cooperative=coop_a, by=officer_a, answers=best_answers),
        "b": submitted(survey_round=open_round, cooperative=coop_b, by=officer_b, answers=worst_answers),
    }
