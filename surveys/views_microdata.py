"""A round's responses with every answer (microdata) as Excel, for officers (their province) and
national readers (the whole country, or one province chosen with ``?province=``); with the data
dictionary on a second sheet. Recorded in the export trail."""

from __future__ import annotations

import re

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.exports import audited
from coopdx.errors import bad_request_response
from coopdx.exports import XLSX
from coopdx.http import AuthenticatedHttpRequest
from cooperatives import selectors as registry

from . import selectors
from .microdata import microdata_layout, microdata_rows, microdata_workbook


@login_required
def round_microdata(request: AuthenticatedHttpRequest, code: str) -> HttpResponseBase:
    user = request.user
    if not user.has_perm("surveys.export_microdata"):
        raise PermissionDenied
    survey_round = selectors.round_get(user=user, code=code)
    responses = selectors.response_list(user=user).filter(round=survey_round)
    filters = {"round": survey_round.code}
    province_code = request.GET.get("province", "").strip()
    if province_code:
        province = registry.province_list(user=user).filter(code=province_code).first()
        if province is None:
            return bad_request_response(request, _("Unknown province: %(code)s.") % {"code": province_code[:20]})
        responses = responses.filter(cooperative__province=province)
        filters["province"] = province.code
    layout = microdata_layout(questionnaire_ids=[survey_round.questionnaire_id], round_ids=[survey_round.pk])
    rows = audited(
        microdata_rows(responses=responses, layout=layout), user=user, kind="responses", fmt="xlsx", filters=filters
    )
    handle = microdata_workbook(responses=responses, layout=layout, rows=rows)
    safe_code = re.sub(r"[^\w.-]+", "-", survey_round.code, flags=re.ASCII).strip("-")
    stem = f"phieu-{safe_code}-{filters.get('province', 'toan-quoc')}-{timezone.localtime():%Y%m%d-%H%M}"
    return FileResponse(handle, as_attachment=True, filename=f"{stem}.xlsx", content_type=XLSX)
