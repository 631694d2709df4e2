"""Worksheets: valid unique names, column layout, and typed cells written row by row.

Rows are written strictly top to bottom and left to right, so that the same
code serves XlsxWriter's in-memory and constant-memory modes.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from functools import partial
from itertools import repeat
from operator import is_not
from typing import Any, cast

import attrs

from partydev.errors import ExportError
from partydev.labels import label
from partydev.model.claims import PERCENT_KINDS
from partydev.numbers import format_date, format_number
from partydev.report import Cell, Column, Table, format_cell, metadata_label

from ._formats import (
    MAX_EXACT_INTEGER,
    Formats,
    column_places,
    decimal_value,
    integer_value,
    percent_value,
    places_of,
)
from ._print import HEADER_ROW, Heading, display_order, set_page, write_title_block

__all__ = [
    "MAX_COLUMNS",
    "MAX_ROWS",
    "MAX_STRING",
    "Layout",
    "check_limits",
    "part_ranges",
    "plan_table",
    "sheet_names",
    "table_sheet_names",
    "write_metadata",
    "write_table",
]

MAX_ROWS = 1_048_576
"""Rows in an Excel worksheet, the heading row included."""

MAX_COLUMNS = 16_384
"""Columns in an Excel worksheet."""

MAX_STRING = 32_767
"""Characters in an Excel cell."""

MAX_SHEET_NAME = 31
"""Length of an Excel sheet name, in UTF-16 code units."""

MIN_WIDTH = 6
MAX_WIDTH = 60
MAX_TEXT_WIDTH = 40
"""Text longer than this wraps inside its column, so a page keeps its other columns."""

_INVALID_IN_NAME = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
_RESERVED_NAMES = frozenset({"history"})

METADATA_SHEET = ("Thông tin báo cáo", "Report information")
METADATA_HEADINGS = (("Mục", "Item"), ("Giá trị", "Value"))


def _utf16_len(text: str) -> int:
    return sum(2 if ord(char) > 0xFFFF else 1 for char in text)


def _truncate(text: str, units: int) -> str:
    while _utf16_len(text) > units:
        text = text[:-1]
    return text


def _whole_words(text: str, units: int) -> str:
    """*text* cut to *units* UTF-16 code units at a space, never inside a word
    (a single word longer than that is cut, as nothing else fits).

    >>> _whole_words("Đối chiếu số liệu cấp trên và cấp dưới", 31)
    'Đối chiếu số liệu cấp trên và'
    """
    cut = _truncate(text, units)
    if cut == text or text[len(cut)] == " " or " " not in cut:
        return cut.rstrip()
    return cut.rsplit(" ", 1)[0].rstrip()


def _clean_name(title: str, fallback: str) -> str:
    name = _INVALID_IN_NAME.sub(" ", title)
    name = re.sub(r"\s+", " ", name).strip().strip("'").strip()
    name = _whole_words(name, MAX_SHEET_NAME).rstrip("'").rstrip()
    return name or fallback


def sheet_names(titles: Sequence[str], fallback: str = "Sheet") -> list[str]:
    """Valid, unique Excel sheet names for *titles*, in order.

    A name has at most 31 characters, cut between words (never inside one),
    none of ``[]:*?/\\``, no apostrophe at
    either end, is not empty and not Excel's reserved ``History``; names
    equal apart from case get a suffix `` (2)``, `` (3)``…

    >>> sheet_names(["Tổng hợp: 2021/2025", "Tổng hợp: 2021/2025", "", "'x'"])
    ['Tổng hợp 2021 2025', 'Tổng hợp 2021 2025 (2)', 'Sheet3', 'x']
    """
    return [names[0] for names in table_sheet_names(titles, [1] * len(titles), fallback)]


def table_sheet_names(
    titles: Sequence[str], parts: Sequence[int], fallback: str = "Sheet"
) -> list[list[str]]:
    """Valid, unique sheet names for each title's *parts* sheets, in order.

    The first part is named as by :func:`sheet_names`; part *n* > 1 adds the
    suffix `` (n)``, trimming the title at a word so that the name keeps 31
    characters.
    A name still taken (by another table of the same title) gets a second
    suffix `` (2)``, `` (3)``…

    >>> table_sheet_names(["Kết quả theo từng kỳ", "Số liệu"], [3, 1])
    [['Kết quả theo từng kỳ', 'Kết quả theo từng kỳ (2)', 'Kết quả theo từng kỳ (3)'], ['Số liệu']]
    >>> table_sheet_names(["x" * 40], [2])
    [['xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', 'xxxxxxxxxxxxxxxxxxxxxxxxxxx (2)']]
    """
    used: set[str] = set()
    result: list[list[str]] = []
    for number, (title, count) in enumerate(zip(titles, parts, strict=True), start=1):
        base = _clean_name(title, f"{fallback}{number}" if number > 1 else fallback)
        names: list[str] = []
        for part in range(1, max(count, 1) + 1):
            part_suffix = f" ({part})" if part > 1 else ""
            name, clash = _fit(base, part_suffix), 1
            while name.lower() in used or name.lower() in _RESERVED_NAMES:
                clash += 1
                name = _fit(base, f"{part_suffix} ({clash})")
            used.add(name.lower())
            names.append(name)
        result.append(names)
    return result


def _fit(base: str, suffix: str) -> str:
    """*base* trimmed so that *base* + *suffix* (ASCII) is a sheet name's length at most."""
    if not suffix:
        return base
    return _whole_words(base, MAX_SHEET_NAME - len(suffix)) + suffix


