"""resolve_units (targets of many units at once) gives, cell by cell, what TargetPool.resolve
gives unit by unit."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from partydev.errors import UndeterminedError
from partydev.model.periods import Period, PeriodKind
from partydev.model.targets import (
    SOURCE_PREFERENCE,
    ResolvedTarget,
    Source,
    Target,
    TargetColumn,
    TargetKind,
    TargetPool,
    TargetTable,
    resolve_units,
)
from partydev.model.terms import Term

TERM = Term("t", "2020–2025", date(2020, 10, 1), date(2025, 12, 31))
UNITS = ("a", "b", "c", "d", "e", "f")

_SCOPES: tuple[Period | None, ...] = (
    None,
    *(Period.year(year) for year in range(2020, 2027)),
    Period.years(2022, 2023),
    Period.years(2024, 2025),
    Period.half(2023, 1),
    Period(date(2022, 1, 1), date(2022, 12, 31)),  # a year, but not of kind "year"
)
_PERIODS: tuple[Period | None, ...] = (
    *_SCOPES,
    Period.years(2021, 2025),
    Period.years(2021, 2023),
    Period.quarter(2024, 2),
    TERM.target_period,
)


@st.composite
def targets_for(draw: st.DrawFn, unit: str) -> Target:
    """One target of *unit*: any shape, rhythm, scope, source; sometimes derived, sometimes
    of another term or a category."""
    kinds: tuple[TargetKind, ...] = ("exact", "minimum", "range", "share_of_members")
    kind = draw(st.sampled_from(kinds))
    value = draw(st.integers(0, 500))
    return Target(
        unit,
        draw(st.sampled_from(["t", "t", "t", "other"])),
        value=None if kind == "share_of_members" else value,
        kind=kind,
        high=value + draw(st.integers(0, 50)) if kind == "range" else None,
        percent=draw(st.sampled_from([Decimal("3"), Decimal("2.5"), Decimal(1)]))
        if kind == "share_of_members"
        else None,
        reference=draw(st.sampled_from(["start_of_year", "start_of_term"])),
        per_year=draw(st.booleans()),
        period=draw(st.sampled_from(_SCOPES)),
        source=draw(st.sampled_from(SOURCE_PREFERENCE)),
        category=draw(st.sampled_from([None, None, None, "student"])),
        derived=draw(st.booleans()),
    )


@st.composite
def ledgers(draw: st.DrawFn) -> tuple[dict[str, list[Target]], dict[str, dict[date, int]]]:
    """Targets and membership by unit; units share pools (copied to another unit id) so the
    batch's shared decisions are exercised, and some units have no targets."""
    targets: dict[str, list[Target]] = {}
    for unit in UNITS:
        like = draw(st.sampled_from([None, *targets]))
        if like is not None and draw(st.booleans()):
            targets[unit] = _variant(draw, targets[like], unit)
        else:
            plan = [
                Target(unit, "t", draw(st.integers(0, 99)), period=Period.year(year))
                for year in TERM.target_years
            ]
            extra = draw(st.lists(targets_for(unit), max_size=7))
            targets[unit] = (plan if draw(st.booleans()) else []) + extra
    days = [TERM.start, *(date(year, 1, 1) for year in range(2020, 2027))]
    members = {
        unit: draw(st.dictionaries(st.sampled_from(days), st.integers(0, 3000), max_size=4))
        for unit in UNITS
    }
    return targets, members


def _variant(draw: st.DrawFn, pool: list[Target], unit: str) -> list[Target]:
    """*pool* for *unit*, every figure possibly other, and at most one target changed in
    one other way: its source, ``derived``, or its year as a plain range (equal as a
    period, not of kind "year")."""
    out = []
    for target in pool:
        target = attrs.evolve(target, unit=unit)
        if target.value is not None and draw(st.booleans()):
            high = None if target.high is None else target.high + 1
            target = attrs.evolve(target, value=target.value + 1, high=high)
        out.append(target)
    if not out:
        return out
    at = draw(st.integers(0, len(out) - 1))
    target, period = out[at], out[at].period
    change = draw(st.sampled_from(["none", "source", "derived", "kind"]))
    if change == "source":
        out[at] = attrs.evolve(target, source=draw(st.sampled_from(SOURCE_PREFERENCE)))
    elif change == "derived":
        out[at] = attrs.evolve(target, derived=not target.derived)
    elif change == "kind" and period is not None and period in _YEARS:
        other: PeriodKind = "range" if period.kind == "year" else "year"
        out[at] = attrs.evolve(target, period=Period(period.start, period.end, other))
    return out


