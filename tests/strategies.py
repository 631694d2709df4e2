"""Shared hypothesis strategies for partydev's property tests.

Import from here rather than defining local variants, so that every test draws
counts, dates and periods from the same ranges (national scale included).
"""

from __future__ import annotations

import decimal
from datetime import date, timedelta
from fractions import Fraction

from hypothesis import strategies as st
from hypothesis.strategies import DrawFn

from partydev.model.periods import Granularity, Period, PeriodKind
from partydev.numbers import ROUNDING_MODES, Locale, Ratio
from partydev.report import Cell, Column, ColumnType, Table

__all__ = [
    "FIRST_DAY",
    "GRANULARITIES",
    "LAST_DAY",
    "PERIOD_KINDS",
    "count_maps",
    "counts",
    "dates",
    "decimals",
    "elapsed_shares",
    "fractions",
    "granularities",
    "locales",
    "nonzero_fractions",
    "period_kinds",
    "periods",
    "places",
    "ratios",
    "rollup_families",
    "rounding_modes",
    "stated_percents",
    "stated_places",
    "tables",
    "targets",
    "terms",
    "years",
]

FIRST_DAY = date(2000, 1, 1)
"""The earliest date the strategies draw."""

LAST_DAY = date(2100, 12, 31)
"""The latest date the strategies draw."""

GRANULARITIES: tuple[Granularity, ...] = ("year", "half", "quarter", "month", "day")
PERIOD_KINDS: tuple[PeriodKind, ...] = ("year", "half", "quarter", "month", "range")

counts = st.integers(min_value=0, max_value=2_000_000)
"""A number of people: 0 up to about two terms of national admissions."""

targets = st.integers(min_value=1, max_value=2_000_000)
"""A target: a count of at least 1."""

places = st.integers(min_value=0, max_value=4)
"""Decimal places a report may ask for."""

locales: st.SearchStrategy[Locale] = st.sampled_from(("vi", "en"))
"""The supported locales."""

rounding_modes: st.SearchStrategy[str] = st.sampled_from(sorted(ROUNDING_MODES))
"""Every :mod:`decimal` rounding mode partydev accepts."""

granularities: st.SearchStrategy[Granularity] = st.sampled_from(GRANULARITIES)
"""Every granularity :meth:`Period.split` accepts."""

period_kinds: st.SearchStrategy[PeriodKind] = st.sampled_from(PERIOD_KINDS)
"""Every kind of period."""

years = st.integers(min_value=FIRST_DAY.year, max_value=LAST_DAY.year)
"""A calendar year in the drawn range."""

dates = st.dates(min_value=FIRST_DAY, max_value=LAST_DAY)
"""A date from 2000 to 2100."""


def fractions(
    max_denominator: int = 10_000, min_value: int = -1_000_000, max_value: int = 1_000_000
) -> st.SearchStrategy[Fraction]:
    """Exact fractions between *min_value* and *max_value*."""
    return st.fractions(min_value=min_value, max_value=max_value, max_denominator=max_denominator)


nonzero_fractions = fractions().filter(bool)
"""Fractions other than 0."""

ratios = st.builds(Ratio, counts, targets)
"""A ratio of a count over a target (0 or more)."""


@st.composite
def elapsed_shares(draw: DrawFn) -> Ratio:
    """An elapsed share: a ratio from 0 to 1 inclusive."""
    denominator = draw(st.integers(min_value=1, max_value=5_000))
    numerator = draw(st.integers(min_value=0, max_value=denominator))
    return Ratio(numerator, denominator)


def decimals(max_places: int = 4) -> st.SearchStrategy[decimal.Decimal]:
    """Finite Decimals with up to *max_places* decimals, as reports print them."""
    return st.builds(
        lambda digits, exponent: decimal.Decimal(digits).scaleb(-exponent),
        st.integers(min_value=-(10**12), max_value=10**12),
        st.integers(min_value=0, max_value=max_places),
    )


