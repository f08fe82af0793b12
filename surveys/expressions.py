"""Conditions on answers, written as in XLSForm (the ODK and KoboToolbox standard), read safely.

The national team writes a questionnaire's consistency rules (``surveys.consistency``) the way
survey teams write XLSForm ``relevant`` and ``constraint`` columns::

    ${ONLINE_ORDERS} > 0
    selected(${ACCOUNTING}, 'einvoice') and not(selected(${ACCOUNTING}, 'software'))
    count-selected(${WORK_TOOLS}) >= 2 or ${INTERNET} = 'broadband'

What is understood (a subset of ODK XPath, enough for rules between answers):

* ``.`` in a question's constraint: that question's own answer;
* ``${CODE}``: the answer to a question of the version: a number question's number, a single
  choice's option code, a multiple choice's codes separated by spaces, a text; ``''`` when
  unanswered;
* string literals in single or double quotes, decimal numbers;
* ``=  !=  <  <=  >  >=``, ``+  -``, ``and``, ``or``, brackets;
* the functions ``selected(${Q}, 'code')``, ``count-selected(${Q})``, ``not(x)``, ``true()``,
  ``false()``, ``string-length(x)``.

Comparisons follow XPath: when one side is a number the other is read as one, and a side that is
not a number (an empty answer) makes ``<``, ``>`` and ``=`` false and ``!=`` true. An expression is
parsed once, into a small tree; nothing is ever passed to ``eval``. Parsing refuses, with a
message naming the place, anything else: unknown functions, unknown questions, a ``selected``
of an option the question does not have.

Longer than 300 lines on purpose: the tokenizer, the parser and the evaluator of one small
language, which change together. Hand-written on purpose: pyxform validates whole forms through
ODK Validate (Java) and does not evaluate an expression against answers; a general XPath engine
would need each answer set turned into an XML document and still lack ODK's ``selected``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_LENGTH = 1000
# Brackets and calls nested deeper than this are refused (a rule never needs more; the parser
# recurses once per level).
MAX_DEPTH = 30

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<ref>\$\{(?P<code>[A-Za-z_][A-Za-z0-9_]*)\})
      | (?P<number>\d+(?:\.\d+)?|\.\d+)
      | (?P<dot>\.)
      | (?P<string>'[^']*'|"[^"]*")
      | (?P<op><=|>=|!=|=|<|>|\+|-|\(|\)|,)
      | (?P<name>[A-Za-z][A-Za-z0-9_-]*)
    )""",
    re.VERBOSE,
)

FUNCTIONS = {"selected": 2, "count-selected": 1, "not": 1, "true": 0, "false": 0, "string-length": 1}
COMPARISONS = ("=", "!=", "<", "<=", ">", ">=")


@dataclass(frozen=True)
class Token:
    kind: str  # ref, number, string, op, name, end
    value: str
    position: int


@dataclass(frozen=True)
class QuestionFacts:
    """What parsing needs to know of a question: its kind and its options' codes."""

    kind: str
    options: frozenset[str] = frozenset()


# A node of the tree is a tuple: ("ref", code) | ("literal", value) | ("call", name, args)
# | ("op", operator, left, right).
Node = tuple[Any, ...]


class Expression:
    """A parsed expression: the questions it reads and a way to evaluate it against answers."""

    def __init__(self, text: str, tree: Node) -> None:
        self.text = text
        self.tree = tree
        self.codes = frozenset(_refs(tree))

    def evaluate(self, answers: Mapping[str, Any]) -> bool:
        """True or false for one set of answers; ``answers`` maps a code to an ``AnswerValue``."""
        return _truth(_evaluate(self.tree, answers))


