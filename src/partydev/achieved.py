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
A figure is undetermined (``None``) when a tally straddles the period's
boundary, because a count cannot be split by date.

:class:`Achievements` computes every unit at once, bottom-up over the
hierarchy as of the date, in time linear in units plus records in the period.
"""

from __future__ import annotations

import operator
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Literal, TypeAlias

import attrs

from .errors import UndeterminedError, ValidationError
from .ledger import Ledger
from .periods import Period
from .records import Admission, Category, Tally
from .units import Hierarchy

__all__ = ["Achievements", "RollUp", "achieved"]

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
    so each combination is matched once (by :meth:`Category.matches`, as the
    general path does) and its code shared.  The code holds, per category, a
    ``hit`` field (1 if the admission belongs) and an ``open`` field (1 where
    the data cannot tell, which leaves the count undetermined), each
    :data:`FIELD` bits wide: summing the codes of fewer than ``2**FIELD``
    admissions (no unit's records fit in memory otherwise) sums every field at
    once, in C.
    """

    FIELD = 48

    def __init__(self, categories: Sequence[Category], max_age: int | None) -> None:
        self.categories = tuple(categories)
        self.max_age = max_age
        self.by_age = any(c.max_age is not None for c in categories)
        self.known: dict[tuple[tuple[tuple[str, str], ...], int | None], int] = {}
        self.mask = (1 << self.FIELD) - 1
        self.shifts = [
            (2 * k * self.FIELD, (2 * k + 1) * self.FIELD) for k in range(len(categories))
        ]

    def code(self, admission: Admission) -> int:
        """The packed ``(hit, open)`` fields of *admission*."""
        key = (admission.attributes, admission.age_at_admission() if self.by_age else None)
        found = self.known.get(key)
        if found is None:
            found = 0
            for (hit_at, open_at), category in zip(self.shifts, self.categories, strict=True):
                bound = self.max_age if category.max_age is not None else None
                hit = category.matches(admission, bound)
                found |= (1 << open_at) if hit is None else (int(hit) << hit_at)
            self.known[key] = found
        return found

    def counts(self, packed: int) -> list[int | None]:
        """Per category, the count from a sum of codes, or ``None`` if undetermined."""
        mask = self.mask
        return [
            None if (packed >> open_at) & mask else (packed >> hit_at) & mask
            for hit_at, open_at in self.shifts
        ]


