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
from functools import partial
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
    "TargetColumn",
    "TargetKind",
    "TargetPool",
    "UnitMembersAt",
    "compared_span",
    "resolve_target",
    "resolve_units",
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
        return _source_of(self.targets)

    @property
    def derived(self) -> bool:
        """Whether any target used is derived rather than stated."""
        return _derived_of(self.targets)


def _source_of(used: Sequence[Target]) -> Source:
    return used[0].source


def _derived_of(used: Iterable[Target]) -> bool:
    return any(t.derived for t in used)


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
        return cls(term, _pooled(targets, term, source, category))

    def resolve(
        self, period: Period | None, members_at: MembersAt = lambda day: None
    ) -> ResolvedTarget | None:
        """The target for *period* (``None``: the term), as :func:`resolve_target` says."""
        figures = _figures(
            self.targets, self.term, _choose(self.targets, self.term, period), members_at
        )
        return None if figures is None else ResolvedTarget(figures[0], figures[2], figures[1])


_RANK = {source: rank for rank, source in enumerate(SOURCE_PREFERENCE)}


def _rank(target: Target) -> int:
    return _RANK[target.source]


def _pooled(
    targets: Iterable[Target], term: Term, source: Source | None, category: str | None
) -> tuple[Target, ...]:
    """The targets of *term* (from *source*, for *category*), in order of preference
    (:meth:`TargetPool.of`)."""
    pool = [
        t
        for t in targets
        if t.term == term.id and t.category == category and (source is None or t.source == source)
    ]
    pool.sort(key=_rank)
    return tuple(pool)


_Part: TypeAlias = tuple[int, tuple[int, ...]] | None
"""One target used: its place in the pool and the years it counts over; ``None``
for a year of a span that has no target."""


def _choose(pool: Sequence[Target], term: Term, period: Period | None) -> tuple[_Part, ...] | None:
    """Which targets of *pool* (already filtered and ordered) a figure over *period* is
    compared with, and over which years: the rule of :func:`resolve_target`.

    It reads only each target's scope (period and its kind) and rhythm
    (``per_year``), so pools of the same shape get the same answer
    (:func:`resolve_units` asks once per shape).  A part ``None`` (a year with no
    target of a span of years) makes the whole answer ``None`` once the other
    years are counted (:func:`_figures`)."""
    years = term.target_years
    if period is None:
        for i, target in enumerate(pool):
            if target.period is None:
                return ((i, years),)
        by_year: dict[int, int] = {}
        for i, target in enumerate(pool):
            if target.period is not None and target.period.kind == "year":
                by_year.setdefault(target.period.start.year, i)
        if years and all(year in by_year for year in years):
            return tuple((by_year[year], (year,)) for year in years)
        return None
    whole = _whole_years(period)
    for i, target in enumerate(pool):
        if target.period == period:
            return ((i, whole or (period.start.year,)),)
    if period.kind == "year" and period.start.year in years:
        for i, target in enumerate(pool):
            if target.period is None and target.per_year:
                return ((i, (period.start.year,)),)
    if len(whole) > 1:
        # Several whole years with no target of their own: each year's, summed.
        each = [_choose(pool, term, Period.year(year)) for year in whole]
        return tuple(part for parts in each for part in parts or (None,))
    return None


def _figures(
    pool: Sequence[Target],
    term: Term,
    choice: tuple[_Part, ...] | None,
    members_at: MembersAt,
) -> tuple[int, int | None, tuple[Target, ...]] | None:
    """The (count, high, targets used) of a :func:`_choose` answer: the parts' counts
    summed, the high bound only when every part has one; ``None`` when a year has
    no target.  Raises :class:`~partydev.errors.UndeterminedError` when a share of
    members has no membership figure (counting the parts in order)."""
    if choice is None:
        return None
    counts = [
        None if part is None else _count(pool[part[0]], term, part[1], members_at)
        for part in choice
    ]
    low = 0
    high: int | None = 0
    for counted in counts:
        if counted is None:
            return None
        low += counted[0]
        high = None if high is None or counted[1] is None else high + counted[1]
    return low, high, tuple([pool[part[0]] for part in choice if part is not None])


@attrs.frozen
class TargetColumn:
    """Many units' targets for one period, resolved as :meth:`TargetPool.resolve`
    resolves each, held as columns: one cell per unit, in the units' order.

    Made by :func:`resolve_units`.  A cell is ``None`` where the unit has no target
    that fits, or where its target is a share of members and the membership figure
    is missing (those units are also in :attr:`undetermined`).  The columns hold the
    figures a report shows, not the :class:`Target` objects used (a tuple per unit
    that a national report would throw away): ``TargetPool.resolve`` gives those
    for one unit.
    """

    period: Period | None
    """The period resolved for (``None``: the term)."""
    count: tuple[int | None, ...]
    """Each unit's :attr:`ResolvedTarget.count`."""
    high: tuple[int | None, ...]
    """Each unit's :attr:`ResolvedTarget.high`."""
    source: tuple[Source | None, ...]
    """Each unit's :attr:`ResolvedTarget.source`."""
    derived: tuple[bool | None, ...]
    """Each unit's :attr:`ResolvedTarget.derived`."""
    undetermined: tuple[int, ...] = ()
    """The positions of the units whose share-of-members target has no membership
    figure (where :meth:`TargetPool.resolve` raises
    :class:`~partydev.errors.UndeterminedError`)."""


