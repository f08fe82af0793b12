"""A text answer is read by one rule on every path (browser, API, paper import): invisible
characters are refused as in the registry's names."""

import pytest
from django.core.exceptions import ValidationError

from surveys.answers import parse_answer
from surveys.models import Question, QuestionKind


@pytest.mark.parametrize("hidden", ["\u202e", "\u200b", "\ufeff", "\x1b", "\x00"])
def test_a_text_answer_with_an_invisible_character_is_refused(hidden):
    question = Question(code="DX_DIFFICULTY", kind=QuestionKind.TEXT)
    with pytest.raises(ValidationError) as refused:
        parse_answer(question, f"Thiếu vốn{hidden} và thiếu người")
    assert f"U+{ord(hidden):04X}" in refused.value.messages[0]


def test_a_text_answer_over_several_lines_in_vietnamese_is_kept():
    question = Question(code="DX_DIFFICULTY", kind=QuestionKind.TEXT)
    text = "Thiếu vốn;\r\nthiếu người biết dùng phần mềm\tkế toán"
    assert parse_answer(question, f"  {text} ").text == text
