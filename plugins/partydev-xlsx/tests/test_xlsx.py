"""The XLSX exporter: typed cells, formats, sheet names, chart, determinism, limits."""

from __future__ import annotations

import io
import re
import time
import zipfile
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from xml.etree import ElementTree

import openpyxl
import partydev_xlsx
import pytest
from openpyxl.worksheet.worksheet import Worksheet
from partydev_xlsx import _print, _sheets, _workbook

from partydev.errors import ExportError
from partydev.labels import label
from partydev.report import Column, Report, Table

STREAMING = ["off", "on"]
HEAD = _print.HEADER_ROW + 1  # the 1-based row of the column headings, below the title block
FIRST = HEAD + 1  # the first data row
CLAIMS = "Số liệu nêu trong nguồn so sánh"  # the fixture's second sheet, named at a word
HYPERLINK = '=HYPERLINK("http://x","y")'  # the third unit's name in conftest


def export(report: Report, **options: Any) -> bytes:
    """The XLSX bytes of *report* with *options*."""
    buffer = io.BytesIO()
    partydev_xlsx.write(report, buffer, options)
    return buffer.getvalue()


def load(data: bytes) -> openpyxl.Workbook:
    """Read XLSX bytes back with openpyxl."""
    return openpyxl.load_workbook(io.BytesIO(data))


def sheet(book: openpyxl.Workbook, index: int) -> Worksheet:
    """The worksheet at *index* (chart sheets excluded)."""
    found = book.worksheets[index]
    assert isinstance(found, Worksheet)
    return found


@pytest.mark.parametrize("streaming", STREAMING)
def test_values_and_types_read_back(report: Report, streaming: str) -> None:
    """Numbers are numbers, percents are fractions, dates are dates, None is blank."""
    ws = sheet(load(export(report, streaming=streaming)), 0)
    assert [c.value for c in ws[HEAD]][:3] == ["Tên đơn vị", "Cấp", "Cấp độ"]
    assert ws.cell(HEAD, ws.max_column).value == "Mã đơn vị"  # ids at the end
    row = {ws.cell(HEAD, i + 1).value: ws.cell(FIRST, i + 1) for i in range(ws.max_column)}
    assert row["Tên đơn vị"].value == "Thành phố Hà Nội"
    assert row["Tên đơn vị"].data_type == "s"
    assert row["Cấp"].value == "Tỉnh, thành phố"
    assert row["Chỉ tiêu"].value == 7500
    assert row["Chỉ tiêu"].data_type == "n"
    assert row["Tỷ lệ thực hiện"].value == pytest.approx(0.605, abs=0)
    assert row["Thời gian đã qua"].value == float(Decimal("0.5003"))
    assert row["Bình quân mỗi năm"].value == 1512.33
    assert row["Tính đến"].value == datetime(2023, 6, 30)
    assert row["Tính đến"].is_date
    assert ws.cell(FIRST + 1, 5).value is None
    assert ws.cell(FIRST + 1, 6).value is None


@pytest.mark.parametrize("streaming", STREAMING)
def test_formula_text_stays_text(report: Report, streaming: str) -> None:
    """A unit named like a formula reads back as that exact string, not a formula."""
    ws = sheet(load(export(report, streaming=streaming)), 0)
    cell = ws.cell(FIRST + 2, 1)
    assert cell.value == HYPERLINK
    assert cell.data_type == "s"
    with zipfile.ZipFile(io.BytesIO(export(report, streaming=streaming))) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml
    assert "hyperlink" not in xml.lower().replace("=hyperlink(", "")


def test_number_formats(report: Report) -> None:
    """Integers #,##0; percents follow places (0.0%, 0.00%, 0%); dates d/m/yyyy in vi."""
    book = load(export(report))
    ws = sheet(book, 0)
    assert ws.cell(FIRST, 4).number_format == "#,##0"
    assert ws.cell(FIRST, 6).number_format == "0.0%"
    assert ws.cell(FIRST, 7).number_format == "0.00%"
    assert ws.cell(FIRST, 8).number_format == "#,##0.00"
    assert ws.cell(FIRST, 9).number_format == "d/m/yyyy"
    assert book[CLAIMS].cell(FIRST, 2).number_format == "0%"
    en = sheet(load(export(report, locale="en")), 0)
    assert en.cell(FIRST, 9).number_format == "yyyy-mm-dd"
    assert en.cell(HEAD, 1).value == "Unit"
    assert en.cell(FIRST, 2).value == "Province"


