"""Achieved counts and roll-up: the sample's figures and the laws of roll-up."""

from __future__ import annotations

import random
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.model_strategies import TERM, days_in, periods_within, person_ledgers

from partydev.calc.achieved import Achievements, achieved
from partydev.errors import UndeterminedError, ValidationError
from partydev.model.ledger import Ledger
from partydev.model.periods import Period
from partydev.shell.io import sample_ledger

AS_OF = date(2023, 6, 30)
TERM_TO_DATE = Period.between(date(2021, 1, 1), AS_OF)
LEDGER_SETTINGS = settings(max_examples=50, deadline=None)


def _sample() -> Achievements:
    return Achievements(sample_ledger(), AS_OF)


def test_province_term_to_date() -> None:
    """The province's reported figure for the term to 30/6/2023 is 4,537."""
    counts = _sample().counts(sample_ledger().term().target_period)
    assert counts["quang-nam"] == 4537
    assert counts["tam-ky"] == 335
    assert counts["nam-giang"] == 268
    assert counts["khoi-co-quan"] == 485


def test_province_by_period() -> None:
    """The province reported 1,732 in 2021, 1,877 in 2022 and 928 in H1 2023."""
    figures = _sample()
    assert figures.count("quang-nam", Period.year(2021)) == 1732
    assert figures.count("quang-nam", Period.year(2022)) == 1877
    assert figures.count("quang-nam", Period.half(2023, 1)) == 928
    assert figures.count("tam-ky", Period.half(2023, 1)) == 80


def test_year_2023_cut_at_as_of() -> None:
    """The whole of 2023 as of 30 June counts only its first half."""
    assert _sample().count("quang-nam", Period.year(2023)) == 928


def test_sum_rollup_adds_sub_units() -> None:
    """'sum' at the province adds its sub-units: 268 + 335 + 485 = 1,088."""
    figures = _sample()
    assert figures.count("quang-nam", TERM_TO_DATE, "sum") == 268 + 335 + 485 == 1088
    assert figures.count("quang-nam", TERM_TO_DATE, "reported") == 4537


def test_own_rollup_uses_reported_total() -> None:
    """'own' uses a unit's reported total when it covers the period."""
    assert _sample().count("quang-nam", TERM_TO_DATE, "own") == 4537


def test_straddling_tally_undetermined() -> None:
    """Nam Giang's term-to-date tally straddles 2021, so its 2021 figure is None."""
    counts = _sample().counts(Period.year(2021))
    assert counts["nam-giang"] is None
    assert counts["tam-ky"] == 115
    assert counts["quang-nam"] == 1732
    assert _sample().counts(Period.year(2021), "sum")["quang-nam"] is None


def test_period_after_as_of_is_none() -> None:
    """Every figure for a period starting after the as-of date is None."""
    counts = _sample().counts(Period.year(2024))
    assert set(counts) == {"quang-nam", "nam-giang", "tam-ky", "khoi-co-quan"}
    assert set(counts.values()) == {None}


def test_achieved_raises_naming_unit() -> None:
    """achieved() raises UndeterminedError naming the unit and the period."""
    with pytest.raises(UndeterminedError) as info:
        achieved(sample_ledger(), "nam-giang", Period.year(2021), as_of=AS_OF)
    error = info.value
    assert isinstance(error, LookupError)
    assert (error.unit, error.value) == ("nam-giang", "2021")
    assert "'nam-giang'" in str(error)


def test_achieved_defaults_to_term() -> None:
    """achieved() without a period counts the term to date."""
    assert achieved(sample_ledger(), "quang-nam", as_of=AS_OF) == 4537
    assert achieved(sample_ledger(), "khoi-co-quan", as_of=AS_OF, rollup="own") == 485


def test_unknown_rollup_rejected() -> None:
    """An unknown roll-up mode is a ValidationError naming the field rollup."""
    with pytest.raises(ValidationError) as info:
        _sample().counts(TERM_TO_DATE, "total")  # type: ignore[arg-type]
    assert (info.value.field, info.value.value) == ("rollup", "total")


def test_category_vectors_from_admissions() -> None:
    """Category counts come from admissions; a missing attribute makes the count None."""
    ledger = sample_ledger()
    young = ledger.category("young")
    vectors = Achievements(ledger, AS_OF).vectors(Period.year(2021), categories=[young])
    assert vectors["quang-nam"] == (1732, None)


def _clipped(period: Period, as_of: date) -> Period | None:
    return period.until(as_of)


