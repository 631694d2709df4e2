"""Pure calculations: achievement, pace, elapsed time, required rates and shares."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.strategies import (
    count_maps,
    counts,
    dates,
    elapsed_shares,
    fractions,
    granularities,
    periods,
    places,
    targets,
    terms,
)

import partydev
from partydev.calc import (
    DEFAULT_TOLERANCE,
    achievement,
    average_per_year,
    change,
    composition,
    elapsed_share,
    exceedance,
    pace,
    pace_status,
    period_years,
    projection,
    remaining,
    remaining_years,
    required_per_year,
    round_half_up,
    share_of_membership,
    shares,
)
from partydev.model.periods import Granularity, Period
from partydev.numbers import Ratio

TERM = Period.years(2021, 2025)
MID_TERM = date(2023, 6, 30)
positive_years = st.fractions(min_value=0, max_value=10, max_denominator=1000).filter(bool)


# -- the seed -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("achieved", "target", "places", "percent"),
    [
        (4537, 7500, 1, "60.5"),  # Quảng Nam, term to 30/6/2023
        (268, 350, 2, "76.57"),  # Nam Giang
        (115, 110, 1, "104.5"),  # Tam Kỳ 2021
        (140, 115, 1, "121.7"),  # Tam Kỳ 2022
        (1732, 1500, 1, "115.5"),  # Quảng Nam 2021
        (1877, 1500, 1, "125.1"),  # Quảng Nam 2022
        (485, 500, 0, "97"),  # provincial agencies bloc
    ],
)
def test_seed_achievements(achieved: int, target: int, places: int, percent: str) -> None:
    """The seed's stated percentages of target come out of achievement() exactly."""
    assert achievement(achieved, target).percent(places) == Decimal(percent)


def test_seed_province_at_mid_term() -> None:
    """Quảng Nam at 30/6/2023: half the term gone, pace 1.2099, ahead, 1186 a year, 9074."""
    elapsed = elapsed_share(TERM, MID_TERM)
    assert elapsed == Fraction(1, 2)
    assert (elapsed.numerator, elapsed.denominator) == (30, 60)
    rate = pace(4537, 7500, elapsed)
    assert rate is not None
    assert rate.quantize(4) == Decimal("1.2099")
    assert rate == Fraction(4537, 3750)
    assert pace_status(4537, 7500, elapsed) == "ahead"
    assert remaining(4537, 7500) == 2963
    assert remaining_years(TERM, MID_TERM) == Fraction(5, 2)
    assert required_per_year(4537, 7500, Fraction(5, 2)) == 1186
    assert projection(4537, elapsed) == 9074


def test_seed_elapsed_by_day() -> None:
    """By days, 911 of the 1826 days of 2021-2025 have passed at 30/6/2023."""
    elapsed = elapsed_share(TERM, MID_TERM, "day")
    assert (elapsed.numerator, elapsed.denominator) == (911, 1826)


def test_seed_elapsed_by_coarser_pieces() -> None:
    """At 30/6/2023 2 of 5 years, 5 of 10 halves and 10 of 20 quarters are complete."""
    assert elapsed_share(TERM, MID_TERM, "year") == Fraction(2, 5)
    assert elapsed_share(TERM, MID_TERM, "half") == Fraction(1, 2)
    assert elapsed_share(TERM, MID_TERM, "quarter") == Fraction(1, 2)
    assert elapsed_share(TERM, date(2023, 6, 29), "half") == Fraction(2, 5)


def test_seed_exceedance() -> None:
    """Quảng Nam exceeded its 2021 plan by 15.5 % and its 2022 plan by 25.1 %."""
    assert exceedance(1732, 1500).percent(1) == Decimal("15.5")
    assert exceedance(1877, 1500).percent(1) == Decimal("25.1")
    assert exceedance(4537, 7500).percent(1) == Decimal("-39.5")


def test_seed_yearly_figures() -> None:
    """Target years are 5 years; 2021-2022 averaged 1804.5 a year, 1805 rounded half up."""
    assert period_years(TERM) == 5
    average = average_per_year(1732 + 1877, period_years(Period.years(2021, 2022)))
    assert average == Fraction(3609, 2)
    assert round_half_up(average) == 1805


def test_seed_change_and_membership() -> None:
    """2022 against 2021 is +8.4 %; the term's intake is 6.35 % of the 71,441 members."""
    rise = change(1877, 1732)
    assert rise is not None
    assert rise.percent(1) == Decimal("8.4")
    assert share_of_membership(4537, 71441).percent(2) == Decimal("6.35")


