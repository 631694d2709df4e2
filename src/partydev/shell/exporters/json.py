"""The JSON format: the whole report, losslessly, for other programs.

The document (schema ``https://partydev.example/schema/report/1``, shipped as
``partydev/schemas/report-1.schema.json``) looks like this::

    {
      "schema": "https://partydev.example/schema/report/1",
      "schema_version": 1,
      "title": {"vi": "...", "en": "..."},
      "metadata": {"as_of": "2023-06-30", "places": 1, ...},
      "tables": [
        {
          "key": "summary",
          "title": {"vi": "...", "en": "..."},
          "columns": [
            {"key": "percent", "type": "percent", "label": {"vi": "...", "en": "..."},
             "places": 1}
          ],
          "rows": [["quang-nam", "Tỉnh Quảng Nam", 4537, 60.5, "2023-06-30", null]]
        }
      ],
      "labels": {"ahead": {"vi": "Vượt tiến độ", "en": "Ahead"}}
    }

Decisions:

* A row is an array with one cell per column, in column order (compact, and
  the column list says what each position holds).
* ``percent`` and ``decimal`` cells are JSON numbers written with the exact
  digits of the :class:`~decimal.Decimal`, never through a float and never in
  exponent notation: ``Decimal("60.50")`` is written ``60.50``.  Read them
  back exactly with ``json.loads(text, parse_float=decimal.Decimal)``.
* Dates are ISO 8601 strings (``"2023-06-30"``); a missing figure is ``null``;
  ``places`` is ``null`` for columns without decimal places.
* ``metadata`` keeps the report's order; its values follow the same rules.
* ``labels`` gives the Vietnamese and English words of every code that
  appears in a ``code`` column, sorted by code, so that a reader needs no
  partydev to show them.
* UTF-8, not ASCII-escaped, Vietnamese in NFC; two-space indent; ``\\n``
  line endings and a final newline.  The same report gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from functools import partial
from itertools import repeat
from json.encoder import encode_basestring  # the standard string escaper
from operator import is_not
from typing import IO, Any, cast

from ...errors import ValidationError
from ...labels import LABELS
from ...plugins.exporting import Exporter
from ...plugins.hookspecs import hookimpl
from ...report.table import Report, Table

__all__ = [
    "EXPORTER",
    "SCHEMA_ID",
    "SCHEMA_VERSION",
    "dumps",
    "register_exporters",
    "report_document",
    "write_json",
]

SCHEMA_ID = "https://partydev.example/schema/report/1"
"""The ``$id`` of the JSON Schema the output follows."""

SCHEMA_VERSION = 1
"""Bumped on any change a reader could notice."""

_INDENT = "  "


def _bilingual(vi: str, en: str) -> dict[str, str]:
    return {"vi": vi, "en": en}


def report_document(report: Report) -> dict[str, Any]:
    """The JSON document of *report* as Python values.

    Decimals and dates stay as they are (:func:`dumps` writes them exactly and
    as ISO strings); rows are the report's own tuples, not copies.
    """
    return _document(report, lambda table: table.rows)


def _document(report: Report, rows: Callable[[Table], Any]) -> dict[str, Any]:
    """The document's structure, with each table's rows given by *rows*."""
    return {
        "schema": SCHEMA_ID,
        "schema_version": SCHEMA_VERSION,
        "title": _bilingual(report.title_vi, report.title_en),
        "metadata": dict(report.metadata),
        "tables": [
            {
                "key": table.key,
                "title": _bilingual(table.title_vi, table.title_en),
                "columns": [
                    {
                        "key": column.key,
                        "type": column.type,
                        "label": _bilingual(column.label_vi, column.label_en),
                        "places": column.places,
                    }
                    for column in table.columns
                ],
                "rows": rows(table),
            }
            for table in report.tables
        ],
        "labels": _labels(report),
    }


def _number(value: Decimal) -> str:
    if not value.is_finite():
        raise ValidationError("a JSON number must be finite", value=value)
    return format(value, "f")


def _date(value: date) -> str:
    return '"' + value.isoformat() + '"'


_WRITERS: dict[type, Callable[[Any], str]] = {
    str: encode_basestring,
    int: int.__repr__,
    Decimal: _number,
    type(None): lambda _: "null",
    bool: lambda value: "true" if value else "false",
    date: _date,
}
"""JSON text of each scalar type, looked up by exact type (the hot path of a big table)."""


def _scalar(value: Any) -> str | None:
    """The JSON text of a scalar, or ``None`` if *value* is a container."""
    writer = _WRITERS.get(type(value))
    if writer is not None:
        return writer(value)
    for kind in (bool, int, str, Decimal, date):  # subclasses, rarely
        if isinstance(value, kind):
            return _WRITERS[kind](value)
    return None


def _encode(value: Any, depth: int, out: list[str], stream: IO[Any] | None = None) -> None:
    # The layout of json.dumps(indent=2), except that Decimals are written as
    # their exact digits (the standard encoder can only go through float) and
    # an array of scalars (a table row) stays on one line.
    # With a *stream*, a _Rows marker flushes *out* and writes the rows directly.
    scalar = _scalar(value)
    if scalar is not None:
        out.append(scalar)
        return
    if stream is not None and isinstance(value, _Rows):
        stream.write("".join(out))
        out.clear()
        _write_rows(value.table, depth, stream)
        return
    inner = "\n" + _INDENT * (depth + 1)
    if isinstance(value, Mapping):
        if not value:
            out.append("{}")
            return
        out.append("{")
        for number, (key, item) in enumerate(value.items()):
            out.append(("," if number else "") + inner + encode_basestring(str(key)) + ": ")
            _encode(item, depth + 1, out, stream)
        out.append("\n" + _INDENT * depth + "}")
    elif isinstance(value, list | tuple):
        try:  # an array of scalars (a table row) stays on one line
            out.append("[" + ", ".join([_WRITERS[type(item)](item) for item in value]) + "]")
            return
        except KeyError:
            pass
        texts = [_scalar(item) for item in value]
        if all(text is not None for text in texts):
            out.append("[" + ", ".join(text for text in texts if text is not None) + "]")
            return
        out.append("[")
        for number, item in enumerate(value):
            out.append(("," if number else "") + inner)
            _encode(item, depth + 1, out, stream)
        out.append("\n" + _INDENT * depth + "]")
    else:
        raise ValidationError(f"cannot write {type(value).__name__} as JSON", value=value)


def dumps(value: Any) -> str:
    """*value* as JSON text with exact decimals, two-space indent and rows on one line.

    Like ``json.dumps(value, indent=2, ensure_ascii=False)`` except that a
    :class:`~decimal.Decimal` is written with its exact digits and an array
    holding only scalars stays on one line.

    >>> print(dumps({"percent": Decimal("60.50"), "name": "Tam Kỳ", "rows": [[1, None]]}))
    {
      "percent": 60.50,
      "name": "Tam Kỳ",
      "rows": [
        [1, null]
      ]
    }
    """
    out: list[str] = []
    _encode(value, 0, out)
    return "".join(out)


class _Rows:
    """Stands for a table's rows in the document :func:`write_json` encodes."""

    __slots__ = ("table",)

    def __init__(self, table: Table) -> None:
        self.table = table