@LEDGER_SETTINGS
@given(ledger=person_ledgers(), period=periods_within(TERM.period), as_of=days_in(TERM.period))
def test_rollup_additive(ledger: Ledger, period: Period, as_of: date) -> None:
    """A parent's 'reported' figure is its own admissions plus its children's figures."""
    figures = Achievements(ledger, as_of)
    counts = figures.counts(period)
    clipped = _clipped(period, as_of)
    if clipped is None:
        assert set(counts.values()) == {None}
        return
    for unit_id, count in counts.items():
        children = figures.hierarchy.children(unit_id)
        expected = ledger.admission_count(unit_id, clipped) + sum(counts[c] or 0 for c in children)
        assert count == expected
    root = figures.hierarchy.roots[0]
    in_period = [a for a in ledger.admissions if clipped.contains(a.date)]
    assert counts[root] == len(in_period)


@LEDGER_SETTINGS
@given(ledger=person_ledgers(), period=periods_within(TERM.period), seed=st.randoms())
def test_rollup_independent_of_listing_order(
    ledger: Ledger, period: Period, seed: random.Random
) -> None:
    """Shuffling the units and admissions does not change any figure."""
    units = list(ledger.units)
    admissions = list(ledger.admissions)
    seed.shuffle(units)
    seed.shuffle(admissions)
    shuffled = ledger.evolve(units=units, admissions=admissions)
    as_of = TERM.end
    assert Achievements(shuffled, as_of).counts(period) == Achievements(ledger, as_of).counts(
        period
    )


@LEDGER_SETTINGS
@given(
    ledger=person_ledgers(),
    outer=periods_within(TERM.period),
    data=st.data(),
)
def test_counts_monotone_in_period(ledger: Ledger, outer: Period, data: st.DataObject) -> None:
    """A sub-period never counts more than the period that contains it."""
    inner = data.draw(periods_within(outer))
    figures = Achievements(ledger, TERM.end)
    big = figures.counts(outer)
    small = figures.counts(inner)
    for unit_id in big:
        assert (small[unit_id] or 0) <= (big[unit_id] or 0)


@LEDGER_SETTINGS
@given(ledger=person_ledgers(), early=days_in(TERM.period), late=days_in(TERM.period))
def test_counts_monotone_in_as_of(ledger: Ledger, early: date, late: date) -> None:
    """A later as-of date never counts fewer admissions over the same period."""
    early, late = min(early, late), max(early, late)
    period = TERM.period
    before = Achievements(ledger, early).counts(period)
    after = Achievements(ledger, late).counts(period)
    for unit_id in before:
        assert (before[unit_id] or 0) <= (after[unit_id] or 0)


@LEDGER_SETTINGS
@given(ledger=person_ledgers(), period=periods_within(TERM.period))
def test_sum_equals_reported_without_inclusive_tallies(ledger: Ledger, period: Period) -> None:
    """Without inclusive tallies 'sum' and 'reported' agree, and 'own' is the unit alone."""
    figures = Achievements(ledger, TERM.end)
    reported = figures.counts(period, "reported")
    assert figures.counts(period, "sum") == reported
    own = figures.counts(period, "own")
    for unit_id, count in own.items():
        assert count == ledger.admission_count(unit_id, period)


def test_sum_of_a_unit_without_sub_units_is_its_reported_figure() -> None:
    """'sum' adds sub-units; a unit without any keeps its reported total (Nam Giang 268)."""
    counts = Achievements(sample_ledger(), date(2023, 6, 30)).counts(
        sample_ledger().term().target_period, "sum"
    )
    assert counts["nam-giang"] == 268
    assert counts["tam-ky"] == 335
    assert counts["quang-nam"] == 268 + 335 + 485


def test_counted_columns_agree_with_its_vectors_and_figures() -> None:
    """A Counted's columns, its vectors and its figures say the same, unit by unit;
    a period after the as-of date is unknown everywhere, each unit's gap saying so."""
    figures = _sample()
    counted = figures.counted(Period.year(2022))
    units = list(figures.hierarchy.order())
    assert counted.column(0, units) == tuple(counted.vectors[u][0] for u in units)
    assert counted.column() == tuple(counted.count(u) for u in counted.positions)
    assert counted.column(0, figures.hierarchy.order()) == counted.column()  # in order
    assert set(counted.vectors) == set(units)
    later = figures.counted(Period.year(2024))
    assert later.column(0, units) == (None,) * len(units)
    assert len(later.shortfalls) == len(units)
    gap = later.shortfalls["tam-ky"].gaps[0]
    assert (gap.unit, gap.reason) == ("tam-ky", "after")
    with pytest.raises(KeyError):
        later.shortfalls["nowhere"]
