"""What each kind of export reads: its columns, its data dictionary, its rows and their count.

Every source starts from the creator's scoped selector (``response_list``, ``cooperative_list``,
``snapshot_list``), so a job holds only rows its creator may read, whatever the filters say and
whatever roles are added later. Rows are read with ``values_list().iterator(chunk_size=)``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from coopdx.exports import neutralise
from cooperatives import selectors as registry
from indicators import sdmx
from indicators.selectors import snapshot_date, snapshot_list, too_few
from surveys import selectors as surveys
from surveys.microdata import microdata_dictionary, microdata_layout, microdata_rows

from .models import ExportFormat, ExportJob, ExportKind

if TYPE_CHECKING:
    from accounts.models import User

CHUNK_SIZE = 2000


@dataclass
class Source:
    rows: Iterator[list[object]]  # the header first
    total: int
    dictionary: list[list[object]]  # the header first


REGISTRY_FIELDS = (
    ("code", "code", "Mã số HTX", "Cooperative code", "text"),
    ("name", "name", "Tên hợp tác xã", "Name", "text"),
    ("province_code", "province__code", "Mã tỉnh/thành phố", "Province code", "text"),
    ("province", "province__name", "Tỉnh/thành phố", "Province", "text"),
    ("ward_code", "ward__code", "Mã xã/phường", "Ward/commune code", "text"),
    ("ward", "ward__name", "Xã/phường", "Ward/commune", "text"),
    ("sector_code", "sector__code", "Mã lĩnh vực", "Sector code", "text"),
    ("sector", "sector__name", "Lĩnh vực", "Sector", "text"),
    ("status", "status", "Tình trạng hoạt động", "Status (active, suspended, dissolved)", "code"),
    ("members_count", "members_count", "Số thành viên", "Members", "integer"),
    ("founded_on", "founded_on", "Ngày thành lập", "Founded", "date"),
    ("traceability", "traceability", "Truy xuất nguồn gốc", "Traceability", "code"),
    ("maturity_level", "maturity_level", "Mức trưởng thành số", "Digital maturity level", "integer"),
    ("updated_at", "updated_at", "Cập nhật lúc", "Updated", "datetime"),
)
FIGURE_FIELDS = (
    ("snapshot_date", "snapshot_date", "Ngày tính", "Snapshot date", "date"),
    ("round", "round__code", "Mã đợt khảo sát", "Survey round code", "text"),
    ("scope", "scope", "Phạm vi", "Scope (nation, province, sector, province_sector, ward)", "code"),
    ("scope_key", "scope_key", "Khóa phạm vi", "Scope key", "text"),
    ("province", "province__code", "Mã tỉnh/thành phố", "Province code", "text"),
    ("sector", "sector__code", "Mã lĩnh vực", "Sector code", "text"),
    ("ward", "ward__code", "Mã xã/phường", "Ward/commune code", "text"),
    ("metric", "metric", "Chỉ tiêu", "Indicator", "code"),
    ("value", "value", "Giá trị (trống nếu dưới 5 phiếu)", "Value (empty over fewer than 5 answers)", "number"),
    ("numerator", "numerator", "Tử số", "Numerator", "integer"),
    ("denominator", "denominator", "Mẫu số (số phiếu)", "Denominator (answers)", "integer"),
    ("suppressed", None, "Ẩn do ít phiếu", "Suppressed: fewer than 5 answers", "boolean"),
)


def _dictionary(fields: tuple[tuple[str, str | None, str, str, str], ...]) -> list[list[object]]:
    lines: list[list[object]] = [["column", "text_vi", "text_en", "type", "codes"]]
    return lines + [[name, text_vi, text_en, kind, ""] for name, _path, text_vi, text_en, kind in fields]


def source_for(job: ExportJob, *, user: User) -> Source:
    """The job's rows as ``user`` (its creator) may read them, narrowed by its filters."""
    if job.kind == ExportKind.RESPONSES:
        rounds = surveys.round_list(user=user)
        if job.rounds:
            rounds = rounds.filter(code__in=job.rounds)
        responses = surveys.response_list(user=user).filter(round__in=rounds.values("pk"))
        if job.provinces:
            responses = responses.filter(cooperative__province__code__in=job.provinces)
        layout = microdata_layout(
            questionnaire_ids=set(rounds.values_list("questionnaire_id", flat=True)),
            round_ids=set(rounds.values_list("pk", flat=True)),
        )
        return Source(
            rows=microdata_rows(responses=responses, layout=layout),
            total=responses.count(),
            dictionary=list(microdata_dictionary(layout)),
        )
    if job.kind == ExportKind.REGISTRY:
        cooperatives = registry.cooperative_list(user=user)
        if job.provinces:
            cooperatives = cooperatives.filter(province__code__in=job.provinces)
        return Source(
            rows=_registry_rows(cooperatives),
            total=cooperatives.count(),
            dictionary=_dictionary(REGISTRY_FIELDS),
        )
    day = snapshot_date()
    figures = snapshot_list(user=user).filter(snapshot_date=day) if day else snapshot_list(user=user).none()
    if job.rounds:
        figures = figures.filter(round__code__in=job.rounds)
    if job.provinces:
        figures = figures.filter(province__code__in=job.provinces)
    if job.fmt == ExportFormat.SDMX_CSV:
        dictionary: list[list[object]] = [["column", "text_vi", "text_en", "type", "codes"]]
        dictionary += [[name, name, name, "sdmx", ""] for name in sdmx.HEADER]
        return Source(rows=sdmx.sdmx_rows(figures), total=figures.count(), dictionary=dictionary)
    return Source(rows=_figure_rows(figures), total=figures.count(), dictionary=_dictionary(FIGURE_FIELDS))


def _registry_rows(cooperatives) -> Iterator[list[object]]:
    yield [name for name, *_rest in REGISTRY_FIELDS]
    paths = [path for _name, path, *_rest in REGISTRY_FIELDS]
    for row in cooperatives.order_by("pk").values_list(*paths).iterator(chunk_size=CHUNK_SIZE):
        yield [neutralise(value) for value in row]


def _figure_rows(figures) -> Iterator[list[object]]:
    yield [name for name, *_rest in FIGURE_FIELDS]
    paths = [path for _name, path, *_rest in FIGURE_FIELDS if path]
    rows = figures.order_by("round", "scope_key", "metric", "pk").values_list(*paths).iterator(chunk_size=CHUNK_SIZE)
    metric_at, value_at, numerator_at, denominator_at = 7, 8, 9, 10
    for row in rows:
        values = list(row)
        suppressed = values[value_at] is not None and too_few(values[metric_at], values[denominator_at])
        if suppressed:
            values[value_at] = values[numerator_at] = None
        yield [*values, suppressed]
