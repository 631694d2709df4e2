"""Checking published percentages from the numbers alone.

Organisation boards and newspapers print rounded percentages.  A rounded figure
stands for an interval of exact values, so from it one can tell whether it can
be true for a group of a given size (the GRIM test of Brown & Heathers, for
percentages), which whole targets it implies, and whether a set of shares can
add up to 100 %.  Everything here is exact: the interval ends are
:class:`~fractions.Fraction` values and each test is a few integer operations,
never a scan over counts.

The seed's figures check out or do not, as the article's numbers allow:

>>> implied_targets(268, "76,57%")  # Nam Giang: the target must have been 350
range(350, 351)
>>> implied_targets(115, "104,5%")  # Tam Kỳ 2021: the annual plan was 110
range(110, 111)
>>> min_denominator(["59,75%", "7,48%"])  # Tam Kỳ intake: needs at least 815 people
815
>>> percent_possible(335, "59,75%")  # ... and Tam Kỳ admitted 335 in the term
False

Stated percents are read as text the way a claim's are
(:func:`~partydev.parse_stated_percent`: ``"60,5%"`` or ``"60.5%"``) or taken as a
:class:`~decimal.Decimal` (``Decimal("60.5")``); the number of decimals written
is the precision, unless ``places`` says otherwise.  Percentages of counts are
never negative, so a negative stated percent is a :class:`ValidationError`.
"""

from __future__ import annotations

import decimal
import functools
from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction

import attrs

from ..errors import ValidationError
from ..numbers import (
    check_places,
    check_rounding,
    parse_stated_percent,
    percent_places,
    round_fraction,
    to_fraction,
)

__all__ = [
    "CONVENTIONS",
    "RoundingInterval",
    "implied_targets",
    "informative",
    "min_denominator",
    "percent_possible",
    "reproducing_roundings",
    "rounding_interval",
    "shares_can_sum",
]

_HALF_MODES = frozenset({decimal.ROUND_HALF_UP, decimal.ROUND_HALF_DOWN, decimal.ROUND_HALF_EVEN})
_DOWNWARD_MODES = frozenset({decimal.ROUND_DOWN, decimal.ROUND_FLOOR})
"""For non-negative values truncation and flooring agree, as do rounding up and ceiling."""

CONVENTIONS: tuple[str, ...] = (
    decimal.ROUND_HALF_UP,
    decimal.ROUND_DOWN,
    decimal.ROUND_HALF_EVEN,
    decimal.ROUND_UP,
)
"""The rounding conventions tried, most common first."""


@attrs.frozen
class RoundingInterval:
    """The exact percents that round to a stated percent, a sub-interval of ``[0, +inf)``.

    ``lo`` and ``hi`` are percents (60.45, not 0.6045); each end is closed or
    open as the rounding mode decides: half up keeps the lower half-step and
    drops the upper one, half-even keeps both or neither, truncation keeps the
    stated value itself.

    >>> rounding_interval("60,5%")
    RoundingInterval(lo=Fraction(1209, 20), lo_closed=True, hi=Fraction(1211, 20), hi_closed=False)
    >>> str(rounding_interval("60,5%"))
    '[60.45, 60.55)'
    """

    lo: Fraction
    lo_closed: bool
    hi: Fraction
    hi_closed: bool

    def __contains__(self, value: object) -> bool:
        """Whether an exact percent (int, Fraction or Decimal) lies in the interval."""
        if isinstance(value, bool) or not isinstance(value, int | Fraction | Decimal):
            return False
        x = to_fraction(value, "percent")
        above = x >= self.lo if self.lo_closed else x > self.lo
        below = x <= self.hi if self.hi_closed else x < self.hi
        return above and below

    def __str__(self) -> str:
        def show(end: Fraction) -> str:
            text = _decimal_text(end)
            return str(end) if text is None else text

        left = "[" if self.lo_closed else "("
        right = "]" if self.hi_closed else ")"
        return f"{left}{show(self.lo)}, {show(self.hi)}{right}"


