"""The blank workbook to fill in for a bulk import of support received."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable

from .importing import HEADERS
from .models import SupportProgramme


def template_workbook(*, programmes: Iterable[SupportProgramme]) -> tempfile.SpooledTemporaryFile:
    """The columns to fill in, a guide, and the programmes the user may name (their codes)."""
    import openpyxl
    from openpyxl.styles import Font

    workbook = openpyxl.Workbook()
    sheet = workbook.create_sheet("Hỗ trợ", 0)
    workbook.remove(workbook.worksheets[1])  # the blank sheet a new workbook starts with
    sheet.append(list(HEADERS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.number_format = "@"
    for letter, width in zip("ABCD", (16, 22, 18, 50), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    guide = workbook.create_sheet("Hướng dẫn")
    for line in (
        "Mỗi dòng của trang Hỗ trợ là một lần hợp tác xã nhận hỗ trợ của một chương trình.",
        "Mã số HTX: mã số của hợp tác xã trong sổ đăng ký (10 chữ số, chi nhánh thêm -3 chữ số).",
        "Mã chương trình: xem trang Chương trình. Ngày nhận hỗ trợ: dd/mm/yyyy, trong các năm của chương trình.",
        "Ghi chú: không bắt buộc. Nhập lại cùng một dòng (cùng HTX, chương trình và ngày) không tạo bản ghi trùng.",
        "Nếu có dòng lỗi, không dòng nào được ghi; tải tệp đánh dấu lỗi, sửa và tải lên lại.",
    ):
        guide.append([line])
    guide.column_dimensions["A"].width = 110
    listing = workbook.create_sheet("Chương trình")
    listing.append(["Mã chương trình", "Tên", "Đơn vị hỗ trợ", "Năm"])
    for cell in listing[1]:
        cell.font = Font(bold=True)
    for programme in programmes:
        listing.append([programme.code, programme.name_vi, programme.provider, programme.years])
    for letter, width in zip("ABCD", (20, 60, 40, 12), strict=True):
        listing.column_dimensions[letter].width = width
    handle = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 - FileResponse closes it
    workbook.save(handle)
    handle.seek(0)
    return handle
