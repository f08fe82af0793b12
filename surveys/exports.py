"""A round's files to download. Its cooperatives as a spreadsheet: the round page's list with who
entered, submitted and reviewed each response, for officers to follow up, call or print, written
by the shared writers (``coopdx.exports``): Viet Nam time, whole numbers as integers. And the
blank template of its paper self-assessment, which the paper import reads back."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from coopdx.exports import neutralise
from cooperatives.models import Cooperative

from .models import Response, ResponseStatus, SurveyRound

if TYPE_CHECKING:
    from accounts.models import User

HEADERS = (
    "Mã số HTX",
    "Tên hợp tác xã",
    "Xã/Phường",
    "Số điện thoại",
    "Email",
    "Người đại diện",
    "Trạng thái",
    "Điểm",
    "Mức",
    "Người nhập",
    "Cán bộ nhập thay",
    "Người gửi",
    "Thời điểm gửi",
    "Người duyệt",
    "Thời điểm duyệt",
)


def _name(user: User | None) -> str:
    return (user.get_full_name() or user.username) if user else ""


def round_export_rows(*, survey_round: SurveyRound, cooperatives: QuerySet[Cooperative]) -> Iterator[list[object]]:
    """The header, then one row per cooperative of ``cooperatives`` (the round page's filtered
    list): two queries whatever the number of rows."""
    responses = {
        r.cooperative_id: r
        for r in Response.objects.filter(round=survey_round, cooperative__in=cooperatives.values("pk")).select_related(
            "entered_by", "submitted_by", "reviewed_by"
        )
    }
    with translation.override("vi"):
        states = {"not_started": _("Not started"), **{s.value: str(s.label) for s in ResponseStatus}}
        yield list(HEADERS)
        for cooperative in cooperatives.iterator(chunk_size=2000):
            response = responses.get(cooperative.pk)
            row: list[object] = [
                cooperative.code,
                cooperative.name,
                cooperative.ward.name if cooperative.ward_id else "",
                cooperative.phone,
                cooperative.email,
                cooperative.representative,
                states[response.status if response else "not_started"],
            ]
            if response:
                row += [
                    response.score,
                    response.level,
                    _name(response.entered_by),
                    "có" if response.is_proxy else "",
                    _name(response.submitted_by),
                    response.submitted_at,
                    _name(response.reviewed_by),
                    response.reviewed_at,
                ]
            else:
                row += [None] * 8
            yield [neutralise(value) for value in row]
