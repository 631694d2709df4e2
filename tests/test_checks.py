"""Checking published percentages: implied targets, GRIM, share sums, conventions."""

from __future__ import annotations

import decimal
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.strategies import rounding_modes, stated_percents, stated_places

from partydev.calc import shares as largest_remainder_shares
from partydev.checks import (
    implied_targets,
    informative,
    min_denominator,
    percent_possible,
    reproducing_roundings,
    rounding_interval,
    shares_can_sum,
)
from partydev.errors import ParseError, ValidationError
from partydev.numbers import round_fraction

_ALL = (
    decimal.ROUND_HALF_UP,
    decimal.ROUND_DOWN,
    decimal.ROUND_HALF_EVEN,
    decimal.ROUND_UP,
)
"""The conventions reproducing_roundings tries by default."""

SCAN = 1500
"""How far the brute-force scans over targets go."""


def _fits(achieved: int, target: int, value: Decimal, places: int, mode: str) -> bool:
    return round_fraction(Fraction(100 * achieved, target), places, mode) == value


def _possible(n: int, value: Decimal, places: int, mode: str) -> bool:
    return any(_fits(k, n, value, places, mode) for k in range(n + 1))


# --- the seed's figures ---


def test_seed_implied_targets() -> None:
    """The seed's percents of target imply exactly the targets DOMAIN.md derives."""
    assert implied_targets(268, "76,57%") == range(350, 351)
    assert implied_targets(4537, "60,5%") == range(7493, 7506)
    assert implied_targets(115, "104,5%") == range(110, 111)
    assert implied_targets(140, "121,7%") == range(115, 116)
    assert 7500 in implied_targets(4537, "60,5%")


def test_seed_tam_ky_intake_needs_815() -> None:
    """59,75 % and 7,48 % of one group need at least 815 people, more than Tam Kỳ's 335."""
    assert min_denominator(["59,75%", "7,48%"]) == 815
    assert not percent_possible(335, "59,75%") or not percent_possible(335, "7,48%")
    assert percent_possible(815, "59,75%")
    assert percent_possible(815, "7,48%")


def test_seed_brute_force_matches() -> None:
    """The seed's implied-target ranges are exactly what a scan over targets finds."""
    for achieved, text, value, places in [
        (268, "76,57%", Decimal("76.57"), 2),
        (4537, "60,5%", Decimal("60.5"), 1),
        (115, "104,5%", Decimal("104.5"), 1),
        (140, "121,7%", Decimal("121.7"), 1),
    ]:
        scanned = [
            t for t in range(1, 20000) if _fits(achieved, t, value, places, decimal.ROUND_HALF_UP)
        ]
        assert list(implied_targets(achieved, text)) == scanned


def test_truncated_province_figure() -> None:
    """Had the province truncated, 60,5 % would imply targets 7487..7499, excluding 7500."""
    targets = implied_targets(4537, "60,5%", rounding=decimal.ROUND_DOWN)
    assert targets == range(7487, 7500)
    assert reproducing_roundings(4537, 7500, "60,4%") == (decimal.ROUND_DOWN,)


def test_decimal_exponent_sets_precision() -> None:
    """A Decimal's written decimals are its precision: 60.50 is narrower than 60.5."""
    assert implied_targets(268, Decimal("76.57")) == range(350, 351)
    assert implied_targets(4537, Decimal("60.50")) == range(7499, 7500)
    assert implied_targets(4537, "60,5%", places=2) == range(7499, 7500)


def test_places_argument_overrides_text() -> None:
    """places widens nothing that was written: "60%" at 1 place means 60.0 %."""
    assert implied_targets(600, "60%") == range(992, 1009)
    assert implied_targets(600, "60%", places=1) == range(1000, 1001)


def test_interval_ends_per_mode() -> None:
    """Each mode's interval has the documented open and closed ends."""
    assert str(rounding_interval("60,5%")) == "[60.45, 60.55)"
    assert str(rounding_interval("60,5%", rounding=decimal.ROUND_HALF_DOWN)) == "(60.45, 60.55]"
    assert str(rounding_interval("60,5%", rounding=decimal.ROUND_HALF_EVEN)) == "(60.45, 60.55)"
    assert str(rounding_interval("60,4%", rounding=decimal.ROUND_HALF_EVEN)) == "[60.35, 60.45]"
    assert str(rounding_interval("60,5%", rounding=decimal.ROUND_DOWN)) == "[60.5, 60.6)"
    assert str(rounding_interval("60,5%", rounding=decimal.ROUND_UP)) == "(60.4, 60.5]"
    assert str(rounding_interval("0%")) == "[0, 0.5)"
    assert str(rounding_interval("0%", rounding=decimal.ROUND_UP)) == "[0, 0]"


