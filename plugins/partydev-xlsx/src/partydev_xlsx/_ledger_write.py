"""Writing a ledger as an Excel workbook that :mod:`._ledger_read` reads back equal.

The same layout as the reader's (:mod:`._ledger_schema`): a sheet per collection
with Vietnamese headers, a notes row (its first cell starts with ``#``),
drop-down lists for the columns with a fixed vocabulary (levels, kinds,
sources, yes/no), text format on text columns (so ``2020-2025`` stays text),
``d/m/yyyy`` on dates and ``#,##0`` on counts.  An empty ledger gives the blank
form a clerk fills in (``partydev template -o mau.xlsx``).
"""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any

import xlsxwriter  # type: ignore[import-untyped]

from partydev.errors import ValidationError
from partydev.model.codec import COLLECTIONS, ledger_to_data
from partydev.model.flat import flatten
from partydev.model.ledger import Ledger

from ._ledger_schema import ABOUT, COVERS, NOTE_MARK, SHEETS, YES_NO, Field, Kind, Sheet

__all__ = ["write_ledger"]

_CREATED = datetime(2000, 1, 1)
"""The workbook's ``created`` stamp: fixed, so one ledger always gives the same bytes."""

_LAST_ROW = 1_048_575
_EXACT_IN_A_DOUBLE = 2**53


def _columns(sheet: Sheet, rows: list[dict[str, Any]]) -> list[Field]:
    """The sheet's fields, then one column per extra key its rows use, sorted."""
    known = {field.key for field in sheet.fields}
    extra = sorted({key for row in rows for key in row} - known)
    kind: Kind = "int" if sheet.collection == "tallies" else "text"
    return [*sheet.fields, *(Field(key, key, key, kind) for key in extra)]


def _rows(ledger: Ledger) -> dict[str, list[dict[str, Any]]]:
    """Every sheet's flat rows, by collection (the About sheet's single row too)."""
    data = ledger_to_data(ledger)
    sheeted = {sheet.collection for sheet in SHEETS}
    unsheeted = [key for key in COLLECTIONS if data.get(key) and key not in sheeted]
    if unsheeted:
        raise ValidationError(
            f"the xlsx ledger has no sheet for {unsheeted[0]}; write this ledger as JSON "
            "(export-ledger -f json)",
            field=unsheeted[0],
        )
    rows = {
        sheet.collection: [
            flatten(sheet.collection, record) for record in data.get(sheet.collection, [])
        ]
        for sheet in SHEETS
    }
    rows["covers"] = [
        {**cover, "units": "; ".join(cover["units"])} if cover.get("units") else cover
        for cover in data.get("covers", [])
    ]
    about = {key: data[key] for key in ("title", "source") if data.get(key)}
    rows["about"] = [about] if about else []
    return rows


def write_ledger(ledger: Ledger, stream: IO[bytes]) -> None:
    """Write *ledger* as an XLSX workbook to the binary *stream*."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False})
    workbook.set_properties({"title": ledger.title or "partydev ledger", "created": _CREATED})
    header = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    note = workbook.add_format({"italic": True, "font_color": "#595959", "text_wrap": True})
    formats = {
        "text": workbook.add_format({"num_format": "@"}),
        "list": workbook.add_format({"num_format": "@"}),
        "period": workbook.add_format({"num_format": "@"}),
        "int": workbook.add_format({"num_format": "#,##0"}),
        "decimal": workbook.add_format({"num_format": "General"}),
        "date": workbook.add_format({"num_format": "d/m/yyyy"}),
        "bool": workbook.add_format({"num_format": "@"}),
    }
    rows = _rows(ledger)
    for sheet in (*SHEETS, COVERS, ABOUT):
        records = rows[sheet.collection]
        columns = _columns(sheet, records)
        worksheet = workbook.add_worksheet(sheet.vi)
        worksheet.freeze_panes(2, 0)
        for col, field in enumerate(columns):
            worksheet.set_column(col, col, max(12, len(field.vi) + 2), formats[field.kind])
            worksheet.write_string(0, col, field.vi, header)
            text = field.note_vi
            if col == 0:
                text = " · ".join(filter(None, (f"{NOTE_MARK} {text}".strip(), sheet.more_vi)))
            worksheet.write_string(1, col, text, note)
            if field.choices:
                worksheet.data_validation(
                    2, col, _LAST_ROW, col,
                    {"validate": "list", "source": list(field.choices), "ignore_blank": True},
                )  # fmt: skip
        for number, record in enumerate(records, start=2):
            _refuse_a_note(sheet, number, columns, record)
            for col, field in enumerate(columns):
                value = record.get(field.key)
                if value is not None:
                    _write(worksheet, number, col, field, value, formats[field.kind])
    workbook.close()
    stream.write(buffer.getvalue())


def _refuse_a_note(
    sheet: Sheet, number: int, columns: list[Field], record: dict[str, Any]
) -> None:
    """A :class:`ValidationError` for a record whose first cell would start with the
    note mark: the reader skips such a row as a note, so the record would be lost."""
    filled = [f.key for f in columns if record.get(f.key) not in (None, "")]
    first = record[filled[0]] if filled else None
    if isinstance(first, str) and first.lstrip().startswith(NOTE_MARK):
        raise ValidationError(
            f"row {number + 1} of sheet {sheet.vi!r} would start with {NOTE_MARK!r} and be "
            "read back as a note; write this ledger as JSON (export-ledger -f json)",
            field=filled[0],
            value=first,
        )


def _write(worksheet: Any, row: int, col: int, field: Field, value: Any, fmt: Any) -> None:
    """One cell, typed so that the reader gets *value* back exactly."""
    if field.kind == "date":
        day = value if isinstance(value, date) else date.fromisoformat(value)
        worksheet.write_datetime(row, col, datetime(day.year, day.month, day.day), fmt)
    elif field.kind == "bool":
        worksheet.write_string(row, col, YES_NO[0] if value else YES_NO[1], fmt)
    elif isinstance(value, bool):
        worksheet.write_string(row, col, str(value).lower(), fmt)
    elif isinstance(value, int) and abs(value) < _EXACT_IN_A_DOUBLE:
        worksheet.write_number(row, col, value, fmt)
    elif isinstance(value, Decimal):
        if Decimal(repr(float(value))) == value:
            worksheet.write_number(row, col, float(value), fmt)
        else:  # more digits than a double keeps: as Vietnamese text, read back exactly
            worksheet.write_string(row, col, format(value, "f").replace(".", ","), fmt)
    else:  # text, or a number a double would not keep exactly: as text, read back exactly
        worksheet.write_string(row, col, str(value), fmt)
