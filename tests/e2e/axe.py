"""axe-core (Deque) in the page under test: the WCAG 2.0/2.1 A and AA rules, as Chromium renders it.

The script is vendored for the tests only (tests/e2e/vendor/, see the README there), never
served to users nor fetched from a CDN. It is evaluated through the DevTools protocol, which the
page's Content-Security-Policy does not govern, so the page keeps its real policy while it is
checked: an inline style that the policy blocks in production is blocked here too, and the
colours axe measures are the colours a user sees.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

AXE_SOURCE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING_IMPACTS = frozenset({"serious", "critical"})

# Passes are not asked for (they would double the time of a run). Of the results axe leaves for
# review, one is a failure for us: text exactly the colour of its background (1:1), which axe
# will not call a violation in case it is meant to be hidden. Here nothing is hidden that way
# (hidden text uses .visually-hidden), so a 1:1 text is text nobody can read.
RUN = """async (tags) => {
  const options = { runOnly: { type: "tag", values: tags }, resultTypes: ["violations", "incomplete"] };
  const results = await axe.run(document, options);
  const node = (n) => ({ target: n.target.join(" "), summary: (n.failureSummary || "").replace(/\\s+/g, " ") });
  const found = results.violations.map((v) => ({
    id: v.id, impact: v.impact || "", help: v.help, nodes: v.nodes.map(node),
  }));
  const invisible = results.incomplete
    .filter((v) => v.id === "color-contrast")
    .flatMap((v) => v.nodes)
    .filter((n) => n.any.some((check) => check.data && check.data.messageKey === "equalRatio"));
  if (invisible.length) {
    found.push({
      id: "color-contrast",
      impact: "serious",
      help: "Text is the colour of its background (1:1)",
      nodes: invisible.map((n) => ({ target: n.target.join(" "), summary: "" })),
    });
  }
  return found;
}"""


@dataclass(frozen=True)
class Violation:
    page: str
    rule: str
    impact: str
    help: str
    target: str
    summary: str

    @property
    def failing(self) -> bool:
        return self.impact in FAILING_IMPACTS

    def __str__(self) -> str:
        return f"{self.page}: {self.rule} ({self.impact}) at `{self.target}`: {self.help}. {self.summary}"


@cache
def _source() -> str:
    return AXE_SOURCE.read_text(encoding="utf-8")


def axe_violations(page, where: str) -> list[Violation]:
    """Every WCAG A/AA violation axe finds on the page as it is now, one per element.

    The whole page is checked: nothing on our pages is a third-party widget to leave out.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_source())
    found = page.evaluate(RUN, WCAG_TAGS)
    return [
        Violation(where, v["id"], v["impact"], v["help"], node["target"], node["summary"])
        for v in found
        for node in v["nodes"]
    ]


def describe(violations: list[Violation]) -> str:
    """The assertion message: the failing violations first, then the others for the record."""
    failing = [str(v) for v in violations if v.failing]
    others = [str(v) for v in violations if not v.failing]
    text = f"{len(failing)} serious or critical accessibility violations:\n" + "\n".join(failing)
    if others:
        text += "\nminor or moderate (not failing):\n" + "\n".join(others)
    return text
