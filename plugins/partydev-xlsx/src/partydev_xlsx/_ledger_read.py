"""Reading a ledger from an Excel workbook: one sheet per collection.

The cells are read with python-calamine (measured against openpyxl's read-only
mode: about 14 times faster on a 100,000-row sheet, see the plugin's README),
which gives each formula's cached value.  A formula saved without a value
(a file written by a program that does not calculate) is read as *not
recorded* and named in one :class:`~partydev.PartydevWarning`; finding those
cells needs the sheet's XML, which is scanned only when it holds a formula.

Every error names the sheet, the cell and the value: ``Kết nạp!C17``.
"""

from __future__ import annotations

import io
import re
import warnings
import zipfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any
from xml.etree import ElementTree

from partydev.errors import ParseError, PartydevError, PartydevWarning, ValidationError
from partydev.model.codec import ledger_from_data, read_records
from partydev.model.flat import flat_record, yes_no
from partydev.model.ledger import Ledger
from partydev.numbers import nfc, parse_count, parse_date, parse_number
from partydev.plugins.importing import LedgerSource

from ._ledger_schema import ABOUT, COVERS, NOTE_MARK, SHEETS, Field, Sheet, header_key

__all__ = ["column_letter", "read_ledger", "read_sheet_records"]

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")


def column_letter(index: int) -> str:
    """The column letters of a 0-based column index: 0 → A, 26 → AA.

    >>> column_letter(0), column_letter(2), column_letter(27)
    ('A', 'C', 'AB')
    """
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _cell(sheet: str, column: int, row: int) -> str:
    """A cell's address as Excel writes it in a formula: ``Kết nạp!C17``."""
    return f"{sheet}!{column_letter(column)}{row}"


# -- formulas without a saved value ------------------------------------------------------


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → the path of its XML part in the archive."""
    book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {
        rel.get("Id"): rel.get("Target", "") for rel in rels.iter(f"{_PKG_REL}Relationship")
    }
    parts: dict[str, str] = {}
    for sheet in book.iter(f"{_MAIN}sheet"):
        target = targets.get(sheet.get(f"{_REL}id"), "")
        path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        parts[sheet.get("name", "")] = path
    return parts


def _unvalued_formulas(data: bytes, sheets: Sequence[str]) -> dict[str, list[str]]:
    """The cells (``E6``) of each of *sheets* holding a formula without a saved value."""
    found: dict[str, list[str]] = {}
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = _sheet_parts(archive)
            for name in sheets:
                part = parts.get(name)
                if part is None:
                    continue
                with archive.open(part) as stream:
                    xml = stream.read()
                if _FORMULA.search(xml) is None:
                    continue
                for _, element in ElementTree.iterparse(io.BytesIO(xml)):
                    if element.tag != f"{_MAIN}c":
                        continue
                    value = element.find(f"{_MAIN}v")
                    inline = element.find(f"{_MAIN}is")
                    if (
                        element.find(f"{_MAIN}f") is not None
                        and inline is None
                        and (value is None or not (value.text or ""))
                    ):
                        found.setdefault(name, []).append(element.get("r", "?"))
                    element.clear()
    except (KeyError, zipfile.BadZipFile, ElementTree.ParseError):
        return found  # calamine read it; a part we cannot follow hides no values
    return found


# -- cells to values ---------------------------------------------------------------------


def _whole(value: float | int) -> int | None:
    if isinstance(value, int):
        return value
    return int(value) if value.is_integer() else None


def _convert(field: Field, value: Any) -> Any:
    """A cell's value as the codec reads *field*; raises a ValidationError or ParseError."""
    kind = field.kind
    if isinstance(value, datetime):
        value = value.date() if value.time() == time() else value
    if isinstance(value, bool) and kind != "bool":
        raise ValidationError("expected " + _EXPECTED[kind] + ", not yes/no", value=value)
    if kind in ("text", "list", "period"):
        if isinstance(value, str):
            return nfc(value.strip())
        if isinstance(value, float | int) and (whole := _whole(value)) is not None:
            return str(whole)
        if isinstance(value, date) and kind != "period":
            return value.isoformat()
        raise ValidationError("expected " + _EXPECTED[kind], value=value)
    if kind == "int":
        if isinstance(value, str):
            return parse_count(value)  # "1.732" is 1732: the rule of every count
        if isinstance(value, float | int) and value == int(value):
            return int(value)
        raise ValidationError("expected a whole number", value=value)
    if kind == "decimal":
        if isinstance(value, str):
            return parse_number(value.strip().removesuffix("%"), "vi")
        if isinstance(value, float):
            return Decimal(repr(value))  # the shortest decimal Excel's double shows
        if isinstance(value, int | Decimal):
            return value
        raise ValidationError("expected a number", value=value)
    if kind == "date":
        if isinstance(value, str):
            return parse_date(value)
        if isinstance(value, date) and not isinstance(value, datetime):
            return value
        raise ValidationError("expected a date (30/6/2023, or a date cell)", value=value)
    return yes_no(value, field.key)  # bool