def part_ranges(rows: int, overflow: str = "split") -> list[tuple[int, int]]:
    """(start, stop) of the rows of each sheet a table of *rows* rows is written on.

    A sheet holds ``MAX_ROWS - HEADER_ROW - 1`` rows below its title block and
    heading; with
    ``overflow="split"`` a longer table continues on further sheets, with
    ``"error"`` it stays on one (and :func:`check_limits` has refused it).

    >>> part_ranges(0), part_ranges(3)
    ([(0, 0)], [(0, 3)])
    """
    per_sheet = MAX_ROWS - HEADER_ROW - 1
    if overflow != "split" or rows <= per_sheet:
        return [(0, rows)]
    return [(start, min(start + per_sheet, rows)) for start in range(0, rows, per_sheet)]


def check_limits(tables: Iterable[Table], overflow: str = "error") -> None:
    """Fail before writing anything if a table does not fit in the workbook.

    A table too wide for a sheet always fails; one too long fails only with
    ``overflow="error"`` (with ``"split"`` it continues on further sheets).

    Raises:
        ExportError: naming the table and its size.
    """
    for table in tables:
        rows = table.row_count + HEADER_ROW + 1
        if rows > MAX_ROWS and overflow == "error":
            raise ExportError(
                f"table {table.key!r} has {table.row_count:,} rows; an Excel sheet holds "
                f"{MAX_ROWS - HEADER_ROW - 1:,} below its title and heading (use "
                "overflow=split to continue it "
                "on further sheets)",
                field=table.key,
                value=table.row_count,
            )
        if len(table.columns) > MAX_COLUMNS:
            raise ExportError(
                f"table {table.key!r} has {len(table.columns):,} columns; an Excel sheet "
                f"holds {MAX_COLUMNS:,}",
                field=table.key,
                value=len(table.columns),
            )


@attrs.frozen
class Layout:
    """How a column is shown: decimal places, width (in characters), wrapped or not."""

    places: int
    width: int
    wrap: bool = False


def _check_cell(column: Column, value: Cell, locale: str, where: str) -> None:
    """Raise :class:`ExportError` if XLSX cannot hold *value* exactly."""
    if isinstance(value, str):
        _text(column.code_label(value, locale) if column.type == "code" else value, where)
    elif isinstance(value, Decimal):
        if column.type == "percent":
            percent_value(value, where)
        else:
            decimal_value(value, where)
    elif isinstance(value, int):
        integer_value(value, where)


def _slow_longest(table: Table, index: int, locale: str) -> int:
    """Longest shown text of column *index*, checking each cell (raises on the first bad one)."""
    column = table.columns[index]
    longest = 0
    for number, cell in enumerate(table.columns_data[index], start=1):
        if cell is None:
            continue
        where = f"table {table.key!r}, row {number}, column {column.key!r}"
        _check_cell(column, cell, locale, where)
        longest = max(longest, len(format_cell(column, cell, locale)))
    return longest


def _number_length(text: str) -> int:
    """Length of :func:`partydev.numbers.format_number` of the number written *text* (``"f"``)."""
    whole = text.find(".")
    whole = len(text) if whole < 0 else whole
    digits = whole - 1 if text.startswith("-") else whole
    return len(text) + (digits - 1) // 3