def test_seed_intake_shares() -> None:
    """The province's intake by period (1732, 1877, 928) splits 38.2 + 41.4 + 20.4 = 100."""
    result = shares({"2021": 1732, "2022": 1877, "2023-H1": 928})
    assert result == {"2021": Decimal("38.2"), "2022": Decimal("41.4"), "2023-H1": Decimal("20.4")}


# -- laws ---------------------------------------------------------------------------------


@given(counts, targets)
def test_achievement_times_target_is_achieved(achieved: int, target: int) -> None:
    """The achievement ratio times the target gives back the count exactly."""
    assert achievement(achieved, target).fraction * target == achieved


@given(counts, targets)
def test_exceedance_plus_one_is_achievement(achieved: int, target: int) -> None:
    """Exceeding by x means reaching 1 + x of the target; negative when short."""
    over = exceedance(achieved, target)
    assert over.fraction + 1 == achievement(achieved, target).fraction
    assert (over < 0) == (achieved < target)


def _elapsed_by_split(period: Period, as_of: date, granularity: Granularity) -> Fraction:
    """The definition of elapsed_share, counted over the pieces of Period.split."""
    pieces = list(period.split(granularity))
    return Fraction(sum(piece.end <= as_of for piece in pieces), len(pieces))


@given(periods(), dates, granularities)
def test_elapsed_share_counts_whole_pieces(
    period: Period, as_of: date, granularity: Granularity
) -> None:
    """The elapsed share is the share of split pieces whose last day is on or before as_of."""
    share = elapsed_share(period, as_of, granularity)
    assert share == _elapsed_by_split(period, as_of, granularity)
    assert share.denominator == len(list(period.split(granularity)))


@given(periods(), st.integers(min_value=1, max_value=5000), granularities)
def test_elapsed_share_bounds(period: Period, days: int, granularity: Granularity) -> None:
    """The share is 0 before the period and 1 on and after its last day."""
    assert elapsed_share(period, period.start - timedelta(days=days), granularity) == 0
    assert elapsed_share(period, period.start - timedelta(days=1), granularity) == 0
    assert elapsed_share(period, period.end, granularity) == 1
    assert elapsed_share(period, period.end + timedelta(days=days), granularity) == 1


@given(periods(), dates, dates, granularities)
def test_elapsed_share_monotone(
    period: Period, first: date, second: date, granularity: Granularity
) -> None:
    """A later date never has a smaller elapsed share."""
    early, late = sorted((first, second))
    assert elapsed_share(period, early, granularity) <= elapsed_share(period, late, granularity)


@given(terms(), dates, granularities)
def test_remaining_years_complements_elapsed(
    term: Period, as_of: date, granularity: Granularity
) -> None:
    """Years left plus years elapsed make the whole period, from the full length down to 0."""
    left = remaining_years(term, as_of, granularity)
    elapsed = elapsed_share(term, as_of, granularity).fraction
    assert left + elapsed * period_years(term) == period_years(term)
    assert 0 <= left <= period_years(term)
    if as_of >= term.end:
        assert left == 0


@given(terms())
def test_period_years_of_whole_years(term: Period) -> None:
    """Whole calendar years measure their count of years, leap years or not."""
    assert period_years(term) == term.end.year - term.start.year + 1


@given(periods("range"))
def test_period_years_of_ranges(period: Period) -> None:
    """A range not made of whole months measures days / 365."""
    whole_months = period.start.day == 1 and (period.end + timedelta(days=1)).day == 1
    if not whole_months:
        assert period_years(period) == Fraction(period.days, 365)


@given(counts, targets, positive_years)
def test_required_per_year_is_the_least_sufficient(
    achieved: int, target: int, years_left: Fraction
) -> None:
    """The required rate reaches the remainder in time, and one less a year would not."""
    needed = remaining(achieved, target)
    required = required_per_year(achieved, target, years_left)
    assert required is not None
    assert required * years_left >= needed
    if needed:
        assert (required - 1) * years_left < needed
    else:
        assert required == 0


@given(counts, targets)
def test_required_per_year_without_time(achieved: int, target: int) -> None:
    """With no time left the rate is undefined (None) unless nothing remains (0)."""
    expected = 0 if achieved >= target else None
    assert required_per_year(achieved, target, Fraction(0)) == expected


