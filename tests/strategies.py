"""Hypothesis strategies shared by the test modules."""

from __future__ import annotations

# --- checks: stated percents, precisions and rounding modes (tests/test_checks.py) ---
from decimal import Decimal

from hypothesis import strategies as st

from partydev.numbers import ROUNDING_MODES

rounding_modes = st.sampled_from(sorted(ROUNDING_MODES))
"""Every rounding mode partydev accepts."""

percent_places = st.integers(min_value=0, max_value=3)
"""Decimals a published percent carries; the press uses 0 to 2."""


def stated_percents(places: int, max_percent: int = 150) -> st.SearchStrategy[Decimal]:
    """Percents written with exactly *places* decimals, from 0 to *max_percent*."""
    return st.integers(min_value=0, max_value=max_percent * 10**places).map(
        lambda units: Decimal(units).scaleb(-places)
    )


# --- end of checks ---