def mentioned_codes(text: str) -> set[str]:
    """The question codes ``${CODE}`` a text names, without parsing it."""
    return set(re.findall(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}", text or ""))


def tree_json(node: Node) -> list[Any]:
    """The tree as JSON for the browser's evaluator (static/js/skip-logic.js): numbers as
    numbers, the rest as they are."""
    if node[0] == "literal":
        value = node[1]
        return ["literal", float(value) if isinstance(value, Decimal) else value]
    if node[0] == "ref":
        return ["ref", node[1]]
    if node[0] == "call":
        return ["call", node[1], [tree_json(arg) for arg in node[2]]]
    return ["op", node[1], tree_json(node[2]), tree_json(node[3])]


def _refs(node: Node) -> list[str]:
    if node[0] == "ref":
        return [node[1]]
    if node[0] == "call":
        return [code for arg in node[2] for code in _refs(arg)]
    if node[0] == "op":
        return _refs(node[2]) + _refs(node[3])
    return []


def _tokens(text: str) -> list[Token]:
    tokens: list[Token] = []
    position = 0
    while position < len(text):
        if text[position:].strip() == "":
            break
        match = _TOKEN.match(text, position)
        if match is None:
            position += len(text[position:]) - len(text[position:].lstrip())
            raise ValidationError(
                _("The expression cannot be read at character %(position)s: “%(text)s”.")
                % {"position": position + 1, "text": text[position : position + 15].strip()}
            )
        kind = match.lastgroup if match.lastgroup != "code" else "ref"
        if match.group("ref"):
            tokens.append(Token("ref", match.group("code"), match.start("ref")))
        else:
            assert kind is not None
            tokens.append(Token(kind, match.group(kind), match.start(kind)))
        position = match.end()
    tokens.append(Token("end", "", len(text)))
    return tokens


class _Parser:
    def __init__(self, text: str, questions: Mapping[str, QuestionFacts], itself: str | None = None) -> None:
        self.text = text
        self.questions = questions
        self.itself = itself
        self.tokens = _tokens(text)
        self.index = 0
        self.depth = 0

    @property
    def current(self) -> Token:
        return self.tokens[self.index]

    def _error(self, message: str, token: Token | None = None) -> ValidationError:
        token = token or self.current
        return ValidationError(
            _("%(message)s (at character %(position)s)") % {"message": message, "position": token.position + 1}
        )

    def _take(self, kind: str, value: str | None = None) -> Token:
        token = self.current
        if token.kind != kind or (value is not None and token.value != value):
            expected = f"“{value}”" if value else kind
            found = f"“{token.value}”" if token.value else _("the end")
            raise self._error(_("Expected %(expected)s, found %(found)s.") % {"expected": expected, "found": found})
        self.index += 1
        return token

    def _is(self, kind: str, *values: str) -> bool:
        return self.current.kind == kind and (not values or self.current.value in values)

    def parse(self) -> Node:
        node = self._or()
        if not self._is("end"):
            raise self._error(_("Unexpected “%(token)s”.") % {"token": self.current.value})
        return node

    def _or(self) -> Node:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self._error(_("The expression nests more than %(max)s levels.") % {"max": MAX_DEPTH})
        node = self._and()
        while self._is("name", "or"):
            self.index += 1
            node = ("op", "or", node, self._and())
        self.depth -= 1
        return node

    def _and(self) -> Node:
        node = self._comparison()
        while self._is("name", "and"):
            self.index += 1
            node = ("op", "and", node, self._comparison())
        return node

    def _comparison(self) -> Node:
        node = self._sum()
        if self._is("op", *COMPARISONS):
            token = self.current
            self.index += 1
            node = ("op", token.value, node, self._sum())
            if token.value in ("=", "!="):
                self._check_option_compared(token, node[2], node[3])
        return node

    def _check_option_compared(self, token: Token, left: Node, right: Node) -> None:
        """``${Q} = 'code'`` of a single choice names one of its options (empty: unanswered)."""
        for ref, other in ((left, right), (right, left)):
            if ref[0] != "ref" or other[0] != "literal" or not isinstance(other[1], str) or other[1] == "":
                continue
            facts = self.questions[ref[1]]
            if facts.kind in ("single", "yes_no") and other[1] not in facts.options:
                raise self._error(
                    _("%(code)s has no option “%(option)s”.") % {"code": ref[1], "option": other[1]}, token
                )

    def _sum(self) -> Node:
        node = self._unary()
        while self._is("op", "+", "-"):
            operator = self.current.value
            self.index += 1
            node = ("op", operator, node, self._unary())
        return node

    def _unary(self) -> Node:
        if self._is("op", "-"):
            self.index += 1
            return ("op", "-", ("literal", Decimal(0)), self._primary())
        return self._primary()

    def _primary(self) -> Node:
        token = self.current
        if token.kind == "number":
            self.index += 1
            return ("literal", Decimal(token.value))
        if token.kind == "string":
            self.index += 1
            return ("literal", token.value[1:-1])
        if token.kind == "ref":
            self.index += 1
            if token.value not in self.questions:
                raise self._error(_("No question %(code)s in this version.") % {"code": token.value}, token)
            return ("ref", token.value)
        if token.kind == "dot":
            if self.itself is None:
                raise self._error(_("“.” (this question's own answer) can only be used in a question's constraint."))
            self.index += 1
            return ("ref", self.itself)
        if self._is("op", "("):
            self.index += 1
            node = self._or()
            self._take("op", ")")
            return node
        if token.kind == "name":
            return self._call()
        found = f"“{token.value}”" if token.value else _("the end")
        raise self._error(_("Expected a value, found %(found)s.") % {"found": found})

    def _call(self) -> Node:
        token = self._take("name")
        if token.value not in FUNCTIONS:
            raise self._error(_("Unknown function %(name)s.") % {"name": token.value}, token)
        self._take("op", "(")
        args: list[Node] = []
        if not self._is("op", ")"):
            args.append(self._or())
            while self._is("op", ","):
                self.index += 1
                args.append(self._or())
        self._take("op", ")")
        if len(args) != FUNCTIONS[token.value]:
            raise self._error(
                _("%(name)s takes %(count)s arguments.") % {"name": token.value, "count": FUNCTIONS[token.value]},
                token,
            )
        if token.value in ("selected", "count-selected"):
            self._check_choice(token, args)
        return ("call", token.value, tuple(args))

    def _check_choice(self, token: Token, args: list[Node]) -> None:
        if args[0][0] != "ref":
            raise self._error(_("%(name)s needs a question, as ${CODE}.") % {"name": token.value}, token)
        code = args[0][1]
        facts = self.questions[code]
        if not facts.options:
            raise self._error(_("%(code)s is not a choice question.") % {"code": code}, token)
        if token.value == "selected":
            if args[1][0] != "literal" or not isinstance(args[1][1], str):
                raise self._error(_("selected needs an option code in quotes."), token)
            if args[1][1] not in facts.options:
                raise self._error(
                    _("%(code)s has no option “%(option)s”.") % {"code": code, "option": args[1][1]}, token
                )


def parse(text: str, questions: Mapping[str, QuestionFacts], itself: str | None = None) -> Expression:
    """Parse ``text`` against the questions of a version (code → facts); ValidationError if not.
    ``itself``: the code of the question whose constraint this is, which ``.`` stands for."""
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("The expression is empty."))
    if len(text) > MAX_LENGTH:
        raise ValidationError(_("The expression is longer than %(max)s characters.") % {"max": MAX_LENGTH})
    return Expression(text, _Parser(text, questions, itself).parse())