_CHUNK = 4096
"""Rows encoded at a time: the document is never whole in memory."""

_NULL = "null"


def _column_texts(cells: Sequence[Any]) -> list[str] | None:
    """The JSON text of each cell of one column, or ``None`` for unusual types.

    One comprehension per column type, decided once per chunk, instead of a
    dispatch per cell; texts equal to what :func:`_scalar` gives.
    """
    types = set(map(type, cells))
    nullable = type(None) in types
    types.discard(type(None))
    if not types:
        return [_NULL] * len(cells)
    if len(types) != 1:
        return None
    kind = types.pop()
    if kind is int:
        if not nullable:
            return list(map(int.__repr__, cells))
        return [_NULL if cell is None else int.__repr__(cell) for cell in cells]
    if kind is str:
        if not nullable:
            return list(map(encode_basestring, cells))
        return [_NULL if cell is None else encode_basestring(cell) for cell in cells]
    if kind is Decimal:  # finite: checked before anything is written
        if not nullable:
            return list(map(format, cells, repeat("f")))
        return [_NULL if cell is None else format(cell, "f") for cell in cells]
    if kind is date:
        return [_NULL if cell is None else '"' + cell.isoformat() + '"' for cell in cells]
    return None


def _row_texts(columns: list[Sequence[Any]], count: int) -> list[str]:
    """The cells of each of *count* rows held in *columns*, joined with ``", "``
    (no brackets)."""
    if not columns:
        return [""] * count
    texts = [_column_texts(column) for column in columns]
    if any(text is None for text in texts):
        out: list[str] = []
        for row in zip(*columns, strict=True):
            encoded: list[str] = []
            _encode(row, 0, encoded)
            out.append("".join(encoded)[1:-1])
        return out
    return list(map(", ".join, zip(*cast("list[list[str]]", texts), strict=True)))


