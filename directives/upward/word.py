"""An upward report as a Word file (python-docx), laid out by Decree 30/2020/NĐ-CP: A4, margins
top and bottom 20 mm, left 30 mm, right 15 mm, Times New Roman 13–14 pt, the heading block in a
two-column table without borders, the recipients and the signature side by side, the annex table
on a page of its own."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from . import wording
from .content import UpwardContent

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument

FONT = "Times New Roman"
CENTER = WD_ALIGN_PARAGRAPH.CENTER
JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY
RULE = "———————"
# The annex's column widths (mm), 165 mm in all: the page less its margins.
ANNEX_WIDTHS = (11, 48, 26, 23, 23, 15, 19)


def _line(
    target: Any,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
    size: float = 13,
    align: WD_ALIGN_PARAGRAPH | None = None,
    indent: bool = False,
) -> Paragraph:
    """A paragraph of one run, added to a document or a table cell."""
    paragraph: Paragraph = target.add_paragraph()
    run = paragraph.add_run(text)
    run.bold, run.italic, run.underline = bold, italic, underline
    run.font.size = Pt(size)
    if align is not None:
        paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(3)
    if indent:
        paragraph.paragraph_format.first_line_indent = Mm(10)
    return paragraph


def _paragraphs(target: Any, text: str) -> None:
    for part in text.splitlines():
        if part.strip():
            _line(target, part.strip(), align=JUSTIFY, indent=True)


def _no_first_paragraph(cell: _Cell) -> None:
    # A new cell holds one empty paragraph; the lines are added after it, so drop it.
    first = cell.paragraphs[0]._element
    first.getparent().remove(first)


def _page(document: DocxDocument) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    normal: Any = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(13)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)


def _heading(document: DocxDocument, content: UpwardContent) -> None:
    """The two columns without borders: the agency and number; the national motto and date."""
    report = content.report
    heading = document.add_table(rows=1, cols=2)
    heading.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = heading.rows[0].cells
    left.width, right.width = Mm(65), Mm(100)
    for cell in (left, right):
        _no_first_paragraph(cell)
    if report.superior_agency:
        _line(left, report.superior_agency, size=12, align=CENTER)
    _line(left, report.agency_name, bold=True, size=12, align=CENTER)
    _line(left, RULE, size=8, align=CENTER)
    _line(left, wording.NUMBER % report.number.strip(), align=CENTER)
    _line(right, wording.NATION, bold=True, size=12, align=CENTER)
    _line(right, wording.MOTTO, bold=True, underline=True, align=CENTER)
    _line(right, "")
    _line(right, wording.place_and_date(report.place, report.issued_on), italic=True, align=CENTER)
    _line(document, "")
    _line(document, wording.TITLE, bold=True, size=14, align=CENTER)
    _line(document, report.subject, bold=True, size=14, align=CENTER)
    _line(document, RULE, size=8, align=CENTER)


def _results(document: DocxDocument, content: UpwardContent) -> None:
    """Section I: the summary text, the four counts, each task's outline, the indicators."""
    _line(document, wording.SECTION_RESULTS, bold=True)
    _paragraphs(document, content.report.introduction)
    _line(document, wording.COUNTS_HEADING % content.cut_off, bold=True)
    _line(document, "- " + wording.COUNT_TOTAL % content.total, indent=True)
    for _code, label, count in content.counts:
        _line(document, f"- {label}: {count}", indent=True)
    _line(document, wording.TASKS_HEADING, bold=True)
    if not content.tasks:
        _line(document, wording.NO_TASKS, indent=True)
    for line in content.tasks:
        _line(document, f"2.{line.number}. {line.content} ({line.document})", bold=True, italic=True, align=JUSTIFY)
        percent = f"{line.percent}%" if line.percent is not None else wording.NOT_REPORTED
        facts = wording.TASK_FACTS % {"agency": line.lead_agency, "status": line.status_label, "percent": percent}
        _line(document, facts, align=JUSTIFY, indent=True)
        _paragraphs(document, line.narrative)
    _line(document, wording.INDICATORS_HEADING, bold=True)
    if not content.indicators:
        _line(document, wording.NO_INDICATORS, indent=True)
    for indicator in content.indicators:
        _line(document, f"- {indicator.text}.", align=JUSTIFY, indent=True)


def _closing(document: DocxDocument, content: UpwardContent) -> None:
    """The recipients bottom-left and the signature bottom-right, in a table without borders."""
    report = content.report
    recipients, signature = document.add_table(rows=1, cols=2).rows[0].cells
    for cell in (recipients, signature):
        _no_first_paragraph(cell)
    _line(recipients, wording.RECIPIENTS, bold=True, italic=True, size=12)
    for part in report.recipients.splitlines():
        _line(recipients, part, size=11)
    for part in report.signer_title.splitlines():
        _line(signature, part, bold=True, align=CENTER)
    for _blank in range(4):
        _line(signature, "", align=CENTER)
    _line(signature, report.signer_name, bold=True, align=CENTER)


def _annex(document: DocxDocument, content: UpwardContent) -> None:
    """The annex on a new page: one row per task, with borders."""
    report = content.report
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    _line(document, wording.ANNEX, bold=True, size=14, align=CENTER)
    _line(document, wording.ANNEX_SUBTITLE % content.cut_off, bold=True, align=CENTER)
    annex_of = {"number": report.number.strip(), "date": wording.day(report.issued_on), "agency": report.agency_name}
    _line(document, wording.ANNEX_OF % annex_of, italic=True, align=CENTER)
    table = document.add_table(rows=1, cols=len(wording.ANNEX_COLUMNS))
    table.style = "Table Grid"
    table.autofit = False
    for cell, title, width in zip(table.rows[0].cells, wording.ANNEX_COLUMNS, ANNEX_WIDTHS, strict=True):
        _no_first_paragraph(cell)
        cell.width = Mm(width)
        _line(cell, title, bold=True, size=11, align=CENTER)
    for line in content.tasks:
        percent = f"{line.percent}%" if line.percent is not None else ""
        values = (
            str(line.number),
            line.content,
            line.lead_agency,
            line.deadline,
            line.status_label,
            percent,
            line.note,
        )
        for cell, value, width in zip(table.add_row().cells, values, ANNEX_WIDTHS, strict=True):
            _no_first_paragraph(cell)
            cell.width = Mm(width)
            _line(cell, value, size=11)


def upward_docx(content: UpwardContent) -> bytes:
    """The report as the bytes of a .docx file."""
    document = Document()
    _page(document)
    _heading(document, content)
    _results(document, content)
    report = content.report
    _line(document, wording.SECTION_DIFFICULTIES, bold=True)
    _paragraphs(document, report.difficulties)
    _line(document, wording.SECTION_PROPOSALS, bold=True)
    _paragraphs(document, report.proposals)
    _closing(document, content)
    _annex(document, content)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
