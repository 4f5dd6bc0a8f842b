"""The one workbook writer: text never a formula, formats of money and dates, frozen headers."""

import datetime as dt
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

from fupin.core.tabular import FORMULA_START, Column, WorkbookWriter

ROOT = Path(__file__).resolve().parents[2]


def _book(writer: WorkbookWriter):
    return load_workbook(io.BytesIO(writer.content()))


@pytest.mark.parametrize("text", ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1+1", "\r=1+1"])
def test_text_that_starts_like_a_formula_is_written_as_text(text):
    writer = WorkbookWriter()
    writer.sheet("农户", ["姓名"]).append([text])

    cell = _book(writer).active["A2"]

    # XML reads a lone CR back as LF; what matters is that the cell is text.
    assert (cell.value.strip(), cell.data_type, cell.quotePrefix) == (text.strip(), "s", True)


def test_money_dates_and_kinds_get_their_formats_and_the_header_is_frozen_and_bold():
    writer = WorkbookWriter()
    sheet = writer.sheet(
        "资金",
        ["区划", Column("金额", "money"), "日期", Column("比例", "percent"), "数量"],
        lead=[["标题"], []],
    )
    sheet.append(["洪村", 1234, dt.date(2024, 3, 1), 0.5, 3])
    sheet.append(["沙村", Decimal("12.30"), dt.datetime(2024, 3, 1, 8, 30), None, Decimal("1")])

    ws = _book(writer).active

    assert ws.freeze_panes == "A4"
    assert ws["A3"].value == "区划" and ws["A3"].font.b
    assert (ws["B4"].value, ws["B4"].number_format) == (1234, "#,##0.00")
    assert ws["B5"].number_format == "#,##0.00"
    assert (ws["C4"].value.date(), ws["C4"].number_format) == (dt.date(2024, 3, 1), "yyyy-mm-dd")
    assert ws["C5"].number_format == "yyyy-mm-dd hh:mm"
    assert ws["D4"].number_format == "0.0%"
    assert ws["E4"].number_format == "General" and ws["E5"].number_format == "#,##0.00"


def test_headings_and_titles_are_chinese_whatever_the_user_language():
    with translation.override("en"):
        writer = WorkbookWriter()
        writer.sheet(gettext_lazy("农户"), [gettext_lazy("姓名")]).append(["赵德厚"])

    ws = _book(writer).active

    assert (ws.title, ws["A1"].value) == ("农户", "姓名")


def test_no_module_but_the_writer_makes_a_workbook():
    """Every export goes through `WorkbookWriter`, so every export is guarded."""
    maker = re.compile(r"\bWorkbook\(|from openpyxl import .*\bWorkbook\b|openpyxl\.Workbook")
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "fupin").rglob("*.py")
        if "tests" not in path.parts
        and path != ROOT / "fupin" / "core" / "tabular.py"
        and maker.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
    assert FORMULA_START == ("=", "+", "-", "@", "\t", "\r")
