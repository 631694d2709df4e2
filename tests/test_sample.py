"""The seed: every figure DOMAIN.md says the Quảng Nam sample must reproduce."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from partydev.calc.achieved import Achievements
from partydev.model.periods import Period
from partydev.model.targets import ResolvedTarget, resolve_target
from partydev.numbers import Ratio, round_fraction
from partydev.shell.io import sample_ledger

AS_OF = date(2023, 6, 30)


def _figures() -> Achievements:
    return Achievements(sample_ledger(), AS_OF)


def _target(unit: str, period: Period | None = None, **kwargs: object) -> ResolvedTarget:
    ledger = sample_ledger()
    resolved = resolve_target(
        ledger.targets_of(unit),
        ledger.term("2020-2025"),
        period,
        **kwargs,  # type: ignore[arg-type]
    )
    assert resolved is not None
    return resolved


def test_province_2021_and_2022() -> None:
    """The province admitted 1,732 of 1,500 in 2021 and 1,877 of 1,500 in 2022."""
    figures = _figures()
    for year, admitted in ((2021, 1732), (2022, 1877)):
        assert figures.count("quang-nam", Period.year(year)) == admitted
        assert _target("quang-nam", Period.year(year)).count == 1500
    assert Ratio(1732, 1500).percent(1) == Decimal("115.5")


def test_province_term_to_date() -> None:
    """4,537 admitted to 30/6/2023 is 60.5% of the term target 7,500."""
    ledger = sample_ledger()
    admitted = _figures().count("quang-nam", ledger.term().target_period)
    target = _target("quang-nam")
    assert (admitted, target.count) == (4537, 7500)
    assert Ratio(admitted, target.count).percent(1) == Decimal("60.5")


def test_province_first_half_2023() -> None:
    """The province admitted 928 in the first half of 2023 (4,537 − 1,732 − 1,877)."""
    assert _figures().count("quang-nam", Period.half(2023, 1)) == 928 == 4537 - 1732 - 1877


def test_province_members() -> None:
    """The province had 71,441 members at 30/6/2023."""
    assert sample_ledger().members("quang-nam", AS_OF) == 71441


def test_nam_giang() -> None:
    """Nam Giang admitted 268, 76.57% of its (derived) term target 350."""
    ledger = sample_ledger()
    admitted = _figures().count("nam-giang", ledger.term().target_period)
    target = _target("nam-giang")
    assert (admitted, target.count, target.derived) == (268, 350, True)
    assert Ratio(admitted, target.count).percent(2) == Decimal("76.57")


def test_tam_ky() -> None:
    """Tam Kỳ: 115 is 104.5% of 110 (2021), 140 is 121.7% of 115 (2022), 80 in H1 2023."""
    figures = _figures()
    for year, admitted, plan, percent in ((2021, 115, 110, "104.5"), (2022, 140, 115, "121.7")):
        assert figures.count("tam-ky", Period.year(year)) == admitted
        target = _target("tam-ky", Period.year(year), source="assigned")
        assert (target.count, target.source) == (plan, "assigned")
        assert Ratio(admitted, target.count).percent(1) == Decimal(percent)
    assert figures.count("tam-ky", Period.half(2023, 1)) == 80


def test_tam_ky_resolution_minimum() -> None:
    """Tam Kỳ's own resolution asks at least 100 a year."""
    target = _target("tam-ky", Period.year(2023))
    assert (target.count, target.source, target.targets[0].kind) == (100, "resolution", "minimum")


def test_bloc() -> None:
    """The provincial agencies bloc admitted 485 of its 500 (97.0%): nearly reached."""
    ledger = sample_ledger()
    admitted = _figures().count("khoi-co-quan", ledger.term().target_period)
    target = _target("khoi-co-quan")
    assert (admitted, target.count) == (485, 500)
    assert Ratio(admitted, target.count).percent(1) == Decimal("97.0")


def _half_up_percent(k: int, n: int) -> Decimal:
    return round_fraction(Ratio(k, n).fraction * 100, 2, ROUND_HALF_UP)


def test_tam_ky_education_shares_unreproducible() -> None:
    """59.75% and 7.48% cannot both be shares of Tam Kỳ's 335: no k/335 gives 59.75%."""
    ledger = sample_ledger()
    claims = {claim.id: claim for claim in ledger.claims}
    college = claims["tk-college-university"]
    vocational = claims["tk-vocational"]
    assert (college.unit, college.stated, college.category) == (
        "tam-ky",
        "59,75%",
        "college_university",
    )
    assert (vocational.stated, vocational.category) == ("7,48%", "vocational")
    assert "cao đẳng, đại học chiếm 59,75%" in college.text
    assert "trung cấp chiếm 7,48%" in vocational.text
    assert college.source == vocational.source == "Báo Quảng Nam, 7/7/2023"
    group = _figures().count("tam-ky", ledger.term().target_period)
    assert group == 335
    shares = {_half_up_percent(k, group) for k in range(group + 1)}
    assert Decimal("59.75") not in shares
    assert Decimal("7.48") not in shares
    # The nearest the group can come, either side of the stated figure.
    assert _half_up_percent(200, group) == Decimal("59.70")
    assert _half_up_percent(201, group) == Decimal("60.00")


def test_nam_giang_yearly_excess_unreproducible() -> None:
    """Nam Giang's '17% a year' needs assigned annual targets the ledger does not have."""
    ledger = sample_ledger()
    claim = next(c for c in ledger.claims if c.id == "ng-yearly-excess")
    assert (claim.unit, claim.kind, claim.stated) == ("nam-giang", "average_exceedance", "17%")
    assert claim.target_source == "assigned"
    assert "Ban Thường vụ Tỉnh ủy giao" in claim.text
    term = ledger.term("2020-2025")
    targets = ledger.targets_of("nam-giang")
    assert [t.period for t in targets] == [None]
    for year in range(2021, 2026):
        assert resolve_target(targets, term, Period.year(year), source="assigned") is None
    assert resolve_target(targets, term, Period.year(2021)) is None


def _reachable(hundredths: int, n: int) -> bool:
    """Whether some k/n rounds half up to *hundredths*/100 percent (integer arithmetic)."""
    low, high = (2 * hundredths - 1) * n, (2 * hundredths + 1) * n  # 20000·k in [low, high)
    k = -(-low // 20000)
    return 20000 * k < high


def test_smallest_group_for_both_shares_is_815() -> None:
    """The claims' note is right: 59.75% and 7.48% together need a group of at least 815."""
    both = [n for n in range(1, 1000) if _reachable(5975, n) and _reachable(748, n)]
    assert both[0] == 815
    assert not _reachable(5975, 335)
    assert all(
        _reachable(h, n) == (Decimal(h) / 100 in {_half_up_percent(k, n) for k in range(n + 1)})
        for h, n in ((5975, 335), (748, 335), (5975, 815), (748, 815), (5970, 335))
    )
