"""Pure calculations on counts and targets: exact in, exact out.

Every function here takes integers, :class:`~fractions.Fraction` and
:class:`~partydev.numbers.Ratio` values and returns exact results; rounding
happens only at the edge (:meth:`Ratio.percent`, :func:`shares`,
:func:`round_half_up`).  Nothing reads files, the clock or the environment,
and floats are refused.  Bad input raises :class:`~partydev.errors.ValidationError`
naming the field and the value.

The Quảng Nam mid-term report (term 2020–2025, target years 2021–2025, as of
30/6/2023) reads, in these terms:

>>> from datetime import date
>>> term = Period.years(2021, 2025)
>>> elapsed = elapsed_share(term, date(2023, 6, 30))
>>> achievement(4537, 7500).percent(1), pace_status(4537, 7500, elapsed)
(Decimal('60.5'), 'ahead')
>>> required_per_year(4537, 7500, remaining_years(term, date(2023, 6, 30)))
1186
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Literal, TypeAlias

from ..errors import ValidationError
from ..model.periods import Granularity, Period
from ..numbers import Ratio, check_places, round_fraction

__all__ = [
    "DEFAULT_TOLERANCE",
    "Status",
    "achievement",
    "average_per_year",
    "change",
    "check_tolerance",
    "composition",
    "elapsed_share",
    "exceedance",
    "pace",
    "pace_status",
    "period_years",
    "projection",
    "remaining",
    "remaining_years",
    "required_per_year",
    "round_half_up",
    "share_of_membership",
    "shares",
]

Status: TypeAlias = Literal["achieved", "ahead", "on_track", "behind"]
"""Where a unit stands against its target: already reached, or ahead of, on or behind pace."""

DEFAULT_TOLERANCE: Fraction = Fraction(1, 20)
"""How far (5 %) the pace may stray from 1 and still count as on track."""

_MONTHS_PER: dict[str, int] = {"year": 12, "half": 6, "quarter": 3, "month": 1}


# -- validation helpers -------------------------------------------------------------------


def _count(value: object, field: str) -> int:
    """Return *value* if it is an int >= 0 (not a bool), else raise naming *field*."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError("must be an integer", field=field, value=value)
    if value < 0:
        raise ValidationError("must be 0 or more", field=field, value=value)
    return value


def _positive(value: object, field: str) -> int:
    """Return *value* if it is an int > 0, else raise naming *field*."""
    number = _count(value, field)
    if number == 0:
        raise ValidationError("must be greater than 0", field=field, value=value)
    return number


def _exact(value: object, field: str) -> Fraction:
    """Return an int or Fraction as a Fraction; floats and everything else are refused."""
    if isinstance(value, bool) or not isinstance(value, int | Fraction):
        raise ValidationError("must be exact (an int or a Fraction)", field=field, value=value)
    return Fraction(value)


def _elapsed(value: object) -> Fraction:
    """Return an elapsed share as a Fraction, checking it is a Ratio from 0 to 1."""
    if not isinstance(value, Ratio):
        raise ValidationError("must be a Ratio", field="elapsed", value=value)
    share = value.fraction
    if not 0 <= share <= 1:
        raise ValidationError("must be from 0 to 1", field="elapsed", value=str(value))
    return share


def _ratio(value: Fraction) -> Ratio:
    return Ratio(value.numerator, value.denominator)


# -- against a target ---------------------------------------------------------------------


def achievement(achieved: int, target: int) -> Ratio:
    """The share of the target reached ("đạt X%"): *achieved* over *target*, as written.

    Args:
        achieved: Members admitted (0 or more).
        target: The target (more than 0).

    Returns:
        ``Ratio(achieved, target)``.

    Raises:
        ValidationError: if *target* is not positive or *achieved* is negative.

    >>> achievement(4537, 7500).percent(1)  # Quảng Nam, term to 30/6/2023
    Decimal('60.5')
    >>> achievement(268, 350).percent(2)  # Nam Giang
    Decimal('76.57')
    """
    return Ratio(_count(achieved, "achieved"), _positive(target, "target"))


def exceedance(achieved: int, target: int) -> Ratio:
    """How far the target was exceeded ("vượt X%"): (achieved − target) / target.

    Negative when the target was missed; always ``achievement − 1``.

    Args:
        achieved: Members admitted (0 or more).
        target: The target (more than 0).

    Returns:
        ``Ratio(achieved - target, target)``.

    Raises:
        ValidationError: if *target* is not positive or *achieved* is negative.

    >>> exceedance(1732, 1500).percent(1)  # Quảng Nam 2021: 1.732 of 1.500
    Decimal('15.5')
    >>> exceedance(115, 110).percent(1)  # Tam Kỳ 2021
    Decimal('4.5')
    """
    achieved = _count(achieved, "achieved")
    target = _positive(target, "target")
    return Ratio(achieved - target, target)