@attrs.frozen(eq=False)
class Achievements:
    """Achieved counts for the units of *ledger* as they stand on *as_of*.

    Records dated after *as_of* never count, and a period is cut at *as_of*.

    Args:
        ledger: The validated ledger.
        as_of: The date figures are computed "as of" (*tính đến ngày*).
        max_age: Overrides the age bound of age categories ("young").
    """

    ledger: Ledger
    as_of: date
    max_age: int | None = None
    hierarchy: Hierarchy = attrs.field(init=False)
    _sources: dict[str, tuple[str, ...]] = attrs.field(init=False, repr=False)
    _children: dict[str | None, tuple[str, ...]] = attrs.field(init=False, repr=False)
    _memo: dict[tuple[Period, RollUp, tuple[Category, ...], str | None], dict[str, Vector]] = (
        attrs.field(init=False, repr=False, factory=dict)
    )
    _counts: dict[tuple[Period, RollUp], dict[str, int | None]] = attrs.field(
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
        # Plain dicts (private, looked up once per unit per period).
        object.__setattr__(self, "_sources", {k: tuple(v) for k, v in sources.items()})
        object.__setattr__(self, "_children", dict(hierarchy._children))

    def sources(self, unit_id: str) -> tuple[str, ...]:
        """The units whose records *unit_id* carries: itself and merged predecessors."""
        return self._sources.get(unit_id, (unit_id,))

    def _clip(self, period: Period) -> Period | None:
        return period.until(self.as_of)

    def _own(
        self,
        unit_id: str,
        period: Period,
        categories: Sequence[Category],
        by_attributes: dict[tuple[tuple[str, str], ...], tuple[bool | None, ...]] | None = None,
    ) -> Vector:
        total: int | None = 0
        extra: list[int | None] = [0] * len(categories)
        # Attribute categories depend on the attributes alone, and a million
        # admissions share a few hundred combinations: match each once.
        by_age = [k for k, c in enumerate(categories) if c.max_age is not None]
        by_value = [k for k, c in enumerate(categories) if c.max_age is None]
        known = {} if by_attributes is None else by_attributes
        for source in self.sources(unit_id):
            if categories:
                for admission in self.ledger.admissions_of(source, period):
                    if total is not None:
                        total += 1
                    hits = known.get(admission.attributes)
                    if hits is None:
                        hits = known[admission.attributes] = tuple(
                            categories[k].matches(admission) for k in by_value
                        )
                    for k, hit in zip(by_value, hits, strict=True):
                        current = extra[k]
                        extra[k] = None if hit is None or current is None else current + hit
                    for k in by_age:
                        hit = categories[k].matches(admission, self.max_age)
                        current = extra[k]
                        extra[k] = None if hit is None or current is None else current + hit
            elif total is not None:
                total += self.ledger.admission_count(source, period)
            for tally in self.ledger.tallies_of(source):
                if tally.inclusive or not tally.period.overlaps(period):
                    continue
                if not period.contains(tally.period):
                    return (None,) * (1 + len(categories))
                total = None if total is None else total + tally.count
                for k, category in enumerate(categories):
                    number = tally.category_count(category.id)
                    current = extra[k]
                    extra[k] = None if number is None or current is None else current + number
        return (total, *extra)

    def _reported(
        self, unit_id: str, period: Period, categories: Sequence[Category]
    ) -> Vector | None:
        """The unit's reported totals over *period*; ``None`` when it reported none there."""
        by_source: dict[str, list[Tally]] = {}
        straddles = False
        for source in self.sources(unit_id):
            for tally in self.ledger.tallies_of(source):
                if not tally.inclusive or not tally.period.overlaps(period):
                    continue
                if not period.contains(tally.period):
                    straddles = True
                by_source.setdefault(source, []).append(tally)
        if not by_source:
            return None
        covered = all(
            sum(t.period.days for t in items) == period.days for items in by_source.values()
        )
        if straddles or not covered:
            return (None,) * (1 + len(categories))
        vector: Vector = (0,) * (1 + len(categories))
        for items in by_source.values():
            for tally in items:
                row = (tally.count, *(tally.category_count(c.id) for c in categories))
                vector = _add(vector, row)
        return vector

    def vectors(
        self,
        period: Period,
        rollup: RollUp = "reported",
        categories: Sequence[Category] = (),
        within: str | None = None,
    ) -> dict[str, Vector]:
        """Counts (and category counts) of every unit over *period*, bottom-up.

        With *within*, only that unit and its sub-units are computed (one unit's
        figure costs its subtree, not the whole hierarchy).

        Returns:
            Unit id → ``(count, *category counts)``; every entry is ``None``
            for a period that starts after *as_of*.
        """
        if rollup not in ROLLUPS:
            raise ValidationError(
                "unknown roll-up; use reported, sum or own", field="rollup", value=rollup
            )
        return dict(self._vectors_of(period, rollup, categories, within))

    def _vectors_of(
        self,
        period: Period,
        rollup: RollUp,
        categories: Sequence[Category] = (),
        within: str | None = None,
    ) -> Mapping[str, Vector]:
        """:meth:`vectors` without the copy, for readers in this package."""
        if rollup not in ROLLUPS:
            raise ValidationError(
                "unknown roll-up; use reported, sum or own", field="rollup", value=rollup
            )
        key = (period, rollup, tuple(categories), within)
        if key not in self._memo:
            self._memo[key] = self._vectors(period, rollup, categories, within)
        return self._memo[key]

    def _vectors(
        self,
        period: Period,
        rollup: RollUp,
        categories: Sequence[Category],
        within: str | None,
    ) -> dict[str, Vector]:
        clipped = self._clip(period)
        width = 1 + len(categories)
        order = (
            self.hierarchy.order()
            if within is None
            else (within, *self.hierarchy.descendants(within))
        )
        if clipped is None:
            return dict.fromkeys(order, (None,) * width)
        reported: dict[str, Vector] = {}
        summed: dict[str, Vector] = {}
        own: dict[str, Vector] = {}
        by_attributes: dict[tuple[tuple[str, str], ...], tuple[bool | None, ...]] = {}
        # The general path (_own, _reported) handles tallies and merged predecessors;
        # a unit with neither (most of a national ledger) counts its admission days
        # by bisection and its categories from packed codes, lookups hoisted here.
        index = self.ledger._index
        days_of = index.admission_days.get
        tallied = index.tallies
        sources_of = self._sources.get
        children_of = self._children.get
        first, last = clipped.start.toordinal(), clipped.end.toordinal()
        admissions_of = index.admissions.get
        rows = _Rows(categories, self.max_age)
        empty: Vector = (0,) * width
        mine: Vector
        count: int | None
        for unit_id in reversed(order):
            sources = sources_of(unit_id, (unit_id,))
            simple = len(sources) == 1 and sources[0] not in tallied
            if simple:
                days = days_of(sources[0])
                low = bisect_left(days, first) if days else 0
                high = bisect_right(days, last) if days else 0
                if not categories:
                    mine = (high - low,)
                elif high == low:
                    mine = empty
                else:
                    items = admissions_of(sources[0], ())[low:high]
                    mine = (high - low, *rows.counts(sum(map(rows.code, items))))
            else:
                mine = self._own(unit_id, clipped, categories, by_attributes)
            own[unit_id] = mine
            total: Vector = mine
            children = children_of(unit_id, ())
            if width == 1:
                count = total[0]
                for child in children:
                    other = reported[child][0]
                    count = None if count is None or other is None else count + other
                total = (count,)
            elif children:
                total = _sum(mine, map(reported.__getitem__, children))
            declared = None if simple else self._reported(unit_id, clipped, categories)
            reported[unit_id] = total if declared is None else declared
            # With no sub-units there is nothing to add up: the unit's figure stands.
            summed[unit_id] = total if children else reported[unit_id]
            if declared is not None:
                own[unit_id] = declared
        chosen = {"reported": reported, "sum": summed, "own": own}[rollup]
        return {unit_id: chosen[unit_id] for unit_id in order}

    def counts(self, period: Period, rollup: RollUp = "reported") -> dict[str, int | None]:
        """The count of every unit over *period* (``None`` where undetermined)."""
        if rollup not in ROLLUPS:
            raise ValidationError(
                "unknown roll-up; use reported, sum or own", field="rollup", value=rollup
            )
        return dict(self._counted(period, rollup))

    def _counted(self, period: Period, rollup: RollUp) -> Mapping[str, int | None]:
        """:meth:`counts` without the copy, for readers in this package: a national
        report keeps each year's 300,000 counts once, not once per table."""
        if (period, rollup) not in self._counts:
            self._count_periods([period], rollup)
        return self._counts[(period, rollup)]

    def _count_periods(self, periods: Sequence[Period], rollup: RollUp) -> None:
        """Count every unit over each of *periods* in one bottom-up pass, remembered
        for :meth:`counts`.

        The same figures as :meth:`vectors` without categories, but a report asks
        for every year of the term: one pass looks each unit up once, not once per
        period, and keeps plain counts rather than one-element vectors.
        """
        todo = [p for p in dict.fromkeys(periods) if (p, rollup) not in self._counts]
        order = self.hierarchy.order()
        live: list[tuple[Period, Period]] = []
        for period in todo:
            clipped = self._clip(period)
            if clipped is None:
                self._counts[(period, rollup)] = dict.fromkeys(order)
            else:
                live.append((period, clipped))
        if not live:
            return
        index = self.ledger._index
        days_of = index.admission_days.get
        tallied = index.tallies
        sources_of = self._sources.get
        children_of = self._children.get
        bounds = [(c.start.toordinal(), c.end.toordinal()) for _, c in live]
        nothing = (0,) * len(live)
        reported: dict[str, Vector] = {}
        chosen: dict[str, Vector] = {}
        mine: Vector
        for unit_id in reversed(order):
            sources = sources_of(unit_id, (unit_id,))
            simple = len(sources) == 1 and sources[0] not in tallied
            if simple:
                days = days_of(sources[0])
                mine = (
                    tuple(
                        bisect_right(days, high) - bisect_left(days, low) for low, high in bounds
                    )
                    if days
                    else nothing
                )
            else:
                mine = tuple(self._own(unit_id, c, ())[0] for _, c in live)
            children = children_of(unit_id, ())
            total = _sum(mine, map(reported.__getitem__, children)) if children else mine
            if simple:
                reported[unit_id] = total
                if rollup == "own":
                    chosen[unit_id] = mine
                elif rollup == "sum":
                    chosen[unit_id] = total
                continue
            declared = [self._reported(unit_id, c, ()) for _, c in live]
            figure = tuple(t if d is None else d[0] for t, d in zip(total, declared, strict=True))
            reported[unit_id] = figure
            if rollup == "own":
                chosen[unit_id] = tuple(
                    m if d is None else d[0] for m, d in zip(mine, declared, strict=True)
                )
            elif rollup == "sum":
                # With no sub-units there is nothing to add up: the unit's figure stands.
                chosen[unit_id] = total if children else figure
        if rollup == "reported":
            chosen = reported
        for j, (period, _) in enumerate(live):
            self._counts[(period, rollup)] = {unit_id: chosen[unit_id][j] for unit_id in order}

    def count(self, unit_id: str, period: Period, rollup: RollUp = "reported") -> int:
        """The count of one unit over *period*.

        Raises:
            UndeterminedError: naming the unit and period when the data cannot tell.
        """
        self.hierarchy.get(unit_id)
        value = self.vectors(period, rollup, within=unit_id)[unit_id][0]
        if value is None:
            raise UndeterminedError(
                f"the admissions of {period.key} cannot be counted from the data "
                "(a tally straddles the period, or the period is after the as-of date)",
                unit=unit_id,
                field="period",
                value=period.key,
            )
        return value


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
