"""Checking a ledger's claims and roll-ups: the sample's verdicts and the laws they obey."""

from __future__ import annotations

import decimal
import unicodedata
from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.strategies import rollup_families, stated_places

from partydev import (
    Claim,
    Ledger,
    Period,
    Tally,
    Target,
    Term,
    Unit,
    check_claims,
    check_rollup,
    sample_ledger,
)
from partydev.checks import verdicts_report
from partydev.checks.verdicts import CONVENTIONS, Verdict
from partydev.numbers import format_number, round_fraction

AS_OF = date(2023, 6, 30)
TERM = Term("2020-2025", "2020–2025", date(2020, 10, 1), date(2025, 12, 31))
TO_DATE = Period.between(date(2021, 1, 1), AS_OF)


@pytest.fixture(scope="module")
def verdicts() -> dict[str, Verdict]:
    """The sample's verdicts as of 30/6/2023, by claim id."""
    return {v.claim: v for v in check_claims(sample_ledger(), AS_OF)}


def test_one_verdict_per_claim(verdicts: dict[str, Verdict]) -> None:
    """Every claim of the sample gets exactly one verdict, in claim order."""
    ledger = sample_ledger()
    assert [v.claim for v in check_claims(ledger, AS_OF)] == [c.id for c in ledger.claims]


def test_province_percent_consistent(verdicts: dict[str, Verdict]) -> None:
    """The province's 60,5% is 4,537 of the resolution's 7,500, rounded half up."""
    v = verdicts["qn-term-percent"]
    assert v.status == "consistent"
    assert v.computed == Decimal("60.5")
    assert v.stated_value == Decimal("60.5")
    assert v.roundings[0] == decimal.ROUND_HALF_UP
    assert decimal.ROUND_DOWN not in v.roundings  # 60.493...% truncates to 60.4
    assert (v.base, v.base_value, v.base_source) == ("target", 7500, "resolution")
    assert v.describe_base("en") == "Target 7,500 (Congress resolution)"
    assert v.implied == range(7493, 7506)
    assert "4,537" in v.reason_en
    assert "7,500" in v.reason_en


def test_nam_giang_implies_350(verdicts: dict[str, Verdict]) -> None:
    """Nam Giang's 76,57% implies a target of exactly 350; the ledger's 350 is derived."""
    v = verdicts["ng-percent"]
    assert v.status == "consistent"
    assert v.implied == range(350, 351)
    assert v.computed == Decimal("76.57")
    assert "derived_target" in v.flags
    assert "implies a target of exactly 350" in v.reason_en
    assert "đúng bằng 350" in v.reason_vi


@pytest.mark.parametrize(
    ("claim", "plan", "percent"),
    [("tk-2021-percent", 110, Decimal("104.5")), ("tk-2022-percent", 115, Decimal("121.7"))],
)
def test_tam_ky_plans(
    verdicts: dict[str, Verdict], claim: str, plan: int, percent: Decimal
) -> None:
    """Tam Kỳ's 104,5% and 121,7% imply the plans 110 and 115, assigned from above."""
    v = verdicts[claim]
    assert v.status == "consistent"
    assert v.implied == range(plan, plan + 1)
    assert (v.base_value, v.base_source, v.computed) == (plan, "assigned", percent)


@pytest.mark.parametrize("claim", ["tk-college-university", "tk-vocational"])
def test_tam_ky_shares_impossible(verdicts: dict[str, Verdict], claim: str) -> None:
    """59,75% and 7,48% need a group of 815 > 335: inconsistent though the breakdown is missing."""
    v = verdicts[claim]
    assert v.status == "inconsistent"
    assert v.min_group == 815
    assert (v.base, v.base_value) == ("admitted", 335)
    assert v.reason_en == (
        "59.75% and 7.48% need a group of at least 815, more than the 335 admitted in the term"
    )
    assert "815" in v.reason_vi
    assert "335" in v.reason_vi


