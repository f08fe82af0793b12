"""Spreadsheet columns of the registry: the Vietnamese headers, their accepted spellings,
and the django-import-export resource used for the template and the exports.

Field mapping only; the rules live in ``cooperatives.importing`` and the services.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from import_export import fields, resources

from .models import Cooperative
from .text import fold


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    aliases: tuple[str, ...] = ()

    @property
    def spellings(self) -> tuple[str, ...]:
        return (self.header, self.key, *self.aliases)


IMPORT_COLUMNS = (
    Column("code", "Mã số HTX", ("Mã HTX", "Mã số", "Mã số thuế", "Mã số doanh nghiệp", "Cooperative code", "Code")),
    Column("name", "Tên HTX", ("Tên hợp tác xã", "Tên", "Name")),
    Column("province", "Tỉnh/Thành phố", ("Tỉnh", "Tỉnh thành phố", "Tỉnh/TP", "Province")),
    Column("ward", "Xã/Phường", ("Phường/Xã", "Xã", "Phường", "Xã/Phường/Đặc khu", "Ward")),
    Column("sector", "Lĩnh vực", ("Ngành", "Lĩnh vực hoạt động", "Sector")),
    Column("status", "Trạng thái", ("Tình trạng", "Tình trạng hoạt động", "Status")),
    Column("members_count", "Số thành viên", ("Thành viên", "Members")),
    Column("founded_on", "Ngày thành lập", ("Ngày đăng ký", "Founded", "Founding date")),
    Column("address", "Địa chỉ", ("Địa chỉ trụ sở", "Address")),
    Column("phone", "Điện thoại", ("Số điện thoại", "SĐT", "Phone")),
    Column("email", "Email", ("E-mail", "Thư điện tử")),
    Column("website", "Website", ("Trang web", "Web")),
    Column("representative", "Người đại diện", ("Đại diện", "Giám đốc", "Representative")),
)
# Only the code must be a column: a file may carry just the columns it updates. A new
# cooperative needs these too (checked per row).
REQUIRED_COLUMNS = ("code",)
REQUIRED_FOR_NEW = ("name", "province", "sector")
# The column of the workbook of errors that the import page offers (see ``importing.report``).
ERRORS_HEADER = "Lỗi cần sửa"
# Columns our own exports and error workbooks add; recognised on re-import and ignored without a warning.
EXPORT_ONLY_HEADERS = ("Mức độ trưởng thành số", ERRORS_HEADER)
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


class CooperativeResource(resources.ModelResource):
    """Export of the registry with the template's Vietnamese headers (re-importable as is)."""

    code = fields.Field(attribute="code", column_name="Mã số HTX")
    name = fields.Field(attribute="name", column_name="Tên HTX")
    province = fields.Field(attribute="province__name", column_name="Tỉnh/Thành phố")
    ward = fields.Field(attribute="ward__name", column_name="Xã/Phường")
    sector = fields.Field(attribute="sector__name", column_name="Lĩnh vực")
    status = fields.Field(attribute="get_status_display", column_name="Trạng thái")
    members_count = fields.Field(attribute="members_count", column_name="Số thành viên")
    founded_on = fields.Field(attribute="founded_on", column_name="Ngày thành lập")
    address = fields.Field(attribute="address", column_name="Địa chỉ")
    phone = fields.Field(attribute="phone", column_name="Điện thoại")
    email = fields.Field(attribute="email", column_name="Email")
    website = fields.Field(attribute="website", column_name="Website")
    representative = fields.Field(attribute="representative", column_name="Người đại diện")
    maturity_level = fields.Field(attribute="maturity_level", column_name="Mức độ trưởng thành số")

    class Meta:
        model = Cooperative
        fields = (
            "code",
            "name",
            "province",
            "ward",
            "sector",
            "status",
            "members_count",
            "founded_on",
            "address",
            "phone",
            "email",
            "website",
            "representative",
            "maturity_level",
        )
        export_order = fields

    def dehydrate_founded_on(self, cooperative: Cooperative) -> str:
        return cooperative.founded_on.strftime("%d/%m/%Y") if cooperative.founded_on else ""
