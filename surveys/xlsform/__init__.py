"""Questionnaire versions in and out as XLSForm, the ODK and KoboToolbox standard survey teams
write in Excel: ``questionnaire_import_xlsform`` makes a draft version of a workbook (to preview,
compare and publish), ``questionnaire_export_xlsform`` writes any version back. Columns and sheets
are declared once in ``columns``; what CoopDX adds to XLSForm is documented in docs/xlsform.md."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from .reading import Problem, XLSFormRefused, read_xlsform
from .writing import write_xlsform

__all__ = ["Problem", "XLSFormRefused", "questionnaire_export_xlsform", "questionnaire_import_xlsform"]


@transaction.atomic
def questionnaire_import_xlsform(*, filename: str, content: bytes) -> Any:
    """A new draft version of the workbook's questionnaire (its ``form_id``): the next version
    number after the latest. ``XLSFormRefused`` names the sheet, row and column of each problem."""
    from ..models import Questionnaire
    from ..questionnaires import questionnaire_load

    data = read_xlsform(filename, content)
    latest = Questionnaire.objects.select_for_update().filter(code=data["code"]).order_by("-version").first()
    data["version"] = latest.version + 1 if latest else 1
    return questionnaire_load(data, publish=False)


def questionnaire_export_xlsform(questionnaire: Any) -> bytes:
    """Any version, draft or published, as an .xlsx XLSForm workbook."""
    return write_xlsform(questionnaire)
