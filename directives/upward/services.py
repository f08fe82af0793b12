"""Writes of upward reports: a draft is created with texts filled from the data, then edited.

Both ask ``directives.prepare_upward_report`` of the agency or province the report is for, so
the pages, the admin and any other path agree on who may prepare it.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coopdx.history import record_by
from cooperatives.models import Province

from ..models import Agency, AgencyKind
from ..status import TaskStatus
from . import wording
from .content import UpwardContent, upward_content
from .models import UpwardReport

if TYPE_CHECKING:
    from accounts.models import User

# What the edit form may change: the heading and the texts, never the scope or the period the
# figures were gathered for (a new period is a new report).
EDITABLE_FIELDS = (
    "superior_agency",
    "agency_name",
    "number",
    "place",
    "issued_on",
    "subject",
    "introduction",
    "difficulties",
    "proposals",
    "recipients",
    "signer_title",
    "signer_name",
)
DEFAULT_RECIPIENTS = "- Văn phòng Chính phủ;\n- Bộ Tài chính;\n- Liên minh Hợp tác xã Việt Nam;\n- Lưu: VT."


def _committee(province: Province) -> Agency | None:
    return Agency.objects.filter(
        kind=AgencyKind.PROVINCIAL_COMMITTEE, province=province, successor__isnull=True
    ).first()


def _heading(report: UpwardReport) -> None:
    """The issuing agency's lines, the number's suffix, the place and the signer's title."""
    if report.province is not None:
        committee = _committee(report.province)
        report.agency_name = (committee.name if committee else f"Ủy ban nhân dân {report.province.name}").upper()
        report.number = "      /BC-UBND"
        report.place = report.province.short_name
        report.signer_title = "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH"
        return
    agency = report.agency
    assert agency is not None
    report.agency_name = agency.name.upper()
    report.number = f"      /BC-{agency.code.split('-')[0]}"
    if agency.province is not None:
        committee = _committee(agency.province)
        if agency.kind == AgencyKind.PROVINCIAL_DEPARTMENT and committee is not None:
            report.superior_agency = committee.name.upper()
        report.place = agency.province.short_name
    else:
        report.place = "Hà Nội"
    report.signer_title = "THỦ TRƯỞNG CƠ QUAN"


def _texts(report: UpwardReport, content: UpwardContent) -> None:
    documents = list(dict.fromkeys(line.document for line in content.tasks))[:3]
    about = ", ".join(documents) if documents else "19/CT-TTg"
    report.subject = (
        f"Kết quả thực hiện nhiệm vụ chuyển đổi số trong khu vực kinh tế hợp tác, hợp tác xã theo {about}, "
        f"kỳ báo cáo từ ngày {wording.day(report.period_start)} đến ngày {wording.day(report.period_end)}"
    )[:500]
    counts = {code: n for code, _label, n in content.counts}
    # "tỉnh Đồng Tháp" in the middle of a sentence; an agency's name as it is.
    province_name = report.province.name if report.province is not None else ""
    who = report.agency.name if report.agency is not None else province_name[:1].lower() + province_name[1:]
    report.introduction = (
        f"Tính đến ngày {content.cut_off}, {who} "
        f"theo dõi {content.total} nhiệm vụ; trong đó {counts[TaskStatus.DONE_ON_TIME]} nhiệm vụ đã hoàn thành "
        f"đúng hạn, {counts[TaskStatus.DONE_LATE]} nhiệm vụ đã hoàn thành quá hạn, "
        f"{counts[TaskStatus.IN_PROGRESS]} nhiệm vụ đang thực hiện trong hạn và {counts[TaskStatus.OVERDUE]} "
        "nhiệm vụ quá hạn chưa hoàn thành."
    )
    overdue = [line for line in content.tasks if line.status == TaskStatus.OVERDUE]
    report.difficulties = (
        "\n".join(f"- Nhiệm vụ quá hạn chưa hoàn thành: {line.content}" for line in overdue)
        if overdue
        else "- (Nêu khó khăn, vướng mắc trong kỳ.)"
    )
    report.proposals = "- (Nêu đề xuất, kiến nghị với cấp trên.)"
    report.recipients = DEFAULT_RECIPIENTS


@transaction.atomic
def upward_report_create(
    *,
    by: User,
    period_start: datetime.date,
    period_end: datetime.date,
    agency: Agency | None = None,
    province: Province | None = None,
) -> UpwardReport:
    """A draft report for an agency or a province and a period, its heading and texts filled
    from the data as of the cut-off (``period_end``); dated today."""
    if (agency is None) == (province is None):
        raise ValidationError(_("Choose either an agency or a province."), code="scope")
    if not by.has_perm("directives.prepare_upward_report", agency or province):
        raise PermissionDenied(_("You may not prepare a report for this agency or province."))
    if period_start > period_end:
        raise ValidationError({"period_end": _("The cut-off date is before the start of the period.")})
    report = UpwardReport(
        agency=agency,
        province=province,
        period_start=period_start,
        period_end=period_end,
        issued_on=timezone.localdate(),
        created_by=by,
    )
    _heading(report)
    _texts(report, upward_content(report=report))
    report.full_clean()
    record_by(report, by)
    report.save()
    return report


@transaction.atomic
def upward_report_update(*, report: UpwardReport, by: User, **fields: Any) -> UpwardReport:
    """Change a draft's heading and texts; the change is kept in its history."""
    if not by.has_perm("directives.prepare_upward_report", report):
        raise PermissionDenied(_("You may not prepare a report for this agency or province."))
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    for name, value in fields.items():
        setattr(report, name, value)
    report.full_clean()
    record_by(report, by)
    report.save()
    return report
