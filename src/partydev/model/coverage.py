"""Where the data is complete: what a count can be known over, and what is missing.

A count is known only where data covers it.  Person-level admissions cover the
spans a ledger says they cover (:class:`Coverage`, the ``covers`` key of a
ledger and of each CSV file); a tally covers its own period.  Outside those
spans nobody measured anything, and the count is unknown, never zero.

The helpers below work on *spans*: sorted, disjoint, closed ranges of day
ordinals, the cheapest form to test "does the data cover this period?" for
hundreds of thousands of units.

>>> spans = merge([(1, 10), (11, 20), (30, 40)])
>>> spans
((1, 20), (30, 40))
>>> gaps(spans, 5, 35)
((21, 29),)
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from ..errors import ValidationError
from .periods import Period

__all__ = ["Coverage", "Span", "gaps", "merge"]

Span = tuple[int, int]
"""A closed range of day ordinals (:meth:`datetime.date.toordinal`)."""


def _units(value: Iterable[str] | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    if isinstance(value, str):
        raise ValidationError("units is a list of unit ids", field="units", value=value)
    units = tuple(value)
    for unit in units:
        if not isinstance(unit, str) or not unit:
            raise ValidationError("a unit id is non-empty text", field="units", value=unit)
    return units


def _period(instance: Coverage, attribute: attrs.Attribute[Period], value: object) -> None:
    if not isinstance(value, Period):
        raise ValidationError("must be a Period", field="covers", value=value)


@attrs.frozen
class Coverage:
    """Person-level admissions are complete over *period* for some units.

    A unit with admissions in the ledger and no coverage of its own is
    covered over its terms (the rule before coverage could be stated); a unit
    with neither admissions, tallies nor coverage is covered nowhere.

    Args:
        period: The span the records are complete for.
        units: The units it speaks for; ``None`` means every unit of the ledger.
        subunits: Whether each listed unit speaks for its sub-units too
            (``True`` for units a person lists; ``False`` for the units that
            merely appear in a CSV file).
    """

    period: Period = attrs.field(validator=_period)
    units: tuple[str, ...] | None = attrs.field(default=None, converter=_units)
    subunits: bool = True


def merge(spans: Iterable[Span]) -> tuple[Span, ...]:
    """Sort *spans* and join those that overlap or touch."""
    out: list[Span] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1] + 1:
            if end > out[-1][1]:
                out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return tuple(out)


def gaps(spans: tuple[Span, ...], first: int, last: int) -> tuple[Span, ...]:
    """The parts of ``first..last`` that merged *spans* leave uncovered."""
    out: list[Span] = []
    cursor = first
    for start, end in spans:
        if end < cursor:
            continue
        if start > last:
            break
        if start > cursor:
            out.append((cursor, start - 1))
        cursor = max(cursor, end + 1)
        if cursor > last:
            break
    if cursor <= last:
        out.append((cursor, last))
    return tuple(out)


def covers(spans: tuple[Span, ...], first: int, last: int) -> bool:
    """Whether merged *spans* cover every day of ``first..last``."""
    for start, end in spans:
        if start <= first <= end:
            return last <= end
        if start > first:
            return False
    return False