def test_yearly_excess_unverifiable(verdicts: dict[str, Verdict]) -> None:
    """Nam Giang's "17% a year" names the missing assigned annual targets."""
    v = verdicts["ng-yearly-excess"]
    assert v.status == "unverifiable"
    assert v.computed is None
    assert "annual targets for" in v.reason_en
    assert "Nam Giang" in v.reason_en
    assert "(assigned) are not in the ledger: 2021, 2022" in v.reason_en


@pytest.mark.parametrize(
    ("claim", "count"),
    [
        ("qn-2021", 1732),
        ("qn-2022", 1877),
        ("qn-term-count", 4537),
        ("ng-count", 268),
        ("tk-2021", 115),
        ("tk-2022", 140),
        ("tk-2023-h1", 80),
        ("bloc-count", 485),
        ("qn-members", 71441),
    ],
)
def test_counts_consistent(verdicts: dict[str, Verdict], claim: str, count: int) -> None:
    """Each stated count and the membership total equal what the ledger gives."""
    v = verdicts[claim]
    assert (v.status, v.computed, v.stated_value) == ("consistent", count, count)


def test_targets_consistent(verdicts: dict[str, Verdict]) -> None:
    """1.500 a year matches the resolution; "more than 100" matches Tam Kỳ's minimum of 100."""
    assert verdicts["qn-2021-target"].status == "consistent"
    assert verdicts["qn-2021-target"].computed == 1500
    tk = verdicts["tk-resolution"]
    assert (tk.status, tk.computed, tk.base_source) == ("consistent", 100, "resolution")


def test_bloc_nearly(verdicts: dict[str, Verdict]) -> None:
    """The bloc "nearly reached" its 500: 485 is 97,0%."""
    v = verdicts["bloc-nearly"]
    assert (v.status, v.computed, v.base_value) == ("consistent", Decimal("97.0"), 500)
    assert str(v.computed) == "97.0"


def test_young_share_missing_breakdown(verdicts: dict[str, Verdict]) -> None:
    """ "More than 91%" young cannot be checked without an age breakdown; GRIM is uninformative."""
    v = verdicts["tk-young"]
    assert v.status == "unverifiable"
    assert "breakdown" in v.reason_en
    assert "Young" in v.reason_en
    assert "uninformative" in v.flags


def test_reasons_are_nfc(verdicts: dict[str, Verdict]) -> None:
    """Every reason exists in both languages, in NFC."""
    for v in verdicts.values():
        assert v.reason_vi
        assert v.reason_en
        assert unicodedata.normalize("NFC", v.reason_vi) == v.reason_vi


def test_stated_nearly_too_far() -> None:
    """ "Nearly" 100% fails below the 90% floor, and for a figure already reached."""
    for got, status in ((449, "inconsistent"), (450, "consistent"), (500, "inconsistent")):
        ledger = _ledger(got, 500, "100%", comparison="nearly")
        assert check_claims(ledger)[0].status == status


def test_other_target_named() -> None:
    """A percent reproduced only by the internal target is consistent and says so."""
    ledger = _ledger(115, 110, "95,8%", source="assigned")
    ledger = ledger.evolve(targets=(*ledger.targets, Target("u", TERM.id, 120, source="internal")))
    v = check_claims(ledger)[0]
    assert (v.status, v.base_value, v.base_source) == ("consistent", 120, "internal")
    assert v.flags == ("base_differs",)
    assert "not the assigned by higher level one" in v.reason_en


def test_missing_target_gives_implied() -> None:
    """Without any target, a percent is unverifiable but still names the target it implies."""
    ledger = _ledger(268, 350, "76,57%").evolve(targets=())
    v = check_claims(ledger)[0]
    assert (v.status, v.implied) == ("unverifiable", range(350, 351))
    assert "implies a target of 350" in v.reason_en