@pytest.mark.parametrize("streaming", STREAMING)
def test_header_frozen_bold_filtered(report: Report, streaming: str) -> None:
    """The heading row is bold and frozen with the name column; the autofilter covers
    heading and data; one rule draws thin borders over the whole table."""
    book = load(export(report, streaming=streaming))
    ws = sheet(book, 0)
    assert ws.freeze_panes == f"B{FIRST}"
    assert ws.auto_filter.ref == f"A{HEAD}:J{HEAD + 3}"
    assert ws.cell(HEAD, 1).font.b
    assert ws.cell(HEAD, 1).alignment.wrap_text
    assert book[CLAIMS].auto_filter.ref == f"A{HEAD}:C{HEAD + 1}"
    (borders,) = ws.conditional_formatting
    assert str(borders.sqref) == f"A{HEAD}:J{HEAD + 3}"
    assert borders.rules[0].dxf.border.left.style == "thin"


def test_depth_indents_unit_name(report: Report) -> None:
    """The unit name is indented by the integer depth column."""
    ws = sheet(load(export(report)), 0)
    assert [ws.cell(r, 1).alignment.indent for r in range(FIRST, FIRST + 3)] == [0, 1, 2]


def test_column_widths_follow_content(report: Report) -> None:
    """Columns are as wide as their longest text, Vietnamese counted by characters."""
    ws = sheet(load(export(report)), 0)
    width = ws.column_dimensions["A"].width
    assert width is not None
    assert len(HYPERLINK) + 2 <= width < len(HYPERLINK) + 4


def test_sheet_names_valid_and_unique(report: Report) -> None:
    """Sheet names are <= 31 characters, without []:*?/\\, unique, summary first."""
    book = load(export(report, chart_level="cell"))
    names = book.sheetnames
    assert names[0] == "Tổng hợp thực hiện chỉ tiêu"
    assert names[-1] == "Thông tin báo cáo"
    assert "Biểu đồ" in names
    assert len({n.lower() for n in names}) == len(names)
    for name in names:
        assert 0 < len(name) <= 31
        assert not re.search(r"[\[\]:*?/\\]", name)
        assert not name.startswith("'")
        assert not name.endswith("'")


def test_sheet_name_dedupe_and_cleanup() -> None:
    """Clashing, empty, reserved and apostrophe-wrapped titles become valid distinct names."""
    long = "Số liệu nêu trong nguồn: so sánh/đối chiếu [2021–2025]"
    names = _sheets.sheet_names([long, long.upper(), "", "History", "'Báo cáo'", "a" * 40])
    assert names[0] == "Số liệu nêu trong nguồn so sánh"
    assert names[1] == "SỐ LIỆU NÊU TRONG NGUỒN SO (2)"
    assert names[2] == "Sheet3"
    assert names[3] == "History (2)"
    assert names[4] == "Báo cáo"
    assert names[5] == "a" * 31


def test_metadata_sheet(report: Report) -> None:
    """The metadata sheet lists labels and values: codes as words, dates as dates."""
    ws = load(export(report))["Thông tin báo cáo"]
    assert isinstance(ws, Worksheet)
    rows = {r[0]: r[1] for r in ws.iter_rows(min_row=2, values_only=True)}
    assert rows["Tính đến ngày"] == datetime(2023, 6, 30)
    assert rows["Cách làm tròn"] == "Làm tròn nửa lên"
    assert rows["Số chữ số thập phân"] == 1
    assert rows["Ngưỡng đánh giá tiến độ (%)"] == 5
    assert rows["Nguồn số liệu"] is None
    assert ws.freeze_panes == "A2"
    assert ws.page_setup.orientation == "landscape"


# The chart is checked in the file's own XML (openpyxl keeps the charts it reads private).
_C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


def _found(element: ElementTree.Element, path: str) -> ElementTree.Element:
    """The element at *path* below *element*, which must be there."""
    found = element.find(path)
    assert found is not None, path
    return found


