"""Exact rounding, formatting and parsing of numbers."""

from __future__ import annotations

import decimal
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.strategies import (
    counts,
    dates,
    decimals,
    fractions,
    locales,
    places,
    ratios,
    rounding_modes,
    targets,
)

import partydev
from partydev.numbers import (
    Locale,
    Ratio,
    format_date,
    format_number,
    format_percent,
    parse_date,
    parse_number,
    parse_percent,
    percent_places,
    round_fraction,
    to_fraction,
)


def test_half_up_on_exact_halves() -> None:
    """Exact halves round away from zero, unlike round() and Decimal's default context."""
    assert round_fraction(Fraction(4825, 100), 1) == Decimal("48.3")
    assert round_fraction(Fraction(75625, 1000), 2) == Decimal("75.63")
    assert round_fraction(Fraction(-5, 2), 0) == Decimal("-3")


def test_truncation_selectable() -> None:
    """ROUND_DOWN truncates, as some publishers do."""
    assert partydev.Ratio(4537, 7500).percent(1, decimal.ROUND_DOWN) == Decimal("60.4")


def test_ratio_rejects_zero_denominator() -> None:
    """A ratio over zero is a ValueError that is also a PartydevError."""
    with pytest.raises(partydev.PartydevError) as info:
        partydev.Ratio(1, 0)
    assert isinstance(info.value, ValueError)


# -- properties ---------------------------------------------------------------------------


@st.composite
def terminating_fractions(draw: st.DrawFn) -> Fraction:
    """Fractions whose decimal expansion ends: denominators of the form 2**a * 5**b."""
    numerator = draw(st.integers(min_value=-(10**15), max_value=10**15))
    twos = draw(st.integers(min_value=0, max_value=12))
    fives = draw(st.integers(min_value=0, max_value=12))
    return Fraction(numerator, 2**twos * 5**fives)


def _exact_decimal(value: Fraction) -> Decimal:
    """The exact Decimal of a terminating fraction; raises if anything was rounded."""
    with decimal.localcontext() as context:
        context.prec = 100
        context.traps[decimal.Inexact] = True
        return Decimal(value.numerator) / Decimal(value.denominator)


def _quantize(value: Decimal, places: int, rounding: str) -> Decimal:
    """Decimal's own rounding of *value*, in a local context with room for every digit."""
    with decimal.localcontext() as context:
        context.prec = 100
        return value.quantize(Decimal(1).scaleb(-places), rounding=rounding)


@given(terminating_fractions(), places, rounding_modes)
def test_round_fraction_agrees_with_decimal(value: Fraction, digits: int, rounding: str) -> None:
    """On terminating values every rounding mode matches Decimal.quantize computed exactly."""
    expected = _quantize(_exact_decimal(value), digits, rounding)
    result = round_fraction(value, digits, rounding)
    assert result == expected
    assert result.as_tuple().exponent == -digits


@given(fractions(), places)
def test_half_up_within_half_a_unit(value: Fraction, digits: int) -> None:
    """Half-up rounding is never more than half a unit in the last place from the value."""
    result = Fraction(round_fraction(value, digits))
    assert abs(result - value) <= Fraction(1, 2 * 10**digits)


@given(fractions(), places)
def test_half_up_rounds_halves_away_from_zero(value: Fraction, digits: int) -> None:
    """An exact half rounds away from zero, so rounding commutes with negation."""
    assert round_fraction(-value, digits) == -round_fraction(value, digits)


@given(fractions(), places)
def test_round_down_never_exceeds(value: Fraction, digits: int) -> None:
    """Truncation never gives a larger magnitude than the value, and loses under one unit."""
    result = Fraction(round_fraction(value, digits, decimal.ROUND_DOWN))
    assert abs(result) <= abs(value)
    assert abs(value) - abs(result) < Fraction(1, 10**digits)
    if value >= 0:
        assert result <= value