_EXPECTED = {
    "text": "text",
    "list": "text",
    "period": "a period (2023, quý II/2023)",
    "int": "a whole number",
    "decimal": "a number",
    "date": "a date",
    "bool": "yes or no",
}


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# -- one sheet ---------------------------------------------------------------------------


class _Origin:
    """Where one collection's records came from: the sheet, each record's row, each
    field's column."""

    def __init__(self, sheet: str) -> None:
        self.sheet = sheet
        self.rows: list[int] = []
        self.columns: dict[str, int] = {}

    def cell(self, index: int, field: str | None) -> str:
        row = self.rows[index]
        return _cell(self.sheet, self.columns.get(field or "", 0), row)


def _headers(sheet: Sheet, name: str, header: Sequence[Any]) -> list[tuple[int, Field | str]]:
    """Each used column: its index and its field, or for an extra column its key."""
    known: dict[str, Field] = {}
    for field in sheet.fields:
        for text in (field.vi, field.en, field.key):
            known.setdefault(header_key(text), field)
    used: list[tuple[int, Field | str]] = []
    seen: dict[str, int] = {}
    for index, raw in enumerate(header):
        if _empty(raw):
            continue
        text = nfc(str(raw).strip())
        found = known.get(header_key(text))
        key = found.key if found is not None else text
        if key in seen:
            raise ValidationError(
                f"two columns for one field ({column_letter(seen[key])} and "
                f"{column_letter(index)})",
                field=key,
                path=_cell(name, index, 1),
            )
        seen[key] = index
        if found is not None:
            used.append((index, found))
        elif sheet.collection == "admissions" or (
            sheet.collection == "tallies" and text.startswith("breakdown.")
        ):
            used.append((index, text))
        else:
            raise ValidationError(
                "unknown column; headers are " + ", ".join(f.vi for f in sheet.fields),
                value=text,
                path=_cell(name, index, 1),
            )
    missing = [f for f in sheet.fields if f.required and f.key not in seen]
    if missing:
        raise ValidationError(
            f"the sheet has no column {missing[0].vi!r} ({missing[0].en})",
            field=missing[0].key,
            path=f"{name}!1:1",
        )
    return used


_ATTRIBUTE = Field("attribute", "", "")
_COUNT = Field("count", "", "", "int")


def _extra(key: str) -> Field:
    """How an extra column is read: a breakdown count, or an attribute's text."""
    return _COUNT if key.startswith("breakdown.") else _ATTRIBUTE


def _fast(field: Field) -> Callable[[Any], Any]:
    """*field*'s converter, with the cell types a workbook usually holds handled inline."""
    kind = field.kind
    if kind in ("text", "list", "period"):

        def convert(value: Any) -> Any:
            if type(value) is str:
                return value.strip() if value.isascii() else nfc(value.strip())
            return _convert(field, value)

    elif kind == "date":

        def convert(value: Any) -> Any:
            return value if type(value) is date else _convert(field, value)

    elif kind == "int":

        def convert(value: Any) -> Any:
            if type(value) is float and value.is_integer():
                return int(value)
            return _convert(field, value)

    else:

        def convert(value: Any) -> Any:
            return _convert(field, value)

    return convert


def _rows(
    sheet: Sheet, name: str, cells: list[list[Any]], unvalued: set[str], origin: _Origin
) -> Iterator[dict[str, Any]]:
    """The flat rows of one sheet, each value converted, located on failure.

    An empty cell (or one of only spaces) is left out: not recorded, never 0.
    """
    if not cells:
        return
    used = _headers(sheet, name, cells[0])
    origin.columns = {(f.key if isinstance(f, Field) else f): i for i, f in used}
    columns = [
        (index, field.key, _fast(field))
        if isinstance(field, Field)
        else (index, field, _fast(_extra(field)))
        for index, field in used
    ]
    width = max((index for index, _ in used), default=-1) + 1
    for number, row in enumerate(cells[1:], start=2):
        if len(row) < width:
            row = [*row, *[""] * (width - len(row))]
        first = next((v for v in row if v != "" and v is not None), None)
        if first is None or (type(first) is str and first.lstrip().startswith(NOTE_MARK)):
            continue  # an empty row, or a note
        flat: dict[str, Any] = {}
        for index, key, convert in columns:
            value = row[index]
            if value == "" or value is None:
                continue
            if unvalued and f"{column_letter(index)}{number}" in unvalued:
                continue  # warned about: a formula without a value is not recorded
            try:
                value = convert(value)
            except PartydevError as error:
                error.path = _cell(name, index, number)
                error.field = error.field or key
                raise
            except ArithmeticError:
                raise ValidationError(
                    "not a number", field=key, value=value, path=_cell(name, index, number)
                ) from None
            if value != "":
                flat[key] = value
        if flat:
            origin.rows.append(number)
            yield flat