def test_reproducing_roundings_seed() -> None:
    """The province's 60,5 % is half up (or half even, or up), not truncation."""
    assert reproducing_roundings(4537, 7500, "60,5%") == (
        decimal.ROUND_HALF_UP,
        decimal.ROUND_HALF_EVEN,
        decimal.ROUND_UP,
    )
    assert reproducing_roundings(193, 400, "48,3%") == (decimal.ROUND_HALF_UP, decimal.ROUND_UP)
    assert reproducing_roundings(193, 400, "48,2%") == (
        decimal.ROUND_DOWN,
        decimal.ROUND_HALF_EVEN,
    )
    assert reproducing_roundings(1, 3, "50%") == ()


def test_informative_threshold() -> None:
    """A GRIM check over n people informs exactly while n < 10**(places + 2)."""
    assert informative(9999, 2)
    assert not informative(10000, 2)
    assert informative(99, 0)
    assert not informative(100, 0)


def test_shares_seed_examples() -> None:
    """Three thirds at 33,3 % can sum to 100 when rounded, not when rounded up."""
    assert shares_can_sum(["33,3%", "33,3%", "33,3%"])
    assert shares_can_sum(["33,4%", "33,3%", "33,3%"])
    assert not shares_can_sum(["33,3%", "33,3%", "33,3%"], rounding=decimal.ROUND_UP)
    assert shares_can_sum(["33,3%", "33,3%", "33,3%"], rounding=decimal.ROUND_DOWN)
    assert not shares_can_sum(["59,75%", "7,48%"])
    assert shares_can_sum(["59,75%", "7,48%"], total=Decimal("67.23"))
    assert shares_can_sum(["50%", "51%"])  # 49.5 + 50.5
    assert not shares_can_sum(["50%", "52%"])
    assert shares_can_sum(["50%", "50,5%"], places=1) is False


def test_shares_half_even_ends() -> None:
    """Half-even shares whose last digits are odd cannot reach the sum bound exactly."""
    # 0.5 % and 99.5 %: at 0 places 0 and 100 would be written, so use 1 and 99 (odd).
    assert not shares_can_sum(["1%", "98%"], rounding=decimal.ROUND_HALF_EVEN)
    assert shares_can_sum(["1%", "99%"], rounding=decimal.ROUND_HALF_EVEN)
    assert not shares_can_sum(["1%", "1%", "97%"], total=Decimal("100.5"))


# --- zero and uninformative cases ---


def test_zero_achieved_zero_percent_is_uninformative() -> None:
    """0 % of target with nothing achieved fits every target: ValidationError, not a range."""
    with pytest.raises(ValidationError, match="uninformative"):
        implied_targets(0, "0%")


def test_positive_achieved_zero_percent_is_unbounded() -> None:
    """0,0 % with something achieved fits every large enough target: ValidationError."""
    with pytest.raises(ValidationError, match="no upper"):
        implied_targets(5, "0,0%")
    with pytest.raises(ValidationError, match="no upper"):
        implied_targets(1, "0,1%", rounding=decimal.ROUND_UP)


def test_zero_achieved_positive_percent_fits_nothing() -> None:
    """Nothing achieved cannot be 5 % of any target."""
    assert implied_targets(0, "5%") == range(0)
    assert len(implied_targets(0, "5%")) == 0


def test_round_up_zero_needs_exact_zero() -> None:
    """Rounding up, 0 % means exactly nothing: some achieved gives no target."""
    assert implied_targets(3, "0%", rounding=decimal.ROUND_UP) == range(0)
    assert percent_possible(7, "0%", rounding=decimal.ROUND_UP)


def test_percent_over_100_never_possible_in_group() -> None:
    """A share above 100 % fits no count of a group, and min_denominator says so."""
    assert not percent_possible(110, "104,5%")
    with pytest.raises(ValidationError, match="at most 100"):
        min_denominator(["104,5%"])


# --- errors ---


@pytest.mark.parametrize("text", ["abc%", "60,5", "60.5", "6,0,5%", ""])
def test_bad_text_is_parse_error_quoting_it(text: str) -> None:
    """Text that is not a percent in either locale raises ParseError quoting the text."""
    with pytest.raises(ParseError) as info:
        implied_targets(10, text)
    assert repr(text) in str(info.value)


def test_stated_percent_reads_either_decimal_mark() -> None:
    """'60,5%' and '60.5%' give the same targets, as a claim and --percent read them."""
    assert implied_targets(4537, "60,5%") == implied_targets(4537, "60.5%") != range(0)