@given(fractions(), places, rounding_modes)
def test_every_mode_within_one_unit(value: Fraction, digits: int, rounding: str) -> None:
    """Whatever the mode, the rounded value is less than one unit from the exact one."""
    result = Fraction(round_fraction(value, digits, rounding))
    assert abs(result - value) < Fraction(1, 10**digits)


@given(st.integers(min_value=-(10**12), max_value=10**12), locales)
def test_format_parse_int_round_trip(value: int, locale: Locale) -> None:
    """An integer written in either locale reads back as the same integer."""
    assert parse_number(format_number(value, locale), locale) == value


@given(decimals(), locales)
def test_format_parse_decimal_round_trip(value: Decimal, locale: Locale) -> None:
    """A Decimal written in either locale reads back equal, with the same decimals."""
    back = parse_number(format_number(value, locale), locale)
    assert back == value
    assert Decimal(back).as_tuple().exponent == value.as_tuple().exponent


@given(ratios, places, locales)
def test_format_parse_percent_round_trip(ratio: Ratio, digits: int, locale: Locale) -> None:
    """A formatted percentage reads back as the rounded percent, decimals included."""
    text = format_percent(ratio, digits, locale)
    assert parse_percent(text, locale) == ratio.percent(digits)
    assert percent_places(text, locale) == digits


@given(dates, locales)
def test_format_parse_date_round_trip(day: date, locale: Locale) -> None:
    """A date written in either locale reads back as the same date."""
    assert parse_date(format_date(day, locale), locale) == day


def test_vietnamese_separators() -> None:
    """Vietnamese groups thousands with '.' and marks decimals with ','; English the reverse."""
    assert format_number(Decimal("71441.5"), "vi") == "71.441,5"
    assert format_number(Decimal("71441.5"), "en") == "71,441.5"
    assert parse_number("1.877", "vi") == 1877
    assert parse_number("1.877", "en") == Decimal("1.877")


@pytest.mark.parametrize(
    ("parse", "text"),
    [
        (parse_number, "12,34,5"),
        (parse_number, "một nghìn"),
        (parse_number, ""),
        (parse_percent, "60,5"),
        (parse_percent, "sáu mươi %"),
        (parse_date, "31/2/2023"),
        (parse_date, "2023/06/30"),
    ],
)
def test_parse_errors_quote_the_text(parse: Callable[[str], object], text: str) -> None:
    """A text that cannot be read raises ParseError whose message quotes it."""
    with pytest.raises(partydev.ParseError) as info:
        parse(text)
    assert repr(text) in str(info.value)
    assert info.value.value == text
    assert isinstance(info.value, ValueError)


@given(counts, targets, st.integers(min_value=1, max_value=1000))
def test_ratio_equality_by_value(numerator: int, denominator: int, factor: int) -> None:
    """Ratios equal by value (and hash alike) even when written with other terms."""
    scaled = Ratio(numerator * factor, denominator * factor)
    plain = Ratio(numerator, denominator)
    assert scaled == plain
    assert hash(scaled) == hash(plain)
    assert scaled == Fraction(numerator, denominator)
    assert (scaled.numerator, scaled.denominator) == (numerator * factor, denominator * factor)


def test_ratio_orders_by_value() -> None:
    """Ratios compare by value with each other, ints and Fractions."""
    assert Ratio(1, 3) < Ratio(1, 2) <= Fraction(2, 4) < 1
    assert Ratio(1732, 1500) > 1


@pytest.mark.parametrize(
    "call",
    [
        lambda: Ratio(1.0, 2),  # type: ignore[arg-type]
        lambda: Ratio(1, 2.0),  # type: ignore[arg-type]
        lambda: format_number(60.5),  # type: ignore[arg-type]
        lambda: format_percent(0.605),  # type: ignore[arg-type]
        lambda: to_fraction(0.5),  # type: ignore[arg-type]
        lambda: Ratio(True, 2),
    ],
)
def test_floats_refused(call: Callable[[], object]) -> None:
    """A float (or a bool) where an exact number is expected is a ValidationError."""
    with pytest.raises(partydev.ValidationError):
        call()
