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
from typing import IO, Any

import xlsxwriter  # type: ignore[import-untyped]
from xlsxwriter.exceptions import XlsxWriterException  # type: ignore[import-untyped]

from partydev.errors import ExportError
from partydev.export import TEMP_SUFFIX
from partydev.report import Report, Table

from ._formats import Formats
from ._sheets import (
    METADATA_SHEET,
    Layout,
    check_limits,
    part_ranges,
    plan_table,
    table_sheet_names,
    write_metadata,
    write_table,
)

__all__ = ["STREAMING_ROWS", "created_timestamp", "write_report"]

STREAMING_ROWS = 50_000
"""With ``streaming=auto``, reports with more rows than this use constant-memory mode."""

FALLBACK_CREATED = datetime(1980, 1, 1)
"""The ``created`` stamp of a report without an ``as_of`` date (never the clock)."""

CHART_SHEET = ("Biểu đồ", "Chart")
CHART_TITLE = (
    "Tỷ lệ thực hiện chỉ tiêu so với thời gian đã qua",
    "Share of target achieved against time elapsed",
)
CHART_VALUE_AXIS = ("Tỷ lệ", "Share")


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


def _chartable(table: Table) -> tuple[int, int, int] | None:
    """Columns (name, percent, elapsed) if *table* can be charted."""
    try:
        name = table.column_index("unit_name")
        percent = table.column_index("percent")
        elapsed = table.column_index("elapsed_percent")
    except KeyError:
        return None
    if table.columns[percent].type != "percent" or table.columns[elapsed].type != "percent":
        return None
    return (name, percent, elapsed) if table.rows else None


def _add_chart(
    workbook: Any, sheet_name: str, table: Table, rows: int, chart_name: str, locale: str
) -> None:
    columns = _chartable(table)
    if columns is None or rows <= 0:
        return
    name, percent, elapsed = columns
    last = min(rows, len(table.rows))
    vi = locale == "vi"
    bars = workbook.add_chart({"type": "column"})
    bars.add_series(
        {
            "name": [sheet_name, 0, percent],
            "categories": [sheet_name, 1, name, last, name],
            "values": [sheet_name, 1, percent, last, percent],
            "gap": 60,
        }
    )
    line = workbook.add_chart({"type": "line"})
    line.add_series(
        {
            "name": [sheet_name, 0, elapsed],
            "categories": [sheet_name, 1, name, last, name],
            "values": [sheet_name, 1, elapsed, last, elapsed],
            "marker": {"type": "diamond", "size": 7},
            "line": {"dash_type": "dash"},
        }
    )
    bars.combine(line)
    bars.set_title({"name": CHART_TITLE[0] if vi else CHART_TITLE[1]})
    bars.set_y_axis(
        {"name": CHART_VALUE_AXIS[0] if vi else CHART_VALUE_AXIS[1], "num_format": "0%"}
    )
    bars.set_legend({"position": "bottom"})
    chartsheet = workbook.add_chartsheet(chart_name)
    chartsheet.set_chart(bars)


def _streaming(report: Report, choice: str) -> bool:
    if choice == "on":
        return True
    if choice == "off":
        return False
    return sum(len(table.rows) for table in report.tables) > STREAMING_ROWS


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
    want_chart = bool(options["chart"]) and _chartable(report.summary) is not None
    parts = [part_ranges(len(table.rows), options["overflow"]) for table in report.tables]
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
                write_table(workbook.add_worksheet(name), table, plan, formats, locale, rows)
            if want_chart and table is report.summary:
                # The chart plots the top of the summary: its first sheet only.
                shown = min(options["chart_rows"], ranges[0][1])
                _add_chart(workbook, part_names[0], table, shown, names[-1][0], locale)
        metadata_sheet = workbook.add_worksheet(names[len(report.tables)][0])
        write_metadata(metadata_sheet, report.metadata, formats, locale)
        workbook.close()
    except XlsxWriterException as error:
        raise ExportError(f"XLSX export failed: {error}") from error