def test_negative_places_rejected() -> None:
    """places below 0 is a ValidationError naming the field."""
    with pytest.raises(ValidationError) as info:
        percent_possible(10, "50%", places=-1)
    assert info.value.field == "places"


def test_places_fewer_than_written_rejected() -> None:
    """Claiming 1 place for a percent written with 2 is a contradiction, not a rounding."""
    with pytest.raises(ValidationError, match="more than 1 decimals"):
        implied_targets(268, "76,57%", places=1)


@pytest.mark.parametrize(
    "call",
    [
        lambda: implied_targets(268, "76,57%", rounding="ROUND_SIDEWAYS"),
        lambda: percent_possible(10, "50%", rounding="half up"),
        lambda: min_denominator(["50%"], rounding="ROUND_05"),
        lambda: shares_can_sum(["50%", "50%"], rounding="nearest"),
        lambda: reproducing_roundings(1, 2, "50%", modes=["ROUND_HALF_UP", "bankers"]),
    ],
)
def test_unknown_rounding_rejected(call: object) -> None:
    """An unknown rounding mode is a ValidationError naming the rounding field."""
    assert callable(call)
    with pytest.raises(ValidationError) as info:
        call()
    assert info.value.field == "rounding"


def test_other_bad_arguments() -> None:
    """Negative percents, floats, empty groups and non-positive sizes are refused."""
    with pytest.raises(ValidationError, match="never negative"):
        percent_possible(10, "-5%")
    with pytest.raises(ValidationError):
        percent_possible(10, 50.0)  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        percent_possible(0, "50%")
    with pytest.raises(ValidationError):
        implied_targets(-1, "50%")
    with pytest.raises(ValidationError):
        informative(0, 1)
    with pytest.raises(ValidationError):
        min_denominator([])
    with pytest.raises(ValidationError):
        reproducing_roundings(1, 0, "50%")
    with pytest.raises(ValidationError):
        implied_targets(1, Decimal("NaN"))


# --- properties ---


@given(
    value=st.fractions(min_value=0, max_value=200),
    places=stated_places,
    mode=rounding_modes,
    nudge=st.integers(min_value=-8, max_value=8),
)
def test_interval_is_the_preimage_of_rounding(
    value: Fraction, places: int, mode: str, nudge: int
) -> None:
    """An exact percent is in a stated percent's interval iff it rounds to it."""
    stated = round_fraction(value, places, mode)
    probe = Fraction(stated) + Fraction(nudge, 4 * 10**places)
    if probe < 0:
        probe = Fraction(0)
    interval = rounding_interval(stated, places, mode)
    assert (probe in interval) == (round_fraction(probe, places, mode) == stated)
    assert value in interval


@given(
    achieved=st.integers(min_value=1, max_value=5000),
    target=st.integers(min_value=1, max_value=5000),
    places=stated_places,
    mode=rounding_modes,
)
def test_true_target_is_implied(achieved: int, target: int, places: int, mode: str) -> None:
    """The target a percent was computed from is among the targets it implies."""
    stated = round_fraction(Fraction(100 * achieved, target), places, mode)
    interval = rounding_interval(stated, places, mode)
    if interval.lo == 0:
        with pytest.raises(ValidationError):
            implied_targets(achieved, stated, rounding=mode)
    else:
        assert target in implied_targets(achieved, stated, rounding=mode)


@given(data=st.data(), achieved=st.integers(min_value=0, max_value=40), mode=rounding_modes)
def test_implied_targets_match_scan(data: st.DataObject, achieved: int, mode: str) -> None:
    """implied_targets is exactly the set of targets a scan finds, and nothing beyond it."""
    places = data.draw(st.integers(min_value=0, max_value=2))
    stated = data.draw(stated_percents(places, max_percent=300))
    scanned = [t for t in range(1, SCAN + 1) if _fits(achieved, t, stated, places, mode)]
    try:
        targets = implied_targets(achieved, stated, rounding=mode)
    except ValidationError:
        # Uninformative: arbitrarily large targets fit.
        assert _fits(achieved, 10**9, stated, places, mode)
        assert _fits(achieved, 10**9 + 1, stated, places, mode)
        return
    assert [t for t in targets if t <= SCAN] == scanned
    if targets:
        assert targets.start == 1 or not _fits(achieved, targets.start - 1, stated, places, mode)
        assert not _fits(achieved, targets.stop, stated, places, mode)


