"""Excel number formats and cell values: where exact report figures meet IEEE doubles.

XLSX stores every number as an IEEE 754 double.  The report's figures are
exact (``int`` and already-rounded :class:`~decimal.Decimal`); they are
converted here and nowhere else, each to the nearest double, and shown
through a number format with the column's decimal places, so that Excel
displays exactly the report's digits.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from partydev.errors import ExportError
from partydev.report import Cell, Column

__all__ = [
    "MAX_EXACT_INTEGER",
    "MAX_PLACES",
    "Formats",
    "column_places",
    "date_format",
    "decimal_format",
    "percent_format",
    "percent_value",
    "places_of",
]

MAX_EXACT_INTEGER = 2**53
"""Integers beyond this are not exact as doubles; writing one is an :class:`ExportError`."""

MAX_PLACES = 10
"""Most decimal places a number format shows (Excel itself shows 15 significant digits)."""

MAX_INDENT = 15
"""Deepest indent Excel offers in its user interface."""

INTEGER_FORMAT = "#,##0"

HEADER_FILL = "#DDE4EE"

_STYLES: dict[str, dict[str, Any]] = {
    "organisation": {"bold": True},
    "title": {"bold": True, "font_size": 14},
    "subtitle": {},
    "source": {"italic": True, "font_color": "#555555"},
    "border": {"border": 1, "border_color": "#7F7F7F"},
    "wrap": {"text_wrap": True, "valign": "top"},
    "top": {"valign": "top"},
}

_TYPED = frozenset({"integer", "percent", "decimal", "date"})


def percent_format(places: int) -> str:
    """The Excel format of a percent with *places* decimals.

    >>> percent_format(0), percent_format(1), percent_format(2)
    ('0%', '0.0%', '0.00%')
    """
    return "0." + "0" * places + "%" if places > 0 else "0%"


def decimal_format(places: int) -> str:
    """The Excel format of a decimal number with *places* decimals, thousands grouped.

    >>> decimal_format(0), decimal_format(2)
    ('#,##0', '#,##0.00')
    """
    return "#,##0." + "0" * places if places > 0 else INTEGER_FORMAT


def date_format(locale: str) -> str:
    """The Excel date format of *locale*, matching :func:`partydev.numbers.format_date`.

    >>> date_format("vi"), date_format("en")
    ('d/m/yyyy', 'yyyy-mm-dd')
    """
    return "d/m/yyyy" if locale == "vi" else "yyyy-mm-dd"


def places_of(value: Decimal) -> int:
    """Decimal places *value* is written with (``Decimal("76.57")``: 2)."""
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def column_places(column: Column, cells: Iterable[Cell]) -> int:
    """Decimal places to show for *column*: its ``places``, else the most any cell has.

    >>> from partydev.report import Column
    >>> column_places(Column("x", "decimal", "x", "x"), [Decimal("1.5"), Decimal("2.25"), None])
    2
    """
    if column.places is not None:
        return min(max(column.places, 0), MAX_PLACES)
    most = 0
    for cell in cells:
        if isinstance(cell, Decimal):
            most = max(most, places_of(cell))
    return min(most, MAX_PLACES)


def _finite(value: Decimal, where: str) -> Decimal:
    if not value.is_finite():
        raise ExportError(f"{where}: XLSX cannot store {value}", value=value)
    return value


def percent_value(value: Decimal, where: str = "cell") -> float:
    """The double Excel stores for a percent: *value* / 100, divided exactly, then converted.

    The division only moves the decimal exponent, so it is exact whatever the
    decimal context; :func:`float` of a :class:`~decimal.Decimal` is correctly
    rounded.

    >>> percent_value(Decimal("60.5"))
    0.605
    """
    sign, digits, exponent = _finite(value, where).as_tuple()
    assert isinstance(exponent, int)
    return float(Decimal((sign, digits, exponent - 2)))


def decimal_value(value: Decimal, where: str = "cell") -> float:
    """The double Excel stores for a decimal cell (correctly rounded)."""
    return float(_finite(value, where))


def integer_value(value: int, where: str = "cell") -> int:
    """*value*, checked to be exact as a double.

    Raises:
        ExportError: beyond 2**53, where a double would silently change the count.
    """
    if abs(value) > MAX_EXACT_INTEGER:
        raise ExportError(f"{where}: integer too large to store exactly in XLSX", value=value)
    return value


class Formats:
    """Cell formats of one workbook, created once each and shared by every sheet.

    XlsxWriter de-duplicates formats in the file, but creating one per cell
    costs memory; this cache keys them by what they look like.
    """

    def __init__(self, workbook: Any, locale: str) -> None:
        self._workbook = workbook
        self._locale = locale
        self._cache: dict[tuple[str, int, int], Any] = {}

    def _get(self, kind: str, places: int = 0, indent: int = 0) -> Any:
        key = (kind, places, indent)
        found = self._cache.get(key)
        if found is not None:
            return found
        properties: dict[str, Any] = {}
        if kind == "header":
            properties = {
                "bold": True,
                "valign": "top",
                "text_wrap": True,
                "bg_color": HEADER_FILL,
                "border": 1,
            }
        elif kind in _STYLES:
            properties = dict(_STYLES[kind])
        elif kind == "integer":
            properties = {"num_format": INTEGER_FORMAT}
        elif kind == "percent":
            properties = {"num_format": percent_format(places)}
        elif kind == "decimal":
            properties = {"num_format": decimal_format(places)}
        elif kind == "date":
            properties = {"num_format": date_format(self._locale)}
        if indent:
            properties["indent"] = indent
        if kind in _TYPED or indent:
            properties["valign"] = "top"  # beside a wrapped cell, figures stay on its first line
        created = self._workbook.add_format(properties) if properties else None
        self._cache[key] = created
        return created

    @property
    def header(self) -> Any:
        """Bold, wrapped, shaded, bordered headings."""
        return self._get("header")

    def style(self, name: str) -> Any:
        """A named text style: ``organisation``, ``title``, ``subtitle``, ``source``,
        ``border`` (the thin borders of a table), ``wrap`` (long text)."""
        return self._get(name)

    def for_column(self, column: Column, places: int) -> Any:
        """The format of the cells of *column* (``None`` for plain text)."""
        return self.typed(column.type, places)

    def typed(self, kind: str, places: int = 0) -> Any:
        """The format of an ``integer``, ``percent``, ``decimal`` or ``date`` cell."""
        if kind in _TYPED:
            return self._get(kind, places)
        return None

    def indented(self, depth: int) -> Any:
        """A text format indented *depth* levels (capped at Excel's 15)."""
        level = min(max(depth, 0), MAX_INDENT)
        return self._get("text", 0, level) if level else None

    def for_value(self, value: Cell) -> Any:
        """The format of a metadata value, by its Python type."""
        if isinstance(value, Decimal):
            return self._get("decimal", min(places_of(value), MAX_PLACES))
        if isinstance(value, int) and not isinstance(value, bool):
            return self._get("integer")
        if isinstance(value, date):
            return self._get("date")
        return None
