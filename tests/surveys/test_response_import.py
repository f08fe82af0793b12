"""Paper surveys in bulk: the round's template, filled and imported, all or nothing."""

import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from imports.files import ImportFileError
from imports.jobs import import_bytes
from surveys.models import Response, ResponseStatus
from surveys.services import response_save_answers, response_start, response_submit
from tests.factories import CooperativeFactory

pytestmark = pytest.mark.django_db


def template_headers(client, survey_round):
    response = client.get(f"/surveys/rounds/{survey_round.code}/template.xlsx")
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [cell.value for cell in workbook["Phiếu"][1]]


def workbook(headers, rows):
    book = openpyxl.Workbook()
    book.active.append(headers)
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def cells(headers, cooperative_code, answers):
    row = [cooperative_code]
    for code in headers[1:]:
        value = answers.get(code)
        row.append(";".join(value) if isinstance(value, list) else value)
    return row


def run(content, survey_round, scope=None, by=None, dry_run=False):
    return import_bytes(
        kind="responses",
        filename="phieu.xlsx",
        content=content,
        scope_province=scope,
        by=by,
        dry_run=dry_run,
        options={"round": survey_round.code},
    )


def test_template_round_trip_scores_like_the_browser(
    login, officer_a, national_admin, coop_a, open_round, province_a, best_answers, worst_answers
):
    headers = template_headers(login(officer_a), open_round)
    assert headers[0] == "Mã số HTX"
    assert {"DX_NEED", "DX_PLAN", "ONLINE_CHANNELS", "TRACEABILITY", "ACCOUNTING"} <= set(headers)
    other = CooperativeFactory(province=province_a, code="8200000555")
    content = workbook(headers, [cells(headers, coop_a.code, best_answers), cells(headers, other.code, worst_answers)])
    plan, result = run(content, open_round, scope=province_a, by=officer_a)
    assert plan.ok, plan.errors
    assert result == {"created": 2, "updated": 0, "unchanged": 0}
    imported = Response.objects.get(cooperative=coop_a)
    assert (imported.status, imported.is_proxy, imported.entered_by) == (ResponseStatus.SUBMITTED, True, officer_a)
    # The same answers through the browser's services give the same score.
    browser_coop = CooperativeFactory(province=province_a, code="8200000556")
    browser = response_start(survey_round=open_round, cooperative=browser_coop, by=national_admin)
    response_save_answers(response=browser, answers=best_answers, by=national_admin)
    browser = response_submit(response=browser, by=national_admin)
    assert (imported.score, imported.level) == (browser.score, browser.level) == (100, 5)
    assert Response.objects.get(cooperative=other).level == 0
    # Re-importing upserts per (cooperative, round).
    plan, result = run(content, open_round, scope=province_a, by=officer_a)
    assert result == {"created": 0, "updated": 2, "unchanged": 0}
    assert Response.objects.filter(round=open_round).count() == 3
    assert imported.answers.count() == Response.objects.get(cooperative=coop_a).answers.count()


@pytest.mark.parametrize(
    ("change", "column"),
    [
        ({"DX_NEED": "maybe"}, "DX_NEED"),
        ({"DX_NEED": "yes;no"}, "DX_NEED"),
        ({"ONLINE_CHANNELS": "none;website"}, "ONLINE_CHANNELS"),
        ({"COMPUTERS": "nhiều"}, "COMPUTERS"),
        ({"DX_PLAN": None}, "DX_PLAN"),
    ],
)
def test_bad_cells_name_their_row_and_column_and_nothing_is_written(coop_a, open_round, best_answers, change, column):
    answers = {**best_answers, **change}
    headers = ["Mã số HTX", *best_answers]
    plan, result = run(
        workbook(
            headers,
            [
                cells(headers, coop_a.code, best_answers),
                cells(headers, coop_a.code[:-1] + "9", best_answers),
                cells(headers, coop_a.code, answers),
            ],
        ),
        open_round,
    )
    assert result is None
    assert Response.objects.count() == 0
    assert any(e.row == 4 and column in e.column for e in plan.errors), plan.errors


