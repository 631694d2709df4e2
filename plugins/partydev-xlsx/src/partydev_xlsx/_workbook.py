"""Assemble a workbook from a report: sheets in order, the chart, properties, no clock.

Determinism: XlsxWriter stamps ``docProps/core.xml`` with the current time
unless ``created`` is given, and stamps every zip member with a fixed 1980
date.  We give ``created`` from the report's ``as_of`` (midnight), so the
same report always gives the same bytes.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any

import xlsxwriter  # type: ignore[import-untyped]
from xlsxwriter.exceptions import XlsxWriterException  # type: ignore[import-untyped]

from partydev.errors import ExportError
from partydev.report import Report
from partydev.report.charting import ChartData, chart_data
from partydev.shell.export import TEMP_SUFFIX

from ._formats import Formats, percent_value
from ._print import HEADER_ROW, Heading, heading, set_page, write_title_block
from ._sheets import (
    LINE_HEIGHT,
    METADATA_SHEET,
    Layout,
    check_limits,
    part_ranges,
    plan_table,
    table_sheet_names,
    text_lines,
    write_metadata,
    write_table,
)

__all__ = ["STREAMING_ROWS", "created_timestamp", "write_report"]

STREAMING_ROWS = 50_000
"""With ``streaming=auto``, reports with more rows than this use constant-memory mode."""

FALLBACK_CREATED = datetime(1980, 1, 1)
"""The ``created`` stamp of a report without an ``as_of`` date (never the clock)."""

CHART_SHEET = ("Biểu đồ", "Chart")
CHART_HEADINGS = (("Đơn vị", "Unit"), ("Tỷ lệ đạt", "Percent of target"))
CHART_VALUE_AXIS = ("Tỷ lệ đạt chỉ tiêu", "Percent of target")


def created_timestamp(report: Report) -> datetime:
    """The workbook's creation stamp: midnight of the report's ``as_of`` date.

    >>> from partydev.report import Column, Report, Table
    >>> t = Table("s", "S", "S", [Column("n", "text", "n", "n")], [])
    >>> created_timestamp(Report("R", "R", [t], {"as_of": date(2023, 6, 30)}))
    datetime.datetime(2023, 6, 30, 0, 0)
    """
    as_of = report.meta.get("as_of")
    if isinstance(as_of, datetime):
        return as_of.replace(tzinfo=None)
    if isinstance(as_of, date):
        return datetime(as_of.year, as_of.month, as_of.day)
    if isinstance(as_of, str):
        try:
            return datetime.combine(date.fromisoformat(as_of), datetime.min.time())
        except ValueError:
            pass
    return FALLBACK_CREATED


def _chart_sheet(
    workbook: Any,
    name: str,
    data: ChartData,
    head: Heading,
    formats: Formats,
    locale: str,
) -> None:
    """A printable sheet: the title block, the units compared as a small table, the
    note on what is left out, and a column chart of it with data labels and the
    elapsed share as a reference line across the whole plot."""
    vi = locale == "vi"
    sheet = workbook.add_worksheet(name)
    title = data.title(locale)
    write_title_block(sheet, head, title, formats)
    set_page(sheet, head, title, locale, -1)
    sheet.fit_to_pages(1, 1)
    percent_format = formats.typed("percent", data.places)
    headings = [h[0] if vi else h[1] for h in CHART_HEADINGS]
    headings.append(data.elapsed_label(locale))
    widths = [min(max(len(bar.name) for bar in data.bars) + 2, 40), 14, 14]
    lines = max(text_lines(text, width) for text, width in zip(headings, widths, strict=True))
    sheet.set_row(HEADER_ROW, LINE_HEIGHT * lines)
    for col, (text, width) in enumerate(zip(headings, widths, strict=True)):
        sheet.set_column(col, col, width)
        sheet.write_string(HEADER_ROW, col, text, formats.header)
    first = HEADER_ROW + 1
    for row, bar in enumerate(data.bars, start=first):
        sheet.write_string(row, 0, bar.name)
        sheet.write_number(row, 1, percent_value(bar.percent), percent_format)
        elapsed = data.elapsed if data.elapsed is not None else bar.elapsed
        if elapsed is not None:
            sheet.write_number(row, 2, percent_value(elapsed), percent_format)
    last = first + len(data.bars) - 1
    sheet.conditional_format(
        HEADER_ROW,
        0,
        last,
        2,
        {"type": "formula", "criteria": "=TRUE", "format": formats.style("border")},
    )
    note = data.note(locale)
    if note:
        sheet.write_string(last + 2, 0, note, formats.style("source"))
    chart = workbook.add_chart({"type": "column"})
    label_format = "0%" if data.places == 0 else "0." + "0" * data.places + "%"
    chart.add_series(
        {
            "name": [name, HEADER_ROW, 1],
            "categories": [name, first, 0, last, 0],
            "values": [name, first, 1, last, 1],
            "fill": {"color": "#2F6DB5"},
            "gap": 60,
            "data_labels": {"value": True, "num_format": label_format},
        }
    )
    line = workbook.add_chart({"type": "line"})
    line.add_series(
        {
            "name": [name, HEADER_ROW, 2],
            "categories": [name, first, 0, last, 0],
            "values": [name, first, 2, last, 2],
            "y2_axis": True,
            # One elapsed share for all: a straight line; several: a mark per unit, unjoined.
            "line": {"color": "#C0392B", "dash_type": "dash", "width": 1.75}
            if data.elapsed is not None
            else {"none": True},
            "marker": {"type": "none"}
            if data.elapsed is not None
            else {"type": "dash", "size": 12, "fill": {"color": "#C0392B"}},
        }
    )
    chart.combine(line)
    top = max([*(bar.percent for bar in data.bars), data.elapsed or Decimal(0), Decimal(100)])
    # Both value axes share one scale, so the reference line sits at its share.
    scale = {"min": 0, "max": float(round(top * Decimal("1.15"), -1)) / 100, "num_format": "0%"}
    chart.set_y_axis({"name": CHART_VALUE_AXIS[0] if vi else CHART_VALUE_AXIS[1], **scale})
    line.set_y2_axis({**scale, "visible": False})
    # The line's own category axis runs edge to edge, so the reference spans the plot.
    line.set_x2_axis({"position_axis": "on_tick", "visible": False})
    chart.set_title({"name": title, "name_font": {"size": 13, "bold": True}})
    chart.set_legend({"position": "bottom"})
    chart.set_size({"width": 900, "height": 420})
    sheet.insert_chart(last + 4 if note else last + 2, 0, chart)


def _streaming(report: Report, choice: str) -> bool:
    if choice == "on":
        return True
    if choice == "off":
        return False
    return sum(table.row_count for table in report.tables) > STREAMING_ROWS


def write_report(report: Report, stream: IO[bytes], options: Mapping[str, Any]) -> None:
    """Write *report* as XLSX to the binary *stream* (options already resolved).

    Every table is checked and laid out before the first byte is written, so
    a report XLSX cannot hold fails without touching *stream*.  In streaming
    (constant-memory) mode XlsxWriter keeps rows in temporary files, inside a
    private temporary directory removed afterwards.

    With ``overflow="split"`` a table longer than a sheet continues on further
    sheets (see :func:`~partydev_xlsx._sheets.part_ranges`).

    Raises:
        ExportError: a table too large for a sheet (too wide, or too long with
            ``overflow="error"``), a figure XLSX cannot hold exactly, or a
            failure of XlsxWriter.
    """
    check_limits(report.tables, options["overflow"])
    locale: str = options["locale"]
    plans = [plan_table(table, locale) for table in report.tables]
    streaming = _streaming(report, options["streaming"])
    guarded = _Guarded(stream)
    try:
        if not streaming:
            _write(report, guarded, options, plans, None)
            return
        # The suffix lets `partydev clean` find a folder a killed process left.
        with tempfile.TemporaryDirectory(
            prefix="partydev-xlsx-", suffix=TEMP_SUFFIX, ignore_cleanup_errors=True
        ) as tmp:
            _write(report, guarded, options, plans, tmp)
    finally:
        guarded.detach()


class _Guarded:
    """The caller's stream until :meth:`detach`, then a sink that accepts and drops everything.

    When writing fails (a full disk, Ctrl-C), XlsxWriter's zip archive is left
    open, and Python closes it later, writing its last bytes to a stream that
    is full or closed and printing "Exception ignored in ZipFile.__del__".
    Detached, the stream swallows those bytes quietly; the error that mattered
    has been raised already.
    """

    def __init__(self, stream: IO[bytes]) -> None:
        self._stream: IO[bytes] | None = stream

    def detach(self) -> None:
        self._stream = None

    def write(self, data: bytes) -> int:
        return len(data) if self._stream is None else self._stream.write(data)

    def flush(self) -> None:
        if self._stream is not None:
            self._stream.flush()

    def tell(self) -> int:
        return 0 if self._stream is None else self._stream.tell()

    def seek(self, offset: int, whence: int = 0) -> int:
        return 0 if self._stream is None else self._stream.seek(offset, whence)

    def seekable(self) -> bool:
        return self._stream is not None and self._stream.seekable()


def _write(
    report: Report,
    stream: IO[bytes] | _Guarded,
    options: Mapping[str, Any],
    plans: Sequence[Sequence[Layout]],
    tmpdir: str | None,
) -> None:
    locale: str = options["locale"]
    vi = locale == "vi"
    level = options["chart_level"] or None
    data = chart_data(report, level=level, limit=options["chart_rows"])
    want_chart = bool(options["chart"]) and data is not None and bool(data.bars)
    head = heading(report, locale)
    parts = [part_ranges(table.row_count, options["overflow"]) for table in report.tables]
    titles = [table.title(locale) for table in report.tables]
    titles.append(METADATA_SHEET[0] if vi else METADATA_SHEET[1])
    if want_chart:
        titles.append(CHART_SHEET[0] if vi else CHART_SHEET[1])
    counts = [len(ranges) for ranges in parts] + [1] * (len(titles) - len(parts))
    names = table_sheet_names(titles, counts)
    workbook = xlsxwriter.Workbook(
        stream,
        {
            "in_memory": tmpdir is None,
            "constant_memory": tmpdir is not None,
            "tmpdir": tmpdir,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    try:
        workbook.set_properties(
            {"title": report.title(locale), "created": created_timestamp(report)}
        )
        formats = Formats(workbook, locale)
        for table, plan, ranges, part_names in zip(
            report.tables, plans, parts, names, strict=False
        ):
            for rows, name in zip(ranges, part_names, strict=True):
                sheet = workbook.add_worksheet(name)
                write_table(sheet, table, plan, formats, locale, rows, head)
            if want_chart and data is not None and table is report.summary:
                _chart_sheet(workbook, names[-1][0], data, head, formats, locale)
        metadata_sheet = workbook.add_worksheet(names[len(report.tables)][0])
        write_metadata(metadata_sheet, report.metadata, formats, locale)
        set_page(metadata_sheet, head, names[len(report.tables)][0], locale, 0)
        workbook.close()
    except XlsxWriterException as error:
        raise ExportError(f"XLSX export failed: {error}") from error