def test_chart_plots_the_compared_units(report: Report) -> None:
    """The chart sheet lists the root's sub-units with a percent, plots them with data
    labels and the date in the title, and the elapsed share as a reference line."""
    # Ba Đình, the only sub-unit, has no %: the chart compares the root itself.
    root = load(export(report))["Biểu đồ"]
    assert isinstance(root, Worksheet)
    assert root.cell(FIRST, 2).value is not None
    assert root.cell(FIRST + 1, 1).value is None
    book = load(export(report, chart_level="cell"))
    ws = book["Biểu đồ"]
    assert isinstance(ws, Worksheet)
    assert (
        ws.cell(2, 1).value
        == "Tỷ lệ đạt chỉ tiêu so với thời gian đã qua, tính đến ngày 30/6/2023"
    )
    assert ws.cell(FIRST, 1).value == HYPERLINK
    assert ws.cell(FIRST + 1, 1).value is None
    assert ws.cell(FIRST, 2).value == 0.75
    assert ws.cell(HEAD, 3).value == "Thời gian đã qua (50,03%)"
    with zipfile.ZipFile(io.BytesIO(export(report, chart_level="cell"))) as archive:
        charts = [name for name in archive.namelist() if name.startswith("xl/charts/")]
        xml = archive.read("xl/charts/chart1.xml").decode()
    assert charts == ["xl/charts/chart1.xml"]  # one chart
    chart = ElementTree.fromstring(xml)
    bars = _found(chart, f".//{_C}barChart/{_C}ser")
    line = _found(chart, f".//{_C}lineChart/{_C}ser")
    assert bars.findtext(f"{_C}val/{_C}numRef/{_C}f") == f"'Biểu đồ'!$B${FIRST}"
    assert bars.findtext(f"{_C}cat/{_C}strRef/{_C}f") == f"'Biểu đồ'!$A${FIRST}"
    assert _found(bars, f"{_C}dLbls/{_C}showVal").get("val") == "1"
    assert line.findtext(f"{_C}val/{_C}numRef/{_C}f") == f"'Biểu đồ'!$C${FIRST}"
    dash = _found(line, f"{_C}spPr/{_A}ln/{_A}prstDash")
    assert dash.get("val") == "dash"  # one dashed reference line
    assert '<c:marker><c:symbol val="none"/></c:marker>' in xml  # no markers joined up
    assert xml.count('<c:max val="1.2"/>') == 2  # both value axes share one scale
    title = "".join(t.text or "" for t in _found(chart, f"{_C}chart/{_C}title").iter(f"{_A}t"))
    assert title.endswith("tính đến ngày 30/6/2023")


def test_chart_level_and_limit(report: Report) -> None:
    """chart_level picks the units of a level; chart_rows caps how many are drawn."""
    ws = load(export(report, chart_level="province"))["Biểu đồ"]
    assert isinstance(ws, Worksheet)
    assert ws.cell(FIRST, 1).value == "Thành phố Hà Nội"
    ws = load(export(_long_report(13), chart_rows=4, chart_level="cell"))["Biểu đồ"]
    assert isinstance(ws, Worksheet)
    shown = [ws.cell(row, 1).value for row in range(FIRST, FIRST + 4)]
    assert shown == ["Đơn vị 11", "=Đơn vị 10", "Đơn vị 2", "Đơn vị 1"]
    note = str(ws.cell(FIRST + 5, 1).value)
    assert "4 trên 9 đơn vị" in note
    assert "4 đơn vị chưa có tỷ lệ" in note


def test_chart_can_be_disabled(report: Report) -> None:
    """chart=false leaves no chart in the file."""
    with zipfile.ZipFile(io.BytesIO(export(report, chart="false"))) as archive:
        assert not [n for n in archive.namelist() if n.startswith("xl/charts/")]
    assert "Biểu đồ" not in load(export(report, chart=False)).sheetnames