def _range(draw: DrawFn) -> Period:
    start = draw(dates)
    length = draw(st.integers(min_value=0, max_value=3 * 366))
    end = min(start + timedelta(days=length), LAST_DAY)
    return Period(start, end, "range")


@st.composite
def periods(draw: DrawFn, kind: PeriodKind | None = None) -> Period:
    """A period of *kind* (any kind when ``None``); ranges run up to three years.

    A ``"range"`` is built with ``kind="range"`` even when its dates happen to
    form a calendar period, so that labels of ranges stay ranges.
    """
    chosen = kind if kind is not None else draw(period_kinds)
    year = draw(years)
    if chosen == "year":
        return Period.year(year)
    if chosen == "half":
        return Period.half(year, draw(st.integers(1, 2)))
    if chosen == "quarter":
        return Period.quarter(year, draw(st.integers(1, 4)))
    if chosen == "month":
        return Period.month(year, draw(st.integers(1, 12)))
    return _range(draw)


@st.composite
def terms(draw: DrawFn) -> Period:
    """The target years of a term: one to six whole calendar years."""
    first = draw(st.integers(min_value=FIRST_DAY.year, max_value=LAST_DAY.year - 6))
    length = draw(st.integers(min_value=1, max_value=6))
    return Period.years(first, first + length - 1)


def count_maps(min_size: int = 0, max_size: int = 12) -> st.SearchStrategy[dict[str, int]]:
    """Counts per category, keyed by short (possibly Vietnamese) names."""
    keys = st.text(alphabet="abcđêơưạảãáàyz0", min_size=1, max_size=6)
    return st.dictionaries(keys, counts, min_size=min_size, max_size=max_size)


# --- checks: stated percents and their precision (tests/test_checks.py) ---------------

stated_places = st.integers(min_value=0, max_value=3)
"""Decimals a published percent carries; the press uses 0 to 2."""


def stated_percents(places: int, max_percent: int = 150) -> st.SearchStrategy[decimal.Decimal]:
    """Non-negative percents written with exactly *places* decimals, up to *max_percent*."""
    return st.integers(min_value=0, max_value=max_percent * 10**places).map(
        lambda units: decimal.Decimal(units).scaleb(-places)
    )


# --- end of checks ---------------------------------------------------------------------


# --- verdicts: sub-units of one parent (tests/test_verdicts.py) ------------------------


def rollup_families(max_children: int = 8) -> st.SearchStrategy[tuple[int, ...]]:
    """The counts of a parent's sub-units over one period: one to *max_children* of them."""
    return st.lists(
        st.integers(min_value=0, max_value=50_000), min_size=1, max_size=max_children
    ).map(tuple)


_CELLS: dict[ColumnType, st.SearchStrategy[Cell]] = {
    "text": st.text(max_size=8),
    "code": st.sampled_from(["ahead", "behind", "yes", "no"]),
    "integer": st.integers(min_value=-(10**12), max_value=10**12),
    "percent": decimals(2),
    "decimal": decimals(2),
    "date": dates,
}


@st.composite
def tables(draw: DrawFn, min_columns: int = 0, max_columns: int = 6, max_rows: int = 20) -> Table:
    """Report tables of typed columns (any of the six types, unique keys) and cells
    of each column's type or ``None``, built from rows."""
    kinds: list[ColumnType] = draw(
        st.lists(
            st.sampled_from(sorted(_CELLS)),  # type: ignore[arg-type]
            min_size=min_columns,
            max_size=max_columns,
        )
    )
    columns = [Column(f"c{i}", kind, f"Cột {i}", f"Column {i}") for i, kind in enumerate(kinds)]
    count = draw(st.integers(min_value=0, max_value=max_rows))
    rows = [tuple(draw(st.none() | _CELLS[kind]) for kind in kinds) for _ in range(count)]
    return Table("t", "Bảng", "Table", columns, rows)