def _fast_longest(column: Column, cells: list[Cell], locale: str) -> int | None:
    """Longest shown text of the non-None *cells*, computed by arithmetic where the
    column holds only its exact type; ``None`` when a cell needs the careful path
    (an unusual type, or a value XLSX cannot hold, which must be reported by row)."""
    if not cells:
        return 0
    types = set(map(type, cells))
    if len(types) != 1:
        return None
    kind = types.pop()
    if column.type == "integer" and kind is int:
        numbers = cast("list[int]", cells)
        low, high = min(numbers), max(numbers)
        if max(-low, high) > MAX_EXACT_INTEGER:
            return None
        return max(len(format_number(low, locale)), len(format_number(high, locale)))
    if column.type in ("percent", "decimal") and kind is Decimal:
        if not all(map(Decimal.is_finite, cells)):  # type: ignore[arg-type]
            return None
        texts = set(map(format, cells, repeat("f")))
        return max(map(_number_length, texts)) + (column.type == "percent")
    if column.type == "date" and kind is date:
        return max(len(format_date(day, locale)) for day in set(cells))  # type: ignore[arg-type]
    if column.type == "text" and kind is str:
        longest = max(map(len, cells))  # type: ignore[arg-type]
        return longest if longest <= MAX_STRING else None
    if column.type == "code" and kind is str:
        longest = max(len(column.code_label(code, locale)) for code in set(cells))  # type: ignore[arg-type]
        return longest if longest <= MAX_STRING else None
    return None


def plan_table(table: Table, locale: str) -> list[Layout]:
    """Check every cell of *table* and lay out its columns, before any byte is written.

    Widths follow the longest text as the report shows it (Vietnamese counted
    in characters) and the longest word of the heading (headings wrap), between
    6 and 60; text longer than 40 characters wraps in a column 40 wide.  A
    column of one exact type is measured by arithmetic (the longest number is
    its minimum or its maximum) over its distinct values; any other column,
    cell by cell.

    Raises:
        ExportError: a cell XLSX cannot hold (text over 32,767 characters, an
            integer beyond 2**53, a non-finite decimal), naming table, row and column.
    """
    layouts = []
    for index, column in enumerate(table.columns):
        cells = list(filter(partial(is_not, None), table.columns_data[index]))
        longest = _fast_longest(column, cells, locale)
        if longest is None:
            longest = _slow_longest(table, index, locale)
        word = max(map(len, column.label(locale).split()), default=0)
        wrap = column.type == "text" and longest > MAX_TEXT_WIDTH
        width = min(max(min(longest, MAX_TEXT_WIDTH) if wrap else longest, word) + 2, MAX_WIDTH)
        layouts.append(Layout(column_places(column, cells), max(width, MIN_WIDTH), wrap))
    return layouts


def _indent_columns(table: Table) -> tuple[int, int] | None:
    """(depth column, name column) if *table* has an integer ``depth`` and a text column."""
    try:
        depth = table.column_index("depth")
    except KeyError:
        return None
    if table.columns[depth].type != "integer":
        return None
    try:
        name = table.column_index("unit_name")
    except KeyError:
        texts = [i for i, c in enumerate(table.columns) if c.type == "text"]
        if not texts:
            return None
        name = texts[0]
    return depth, name


def _text(value: str, where: str) -> str:
    if len(value) > MAX_STRING:
        raise ExportError(
            f"{where}: text of {len(value):,} characters; an Excel cell holds {MAX_STRING:,}",
            value=value[:40] + "…",
        )
    return value


def _write_cell(
    sheet: Any, row: int, col: int, column: Column, value: Cell, fmt: Any, locale: str, where: str
) -> None:
    if value is None:
        return
    if column.type == "text" and isinstance(value, str):
        sheet.write_string(row, col, _text(value, where), fmt)
    elif column.type == "code" and isinstance(value, str):
        sheet.write_string(row, col, _text(column.code_label(value, locale), where), fmt)
    elif column.type == "integer" and isinstance(value, int):
        sheet.write_number(row, col, integer_value(value, where), fmt)
    elif column.type == "percent" and isinstance(value, Decimal):
        sheet.write_number(row, col, percent_value(value, where), fmt)
    elif column.type == "decimal" and isinstance(value, Decimal):
        sheet.write_number(row, col, decimal_value(value, where), fmt)
    elif column.type == "date" and isinstance(value, date):
        sheet.write_datetime(row, col, value, fmt)
    else:  # pragma: no cover - Table validates cells at construction
        raise ExportError(f"{where}: unexpected cell", value=value)


_CHUNK = 4096
"""Rows whose cells are converted at a time, column by column."""