# -- time ---------------------------------------------------------------------------------


def _piece_index(day: date, step: int) -> int:
    """The number of the calendar piece of *step* months that contains *day*."""
    return (day.year * 12 + day.month - 1) // step


def _piece_end(day: date, step: int) -> date:
    """The last day of the calendar piece of *step* months that contains *day*."""
    index = _piece_index(day, step) + 1
    year, month0 = divmod(index * step, 12)
    return date(year, month0 + 1, 1) - timedelta(days=1)


def elapsed_share(period: Period, as_of: date, granularity: Granularity = "month") -> Ratio:
    """The share of *period* elapsed at the end of day *as_of*, in whole pieces.

    The period is cut as :meth:`Period.split` cuts it; a piece counts once its
    last day is on or before *as_of* (with ``"day"`` every day counts).  The
    result is 0 before the period, 1 from its last day on, and never goes
    down as *as_of* moves forward.  Pieces are counted, not weighted by days,
    so the convention is the one a report states ("30 of 60 months").

    Args:
        period: The period, usually a term's target years.
        as_of: The reporting date.
        granularity: ``"year"``, ``"half"``, ``"quarter"``, ``"month"`` or ``"day"``.

    Returns:
        ``Ratio(pieces elapsed, pieces in the period)``.

    Raises:
        ValidationError: if *granularity* is unknown or *as_of* is not a date.

    >>> term = Period.years(2021, 2025)
    >>> print(elapsed_share(term, date(2023, 6, 30)))
    30/60
    >>> print(elapsed_share(term, date(2023, 6, 30), "day"))
    911/1826
    """
    if not isinstance(period, Period):
        raise ValidationError("must be a Period", field="period", value=period)
    if not isinstance(as_of, date):
        raise ValidationError("must be a date", field="as_of", value=as_of)
    if granularity == "day":
        total = period.days
        if as_of < period.start:
            return Ratio(0, total)
        return Ratio((min(as_of, period.end) - period.start).days + 1, total)
    step = _MONTHS_PER.get(granularity)
    if step is None:
        raise ValidationError("unknown granularity", field="granularity", value=granularity)
    first = _piece_index(period.start, step)
    total = _piece_index(period.end, step) - first + 1
    if as_of < period.start:
        return Ratio(0, total)
    if as_of >= period.end:
        return Ratio(total, total)
    done = _piece_index(as_of, step) - first
    if as_of == _piece_end(as_of, step):
        done += 1
    return Ratio(done, total)


def period_years(period: Period) -> Fraction:
    """The length of *period* in years.

    Whole months over 12 when the period runs from the 1st of a month to the
    last day of a month (so target years are exactly 5), otherwise days over 365.

    Args:
        period: Any period.

    Returns:
        The length in years, exactly.

    >>> period_years(Period.years(2021, 2025))
    Fraction(5, 1)
    >>> period_years(Period.half(2023, 1))
    Fraction(1, 2)
    """
    if not isinstance(period, Period):
        raise ValidationError("must be a Period", field="period", value=period)
    start, end = period.start, period.end
    if start.day == 1 and (end + timedelta(days=1)).day == 1:
        months = (end.year * 12 + end.month) - (start.year * 12 + start.month) + 1
        return Fraction(months, 12)
    return Fraction(period.days, 365)


def remaining_years(period: Period, as_of: date, granularity: Granularity = "month") -> Fraction:
    """The years of *period* left after *as_of*: (1 − elapsed share) × length in years.

    Args:
        period: The period, usually a term's target years.
        as_of: The reporting date.
        granularity: How the elapsed share is counted (see :func:`elapsed_share`).

    Returns:
        The years left, exactly (0 from the period's last day on).

    >>> remaining_years(Period.years(2021, 2025), date(2023, 6, 30))
    Fraction(5, 2)
    """
    elapsed = elapsed_share(period, as_of, granularity).fraction
    return (1 - elapsed) * period_years(period)


# -- pace ---------------------------------------------------------------------------------


