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
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from itertools import islice
from typing import Any, Literal, TypeAlias

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
    """Each admission's contribution to the category counts, packed in one integer.

    Which categories an admission belongs to depends on its attributes and its
    age at admission alone; a million admissions share a few thousand of those,
    so each combination is matched once (by :meth:`Category.holds`, the rule of
    :meth:`Category.matches`) and its code shared (:meth:`AdmissionTable.row_codes`).
    The code holds, per category, a ``hit`` field (1 if the admission belongs)
    and an ``open`` field (1 where the data cannot tell, which leaves the count undetermined), each
    :data:`FIELD` bits wide: summing the codes of fewer than ``2**FIELD``
    admissions (no unit's records fit in memory otherwise) sums every field at
    once, in C.
    """

    FIELD = 48

    def __init__(self, categories: Sequence[Category], max_age: int | None) -> None:
        self.categories = tuple(categories)
        self.max_age = max_age
        self.by_age = any(c.max_age is not None for c in categories)
        self.mask = (1 << self.FIELD) - 1
        self.shifts = [
            (2 * k * self.FIELD, (2 * k + 1) * self.FIELD) for k in range(len(categories))
        ]

    def matches(self, attributes: Attributes, age: int | None) -> list[bool | None]:
        """Per category, whether an admission with *attributes* and *age* belongs
        (``None``: the data cannot tell)."""
        bound = self.max_age
        return [
            c.holds(attributes, age, bound if c.max_age is not None else None)
            for c in self.categories
        ]

    def code(self, attributes: Attributes, age: int | None) -> int:
        """The packed ``(hit, open)`` fields of an admission with *attributes* and *age*."""
        found = 0
        for (hit_at, open_at), hit in zip(self.shifts, self.matches(attributes, age), strict=True):
            found |= (1 << open_at) if hit is None else (int(hit) << hit_at)
        return found

    def counts(self, packed: int) -> list[int | None]:
        """Per category, the count from a sum of codes, or ``None`` if undetermined."""
        mask = self.mask
        return [
            None if (packed >> open_at) & mask else (packed >> hit_at) & mask
            for hit_at, open_at in self.shifts
        ]


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
    """Every unit's figure over one period: a vector each, and for the unknown
    ones, what is known and what is missing.

    ``vectors[unit]`` is ``(count, *category counts)``; a count of ``None`` is
    unknown and ``shortfalls[unit]`` says why.  A category count of ``None``
    with a known count means the data does not break the count down.
    """

    period: Period
    vectors: Mapping[str, Vector]
    shortfalls: Mapping[str, Shortfall]

    def count(self, unit_id: str) -> int | None:
        """The unit's count, ``None`` when unknown."""
        return self.vectors[unit_id][0]

    def figure(self, unit_id: str) -> Figure:
        """The unit's :class:`Figure`."""
        value = self.vectors[unit_id][0]
        if value is not None:
            return Figure(value, value)
        shortfall = self.shortfalls[unit_id]
        return Figure(None, shortfall.known, shortfall.gaps, shortfall.more)


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

    def sources(self, unit_id: str) -> tuple[str, ...]:
        """The units whose records *unit_id* carries: itself and merged predecessors."""
        return self._sources.get(unit_id, (unit_id,))

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

    # -- the one bottom-up pass --------------------------------------------------------

    def _pass(
        self,
        periods: Sequence[Period],
        rollup: RollUp,
        categories: tuple[Category, ...],
        within: str | None,
    ) -> list[Counted]:
        hierarchy = self.hierarchy
        order = hierarchy.order() if within is None else (within, *hierarchy.descendants(within))
        width = 1 + len(categories)
        windows = [p.until(self.as_of) for p in periods]
        live = [(w, w.start.toordinal(), w.end.toordinal()) for w in windows if w is not None]
        figures = _Figures(self, categories, live)
        reported: dict[str, Vector] = {}
        chosen: dict[str, Vector] = {}
        missing: dict[str, list[Shortfall | None]] = {}  # by unit, for the chosen figures
        missing_reported: dict[str, list[Shortfall | None]] = {}
        children_of = hierarchy.children
        for unit_id in reversed(order):
            children = children_of(unit_id)
            own, own_short = figures.own(unit_id, bool(children))
            if children:
                total = _sum(own, map(reported.__getitem__, children))
                total_short = (
                    figures.combine(own, own_short, children, reported, missing_reported)
                    if None in total
                    else None
                )
            else:
                total, total_short = own, own_short
            declared = figures.declared(unit_id)
            if declared is None:
                rep, rep_short = total, total_short
            else:
                rep, rep_short = figures.prefer(declared, total, total_short)
            reported[unit_id] = rep
            if rep_short is not None:
                missing_reported[unit_id] = rep_short
            if rollup == "reported":
                continue
            if rollup == "own":
                pick = (
                    (own, own_short)
                    if declared is None
                    else figures.prefer(declared, own, own_short, fall_back=False)
                )
            else:  # sum: with no sub-units there is nothing to add up, the figure stands
                pick = (total, total_short) if children else (rep, rep_short)
            chosen[unit_id] = pick[0]
            if pick[1] is not None:
                missing[unit_id] = pick[1]
        if rollup == "reported":
            chosen, missing = reported, missing_reported
        return _per_period(periods, windows, order, width, chosen, missing)


