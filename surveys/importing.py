"""Paper self-assessments in bulk: an all-or-nothing import of a round's filled-in template.

The template has ``Mã số HTX`` and one column per question code. A cell holds an option
code (several joined by ``;`` for multiple choice), a number or a text. Rows are checked
with the same rules as the browser (``answers.parse_answer``) and scored with the same
function, then written in batches: a few queries per thousand rows, none per row.

Longer than 300 lines on purpose: the reader and the bulk write of one kind of file, read top
to bottom; the blank template is in ``exports``.
"""

from __future__ import annotations

import copy
import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperatives.models import Cooperative
from cooperatives.resources import header_key
from imports.cells import parse_code
from imports.files import Cell, Sheet
from imports.kinds import MAX_STORED_ERRORS, RowError

from .addons import addon_bulk_replace, addon_questions
from .answers import AskedQuestion, parse_answer
from .consistency import answers_check, confirmed_codes, questionnaire_rules
from .flags import flags_raise
from .lifecycle import change_refusal, mark_entered, mark_started, mark_submitted
from .models import AddOnQuestion, Answer, PillarScore, Question, Response, ScoringScheme, SurveyRound
from .questionnaires import questionnaire_spec
from .scoring import AnswerValue, ScoreResult, hidden_codes, score_response
from .services import cooperatives_refresh_maturity
from .skip_logic import constraint_errors, has_logic

if TYPE_CHECKING:
    from accounts.models import User

CODE_HEADER = "Mã số HTX"
NAME_HEADER = "Tên HTX"
ANSWER_SHEET = "Phiếu"  # the paper form's answer sheet (surveys.paper_form), after its instructions
BATCH = 2000
# What a re-imported response's row changes (the rest stays as it was).
UPDATED_FIELDS = [
    "status",
    "score",
    "level",
    "scoring_scheme",
    "entered_by",
    "is_proxy",
    "submitted_at",
    "submitted_by",
    "revision",
    "answers_signature",
    "confirmed_warnings",
    "updated_at",
]


@dataclass
class ResponseRow:
    row: int
    cooperative_id: int
    values: dict[str, AnswerValue]
    result: ScoreResult
    existing: Response | None = None
    # The answers to a provincial round's add-on questions: stored apart, never scored.
    addon_values: dict[str, AnswerValue] = field(default_factory=dict)
    # Consistency warnings the row's answers raise: confirming the import confirms them, as the
    # cooperative's signature on the paper form does.
    confirmed_warnings: list[str] = field(default_factory=list)


# The kind of import this module registers (surveys.apps).
RESPONSES = "responses"


@dataclass
class ResponsePlan:
    survey_round: SurveyRound | None = None
    total_rows: int = 0
    rows: list[ResponseRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)
    blank_rows: int = 0  # rows with a code and no answer: left as they were

    @property
    def ok(self) -> bool:
        return not self.errors and self.survey_round is not None

    def summary(self) -> dict[str, Any]:
        return {
            "total_rows": self.total_rows,
            "new": sum(1 for r in self.rows if r.existing is None),
            "changed": sum(1 for r in self.rows if r.existing is not None),
            "unchanged": self.blank_rows,
            "error_rows": len({e.row for e in self.errors}),
            "errors_total": len(self.errors),
            "warning_rows": len({w.row for w in self.warnings}),
            "warnings": [w.as_dict() for w in self.warnings[:MAX_STORED_ERRORS]],
            "warnings_total": len(self.warnings),
            "unknown_columns": [],
            "legacy_province_rows": 0,
            "round": self.survey_round.code if self.survey_round else "",
        }

    def stored_errors(self) -> list[dict[str, Any]]:
        return [e.as_dict() for e in self.errors[:MAX_STORED_ERRORS]]


def _round_for(options: dict[str, Any]) -> SurveyRound:
    survey_round = SurveyRound.objects.select_related("questionnaire").filter(code=options.get("round", "")).first()
    if survey_round is None:
        raise ValidationError(_("Choose an existing survey round for the import."))
    return survey_round