@given(counts, targets)
def test_remaining_is_never_negative(achieved: int, target: int) -> None:
    """What remains is the shortfall, and 0 once the target is reached."""
    assert remaining(achieved, target) == max(0, target - achieved)
    assert remaining(achieved, target) + min(achieved, target) == target


@given(counts, elapsed_shares().filter(lambda r: r.numerator > 0))
def test_projection_times_elapsed_is_achieved(achieved: int, elapsed: Ratio) -> None:
    """The linear projection scaled back by the elapsed share is the count so far."""
    projected = projection(achieved, elapsed)
    assert projected is not None
    assert projected * elapsed.fraction == achieved


@given(counts, targets, elapsed_shares().filter(lambda r: r.numerator > 0))
def test_pace_is_projection_over_target(achieved: int, target: int, elapsed: Ratio) -> None:
    """The pace equals the projected count as a share of the target."""
    rate = pace(achieved, target, elapsed)
    projected = projection(achieved, elapsed)
    assert rate is not None
    assert projected is not None
    assert rate.fraction == projected / target


@given(counts, targets, elapsed_shares())
def test_pace_status_follows_the_pace(achieved: int, target: int, elapsed: Ratio) -> None:
    """The status is 'achieved' at the target, else set by the pace against 1 ± 5 %."""
    status = pace_status(achieved, target, elapsed)
    rate = pace(achieved, target, elapsed)
    if achieved >= target:
        assert status == "achieved"
    elif rate is None:
        assert status == "on_track"
    elif rate.fraction > 1 + DEFAULT_TOLERANCE:
        assert status == "ahead"
    elif rate.fraction < 1 - DEFAULT_TOLERANCE:
        assert status == "behind"
    else:
        assert status == "on_track"


def test_pace_status_edges() -> None:
    """A pace exactly at 1 ± tolerance is on track; beyond it is ahead or behind."""
    half = Ratio(1, 2)
    assert pace_status(105, 200, half) == "on_track"  # pace 1.05
    assert pace_status(106, 200, half) == "ahead"
    assert pace_status(95, 200, half) == "on_track"  # pace 0.95
    assert pace_status(94, 200, half) == "behind"
    assert pace_status(94, 200, half, Fraction(1, 10)) == "on_track"
    assert pace_status(0, 200, Ratio(0, 60)) == "on_track"
    assert pace_status(200, 200, Ratio(0, 60)) == "achieved"
    assert pace(10, 200, Ratio(0, 60)) is None
    assert projection(10, Ratio(0, 60)) is None


@given(fractions())
def test_round_half_up_is_nearest(value: Fraction) -> None:
    """round_half_up is within a half of the value, and halves go away from zero."""
    result = round_half_up(value)
    assert abs(result - value) <= Fraction(1, 2)
    assert round_half_up(-value) == -result
    if (value * 2).denominator == 1 and value.denominator == 2:
        assert abs(result) == math.ceil(abs(value))


@given(counts, positive_years)
def test_average_per_year_times_years(achieved: int, years: Fraction) -> None:
    """The yearly average times the years is the count."""
    assert average_per_year(achieved, years) * years == achieved


@given(counts, st.integers(min_value=0, max_value=2_000_000))
def test_change_adds_back(current: int, previous: int) -> None:
    """Previous plus the change applied to it gives the current count; None from 0."""
    result = change(current, previous)
    if previous == 0:
        assert result is None
    else:
        assert result is not None
        assert previous * (1 + result.fraction) == current


# -- shares -------------------------------------------------------------------------------


@given(count_maps(min_size=1), places)
def test_shares_sum_to_100(counts_by_key: dict[str, int], digits: int) -> None:
    """Largest-remainder shares add up to exactly 100 whenever anything was counted."""
    result = shares(counts_by_key, digits)
    total = sum(counts_by_key.values())
    assert list(result) == list(counts_by_key)
    assert all(share.as_tuple().exponent == -digits for share in result.values())
    if total:
        assert sum(result.values()) == 100
    else:
        assert all(share == 0 for share in result.values())


@given(count_maps(min_size=1), places)
def test_shares_within_one_unit(counts_by_key: dict[str, int], digits: int) -> None:
    """Each share is less than one unit of the last place away from its exact percentage."""
    total = sum(counts_by_key.values())
    result = shares(counts_by_key, digits)
    if total:
        for key, count in counts_by_key.items():
            exact = Fraction(100 * count, total)
            assert abs(Fraction(result[key]) - exact) < Fraction(1, 10**digits)


