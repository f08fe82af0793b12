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


def shared_strings_xlsx(rows, headers=HEADERS, extra_strings: int = 0, pad_bytes: int = 0) -> bytes:
    """The workbook of :func:`xlsx_bytes` with its text in a shared-string table, as Excel writes
    it (openpyxl writes inline strings), the texts in reverse order of use so that an index is
    never its position in the sheet, the first one as rich text (runs and a phonetic hint).

    ``extra_strings`` tiny entries that no cell uses, ahead of those used, padded with ``pad_bytes`` incompressible
    bytes to stay under the importer's compression-ratio and unpacked-size limits, make a few
    megabytes that a reader loading the whole table turns into hundreds."""
    import os
    import re
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes(rows, headers)))
    sheet = source.read("xl/worksheets/sheet1.xml").decode()
    texts: list[str] = []

    def to_shared(match: re.Match) -> str:
        texts.append(match.group(2))
        return f'{match.group(1)} t="s"><v>{{{len(texts) - 1}}}</v></c>'

    sheet = re.sub(r'(<c r="[A-Z]+\d+")(?: s="\d+")? t="inlineStr"><is><t>(.*?)</t></is></c>', to_shared, sheet)
    order = list(reversed(range(len(texts))))  # position in the table of the n-th text used
    sheet = re.sub(r"<v>\{(\d+)\}</v>", lambda m: f"<v>{extra_strings + order.index(int(m.group(1)))}</v>", sheet)
    items = []
    for position, used in enumerate(order):
        text = texts[used]
        if position == 0 and len(text) > 1:
            items.append(
                f"<si><r><t>{text[:1]}</t></r><r><rPr><b/></rPr><t>{text[1:]}</t></r>"
                '<rPh sb="0" eb="1"><t>x</t></rPh></si>'
            )
        else:
            items.append(f'<si><t xml:space="preserve">{text}</t></si>')
    namespace = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            data = source.read(member.filename).decode()
            if member.filename == "xl/worksheets/sheet1.xml":
                data = sheet
            elif member.filename == "[Content_Types].xml":
                data = data.replace(
                    "</Types>",
                    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                    'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
                )
            target.writestr(member.filename, data)
        with target.open("xl/sharedStrings.xml", "w") as stream:
            stream.write(f'<sst xmlns="{namespace}">'.encode())
            chunk = b"<si><t>x</t></si>" * 10_000
            for _ in range(extra_strings // 10_000):
                stream.write(chunk)
            stream.write(b"<si><t>x</t></si>" * (extra_strings % 10_000))
            stream.write("".join(items).encode())
            stream.write(b"</sst>")
        if pad_bytes:
            target.writestr("xl/media/padding.bin", os.urandom(pad_bytes), zipfile.ZIP_STORED)
    return buffer.getvalue()


def rewritten_xlsx(content: bytes, member: str, change) -> bytes:
    """The workbook with one of its parts passed through ``change`` (bytes to bytes)."""
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            target.writestr(info.filename, change(data) if info.filename == member else data)
    return buffer.getvalue()