class ResponseImporter:
    """Paper self-assessments of a round as an import kind (registered with ``imports.kinds``)."""

    permission = "surveys.import_responses"
    sheet_name = ANSWER_SHEET

    def check_options(self, *, options: dict[str, Any], by: User | None) -> None:
        survey_round = _round_for(options)
        if by is not None and not survey_round.is_open() and not by.has_perm("surveys.import_into_closed_round"):
            raise ValidationError(_("This survey round is closed."))

    def plan(self, *, sheet: Sheet, options: dict[str, Any], scope_province: Any, progress: Any) -> ResponsePlan:
        plan = ResponsePlan(total_rows=len(sheet.rows))
        try:
            plan.survey_round = _round_for(options)
        except ValidationError as error:
            plan.errors.append(RowError(1, CODE_HEADER, " ".join(error.messages)))
            return plan
        reader = ResponseRowReader(
            survey_round=plan.survey_round, scope_province=scope_province, errors=plan.errors, warnings=plan.warnings
        )
        reader.map_headers(sheet.headers)
        if plan.errors:
            return plan
        assert reader.code_column is not None
        codes = [parse_code(cells[reader.code_column]) for _, cells in sheet.rows]
        reader.load_cooperatives(codes)
        for done, ((row_number, cells), code) in enumerate(zip(sheet.rows, codes, strict=True), start=1):
            if reader.unanswered(cells):
                plan.blank_rows += 1  # a cooperative the template lists, not surveyed on paper
                continue
            row = reader.read(row_number, code, cells)
            if row is not None:
                plan.rows.append(row)
            if progress and done % 1000 == 0:
                progress(done, plan.total_rows)
        plan.errors.sort(key=lambda e: e.row)
        return plan

    def apply(self, *, plan: ResponsePlan, by: User | None) -> dict[str, int]:
        return responses_import_apply(plan=plan, by=by)


