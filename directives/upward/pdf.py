"""An upward report as PDF: the HTML of the preview drawn by WeasyPrint on A4 with the margins of
Decree 30/2020/NĐ-CP, in a serif font with Vietnamese glyphs embedded (Times New Roman, Liberation
Serif or Tinos where installed, else DejaVu Serif from Debian's fonts-dejavu-core)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation

from . import wording
from .content import UpwardContent

STYLESHEET = "css/upward-report.css"


def document_context(content: UpwardContent) -> dict[str, Any]:
    """What ``directives/upward/_document.html`` shows: the data and its fixed wording."""
    report = content.report
    return {
        "content": content,
        "report": report,
        "w": wording,
        "number": wording.NUMBER % report.number.strip(),
        "place_date": wording.place_and_date(report.place, report.issued_on),
        "counts_heading": wording.COUNTS_HEADING % content.cut_off,
        "count_total": wording.COUNT_TOTAL % content.total,
        "annex_subtitle": wording.ANNEX_SUBTITLE % content.cut_off,
        "annex_of": wording.ANNEX_OF
        % {"number": report.number.strip(), "date": wording.day(report.issued_on), "agency": report.agency_name},
    }


def _stylesheet() -> str:
    # The preview page's stylesheet, inlined: the PDF is drawn from a string, with no server to ask.
    path = finders.find(STYLESHEET)
    assert isinstance(path, str), STYLESHEET
    return Path(path).read_text(encoding="utf-8")


def upward_html(content: UpwardContent) -> str:
    with translation.override("vi"):
        context = {**document_context(content), "css": _stylesheet()}
        return render_to_string("directives/upward/report_pdf.html", context)


def upward_pdf(content: UpwardContent) -> bytes:
    from weasyprint import HTML

    return bytes(HTML(string=upward_html(content)).write_pdf())