_YEARS = frozenset(Period.year(year) for year in range(2020, 2027))


def _one_by_one(
    targets: Sequence[Target],
    period: Period | None,
    source: Source | None,
    category: str | None,
    members: dict[date, int],
) -> ResolvedTarget | type[UndeterminedError] | None:
    def members_at(day: date) -> int | None:
        known = [d for d in members if d <= day]
        return members[max(known)] if known else None

    try:
        return TargetPool.of(targets, TERM, source, category).resolve(period, members_at)
    except UndeterminedError:
        return UndeterminedError


def _listed(data: st.DataObject, targets: dict[str, list[Target]]) -> list[Target]:
    """Every target of *targets* in one list, each unit's in order, the units'
    sometimes interleaved (a ledger need not list a unit's targets together)."""
    runs = [list(run) for run in targets.values() if run]
    out: list[Target] = []
    while runs:
        run = runs[data.draw(st.integers(0, len(runs) - 1))]
        out.append(run.pop(0))
        runs = [run for run in runs if run]
    return out


@settings(max_examples=150, deadline=None)
@given(
    st.data(),
    ledgers(),
    st.lists(st.sampled_from(_PERIODS), min_size=1, max_size=5),
    st.sampled_from([None, *SOURCE_PREFERENCE]),
    st.sampled_from([None, "student"]),
)
def test_batch_equals_one_by_one(
    data: st.DataObject,
    ledger: tuple[dict[str, list[Target]], dict[str, dict[date, int]]],
    periods: list[Period | None],
    source: Source | None,
    category: str | None,
) -> None:
    """Every cell of resolve_units, and of TargetTable.resolve over the same targets in
    one table, is TargetPool.resolve of that unit and period (None and listed as
    undetermined where resolve raises UndeterminedError)."""
    targets, members = ledger
    table = TargetTable.from_records(_listed(data, targets))

    def members_at(unit: str, day: date) -> int | None:
        known = [d for d in members[unit] if d <= day]
        return members[unit][max(known)] if known else None

    columns = resolve_units(
        targets.__getitem__,
        UNITS,
        TERM,
        periods,
        source=source,
        category=category,
        members_at=members_at,
    )
    assert [column.period for column in columns] == periods
    by_table = table.resolve(
        UNITS, TERM, periods, source=source, category=category, members_at=members_at
    )
    assert by_table == columns
    for period, column in zip(periods, columns, strict=True):
        for position, unit in enumerate(UNITS):
            expected = _one_by_one(targets[unit], period, source, category, members[unit])
            undetermined = expected is UndeterminedError
            assert (position in column.undetermined) == undetermined
            resolved = None if undetermined else expected
            assert isinstance(resolved, ResolvedTarget | None)
            assert column.count[position] == (None if resolved is None else resolved.count)
            assert column.high[position] == (None if resolved is None else resolved.high)
            assert column.source[position] == (None if resolved is None else resolved.source)
            assert column.derived[position] == (None if resolved is None else resolved.derived)


def test_units_without_targets_are_empty_cells() -> None:
    """A unit with no targets, or none of the term, has an empty cell in every column."""
    per_year = Target("a", "t", 100, per_year=True)
    columns = resolve_units(
        {"a": [per_year], "b": [], "c": [Target("c", "other", 5)]}.__getitem__,
        ["a", "b", "c"],
        TERM,
        [None, Period.year(2022)],
    )
    empty: tuple[None, None] = (None, None)
    source: tuple[Source | None, ...] = ("resolution", *empty)
    derived = (False, *empty)
    assert columns == [
        TargetColumn(None, (500, *empty), (None, *empty), source, derived),
        TargetColumn(Period.year(2022), (100, *empty), (None, *empty), source, derived),
    ]


def test_missing_membership_is_undetermined() -> None:
    """A share-of-members target without a membership figure is an empty cell, listed as
    undetermined; with the figure, the share is rounded up."""
    share = Target("a", "t", kind="share_of_members", percent=Decimal("2.5"), per_year=True)
    (column,) = resolve_units(
        {"a": [share], "b": [attrs.evolve(share, unit="b")]}.__getitem__,
        ["a", "b"],
        TERM,
        [Period.year(2023)],
        members_at=lambda unit, day: 101 if unit == "b" else None,
    )
    assert column.count == (None, 3)  # 2.5% of 101 is 2.525: at least 3
    assert column.undetermined == (0,)


