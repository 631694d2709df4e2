"""Targets (*chỉ tiêu*) in the shapes real resolutions use, and how one is chosen.

A :class:`Target` belongs to a unit and a term and has:

* a **shape** (:attr:`~Target.kind`): an exact count, a minimum ("từ 90 trở
  lên"), a range ("90 – 100"), or a percentage of membership at a reference
  date ("3% of the members at the start of the year");
* a **rhythm**: ``per_year=True`` when the figure applies to each year
  ("bình quân hằng năm 2.000", "hơn 100 đảng viên/năm"), else to the scope as
  a whole ("nhiệm kỳ 450");
* a **scope**: the whole term (``period=None``), one year, or any period;
* a **source**: the unit's own resolution, an internal (higher) target, or a
  plan assigned by the higher level;
* optionally a **category** for sub-targets ("150 students").

:func:`resolve_target` picks the figure a report compares against and says
which target it used.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Literal, TypeAlias

import attrs

from ..errors import UndeterminedError, ValidationError
from ..numbers import nfc
from ._fields import check_optional_period, to_optional_period
from .periods import Period
from .terms import Term

__all__ = [
    "SOURCE_PREFERENCE",
    "ResolvedTarget",
    "Source",
    "Target",
    "TargetKind",
    "TargetPool",
    "compared_span",
    "resolve_target",
]

TargetKind: TypeAlias = Literal["exact", "minimum", "range", "share_of_members"]
"""The shape of a target."""

Source: TypeAlias = Literal["resolution", "internal", "assigned"]
"""Who set the target: the unit's congress resolution, the unit itself as an
internal (usually higher) target, or the higher level as an assigned plan."""

SOURCE_PREFERENCE: tuple[Source, ...] = ("resolution", "assigned", "internal")
"""The order in which sources are preferred when a report does not say which."""

_SOURCES = frozenset(SOURCE_PREFERENCE)
_KINDS = frozenset({"exact", "minimum", "range", "share_of_members"})


def _non_negative(instance: Target, attribute: attrs.Attribute[int | None], value: object) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(
            "must be a whole number", unit=instance.unit, field=attribute.name, value=value
        )
    if value < 0:
        raise ValidationError(
            "a target cannot be negative", unit=instance.unit, field=attribute.name, value=value
        )


def _optional_decimal(value: object) -> Decimal | None:
    if value is None or isinstance(value, Decimal):
        return value
    if isinstance(value, int | str) and not isinstance(value, bool):
        return Decimal(value)
    raise ValidationError("a percentage must be exact (Decimal, int or text)", value=value)


@attrs.frozen
class Target:
    """A target for a unit in a term; see the module documentation for the fields.

    Args:
        unit: The unit id.
        term: The term id.
        value: The count (``exact``, ``minimum``) or the lower bound (``range``).
        kind: The shape: ``exact`` (default), ``minimum``, ``range``,
            ``share_of_members``.
        high: The upper bound of a ``range``.
        percent: The percentage of a ``share_of_members`` target (``Decimal("3")``).
        reference: For ``share_of_members``: membership is taken at the start of
            each year (``"start_of_year"``) or of the term (``"start_of_term"``),
            from the latest snapshot on or before that day.
        per_year: The figure applies to each year of the scope.
        period: The scope; ``None`` is the whole term.
        source: ``resolution``, ``internal`` or ``assigned``.
        category: A category id for a sub-target, else ``None``.
        derived: ``True`` when the figure is not stated anywhere but implied by
            stated ones (documented in *note*).
        note: Where the target comes from, in words.
    """

    unit: str
    term: str
    value: int | None = attrs.field(default=None, validator=_non_negative)
    kind: TargetKind = "exact"
    high: int | None = attrs.field(default=None, validator=_non_negative)
    percent: Decimal | None = attrs.field(default=None, converter=_optional_decimal)
    reference: Literal["start_of_year", "start_of_term"] = "start_of_year"
    per_year: bool = False
    period: Period | None = attrs.field(
        default=None, converter=to_optional_period, validator=check_optional_period
    )
    source: Source = "resolution"
    category: str | None = None
    derived: bool = False
    note: str = attrs.field(default="", converter=nfc)

    def __attrs_post_init__(self) -> None:
        def fail(message: str, field: str, value: object) -> None:
            raise ValidationError(message, unit=self.unit, field=field, value=value)

        if self.kind not in _KINDS:
            fail("unknown target kind", "kind", self.kind)
        if self.source not in _SOURCES:
            fail("unknown target source", "source", self.source)
        if self.reference not in ("start_of_year", "start_of_term"):
            fail("unknown reference for a share of members", "reference", self.reference)
        if self.kind == "share_of_members":
            if self.percent is None or not self.percent.is_finite() or self.percent <= 0:
                fail("a share-of-members target needs a positive percent", "percent", self.percent)
        elif self.value is None:
            fail(f"a {self.kind} target needs a value", "value", None)
        if self.kind == "range" and (
            self.high is None or self.value is None or self.high < self.value
        ):
            fail("a range needs high >= value", "high", self.high)
        if self.kind != "range" and self.high is not None:
            fail("only a range has a high bound", "high", self.high)

    def for_unit(self, unit: str, term: str) -> Target:
        """This target set for *unit* in *term*: every other field the same.

        No check of a target depends on its unit or term (they name it, and
        the ledger checks they exist), so the copy is made without running the
        checks again: a loader builds one target per distinct shape with the
        constructor, and a national ledger's 300,000 targets share a few
        thousand shapes.

        >>> target = Target(unit="quang-nam", term="2020-2025", value=450, per_year=True)
        >>> copy = target.for_unit("tam-ky", "2020-2025")
        >>> copy.unit, copy.value, copy.per_year
        ('tam-ky', 450, True)
        """
        copy: Target = object.__new__(type(self))
        put = object.__setattr__  # one statement a field: a loop costs as much as the checks
        put(copy, "unit", unit)
        put(copy, "term", term)
        put(copy, "value", self.value)
        put(copy, "kind", self.kind)
        put(copy, "high", self.high)
        put(copy, "percent", self.percent)
        put(copy, "reference", self.reference)
        put(copy, "per_year", self.per_year)
        put(copy, "period", self.period)
        put(copy, "source", self.source)
        put(copy, "category", self.category)
        put(copy, "derived", self.derived)
        put(copy, "note", self.note)
        return copy

    def amount(self, years: int) -> tuple[int, int | None]:
        """The (low, high) count over a scope of *years* whole years (not for shares)."""
        if self.value is None:
            raise UndeterminedError(
                "a share-of-members target needs membership figures", unit=self.unit
            )
        factor = years if self.per_year else 1
        high = None if self.high is None else self.high * factor
        return self.value * factor, high


@attrs.frozen
class ResolvedTarget:
    """The whole-number target a figure is compared against, and where it came from.

    ``count`` is the figure to reach (the minimum of a range or a minimum);
    ``high`` is a range's upper bound.  ``targets`` lists the targets used (several
    when annual targets are summed over a term).
    """

    count: int
    targets: tuple[Target, ...]
    high: int | None = None

    @property
    def source(self) -> Source:
        """The source of the (first) target used."""
        return self.targets[0].source

    @property
    def derived(self) -> bool:
        """Whether any target used is derived rather than stated."""
        return any(t.derived for t in self.targets)


MembersAt = Callable[[date], int | None]
"""Looks up a unit's membership on a date (latest snapshot on or before it)."""


