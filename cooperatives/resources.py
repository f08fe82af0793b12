"""Spreadsheet columns of the registry, declared once as a django-import-export resource: the
Vietnamese headers, their accepted spellings, and the attribute each reads.

Field mapping only; the rules live in ``cooperatives.importing`` and the services.
"""

from __future__ import annotations

import re
from typing import Any

from import_export import fields, resources

from .models import Cooperative
from .text import fold


class Column(fields.Field):
    """A registry column: its Vietnamese header, the other spellings an import accepts, and the
    model attribute it reads. The resource below declares each column once, as one of these;
    the importer, the template, the error workbook and the export all read that declaration."""

    def __init__(
        self, key: str, header: str, aliases: tuple[str, ...] = (), *, attribute: str | None = None, **kwargs: Any
    ) -> None:
        super().__init__(attribute=attribute or key, column_name=header, **kwargs)
        self.key = key
        self.header = header
        self.aliases = aliases

    @property
    def spellings(self) -> tuple[str, ...]:
        return (self.header, self.key, *self.aliases)


class CooperativeResource(resources.Resource):
    """The registry's spreadsheet columns, in the template's order: the import reads the
    columns that are not read-only; the export writes them all (it adds the maturity level)."""

    code = Column(
        "code", "Mã số HTX", ("Mã HTX", "Mã số", "Mã số thuế", "Mã số doanh nghiệp", "Cooperative code", "Code")
    )
    name = Column("name", "Tên HTX", ("Tên hợp tác xã", "Tên", "Name"))
    province = Column(
        "province", "Tỉnh/Thành phố", ("Tỉnh", "Tỉnh thành phố", "Tỉnh/TP", "Province"), attribute="province__name"
    )
    ward = Column(
        "ward", "Xã/Phường", ("Phường/Xã", "Xã", "Phường", "Xã/Phường/Đặc khu", "Ward"), attribute="ward__name"
    )
    sector = Column("sector", "Lĩnh vực", ("Ngành", "Lĩnh vực hoạt động", "Sector"), attribute="sector__name")
    status = Column(
        "status", "Trạng thái", ("Tình trạng", "Tình trạng hoạt động", "Status"), attribute="get_status_display"
    )
    members_count = Column("members_count", "Số thành viên", ("Thành viên", "Members"))
    founded_on = Column("founded_on", "Ngày thành lập", ("Ngày đăng ký", "Founded", "Founding date"))
    address = Column("address", "Địa chỉ", ("Địa chỉ trụ sở", "Address"))
    phone = Column("phone", "Điện thoại", ("Số điện thoại", "SĐT", "Phone"))
    email = Column("email", "Email", ("E-mail", "Thư điện tử"))
    website = Column("website", "Website", ("Trang web", "Web"))
    representative = Column("representative", "Người đại diện", ("Đại diện", "Giám đốc", "Representative"))
    # Kept by the survey services, never imported.
    maturity_level = Column("maturity_level", "Mức độ trưởng thành số", readonly=True)

    def dehydrate_founded_on(self, cooperative: Cooperative) -> str:
        return cooperative.founded_on.strftime("%d/%m/%Y") if cooperative.founded_on else ""


COLUMNS: tuple[Column, ...] = tuple(field for field in CooperativeResource.fields.values() if isinstance(field, Column))
IMPORT_COLUMNS = tuple(column for column in COLUMNS if not column.readonly)
# Only the code must be a column: a file may carry just the columns it updates. A new
# cooperative needs these too (checked per row).
REQUIRED_COLUMNS = ("code",)
REQUIRED_FOR_NEW = ("name", "province", "sector")
# The column of the workbook of errors that the import page offers (see ``importing.report``).
ERRORS_HEADER = "Lỗi cần sửa"
# Columns our own exports and error workbooks add; recognised on re-import and ignored without a warning.
EXPORT_ONLY_HEADERS = (*(column.header for column in COLUMNS if column.readonly), ERRORS_HEADER)
# The downloadable template carries every importable column, in this order.
TEMPLATE_HEADERS = [column.header for column in IMPORT_COLUMNS]

# A blank cell keeps the stored value; this marker in a cell empties the field instead.
CLEAR_MARKER = "(xoá)"
_CLEAR_SPELLINGS = {"(xoa)"}  # folded: "(xoá)", "(xóa)", "(XOÁ)", "(xoa)"


def is_clear_marker(text: str) -> bool:
    return fold(text).replace(" ", "") in _CLEAR_SPELLINGS


def header_key(header: str) -> str:
    """Fold a header so that case, spacing, diacritics and spaces around / or - do not matter."""
    return re.sub(r"\s*([/\-])\s*", r"\1", fold(header))
