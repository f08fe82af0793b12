"""Writing a questionnaire version as an XLSForm workbook that ``reading`` reads back into the same
version (the diff of the two is empty) and that ODK, KoboToolbox and pyxform open as a form."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from . import columns as c

SURVEY = (
    c.TYPE,
    c.NAME,
    c.translated(c.LABEL, "vi"),
    c.translated(c.LABEL, "en"),
    c.translated(c.HINT, "vi"),
    c.translated(c.HINT, "en"),
    c.REQUIRED,
    c.RELEVANT,
    c.CONSTRAINT,
    c.translated(c.CONSTRAINT_MESSAGE, "vi"),
    c.translated(c.CONSTRAINT_MESSAGE, "en"),
    c.KIND,
    c.SCORED,
    c.WEIGHT,
    c.MAX_SCORE,
    c.BANDS,
    c.MINIMUM,
    c.MAXIMUM,
    f"{c.UNIT}_vi",
    f"{c.UNIT}_en",
)
CHOICES = (
    c.LIST_NAME,
    c.NAME,
    c.translated(c.LABEL, "vi"),
    c.translated(c.LABEL, "en"),
    c.SCORE,
    c.EXCLUSIVE,
)
SETTINGS = (c.FORM_TITLE, c.FORM_ID, c.VERSION, c.DEFAULT_LANGUAGE, c.TITLE_EN, c.SCHEME, c.SOURCE)


def _number(value: Any) -> Any:
    """A number as a spreadsheet keeps it exactly: whole numbers as integers, others as text."""
    if value is None:
        return ""
    value = Decimal(str(value))
    return int(value) if value == int(value) else format(value.normalize(), "f")


def _bands(bands: list[list[Any]]) -> str:
    return "; ".join(f"{_number(minimum)}={score}" for minimum, score in bands)


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def _question_row(question: Any) -> list[Any]:
    if question.kind == "multiple":
        kind = f"select_multiple {question.code}"
    elif question.kind in ("single", "yes_no"):
        kind = f"select_one {question.code}"
    elif question.kind == "number":
        kind = "integer" if question.integer_only else "decimal"
    else:
        kind = "text"
    return [
        kind,
        question.code,
        question.text_vi,
        question.text_en,
        question.help_vi,
        question.help_en,
        _yes(question.required),
        question.relevant,
        question.constraint,
        question.constraint_message_vi,
        question.constraint_message_en,
        question.kind if question.kind == "yes_no" else "",
        _yes(question.scored),
        _number(question.weight),
        _number(question.max_score),
        _bands(question.bands),
        _number(question.min_value),
        _number(question.max_value),
        question.unit_vi,
        question.unit_en,
    ]


def write_xlsform(questionnaire: Any) -> bytes:
    """The version as an .xlsx XLSForm workbook."""
    from openpyxl import Workbook

    book = Workbook()
    survey = book.worksheets[0]
    survey.title = "survey"
    survey.append(SURVEY)
    choices = book.create_sheet("choices")
    choices.append(CHOICES)
    advice = book.create_sheet(c.ADVICE_SHEET)
    advice.append(c.ADVICE_COLUMNS)
    blank = [""] * (len(SURVEY) - 4)
    for pillar in questionnaire.pillars.prefetch_related("questions__options", "advice"):
        survey.append(["begin_group", pillar.code, pillar.name_vi, pillar.name_en, *blank[:9], _number(pillar.weight)])
        for question in pillar.questions.all():
            survey.append(_question_row(question))
            for option in question.options.all():
                choices.append(
                    [
                        question.code,
                        option.code,
                        option.label_vi,
                        option.label_en,
                        option.score,
                        _yes(option.exclusive) if option.exclusive else "",
                    ]
                )
        survey.append(["end_group", pillar.code])
        for item in sorted(pillar.advice.all(), key=lambda a: a.level):
            advice.append([pillar.code, item.level, item.text_vi, item.text_en])
    rules = book.create_sheet(c.RULES_SHEET)
    rules.append(c.RULES_COLUMNS)
    for rule in questionnaire.rules.all():
        rules.append([rule.code, rule.severity, rule.condition, rule.constraint, rule.message_vi, rule.message_en])
    settings = book.create_sheet("settings")
    settings.append(SETTINGS)
    settings.append(
        [
            questionnaire.title_vi,
            questionnaire.code,
            str(questionnaire.version),
            c.LANGUAGES["vi"],
            questionnaire.title_en,
            questionnaire.scoring_scheme.code,
            questionnaire.source,
        ]
    )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
