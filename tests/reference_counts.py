"""A slow, obvious model of the counting rules, day by day, to test the engine against.

It follows the rules as the documentation states them, with sets of days instead
of spans and no shortcuts, so that a fast path in :mod:`partydev.achieved` that
strays from them shows up as a difference.
"""

from __future__ import annotations

from collections.abc import Sequence

from partydev.calc.achieved import Achievements, Vector
from partydev.model.ledger import Ledger
from partydev.model.periods import Period
from partydev.model.records import Category, Tally


def _days(period: Period) -> set[int]:
    return set(range(period.start.toordinal(), period.end.toordinal() + 1))


def _coarsest(tallies: Sequence[Tally], window: Period) -> tuple[list[Tally], bool]:
    """The tallies inside *window* not inside another one that is, and whether some
    tally runs across the window's edge with a part the chosen ones leave uncut."""
    inside = [t for t in tallies if window.contains(t.period)]
    chosen = [
        t for t in inside if not any(o is not t and o.period.contains(t.period) for o in inside)
    ]
    tiled = set().union(*(_days(t.period) for t in chosen)) if chosen else set()
    across = [t for t in tallies if t.period.overlaps(window) and not window.contains(t.period)]
    split = any(not (_days(t.period) & _days(window)) <= tiled for t in across)
    return chosen, split


def _plus(a: Vector, b: Vector) -> Vector:
    return tuple(None if x is None or y is None else x + y for x, y in zip(a, b, strict=True))


def reference_vectors(
    engine: Achievements, period: Period, rollup: str, categories: list[Category]
) -> dict[str, Vector]:
    """Every unit's vector over *period*, computed by the stated rules, day by day."""
    ledger: Ledger = engine.ledger
    hierarchy = engine.hierarchy
    width = 1 + len(categories)
    unknown: Vector = (None,) * width
    window = period.until(engine.as_of)
    order = hierarchy.order()
    if window is None:
        return dict.fromkeys(order, unknown)
    wanted = _days(window)

    def own(unit_id: str) -> Vector:
        total: Vector = (0,) * width
        for source in engine.sources(unit_id):
            mine = [t for t in ledger.tallies_of(source) if not t.inclusive]
            spans = ledger.coverage(source)
            has_children = bool(
                (source == unit_id and hierarchy.children(source))
                or ledger.hierarchy.children(source)
            )
            # A unit with sub-units admits through them: no records of its own is 0.
            covered: set[int] = set(wanted) if has_children else set()
            for start, end in spans:
                covered |= set(range(start, end + 1))
            chosen, split = _coarsest(mine, window)
            for tally in chosen:
                covered |= _days(tally.period)
            if split or not wanted <= covered:
                return unknown
            admitted = [a for a in ledger.admissions_of(source) if window.contains(a.date)]
            row: list[int | None] = [len(admitted) + sum(t.count for t in chosen)]
            for category in categories:
                bound = engine.max_age if category.max_age is not None else None
                hits = [category.matches(a, bound) for a in admitted]
                counts = [t.category_count(category.id) for t in chosen]
                row.append(
                    None
                    if None in hits or None in counts
                    else sum(map(int, hits)) + sum(c or 0 for c in counts)
                )
            total = _plus(total, tuple(row))
        return total

    def declared(unit_id: str) -> Vector | None:
        found = False
        total: Vector = (0,) * width
        for source in engine.sources(unit_id):
            tallies = [t for t in ledger.tallies_of(source) if t.inclusive]
            if not any(t.period.overlaps(window) for t in tallies):
                continue
            found = True
            chosen, split = _coarsest(tallies, window)
            tiled = set().union(*(_days(t.period) for t in chosen)) if chosen else set()
            if split or tiled != wanted:
                total = unknown
                continue
            for tally in chosen:
                total = _plus(
                    total, (tally.count, *(tally.category_count(c.id) for c in categories))
                )
        return total if found else None

    reported: dict[str, Vector] = {}
    out: dict[str, Vector] = {}
    for unit_id in reversed(order):
        mine = own(unit_id)
        children = hierarchy.children(unit_id)
        total = mine
        for child in children:
            total = _plus(total, reported[child])
        stated = declared(unit_id)
        partial = stated is not None and stated[0] is None and total[0] is not None
        figure = total if stated is None or partial else stated
        reported[unit_id] = figure
        if rollup == "own":
            out[unit_id] = mine if stated is None else stated
        elif rollup == "sum":
            out[unit_id] = total if children else figure
    chosen = reported if rollup == "reported" else out
    return {unit_id: chosen[unit_id] for unit_id in order}