@given(data=st.data(), n=st.integers(min_value=1, max_value=300), mode=rounding_modes)
def test_percent_possible_matches_scan(data: st.DataObject, n: int, mode: str) -> None:
    """percent_possible agrees with trying every count 0..n."""
    places = data.draw(st.integers(min_value=0, max_value=2))
    stated = data.draw(stated_percents(places, max_percent=110))
    assert percent_possible(n, stated, rounding=mode) == _possible(n, stated, places, mode)


@given(
    n=st.integers(min_value=1, max_value=10**6),
    data=st.data(),
    places=stated_places,
    mode=rounding_modes,
)
def test_actual_shares_are_possible(n: int, data: st.DataObject, places: int, mode: str) -> None:
    """A percent computed from k of n people passes the GRIM check for n."""
    k = data.draw(st.integers(min_value=0, max_value=n))
    stated = round_fraction(Fraction(100 * k, n), places, mode)
    assert percent_possible(n, stated, rounding=mode)


@given(
    n0=st.integers(min_value=1, max_value=60),
    data=st.data(),
    places=st.integers(min_value=0, max_value=1),
    mode=rounding_modes,
)
def test_min_denominator_matches_scan(
    n0: int, data: st.DataObject, places: int, mode: str
) -> None:
    """min_denominator is the first n a scan finds, at most the true n, and fits every share."""
    ks = data.draw(st.lists(st.integers(min_value=0, max_value=n0), min_size=1, max_size=3))
    stated = [round_fraction(Fraction(100 * k, n0), places, mode) for k in ks]
    found = min_denominator(stated, rounding=mode)
    scanned = next(
        n for n in range(1, n0 + 1) if all(_possible(n, s, places, mode) for s in stated)
    )
    assert found == scanned
    assert found <= n0
    assert all(percent_possible(found, s, rounding=mode) for s in stated)


@given(n=st.integers(min_value=1, max_value=120), mode=rounding_modes)
def test_informative_matches_scan(n: int, mode: str) -> None:
    """informative(n, 0) is True exactly when some whole percent is impossible for n."""
    impossible = any(not percent_possible(n, Decimal(v), rounding=mode) for v in range(101))
    assert informative(n, 0) == impossible


@given(
    counts=st.lists(st.integers(min_value=0, max_value=500), min_size=1, max_size=8).filter(
        lambda cs: sum(cs) > 0
    ),
    places=stated_places,
    mode=rounding_modes,
)
def test_largest_remainder_shares_can_sum(counts: list[int], places: int, mode: str) -> None:
    """Shares made to add up by largest remainders always pass shares_can_sum."""
    shares = list(
        largest_remainder_shares({str(i): c for i, c in enumerate(counts)}, places).values()
    )
    assert sum(shares) == 100
    assert shares_can_sum(shares, places=places, rounding=mode)


@given(
    counts=st.lists(st.integers(min_value=0, max_value=500), min_size=1, max_size=8).filter(
        lambda cs: sum(cs) > 0
    ),
    places=stated_places,
    mode=rounding_modes,
)
def test_independently_rounded_shares_can_sum(counts: list[int], places: int, mode: str) -> None:
    """Shares each rounded from the exact counts pass, even when they do not add to 100."""
    total = sum(counts)
    shares = [round_fraction(Fraction(100 * c, total), places, mode) for c in counts]
    assert shares_can_sum(shares, places=places, rounding=mode)


@given(
    counts=st.lists(st.integers(min_value=0, max_value=500), min_size=1, max_size=8).filter(
        lambda cs: sum(cs) > 0
    ),
    places=stated_places,
)
def test_shares_off_by_a_step_each_fail(counts: list[int], places: int) -> None:
    """Adding one last-place step to every rounded share makes the sum impossible (half up)."""
    total = sum(counts)
    step = Decimal(1).scaleb(-places)
    shares = [round_fraction(Fraction(100 * c, total), places) + step for c in counts]
    assert not shares_can_sum(shares, places=places)


@given(
    numerator=st.integers(min_value=0, max_value=10**5),
    denominator=st.integers(min_value=1, max_value=10**5),
    places=stated_places,
    mode=rounding_modes,
)
def test_reproducing_roundings_finds_the_mode_used(
    numerator: int, denominator: int, places: int, mode: str
) -> None:
    """The mode that produced a figure is among those reported, and every reported one works."""
    stated = round_fraction(Fraction(100 * numerator, denominator), places, mode)
    modes = reproducing_roundings(numerator, denominator, stated, modes=sorted({mode, *_ALL}))
    assert mode in modes
    for m in modes:
        assert round_fraction(Fraction(100 * numerator, denominator), places, m) == stated