@given(st.data(), count_maps(min_size=1), places)
def test_shares_ignore_input_order(
    data: st.DataObject, counts_by_key: dict[str, int], digits: int
) -> None:
    """Permuting the input permutes the output keys but changes no share."""
    shuffled = dict(data.draw(st.permutations(list(counts_by_key.items()))))
    original = shares(counts_by_key, digits)
    permuted = shares(shuffled, digits)
    assert permuted == original
    assert list(permuted) == list(shuffled)


def test_shares_tie_breaks() -> None:
    """Equal remainders go to the larger count, then to the key first in sorted order."""
    assert shares({"b": 1, "a": 1, "c": 1}, 0) == {
        "b": Decimal(33),
        "a": Decimal(34),
        "c": Decimal(33),
    }
    # 1/6, 2/6, 3/6 at 0 places: 16.67, 33.33, 50 -> remainders .67 and .33
    assert shares({"x": 1, "y": 2, "z": 3}, 0) == {
        "x": Decimal(17),
        "y": Decimal(33),
        "z": Decimal(50),
    }
    # 1/30, 4/30, 25/30 at 0 places: all three remainders are 1/3; the largest count wins
    assert shares({"a": 1, "b": 4, "c": 25}, 0) == {
        "a": Decimal(3),
        "b": Decimal(13),
        "c": Decimal(84),
    }
    assert shares({}, 1) == {}
    assert shares({"a": 0, "b": 0}, 2) == {"a": Decimal("0.00"), "b": Decimal("0.00")}


@given(count_maps(min_size=1))
def test_composition_is_count_over_base(counts_by_key: dict[str, int]) -> None:
    """Composition gives each category over the base, kept as written, in input order."""
    base = max(counts_by_key.values()) + 1
    result = composition(counts_by_key, base)
    assert list(result) == list(counts_by_key)
    for key, ratio in result.items():
        assert (ratio.numerator, ratio.denominator) == (counts_by_key[key], base)


# -- errors -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: achievement(10, 0), "target"),
        (lambda: achievement(10, -5), "target"),
        (lambda: achievement(-1, 10), "achieved"),
        (lambda: exceedance(10, 0), "target"),
        (lambda: exceedance(-3, 10), "achieved"),
        (lambda: elapsed_share(TERM, MID_TERM, "week"), "granularity"),  # type: ignore[arg-type]
        (lambda: pace(1, 10, Ratio(3, 2)), "elapsed"),
        (lambda: pace(1, 10, Ratio(-1, 2)), "elapsed"),
        (lambda: pace_status(1, 10, Ratio(1, 2), Fraction(-1, 10)), "tolerance"),
        (lambda: pace_status(1, 10, Ratio(1, 2), 0.05), "tolerance"),  # type: ignore[arg-type]
        (lambda: average_per_year(10, Fraction(0)), "years"),
        (lambda: average_per_year(10, Fraction(-1)), "years"),
        (lambda: remaining(-1, 10), "achieved"),
        (lambda: required_per_year(1, 10, Fraction(-1)), "years_left"),
        (lambda: required_per_year(1, 10, 0.5), "years_left"),  # type: ignore[arg-type]
        (lambda: projection(-1, Ratio(1, 2)), "achieved"),
        (lambda: round_half_up(0.5), "value"),  # type: ignore[arg-type]
        (lambda: shares({"trẻ": 3, "nữ": -1}), "nữ"),
        (lambda: shares({"a": 1}, -1), "places"),
        (lambda: composition({"trẻ": 1}, 0), "base"),
        (lambda: composition({"trẻ": 116, "nữ": 52}, 115), "trẻ"),
        (lambda: composition({"nữ": -1}, 115), "nữ"),
        (lambda: change(-1, 10), "current"),
        (lambda: change(10, -1), "previous"),
        (lambda: share_of_membership(10, 0), "members"),
        (lambda: share_of_membership(-1, 71441), "admitted"),
        (lambda: achievement(10.0, 20), "achieved"),  # type: ignore[arg-type]
        (lambda: achievement(True, 20), "achieved"),
    ],
)
def test_errors_name_the_field(call: Callable[[], object], field: str) -> None:
    """Bad input raises a ValidationError (a ValueError) naming the offending field."""
    with pytest.raises(partydev.ValidationError) as info:
        call()
    assert info.value.field == field
    assert isinstance(info.value, ValueError)
    assert repr(field) in str(info.value)
