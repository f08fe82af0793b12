"""Reading workbooks as Excel writes them (text in a shared-string table), in memory bounded by
the rows kept rather than by what the file unpacks to."""

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from imports.files import ImportFileError, read_table
from tests.sheets import HEADERS, rewritten_xlsx, row, shared_strings_xlsx, xlsx_bytes

ROOT = Path(__file__).resolve().parents[2]


def test_a_workbook_with_a_shared_string_table_reads_as_the_same_workbook_with_inline_text():
    rows = [row(), row(code="8212345679", name="HTX Rau an toàn Tân Phú", members=12)]
    shared = read_table("htx.xlsx", shared_strings_xlsx(rows))
    inline = read_table("htx.xlsx", xlsx_bytes(rows))
    assert shared.headers == inline.headers == HEADERS
    assert shared.rows == inline.rows
    assert shared.rows[1][1][1] == "HTX Rau an toàn Tân Phú"


def test_rich_text_is_read_as_its_runs_joined_without_the_phonetic_hint():
    # The helper stores the table's first entry (here the last text used: "Website") as two runs
    # and a phonetic hint "x".
    sheet = read_table("htx.xlsx", shared_strings_xlsx([row()]))
    assert sheet.headers[-1] == "Website"


def test_a_formula_in_a_shared_string_is_refused_naming_its_cell():
    with pytest.raises(ImportFileError, match="B2"):
        read_table("htx.xlsx", shared_strings_xlsx([row(name=' =HYPERLINK("http://x.example","bấm")')]))


def test_a_cell_pointing_past_the_shared_string_table_is_a_damaged_workbook():
    content = rewritten_xlsx(
        shared_strings_xlsx([row()]),
        "xl/worksheets/sheet1.xml",
        lambda data: data.replace(b'<c r="B2" t="s"><v>', b'<c r="B2" t="s"><v>9999', 1),
    )
    with pytest.raises(ImportFileError, match="hỏng|damaged"):
        read_table("htx.xlsx", content)


def test_a_table_of_a_million_unused_strings_costs_no_memory_beyond_the_rows_kept():
    """200 kB on the wire, 17 MB unpacked (within the ratio and size limits): a reader that loads
    the whole table grows by about 90 MB; this one by the rows it keeps. Measured in a process
    of its own, as the peak resident size around the read."""
    code = textwrap.dedent(
        """
        import json, os, resource
        os.environ["DJANGO_SETTINGS_MODULE"] = "coopdx.settings"
        import django; django.setup()
        from imports.files import read_table
        from tests.sheets import row, shared_strings_xlsx
        content = shared_strings_xlsx([row()], extra_strings=1_000_000, pad_bytes=150_000)
        read_table("warmup.xlsx", shared_strings_xlsx([row()]))
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        sheet = read_table("htx.xlsx", content)
        after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(json.dumps({"rows": len(sheet.rows), "name": sheet.rows[0][1][1], "growth_mb": (after - before) // 1024}))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, result.stderr[-3000:]
    measured = json.loads(result.stdout.strip().splitlines()[-1])
    assert (measured["rows"], measured["name"]) == (1, "Hợp tác xã Xoài Cát Hòa Lộc")
    assert measured["growth_mb"] < 20, f"the read grew the process by {measured['growth_mb']} MB"


def test_a_sheet_numbering_a_row_beyond_excels_last_is_refused():
    import re

    content = rewritten_xlsx(
        xlsx_bytes([row()]),
        "xl/worksheets/sheet1.xml",
        lambda data: re.sub(rb'<row r="2"', b'<row r="1048577"', data).replace(b'r="A2"', b'r="A1048577"'),
    )
    with pytest.raises(ImportFileError) as refused:
        read_table("htx.xlsx", content)
    assert "Excel" in str(refused.value)
