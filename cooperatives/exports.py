"""Streaming exports of the registry (CSV and XLSX), formula injection neutralised.

``csv_stream`` and ``xlsx_file`` are the writers of every export (registry, task board,
dashboard tables, API bulk CSV, import error workbooks). They write each value the same way:

* a date-time is in Viet Nam time (``TIME_ZONE``, Asia/Ho_Chi_Minh), whatever zone it was read
  in, and says so: CSV as ISO 8601 with its offset (``2026-04-01T21:33:05+07:00``); XLSX as a real
  date-time cell in local time (Excel has no zones) displayed ``01/04/2026 21:33:05 (UTC+07:00)``;
* a whole number is an integer (``50``, never ``50.0``), whether it came as a ``Decimal`` from
  an aggregate or a float from rounding; other numbers keep their decimals;
* a date is a date (XLSX: ``DD/MM/YYYY``; CSV: as the caller formatted it, ISO otherwise).
"""

from __future__ import annotations

import csv
import datetime
import re
import tempfile
from collections.abc import Iterator
from decimal import Decimal

from django.db.models import QuerySet
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.http import content_disposition_header

from .models import Cooperative
from .resources import CLEAR_MARKER, TEMPLATE_HEADERS, CooperativeResource

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """A cell that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def export_value(value: object) -> object:
    """A value as every export writes it: Viet Nam time, whole numbers as integers."""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    if isinstance(value, Decimal) and value.is_finite():
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


# The resource renders every field as text; these are numbers a spreadsheet must count with.
NUMBER_ATTRIBUTES = ("members_count", "maturity_level")


def export_rows(queryset: QuerySet[Cooperative]) -> Iterator[list[object]]:
    """The header row, then one row per cooperative, read in chunks (constant memory)."""
    resource = CooperativeResource()
    numbers = [
        (index, field.attribute)
        for index, field in enumerate(resource.get_export_fields())
        if field.attribute in NUMBER_ATTRIBUTES
    ]
    with translation.override("vi"):
        yield resource.get_export_headers()
        for cooperative in queryset.select_related("province", "ward", "sector").iterator(chunk_size=2000):
            row = resource.export_resource(cooperative)
            for index, attribute in numbers:
                row[index] = getattr(cooperative, attribute)
            yield [neutralise(value) for value in row]


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_cell(value: object) -> object:
    value = export_value(value)
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.isoformat(timespec="seconds")
    return value


def csv_stream(rows: Iterator[list[object]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # BOM, so that Excel opens UTF-8 Vietnamese correctly
    for row in rows:
        yield writer.writerow([_csv_cell(value) for value in row])


def _utc_offset(value: datetime.datetime) -> str:
    offset = value.strftime("%z")  # "+0700"
    return f"UTC{offset[:3]}:{offset[3:]}"


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download(rows: Iterator[list[object]], *, fmt: str, stem: str, sheet_name: str = "HTX") -> HttpResponse:
    """The rows as a download named ``<stem>.<fmt>``: CSV streamed, XLSX spooled to disk first."""
    filename = f"{stem}.{fmt}"
    if fmt == "csv":
        response = StreamingHttpResponse(csv_stream(rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
        return response
    return FileResponse(
        xlsx_file(rows, sheet_name=sheet_name), as_attachment=True, filename=filename, content_type=XLSX
    )


def sheet_title(name: str) -> str:
    """A name Excel accepts for a sheet: none of : \\ / ? * [ ], no apostrophe at either end, at
    most 31 characters (names come from data, e.g. a round's code)."""
    title = re.sub(r"[:\\/?*\[\]]", "-", name).strip("'")[:31]
    return title or "Sheet"


def xlsx_file(rows: Iterator[list[object]], sheet_name: str = "HTX") -> tempfile.SpooledTemporaryFile:
    """Write the rows with openpyxl's write-only mode to a temporary file, ready to stream."""
    import openpyxl
    from openpyxl.cell import WriteOnlyCell

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title(sheet_name))
    for row in rows:
        cells = []
        for raw in row:
            value = export_value(raw)
            number_format = None
            if isinstance(value, datetime.datetime):
                # Excel has no time zones: the local time, with the zone in the displayed text.
                number_format = "DD/MM/YYYY HH:MM:SS"
                if timezone.is_aware(value):
                    number_format += f' "({_utc_offset(value)})"'
                    value = value.replace(tzinfo=None)
            elif isinstance(value, datetime.date):
                number_format = "DD/MM/YYYY"
            cell = WriteOnlyCell(sheet, value="" if value is None else value)
            # openpyxl treats a string starting with "=" as a formula unless told otherwise.
            if isinstance(value, str):
                cell.data_type = "s"
            elif number_format:
                cell.number_format = number_format
            cells.append(cell)
        sheet.append(cells)
    handle = tempfile.SpooledTemporaryFile(max_size=32 * 1024 * 1024)  # noqa: SIM115 - FileResponse closes it
    workbook.save(handle)
    handle.seek(0)
    return handle