def _percent_doubles(cells: Sequence[Cell]) -> list[Any]:
    # The same double as percent_value: the exact decimal value / 100, correctly
    # rounded (float() of a decimal string is correctly rounded, like float(Decimal)).
    return [None if cell is None else float(format(cell, "f") + "e-2") for cell in cells]


def _decimal_doubles(cells: Sequence[Cell]) -> list[Any]:
    return [None if cell is None else float(cell) for cell in cells]  # type: ignore[arg-type]


LINE_HEIGHT = 15
"""Points per line of text at the default font size, for rows that wrap."""


def text_lines(text: str, width: int) -> int:
    """Lines *text* takes when wrapped at words in a column *width* characters wide.

    Row heights are set from this estimate, since a spreadsheet does not grow a
    row for wrapped text it did not lay out itself.

    >>> text_lines("Kết nạp so với tổng số đảng viên (%)", 10), text_lines("", 10)
    (5, 1)
    """
    return max(len(textwrap.wrap(text, max(width - 2, 1))), 1)


def _kind_column(table: Table) -> int | None:
    """The position of a ``kind`` code column saying what each row's figures are."""
    try:
        at = table.column_index("kind")
    except KeyError:
        return None
    return at if table.columns[at].type == "code" else None


def _typed_by_kind(
    cells: Sequence[Cell], kinds: Sequence[Cell], formats: Formats, fallback: Any
) -> tuple[list[Any], list[Any]]:
    """Values and formats of a decimal column whose rows hold counts or percents by kind.

    In the check workbook a figure is a percent when its claim's kind is one
    (``"60,5%"``, stored as 0.605 with the stated places) and a count otherwise
    (``1.732``, as an integer), never one ``#,##0.00`` for both.
    """
    values: list[Any] = []
    fmts: list[Any] = []
    for cell, kind in zip(cells, kinds, strict=True):
        if not isinstance(cell, Decimal):
            values.append(None)
            fmts.append(fallback)
        elif kind in PERCENT_KINDS:
            values.append(percent_value(cell))
            fmts.append(formats.typed("percent", places_of(cell)))
        elif cell == cell.to_integral_value():
            values.append(integer_value(int(cell)))
            fmts.append(formats.typed("integer"))
        else:
            values.append(decimal_value(cell))
            fmts.append(formats.typed("decimal", places_of(cell)))
    return values, fmts