def test_cooperative_not_in_registry_or_in_another_province(coop_a, coop_b, open_round, province_a, best_answers):
    headers = ["Mã số HTX", *best_answers]
    content = workbook(headers, [cells(headers, "9999999999", best_answers), cells(headers, coop_b.code, best_answers)])
    plan, result = run(content, open_round, scope=province_a)
    assert result is None
    assert [e.row for e in plan.errors] == [2, 3]
    # Another province's cooperative gets the same words as a missing one: nothing is revealed.
    assert plan.errors[0].message.replace("9999999999", "X") == plan.errors[1].message.replace(coop_b.code, "X")
    assert Response.objects.count() == 0


def test_unknown_question_column_is_refused(coop_a, open_round, best_answers):
    headers = ["Mã số HTX", *best_answers, "NOT_A_QUESTION"]
    plan, result = run(workbook(headers, [cells(headers, coop_a.code, best_answers) + ["x"]]), open_round)
    assert result is None
    assert plan.errors[0].column == "NOT_A_QUESTION"


def test_command_requires_the_round_and_exits_non_zero_on_bad_rows(tmp_path, coop_a, open_round, best_answers):
    headers = ["Mã số HTX", *best_answers]
    path = tmp_path / "phieu.xlsx"
    path.write_bytes(workbook(headers, [cells(headers, coop_a.code, {**best_answers, "DX_NEED": "maybe"})]))
    with pytest.raises(CommandError):
        call_command("import_responses", str(path), "--round", open_round.code)
    assert Response.objects.count() == 0
    path.write_bytes(workbook(headers, [cells(headers, coop_a.code, best_answers)]))
    call_command("import_responses", str(path), "--round", open_round.code)
    assert Response.objects.get().level == 5


def test_unknown_round_is_refused_before_reading_rows(coop_a, best_answers):
    from surveys.models import SurveyRound

    headers = ["Mã số HTX", *best_answers]
    plan, result = import_bytes(
        kind="responses",
        filename="p.xlsx",
        content=workbook(headers, [[coop_a.code]]),
        scope_province=None,
        by=None,
        dry_run=False,
        options={"round": "NOPE"},
    )
    assert result is None and not plan.ok
    assert not SurveyRound.objects.filter(code="NOPE").exists()


def test_hostile_file_is_refused_as_for_the_registry(open_round):
    with pytest.raises(ImportFileError):
        run(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, open_round)


def test_only_a_national_admin_imports_into_a_closed_round(officer_a, national_admin, previous_round):
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext

    from surveys.importing import ResponseImporter

    importer = ResponseImporter()
    with pytest.raises(ValidationError) as refused:
        importer.check_options(options={"round": previous_round.code}, by=officer_a)
    assert refused.value.messages == [gettext("This survey round is closed.")]
    importer.check_options(options={"round": previous_round.code}, by=national_admin)
    importer.check_options(options={"round": previous_round.code}, by=None)  # the command line


def test_each_import_kind_asks_its_own_rule_before_anything_is_stored(officer_a, open_round):
    """Uploading paper self-assessments is decided by ``surveys.import_responses``, a registry
    file by ``cooperatives.import_cooperatives``: withdrawing one rule refuses that kind only."""
    import rules
    from django.core.exceptions import PermissionDenied
    from django.core.files.uploadedfile import SimpleUploadedFile

    from imports.jobs import import_job_create
    from imports.models import ImportJob
    from tests.sheets import row, xlsx_bytes

    def upload():
        return SimpleUploadedFile("phieu.xlsx", xlsx_bytes([row()]))

    original = rules.permissions.permissions["surveys.import_responses"]
    rules.set_perm("surveys.import_responses", rules.always_deny)
    try:
        with pytest.raises(PermissionDenied):
            import_job_create(
                uploaded_file=upload(), by=officer_a, kind="responses", options={"round": open_round.code}
            )
        assert not ImportJob.objects.exists()
        assert import_job_create(uploaded_file=upload(), by=officer_a, kind="registry").kind == "registry"
    finally:
        rules.set_perm("surveys.import_responses", original)
    job = import_job_create(uploaded_file=upload(), by=officer_a, kind="responses", options={"round": open_round.code})
    assert job.kind == "responses"
