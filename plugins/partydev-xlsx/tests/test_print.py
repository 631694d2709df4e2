"""A workbook ready to print: page setup, print titles, header and footer, title block,
and the check workbook's typed figures, read back with openpyxl."""

from __future__ import annotations

import functools
import io
from datetime import date

import openpyxl
import partydev_xlsx
import pytest
from openpyxl.worksheet.worksheet import Worksheet
from partydev_xlsx import _print

from partydev import check_claims, check_rollup, sample_ledger
from partydev.checks import verdicts_report
from partydev.report import Report
from partydev.shell.testing import sample_report

HEAD = _print.HEADER_ROW + 1
FIRST = HEAD + 1


@functools.cache
def book(which: str, locale: str) -> openpyxl.Workbook:
    """The sample's progress (``report``) or check (``check``) workbook, read back."""
    report: Report = sample_report()
    if which == "check":
        ledger = sample_ledger()
        as_of = date(2023, 6, 30)
        report = verdicts_report(
            check_claims(ledger, as_of), check_rollup(ledger, as_of), ledger=ledger, as_of=as_of
        )
    buffer = io.BytesIO()
    partydev_xlsx.write(report, buffer, {"locale": locale})
    return openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))


def worksheets(which: str, locale: str) -> list[Worksheet]:
    """The worksheets of a workbook."""
    return [ws for ws in book(which, locale).worksheets if isinstance(ws, Worksheet)]


@pytest.mark.parametrize("which", ["report", "check"])
def test_every_sheet_prints_landscape_one_page_wide(which: str) -> None:
    """A4 landscape, fit to one page wide (any number tall), on every sheet."""
    for ws in worksheets(which, "vi"):
        assert ws.page_setup.orientation == "landscape", ws.title
        assert ws.page_setup.paperSize == 9
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        # An absent fitToWidth / fitToHeight is 1, the OOXML default.
        assert (ws.page_setup.fitToWidth or 1) == 1
        tall = ws.page_setup.fitToHeight
        assert (1 if tall is None else tall) == (1 if ws.title == "Biểu đồ" else 0)


def test_headings_repeat_and_name_column_frozen() -> None:
    """The column headings print on every page; the unit name stays in view, ids come last."""
    ws = worksheets("report", "vi")[0]
    assert ws.print_title_rows == f"${HEAD}:${HEAD}"
    assert ws.freeze_panes == f"B{FIRST}"
    assert ws.cell(HEAD, 1).value == "Đơn vị"
    assert ws.cell(FIRST, 1).value == "Đảng bộ tỉnh Quảng Nam"
    last = [ws.cell(HEAD, col).value for col in range(ws.max_column - 1, ws.max_column + 1)]
    assert last == ["Mã đơn vị", "Mã đơn vị cấp trên"]


@pytest.mark.parametrize(
    ("locale", "page", "as_of"),
    [
        ("vi", "Trang &P/&N", "Tính đến ngày: 30/6/2023"),
        ("en", "Page &P of &N", "As of: 2023-06-30"),
    ],
)
def test_header_and_footer(locale: str, page: str, as_of: str) -> None:
    """The page header names the organisation, the table and the date; the footer the
    source, the page of pages and the print date."""
    ws = worksheets("report", locale)[0]
    header, footer = ws.oddHeader, ws.oddFooter
    assert header.left.text == "Đảng bộ tỉnh Quảng Nam"
    assert ws.title.split()[0] in header.center.text
    assert header.right.text == as_of
    assert footer.center.text == page
    assert "Báo Quảng Nam, 7/7/2023" in footer.left.text
    assert "&D" in footer.right.text


def test_title_block_above_each_table() -> None:
    """Organisation, table title, report title with period and date, and source."""
    for ws in worksheets("report", "vi")[:-1]:
        block = [ws.cell(row, 1).value for row in range(1, HEAD)]
        assert block[0] == "Đảng bộ tỉnh Quảng Nam"
        assert (
            block[2] == "Tiến độ phát triển đảng viên nhiệm kỳ 2020–2025, tính đến ngày 30/6/2023"
        )
        assert block[3] == "Nguồn số liệu: Báo Quảng Nam, 7/7/2023"
        assert block[4] is None
        assert ws.cell(1, 1).font.b
        assert ws.cell(2, 1).font.sz == 14
    summary = worksheets("report", "vi")[0]
    assert summary.cell(2, 1).value == "Tiến độ phát triển đảng viên"
    assert worksheets("report", "en")[0].cell(4, 1).value == "Data source: Báo Quảng Nam, 7/7/2023"


def test_check_workbook_figures_are_typed() -> None:
    """Counts are integers shown #,##0, percents are percents with the stated places."""
    ws = worksheets("check", "vi")[0]
    heads = {ws.cell(HEAD, col).value: col for col in range(1, ws.max_column + 1)}
    stated, computed = heads["Giá trị công bố"], heads["Tính lại"]
    rows = {ws.cell(row, heads["Mã"]).value: row for row in range(FIRST, ws.max_row + 1)}
    count = ws.cell(rows["qn-2021"], stated)
    assert (count.value, count.number_format) == (1732, "#,##0")
    percent = ws.cell(rows["qn-term-percent"], computed)
    assert (percent.value, percent.number_format) == (0.605, "0.0%")
    two = ws.cell(rows["ng-percent"], stated)
    assert (two.value, two.number_format) == (0.7657, "0.00%")
    for row in rows.values():
        assert ws.cell(row, stated).number_format != "#,##0.00"


def test_check_sheet_names_whole_words() -> None:
    """The roll-up sheet's 38-character title is cut at a word, not mid-word."""
    names = book("check", "vi").sheetnames
    assert names[1] == "Đối chiếu số liệu cấp trên và"
    assert all(len(name) <= 31 for name in names)