def pace(achieved: int, target: int, elapsed: Ratio) -> Ratio | None:
    """The pace: the share of target reached over the share of time elapsed.

    1 means exactly on schedule for a straight line from 0 to the target.

    Args:
        achieved: Members admitted so far (0 or more).
        target: The target for the whole period (more than 0).
        elapsed: The share of the period elapsed (see :func:`elapsed_share`).

    Returns:
        The pace in lowest terms, or ``None`` when no time has elapsed.

    Raises:
        ValidationError: on a negative count, a target not above 0, or an
            elapsed share outside 0 to 1.

    >>> pace(4537, 7500, Ratio(30, 60)).quantize(4)  # Quảng Nam at mid-term
    Decimal('1.2099')
    """
    share = achievement(achieved, target).fraction
    time = _elapsed(elapsed)
    if time == 0:
        return None
    return _ratio(share / time)


def check_tolerance(tolerance: object) -> Fraction:
    """*tolerance* as a Fraction if it is exact and 0 or more, else a :class:`ValidationError`:
    the one check of a pace tolerance."""
    margin = _exact(tolerance, "tolerance")
    if margin < 0:
        raise ValidationError("must be 0 or more", field="tolerance", value=str(margin))
    return margin


def pace_status(
    achieved: int,
    target: int,
    elapsed: Ratio,
    tolerance: Fraction = DEFAULT_TOLERANCE,
) -> Status:
    """Classify progress against a target at a point in time.

    ``"achieved"`` once *achieved* reaches *target*; otherwise ``"ahead"`` when
    the :func:`pace` is above ``1 + tolerance``, ``"behind"`` when it is below
    ``1 − tolerance``, else ``"on_track"`` (also when no time has elapsed).

    Args:
        achieved: Members admitted so far (0 or more).
        target: The target for the whole period (more than 0).
        elapsed: The share of the period elapsed.
        tolerance: How far from 1 the pace may be and still be on track (0 or more).

    Returns:
        One of ``"achieved"``, ``"ahead"``, ``"on_track"``, ``"behind"``.

    Raises:
        ValidationError: on bad counts, elapsed share or tolerance.

    >>> pace_status(4537, 7500, Ratio(1, 2))  # Quảng Nam at mid-term
    'ahead'
    >>> pace_status(485, 500, Ratio(1, 2))  # provincial agencies bloc
    'ahead'
    """
    margin = check_tolerance(tolerance)
    ratio = pace(achieved, target, elapsed)
    if achieved >= target:
        return "achieved"
    if ratio is None:
        return "on_track"
    if ratio.fraction > 1 + margin:
        return "ahead"
    if ratio.fraction < 1 - margin:
        return "behind"
    return "on_track"


def average_per_year(achieved: int, years: Fraction) -> Fraction:
    """The yearly average ("bình quân mỗi năm") of *achieved* over *years*.

    Args:
        achieved: Members admitted (0 or more).
        years: The years they were admitted in (more than 0), e.g. from :func:`period_years`.

    Returns:
        The exact average.

    Raises:
        ValidationError: if *years* is not above 0 or *achieved* is negative.

    >>> average_per_year(1732 + 1877, Fraction(2))  # Quảng Nam 2021–2022
    Fraction(3609, 2)
    """
    count = _count(achieved, "achieved")
    span = _exact(years, "years")
    if span <= 0:
        raise ValidationError("must be greater than 0", field="years", value=str(span))
    return count / span


def remaining(achieved: int, target: int) -> int:
    """How many admissions are still needed to reach *target* (0 once it is reached).

    >>> remaining(4537, 7500)
    2963
    >>> remaining(1732, 1500)
    0
    """
    return max(0, _count(target, "target") - _count(achieved, "achieved"))


def required_per_year(achieved: int, target: int, years_left: Fraction) -> int | None:
    """Admissions needed each remaining year to reach *target*, rounded up.

    Args:
        achieved: Members admitted so far (0 or more).
        target: The target for the whole period (0 or more).
        years_left: The years left (0 or more), e.g. from :func:`remaining_years`.

    Returns:
        ``ceil(remaining / years_left)``; 0 when nothing remains; ``None`` when
        something remains but no time does.

    Raises:
        ValidationError: on a negative count or a negative *years_left*.

    >>> required_per_year(4537, 7500, Fraction(5, 2))  # Quảng Nam: 2.963 in 2.5 years
    1186
    """
    left = remaining(achieved, target)
    span = _exact(years_left, "years_left")
    if span < 0:
        raise ValidationError("must be 0 or more", field="years_left", value=str(span))
    if left == 0:
        return 0
    if span == 0:
        return None
    return math.ceil(left / span)


def projection(achieved: int, elapsed: Ratio) -> Fraction | None:
    """The count at the end of the period if admissions go on at the same rate.

    Args:
        achieved: Members admitted so far (0 or more).
        elapsed: The share of the period elapsed.

    Returns:
        ``achieved / elapsed`` exactly, or ``None`` when no time has elapsed.

    >>> projection(4537, Ratio(30, 60))  # Quảng Nam, target 7.500
    Fraction(9074, 1)
    """
    count = _count(achieved, "achieved")
    time = _elapsed(elapsed)
    if time == 0:
        return None
    return count / time


