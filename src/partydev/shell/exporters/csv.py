"""The CSV format: one table of a report, ready to open in Excel.

By default the file is what Excel opens correctly with a double click in
Vietnam and elsewhere: UTF-8 with a byte-order mark, CRLF line endings, RFC
4180 quoting, and a header row of column labels in Vietnamese.  Values are
raw (``60.5``, ``4537``, ``2023-06-30``, code values) so that a spreadsheet
reads them as numbers and dates; ``numbers=formatted`` writes them as the
terminal shows them instead (``60,5%``, ``4.537``, ``30/6/2023``, labels).

Text cells and header labels that a spreadsheet would run as a formula (they
start with ``=``, ``+``, ``-``, ``@``, a tab, CR or NUL) are prefixed with
``'`` (the OWASP "CSV injection" defence).  Numbers are never altered: ``-3``
stays ``-3``.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date
from decimal import Decimal
from functools import partial
from itertools import repeat
from operator import is_not
from typing import IO, Any, cast

from ...errors import ValidationError
from ...plugins.exporting import Exporter, Option
from ...plugins.hookspecs import hookimpl
from ...report.table import Cell, Column, Report, Table, format_cell

__all__ = [
    "EXPORTER",
    "neutralise",
    "raw_cell",
    "register_exporters",
    "select_table",
    "write_csv",
]

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\0")
_TEXT_TYPES = frozenset({"text", "code"})


def neutralise(text: str) -> str:
    """Prefix *text* with ``'`` if a spreadsheet would take it for a formula.

    >>> neutralise('=HYPERLINK("http://x","y")')
    '\\'=HYPERLINK("http://x","y")'
    >>> neutralise("Tam Kỳ")
    'Tam Kỳ'
    """
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def raw_cell(value: Cell) -> str:
    """A cell as plain machine-readable text: ``60.5``, ``4537``, ``2023-06-30``.

    Decimals keep their digits and are never written in exponent notation.
    """
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def select_table(report: Report, key: str) -> Table:
    """The table *key*; ``"summary"`` is the first table unless one is called that.

    Raises:
        ValidationError: if the report has no such table; the message lists them.
    """
    try:
        return report.table(key)
    except KeyError:
        if key == "summary":
            return report.summary
        raise ValidationError(
            f"the report has no table {key!r}; tables: {', '.join(t.key for t in report.tables)}",
            field="table",
            value=key,
        ) from None


def _converter(column: Column, formatted: bool, locale: str) -> Callable[[Cell], str]:
    """The function turning one cell of *column* into CSV text (chosen once per column)."""
    text = column.type in _TEXT_TYPES
    if formatted:
        if text:
            return lambda value: neutralise(format_cell(column, value, locale))
        return lambda value: format_cell(column, value, locale)
    if text:
        return lambda value: "" if value is None else neutralise(str(value))
    return raw_cell


_CHUNK = 4096
"""Rows converted at a time: column by column within a chunk, memory bounded."""

_PASS_TYPES: dict[str, frozenset[type]] = {
    "integer": frozenset({int, type(None)}),
    "date": frozenset({date, type(None)}),
    "text": frozenset({str, type(None)}),
    "code": frozenset({str, type(None)}),
    "percent": frozenset({Decimal, type(None)}),
    "decimal": frozenset({Decimal, type(None)}),
}
"""Exact cell types the csv module itself writes as :func:`raw_cell` would."""


def _passes(column: Column, cells: Sequence[Cell]) -> bool:
    """Whether the csv module, given *cells* as they are, writes their raw CSV text.

    It writes ``None`` as an empty field and anything else through :func:`str`:
    the raw text of an ``int``, a ``date`` and a plain (non-exponent) Decimal,
    and of a text that needs no formula neutralisation.
    """
    allowed = _PASS_TYPES.get(column.type)
    if allowed is None:
        return False
    if not set(map(type, cells)) <= allowed:
        return False
    if column.type in _TEXT_TYPES:
        texts = cast("set[str]", set(cells))
        texts.discard(cast(str, None))
        return not any(map(str.startswith, texts, repeat(_FORMULA_STARTS)))
    if column.type in ("percent", "decimal"):
        # str() of a Decimal differs from format(value, "f") only in exponent
        # notation ("1E+3") and for NaN ("NaN", "sNaN"): look for E and N at C speed.
        joined = "".join(map(str, filter(partial(is_not, None), cells)))
        return "E" not in joined and "N" not in joined
    return True


def _raw_rows(table: Table) -> Iterator[Sequence[Cell]]:
    """The rows of *table* with each cell as the csv module should get it for raw text.

    Chunk by chunk, each column either goes as it is (see :func:`_passes`) or
    through its converter, so that most cells never reach Python code; the rows
    are made from the columns a chunk at a time.
    """
    if not table.columns:
        yield from table.rows
        return
    converters = [_converter(column, False, "vi") for column in table.columns]
    for start in range(0, table.row_count, _CHUNK):
        cells: list[Iterable[Cell]] = []
        for column, convert, values in zip(
            table.columns, converters, table.columns_data, strict=True
        ):
            chunk = values[start : start + _CHUNK]
            cells.append(chunk if _passes(column, chunk) else list(map(convert, chunk)))
        yield from zip(*cells, strict=True)


def write_csv(report: Report, stream: IO[Any], options: Mapping[str, Any]) -> None:
    """Write one table of *report* as CSV to the text *stream*.

    The rows are made from the table's columns (:attr:`Table.columns_data`) a
    chunk at a time, each column converted as a whole.

    Args:
        report: The report.
        stream: A text stream opened with ``newline=""``.
        options: Resolved options (see :data:`EXPORTER`).
    """
    locale = options["locale"]
    formatted = options["numbers"] == "formatted"
    table = select_table(report, options["table"])
    if options["bom"]:
        stream.write("\ufeff")
    writer = csv.writer(stream, delimiter=options["delimiter"], lineterminator="\r\n")
    writer.writerow(neutralise(column.label(locale)) for column in table.columns)
    if not formatted:
        writer.writerows(_raw_rows(table))
        return
    if not table.columns:
        writer.writerows(table.rows)
        return
    converters = [_converter(column, formatted, locale) for column in table.columns]
    for start in range(0, table.row_count, _CHUNK):
        writer.writerows(
            zip(
                *(
                    map(convert, values[start : start + _CHUNK])
                    for convert, values in zip(converters, table.columns_data, strict=True)
                ),
                strict=True,
            )
        )


EXPORTER = Exporter(
    name="csv",
    title_vi="Bảng CSV (mở được bằng Excel)",
    title_en="CSV table (opens in Excel)",
    suffixes=(".csv",),
    media_type="text/csv",
    binary=False,
    write=write_csv,
    options=(
        Option(
            "bom",
            bool,
            True,
            help_vi="Ghi dấu BOM ở đầu tệp để Excel nhận đúng UTF-8",
            help_en="Start with a byte-order mark so that Excel reads UTF-8",
        ),
        Option(
            "delimiter",
            str,
            ",",
            help_vi="Ký tự phân cách cột: dấu phẩy, chấm phẩy hoặc tab",
            help_en="Column separator: comma, semicolon or tab",
            choices=(",", ";", "\t"),
        ),
        Option(
            "numbers",
            str,
            "raw",
            help_vi="raw: số và ngày dạng máy đọc; formatted: như khi in ra",
            help_en="raw: machine-readable numbers and dates; formatted: as printed",
            choices=("raw", "formatted"),
        ),
        Option(
            "locale",
            str,
            "vi",
            help_vi="Ngôn ngữ của tiêu đề cột và giá trị đã định dạng",
            help_en="Language of the headings and of formatted values",
            choices=("vi", "en"),
        ),
        Option(
            "table",
            str,
            "summary",
            help_vi="Bảng cần xuất (mặc định: bảng tổng hợp)",
            help_en="The table to write (default: the summary)",
        ),
    ),
)
"""The ``csv`` exporter."""


@hookimpl
def register_exporters(register: Callable[[Exporter], None]) -> None:
    """Register the ``csv`` format."""
    register(EXPORTER)