def write_table(
    sheet: Any,
    table: Table,
    layouts: Sequence[Layout],
    formats: Formats,
    locale: str,
    rows: tuple[int, int] | None = None,
    head: Heading | None = None,
) -> None:
    """Write *table* as planned, ready to print: the title block, bold wrapped headings
    repeated on every page, typed cells in thin borders, the unit's name first and
    frozen, ids last, an autofilter, indents, and the page setup.

    The cells were checked by :func:`plan_table`; here each column gets its
    XlsxWriter method and conversion once, and cells are converted a chunk of
    rows at a time, column by column, then written row by row.  *rows*
    (start, stop) writes only that part of the table, below the same title block,
    heading, widths and formats (every row when ``None``).
    """
    first, stop = (0, table.row_count) if rows is None else rows
    title = table.title(locale)
    if head is not None:
        write_title_block(sheet, head, title, formats)
        set_page(sheet, head, title, locale, HEADER_ROW)
    order = display_order([column.key for column in table.columns])
    shown = [table.columns[i] for i in order]
    shown_layouts = [layouts[i] for i in order]
    pairs = list(zip(shown, shown_layouts, strict=True))
    heights = [text_lines(column.label(locale), layout.width) for column, layout in pairs]
    if max(heights, default=1) > 1:
        sheet.set_row(HEADER_ROW, LINE_HEIGHT * max(heights))
    for col, (column, layout) in enumerate(zip(shown, shown_layouts, strict=True)):
        sheet.set_column(col, col, layout.width)
        sheet.write_string(HEADER_ROW, col, _text(column.label(locale), table.key), formats.header)
    sheet.freeze_panes(HEADER_ROW + 1, 1 if shown else 0)
    if not shown:
        return
    last_row, last_col = HEADER_ROW + stop - first, len(shown) - 1
    sheet.autofilter(HEADER_ROW, 0, last_row, last_col)
    # One rule draws every cell's thin border, blank cells included, at no cost per cell.
    sheet.conditional_format(
        HEADER_ROW,
        0,
        last_row,
        last_col,
        {"type": "formula", "criteria": "=TRUE", "format": formats.style("border")},
    )
    cell_formats = [
        formats.style("wrap") if layout.wrap else formats.for_column(column, layout.places)
        for column, layout in zip(shown, shown_layouts, strict=True)
    ]
    # XlsxWriter's public write_string and write_number only accept "A1" cell
    # references besides (row, col) before calling these undecorated methods; with
    # (row, col) always integers here, calling them directly writes the same bytes
    # and saves two Python calls per cell, a tenth of the export at national scale.
    write_string = getattr(sheet, "_write_string", sheet.write_string)
    write_number = getattr(sheet, "_write_number", sheet.write_number)
    writers = []
    for column in shown:
        if column.type in ("text", "code"):
            writers.append(write_string)
        elif column.type == "date":
            writers.append(sheet.write_datetime)
        else:
            writers.append(write_number)
    indent = _indent_columns(table)
    if indent is not None:
        indent = (order.index(indent[0]), order.index(indent[1]))
    positions = range(len(shown))
    wrapped = [(col, lay.width) for col, lay in enumerate(shown_layouts) if lay.wrap]
    kind_at = _kind_column(table)
    by_kind = [] if kind_at is None else [i for i, c in enumerate(shown) if c.type == "decimal"]
    kinds_at = kind_at or 0
    for start in range(first, stop, _CHUNK):
        end = min(start + _CHUNK, stop)
        transposed = [values[start:end] for values in table.columns_data]
        columns: list[Sequence[Any]] = [transposed[i] for i in order]
        row_formats: list[Any] = [repeat(fmt) for fmt in cell_formats]
        for col, column in enumerate(shown):
            if column.type == "percent":
                columns[col] = _percent_doubles(columns[col])
            elif column.type == "decimal":
                columns[col] = _decimal_doubles(columns[col])
            elif column.type == "code":
                labels = {
                    code: column.code_label(code, locale) for code in set(columns[col]) - {None}
                }
                columns[col] = [labels.get(code) for code in columns[col]]
        for col in by_kind:
            raw = transposed[order[col]]
            columns[col], row_formats[col] = _typed_by_kind(
                raw, transposed[kinds_at], formats, cell_formats[col]
            )
        if indent is not None:
            depth, name = indent
            base = cell_formats[name]
            row_formats[name] = [
                formats.indented(level) if isinstance(level, int) else base
                for level in columns[depth]
            ]
        first_row = HEADER_ROW + 1 + start - first
        for number, values, fmts in zip(
            range(first_row, first_row + end - start),
            zip(*columns, strict=True),
            zip(*row_formats, strict=False),
            strict=False,
        ):
            if wrapped:
                lines = max(text_lines(values[col] or "", width) for col, width in wrapped)
                if lines > 1:
                    sheet.set_row(number, LINE_HEIGHT * lines)
            for col, write, value, fmt in zip(positions, writers, values, fmts, strict=False):
                if value is not None:
                    write(number, col, value, fmt)


def write_metadata(
    sheet: Any, metadata: Sequence[tuple[str, Cell]], formats: Formats, locale: str
) -> None:
    """Write the report's metadata as two columns: label and value (codes as words)."""
    vi = locale == "vi"
    for col, (heading_vi, heading_en) in enumerate(METADATA_HEADINGS):
        sheet.write_string(0, col, heading_vi if vi else heading_en, formats.header)
    sheet.freeze_panes(1, 0)
    widths = [len(h[0] if vi else h[1]) for h in METADATA_HEADINGS]
    for number, (key, value) in enumerate(metadata, start=1):
        where = f"metadata {key!r}"
        name = metadata_label(key, locale)
        sheet.write_string(number, 0, _text(name, where))
        widths[0] = max(widths[0], len(name))
        if value is None:
            continue
        fmt = formats.for_value(value)
        if isinstance(value, bool):
            text = label("yes" if value else "no", locale)
            sheet.write_string(number, 1, text)
        elif isinstance(value, Decimal):
            text = str(value)
            sheet.write_number(number, 1, decimal_value(value, where), fmt)
        elif isinstance(value, int):
            text = f"{value:,}"
            sheet.write_number(number, 1, integer_value(value, where), fmt)
        elif isinstance(value, date):
            text = format_date(value, locale)
            sheet.write_datetime(number, 1, value, fmt)
        else:
            text = _text(label(str(value), locale), where)
            sheet.write_string(number, 1, text)
        widths[1] = max(widths[1], len(text))
    for col, width in enumerate(widths):
        sheet.set_column(col, col, min(max(width + 2, MIN_WIDTH), MAX_WIDTH))
