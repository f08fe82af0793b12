"""Spreadsheets built in memory for import tests."""

from __future__ import annotations

import csv
import io

import openpyxl

HEADERS = [
    "Mã số HTX",
    "Tên HTX",
    "Tỉnh/Thành phố",
    "Xã/Phường",
    "Lĩnh vực",
    "Trạng thái",
    "Số thành viên",
    "Ngày thành lập",
    "Địa chỉ",
    "Điện thoại",
    "Email",
    "Website",
]


def row(
    code="8212345678",
    name="Hợp tác xã Xoài Cát Hòa Lộc",
    province="Đồng Tháp",
    ward="",
    sector="Nông nghiệp",
    status="Đang hoạt động",
    members=30,
    founded="15/03/2012",
    address="",
    phone="",
    email="",
    website="",
):
    return [code, name, province, ward, sector, status, members, founded, address, phone, email, website]


def xlsx_bytes(rows, headers=HEADERS) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(list(headers))
    for values in rows:
        sheet.append(list(values))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows, headers=HEADERS, bom=False, encoding="utf-8") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    for values in rows:
        writer.writerow(["" if v is None else v for v in values])
    data = buffer.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data