class ResponseRowReader:
    """Reads the rows of one paper-import file in turn, for one round; errors go to ``errors``,
    with their row and column."""

    def __init__(
        self, *, survey_round: SurveyRound, scope_province: Any, errors: list[RowError], warnings: list[RowError]
    ) -> None:
        self.survey_round = survey_round
        self.scope_province = scope_province
        self.errors = errors
        self.warnings = warnings
        self.rules = questionnaire_rules(survey_round.questionnaire)
        self.questions = {
            q.code.upper(): q
            for q in Question.objects.filter(questionnaire=survey_round.questionnaire).prefetch_related("options")
        }
        self.spec = questionnaire_spec(survey_round.questionnaire)
        self.scheme = survey_round.scheme.spec()
        self.required = [q.code for p in self.spec for q in p.questions if q.required]
        self.addons = {q.code.upper(): q for q in addon_questions(survey_round)}
        self.addon_columns: dict[int, AddOnQuestion] = {}
        self.logic = has_logic(self.spec)
        self.code_column: int | None = None
        self.columns: dict[int, Question] = {}
        self.cooperatives: dict[str, Cooperative] = {}
        self.existing: dict[int, Response] = {}
        self._first_row_of_code: dict[str, int] = {}

    def map_headers(self, headers: list[str]) -> None:
        """Find the code column and each question's column; any other header is an error."""
        for index, header in enumerate(headers):
            if header_key(header) in (header_key(CODE_HEADER), "ma htx", "code"):
                self.code_column = index
            elif header_key(header) in (header_key(NAME_HEADER), "name"):
                continue  # the template's names, for the reader: the code says which cooperative
            elif header.strip().upper() in self.questions:
                self.columns[index] = self.questions[header.strip().upper()]
            elif header.strip().upper() in self.addons:
                self.addon_columns[index] = self.addons[header.strip().upper()]
            elif header.strip():
                self.errors.append(
                    RowError(
                        1, header, _('"%(value)s" is not a question of this questionnaire.') % {"value": header[:60]}
                    )
                )
        if self.code_column is None:
            self.errors.append(
                RowError(1, CODE_HEADER, _("Required column missing: %(columns)s") % {"columns": CODE_HEADER})
            )

    def load_cooperatives(self, codes: list[str]) -> None:
        """The cooperatives the file names, and their responses in the round: two queries in all."""
        self.cooperatives = {
            c.code: c
            for c in Cooperative.objects.filter(code__in=set(codes), is_archived=False).only(
                "pk", "code", "province_id"
            )
        }
        self.existing = {
            r.cooperative_id: r
            for r in Response.objects.filter(round=self.survey_round, cooperative__in=self.cooperatives.values())
        }

    def read(self, number: int, code: str, cells: list[Cell]) -> ResponseRow | None:
        """The row's answers, scored, or None when any cell of it is refused."""
        cooperative = self.cooperatives.get(code)
        errors_before = len(self.errors)
        refusal = self._cooperative_refusal(code, cooperative)
        if refusal:
            self.errors.append(RowError(number, CODE_HEADER, refusal))
        self._first_row_of_code.setdefault(code, number)
        values, refused = self._answers(number, cells, self.columns)
        exempt = self._apply_logic(number, values, refused) if self.logic else refused
        self._check_required(number, values, exempt)
        addon_values, addon_refused = self._answers(number, cells, self.addon_columns)
        self._check_required(number, addon_values, addon_refused, [q.code for q in self.addons.values() if q.required])
        findings = [] if len(self.errors) > errors_before else answers_check(self.rules, values)
        for finding in findings:
            target = self.errors if finding.is_error else self.warnings
            target.append(RowError(number, ", ".join(finding.questions), finding.message))
        if len(self.errors) > errors_before or cooperative is None:
            return None
        existing = self.existing.get(cooperative.pk)
        result = score_response(self.spec, values, self.scheme)
        return ResponseRow(number, cooperative.pk, values, result, existing, addon_values, confirmed_codes(findings))

    def _cooperative_refusal(self, code: str, cooperative: Cooperative | None) -> str | None:
        """Why the row's cooperative cannot be answered for in this import, or None."""
        if cooperative is None or (
            self.scope_province is not None and cooperative.province_id != self.scope_province.pk
        ):
            # Same words for another province's cooperative: its registry is not revealed.
            return _("The cooperative %(code)s is not in the registry.") % {"code": code[:20]}
        if self.survey_round.province_id and cooperative.province_id != self.survey_round.province_id:
            return _("This round is not for this cooperative's province.")
        if code in self._first_row_of_code:
            return _("The code %(code)s appears twice in the file (also in row %(row)s).") % {
                "code": code,
                "row": self._first_row_of_code[code],
            }
        return change_refusal(self.existing.get(cooperative.pk))

    def unanswered(self, cells: list[Cell]) -> bool:
        """No question's cell holds anything (a row the template pre-filled and nobody filled in)."""
        columns = [*self.columns, *self.addon_columns]
        return all(cells[i] is None or not str(cells[i]).strip() for i in columns if i < len(cells))

    def _answers(
        self, number: int, cells: list[Cell], columns: Mapping[int, AskedQuestion]
    ) -> tuple[dict[str, AnswerValue], set[str]]:
        """Each question's cell (national or add-on) read by the browser's rules: the values, and
        the codes refused."""
        values: dict[str, AnswerValue] = {}
        refused: set[str] = set()
        for index, question in columns.items():
            raw = cells[index] if index < len(cells) else None
            if isinstance(raw, float) and raw.is_integer():
                raw = int(raw)
            try:
                values[question.code] = parse_answer(question, None if raw is None else str(raw))
            except ValidationError as error:
                self.errors.append(RowError(number, question.code, " ".join(error.messages)))
                refused.add(question.code)
        return values, refused

    def _apply_logic(self, number: int, values: dict[str, AnswerValue], refused: set[str]) -> set[str]:
        """The version's skip logic and constraints on a row, as on the browser's save: an answer
        to a question the row's answers hide is left out (a warning), a broken constraint is
        refused. Returns the codes the required check passes over (refused or hidden)."""
        hidden = hidden_codes(self.spec, values)
        for pillar in self.spec:
            for question in pillar.questions:
                value = values.get(question.code)
                if question.code in hidden and value is not None and not value.is_empty:
                    values[question.code] = AnswerValue()
                    self.warnings.append(
                        RowError(
                            number,
                            question.code,
                            _("Not asked after this row's earlier answers: the answer is left out."),
                        )
                    )
        for code, messages in constraint_errors(self.spec, values).items():
            if code not in refused:
                self.errors.append(RowError(number, code, " ".join(messages)))
        return refused | hidden

    def _check_required(
        self, number: int, values: dict[str, AnswerValue], refused: set[str], required: list[str] | None = None
    ) -> None:
        # A refused cell has its own error; it is not also "unanswered".
        codes = self.required if required is None else required
        missing = [c for c in codes if c not in refused and (c not in values or values[c].is_empty)]
        if missing:
            self.errors.append(
                RowError(
                    number,
                    ", ".join(missing[:5]),
                    _("%(count)s required questions are still unanswered.") % {"count": len(missing)},
                )
            )


