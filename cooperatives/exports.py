"""Exports of the registry: its rows in the columns of the import template (re-importable as
is), and the template itself. The writers are ``coopdx.exports``."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils import translation

from coopdx.exports import neutralise

from .models import Cooperative
from .resources import CLEAR_MARKER, TEMPLATE_HEADERS, CooperativeResource

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