# Evaluation ----------------------------------------------------------------------------------


def _answer(answers: Mapping[str, Any], code: str) -> Any:
    value = answers.get(code)
    if value is None or value.is_empty:
        return ""
    if value.number is not None:
        return Decimal(value.number)
    if value.options:
        return " ".join(value.options)
    return value.text or ""


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return Decimal(int(value))
    if isinstance(value, Decimal):
        return value
    try:
        number = Decimal(str(value).strip())
    except (ArithmeticError, ValueError):
        return None
    return number if number.is_finite() else None


def _truth(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, Decimal):
        return value != 0
    return value != ""


def _compare(operator: str, left: Any, right: Any) -> bool:
    if isinstance(left, bool) or isinstance(right, bool):
        return _ORDER[operator](_truth(left), _truth(right))
    if isinstance(left, Decimal) or isinstance(right, Decimal):
        a, b = _number(left), _number(right)
        if a is None or b is None:  # XPath's NaN: every comparison false, "!=" true
            return operator == "!="
        return _ORDER[operator](a, b)
    if operator in ("=", "!="):
        return _ORDER[operator](str(left), str(right))
    a, b = _number(left), _number(right)
    if a is None or b is None:
        return False
    return _ORDER[operator](a, b)


_ORDER: dict[str, Callable[[Any, Any], bool]] = {
    "=": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}


def _evaluate(node: Node, answers: Mapping[str, Any]) -> Any:
    kind = node[0]
    if kind == "literal":
        return node[1]
    if kind == "ref":
        return _answer(answers, node[1])
    if kind == "call":
        name, args = node[1], node[2]
        if name == "selected":
            return args[1][1] in str(_evaluate(args[0], answers)).split()
        if name == "count-selected":
            return Decimal(len(str(_evaluate(args[0], answers)).split()))
        if name == "not":
            return not _truth(_evaluate(args[0], answers))
        if name == "string-length":
            return Decimal(len(str(_evaluate(args[0], answers))))
        return name == "true"
    operator, left, right = node[1], node[2], node[3]
    if operator == "and":
        return _truth(_evaluate(left, answers)) and _truth(_evaluate(right, answers))
    if operator == "or":
        return _truth(_evaluate(left, answers)) or _truth(_evaluate(right, answers))
    a, b = _evaluate(left, answers), _evaluate(right, answers)
    if operator in ("+", "-"):
        return _arithmetic(operator, a, b)
    return _compare(operator, a, b)


def _arithmetic(operator: str, a: Any, b: Any) -> Any:
    x, y = _number(a), _number(b)
    if x is None or y is None:
        return ""
    try:
        return x + y if operator == "+" else x - y
    except ArithmeticError:  # beyond Decimal's range: not a number, like an empty answer
        return ""