def test_province_rollup() -> None:
    """The province's 4,537 covers 268 + 335 + 485 = 1,088, with a gap of 3,449."""
    findings = check_rollup(sample_ledger(), AS_OF, TO_DATE)
    assert len(findings) == 1
    f = findings[0]
    assert (f.unit, f.status, f.reported, f.summed, f.gap) == (
        "quang-nam",
        "consistent",
        4537,
        1088,
        3449,
    )
    assert f.children == (("nam-giang", 268), ("tam-ky", 335), ("khoi-co-quan", 485))
    assert check_rollup(sample_ledger(), AS_OF, TO_DATE, exhaustive=True)[0].status == (
        "inconsistent"
    )


def test_rollup_all_periods_partial() -> None:
    """Without a period, each reported period is checked; undetermined sub-units are partial."""
    findings = {f.period.key: f for f in check_rollup(sample_ledger(), AS_OF)}
    assert set(findings) == {"2021", "2022", "2023-H1", TO_DATE.key}
    year = findings["2021"]
    assert (year.summed, year.gap, year.flags) == (None, 1732 - 115, ("partial",))
    assert year.status == "unverifiable"  # a lower bound cannot confirm the total
    assert "cannot be confirmed while some sub-units' figures are missing" in year.reason_en
    assert "chưa kiểm chứng được" in year.reason_vi


def test_report_tables() -> None:
    """The verdicts report has the verdicts and rollup tables, with codes that have labels."""
    ledger = sample_ledger()
    report = verdicts_report(
        check_claims(ledger, AS_OF), check_rollup(ledger, AS_OF), ledger=ledger
    )
    rows = {r["claim_id"]: r for r in report.table("verdicts").records()}
    assert rows["ng-percent"]["implied_low"] == rows["ng-percent"]["implied_high"] == 350
    assert rows["tk-vocational"]["status"] == "inconsistent"
    assert rows["tk-vocational"]["min_group"] == 815
    assert rows["qn-term-count"]["computed"] == Decimal(4537)
    assert len(report.table("rollup").rows) == 4


# --- properties ---------------------------------------------------------------------------


def _ledger(
    achieved: int,
    target: int,
    stated: str,
    *,
    comparison: str = "exact",
    source: str = "resolution",
) -> Ledger:
    return Ledger(
        units=[Unit("u", "Đảng bộ U", "province")],
        terms=[TERM],
        targets=[Target("u", TERM.id, target, source=source)],  # type: ignore[arg-type]
        tallies=[Tally("u", TO_DATE, achieved, inclusive=True)],
        claims=[
            Claim(
                "c",
                "u",
                "percent_of_target",
                stated,
                term=TERM.id,
                as_of=AS_OF,
                comparison=comparison,  # type: ignore[arg-type]
                target_source=source,  # type: ignore[arg-type]
            )
        ],
    )


@settings(max_examples=150, deadline=None)
@given(
    st.integers(min_value=0, max_value=200_000),
    st.integers(min_value=1, max_value=200_000),
    stated_places,
    st.sampled_from(CONVENTIONS),
)
def test_claim_from_own_figures_consistent(
    achieved: int, target: int, places: int, mode: str
) -> None:
    """A percent of target rounded from the ledger's own figures, any convention, is consistent."""
    value = round_fraction(Fraction(100 * achieved, target), places, mode)
    v = check_claims(_ledger(achieved, target, format_number(value, "vi") + "%"))[0]
    assert v.status == "consistent"
    assert mode in v.roundings


@settings(max_examples=150, deadline=None)
@given(
    st.integers(min_value=0, max_value=200_000),
    st.integers(min_value=1, max_value=200_000),
    stated_places,
    st.booleans(),
)
def test_perturbed_claim_inconsistent(achieved: int, target: int, places: int, down: bool) -> None:
    """A percent one last-place unit outside every convention's interval is inconsistent."""
    exact = Fraction(100 * achieved, target)
    step = Decimal(1).scaleb(-places)
    low = round_fraction(exact, places, decimal.ROUND_DOWN) - step
    high = round_fraction(exact, places, decimal.ROUND_UP) + step
    value = low if down and low >= 0 else high
    v = check_claims(_ledger(achieved, target, format_number(value, "vi") + "%"))[0]
    assert v.status == "inconsistent"
    assert v.roundings == ()


