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

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from decimal import Decimal
from fractions import Fraction
from functools import partial
from itertools import compress, count
from operator import attrgetter, itemgetter, ne
from typing import Any, Literal, TypeAlias

import attrs

from ..errors import UndeterminedError, ValidationError
from ..numbers import nfc
from ._fields import check_optional_period, to_optional_period
from .columnar import RecordTable
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
    "TargetTable",
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
    return _ordered([t for t in targets if t.term == term.id], source, category)


def _ordered(
    targets: Iterable[Target], source: Source | None, category: str | None
) -> tuple[Target, ...]:
    """*targets* (of one term) from *source*, for *category*, in order of preference."""
    pool = [
        t for t in targets if t.category == category and (source is None or t.source == source)
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

    Made by :func:`resolve_units` and :meth:`TargetTable.resolve`.  A cell is ``None``
    where the unit has no target that fits, or where its target is a share of members
    and the membership figure is missing (those units are also in
    :attr:`undetermined`).  The columns hold the figures a report shows, not the
    :class:`Target` objects used (a tuple per unit that a national report would
    throw away): ``TargetPool.resolve`` gives those for one unit.
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
    It is :meth:`TargetTable.resolve` (one rule) on a table of the targets
    *targets_of* gives, each listed under the unit asked about; for a ledger,
    ``ledger.targets.resolve`` gives the same columns without making the units'
    :class:`Target` objects.

    >>> term = Term("t", "2020–2025", date(2020, 10, 1), date(2025, 12, 31))
    >>> targets = {"a": [Target("a", "t", 100, per_year=True)], "b": []}
    >>> whole, year = resolve_units(
    ...     lambda unit: targets[unit], ["a", "b"], term, [None, Period.year(2022)]
    ... )
    >>> whole.count, year.count, year.source
    ((500, None), (100, None), ('resolution', None))
    """
    table = TargetTable.from_records(
        target.for_unit(unit, target.term)
        for unit in dict.fromkeys(units)
        for target in targets_of(unit)
    )
    return table.resolve(
        units, term, periods, source=source, category=category, members_at=members_at
    )


_Plan: TypeAlias = tuple[
    tuple[_Part, ...] | None, tuple[int, tuple[int, ...]] | None, Source | None, bool | None
]
"""A :func:`_choose` answer, its part when it is one target, and the source and
``derived`` of the targets it takes."""


def _plan(pool: Sequence[Target], term: Term, period: Period | None) -> _Plan:
    """:func:`_choose`'s answer for *period*, with the source and ``derived`` of the
    targets it takes (the same for every pool of *pool*'s shape)."""
    choice = _choose(pool, term, period)
    single = choice[0] if choice is not None and len(choice) == 1 else None
    used = [pool[part[0]] for part in choice or () if part is not None]
    if not used:
        return choice, single, None, None
    return choice, single, _source_of(used), _derived_of(used)


class _Undetermined:
    """The cell of a share of members with no membership figure."""


_UNDETERMINED = _Undetermined()
_Cell: TypeAlias = tuple[int, int | None, Source | None, bool | None] | _Undetermined | None
"""One unit's cell for one period: (count, high, source, derived), undetermined, or
``None`` (no target fits)."""


def _values(
    plans: Sequence[_Plan], pool: Sequence[Target], term: Term, members_at: MembersAt
) -> tuple[_Cell, ...]:
    """The cells of a unit whose *pool* is of the shape of *plans*, one per plan:
    :func:`_figures` of each plan's answer (of one target, that target's count)."""
    out: list[_Cell] = []
    for choice, single, its_source, derived in plans:
        if choice is None:
            out.append(None)
            continue
        try:
            if single is not None:
                low, high = _count(pool[single[0]], term, single[1], members_at)
            else:
                figures = _figures(pool, term, choice, members_at)
                if figures is None:
                    out.append(None)
                    continue
                low, high, _ = figures
        except UndeterminedError:
            out.append(_UNDETERMINED)
            continue
        out.append((low, high, its_source, derived))
    return tuple(out)


def _no_members(day: date) -> int | None:
    return None


class _Cells:
    """The cells of the :class:`TargetColumn` of each period while they are filled:
    each unit points at a row of cells (one per period), which units whose cells
    are equal may share (the first row is every cell empty)."""

    def __init__(self, width: int, periods: Sequence[Period | None]) -> None:
        self.periods = periods
        self.row = [0] * width
        self.values: list[tuple[_Cell, ...]] = [(None,) * len(periods)]

    def add(self, values: tuple[_Cell, ...]) -> int:
        """A row of cells, by its number (to :meth:`share`)."""
        self.values.append(values)
        return len(self.values) - 1

    def share(self, position: int, number: int) -> None:
        """The unit at *position* has the cells of row *number*."""
        self.row[position] = number

    def put(self, position: int, values: tuple[_Cell, ...]) -> None:
        """The unit at *position* has the cells *values*."""
        self.row[position] = self.add(values)

    def freeze(self) -> list[TargetColumn]:
        """The columns, one per period, each cell picked by the unit's row number in C."""
        row = self.row
        # One getter for every column, a tuple in one call (of two cells or more).
        pick: Callable[[Sequence[Any]], tuple[Any, ...]] = (
            itemgetter(*row) if len(row) > 1 else partial(_pick, row)
        )
        columns = []
        for j, period in enumerate(self.periods):
            cells = [values[j] for values in self.values]
            empty = (None, None, None, None)
            figures = [cell if type(cell) is tuple else empty for cell in cells]
            counts, highs, sources, derived = map(list, zip(*figures, strict=True))
            undetermined = {k for k, cell in enumerate(cells) if cell is _UNDETERMINED}
            columns.append(
                TargetColumn(
                    period,
                    pick(counts),
                    pick(highs),
                    pick(sources),
                    pick(derived),
                    tuple(p for p, k in enumerate(row) if k in undetermined)
                    if undetermined
                    else (),
                )
            )
        return columns


def _pick(row: Sequence[int], cells: Sequence[Any]) -> tuple[Any, ...]:
    return tuple(map(cells.__getitem__, row))


_SHAPE_FIELDS = attrgetter(
    "value", "kind", "high", "reference", "per_year", "period", "source", "category"
)
_NOTE_FIELDS = attrgetter("derived", "note", "percent")


def _shape_key(target: Target) -> tuple[Any, ...]:
    """What tells two targets' shapes apart (every field but the unit and term), down
    to what equality overlooks and a written ledger shows: ``1`` from ``True``,
    ``Decimal("3")`` from ``Decimal("3.0")``, a period's kind."""
    fields = (*_SHAPE_FIELDS(target), *_NOTE_FIELDS(target))
    period = target.period
    return (
        fields,
        tuple(map(type, fields)),
        None if target.percent is None else str(target.percent),
        None if period is None else period.kind,
    )


class TargetTable(RecordTable[Target]):
    """Targets as columns; a read-only sequence of :class:`Target`.

    A national ledger sets some 300,000 targets that share a few thousand
    *shapes* (every field but the unit and the term).  The table keeps each
    distinct shape once (:attr:`shapes`, as targets whose unit and term are
    empty) and three columns, one cell per target: the unit, the term and the
    number of its shape.  A :class:`Target` is made when asked for (indexing,
    iteration, :meth:`of_unit`), with :meth:`Target.for_unit`.

    Build one with :meth:`from_records` (any targets) or :meth:`from_columns`
    (a reader's checked columns).  Rows keep the order they were given in, so
    ``table[i]`` is the ``targets[i]`` errors name.  Two tables are equal when
    their rows are; a table also equals any sequence of the same targets.  The
    columns are tuples: unlike a list, or an object per target, a tuple of
    strings and numbers leaves the garbage collector's care at its first
    collection.

    :meth:`resolve` resolves the targets of many units at once from the columns,
    deciding once per distinct pool of shapes.

    >>> table = TargetTable.from_records(
    ...     [Target("a", "t", 100, per_year=True), Target("b", "t", 100, per_year=True)]
    ... )
    >>> len(table), len(table.shapes), table[1].unit, table.shape
    (2, 1, 'b', (0, 0))
    >>> table == (Target("a", "t", 100, per_year=True), Target("b", "t", 100, per_year=True))
    True
    """

    __slots__ = ("_by_unit", "_shape", "_shapes", "_term", "_unit")

    def __init__(
        self,
        units: Iterable[str],
        terms: Iterable[str],
        shape: Iterable[int],
        shapes: Iterable[Target],
    ) -> None:
        # Private: the columns are trusted (see from_columns).
        self._unit = tuple(units)
        self._term = tuple(terms)
        self._shape = tuple(shape)
        self._shapes = tuple(model.for_unit("", "") for model in shapes)
        self._by_unit: _Runs | None = None

    @classmethod
    def from_columns(
        cls,
        *,
        units: Sequence[str],
        terms: Sequence[str],
        shape: Sequence[int],
        shapes: Sequence[Target],
    ) -> TargetTable:
        """A table from columns a reader has checked row by row.

        *units*, *terms* and *shape* have one cell per target: the unit id, the
        term id and an index into *shapes*, targets built with the constructor
        (so checked) whose every field but the unit and term is the row's.  Only
        the lengths and the indexes are checked here.
        """
        n = len(units)
        if len(terms) != n or len(shape) != n:
            raise ValueError(f"columns of {n}, {len(terms)} and {len(shape)} cells")
        if shape and not 0 <= min(shape) <= max(shape) < len(shapes):
            raise ValueError("a shape number is not an index into the shapes")
        return cls(units, terms, shape, shapes)

    @classmethod
    def from_records(cls, targets: Iterable[Target]) -> TargetTable:
        """A table of *targets* (a :class:`TargetTable` is returned as is)."""
        if isinstance(targets, TargetTable):
            return targets
        items = targets if isinstance(targets, list | tuple) else list(targets)
        number: dict[tuple[Any, ...], int] = {}
        shapes: list[Target] = []
        shape = []
        for target in items:
            key = _shape_key(target)
            found = number.get(key)
            if found is None:
                found = number[key] = len(shapes)
                shapes.append(target)
            shape.append(found)
        return cls(map(attrgetter("unit"), items), map(attrgetter("term"), items), shape, shapes)

    # -- the sequence ------------------------------------------------------------------

    noun = "target"

    def __len__(self) -> int:
        return len(self._unit)

    def _row(self, i: int) -> Target:
        return self._shapes[self._shape[i]].for_unit(self._unit[i], self._term[i])

    def __iter__(self) -> Iterator[Target]:
        return map(
            Target.for_unit, map(self._shapes.__getitem__, self._shape), self._unit, self._term
        )

    def _rows(self) -> list[Target]:
        """Each row's shape (a target with no unit or term)."""
        return list(map(self._shapes.__getitem__, self._shape))

    def _same(self, other: RecordTable[Target]) -> bool:
        assert isinstance(other, TargetTable)
        return (
            self._unit == other._unit
            and self._term == other._term
            and (
                (self._shape == other._shape and self._shapes == other._shapes)
                or self._rows() == other._rows()
            )
        )

    def __hash__(self) -> int:
        return hash((self._unit, self._term, tuple(self._rows())))

    # -- columns -------------------------------------------------------------------------

    @property
    def units(self) -> Sequence[str]:
        """The unit id of each row."""
        return self._unit

    @property
    def terms(self) -> Sequence[str]:
        """The term id of each row."""
        return self._term

    @property
    def shape(self) -> Sequence[int]:
        """Per row, the index of its shape in :attr:`shapes`."""
        return self._shape

    @property
    def shapes(self) -> Sequence[Target]:
        """The distinct shapes, as targets whose unit and term are empty."""
        return self._shapes

    # -- by unit -------------------------------------------------------------------------

    def _runs(self) -> _Runs:
        if self._by_unit is None:
            self._by_unit = _Runs(self._unit)
        return self._by_unit

    def rows_of(self, unit_id: str) -> Sequence[int]:
        """The row numbers of *unit_id*'s targets, in order."""
        return self._runs().rows(unit_id)

    def of_unit(self, unit_id: str) -> tuple[Target, ...]:
        """The targets set for *unit_id*, in order."""
        return tuple(map(self._row, self.rows_of(unit_id)))

    def resolve(
        self,
        units: Sequence[str],
        term: Term,
        periods: Sequence[Period | None],
        *,
        source: Source | None = None,
        category: str | None = None,
        members_at: UnitMembersAt = lambda unit, day: None,
    ) -> list[TargetColumn]:
        """What ``resolve_units(self.of_unit, units, term, periods, ...)`` gives, read
        from the columns: units whose targets of *term* have the same shapes share
        one pool of :attr:`shapes` and its answer (of shares of members, only the
        choice: their counts are worked out unit by unit), so no :class:`Target` is
        made per unit.

        >>> term = Term("t", "2020–2025", date(2020, 10, 1), date(2025, 12, 31))
        >>> table = TargetTable.from_records([Target("a", "t", 100, per_year=True)])
        >>> (column,) = table.resolve(["a", "b"], term, [None])
        >>> column.count, column.source
        ((500, None), ('resolution', None))
        """
        runs = self._runs()
        shape = self._shape if all(map(term.id.__eq__, self._term)) else self._of_term(term)
        cells = _Cells(len(units), periods)
        pools: dict[tuple[int, ...], tuple[tuple[Target, ...], list[_Plan], int | None]] = {}
        where = runs.where
        for position, unit in enumerate(units):
            if unit not in where:
                continue  # no targets: most units of a national ledger
            key = runs.pick(unit, shape)
            found = pools.get(key)
            if found is None:
                pool = _ordered([self._shapes[k] for k in key if k >= 0], source, category)
                plans = [_plan(pool, term, period) for period in periods]
                shared = None
                if all(target.kind != "share_of_members" for target in pool):
                    shared = cells.add(_values(plans, pool, term, _no_members))
                found = pools[key] = (pool, plans, shared)
            pool, plans, shared = found
            if shared is not None:
                cells.share(position, shared)
            else:
                cells.put(position, _values(plans, pool, term, partial(members_at, unit)))
        return cells.freeze()

    def _of_term(self, term: Term) -> tuple[int, ...]:
        """The shape column with ``-1`` for the rows of another term."""
        return tuple(
            k if row_term == term.id else -1
            for k, row_term in zip(self._shape, self._term, strict=True)
        )


class _Runs:
    """A table's rows by unit: each unit's rows are one run of :attr:`order` (the row
    numbers themselves when every unit's rows are together, as a ledger lists them)."""

    __slots__ = ("bounds", "order", "where")

    def __init__(self, units: tuple[str, ...]) -> None:
        n = len(units)
        order: tuple[int, ...] | None = None
        starts = _starts(units)
        where = dict(zip(map(units.__getitem__, starts), count()))
        if len(where) != len(starts):  # some unit's rows are apart: group them, in order
            rank = {unit: k for k, unit in enumerate(dict.fromkeys(units))}
            order = tuple(sorted(range(n), key=lambda row: rank[units[row]]))
            grouped = tuple(map(units.__getitem__, order))
            starts = _starts(grouped)
            where = dict(zip(map(grouped.__getitem__, starts), count()))
        self.where = where
        self.bounds = (*starts, n)
        self.order = order

    def rows(self, unit_id: str) -> Sequence[int]:
        """The rows of *unit_id*, in order."""
        k = self.where.get(unit_id)
        if k is None:
            return ()
        low, high = self.bounds[k], self.bounds[k + 1]
        return range(low, high) if self.order is None else self.order[low:high]

    def pick(self, unit_id: str, column: tuple[int, ...]) -> tuple[int, ...]:
        """The cells of *column* in *unit_id*'s rows (:meth:`rows`; a slice when they
        are one run of the table)."""
        rows = self.rows(unit_id)
        if isinstance(rows, range):
            return column[rows.start : rows.stop]
        return tuple(map(column.__getitem__, rows))


def _starts(units: Sequence[str]) -> list[int]:
    """Where each run of equal cells of *units* starts."""
    if not units:
        return []
    return [0, *compress(count(1), map(ne, units[1:], units[:-1]))]


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
