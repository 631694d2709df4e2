"""Hypothesis strategies for the vector kernels (partydev.model.kernels): columns of admissions,
category tables, trees of units and percent inputs, with the plain definitions they are
checked against."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import attrs
from hypothesis import strategies as st
from hypothesis.strategies import DrawFn

from partydev.model.kernels import Window

__all__ = [
    "FIRST",
    "LAST",
    "Admissions",
    "Categories",
    "Percents",
    "Tree",
    "admissions",
    "categories",
    "naive_count",
    "naive_roll_up",
    "naive_sum",
    "percents",
    "trees",
]

FIRST = date(2020, 1, 1).toordinal()
"""The first day the strategies draw (the start of the 2020-2025 term)."""

LAST = date(2025, 12, 31).toordinal()
"""The last day the strategies draw."""


@attrs.frozen
class Admissions:
    """Admission rows as parallel columns, and windows of days to count them in."""

    unit_index: list[int]
    days: list[int]
    n_units: int
    windows: list[Window]


@attrs.frozen
class Categories:
    """Admissions with a combination code per row and the hit/open tables of the codes."""

    rows: Admissions
    codes: list[int]
    hits: list[list[int]]
    opens: list[list[int]]


@attrs.frozen
class Tree:
    """Units as parent indices (-1 for a root), value columns and unknown masks."""

    parents: list[int]
    columns: list[list[int]]
    unknown: list[list[bool]] | None


@attrs.frozen
class Percents:
    """Numerators, denominators (0 included), places and a rounding mode."""

    numerators: list[int]
    denominators: list[int]
    places: int
    rounding: str


_days = st.integers(min_value=FIRST, max_value=LAST)


@st.composite
def _window(draw: DrawFn) -> Window:
    first = draw(_days)
    return first, draw(st.integers(min_value=first, max_value=min(first + 800, LAST)))


@st.composite
def admissions(draw: DrawFn, max_rows: int = 60) -> Admissions:
    """Rows in any order over 1 to 12 units (some with none), and 0 to 5 windows that
    may overlap, touch the rows' days or be a single day."""
    n_units = draw(st.integers(min_value=1, max_value=12))
    size = draw(st.integers(min_value=0, max_value=max_rows))
    units = draw(st.lists(st.integers(0, n_units - 1), min_size=size, max_size=size))
    days = draw(st.lists(_days, min_size=size, max_size=size))
    exact = [(day, day) for day in days[:2]]  # windows on a row's day, both ends
    windows = draw(st.lists(_window(), max_size=4))
    if exact:
        windows += draw(st.lists(st.sampled_from(exact), max_size=2))
    return Admissions(units, days, n_units, windows[:5])


@st.composite
def categories(draw: DrawFn) -> Categories:
    """Admissions coded with 1 to 6 attribute combinations over 0 to 4 categories,
    some of them undetermined (open) for some combinations."""
    rows = draw(admissions())
    combos = draw(st.integers(min_value=1, max_value=6))
    width = draw(st.integers(min_value=0, max_value=4))
    flags = st.lists(
        st.lists(st.integers(0, 1), min_size=width, max_size=width),
        min_size=combos,
        max_size=combos,
    )
    hits, opens = draw(flags), draw(flags)
    codes = draw(
        st.lists(
            st.integers(0, combos - 1),
            min_size=len(rows.days),
            max_size=len(rows.days),
        )
    )
    return Categories(rows, codes, hits, opens)


@st.composite
def trees(draw: DrawFn, max_nodes: int = 40) -> Tree:
    """A forest of up to *max_nodes* units numbered in no particular order, 0 to 3
    value columns (counts, and some negative differences) and maybe unknown masks."""
    count = draw(st.integers(min_value=0, max_value=max_nodes))
    built = [-1 if i == 0 else draw(st.integers(-1, i - 1)) for i in range(count)]
    order = draw(st.permutations(range(count)))
    position = {old: new for new, old in enumerate(order)}
    parents = [-1] * count
    for old, parent in enumerate(built):
        parents[position[old]] = -1 if parent < 0 else position[parent]
    width = draw(st.integers(min_value=0, max_value=3))
    values = st.lists(st.integers(-1_000, 2_000_000), min_size=count, max_size=count)
    columns = [draw(values) for _ in range(width)]
    rarely = st.integers(0, 9).map(lambda n: n == 0)  # one value in ten unknown
    masks = st.lists(rarely, min_size=count, max_size=count)
    unknown = [draw(masks) for _ in range(width)] if draw(st.booleans()) else None
    return Tree(parents, columns, unknown)


@st.composite
def percents(draw: DrawFn, rounding_modes: st.SearchStrategy[str]) -> Percents:
    """Up to 30 pairs (counts, a few negative, and some beyond int64), denominators with
    zeros and exact halves, any places from 0 to 4, a drawn rounding mode."""
    size = draw(st.integers(min_value=0, max_value=30))
    numerator = st.one_of(
        st.integers(-50, 2_000),
        st.integers(0, 2_000_000),
        st.just(2**70),
    )
    denominator = st.one_of(st.integers(0, 8), st.sampled_from([0, 200, 400, 800, 7500]))
    tops = draw(st.lists(numerator, min_size=size, max_size=size))
    bottoms = draw(st.lists(denominator, min_size=size, max_size=size))
    places = draw(st.integers(min_value=0, max_value=4))
    return Percents(tops, bottoms, places, draw(rounding_modes))


def naive_count(rows: Admissions) -> list[list[int]]:
    """The definition: for each window and unit, the rows of the unit inside the window."""
    return [
        [
            sum(
                1
                for unit, day in zip(rows.unit_index, rows.days, strict=True)
                if unit == u and first <= day <= last
            )
            for u in range(rows.n_units)
        ]
        for first, last in rows.windows
    ]


def naive_sum(data: Categories) -> list[list[list[int | None]]]:
    """The definition: per window, category and unit, the rows that belong, or None if
    one of its rows is undetermined for the category."""
    rows = data.rows
    width = len(data.hits[0])
    out: list[list[list[int | None]]] = []
    for first, last in rows.windows:
        per_category: list[list[int | None]] = []
        for k in range(width):
            values: list[int | None] = []
            for u in range(rows.n_units):
                inside = [
                    code
                    for unit, day, code in zip(rows.unit_index, rows.days, data.codes, strict=True)
                    if unit == u and first <= day <= last
                ]
                if any(data.opens[code][k] for code in inside):
                    values.append(None)
                else:
                    values.append(sum(data.hits[code][k] for code in inside))
            per_category.append(values)
        out.append(per_category)
    return out


def naive_roll_up(tree: Tree) -> list[list[int | None]]:
    """The definition: each node's total over the nodes below it (itself included),
    None if any of them is unknown."""

    def below(node: int) -> list[int]:
        found = [node]
        for child, parent in enumerate(tree.parents):
            if parent == node:
                found.extend(below(child))
        return found

    out: list[list[int | None]] = []
    for c, column in enumerate(tree.columns):
        mask: Sequence[bool] = tree.unknown[c] if tree.unknown else [False] * len(column)
        out.append(
            [
                None if any(mask[n] for n in below(node)) else sum(column[n] for n in below(node))
                for node in range(len(column))
            ]
        )
    return out