def template_workbook() -> tempfile.SpooledTemporaryFile:
    """The import template: an empty first sheet with the headers, then guidance and code lists."""
    import openpyxl
    from openpyxl.styles import Font

    from .models import CooperativeStatus, Province, Sector

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "HTX"
    sheet.append(list(TEMPLATE_HEADERS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, width in enumerate([14, 40, 20, 24, 26, 18, 14, 16, 40, 16, 28, 28, 26], start=1):
        sheet.column_dimensions[openpyxl.utils.get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    guide = workbook.create_sheet("Hướng dẫn")
    with translation.override("vi"):
        for line in (
            ["Nhập mỗi hợp tác xã trên một dòng của trang HTX, giữ nguyên dòng tiêu đề."],
            ["Mã số HTX: 10 chữ số (mã số doanh nghiệp/mã số thuế), chi nhánh thêm -3 chữ số, ví dụ 0101234567-001."],
            ["Tỉnh/Thành phố: tên hoặc mã tỉnh hiện hành; tên tỉnh trước 01/7/2025 được chuyển sang tỉnh kế thừa."],
            ["Lĩnh vực: tên hoặc mã (xem trang Danh mục). Trạng thái: Đang hoạt động, Tạm ngừng hoạt động, Giải thể."],
            ["Ngày thành lập: dd/mm/yyyy. Không dùng công thức; dán giá trị."],
            ["Nhập lại cùng một tệp sẽ cập nhật theo Mã số HTX, không tạo bản ghi trùng."],
            ["Người đại diện: họ tên người đại diện theo pháp luật của hợp tác xã."],
            [],
            ["Cập nhật hợp tác xã đã có:"],
            ["• Chỉ cột Mã số HTX là bắt buộc; hợp tác xã mới cần thêm Tên HTX, Tỉnh/Thành phố và Lĩnh vực."],
            ["• Cột không có trong tệp thì không bị thay đổi. Ô để trống giữ nguyên giá trị đã lưu."],
            [
                f"• Muốn xoá một thông tin đã lưu, ghi {CLEAR_MARKER} vào ô đó (Xã/Phường, Số thành viên, "
                "Ngày thành lập, Địa chỉ, Điện thoại, Email, Website, Người đại diện). "
                "Mã số, Tên, Tỉnh/Thành phố, Lĩnh vực và Trạng thái không xoá được."
            ],
            ["• Trước khi ghi, trang kiểm tra liệt kê từng thay đổi (giá trị cũ → giá trị mới) để bạn xác nhận."],
            [],
            ["Ví dụ:"],
            list(TEMPLATE_HEADERS),
            [
                "0101234567",
                "Hợp tác xã Nông nghiệp Mẫu",
                "Hà Nội",
                "Phường Ba Đình",
                "Nông nghiệp",
                "Đang hoạt động",
                25,
                "15/03/2012",
                "Số 1 đường Mẫu",
                "0243 123 4567",
                "htxmau@example.vn",
                "",
                "Nguyễn Văn An",
            ],
        ):
            guide.append(line)
        lists = workbook.create_sheet("Danh mục")
        lists.append(["Lĩnh vực", "Mã lĩnh vực", "", "Tỉnh/Thành phố", "Mã tỉnh", "", "Trạng thái"])
        sectors = list(Sector.objects.values_list("name", "code"))
        provinces = list(Province.objects.order_by("code").values_list("name", "code"))
        statuses = [label for _, label in CooperativeStatus.choices]
        for index in range(max(len(sectors), len(provinces), len(statuses))):
            sector = sectors[index] if index < len(sectors) else ("", "")
            province = provinces[index] if index < len(provinces) else ("", "")
            status = str(statuses[index]) if index < len(statuses) else ""
            lists.append([*sector, "", *province, "", status])
    handle = tempfile.SpooledTemporaryFile(max_size=4 * 1024 * 1024)  # noqa: SIM115 - FileResponse closes it
    workbook.save(handle)
    handle.seek(0)
    return handle