def _find(sheet: Sheet, names: Mapping[str, str]) -> str | None:
    """The workbook's sheet for *sheet*, by its Vietnamese or English name."""
    for candidate in (*sheet.names(), sheet.collection):
        found = names.get(header_key(candidate))
        if found is not None:
            return found
    return None


_PATH = re.compile(r"^(\w+)\[(\d+)\](?:\.(\w+))?")


def _locate(error: PartydevError, origins: Mapping[str, _Origin]) -> PartydevError:
    """Point an error about ``admissions[12].date`` at its sheet and cell."""
    match = _PATH.match(error.path or "")
    if match is None or match.group(1) not in origins:
        return error
    origin = origins[match.group(1)]
    index = int(match.group(2))
    if index < len(origin.rows):
        error.path = origin.cell(index, match.group(3) or error.field)
    return error


def _open(source: LedgerSource) -> tuple[Any, dict[str, str], bytes]:
    """The workbook, its sheet names by compared name, and its bytes."""
    import python_calamine

    data = source.read_bytes("the workbook")
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as error:  # calamine raises its own error types
        raise ParseError(f"not an Excel workbook (.xlsx): {error}") from None
    return book, {header_key(name): name for name in book.sheet_names}, data


def _sheet_rows(
    book: Any, sheet: Sheet, name: str, unvalued: Mapping[str, list[str]], origin: _Origin
) -> list[dict[str, Any]]:
    """The flat rows of *sheet*, read from the workbook's sheet *name*."""
    grid: list[list[Any]] = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
    return list(_rows(sheet, name, grid, set(unvalued.get(name, ())), origin))


def _warn_unvalued(source: LedgerSource, data: bytes, names: list[str]) -> dict[str, list[str]]:
    """Warn about the formulas of sheets *names* saved without a value; return their cells."""
    unvalued = _unvalued_formulas(data, names)
    for name, cells in unvalued.items():
        shown = ", ".join(f"{name}!{cell}" for cell in cells[:5])
        more = f" and {len(cells) - 5} more" if len(cells) > 5 else ""
        warnings.warn(
            f"{source.name}: {shown}{more}: a formula has no saved value (the file was saved "
            "without calculating; open and save it in Excel); read as not recorded",
            PartydevWarning,
            stacklevel=3,
        )
    return unvalued


def read_ledger(source: LedgerSource, options: Mapping[str, Any]) -> Ledger:
    """The ledger in an XLSX workbook (see :mod:`partydev_xlsx.ledger` for the layout)."""
    book, names, data = _open(source)
    found = [(sheet, _find(sheet, names)) for sheet in (*SHEETS, COVERS, ABOUT)]
    present = [(sheet, name) for sheet, name in found if name is not None]
    unvalued = _warn_unvalued(source, data, [name for _, name in present])
    document: dict[str, Any] = {}
    origins: dict[str, _Origin] = {}
    for sheet, name in present:
        origin = origins[sheet.collection] = _Origin(name)
        rows = _sheet_rows(book, sheet, name, unvalued, origin)
        if sheet is ABOUT:
            document.update(rows[0] if rows else {})
        elif sheet is COVERS:
            document["covers"] = [_cover(row) for row in rows]
        else:
            document[sheet.collection] = [flat_record(sheet.collection, row) for row in rows]
    try:
        return ledger_from_data(document)
    except PartydevError as error:
        raise _locate(error, origins) from None


def read_sheet_records(
    source: LedgerSource, collection: str, options: Mapping[str, Any]
) -> Sequence[Any]:
    """The records of one collection's sheet (``admissions``, ``tallies``) of a workbook
    a ledger's ``files`` table names: ``files = { admissions = ["ket-nap.xlsx"] }``."""
    book, names, data = _open(source)
    sheet = next(s for s in SHEETS if s.collection == collection)
    name = _find(sheet, names)
    if name is None:
        raise ValidationError(
            f"the workbook has no sheet {sheet.vi!r} ({sheet.en})", value=book.sheet_names
        )
    unvalued = _warn_unvalued(source, data, [name])
    origin = _Origin(name)
    rows = _sheet_rows(book, sheet, name, unvalued, origin)
    try:
        return read_records(collection, [flat_record(collection, row) for row in rows])
    except PartydevError as error:
        raise _locate(error, {collection: origin}) from None


def _cover(row: dict[str, Any]) -> dict[str, Any]:
    """A covers row in the codec's form: units as a list."""
    if isinstance(row.get("units"), str):
        row["units"] = [part.strip() for part in row["units"].split(";") if part.strip()]
    return row
