"""Flat rows and ledger records, both ways: the one rule for tables of cells (frames, sheets).

A DataFrame or a worksheet holds a ledger collection as flat rows: one value per
column, no nesting.  :func:`flat_record` turns such a row into the plain record
:mod:`partydev.codec` reads, the way the CSV reader does:

* a missing value (``None``) is *not recorded*: the field is left out, never 0;
* in ``admissions``, a column other than ``unit, date, person, birth_date, age``
  is an attribute (``sex``, ``education``), its value as text;
* in ``tallies``, ``breakdown.<category>`` columns make the breakdown, and
  ``inclusive`` may be written ``có``/``không``, ``yes``/``no``, ``true``/``false``;
* in ``categories``, ``values`` may be one text listing values separated by ``;``.

:func:`flatten` is the inverse, for writers: a plain record (as
:func:`partydev.ledger_to_data` gives it) as one flat row.  No file is opened here.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ..errors import ValidationError

__all__ = ["ADMISSION_FIELDS", "flat_record", "flatten", "yes_no"]

ADMISSION_FIELDS = frozenset({"unit", "date", "person", "birth_date", "age"})
"""The fields of an admission; its other columns are attributes."""

_YES = {"1", "true", "yes", "có", "x"}
_NO = {"0", "false", "no", "không", ""}


def yes_no(value: object, field: str) -> bool:
    """A yes/no cell: a bool, or text in Vietnamese or English.

    Raises:
        ValidationError: naming *field* for anything else.
    """
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in _YES:
            return True
        if lowered in _NO:
            return False
    raise ValidationError("expected yes or no (có/không)", field=field, value=value)


def _text(value: object) -> str:
    """An attribute's value as text: a whole number without ``.0``, a date in ISO form."""
    if isinstance(value, datetime):
        value = value.date() if value.time() == datetime.min.time() else value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return str(value.quantize(Decimal(1)))
    return str(value).strip()


def flat_record(collection: str, row: Mapping[str, Any]) -> dict[str, Any]:
    """The plain record of *collection* (``admissions``, ``units`` …) from a flat row.

    >>> flat_record("admissions", {"unit": "c1", "date": "2023-05-04", "sex": "nữ", "age": None})
    {'unit': 'c1', 'date': '2023-05-04', 'attributes': {'sex': 'nữ'}}
    >>> flat_record("tallies", {"unit": "c1", "period": "2023", "count": 7,
    ...                          "breakdown.young": 5, "inclusive": "có"})
    {'unit': 'c1', 'period': '2023', 'count': 7, 'inclusive': True, 'breakdown': {'young': 5}}
    """
    record: dict[str, Any] = {}
    if collection == "admissions":
        attributes: dict[str, str] = {}
        for key, value in row.items():
            if value is None:
                continue
            if key in ADMISSION_FIELDS:
                record[key] = value
            elif text := _text(value):
                attributes[key] = text
        record["attributes"] = attributes
        return record
    if collection == "tallies":
        breakdown: dict[str, Any] = {}
        for key, value in row.items():
            if value is None:
                continue
            if key.startswith("breakdown."):
                breakdown[key.removeprefix("breakdown.")] = value
            elif key == "inclusive":
                record[key] = yes_no(value, key)
            else:
                record[key] = value
        record["breakdown"] = breakdown
        return record
    for key, value in row.items():
        if value is None:
            continue
        if collection == "categories" and key == "values" and isinstance(value, str):
            value = [part.strip() for part in value.split(";") if part.strip()]
        elif key in {"per_year", "derived"} and not isinstance(value, bool):
            value = yes_no(value, key)
        record[key] = value
    return record


def flatten(collection: str, record: Mapping[str, Any]) -> dict[str, Any]:
    """One flat row from a plain record of *collection*: the inverse of :func:`flat_record`.

    >>> flatten("tallies", {"unit": "c1", "period": "2023", "count": 7, "breakdown": {"young": 5}})
    {'unit': 'c1', 'period': '2023', 'count': 7, 'breakdown.young': 5}
    """
    row: dict[str, Any] = {}
    for key, value in record.items():
        if collection == "admissions" and key == "attributes":
            row.update(value)
        elif collection == "tallies" and key == "breakdown":
            row.update({f"breakdown.{name}": count for name, count in value.items()})
        elif collection == "categories" and key == "values":
            row[key] = "; ".join(value)
        else:
            row[key] = value
    return row