def _decimal_text(value: Fraction) -> str | None:
    """``value`` written as a finite decimal, or None when it has no finite expansion."""
    den = value.denominator
    twos = fives = 0
    while den % 2 == 0:
        den //= 2
        twos += 1
    while den % 5 == 0:
        den //= 5
        fives += 1
    if den != 1:
        return None
    places = max(twos, fives)
    return format(round_fraction(value, places), "f")


def _stated(stated_percent: str | Decimal, places: int | None) -> tuple[Decimal, int]:
    """Read a stated percent and its precision; refuse negatives and excess decimals."""
    if isinstance(stated_percent, str):
        value = _parse(stated_percent)
    elif isinstance(stated_percent, Decimal):
        if not stated_percent.is_finite():
            raise ValidationError("a stated percent must be finite", value=stated_percent)
        value = stated_percent
    else:
        raise ValidationError(
            "a stated percent is text such as '60,5%' or a Decimal", value=stated_percent
        )
    written = percent_places(value)
    if places is None:
        places = written
    else:
        places = check_places(places)
        if round_fraction(Fraction(value), places, decimal.ROUND_DOWN) != value:
            raise ValidationError(
                f"the stated percent has more than {places} decimals",
                field="places",
                value=stated_percent,
            )
    if value < 0:
        raise ValidationError(
            "a percentage of counts is never negative",
            field="stated_percent",
            value=stated_percent,
        )
    return value, places


@functools.lru_cache(maxsize=4096)
def _parse(text: str) -> Decimal:
    """:func:`parse_stated_percent`, remembered: checks over many units repeat a few figures."""
    return parse_stated_percent(text)


@functools.lru_cache(maxsize=4096)
def _interval(value: Decimal, places: int, rounding: str) -> RoundingInterval:
    """The preimage of *value* under rounding non-negative percents at *places*.

    Rounding is non-decreasing in the exact value for every mode, so the
    preimage is an interval; its ends lie half a step either side (half modes),
    at the value and one step above (truncation) or one step below and at the
    value (rounding up).  Whether an end belongs to it is decided by rounding
    the end itself, so the open/closed choice can never disagree with
    :func:`~partydev.numbers.round_fraction`.
    """
    v = Fraction(value)
    step = Fraction(1, 10**places)
    if rounding in _HALF_MODES:
        lo, hi = v - step / 2, v + step / 2
    elif rounding in _DOWNWARD_MODES:
        lo, hi = v, v + step
    else:  # ROUND_UP, ROUND_CEILING
        lo, hi = v - step, v
    lo = max(lo, Fraction(0))
    return RoundingInterval(
        lo=lo,
        lo_closed=round_fraction(lo, places, rounding) == value,
        hi=hi,
        hi_closed=round_fraction(hi, places, rounding) == value,
    )


def rounding_interval(
    stated_percent: str | Decimal,
    places: int | None = None,
    rounding: str = decimal.ROUND_HALF_UP,
) -> RoundingInterval:
    """The interval of exact non-negative percents that round to *stated_percent*.

    Args:
        stated_percent: ``"60,5%"`` or ``Decimal("60.5")``.
        places: The precision; by default the decimals written in the stated percent.
        rounding: The :mod:`decimal` rounding constant the publisher used.

    Returns:
        A :class:`RoundingInterval` of percents.

    Raises:
        ParseError: quoting the text when it is not a percentage.
        ValidationError: for a negative percent, bad *places* or an unknown mode.

    >>> str(rounding_interval("60,5%", rounding=decimal.ROUND_DOWN))
    '[60.5, 60.6)'
    >>> str(rounding_interval("60,5%", rounding=decimal.ROUND_HALF_EVEN))
    '(60.45, 60.55)'
    """
    mode = check_rounding(rounding)
    value, prec = _stated(stated_percent, places)
    return _interval(value, prec, mode)


