"""Exact rounding, formatting and parsing of numbers."""

from __future__ import annotations

import decimal
from decimal import Decimal
from fractions import Fraction

import pytest

import partydev
from partydev.numbers import round_fraction


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