UnitMembersAt = Callable[[str, date], int | None]
"""Looks up a unit's membership on a date (like :meth:`partydev.model.ledger.Ledger.members`)."""


def resolve_units(
    targets_of: Callable[[str], Sequence[Target]],
    units: Sequence[str],
    term: Term,
    periods: Sequence[Period | None],
    *,
    source: Source | None = None,
    category: str | None = None,
    members_at: UnitMembersAt = lambda unit, day: None,
) -> list[TargetColumn]:
    """Resolve the targets of every unit of *units* for each of *periods* at once:
    one :class:`TargetColumn` per period.

    Each cell is what ``TargetPool.of(targets_of(unit), term, source,
    category).resolve(period, ...)`` gives (``None`` where that raises
    :class:`~partydev.errors.UndeterminedError`), made fast for a national
    report: which targets a period takes, and so the cell's source and whether
    it is derived, depend only on the shape of a unit's pool (each target's
    scope, rhythm, source and ``derived``), so they are decided once per distinct
    shape and period and shared; only the counts are worked out unit by unit.

    >>> term = Term("t", "2020–2025", date(2020, 10, 1), date(2025, 12, 31))
    >>> targets = {"a": [Target("a", "t", 100, per_year=True)], "b": []}
    >>> whole, year = resolve_units(
    ...     lambda unit: targets[unit], ["a", "b"], term, [None, Period.year(2022)]
    ... )
    >>> whole.count, year.count, year.source
    ((500, None), (100, None), ('resolution', None))
    """
    cells = [_Cells(len(units)) for _ in periods]
    shapes: dict[tuple[_Shape, ...], list[_Plan]] = {}
    for position, unit in enumerate(units):
        targets = targets_of(unit)
        if not targets:
            continue
        pool = _pooled(targets, term, source, category)
        shape = tuple(map(_shape, pool))
        plans = shapes.get(shape)
        if plans is None:
            plans = shapes[shape] = [_plan(pool, term, period) for period in periods]
        _fill(cells, plans, position, pool, term, partial(members_at, unit))
    return [column.freeze(period) for period, column in zip(periods, cells, strict=True)]


_Shape: TypeAlias = tuple[Period | None, str | None, bool, Source, bool]
_Plan: TypeAlias = tuple[
    tuple[_Part, ...] | None, tuple[int, tuple[int, ...]] | None, Source | None, bool | None
]
"""A :func:`_choose` answer, its part when it is one target, and the source and
``derived`` of the targets it takes."""


def _shape(target: Target) -> _Shape:
    """What :func:`_choose` reads of a target (its scope, with the scope's kind, which
    equality of periods ignores, and its rhythm), and the source and ``derived`` that
    a resolved target reports."""
    period = target.period
    return (
        period,
        None if period is None else period.kind,
        target.per_year,
        target.source,
        target.derived,
    )


def _plan(pool: Sequence[Target], term: Term, period: Period | None) -> _Plan:
    """:func:`_choose`'s answer for *period*, with the source and ``derived`` of the
    targets it takes (the same for every pool of *pool*'s shape)."""
    choice = _choose(pool, term, period)
    single = choice[0] if choice is not None and len(choice) == 1 else None
    used = [pool[part[0]] for part in choice or () if part is not None]
    if not used:
        return choice, single, None, None
    return choice, single, _source_of(used), _derived_of(used)


def _fill(
    cells: Sequence[_Cells],
    plans: Sequence[_Plan],
    position: int,
    pool: Sequence[Target],
    term: Term,
    members_at: MembersAt,
) -> None:
    """Write the cells of the unit at *position* (its *pool*, of the shape of *plans*):
    :func:`_figures` of each plan's answer (of one target, that target's count)."""
    for (choice, single, its_source, derived), column in zip(plans, cells, strict=True):
        if choice is None:
            continue
        try:
            if single is not None:
                low, high = _count(pool[single[0]], term, single[1], members_at)
            else:
                figures = _figures(pool, term, choice, members_at)
                if figures is None:
                    continue
                low, high, _ = figures
        except UndeterminedError:
            column.undetermined.append(position)
            continue
        column.count[position], column.high[position] = low, high
        column.source[position], column.derived[position] = its_source, derived


class _Cells:
    """The cells of one :class:`TargetColumn` while :func:`resolve_units` fills them."""

    def __init__(self, width: int) -> None:
        self.count: list[int | None] = [None] * width
        self.high: list[int | None] = [None] * width
        self.source: list[Source | None] = [None] * width
        self.derived: list[bool | None] = [None] * width
        self.undetermined: list[int] = []

    def freeze(self, period: Period | None) -> TargetColumn:
        """The column, each list let go once copied (a national report's columns are
        300,000 cells each: lists and tuples of every column at once would double them)."""
        count, self.count = tuple(self.count), []
        high, self.high = tuple(self.high), []
        source, self.source = tuple(self.source), []
        derived, self.derived = tuple(self.derived), []
        return TargetColumn(period, count, high, source, derived, tuple(self.undetermined))


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