def _ceil(value: Fraction) -> int:
    return -((-value.numerator) // value.denominator)


def _floor(value: Fraction) -> int:
    return value.numerator // value.denominator


_Bounds = tuple[int, int, bool, int, int, bool]
"""An interval over 100 in integers: lo num, lo den, lo closed, hi num, hi den, hi closed."""


def _bounds(interval: RoundingInterval) -> _Bounds:
    lo, hi = interval.lo, interval.hi
    return (
        lo.numerator,
        100 * lo.denominator,
        interval.lo_closed,
        hi.numerator,
        100 * hi.denominator,
        interval.hi_closed,
    )


def _counts(denominator: int, bounds: _Bounds) -> tuple[int, int]:
    """The first and last whole k with ``100 k / denominator`` in the interval (unclipped).

    Integer arithmetic only: this runs once per group size in :func:`min_denominator`.
    """
    lo_num, lo_den, lo_closed, hi_num, hi_den, hi_closed = bounds
    low = lo_num * denominator
    high = hi_num * denominator
    first = -(-low // lo_den) if lo_closed else low // lo_den + 1
    last = high // hi_den if hi_closed else -(-high // hi_den) - 1
    return first, last


def _check_count(value: object, field: str, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError("must be an integer", field=field, value=value)
    if value < minimum:
        raise ValidationError(f"must be {minimum} or more", field=field, value=value)
    return value


def implied_targets(
    achieved: int,
    stated_percent: str | Decimal,
    places: int | None = None,
    rounding: str = decimal.ROUND_HALF_UP,
) -> range:
    """Every whole target T >= 1 for which *achieved* / T rounds to *stated_percent*.

    ``achieved / T`` falls as T grows, so the targets that fit form one run of
    integers, computed from the ends of the rounding interval in O(1).

    A stated percent that arbitrarily small ratios round to (``0%``, or the
    smallest step when rounding up) puts no upper bound on the target, and with
    nothing achieved ``0%`` fits every target: both are uninformative and raise
    :class:`ValidationError` instead of returning an endless range.  With
    nothing achieved and a positive stated percent no target fits.

    Args:
        achieved: The count achieved (0 or more).
        stated_percent: The published percent of target, ``"76,57%"`` or a Decimal.
        places: The precision; by default the decimals written.
        rounding: The :mod:`decimal` rounding constant the publisher used.

    Returns:
        A ``range`` of targets, empty when none reproduces the figure.

    Raises:
        ParseError: quoting the text when it is not a percentage.
        ValidationError: for bad arguments, or when the figure bounds no target.

    >>> implied_targets(268, "76,57%")  # Nam Giang
    range(350, 351)
    >>> implied_targets(4537, "60,5%")  # the province: the term target 7,500 is among them
    range(7493, 7506)
    >>> implied_targets(140, "121,7%")  # Tam Kỳ 2022
    range(115, 116)
    >>> implied_targets(4537, "60,5%", rounding=decimal.ROUND_DOWN)  # if truncated
    range(7487, 7500)
    """
    count = _check_count(achieved, "achieved", 0)
    interval = rounding_interval(stated_percent, places, rounding)
    if count == 0:
        if Fraction(0) in interval:
            raise ValidationError(
                "nothing achieved and a stated percent that 0 rounds to: every target fits,"
                " so the check is uninformative",
                field="stated_percent",
                value=stated_percent,
            )
        return range(0)
    if interval.hi == 0:  # only 0 exactly rounds to it, and achieved > 0
        return range(0)
    if interval.lo == 0:
        raise ValidationError(
            "the stated percent is reached by arbitrarily small ratios, so it puts no upper"
            " bound on the target; the check is uninformative",
            field="stated_percent",
            value=stated_percent,
        )
    # 100 a / T < hi  <=>  T > 100 a / hi ; 100 a / T >= lo  <=>  T <= 100 a / lo
    top = Fraction(100 * count) / interval.hi
    bottom = Fraction(100 * count) / interval.lo
    first = max(1, _ceil(top) if interval.hi_closed else _floor(top) + 1)
    last = _floor(bottom) if interval.lo_closed else _ceil(bottom) - 1
    if last < first:
        return range(0)
    return range(first, last + 1)


def percent_possible(
    denominator: int,
    stated_percent: str | Decimal,
    places: int | None = None,
    rounding: str = decimal.ROUND_HALF_UP,
) -> bool:
    """Whether some count k in ``0..denominator`` gives *stated_percent* (GRIM for percents).

    Args:
        denominator: The group size (1 or more).
        stated_percent: The published share, ``"59,75%"`` or a Decimal.
        places: The precision; by default the decimals written.
        rounding: The :mod:`decimal` rounding constant the publisher used.

    Returns:
        True when ``k / denominator`` rounds to the stated percent for some k.

    Raises:
        ParseError: quoting the text when it is not a percentage.
        ValidationError: for bad arguments.

    >>> percent_possible(815, "59,75%") and percent_possible(815, "7,48%")
    True
    >>> percent_possible(335, "7,48%")  # Tam Kỳ's 335 admissions cannot give it
    False
    """
    n = _check_count(denominator, "denominator", 1)
    interval = rounding_interval(stated_percent, places, rounding)
    first, last = _counts(n, _bounds(interval))
    return max(first, 0) <= min(last, n)


def informative(denominator: int, places: int) -> bool:
    """Whether a GRIM check of a percent over *denominator* people can flag anything.

    At *places* decimals there are ``10**(places + 2) + 1`` percents from 0 to
    100, each standing for a disjoint interval, and only ``denominator + 1``
    counts.  Below ``10**(places + 2)`` some percent is therefore impossible;
    from there on every step ``100 / denominator`` is at most one unit of the
    last place and every percent is possible, whatever the rounding mode.

    Args:
        denominator: The group size (1 or more).
        places: Decimals of the stated percents (0 or more).

    Returns:
        False when every percent at that precision is possible for that group.

    >>> informative(335, 2)  # two decimals over 335 people: worth checking
    True
    >>> informative(71441, 1)  # one decimal over the province's 71,441 members: not
    False
    """
    n = _check_count(denominator, "denominator", 1)
    bound: int = 10 ** (check_places(places) + 2)
    return n < bound


def min_denominator(
    stated_percents: Iterable[str | Decimal],
    places: int | None = None,
    rounding: str = decimal.ROUND_HALF_UP,
) -> int:
    """The smallest group size n >= 1 for which every stated percent is possible at once.

    Shares of one group, such as an intake's education levels, must all be
    ``k / n`` for the same n.  The search over n stops at ``10**(places + 2)``
    (see :func:`informative`), and each n costs O(1) per percent.

    Args:
        stated_percents: The published shares of one group.
        places: The precision of all of them; by default each one's written decimals.
        rounding: The :mod:`decimal` rounding constant the publisher used.

    Returns:
        The smallest n.

    Raises:
        ParseError: quoting a text that is not a percentage.
        ValidationError: for no percents, bad arguments, or a percent above 100
            that no share of a group can have.

    >>> min_denominator(["59,75%", "7,48%"])
    815
    >>> min_denominator(["60,5%"])
    38
    """
    mode = check_rounding(rounding)
    stated = [_stated(p, places) for p in stated_percents]
    if not stated:
        raise ValidationError("no stated percents given", field="stated_percents")
    intervals = [_interval(value, prec, mode) for value, prec in stated]
    # Narrowest first, so that most n are rejected by the first test.
    intervals.sort(key=lambda i: i.hi - i.lo)
    bounds = [_bounds(i) for i in intervals]
    bound = 10 ** (max(prec for _, prec in stated) + 2)
    for n in range(1, bound + 1):
        for bound_ in bounds:
            first, last = _counts(n, bound_)
            if max(first, 0) > min(last, n):
                break
        else:
            return n
    raise ValidationError(
        "no group of any size gives these percents (a share is at most 100%)",
        field="stated_percents",
        value=[str(p) for p in stated],
    )


def shares_can_sum(
    stated_percents: Iterable[str | Decimal],
    total: Decimal = Decimal(100),
    places: int | None = None,
    rounding: str = decimal.ROUND_HALF_UP,
) -> bool:
    """Whether exclusive, exhaustive shares can come from exact values that sum to *total*.

    Exact shares in the rounding intervals can sum to every value between the
    sum of the lower ends and the sum of the upper ends; an end of that range
    is attained only when every share's interval is closed at that end.  No
    shares sum to 0.

    Args:
        stated_percents: The published shares of the parts of one whole.
        total: What they must add up to, 100 by default.
        places: The precision of all of them; by default each one's written decimals.
        rounding: The :mod:`decimal` rounding constant the publisher used.

    Returns:
        True when some exact shares rounding to the stated ones sum to *total*.

    >>> shares_can_sum(["33,3%", "33,3%", "33,3%"])
    True
    >>> shares_can_sum(["33,3%", "33,3%", "33,3%"], rounding=decimal.ROUND_UP)
    False
    >>> shares_can_sum(["59,75%", "7,48%"])  # the rest of Tam Kỳ's intake is missing
    False
    """
    mode = check_rounding(rounding)
    goal = to_fraction(total, "total")
    intervals = [rounding_interval(p, places, mode) for p in stated_percents]
    lo = sum((i.lo for i in intervals), Fraction(0))
    hi = sum((i.hi for i in intervals), Fraction(0))
    lo_closed = all(i.lo_closed for i in intervals)
    hi_closed = all(i.hi_closed for i in intervals)
    above = goal >= lo if lo_closed else goal > lo
    below = goal <= hi if hi_closed else goal < hi
    return above and below


def reproducing_roundings(
    numerator: int,
    denominator: int,
    stated_percent: str | Decimal,
    places: int | None = None,
    modes: Iterable[str] = CONVENTIONS,
) -> tuple[str, ...]:
    """The rounding conventions that turn ``numerator / denominator`` into the stated percent.

    A checker should say which convention a publisher used rather than assume
    one: an exact ratio of 60.49 % is "60,5%" rounded half up but "60,4%"
    truncated.

    Args:
        numerator: The count (achieved, or members of a category).
        denominator: What it is a percentage of (1 or more).
        stated_percent: The published percent.
        places: The precision; by default the decimals written.
        modes: The :mod:`decimal` rounding constants to try, in the order returned.

    Returns:
        The modes, in the order given, that reproduce the figure; empty if none.

    Raises:
        ParseError: quoting the text when it is not a percentage.
        ValidationError: for bad arguments or an unknown mode.

    >>> reproducing_roundings(4537, 7500, "60,5%")  # 60.4933...%
    ('ROUND_HALF_UP', 'ROUND_HALF_EVEN', 'ROUND_UP')
    >>> reproducing_roundings(4537, 7500, "60,4%")
    ('ROUND_DOWN',)
    >>> reproducing_roundings(268, 350, "76,57%")
    ('ROUND_HALF_UP', 'ROUND_DOWN', 'ROUND_HALF_EVEN')
    """
    if isinstance(numerator, bool) or not isinstance(numerator, int):
        raise ValidationError("must be an integer", field="numerator", value=numerator)
    n = _check_count(denominator, "denominator", 1)
    value, prec = _stated(stated_percent, places)
    exact = Fraction(100 * numerator, n)
    chosen = [check_rounding(m) for m in modes]
    return tuple(m for m in chosen if round_fraction(exact, prec, m) == value)