def responses_import_apply(*, plan: ResponsePlan, by: User | None) -> dict[str, int]:
    """Write a clean plan: responses upserted per (cooperative, round), answers replaced, scored."""
    if not plan.ok:
        raise ValueError("refusing to write a plan with errors")
    survey_round = plan.survey_round
    assert survey_round is not None
    now = timezone.now()
    questions = {
        q.code: q for q in Question.objects.filter(questionnaire=survey_round.questionnaire).prefetch_related("options")
    }
    option_ids = {(q.code, o.code): o.pk for q in questions.values() for o in q.options.all()}
    scheme = survey_round.scheme
    with transaction.atomic():
        updates = [row for row in plan.rows if row.existing is not None]
        creates = [row for row in plan.rows if row.existing is None]
        _write_responses(updates, creates, survey_round=survey_round, by=by, now=now, scheme=scheme)
        answers: list[Answer] = []
        answer_options: list[tuple[int, list[int]]] = []
        pillar_scores: list[PillarScore] = []
        for row in plan.rows:
            response = row.existing
            assert response is not None
            for code, value in row.values.items():
                if value.is_empty:
                    continue
                answers.append(
                    Answer(response_id=response.pk, question=questions[code], number=value.number, text=value.text)
                )
                answer_options.append((len(answers) - 1, [option_ids[(code, c)] for c in value.options]))
            pillar_scores.extend(
                PillarScore(
                    response_id=response.pk, pillar_code=pillar, score=score, level=row.result.pillar_levels[pillar]
                )
                for pillar, score in row.result.pillar_scores.items()
            )
        Answer.objects.bulk_create(answers, batch_size=BATCH)
        Through = Answer.options.through
        Through.objects.bulk_create(
            [
                Through(answer_id=answers[index].pk, option_id=option_id)
                for index, options in answer_options
                for option_id in options
            ],
            batch_size=BATCH * 5,
        )
        PillarScore.objects.bulk_create(pillar_scores, batch_size=BATCH)
        addon_bulk_replace(survey_round, [(row.existing.pk, row.addon_values) for row in plan.rows if row.existing])
        flags_raise(response_ids=[row.existing.pk for row in plan.rows if row.existing], by=by, now=now)
        cooperatives_refresh_maturity(cooperative_ids=[row.cooperative_id for row in plan.rows], by=by)
    return {"created": len(creates), "updated": len(updates), "unchanged": 0}


def _write_responses(
    updates: list[ResponseRow],
    creates: list[ResponseRow],
    *,
    survey_round: SurveyRound,
    by: User | None,
    now: Any,
    scheme: ScoringScheme,
) -> None:
    """The responses' rows, re-imported ones updated and new ones created (``row.existing`` then
    names each), with the history the browser leaves: begun, answers entered, submitted."""
    # Each response's states after each of the browser's transitions, for its history.
    started: list[Response] = []
    entered: list[Response] = []
    for row in updates:
        response = row.existing
        assert response is not None
        entered.append(_fill(response, row, by, now, scheme))
    if updates:
        responses = [row.existing for row in updates]
        Answer.objects.filter(response__in=responses).delete()
        PillarScore.objects.filter(response__in=responses).delete()
        Response.objects.bulk_update(responses, UPDATED_FIELDS, batch_size=BATCH)
    new_responses = []
    for row in creates:
        response = Response(round=survey_round, cooperative_id=row.cooperative_id, created_at=now)
        mark_started(response, by=by)
        started.append(copy.copy(response))
        entered.append(_fill(response, row, by, now, scheme))
        row.existing = response
        new_responses.append(response)
    if new_responses:
        Response.objects.bulk_create(new_responses, batch_size=BATCH)
        if any(r.pk is None for r in new_responses):
            ids = dict(
                Response.objects.filter(
                    round=survey_round, cooperative_id__in=[r.cooperative_id for r in creates]
                ).values_list("cooperative_id", "pk")
            )
            for response in new_responses:
                response.pk = ids[response.cooperative_id]
    final = [row.existing for row in updates + creates if row.existing is not None]
    # The copies were taken before the write set the rows' ids and creation times.
    for state, response in [*zip(started, new_responses, strict=True), *zip(entered, final, strict=True)]:
        state.pk, state.created_at = response.pk, response.created_at
    # The history the browser leaves, in the same order: begun (new responses), answers
    # entered, submitted, each a microsecond after the other (simple-history finds a row's
    # previous one by date); a few statements per thousand responses.
    history = Response.history
    tick = datetime.timedelta(microseconds=1)
    history.bulk_history_create(started, batch_size=BATCH, default_user=by, default_date=now)
    history.bulk_history_create(entered, batch_size=BATCH, update=True, default_user=by, default_date=now + tick)
    history.bulk_history_create(final, batch_size=BATCH, update=True, default_user=by, default_date=now + 2 * tick)


def _fill(response: Response, row: ResponseRow, by: User | None, now: Any, scheme: ScoringScheme) -> Response:
    """The browser's two transitions, in one go: answers entered by ``by``, then submitted;
    returns a copy of the response as it was between the two (its history's row)."""
    mark_entered(response, by=by)
    entered = copy.copy(response)
    mark_submitted(
        response,
        result=row.result,
        scheme=scheme,
        values=row.values,
        by=by,
        now=now,
        confirmed_warnings=row.confirmed_warnings,
    )
    response.updated_at = now
    return entered
