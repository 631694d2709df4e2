"""Achieved counts with roll-up: how many each unit admitted in a period.

Three explicit ways to count a unit, because a parent often reports its own
total beside the figures of its sub-units (:data:`RollUp`):

``"reported"`` (default)
    The unit's reported total (an *inclusive* tally) when those tallies cover
    the period exactly; otherwise the unit's own records plus the
    ``"reported"`` figure of each child.
``"sum"``
    The unit's own records plus the ``"reported"`` figure of each child:
    what the sub-units add up to, ignoring the unit's own reported total.
    A unit without sub-units has nothing to add up, so its figure is the
    ``"reported"`` one.
``"own"``
    The unit's reported total when it covers the period, else its own records
    only, without sub-units.

"Own records" are the unit's admissions and its non-inclusive tallies, plus
those of every predecessor whose figures it carries (:class:`~partydev.Lineage`).

Unknown is never zero.  A figure is known only where data covers the period:
admissions within their coverage (:mod:`partydev.coverage`), tallies that
tile the period (the coarsest that fit: a year beats its halves), or the
roll-up of sub-units that are all known.  A unit with sub-units admits through
them: its own records, if any, add to theirs, and where it has none its own
part is 0.  Anything else is unknown (``None``), and a
:class:`Shortfall` gives the lower bound the known parts add up to and the
:class:`Gap` s that are missing, such as a tally that runs across the period's
boundary (a count cannot be split by date).

:class:`Achievements` computes every unit at once, bottom-up over the
hierarchy as of the date, in time linear in units plus records in the period.
"""

from __future__ import annotations

import operator
import sys
from array import array
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date
from itertools import count, islice, repeat
from typing import Any, Literal, TypeAlias, cast

import attrs

from ..errors import UndeterminedError, ValidationError
from ..model.coverage import Span, covers, gaps, merge
from ..model.kernels import Kernels
from ..model.ledger import Ledger
from ..model.periods import Period
from ..model.records import Category, Tally
from ..model.store import Attributes
from ..model.units import Hierarchy

__all__ = [
    "MAX_GAPS",
    "Achievements",
    "Counted",
    "Figure",
    "Gap",
    "GapReason",
    "RollUp",
    "Shortfall",
    "achieved",
    "check_rollup_mode",
]

RollUp: TypeAlias = Literal["reported", "sum", "own"]
"""How a unit's figure relates to its sub-units; see the module documentation."""

ROLLUPS: tuple[RollUp, ...] = ("reported", "sum", "own")

Vector: TypeAlias = tuple[int | None, ...]
"""A count followed by one count per category; ``None`` where undetermined."""


def _add(a: Vector, b: Vector) -> Vector:
    if len(a) != len(b):
        raise ValueError("vectors of different widths")
    if None in a or None in b:
        return tuple(None if x is None or y is None else x + y for x, y in zip(a, b, strict=True))
    return tuple(map(operator.add, a, b))  # no None: checked above


def _sum(first: Vector, others: Iterable[Vector]) -> Vector:
    """:func:`_add` folded over *others*, a column at a time: a unit adds its
    children's vectors in one pass per column, not one tuple per child."""
    return tuple(
        None if None in column else sum(column) for column in zip(first, *others, strict=True)
    )


class _Rows:
    """Which categories an admission belongs to, from its attributes and its age at
    admission alone: a million admissions share a few thousand of those, so each
    combination is matched once (by :meth:`Category.holds`, the rule of
    :meth:`Category.matches`) and the result shared
    (:meth:`AdmissionTable.row_codes`)."""

    def __init__(self, categories: Sequence[Category], max_age: int | None) -> None:
        self.categories = tuple(categories)
        self.max_age = max_age
        self.by_age = any(c.max_age is not None for c in categories)

    def matches(self, attributes: Attributes, age: int | None) -> list[bool | None]:
        """Per category, whether an admission with *attributes* and *age* belongs
        (``None``: the data cannot tell)."""
        bound = self.max_age
        return [
            c.holds(attributes, age, bound if c.max_age is not None else None)
            for c in self.categories
        ]