@settings(max_examples=100, deadline=None)
@given(rollup_families(), st.integers(min_value=0, max_value=10_000))
def test_rollup_parent_covering_children(family: tuple[int, ...], extra: int) -> None:
    """A parent whose total is at least its children's sum is consistent, with that gap."""
    f = check_rollup(_family(family, sum(family) + extra), AS_OF, Period.year(2022))[0]
    assert (f.status, f.summed, f.gap) == ("consistent", sum(family), extra)
    exhaustive = check_rollup(_family(family, sum(family) + extra), AS_OF, exhaustive=True)
    assert exhaustive[0].status == ("consistent" if extra == 0 else "inconsistent")


@settings(max_examples=100, deadline=None)
@given(rollup_families(), st.integers(min_value=1, max_value=10_000))
def test_rollup_parent_below_children(family: tuple[int, ...], short: int) -> None:
    """A parent reporting less than its children's sum is inconsistent, naming the gap."""
    total = sum(family) - short
    if total < 0:
        return
    f = check_rollup(_family(family, total), AS_OF, Period.year(2022))[0]
    assert (f.status, f.gap) == ("inconsistent", -short)


@settings(max_examples=100, deadline=None)
@given(rollup_families(), st.integers(min_value=0, max_value=10_000), st.booleans())
def test_rollup_partial_is_a_lower_bound(
    family: tuple[int, ...], total: int, exhaustive: bool
) -> None:
    """With one sub-unit's figure missing, the verdict is the one every figure it could
    have would give, and ``unverifiable`` when some would agree and others not: a lower
    bound can show a total too small, never confirm it."""
    found = check_rollup(_family(family, total, missing=1), AS_OF, exhaustive=exhaustive)[0]
    gap = total - sum(family)
    assert (found.summed, found.gap, found.flags) == (None, gap, ("partial",))
    candidates = {0, max(gap, 0), max(gap, 0) + 1}  # the missing figure: none, all, too much
    completed = {
        check_rollup(_family((*family, x), total), AS_OF, exhaustive=exhaustive)[0].status
        for x in candidates
    }
    assert found.status == (completed.pop() if len(completed) == 1 else "unverifiable")


def _family(children: tuple[int, ...], total: int, missing: int = 0) -> Ledger:
    """A province reporting *total* for 2022 over districts reporting *children*, and
    *missing* more districts without any figure."""
    units = [Unit("p", "Tỉnh P", "province")]
    tallies = [Tally("p", Period.year(2022), total, inclusive=True)]
    for i, count in enumerate(children):
        units.append(Unit(f"c{i}", f"Huyện {i}", "district", parent="p"))
        tallies.append(Tally(f"c{i}", Period.year(2022), count, inclusive=i % 2 == 0))
    for i in range(len(children), len(children) + missing):
        units.append(Unit(f"c{i}", f"Huyện {i}", "district", parent="p"))
    return Ledger(units=units, terms=[TERM], tallies=tallies)


def test_english_reasons_quote_english_numbers(verdicts: dict[str, Verdict]) -> None:
    """English reasons write stated figures the English way; Vietnamese ones as printed."""
    assert verdicts["qn-2021"].reason_en.endswith("matching 1,732")
    assert verdicts["qn-2021"].reason_vi.endswith("1.732")
    assert "consistent with 60.5%" in verdicts["qn-term-percent"].reason_en
    assert "khớp với 60,5%" in verdicts["qn-term-percent"].reason_vi
    for verdict in verdicts.values():
        assert "1.732" not in verdict.reason_en
        assert "60,5%" not in verdict.reason_en