def _write_rows(table: Table, depth: int, stream: IO[Any]) -> None:
    """Write *table*'s rows as :func:`dumps` lays out an array of rows at *depth*,
    reading the table's columns a chunk of rows at a time."""
    count = table.row_count
    if not count:
        stream.write("[]")
        return
    inner = "\n" + _INDENT * (depth + 1) + "["
    between = "]," + inner
    for start in range(0, count, _CHUNK):
        stop = min(start + _CHUNK, count)
        chunk = [values[start:stop] for values in table.columns_data]
        texts = _row_texts(chunk, stop - start)
        stream.write(("[" + inner if start == 0 else "," + inner) + between.join(texts) + "]")
    stream.write("\n" + _INDENT * depth + "]")


def _check_finite(report: Report) -> None:
    """Raise before writing if a cell is a non-finite Decimal (JSON has no NaN)."""
    for table in report.tables:
        for column, values in zip(table.columns, table.columns_data, strict=True):
            if column.type not in ("percent", "decimal"):
                continue
            cells = cast("list[Decimal]", list(filter(partial(is_not, None), values)))
            if all(map(Decimal.is_finite, cells)):  # Table keeps these columns Decimal
                continue
            for cell in cells:
                _number(cell)


def _labels(report: Report) -> dict[str, Any]:
    """The words for every code the report's code columns hold: a column's own
    labels (a ledger's declared levels) first, else :data:`LABELS`."""
    own = {
        code: (vi, en)
        for table in report.tables
        for column in table.columns
        for code, vi, en in column.labels
    }
    return {
        code: _bilingual(*(own.get(code) or LABELS[code]))
        for code in _codes(report)
        if code in own or code in LABELS
    }


def _codes(report: Report) -> list[str]:
    """Every code appearing in a ``code`` column, sorted."""
    codes: set[Any] = set()
    for table in report.tables:
        for column, values in zip(table.columns, table.columns_data, strict=True):
            if column.type == "code":
                codes.update(values)
    return sorted(code for code in codes if isinstance(code, str))


def write_json(report: Report, stream: IO[Any], options: Mapping[str, Any]) -> None:
    """Write *report* as a JSON document to the text *stream*.

    The same text as ``dumps(report_document(report))``, written table by
    table: rows are encoded a chunk at a time, column by column, straight to
    *stream*.  Every cell is checked first, so an error writes nothing.
    """
    _check_finite(report)
    document = _document(report, _Rows)
    out: list[str] = []
    _encode(document, 0, out, stream)
    stream.write("".join(out))
    stream.write("\n")


EXPORTER = Exporter(
    name="json",
    title_vi="JSON đầy đủ (cho chương trình khác đọc)",
    title_en="Complete JSON (for other programs)",
    suffixes=(".json",),
    media_type="application/json",
    binary=False,
    write=write_json,
)
"""The ``json`` exporter; it has no options."""


@hookimpl
def register_exporters(register: Callable[[Exporter], None]) -> None:
    """Register the ``json`` format."""
    register(EXPORTER)
