"""What an upward report holds, as of its cut-off date: plain data for the page, DOCX and PDF.

* Tasks: a province's report holds the tasks of that province; an agency's, the tasks it leads
  and those of every agency it succeeded (``agency_lineage_ids``); only tasks started by the
  cut-off.
* Each task's status is the rule of ``directives.status`` judged on the cut-off day, from the
  reports submitted on or before it (local date): a report sent later does not count, so a task
  done after the cut-off is still in progress (or overdue) in the report.
* Indicators: the codes linked to those tasks, valued from the latest snapshot on or before the
  cut-off, for the province (a province's report) or the nation (an agency's), in the latest
  round that snapshot has; with the target that applies (``indicators.selectors.target_check``)
  and the small-numbers rule.
"""

from __future__ import annotations

import datetime
import zoneinfo
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import translation

from indicators import selectors as indicator_selectors

from ..models import DirectiveTask, TaskReport
from ..selectors import agency_lineage_ids, task_assessment
from ..status import TaskStatus
from . import wording
from .models import UpwardReport

STATUS_ORDER = (TaskStatus.DONE_ON_TIME, TaskStatus.DONE_LATE, TaskStatus.IN_PROGRESS, TaskStatus.OVERDUE)


@dataclass(frozen=True)
class TaskLine:
    number: int
    task_id: int
    document: str
    content: str
    lead_agency: str
    deadline: str
    status: str
    status_label: str
    percent: int | None
    narrative: str
    note: str


@dataclass(frozen=True)
class IndicatorLine:
    code: str
    label: str
    value: Decimal | None
    text: str


@dataclass
class UpwardContent:
    report: UpwardReport
    cut_off: str
    tasks: list[TaskLine] = field(default_factory=list)
    counts: list[tuple[str, str, int]] = field(default_factory=list)
    total: int = 0
    indicators: list[IndicatorLine] = field(default_factory=list)
    snapshot_day: datetime.date | None = None

    def count(self, status: str) -> int:
        return next((n for code, _label, n in self.counts if code == status), 0)


def scope_tasks(report: UpwardReport) -> list[DirectiveTask]:
    """The tasks the report is about, started by its cut-off (one query)."""
    tasks = DirectiveTask.objects.filter(starts_on__lte=report.period_end)
    if report.province_id:
        tasks = tasks.filter(province_id=report.province_id)
    else:
        assert report.agency_id is not None
        tasks = tasks.filter(lead_agency_id__in=agency_lineage_ids(report.agency_id))
    return list(tasks.select_related("document", "lead_agency").order_by("document__issued_on", "pk"))


def _reports_by_task(tasks: list[DirectiveTask], cut_off: datetime.date) -> dict[int, list[TaskReport]]:
    """Each task's reports submitted on or before the cut-off day (local time), oldest first."""
    local = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    before = datetime.datetime.combine(cut_off + datetime.timedelta(days=1), datetime.time.min, tzinfo=local)
    grouped: dict[int, list[TaskReport]] = defaultdict(list)
    for report in TaskReport.objects.filter(task__in=tasks, submitted_at__lt=before).order_by("submitted_at", "pk"):
        grouped[report.task_id].append(report)
    return grouped


def _deadline_text(task: DirectiveTask, period: Any) -> str:
    if task.deadline:
        return wording.day(task.deadline)
    label = str(task.get_reporting_period_display())
    return f"{label} ({wording.day(period.start)}–{wording.day(period.end)})" if period else label


def _task_lines(tasks: list[DirectiveTask], cut_off: datetime.date) -> list[TaskLine]:
    reports = _reports_by_task(tasks, cut_off)
    lines = []
    for number, task in enumerate(tasks, start=1):
        known = reports.get(task.pk, [])
        assessment, _history = task_assessment(task=task, reports=known, today=cut_off)
        latest = known[-1] if known else None
        lines.append(
            TaskLine(
                number=number,
                task_id=task.pk,
                document=task.document.number,
                content=task.content,
                lead_agency=task.lead_agency.name,
                deadline=_deadline_text(task, assessment.period),
                status=assessment.status.value,
                status_label=str(assessment.status.label),
                percent=latest.percent_done if latest else None,
                narrative=latest.narrative if latest else "",
                note=task.note,
            )
        )
    return lines


def _indicator_lines(
    report: UpwardReport, tasks: list[DirectiveTask]
) -> tuple[list[IndicatorLine], datetime.date | None]:
    codes = list(dict.fromkeys(code for task in tasks for code in task.indicator_codes))
    if not codes:
        return [], None
    day = indicator_selectors.snapshot_date(on=report.period_end)
    labels = indicator_selectors.metric_labels()
    province = report.province
    scope_key = f"p:{province.code}" if province is not None else "nation"
    values = (
        indicator_selectors.figures(day=day, scope_keys=[scope_key], metrics=(*codes, "surveyed_total")) if day else {}
    )
    rounds = list(reversed(indicator_selectors.rounds_with_figures(day)))
    targets = indicator_selectors.targets_for(province=province, metrics=codes)
    lines = []
    for code in codes:
        label = labels.get(code, code)
        survey_round = next((r for r in rounds if (r.pk, scope_key, code) in values), None)
        if survey_round is None or day is None:
            lines.append(
                IndicatorLine(code, label, None, wording.INDICATOR_LINE % {"label": label, "value": wording.NO_FIGURE})
            )
            continue
        value = values[(survey_round.pk, scope_key, code)]
        answers = values.get((survey_round.pk, scope_key, "surveyed_total"))
        small = indicator_selectors.too_few(code, answers)
        shown = None if small else value
        text = wording.INDICATOR_LINE % {
            "label": label,
            "value": wording.TOO_FEW if small else wording.number(shown, percent=code.endswith("_pct")),
        }
        text += wording.INDICATOR_SOURCE % {"day": wording.day(day), "round": survey_round.name}
        # The target that applies to the round's year (the rule of ``target_check``), shown even
        # when the figure is withheld.
        applying = targets.get(code) or []
        target = next((t for t in applying if t.year >= survey_round.opens_on.year), applying[-1] if applying else None)
        if target is not None:
            text += wording.INDICATOR_TARGET % {
                "year": target.year,
                "target": wording.number(target.value, percent=code.endswith("_pct")),
            }
        lines.append(IndicatorLine(code, label, shown, text))
    return lines, day


def upward_content(*, report: UpwardReport) -> UpwardContent:
    """Everything the report shows, as of its cut-off, in Vietnamese (a constant number of queries:
    the status rule runs on the reports read in one query)."""
    with translation.override("vi"):
        tasks = scope_tasks(report)
        lines = _task_lines(tasks, report.period_end)
        tally = Counter(line.status for line in lines)
        indicators, day = _indicator_lines(report, tasks)
        return UpwardContent(
            report=report,
            cut_off=wording.day(report.period_end),
            tasks=lines,
            counts=[(status.value, str(status.label), tally[status.value]) for status in STATUS_ORDER],
            total=len(lines),
            indicators=indicators,
            snapshot_day=day,
        )