class _Layout:
    """Where a unit's figures sit in one integer, so that adding two integers adds
    every figure at once (the roll-up is one addition per unit, in C).

    A figure is a vector ``(count, *category counts)`` per window, the windows side
    by side (:data:`Vector`).  Each cell of it has two fields of *field* bits: its
    value, and how many of the parts added into it are unknown; a cell with a
    non-zero unknown field is ``None``, which is :func:`_sum`'s rule (unknown
    spreads up) done by addition.  *field* is wide enough for any sum the ledger can
    make (:meth:`Achievements.field_bits`), so fields never carry into each other.

    A field is as wide as the smallest machine integer that holds it (8, 16, 32 or
    64 bits), so that an integer's bytes are an array of its fields: every unit's
    fields are read and written a column at a time, in C (:meth:`columns`,
    :meth:`pack_columns`).  Only a field wider than 64 bits (sums beyond 10^19)
    takes the shifts of :meth:`columns_by_shifts` instead.
    """

    def __init__(self, windows: int, categories: int, field: int) -> None:
        self.windows = windows
        self.cells = 1 + categories
        self.typecode = _typecode(field)
        if self.typecode is not None:
            field = 8 * array(self.typecode).itemsize
        self.field = field
        self.fields = 2 * self.cells * windows  # value and unknown fields, every window
        self.mask = (1 << field) - 1
        self.block = 2 * field * self.cells
        self.unknown_counts = sum(self.mask << (j * self.block + field) for j in range(windows))
        """The unknown fields of every window's count: non-zero where a count is unknown."""
        self.unknown_window = sum(1 << (2 * c + 1) * field for c in range(self.cells))
        """Every cell of one window unknown (shift it to the window's block)."""
        self.unknown_fields = sum(self.mask << (2 * c + 1) * field for c in range(self.cells))
        """Every bit of every unknown field of one window: non-zero where a cell is unknown."""

    def encode(self, vector: Vector) -> int:
        """The integer of a flat *vector* (``None`` where unknown)."""
        field = self.field
        packed = 0
        for at, value in enumerate(vector):
            if value is None:
                packed |= 1 << (2 * at + 1) * field
            else:
                packed |= value << 2 * at * field
        return packed

    def decode(self, packed: int) -> Vector:
        """The flat vector of an integer made by :meth:`encode` and additions."""
        field, mask = self.field, self.mask
        return tuple(
            None if (packed >> (2 * at + 1) * field) & mask else (packed >> 2 * at * field) & mask
            for at in range(self.windows * self.cells)
        )

    def count(self, packed: int, window: int) -> int | None:
        """The count of *window* in *packed* (``None`` where unknown)."""
        at = window * self.block
        if (packed >> (at + self.field)) & self.mask:
            return None
        return (packed >> at) & self.mask

    def row_code(self, matches: Sequence[bool | None]) -> int:
        """One admission's cells in a window: a count of 1, and per category 1 in
        its value field if it belongs or in its unknown field if the data cannot tell."""
        return self.encode((1, *(None if hit is None else int(hit) for hit in matches)))

    def pack_columns(self, columns: Sequence[Sequence[int | None]]) -> list[int]:
        """Per unit, the integer of cells given as columns (one per cell, the windows
        side by side, one value per unit; ``None`` where unknown): the fields laid
        out as an array a column at a time, then each unit's bytes read as an integer."""
        typecode, fields = self.typecode, self.fields
        units = len(columns[0]) if columns else 0
        if typecode is None or not units or len(columns) * 2 != fields:
            return list(map(self.encode, zip(*columns, strict=True)))
        items = array(typecode, bytes(self.field // 8 * fields * units))
        for at, column in enumerate(columns):
            known = cast("Sequence[int]", column)
            if None in column:
                lost = map(operator.is_, column, repeat(None))
                items[2 * at + 1 :: fields] = array(typecode, lost)
                known = [0 if value is None else value for value in column]
            items[2 * at :: fields] = array(typecode, known)  # a length differing: ValueError
        if sys.byteorder == "big":
            items.byteswap()
        data = items.tobytes()
        width = len(data) // units
        return [
            int.from_bytes(data[at : at + width], "little") for at in range(0, len(data), width)
        ]

    def columns(self, packed: Sequence[int]) -> list[list[tuple[int | None, ...]]]:
        """Every window's cells of every unit, as columns (per window: count, then
        categories): each unit's integer turned into the bytes of its fields, a few
        thousand units at a time, and each field of every unit one slice of their array."""
        typecode, fields = self.typecode, self.fields
        if typecode is None:
            return [self.columns_by_shifts(packed, j) for j in range(self.windows)]
        to_bytes = operator.methodcaller("to_bytes", fields * self.field // 8, "little")
        found: list[array[int]] = [array(typecode) for _ in range(fields)]
        for start in range(0, len(packed), _DECODED):
            items = array(typecode)
            items.frombytes(b"".join(map(to_bytes, packed[start : start + _DECODED])))
            if sys.byteorder == "big":
                items.byteswap()
            for at, column in enumerate(found):
                column.extend(items[at::fields])
        out: list[list[tuple[int | None, ...]]] = []
        for j in range(self.windows):
            window: list[tuple[int | None, ...]] = []
            for at in range(2 * self.cells * j, 2 * self.cells * (j + 1), 2):
                known, lost = found[at], found[at + 1]
                if any(lost):
                    window.append(
                        tuple(None if g else n for n, g in zip(known, lost, strict=True))
                    )
                else:
                    window.append(tuple(known))
            out.append(window)
        return out

    def columns_by_shifts(
        self, packed: Sequence[int], window: int
    ) -> list[tuple[int | None, ...]]:
        """:meth:`columns` by shifting each integer: for fields wider than 64 bits."""
        field, mask = self.field, self.mask
        # The window's block first: every shift after it works on a small integer,
        # not on the whole pass's; and the unknown fields are read only when one
        # of the window's is set (in most windows none is).
        block = list(
            map(
                operator.and_,
                map(operator.rshift, packed, repeat(window * self.block)),
                repeat((1 << self.block) - 1),
            )
        )
        unknown = any(map(operator.and_, block, repeat(self.unknown_fields)))
        # Tuples: a column of plain values leaves the garbage collector's care at its
        # first collection, where a list would be walked by every later one.
        out: list[tuple[int | None, ...]] = []
        for cell in range(self.cells):
            at = 2 * cell * field
            values: tuple[int | None, ...] = tuple(
                map(operator.and_, map(operator.rshift, block, repeat(at)), repeat(mask))
            )
            if unknown:
                lost = map(
                    operator.and_, map(operator.rshift, block, repeat(at + field)), repeat(mask)
                )
                values = tuple(
                    None if gone else value for value, gone in zip(values, lost, strict=True)
                )
            out.append(values)
        return out


_DECODED = 8192
"""Units :meth:`_Layout.columns` turns into bytes at once: a few megabytes, not the
whole pass's (every window's fields of 300,000 units are over 100 MB)."""


def _typecode(field: int) -> str | None:
    """The array type code of the smallest machine integer of at least *field* bits
    (``None`` beyond 64 bits)."""
    for typecode in "BHILQ":
        if 8 * array(typecode).itemsize >= field:
            return typecode
    return None


MAX_GAPS = 3
"""How many gaps a :class:`Shortfall` lists by name; the rest are counted."""

GapReason: TypeAlias = Literal["no_data", "split", "after"]
"""Why a stretch is missing: no record covers it (``"no_data"``), a tally runs
across its boundary and cannot be cut (``"split"``), or it lies after the
as-of date (``"after"``)."""


@attrs.frozen
class Gap:
    """A stretch a count needs that the data does not give.

    Args:
        unit: The unit whose records are missing there.
        period: The missing stretch (inside the period asked for).
        reason: See :data:`GapReason`.
        tally: For ``"split"``, the period of the tally that cannot be cut.
    """

    unit: str
    period: Period
    reason: GapReason = "no_data"
    tally: Period | None = None


@attrs.frozen
class Shortfall:
    """What is known of a count the data cannot give.

    Args:
        known: The sum of the parts that are known: a lower bound, never the total.
        gaps: Up to :data:`MAX_GAPS` of the missing stretches, in hierarchy order.
        more: How many further gaps there are.
    """

    known: int
    gaps: tuple[Gap, ...]
    more: int = 0


@attrs.frozen
class Counted:
    """Every unit's figure over one period, held as columns, and for the unknown
    ones, what is known and what is missing.

    ``vectors[unit]`` is ``(count, *category counts)``; a count of ``None`` is
    unknown and ``shortfalls[unit]`` says why.  A category count of ``None``
    with a known count means the data does not break the count down.

    Args:
        period: The period counted.
        positions: Each unit's place in the columns.
        columns: The counts, then one column per category, one value per unit.
        shortfalls: For each unit whose count is unknown, what is known of it.
        order: The units of *positions* in order, when the caller has them as a
            tuple: :meth:`column` given that same tuple reads the columns as they
            are, with no look-up per unit.
    """

    period: Period
    positions: Mapping[str, int]
    columns: tuple[Sequence[int | None], ...]
    shortfalls: Mapping[str, Shortfall]
    order: tuple[str, ...] | None = attrs.field(default=None, kw_only=True, eq=False, repr=False)

    @property
    def vectors(self) -> Mapping[str, Vector]:
        """Unit id → ``(count, *category counts)``, each tuple made when asked for."""
        return _Vectors(self.positions, self.columns)

    def column(self, cell: int = 0, units: Iterable[str] | None = None) -> tuple[int | None, ...]:
        """The counts (*cell* 0) or one category's counts (*cell* 1, 2 …) of
        *units* (default: every unit, in :attr:`positions` order)."""
        values = self.columns[cell]
        if units is None or units is self.order:
            return tuple(values)  # every unit in order: the column itself, no look-ups
        return tuple(map(values.__getitem__, map(self.positions.__getitem__, units)))

    def count(self, unit_id: str) -> int | None:
        """The unit's count, ``None`` when unknown."""
        return self.columns[0][self.positions[unit_id]]

    def figure(self, unit_id: str) -> Figure:
        """The unit's :class:`Figure`."""
        value = self.count(unit_id)
        if value is not None:
            return Figure(value, value)
        shortfall = self.shortfalls[unit_id]
        return Figure(None, shortfall.known, shortfall.gaps, shortfall.more)


class _Vectors(Mapping[str, Vector]):
    """A read-only view of columns as unit id → vector."""

    def __init__(
        self, positions: Mapping[str, int], columns: tuple[Sequence[int | None], ...]
    ) -> None:
        self._positions, self._columns = positions, columns

    def __getitem__(self, unit_id: str) -> Vector:
        at = self._positions[unit_id]
        return tuple(column[at] for column in self._columns)

    def __iter__(self) -> Iterator[str]:
        return iter(self._positions)

    def __len__(self) -> int:
        return len(self._positions)


class _After(Mapping[str, Shortfall]):
    """The shortfalls of a period after the as-of date: every unit's, made when asked for."""

    def __init__(self, positions: Mapping[str, int], period: Period) -> None:
        self._positions, self._period = positions, period

    def __getitem__(self, unit_id: str) -> Shortfall:
        if unit_id not in self._positions:
            raise KeyError(unit_id)
        return Shortfall(0, (Gap(unit_id, self._period, "after"),))

    def __iter__(self) -> Iterator[str]:
        return iter(self._positions)

    def __len__(self) -> int:
        return len(self._positions)


@attrs.frozen
class Figure:
    """One unit's count over a period: exact, or unknown with a lower bound.

    Args:
        value: The count, or ``None`` when the data does not give it.
        known: What the known parts add up to (equal to *value* when known).
        gaps: What is missing (empty when known); see :class:`Gap`.
        more: Further gaps not listed.
    """

    value: int | None
    known: int
    gaps: tuple[Gap, ...] = ()
    more: int = 0


def check_rollup_mode(rollup: object) -> RollUp:
    """*rollup* if it is one of :data:`ROLLUPS`, else a :class:`ValidationError`."""
    if rollup not in ROLLUPS:
        raise ValidationError(
            "unknown roll-up; use reported, sum or own", field="rollup", value=rollup
        )
    return rollup


def _ordinals(tally: Tally) -> Span:
    return tally.period.start.toordinal(), tally.period.end.toordinal()


def _tile(tallies: Sequence[Tally], first: int, last: int) -> tuple[list[Tally], list[Tally]]:
    """The coarsest tallies inside ``first..last`` (disjoint, since tallies nest),
    and the tallies that run across its boundary with a part inside that the
    chosen ones do not tile (their count cannot be cut by date)."""
    chosen: list[Tally] = []
    across: list[Tally] = []
    reach = first - 1
    for tally in sorted(tallies, key=lambda t: (t.period.start, -t.period.end.toordinal())):
        start, end = _ordinals(tally)
        if end < first or start > last:
            continue
        if first <= start and end <= last:
            if start > reach:
                chosen.append(tally)
                reach = end
        else:
            across.append(tally)
    if across:
        tiled = merge(_ordinals(t) for t in chosen)
        across = [
            t
            for t in across
            if not covers(tiled, max(_ordinals(t)[0], first), min(_ordinals(t)[1], last))
        ]
    return chosen, across


def _tiled(
    source: str, tallies: Sequence[Tally], first: int, last: int, spans: tuple[Span, ...] | None
) -> tuple[list[Tally], list[Gap]]:
    """The coarsest of *source*'s tallies inside ``first..last`` (:func:`_tile`) and
    what they leave missing there: a tally that cannot be cut, and, unless *spans*
    is ``None`` (nothing else is needed), each stretch neither they nor *spans* cover."""
    picked, across = _tile(tallies, first, last)
    found = [
        Gap(source, _period((max(a, first), min(b, last))), "split", t.period)
        for t in across
        for a, b in [_ordinals(t)]
    ]
    if spans is not None:
        covered = merge([*spans, *map(_ordinals, picked), *map(_ordinals, across)])
        found.extend(Gap(source, _period(h), "no_data") for h in gaps(covered, first, last))
    return picked, found


def _with_breakdowns(
    counts: list[int | None], tallies: Iterable[Tally], categories: Sequence[Category]
) -> list[int | None]:
    """*counts* per category plus each tally's breakdown (``None`` where either is unknown)."""
    for tally in tallies:
        counts = [
            None if n is None or c is None else n + c
            for n, c in zip(counts, (tally.category_count(c.id) for c in categories), strict=True)
        ]
    return counts


def _period(span: Span) -> Period:
    return Period.between(date.fromordinal(span[0]), date.fromordinal(span[1]))


def _shortfall(known: int, gaps: Iterable[Gap], count: int) -> Shortfall:
    listed = tuple(islice(gaps, MAX_GAPS))
    return Shortfall(known, listed, max(0, count - len(listed)))


@attrs.frozen(eq=False)
class Achievements:
    """Achieved counts for the units of *ledger* as they stand on *as_of*.

    Records dated after *as_of* never count, and a period is cut at *as_of*.
    A count is known only where data covers it (:mod:`partydev.coverage`):
    a unit's own figure needs its admissions' coverage or its own tallies to
    span the period, a unit's reported total needs its inclusive tallies to
    tile it or else its own figure and every sub-unit's to be known.  A unit
    with sub-units admits through them: its own records, if any, add to theirs,
    and where it has none its own part is 0.  Anything else is unknown, with a
    :class:`Shortfall`.

    Args:
        ledger: The validated ledger.
        as_of: The date figures are computed "as of" (*tính đến ngày*).
        max_age: Overrides the age bound of age categories ("young").
        kernels: Vector kernels (:func:`partydev.model.kernels.kernels`) that count
            every unit's own admissions in one call per pass; ``None`` counts
            them a unit at a time by bisection.  The figures are the same.
    """

    ledger: Ledger
    as_of: date
    max_age: int | None = None
    kernels: Kernels | None = attrs.field(default=None, kw_only=True)
    hierarchy: Hierarchy = attrs.field(init=False)
    _sources: dict[str, tuple[str, ...]] = attrs.field(init=False, repr=False)
    _memo: dict[tuple[Period, RollUp, tuple[Category, ...], str | None], Counted] = attrs.field(
        init=False, repr=False, factory=dict
    )
    _plans: dict[str | None, _Plan] = attrs.field(init=False, repr=False, factory=dict)
    _first_parents: frozenset[str | None] = attrs.field(init=False, repr=False)

    def __attrs_post_init__(self) -> None:
        sources: dict[str, list[str]] = {}
        if not self.ledger.events:
            # Without dated events every unit exists throughout, as first known, and
            # carries only itself (what sources() answers for a unit not listed):
            # skip rebuilding 300,000 units and their carriers.
            hierarchy = self.ledger.hierarchy
        else:
            hierarchy = self.ledger.lineage.hierarchy(self.as_of)
            for unit_id, carrier in self.ledger.lineage.carriers(self.as_of).items():
                if carrier is not None:
                    sources.setdefault(carrier, []).append(unit_id)
        object.__setattr__(self, "hierarchy", hierarchy)
        object.__setattr__(self, "_sources", {k: tuple(v) for k, v in sources.items()})
        first_parents = frozenset(self.ledger.hierarchy.units.parents)
        object.__setattr__(self, "_first_parents", first_parents)

    def sources(self, unit_id: str) -> tuple[str, ...]:
        """The units whose records *unit_id* carries: itself and merged predecessors."""
        return self._sources.get(unit_id, (unit_id,))

    @property
    def carriers(self) -> frozenset[str]:
        """The units that carry the records of merged predecessors on the as-of date
        (:meth:`sources` says whose)."""
        return frozenset(k for k, v in self._sources.items() if v != (k,))

    def admits_through_children(self, source: str, has_children: bool, carrier: str) -> bool:
        """Whether *source*, whose records *carrier* carries, admits through sub-units:
        it is the carrier and has sub-units on the date (*has_children*), or it had
        some as first known (a district whose units all moved away has none left).
        Its own records then add to its sub-units' figures, and where it has none,
        its own part is 0 rather than unknown."""
        return (has_children and source == carrier) or source in self._first_parents

    # -- public reading ---------------------------------------------------------------

    def counted(
        self,
        period: Period,
        rollup: RollUp = "reported",
        categories: Sequence[Category] = (),
        within: str | None = None,
    ) -> Counted:
        """Every unit's figure over *period* (remembered: ask as often as needed).

        With *within*, only that unit and its sub-units are computed (one unit's
        figure costs its subtree, not the whole hierarchy).
        """
        key = (period, check_rollup_mode(rollup), tuple(categories), within)
        if key not in self._memo:
            self.count_periods([period], rollup, categories, within)
        return self._memo[key]

    def count_periods(
        self,
        periods: Iterable[Period],
        rollup: RollUp = "reported",
        categories: Sequence[Category] = (),
        within: str | None = None,
    ) -> dict[Period, Counted]:
        """:meth:`counted` for several periods in one bottom-up pass."""
        check_rollup_mode(rollup)
        cats = tuple(categories)
        wanted = list(dict.fromkeys(periods))
        todo = [p for p in wanted if (p, rollup, cats, within) not in self._memo]
        if todo:
            for period, counted in zip(todo, self._pass(todo, rollup, cats, within), strict=True):
                self._memo[(period, rollup, cats, within)] = counted
        return {p: self._memo[(p, rollup, cats, within)] for p in wanted}

    def vectors(
        self,
        period: Period,
        rollup: RollUp = "reported",
        categories: Sequence[Category] = (),
        within: str | None = None,
    ) -> dict[str, Vector]:
        """Counts (and category counts) of every unit over *period*, bottom-up.

        Returns:
            Unit id → ``(count, *category counts)``, ``None`` where unknown.
        """
        return dict(self.counted(period, rollup, categories, within).vectors)

    def counts(self, period: Period, rollup: RollUp = "reported") -> dict[str, int | None]:
        """The count of every unit over *period* (``None`` where unknown)."""
        return {u: v[0] for u, v in self.counted(period, rollup).vectors.items()}

    def figure(self, unit_id: str, period: Period, rollup: RollUp = "reported") -> Figure:
        """One unit's :class:`Figure` over *period*: the count or what is known of it."""
        self.hierarchy.get(unit_id)
        return self.counted(period, rollup, within=unit_id).figure(unit_id)

    def count(self, unit_id: str, period: Period, rollup: RollUp = "reported") -> int:
        """The count of one unit over *period*.

        Raises:
            UndeterminedError: naming the unit, the period and the first gap
                when the data cannot give the figure.
        """
        found = self.figure(unit_id, period, rollup)
        if found.value is None:
            why = "no data covers it"
            if found.gaps:
                gap = found.gaps[0]
                where = f"{gap.unit}, {gap.period.key}"
                why = {
                    "no_data": f"no data covers {where}",
                    "split": f"the tally for {gap.tally.key if gap.tally else '?'} of "
                    f"{gap.unit} cannot be split by date",
                    "after": "the period starts after the as-of date",
                }[gap.reason]
            known = f"; at least {found.known} known" if found.known else ""
            raise UndeterminedError(
                f"the admissions of {period.key} cannot be counted from the data: {why}{known}",
                unit=unit_id,
                field="period",
                value=period.key,
            )
        return found.value

    @property
    def field_bits(self) -> int:
        """How wide a field of :class:`_Layout` must be: no sum the ledger can make
        (every admission, every tally's count, one unknown part per unit) overflows it."""
        ledger = self.ledger
        bound = len(ledger.admissions) + len(ledger.units) + sum(t.count for t in ledger.tallies)
        return bound.bit_length() + 1

    # -- the one bottom-up pass --------------------------------------------------------

    def _plan(self, within: str | None) -> _Plan:
        """How each unit of the pass is counted (remembered per *within*)."""
        plan = self._plans.get(within)
        if plan is None:
            hierarchy = self.hierarchy
            order = (
                hierarchy.order() if within is None else (within, *hierarchy.descendants(within))
            )
            plan = self._plans[within] = _Plan.build(self, tuple(order))
        return plan

    def _pass(
        self,
        periods: Sequence[Period],
        rollup: RollUp,
        categories: tuple[Category, ...],
        within: str | None,
    ) -> list[Counted]:
        plan = self._plan(within)
        windows = [p.until(self.as_of) for p in periods]
        live = [(w, w.start.toordinal(), w.end.toordinal()) for w in windows if w is not None]
        figures = _Figures(self, categories, live)
        own, own_short = figures.own_all(plan)
        chosen, missing = figures.roll_up(plan, own, own_short, rollup)
        return _per_period(periods, windows, plan, figures.layout, chosen, missing)


@attrs.frozen(eq=False)
class _Plan:
    """The units of a pass in hierarchy order, and how each one's own figure is
    found: what every pass over the same units shares.

    Args:
        order: The unit ids, parents before children.
        positions: Each unit's place in *order*.
        parents: Each unit's parent's place (``-1`` for none in the pass).
        has_children: Whether each unit has sub-units.
        numbers: Each unit's number in the admission index when its own figure is
            its admissions alone, else ``-1``.
        general: The places of the units whose own figure needs their tallies or
            several sources (:meth:`_Figures.own`).
        by_coverage: The places of units counted by their admissions alone that do
            not admit through sub-units, grouped by their coverage spans.
    """

    order: tuple[str, ...]
    positions: dict[str, int]
    parents: list[int]
    has_children: list[bool]
    numbers: list[int]
    general: list[int]
    by_coverage: dict[int, tuple[tuple[Span, ...], list[int]]]

    @classmethod
    def build(cls, engine: Achievements, order: tuple[str, ...]) -> _Plan:
        """The plan of *order* (a hierarchy's order or one subtree of it)."""
        ledger, hierarchy = engine.ledger, engine.hierarchy
        index = ledger.admission_index
        positions = dict(zip(order, count()))
        parent_ids = map(hierarchy.units.parents.__getitem__, hierarchy.positions(order))
        parents = cast("list[int]", list(map(positions.get, parent_ids, repeat(-1))))  # type: ignore[arg-type]
        has_children = [False] * len(order)
        for parent in parents:
            if parent >= 0:
                has_children[parent] = True
        # The general path: units with tallies or carrying merged predecessors.
        special = {tally.unit for tally in ledger.tallies} | engine.carriers
        general = [at for at, unit_id in enumerate(order) if unit_id in special]
        numbers = index.numbers(order)
        # The others count their admissions alone; one that admits through sub-units
        # counts them as far as they go, the rest as far as their coverage does.
        by_coverage: dict[int, tuple[tuple[Span, ...], list[int]]] = {}
        through = engine.admits_through_children
        for at, unit_id, spans in zip(count(), order, ledger.coverages(order)):
            if unit_id in special or through(unit_id, has_children[at], unit_id):
                continue
            by_coverage.setdefault(id(spans), (spans, []))[1].append(at)
        return cls(
            order, positions, parents, has_children, numbers, general, by_coverage
        )  # fmt: skip

    def children(self, at: int, hierarchy: Hierarchy) -> list[int]:
        """The places of the sub-units of the unit at *at*."""
        return [self.positions[c] for c in hierarchy.children(self.order[at])]


def _per_period(
    periods: Sequence[Period],
    windows: Sequence[Period | None],
    plan: _Plan,
    layout: _Layout,
    chosen: Sequence[int],
    missing: Mapping[int, list[Shortfall | None]],
) -> list[Counted]:
    """A pass's packed figures (the windows side by side) cut into one :class:`Counted`
    per period, as columns; a period after the as-of date is unknown for every unit."""
    out: list[Counted] = []
    positions, order = plan.positions, plan.order
    decoded = layout.columns(chosen)
    j = 0
    for period, window in zip(periods, windows, strict=True):
        if window is None:
            nothing = (None,) * len(order)
            out.append(
                Counted(
                    period,
                    positions,
                    (nothing,) * layout.cells,
                    _After(positions, period),
                    order=order,
                )
            )
            continue
        shortfalls: dict[str, Shortfall] = {}
        for at, items in missing.items():
            item = items[j]
            if item is not None:
                shortfalls[order[at]] = item
        columns = tuple(decoded[j])
        out.append(Counted(period, positions, columns, shortfalls, order=order))
        j += 1
    return out


class _Figures:
    """The figures of one pass: every unit's own figure and the roll-up, each an
    integer of :class:`_Layout` (the windows side by side), with a list of
    :class:`Shortfall` (``None`` where known) per unit whose count is unknown
    somewhere.  The rare units with tallies or several sources are read as flat
    vectors ``(count, *categories)`` per window and packed."""

    def __init__(
        self,
        engine: Achievements,
        categories: tuple[Category, ...],
        live: list[tuple[Period, int, int]],
    ) -> None:
        self.engine = engine
        self.ledger = engine.ledger
        self.categories = categories
        self.width = 1 + len(categories)
        self.live = live
        self.rows = _Rows(categories, engine.max_age)
        self.layout = _Layout(len(live), len(categories), engine.field_bits)
        self.index = engine.ledger.admission_index
        self.windows = [(first, last) for _, first, last in live]
        self.kernels = engine.kernels
        self._bulk: list[int] | None = None
        self.zero: Vector = (0,) * (self.width * len(live))
        self.covered: dict[int, list[bool]] = {}  # id of spans -> covered, per window

    @property
    def bulk(self) -> list[int]:
        """Every unit's own admissions over every window (by unit number in the
        admission index), packed: from a few passes over the rows
        (:meth:`AdmissionIndex.window_sums`), or from the kernels' columns."""
        if self._bulk is None:
            self._bulk = self._from_kernels() if self.kernels else self._from_rows()
        return self._bulk

    def _from_rows(self) -> list[int]:
        codes = None
        if self.categories:
            rows, layout = self.rows, self.layout

            def code(attributes: Attributes, age: int | None) -> int:
                return layout.row_code(rows.matches(attributes, age))

            table = self.index.table
            codes = self.index.in_order(table.row_codes(code, rows.by_age))
        return self.index.window_sums(self.windows, codes, self.layout.block)

    def _from_kernels(self) -> list[int]:
        assert self.kernels is not None
        if not self.windows:
            return self.index.window_sums(self.windows)  # every unit's figure: 0
        sums: list[list[list[int | None]]] | None
        if not self.categories:
            counts, sums = self.index.window_figures(self.kernels, self.windows)
        else:
            rows = self.rows
            combination, pairs = self.index.table.combinations(rows.by_age)
            found = [rows.matches(attributes, age) for attributes, age in pairs]
            hits = [[int(hit is True) for hit in each] for each in found]
            opens = [[int(hit is None) for hit in each] for each in found]
            counts, sums = self.index.window_figures(
                self.kernels, self.windows, combination, hits, opens
            )
        columns: list[Sequence[int | None]] = []
        for j, column in enumerate(counts):
            columns.append(column)
            if sums is not None:
                columns.extend(sums[j])
        return self.layout.pack_columns(columns)

    def own_vector(self, source: str) -> Vector:
        """*source*'s own admissions over every window, ``(count, *categories)``
        per window side by side."""
        k = self.index.number(source)
        return self.zero if k is None else self.layout.decode(self.bulk[k])

    def own_all(self, plan: _Plan) -> tuple[list[int], dict[int, list[Shortfall | None]]]:
        """Every unit's own figure, and the shortfalls of those with unknown counts:
        admissions alone from :attr:`bulk` (unknown over a window their coverage
        misses), the general units one by one (:meth:`own`)."""
        bulk = self.bulk
        own = [bulk[k] if k >= 0 else 0 for k in plan.numbers]
        shorts: dict[int, list[Shortfall | None]] = {}
        for spans, places in plan.by_coverage.values():
            inside = self._inside(spans)
            if all(inside):
                continue
            for at in places:
                (source,) = self.engine.sources(plan.order[at])
                own[at], shorts[at] = self._uncovered(own[at], inside, spans, source)
        encode = self.layout.encode
        for at in plan.general:
            vector, short = self.own(plan.order[at], plan.has_children[at])
            own[at] = encode(vector)
            if short is not None:
                shorts[at] = short
        return own, shorts

    def _uncovered(
        self, packed: int, inside: Sequence[bool], spans: tuple[Span, ...], source: str
    ) -> tuple[int, list[Shortfall | None]]:
        """*source*'s admissions with every window its coverage misses unknown: at
        least what was recorded there, missing the stretches no span covers."""
        layout = self.layout
        block = (1 << layout.block) - 1
        shorts: list[Shortfall | None] = [None] * len(self.live)
        for j, (_window, first, last) in enumerate(self.live):
            if inside[j]:
                continue
            at = j * layout.block
            known = layout.count(packed, j) or 0
            packed = (packed & ~(block << at)) | (layout.unknown_window << at)
            holes = gaps(spans, first, last)
            listed = (Gap(source, _period(h), "no_data") for h in holes)
            shorts[j] = _shortfall(known, listed, len(holes))
        return packed, shorts

    def roll_up(
        self,
        plan: _Plan,
        own: Sequence[int],
        own_short: Mapping[int, list[Shortfall | None]],
        rollup: RollUp,
    ) -> tuple[list[int], dict[int, list[Shortfall | None]]]:
        """The figure *rollup* chooses for every unit, bottom-up: a unit's total is
        its own figure plus its sub-units' reported figures (one addition), its
        reported figure prefers its own reported totals (:meth:`prefer`)."""
        n = len(plan.order)
        unknown = self.layout.unknown_counts
        parents, has_children = plan.parents, plan.has_children
        general = frozenset(plan.general)  # only they can have reported totals (tallies)
        below = [0] * n
        reported = [0] * n
        missing_reported: dict[int, list[Shortfall | None]] = {}
        chosen = reported if rollup == "reported" else [0] * n
        missing = missing_reported if rollup == "reported" else {}
        for at in range(n - 1, -1, -1):
            total = own[at] + below[at]
            total_short = None
            if total & unknown:
                total_short = (
                    self.combine(at, plan, own, own_short, reported, missing_reported)
                    if has_children[at]
                    else own_short.get(at)
                )
            rep, rep_short = total, total_short
            declared = self.declared(plan.order[at]) if at in general else None
            if declared is not None:
                rep, rep_short = self.prefer(declared, total, total_short)
            reported[at] = rep
            if rep_short is not None:
                missing_reported[at] = rep_short
            if parents[at] >= 0:
                below[parents[at]] += rep
            if rollup == "reported":
                continue
            if rollup == "own":
                pick = (own[at], own_short.get(at))
                if declared is not None:
                    pick = self.prefer(declared, *pick, fall_back=False)
            else:  # sum: with no sub-units there is nothing to add up, the figure stands
                pick = (total, total_short) if has_children[at] else (rep, rep_short)
            chosen[at] = pick[0]
            if pick[1] is not None:
                missing[at] = pick[1]
        return chosen, missing

    def _inside(self, spans: tuple[Span, ...]) -> list[bool]:
        """Per window, whether *spans* cover it (remembered per spans tuple)."""
        found = self.covered.get(id(spans))
        if found is None:
            found = self.covered[id(spans)] = [covers(spans, a, b) for _, a, b in self.live]
        return found

    def own(
        self, unit_id: str, has_children: bool
    ) -> tuple[Vector, list[Shortfall | None] | None]:
        """The own records of a unit with tallies or several sources over every window."""
        parts = [self._source(s, unit_id, has_children) for s in self.engine.sources(unit_id)]
        vector = _sum(self.zero, (v for v, _ in parts))
        if None not in vector[:: self.width]:
            return vector, None
        return vector, [
            self._merge([(v[j * self.width], None if s is None else s[j]) for v, s in parts])
            if vector[j * self.width] is None
            else None
            for j in range(len(self.live))
        ]

    def _source(
        self, source: str, carrier: str, has_children: bool
    ) -> tuple[Vector, list[Shortfall | None] | None]:
        """One source's own records (admissions and own tallies) over every window."""
        ledger = self.ledger
        tallies = [t for t in ledger.tallies_of(source) if not t.inclusive]
        spans = ledger.coverage(source)
        structural = self.engine.admits_through_children(source, has_children, carrier)
        out: list[int | None] = []
        shorts: list[Shortfall | None] | None = None
        vector = self.own_vector(source)
        width = self.width
        for j, (_window, first, last) in enumerate(self.live):
            number = vector[j * width] or 0
            by_category = list(vector[j * width + 1 : (j + 1) * width])
            picked, found = _tiled(source, tallies, first, last, None if structural else spans)
            known = number + sum(t.count for t in picked)
            if found:
                out.extend([None] * self.width)
                if shorts is None:
                    shorts = [None] * len(self.live)
                shorts[j] = _shortfall(known, found, len(found))
                continue
            out.append(known)
            if self.categories:
                out.extend(_with_breakdowns(by_category, picked, self.categories))
        return tuple(out), shorts

    def declared(self, unit_id: str) -> tuple[Vector, list[Shortfall | None] | None] | None:
        """The unit's reported totals (inclusive tallies) over every window, or
        ``None`` when it reported none there."""
        ledger = self.ledger
        by_source = [
            (s, [t for t in ledger.tallies_of(s) if t.inclusive])
            for s in self.engine.sources(unit_id)
        ]
        by_source = [(s, items) for s, items in by_source if items]
        if not by_source:
            return None
        out: list[int | None] = []
        shorts: list[Shortfall | None] | None = None
        anything = False
        for j, (_window, first, last) in enumerate(self.live):
            found: list[Gap] = []
            known = 0
            extra: list[int | None] = [0] * len(self.categories)
            seen = False
            for source, tallies in by_source:
                if not any(_ordinals(t)[0] <= last and _ordinals(t)[1] >= first for t in tallies):
                    continue
                seen = True
                picked, missing = _tiled(source, tallies, first, last, ())
                found.extend(missing)
                known += sum(tally.count for tally in picked)
                extra = _with_breakdowns(extra, picked, self.categories)
            if not seen:
                out.extend([_NOT_DECLARED] * self.width)
                continue
            anything = True
            if found:
                out.extend([None] * self.width)
                if shorts is None:
                    shorts = [None] * len(self.live)
                shorts[j] = _shortfall(known, found, len(found))
            else:
                out.append(known)
                out.extend(extra)
        if not anything:
            return None
        return tuple(out), shorts

    def prefer(
        self,
        declared: tuple[Vector, list[Shortfall | None] | None],
        packed: int,
        total_short: list[Shortfall | None] | None,
        fall_back: bool = True,
    ) -> tuple[int, list[Shortfall | None] | None]:
        """The reported figure per window (packed, as the roll-up's *packed* total):
        the unit's own reported total where it tiles the window; else (with
        *fall_back*) the roll-up where that is known; else unknown, at least the
        larger of the two known parts, missing what the totals miss.  Where the unit
        reported nothing, the roll-up stands."""
        vector, shorts = declared
        total = self.layout.decode(packed)
        width = self.width
        out: list[int | None] = []
        short_out: list[Shortfall | None] = []
        for j in range(len(self.live)):
            cut = slice(j * width, (j + 1) * width)
            mine, summed = vector[cut], total[cut]
            if mine[0] is _NOT_DECLARED:
                out.extend(summed)
                short_out.append(None if total_short is None else total_short[j])
            elif mine[0] is not None:
                out.extend(mine)
                short_out.append(None)
            elif fall_back and summed[0] is not None:
                out.extend(summed)
                short_out.append(None)
            else:
                assert shorts is not None
                gap_list = shorts[j]
                assert gap_list is not None
                other = summed[0] if summed[0] is not None else None
                if other is None and total_short is not None and total_short[j] is not None:
                    other = total_short[j].known  # type: ignore[union-attr]
                out.extend(mine)
                short_out.append(
                    attrs.evolve(gap_list, known=max(gap_list.known, other or 0))
                    if fall_back
                    else gap_list
                )
        chosen = self.layout.encode(tuple(out))
        return chosen, (short_out if any(s is not None for s in short_out) else None)

    def combine(
        self,
        at: int,
        plan: _Plan,
        own: Sequence[int],
        own_short: Mapping[int, list[Shortfall | None]],
        reported: Sequence[int],
        missing: Mapping[int, list[Shortfall | None]],
    ) -> list[Shortfall | None]:
        """The shortfall of the roll-up of the unit at *at* per window: what its
        parts know and miss."""
        count = self.layout.count
        mine = own_short.get(at)
        children = plan.children(at, self.engine.hierarchy)
        out: list[Shortfall | None] = []
        for j in range(len(self.live)):
            parts: list[tuple[int | None, Shortfall | None]] = [
                (count(own[at], j), None if mine is None else mine[j])
            ]
            for child in children:
                value = count(reported[child], j)
                parts.append((value, None if value is not None else missing[child][j]))
            out.append(self._merge(parts) if any(v is None for v, _ in parts) else None)
        return out

    @staticmethod
    def _merge(parts: Sequence[tuple[int | None, Shortfall | None]]) -> Shortfall:
        known = 0
        count = 0
        listed: list[Gap] = []
        for value, short in parts:
            if value is not None:
                known += value
                continue
            assert short is not None
            known += short.known
            count += len(short.gaps) + short.more
            room = MAX_GAPS - len(listed)
            if room > 0:
                listed.extend(short.gaps[:room])
        return Shortfall(known, tuple(listed), count - len(listed))


_NOT_DECLARED: Any = object()
"""A marker in a declared vector: the unit reported no total over that window."""


def achieved(
    ledger: Ledger,
    unit: str,
    period: Period | None = None,
    *,
    as_of: date,
    term: str | None = None,
    rollup: RollUp = "reported",
) -> int:
    """How many *unit* admitted over *period* (default: its term to date) as of *as_of*.

    >>> from partydev import sample_ledger
    >>> achieved(sample_ledger(), "quang-nam", as_of=date(2023, 6, 30))
    4537
    >>> achieved(sample_ledger(), "quang-nam", Period.year(2021), as_of=date(2023, 6, 30))
    1732

    Raises:
        UndeterminedError: when the data cannot give the figure.
    """
    if period is None:
        period = ledger.term(term).target_period
    return Achievements(ledger, as_of).count(unit, period, rollup)