@pytest.mark.parametrize("streaming", STREAMING)
def test_byte_identical(report: Report, streaming: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same report gives the same bytes, whenever it is written."""
    first = export(report, streaming=streaming)
    time.sleep(1.1)
    second = export(report, streaming=streaming)
    monkeypatch.setattr(time, "time", lambda: 4_000_000_000.0)
    third = export(report, streaming=streaming)
    assert first == second == third
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        core = archive.read("docProps/core.xml").decode()
    assert '<dcterms:created xsi:type="dcterms:W3CDTF">2023-06-30T00:00:00Z' in core
    assert '<dcterms:modified xsi:type="dcterms:W3CDTF">2023-06-30T00:00:00Z' in core


def test_row_limit_fails_clearly(report: Report, monkeypatch: pytest.MonkeyPatch) -> None:
    """With overflow=error a table longer than a sheet is an ExportError naming it, unwritten."""
    monkeypatch.setattr(_sheets, "MAX_ROWS", _print.HEADER_ROW + 3)
    buffer = io.BytesIO()
    with pytest.raises(ExportError, match=r"table 'summary' has 3 rows") as info:
        partydev_xlsx.write(report, buffer, {"overflow": "error"})
    assert info.value.field == "summary"
    assert info.value.value == 3
    assert buffer.getvalue() == b""


def _long_report(rows: int) -> Report:
    """A summary of *rows* units (every column type, some blanks) and a short second table."""
    columns = [
        Column("unit_name", "text", "Tên đơn vị", "Unit"),
        Column("level", "code", "Cấp", "Level"),
        Column("depth", "integer", "Cấp độ", "Depth"),
        Column("target", "integer", "Chỉ tiêu", "Target"),
        Column("percent", "percent", "Tỷ lệ thực hiện", "Achieved", places=1),
        Column("elapsed_percent", "percent", "Thời gian đã qua", "Time elapsed", places=2),
        Column("average", "decimal", "Bình quân mỗi năm", "Per year", places=2),
        Column("as_of", "date", "Tính đến", "As of"),
        Column("unit_id", "text", "Mã đơn vị", "Unit id"),
    ]
    body = [
        (
            f"=Đơn vị {n}" if n % 5 == 0 else f"Đơn vị {n}",
            "cell",
            n % 3,
            100 + n,
            None if n % 4 == 0 else Decimal(n) / 2,
            Decimal("50.03"),
            Decimal(f"{n}.25"),
            date(2023, 6, 1 + n % 28),
            f"U{n}",
        )
        for n in range(rows)
    ]
    summary = Table("summary", "Kết quả theo từng kỳ", "Results by period", columns, body)
    other = Table(
        "claims",
        "Số liệu đã công bố",
        "Stated figures",
        [Column("n", "integer", "Số", "Number")],
        [(1,), (2,)],
    )
    return Report("Báo cáo", "Report", [summary, other], {"as_of": date(2023, 6, 30)})


def _expected_cell(column: Column, value: Any) -> Any:
    """What openpyxl reads back for *value* of *column* (percents as fractions)."""
    if value is None:
        return None
    if column.type == "percent":
        return float(value / 100)
    if column.type == "decimal":
        return float(value)
    if column.type == "date":
        return datetime(value.year, value.month, value.day)
    if column.type == "code":
        return label(value, "vi")
    return value


@pytest.mark.parametrize("streaming", STREAMING)
def test_long_table_continues_on_part_sheets(
    monkeypatch: pytest.MonkeyPatch, streaming: str
) -> None:
    """Past the row limit a table continues on sheets "Title (2)", "(3)": each with the
    heading, frozen pane, autofilter, widths and formats; every row once, in order."""
    monkeypatch.setattr(_sheets, "MAX_ROWS", _print.HEADER_ROW + 6)  # five data rows per sheet
    report = _long_report(13)
    summary = report.tables[0]
    book = load(export(report, streaming=streaming, chart_level="cell"))
    assert book.sheetnames == [
        "Kết quả theo từng kỳ",
        "Kết quả theo từng kỳ (2)",
        "Kết quả theo từng kỳ (3)",
        "Biểu đồ",
        "Số liệu đã công bố",
        "Thông tin báo cáo",
    ]
    parts = [sheet(book, index) for index in range(3)]
    headings = [column.label("vi") for column in summary.columns]
    read: list[tuple[Any, ...]] = []
    for ws, size in zip(parts, [5, 5, 3], strict=True):
        assert ws.cell(2, 1).value == "Kết quả theo từng kỳ"  # the title block on every part
        assert [cell.value for cell in ws[HEAD]] == headings
        assert all(cell.font.b for cell in ws[HEAD])
        assert ws.freeze_panes == f"B{FIRST}"
        assert ws.print_title_rows == f"${HEAD}:${HEAD}"
        assert ws.auto_filter.ref == f"A{HEAD}:I{HEAD + size}"
        assert ws.max_row == HEAD + size
        assert ws.column_dimensions["A"].width == parts[0].column_dimensions["A"].width
        for row in ws.iter_rows(min_row=FIRST):
            assert row[0].data_type == "s"  # "=Đơn vị 5" stays text
            assert row[3].data_type == "n"
            assert row[5].number_format == "0.00%"
            assert row[6].number_format == parts[0].cell(FIRST, 7).number_format
            assert row[7].is_date
            assert row[0].alignment.indent == row[2].value
            read.append(tuple(cell.value for cell in row))
    expected = [
        tuple(_expected_cell(c, v) for c, v in zip(summary.columns, row, strict=True))
        for row in summary.rows
    ]
    assert read == expected
    assert [c.value for c in sheet(book, 4)["A"]][HEAD - 1 :] == ["Số", 1, 2]


def test_overflow_error_names_table_and_count(monkeypatch: pytest.MonkeyPatch) -> None:
    """overflow=error keeps the old refusal: the table and its row count, nothing written."""
    monkeypatch.setattr(_sheets, "MAX_ROWS", _print.HEADER_ROW + 6)
    buffer = io.BytesIO()
    with pytest.raises(ExportError, match=r"table 'summary' has 13 rows.* 5 below") as info:
        partydev_xlsx.write(_long_report(13), buffer, {"overflow": "error"})
    assert (info.value.field, info.value.value) == ("summary", 13)
    assert buffer.getvalue() == b""


def test_exactly_full_table_is_not_split(monkeypatch: pytest.MonkeyPatch) -> None:
    """A table of exactly the sheet's capacity stays on one sheet."""
    monkeypatch.setattr(_sheets, "MAX_ROWS", _print.HEADER_ROW + 6)
    names = load(export(_long_report(5), chart=False)).sheetnames
    assert names == ["Kết quả theo từng kỳ", "Số liệu đã công bố", "Thông tin báo cáo"]


def test_part_names_fit_and_stay_unique() -> None:
    """Part suffixes trim long titles to 31 characters and never clash with other tables."""
    long = "Cơ cấu đảng viên mới kết nạp theo độ tuổi"
    names = _sheets.table_sheet_names([long, "Ab (2)", "ab", "x"], [12, 1, 2, 1])
    assert names[0][0] == "Cơ cấu đảng viên mới kết nạp"
    assert names[0][1] == "Cơ cấu đảng viên mới kết (2)"
    assert names[0][11] == "Cơ cấu đảng viên mới kết (12)"
    assert names[1] == ["Ab (2)"]
    assert names[2] == ["ab", "ab (2) (2)"]
    flat = [name for group in names for name in group]
    assert len({name.lower() for name in flat}) == len(flat)
    for name in flat:
        assert 0 < len(name) <= 31
        assert not re.search(r"[\[\]:*?/\\]", name)


def test_part_ranges_cover_every_row(monkeypatch: pytest.MonkeyPatch) -> None:
    """The parts of a table are consecutive, each at most a sheet, together every row."""
    monkeypatch.setattr(_sheets, "MAX_ROWS", _print.HEADER_ROW + 6)
    assert _sheets.part_ranges(11) == [(0, 5), (5, 10), (10, 11)]
    assert _sheets.part_ranges(10) == [(0, 5), (5, 10)]
    assert _sheets.part_ranges(11, "error") == [(0, 11)]


def test_huge_integer_fails_before_writing() -> None:
    """An integer a double cannot hold exactly is an ExportError naming table and row."""
    table = Table("t", "T", "T", [Column("n", "integer", "n", "n")], [(2**60,)])
    report = Report("R", "R", [table], {})
    buffer = io.BytesIO()
    with pytest.raises(ExportError, match=r"table 't', row 1, column 'n'"):
        partydev_xlsx.write(report, buffer, {})
    assert buffer.getvalue() == b""


def test_streaming_auto_threshold(report: Report, monkeypatch: pytest.MonkeyPatch) -> None:
    """streaming=auto switches to constant-memory mode (inline strings) past the threshold."""
    monkeypatch.setattr(_workbook, "STREAMING_ROWS", 1)
    with zipfile.ZipFile(io.BytesIO(export(report))) as archive:
        assert "xl/sharedStrings.xml" not in archive.namelist()
    monkeypatch.setattr(_workbook, "STREAMING_ROWS", 1000)
    with zipfile.ZipFile(io.BytesIO(export(report))) as archive:
        assert "xl/sharedStrings.xml" in archive.namelist()


def test_created_without_as_of_is_fixed() -> None:
    """A report without as_of is stamped with a fixed date, never the clock."""
    table = Table("t", "T", "T", [Column("n", "integer", "n", "n")], [(1,)])
    report = Report("R", "R", [table], {})
    assert _workbook.created_timestamp(report) == datetime(1980, 1, 1)


def test_unknown_option_rejected(report: Report) -> None:
    """An option the exporter does not have is a PluginError naming it."""
    from partydev.errors import PluginError

    with pytest.raises(PluginError, match="colour"):
        export(report, colour="red")


@pytest.mark.parametrize("streaming", STREAMING)
def test_code_column_uses_its_own_labels(streaming: str) -> None:
    """A code column's own labels (a ledger's declared levels) name its codes in each locale."""
    level = Column(
        "level", "code", "Cấp", "Level", labels={"ca": ("Đảng bộ Công an tỉnh", "Police")}
    )
    table = Table(
        "t",
        "T",
        "T",
        [Column("n", "text", "Tên", "Name"), level],
        [("A", "ca"), ("B", "province")],
    )
    report = Report("R", "R", [table], {})
    for locale, names in (
        ("vi", ["Đảng bộ Công an tỉnh", label("province", "vi")]),
        ("en", ["Police", "Province"]),
    ):
        book = load(export(report, locale=locale, streaming=streaming))
        rows = sheet(book, 0).iter_rows(min_row=FIRST, values_only=True)
        cells = [row[1] for row in rows]
        assert cells == names
