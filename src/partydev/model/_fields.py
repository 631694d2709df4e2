"""Converters and validators for the model's date and period fields.

A field holding a :class:`~datetime.date` or a :class:`~partydev.Period`
takes the object, or text read the one way dates and periods are read
(:func:`~partydev.parse_date`, :func:`~partydev.parse_period`); a period
also takes a year as an int.  Anything else (a :class:`~datetime.datetime`
included: a time of day has no place in a ledger, and comparing it with a
date fails later) is refused at construction by a :class:`ValidationError`
naming the field and the record's unit.

The converters never raise: text they cannot read is kept, and the
validator, which knows the record, raises the error with the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import attrs

from ..errors import ParseError, ValidationError
from ..numbers import parse_date
from .periods import Period, parse_period

__all__ = [
    "check_date",
    "check_optional_date",
    "check_optional_period",
    "check_period",
    "to_date",
    "to_optional_date",
    "to_optional_period",
    "to_period",
]


def to_date(value: Any) -> Any:
    """*value* as a date if it is one or text naming one; otherwise unchanged."""
    if type(value) is date:
        return value
    if isinstance(value, str):
        try:
            return parse_date(value)
        except ValueError:  # ParseError
            return value
    return value


def to_optional_date(value: Any) -> Any:
    """:func:`to_date`, keeping ``None``."""
    return None if value is None else to_date(value)


def to_period(value: Any) -> Any:
    """*value* as a :class:`Period` if it is one, text naming one, or a year; else unchanged."""
    if type(value) is Period:
        return value
    try:
        if isinstance(value, str):
            return parse_period(value)
        if type(value) is int:
            return Period.year(value)
    except (ValueError, OverflowError):  # ParseError, or a year no calendar has
        pass
    return value


def to_optional_period(value: Any) -> Any:
    """:func:`to_period`, keeping ``None``."""
    return None if value is None else to_period(value)


def _refuse(
    instance: object,
    attribute: attrs.Attribute[Any],
    value: object,
    why: str,
    parse: Callable[[str], object] | None = None,
) -> None:
    """Raise the error for *value*; for text, *parse*'s own reason replaces *why*."""
    if parse is not None and isinstance(value, str):
        try:
            parse(value)
        except ParseError as error:
            why = error.message
    raise ValidationError(
        why, unit=getattr(instance, "unit", None), field=attribute.name, value=value
    )


def check_date(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Refuse anything but a date, naming the field and the unit."""
    if isinstance(value, datetime):
        _refuse(instance, attribute, value, "expected a date without a time of day")
    if not isinstance(value, date):
        why = "expected a date (a date, or text such as '30/6/2023' or '2023-06-30')"
        _refuse(instance, attribute, value, why, parse_date)


def check_optional_date(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """:func:`check_date`, allowing ``None``."""
    if value is not None:
        check_date(instance, attribute, value)


def check_period(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Refuse anything but a :class:`Period`, naming the field and the unit."""
    if not isinstance(value, Period):
        why = "expected a period (a Period, or text such as '2023', '6 tháng đầu năm 2023')"
        _refuse(instance, attribute, value, why, parse_period)


def check_optional_period(
    instance: object, attribute: attrs.Attribute[Any], value: object
) -> None:
    """:func:`check_period`, allowing ``None``."""
    if value is not None:
        check_period(instance, attribute, value)