def round_half_up(value: Fraction) -> int:
    """The nearest integer to *value*, halves away from zero (not banker's rounding).

    >>> round_half_up(Fraction(3609, 2)), round_half_up(Fraction(-5, 2))
    (1805, -3)
    """
    return int(round_fraction(_exact(value, "value"), 0))


# -- composition --------------------------------------------------------------------------


def _units(count: int, places: int) -> Decimal:
    """*count* units of the last of *places* decimals, exactly (no context rounding)."""
    return Decimal(f"{count}E-{places}")


def shares(counts: Mapping[str, int], places: int = 1) -> dict[str, Decimal]:
    """Percentages of a whole that add up to exactly 100, by largest remainder.

    Each count's exact percentage is cut to *places* decimals and the units
    still missing from 100 go, one each, to the largest remainders (ties: the
    larger count, then the key in sorted order), so the result does not depend
    on the order of *counts*.  Every share is within one unit of the last place
    of its exact value.  Runs in O(n log n).

    Args:
        counts: A count (0 or more) per category; categories must not overlap.
        places: Decimal places of the percentages (0 or more).

    Returns:
        A share per key, in the order of *counts*; all zero when the total is 0.

    Raises:
        ValidationError: on a negative count (naming its key) or negative *places*.

    >>> shares({"2021": 1732, "2022": 1877, "6 tháng 2023": 928})  # Quảng Nam intake
    {'2021': Decimal('38.2'), '2022': Decimal('41.4'), '6 tháng 2023': Decimal('20.4')}
    """
    check_places(places)
    values = {key: _count(value, str(key)) for key, value in counts.items()}
    total = sum(values.values())
    if total == 0:
        return {key: _units(0, places) for key in values}
    whole = 100 * 10**places
    units: dict[str, int] = {}
    remainders: dict[str, int] = {}
    for key, value in values.items():
        units[key], remainders[key] = divmod(value * whole, total)
    missing = whole - sum(units.values())
    order = sorted(values, key=lambda key: (-remainders[key], -values[key], key))
    for key in order[:missing]:
        units[key] += 1
    return {key: _units(units[key], places) for key in values}


def composition(counts: Mapping[str, int], base: int) -> dict[str, Ratio]:
    """Each category's count over *base*, e.g. young members over the whole intake.

    Categories may overlap (a young woman is counted in both), so the ratios
    need not add up to 1.

    Args:
        counts: A count (0 to *base*) per category.
        base: The whole (more than 0): the intake, or the target when a
            report computes shares against it.

    Returns:
        ``Ratio(count, base)`` per key, in the order of *counts*.

    Raises:
        ValidationError: if *base* is not above 0, or a count is negative or
            above *base* (naming its category).

    >>> {k: v.percent(1) for k, v in composition({"trẻ": 90, "nữ": 52}, 115).items()}
    {'trẻ': Decimal('78.3'), 'nữ': Decimal('45.2')}
    """
    whole = _positive(base, "base")
    result: dict[str, Ratio] = {}
    for key, value in counts.items():
        count = _count(value, str(key))
        if count > whole:
            raise ValidationError(
                f"a category cannot exceed the base ({whole})", field=str(key), value=count
            )
        result[key] = Ratio(count, whole)
    return result


def change(current: int, previous: int) -> Ratio | None:
    """The change against the same period of the previous year ("so với cùng kỳ").

    Args:
        current: This period's count (0 or more).
        previous: The comparable earlier count (0 or more).

    Returns:
        ``Ratio(current - previous, previous)``, or ``None`` when *previous* is 0.

    >>> change(1877, 1732).percent(1)  # Quảng Nam, 2022 against 2021
    Decimal('8.4')
    """
    now = _count(current, "current")
    before = _count(previous, "previous")
    if before == 0:
        return None
    return Ratio(now - before, before)


def share_of_membership(admitted: int, members: int) -> Ratio:
    """Admissions as a share of membership (the national resolution asks 3–4 % a year).

    Args:
        admitted: Members admitted (0 or more).
        members: Total members at the reference date (more than 0).

    Returns:
        ``Ratio(admitted, members)``.

    Raises:
        ValidationError: if *members* is not above 0 or *admitted* is negative.

    >>> share_of_membership(4537, 71441).percent(2)  # Quảng Nam at 30/6/2023
    Decimal('6.35')
    """
    return Ratio(_count(admitted, "admitted"), _positive(members, "members"))