def _share(target: Target, members: int) -> int:
    assert target.percent is not None
    exact = Fraction(target.percent) * members / 100
    return -((-exact.numerator) // exact.denominator)  # at least that share: round up


def _count(
    target: Target, term: Term, years: Sequence[int], members_at: MembersAt
) -> tuple[int, int | None]:
    if target.kind != "share_of_members":
        return target.amount(len(years))
    references = (
        [date(year, 1, 1) for year in years]
        if target.reference == "start_of_year"
        else [term.start] * (len(years) if target.per_year else 1)
    )
    if not target.per_year and target.reference == "start_of_year":
        references = references[:1]
    total = 0
    for day in references:
        members = members_at(day)
        if members is None:
            raise UndeterminedError(
                f"no membership figure on or before {day.isoformat()} for a share-of-members "
                "target",
                unit=target.unit,
                field="percent",
                value=str(target.percent),
            )
        total += _share(target, members)
    return total, None


def resolve_target(
    targets: Iterable[Target],
    term: Term,
    period: Period | None = None,
    *,
    source: Source | None = None,
    category: str | None = None,
    members_at: MembersAt = lambda day: None,
) -> ResolvedTarget | None:
    """Choose the target a figure over *period* (``None``: the whole term) is compared with.

    In order: a target whose scope is exactly *period*; for a calendar year, a
    whole-term target given per year; for several whole years (``2024-2025``),
    each year's target, summed; for the whole term, a whole-term target, or
    else one annual target for every target year, summed.  Among equals the
    sources rank as :data:`SOURCE_PREFERENCE`, unless *source* picks one.

    Returns:
        The resolved target, or ``None`` when the ledger has none that fits.
    """
    return TargetPool.of(targets, term, source, category).resolve(period, members_at)


@attrs.frozen
class TargetPool:
    """A unit's targets for one term, filtered and ordered once, to resolve for many
    periods (a report resolves each unit's targets for the term and every period).

    >>> term = Term("t", "2020–2025", date(2020, 10, 1), date(2025, 12, 31))
    >>> pool = TargetPool.of([Target("u", "t", 100, per_year=True)], term)
    >>> pool.resolve(None).count, pool.resolve(Period.years(2024, 2025)).count
    (500, 200)
    """

    term: Term
    targets: tuple[Target, ...]

    @classmethod
    def of(
        cls,
        targets: Iterable[Target],
        term: Term,
        source: Source | None = None,
        category: str | None = None,
    ) -> TargetPool:
        """The targets of *term* (from *source*, for *category*), in order of preference."""
        pool = [
            t
            for t in targets
            if t.term == term.id
            and t.category == category
            and (source is None or t.source == source)
        ]
        pool.sort(key=lambda t: SOURCE_PREFERENCE.index(t.source))
        return cls(term, tuple(pool))

    def resolve(
        self, period: Period | None, members_at: MembersAt = lambda day: None
    ) -> ResolvedTarget | None:
        """The target for *period* (``None``: the term), as :func:`resolve_target` says."""
        return _resolve_in(self.targets, self.term, period, members_at)


def _resolve_in(
    pool: Sequence[Target], term: Term, period: Period | None, members_at: MembersAt
) -> ResolvedTarget | None:
    """:func:`resolve_target` over targets already filtered and ordered (a
    :class:`TargetPool`)."""
    years = term.target_years
    if period is None:
        for target in pool:
            if target.period is None:
                low, high = _count(target, term, years, members_at)
                return ResolvedTarget(low, (target,), high)
        by_year: dict[int, Target] = {}
        for target in pool:
            if target.period is not None and target.period.kind == "year":
                by_year.setdefault(target.period.start.year, target)
        if years and all(year in by_year for year in years):
            used = tuple(by_year[year] for year in years)
            parts = [
                _count(t, term, (year,), members_at) for t, year in zip(used, years, strict=True)
            ]
            low = sum(p[0] for p in parts)
            highs = [p[1] for p in parts]
            high = None if any(h is None for h in highs) else sum(h or 0 for h in highs)
            return ResolvedTarget(low, used, high)
        return None
    whole = _whole_years(period)
    for target in pool:
        if target.period == period:
            span = whole or (period.start.year,)
            low, high = _count(target, term, span, members_at)
            return ResolvedTarget(low, (target,), high)
    if period.kind == "year" and period.start.year in years:
        for target in pool:
            if target.period is None and target.per_year:
                low, high = _count(target, term, (period.start.year,), members_at)
                return ResolvedTarget(low, (target,), high)
    if len(whole) > 1:
        # Several whole years with no target of their own: each year's, summed.
        each = [_resolve_in(pool, term, Period.year(year), members_at) for year in whole]
        if all(part is not None for part in each):
            found = [part for part in each if part is not None]
            highs = [part.high for part in found]
            return ResolvedTarget(
                sum(part.count for part in found),
                tuple(t for part in found for t in part.targets),
                None if None in highs else sum(h or 0 for h in highs),
            )
    return None


def compared_span(period: Period, term: Term) -> Period:
    """The span whose target a figure over *period* is compared with.

    The term's target period for the term; the calendar year for a period inside
    one year (a half-year "đạt …% chỉ tiêu năm", year to date); else the whole
    years the period spans.

    >>> term = Term("t", "2020–2025", date(2020, 10, 1), date(2025, 12, 31))
    >>> [compared_span(p, term).key for p in (Period.half(2022, 1), Period.years(2024, 2025))]
    ['2022', '2024-01-01..2025-12-31']
    """
    if period == term.target_period:
        return period
    if period.start.year == period.end.year:
        return Period.year(period.start.year)
    return Period.years(period.start.year, period.end.year)


def _whole_years(period: Period) -> tuple[int, ...]:
    """The calendar years *period* spans when it is exactly whole years, else ``()``."""
    start, end = period.start, period.end
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
        return tuple(range(start.year, end.year + 1))
    return ()