def test_pools_alike_but_for_what_the_rule_reads() -> None:
    """Units whose pools differ only in a year's kind, a source or ``derived`` each get
    their own answer (the batch decides once per shape, and these are in the shape)."""
    plan = [Target("a", "t", 10, period=Period.year(year)) for year in TERM.target_years]
    ranged = [
        attrs.evolve(t, unit="b", period=Period(t.period.start, t.period.end))
        if t.period == Period.year(2022)
        else attrs.evolve(t, unit="b")
        for t in plan
        if t.period is not None
    ]
    term_targets = {
        "c": [Target("c", "t", 50)],
        "d": [Target("d", "t", 50, source="assigned")],
        "e": [Target("e", "t", 50, derived=True)],
    }
    pools = {"a": plan, "b": ranged, **term_targets}
    (column,) = resolve_units(pools.__getitem__, list(pools), TERM, [None])
    assert column.count == (50, None, 50, 50, 50)  # b: 2022 is not a year target
    assert column.source == ("resolution", None, "resolution", "assigned", "resolution")
    assert column.derived == (False, None, False, False, True)


@settings(max_examples=100, deadline=None)
@given(st.data(), ledgers())
def test_table_equals_the_tuple_of_its_targets(
    data: st.DataObject, ledger: tuple[dict[str, list[Target]], dict[str, dict[date, int]]]
) -> None:
    """A TargetTable is the sequence of the targets it was made of: equal to their tuple,
    row by row, by slice, and by unit; two tables of the same targets are equal and hash
    alike, however their shapes are numbered."""
    listed = _listed(data, ledger[0])
    table = TargetTable.from_records(listed)
    assert table == tuple(listed)
    assert tuple(listed) == table
    assert tuple(table) == tuple(listed)
    assert [table[i] for i in range(-len(listed), len(listed))] == listed + listed
    assert table[1:-1:2] == tuple(listed[1:-1:2])
    for unit in (*UNITS, "nobody"):
        assert table.of_unit(unit) == tuple(t for t in listed if t.unit == unit)
    assert len(table.shapes) <= len(listed)
    rebuilt = TargetTable.from_records(list(reversed(listed)))
    again = TargetTable.from_records(list(reversed(tuple(rebuilt))))
    assert again == table
    assert hash(again) == hash(table)
    if listed:
        changed = [*listed[:-1], attrs.evolve(listed[-1], note="other")]
        assert table != TargetTable.from_records(changed)
        assert table != changed


def test_table_keeps_what_equality_overlooks() -> None:
    """Targets equal but written differently (3 and 3.0 percent, a year as a plain range)
    keep their own shapes, so a ledger written back says what it was given."""
    share = Target("a", "t", kind="share_of_members", percent=Decimal("3"))
    year = Target("a", "t", 5, period=Period.year(2022))
    ranged = attrs.evolve(year, unit="b", period=Period(date(2022, 1, 1), date(2022, 12, 31)))
    table = TargetTable.from_records(
        [share, attrs.evolve(share, unit="b", percent=Decimal("3.0")), year, ranged]
    )
    assert len(table.shapes) == 4
    assert str(table[1].percent) == "3.0"
    assert [t.period.kind for t in table[2:] if t.period is not None] == ["year", "range"]


def test_table_from_columns_checks_lengths_and_shape_numbers() -> None:
    """Columns of unequal lengths, or a shape number out of range, are refused."""
    model = Target("a", "t", 5)
    table = TargetTable.from_columns(
        units=["a", "b"], terms=["t", "t"], shape=[0, 0], shapes=[model]
    )
    assert table == (model, attrs.evolve(model, unit="b"))
    assert table.units == ("a", "b")
    assert table.terms == ("t", "t")
    assert table.shape == (0, 0)
    assert table.shapes == (attrs.evolve(model, unit="", term=""),)
    with pytest.raises(ValueError, match="cells"):
        TargetTable.from_columns(units=["a"], terms=[], shape=[0], shapes=[model])
    with pytest.raises(ValueError, match="shape number"):
        TargetTable.from_columns(units=["a"], terms=["t"], shape=[1], shapes=[model])
    with pytest.raises(IndexError):
        table[2]
