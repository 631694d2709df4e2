"""The conventions a report is computed under, validated and defaulted in one place.

:func:`partydev.build_report` takes them as keyword arguments and the command line
as options; both build one :class:`ReportOptions`, whose validators are the only
check of each value, and whose vocabularies (:data:`~partydev.achieved.ROLLUPS`,
:data:`~partydev.periods.GRANULARITIES`, :data:`~partydev.numbers.ROUNDING_MODES`,
:data:`~partydev.targets.SOURCE_PREFERENCE`) are the CLI's choices.

>>> ReportOptions(places=2).places
2
>>> ReportOptions(rollup="total")  # doctest: +ELLIPSIS
Traceback (most recent call last):
  ...
partydev.errors.ValidationError: unknown roll-up; ... (field 'rollup', value 'total')
"""

from __future__ import annotations

import decimal
from fractions import Fraction
from typing import Any

import attrs

from ..calc.achieved import RollUp, check_rollup_mode
from ..calc.arithmetic import DEFAULT_TOLERANCE, check_tolerance
from ..errors import ValidationError
from ..model.periods import GRANULARITIES, Granularity
from ..model.targets import SOURCE_PREFERENCE, Source
from ..numbers import check_places, check_rounding

__all__ = ["MAX_PLACES", "PERIOD_TABLE_GRANULARITIES", "ReportOptions"]

MAX_PLACES = 6
"""The most decimal places a report's percentages may have."""

PERIOD_TABLE_GRANULARITIES: tuple[Granularity, ...] = tuple(g for g in GRANULARITIES if g != "day")
"""What the per-period table can be broken down by (not days)."""


def _rollup(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    check_rollup_mode(value)


def _one_of(choices: tuple[str, ...], what: str) -> Any:
    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value not in choices:
            raise ValidationError(
                f"unknown {what}; use one of {', '.join(choices)}",
                field=attribute.name,
                value=value,
            )

    return check


def _places(instance: object, attribute: attrs.Attribute[int], value: object) -> None:
    check_places(value, MAX_PLACES)


def _rounding(instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    check_rounding(value)


def _young_age(instance: object, attribute: attrs.Attribute[int | None], value: object) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 150:
        raise ValidationError(
            "an age bound is a whole number of years", field="young_age", value=value
        )


@attrs.frozen
class ReportOptions:
    """How a report counts and rounds; see :func:`partydev.build_report` for each.

    Args:
        rollup: ``"reported"``, ``"sum"`` or ``"own"``.
        periods: The per-period table's granularity (:data:`PERIOD_TABLE_GRANULARITIES`).
        places: Decimal places of percentages, 0 to :data:`MAX_PLACES`.
        rounding: A :mod:`decimal` rounding constant (:data:`~partydev.numbers.ROUNDING_MODES`).
        elapsed: The elapsed-time convention (:data:`~partydev.periods.GRANULARITIES`).
        tolerance: How far the pace may stray from 1 and count as on track.
        target_source: Compare against targets from this source only.
        young_age: Overrides the age bound of age categories ("young").
    """

    rollup: RollUp = attrs.field(default="reported", validator=_rollup)
    periods: Granularity = attrs.field(
        default="year", validator=_one_of(PERIOD_TABLE_GRANULARITIES, "period granularity")
    )
    places: int = attrs.field(default=1, validator=_places)
    rounding: str = attrs.field(default=decimal.ROUND_HALF_UP, validator=_rounding)
    elapsed: Granularity = attrs.field(
        default="month", validator=_one_of(GRANULARITIES, "elapsed-time convention")
    )
    tolerance: Fraction = attrs.field(default=DEFAULT_TOLERANCE, converter=check_tolerance)
    target_source: Source | None = attrs.field(
        default=None,
        validator=attrs.validators.optional(_one_of(SOURCE_PREFERENCE, "target source")),
    )
    young_age: int | None = attrs.field(default=None, validator=_young_age)