def _per_period(
    periods: Sequence[Period],
    windows: Sequence[Period | None],
    order: Sequence[str],
    width: int,
    chosen: Mapping[str, Vector],
    missing: Mapping[str, list[Shortfall | None]],
) -> list[Counted]:
    """A pass's flat vectors (the windows side by side) cut into one :class:`Counted`
    per period; a period after the as-of date is unknown for every unit."""
    out: list[Counted] = []
    j = 0
    for period, window in zip(periods, windows, strict=True):
        if window is None:
            none: Vector = (None,) * width
            out.append(
                Counted(
                    period,
                    dict.fromkeys(order, none),
                    {u: Shortfall(0, (Gap(u, period, "after"),)) for u in order},
                )
            )
            continue
        cut = slice(j * width, (j + 1) * width)
        vectors = {u: chosen[u][cut] for u in order}
        shortfalls: dict[str, Shortfall] = {}
        for unit_id, items in missing.items():
            item = items[j]
            if item is not None:
                shortfalls[unit_id] = item
        out.append(Counted(period, vectors, shortfalls))
        j += 1
    return out


class _Figures:
    """The pieces of one unit's figures over the windows of a pass, each a flat
    vector ``(count, *categories)`` per window side by side, with a list of
    :class:`Shortfall` (``None`` where known) when some count is unknown."""

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
        self.index = engine.ledger.admission_index
        self.windows = [(first, last) for _, first, last in live]
        self.kernels = engine.kernels
        self._codes: list[int] | None = None
        self._batch: list[Vector] | None = None
        self.zero: Vector = (0,) * (self.width * len(live))
        self.covered: dict[int, list[bool]] = {}  # id of spans -> covered, per window
        self.first_hierarchy = engine.ledger.hierarchy

    @property
    def codes(self) -> list[int] | None:
        """Each admission's packed category code in index order (``None`` without
        categories), made on first use: one pass over the table per report pass."""
        if self._codes is None and self.categories:
            rows = self.rows
            table = self.index.table
            self._codes = self.index.in_order(table.row_codes(rows.code, rows.by_age))
        return self._codes

    def own_vector(self, source: str) -> Vector:
        """*source*'s own admissions over every window, ``(count, *categories)``
        per window side by side: unit by unit from the index, or read from the
        kernels' batch for every unit."""
        if self.kernels is None:
            counted = self.index.figures(source, self.windows, self.codes)
            if not self.categories:
                return tuple(number for number, _ in counted)
            unpack = self.rows.counts
            nothing = [0] * len(self.categories)
            out: list[int | None] = []
            for number, packed in counted:
                out.append(number)
                out.extend(unpack(packed) if number else nothing)
            return tuple(out)
        k = self.index.number(source)
        return self.zero if k is None or not self.windows else self.batch[k]

    @property
    def batch(self) -> list[Vector]:
        """Every unit's :meth:`own_vector` (by unit number), from one call to the
        kernels per pass; their ``[window][category][unit]`` lists transposed once."""
        if self._batch is None:
            assert self.kernels is not None
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
            self._batch = list(zip(*columns, strict=True))
        return self._batch

    def _inside(self, spans: tuple[Span, ...]) -> list[bool]:
        """Per window, whether *spans* cover it (remembered per spans tuple)."""
        found = self.covered.get(id(spans))
        if found is None:
            found = self.covered[id(spans)] = [covers(spans, a, b) for _, a, b in self.live]
        return found

    def _structural(self, source: str, has_children: bool, carrier: str) -> bool:
        """Whether *source* admits through sub-units: it has sub-units (on the date,
        or as first known: a district whose units all moved away has none left).
        Its own records then add to its sub-units' figures, and where it has none,
        its own part is 0 rather than unknown."""
        return (has_children and source == carrier) or bool(self.first_hierarchy.children(source))

    def own(
        self, unit_id: str, has_children: bool
    ) -> tuple[Vector, list[Shortfall | None] | None]:
        """The unit's own records over every window."""
        ledger = self.ledger
        sources = self.engine.sources(unit_id)
        if len(sources) == 1 and not ledger.tallies_of(sources[0]):
            return self._admissions_only(sources[0], unit_id, has_children)
        parts = [self._source(s, unit_id, has_children) for s in sources]
        vector = _sum(self.zero, (v for v, _ in parts))
        if None not in vector[:: self.width]:
            return vector, None
        return vector, [
            self._merge([(v[j * self.width], None if s is None else s[j]) for v, s in parts])
            if vector[j * self.width] is None
            else None
            for j in range(len(self.live))
        ]

    def _admissions_only(
        self, source: str, carrier: str, has_children: bool
    ) -> tuple[Vector, list[Shortfall | None] | None]:
        """The fast path: a unit with admissions (or nothing) and no tallies."""
        ledger = self.ledger
        spans = ledger.coverage(source)
        structural = self._structural(source, has_children, carrier)
        if structural and source not in self.index:
            return self.zero, None
        vector = self.own_vector(source)
        inside = self._inside(spans)
        if structural or all(inside):
            return vector, None
        width = self.width
        out = list(vector)
        shorts: list[Shortfall | None] = [None] * len(self.live)
        for j, (_window, first, last) in enumerate(self.live):
            if inside[j]:
                continue
            out[j * width : (j + 1) * width] = [None] * width
            holes = gaps(spans, first, last)
            listed = (Gap(source, _period(h), "no_data") for h in holes)
            shorts[j] = _shortfall(vector[j * width] or 0, listed, len(holes))
        return tuple(out), shorts

    def _source(
        self, source: str, carrier: str, has_children: bool
    ) -> tuple[Vector, list[Shortfall | None] | None]:
        """One source's own records (admissions and own tallies) over every window."""
        ledger = self.ledger
        tallies = [t for t in ledger.tallies_of(source) if not t.inclusive]
        spans = ledger.coverage(source)
        structural = self._structural(source, has_children, carrier)
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
        total: Vector,
        total_short: list[Shortfall | None] | None,
        fall_back: bool = True,
    ) -> tuple[Vector, list[Shortfall | None] | None]:
        """The reported figure per window: the unit's own reported total where it
        tiles the window; else (with *fall_back*) the roll-up where that is known;
        else unknown, at least the larger of the two known parts, missing what the
        totals miss.  Where the unit reported nothing, *total* stands."""
        vector, shorts = declared
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
        return tuple(out), (short_out if any(s is not None for s in short_out) else None)

    def combine(
        self,
        own: Vector,
        own_short: list[Shortfall | None] | None,
        children: Sequence[str],
        reported: Mapping[str, Vector],
        missing: Mapping[str, list[Shortfall | None]],
    ) -> list[Shortfall | None]:
        """The shortfall of a roll-up per window: what its parts know and miss."""
        width = self.width
        out: list[Shortfall | None] = []
        for j in range(len(self.live)):
            at = j * width
            parts: list[tuple[int | None, Shortfall | None]] = [
                (own[at], None if own_short is None else own_short[j])
            ]
            for child in children:
                value = reported[child][at]
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
