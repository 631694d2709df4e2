"""Periods: calendar pieces, labels that read back, containment and parsing."""

from __future__ import annotations

import unicodedata
from datetime import date, timedelta
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.strategies import dates, granularities, locales, periods

import partydev
from partydev.model.periods import Granularity, Period, PeriodKind, parse_period
from partydev.numbers import Locale


@given(periods(), granularities)
def test_split_tiles_the_period(period: Period, granularity: Granularity) -> None:
    """The pieces of a split are contiguous and cover the period exactly, day for day."""
    pieces = list(period.split(granularity))
    assert pieces
    assert pieces[0].start == period.start
    assert pieces[-1].end == period.end
    for before, after in pairwise(pieces):
        assert after.start == before.end + timedelta(days=1)
    assert sum(piece.days for piece in pieces) == period.days
    assert all(period.contains(piece) for piece in pieces)


@given(periods(), st.sampled_from(["year", "half", "quarter", "month"]))
def test_split_pieces_stay_in_one_calendar_piece(period: Period, granularity: Granularity) -> None:
    """No piece of a calendar split crosses a boundary of that calendar unit."""
    months = {"year": 12, "half": 6, "quarter": 3, "month": 1}[granularity]
    for piece in period.split(granularity):
        first = (piece.start.year * 12 + piece.start.month - 1) // months
        last = (piece.end.year * 12 + piece.end.month - 1) // months
        assert first == last


def test_split_of_target_years() -> None:
    """The target years 2021-2025 hold 5 years, 10 halves, 20 quarters, 60 months, 1826 days."""
    term = Period.years(2021, 2025)
    sizes = {g: len(list(term.split(g))) for g in ("year", "half", "quarter", "month", "day")}
    assert sizes == {"year": 5, "half": 10, "quarter": 20, "month": 60, "day": 1826}


@pytest.mark.parametrize("kind", ["year", "half", "quarter", "month"])
@given(data=st.data(), locale=locales)
def test_label_reads_back(kind: PeriodKind, data: st.DataObject, locale: Locale) -> None:
    """A calendar period's label, in either locale, parses back to the same period and kind."""
    period = data.draw(periods(kind))
    back = parse_period(period.label(locale), locale)
    assert back == period
    assert back.kind == kind


@given(periods(), locales)
def test_key_reads_back(period: Period, locale: Locale) -> None:
    """A period's locale-free key parses back to the same period."""
    assert parse_period(period.key, locale) == period


@given(periods(), periods())
def test_overlap_is_symmetric(first: Period, second: Period) -> None:
    """Two periods overlap both ways or neither, and then share exactly their intersection."""
    assert first.overlaps(second) == second.overlaps(first)
    common = first.intersection(second)
    assert (common is not None) == first.overlaps(second)
    if common is not None:
        assert first.contains(common)
        assert second.contains(common)
        assert common == second.intersection(first)


@given(periods(), periods())
def test_contains_implies_overlaps(first: Period, second: Period) -> None:
    """A period that contains another overlaps it, and their intersection is the inner one."""
    if first.contains(second):
        assert first.overlaps(second)
        assert first.intersection(second) == second


@given(periods(), dates)
def test_contains_date_matches_single_day(period: Period, day: date) -> None:
    """A period contains a date exactly when it overlaps the one-day period of that date."""
    assert period.contains(day) == period.overlaps(Period(day, day))


@given(periods())
def test_period_contains_itself(period: Period) -> None:
    """Containment is reflexive."""
    assert period.contains(period)
    assert period.contains(period.start)
    assert period.contains(period.end)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("năm 2022", Period.year(2022)),
        ("Năm 2022", Period.year(2022)),
        ("2022", Period.year(2022)),
        ("6 tháng đầu năm 2023", Period.half(2023, 1)),
        ("6 tháng cuối năm 2023", Period.half(2023, 2)),
        ("quý II/2023", Period.quarter(2023, 2)),
        ("Quý IV/2022", Period.quarter(2022, 4)),
        ("quý 3/2021", Period.quarter(2021, 3)),
        ("tháng 9/2022", Period.month(2022, 9)),
        ("Tháng 12 năm 2022", Period.month(2022, 12)),
        ("first half of 2023", Period.half(2023, 1)),
        ("H1 2023", Period.half(2023, 1)),
        ("Q2 2023", Period.quarter(2023, 2)),
        ("September 2022", Period.month(2022, 9)),
        ("2023-H1", Period.half(2023, 1)),
        ("2023-Q2", Period.quarter(2023, 2)),
        ("2023-06", Period.month(2023, 6)),
        ("1/1/2021 - 30/6/2023", Period(date(2021, 1, 1), date(2023, 6, 30))),
        ("từ 1/1/2021 đến 30/6/2023", Period(date(2021, 1, 1), date(2023, 6, 30))),
        ("2021-01-01..2023-06-30", Period(date(2021, 1, 1), date(2023, 6, 30))),
    ],
)
def test_documented_forms_parse(text: str, expected: Period) -> None:
    """Every form listed in parse_period's docstring reads as the period it names."""
    assert parse_period(text) == expected


def test_decomposed_vietnamese_parses() -> None:
    """Vietnamese typed in decomposed Unicode (NFD) reads like the composed form."""
    assert parse_period(unicodedata.normalize("NFD", "6 tháng đầu năm 2023")) == Period.half(
        2023, 1
    )


@pytest.mark.parametrize(
    "text",
    ["", "năm", "quý V/2023", "tháng 13/2023", "6 tháng giữa năm 2023", "30/6/2023 - 1/1/2021"],
)
def test_malformed_period_raises_quoting_it(text: str) -> None:
    """A text that names no period raises ParseError, a ValueError, quoting the text."""
    with pytest.raises(partydev.ParseError) as info:
        parse_period(text)
    assert repr(text) in str(info.value)
    assert isinstance(info.value, ValueError)


def test_period_cannot_end_before_it_starts() -> None:
    """A period ending before its start is a ValidationError naming the end."""
    with pytest.raises(partydev.ValidationError) as info:
        Period(date(2023, 6, 30), date(2023, 1, 1))
    assert info.value.field == "end"
