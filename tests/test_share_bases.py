"""Share claims and their base: stated, or found among the intake, the target, the membership."""

from __future__ import annotations

import csv
import decimal
from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.strategies import stated_places

from partydev import (
    Claim,
    Ledger,
    Membership,
    Period,
    Tally,
    Target,
    Term,
    Unit,
    ValidationError,
    check_claims,
    dumps_ledger,
    loads_ledger,
)
from partydev.checks import reproducing_roundings, verdicts_report
from partydev.checks.verdicts import CONVENTIONS, Verdict
from partydev.model import Category
from partydev.model.claims import ShareBase
from partydev.numbers import format_number, round_fraction
from partydev.shell.cli import main

# A provincial report's figures: 1.351 admitted in 2023 against a plan of 2.800, and
# women printed as "20,14%": 564 of the 2.800 of the plan, not of the 1.351 admitted.
PROVINCE = """
schema = "partydev-ledger/1"
title = "Tỉnh A: phát triển đảng viên năm 2023"

[[units]]
id = "tinh-a"
name = "Đảng bộ tỉnh A"
level = "province"

[[terms]]
id = "2020-2025"
label = "2020–2025"
start = 2020-10-01
end = 2025-12-31

[[targets]]
unit = "tinh-a"
term = "2020-2025"
value = 2800
period = "2023"
source = "assigned"

[[tallies]]
unit = "tinh-a"
period = "2023"
count = 1351
inclusive = true
breakdown = { female = 564, youth_union = 1100, ethnic = 84, worker = 650, farmer = 300 }

[[memberships]]
unit = "tinh-a"
date = 2023-12-31
members = 96380

[[categories]]
id = "female"
label_vi = "Nữ"
label_en = "Women"
attribute = "sex"
values = ["female"]

[[categories]]
id = "youth_union"
label_vi = "Đoàn viên"
label_en = "Youth union members"
attribute = "youth_union"
values = ["yes"]

[[categories]]
id = "ethnic"
label_vi = "Dân tộc thiểu số"
label_en = "Ethnic minorities"
attribute = "ethnic_minority"
values = ["yes"]

[[categories]]
id = "worker"
label_vi = "Công nhân"
label_en = "Workers"
attribute = "occupation"
values = ["worker"]

[[categories]]
id = "farmer"
label_vi = "Nông dân"
label_en = "Farmers"
attribute = "occupation"
values = ["farmer"]

[[categories]]
id = "student"
label_vi = "Học sinh, sinh viên"
label_en = "Students"
attribute = "occupation"
values = ["student"]

[[categories]]
id = "young"
label_vi = "Đảng viên trẻ"
label_en = "Young"
max_age = 30

[[claims]]
id = "women"
unit = "tinh-a"
kind = "share"
stated = "20,14%"
category = "female"
term = "2020-2025"
period = "2023"
text = "kết nạp 1.351 đảng viên, trong đó nữ 564 (20,14%)"

[[claims]]
id = "women-of-intake"
unit = "tinh-a"
kind = "share"
stated = "41,75%"
category = "female"
term = "2020-2025"
period = "2023"
base = "admitted"

[[claims]]
id = "women-said-intake"
unit = "tinh-a"
kind = "share"
stated = "20,14%"
category = "female"
term = "2020-2025"
period = "2023"
base = "admitted"

[[claims]]
id = "youth-of-plan"
unit = "tinh-a"
kind = "share"
stated = "39,29%"
category = "youth_union"
term = "2020-2025"
period = "2023"
base = "target"

[[claims]]
id = "workers-of-members"
unit = "tinh-a"
kind = "share"
stated = "0,67%"
category = "worker"
term = "2020-2025"
period = "2023"
as_of = 2023-12-31
base = "members"

[[claims]]
id = "ethnic-truncated"
unit = "tinh-a"
kind = "share"
stated = "6,21%"
category = "ethnic"
term = "2020-2025"
period = "2023"

[[claims]]
id = "farmers-nowhere"
unit = "tinh-a"
kind = "share"
stated = "25%"
category = "farmer"
term = "2020-2025"
period = "2023"
as_of = 2023-12-31

[[claims]]
id = "students-of-plan"
unit = "tinh-a"
kind = "share"
stated = "1,12%"
category = "student"
term = "2020-2025"
period = "2023"
base = "target"

[[claims]]
id = "young-either"
unit = "tinh-a"
kind = "share"
stated = "1,00%"
category = "young"
term = "2020-2025"
period = "2023"
"""


@pytest.fixture(scope="module")
def ledger() -> Ledger:
    """The provincial ledger, read from TOML."""
    return loads_ledger(PROVINCE)


@pytest.fixture(scope="module")
def verdicts(ledger: Ledger) -> dict[str, Verdict]:
    """The provincial ledger's verdicts, by claim id."""
    return {v.claim: v for v in check_claims(ledger)}


def test_base_reads_and_writes_back(ledger: Ledger) -> None:
    """`base` is read from TOML, written to JSON only when stated, and survives the round trip."""
    claims = {c.id: c for c in ledger.claims}
    assert claims["women"].base is None
    assert claims["youth-of-plan"].base == "target"
    assert claims["workers-of-members"].base == "members"
    text = dumps_ledger(ledger)
    assert text.count('"base": ') == 5
    again = loads_ledger(text, "again.json")
    assert again.claims == ledger.claims


def test_target_base_found(verdicts: dict[str, Verdict]) -> None:
    """564 of 1.351 printed as 20,14% is reproduced on the 2.800 target, flagged base_differs."""
    v = verdicts["women"]
    assert v.status == "consistent"
    assert (v.base, v.base_value, v.base_source, v.stated_base) == (
        "target",
        2800,
        "assigned",
        None,
    )
    assert v.flags == ("base_differs",)
    assert v.computed == decimal.Decimal("20.14")
    assert v.roundings == ("ROUND_HALF_UP", "ROUND_DOWN", "ROUND_HALF_EVEN")
    assert "reproduced on the target (2,800), not on the number admitted (1,351)" in v.reason_en
    assert "khớp khi tính trên chỉ tiêu (2.800), không phải số kết nạp (1.351)" in v.reason_vi
    assert v.reason_en.startswith("564 of the target 2,800 (Assigned by higher level) in 2023")


def test_stated_admitted_base(verdicts: dict[str, Verdict]) -> None:
    """A share stated on the intake is checked on it alone: 564 of 1.351 is 41,75%."""
    v = verdicts["women-of-intake"]
    assert (v.status, v.base, v.base_value, v.stated_base) == (
        "consistent",
        "admitted",
        1351,
        "admitted",
    )
    assert v.flags == ()
    assert v.reason_en.startswith("564 of the 1,351 admitted in 2023 is 41.75% (round half up")


def test_stated_base_not_reproducing_names_other(verdicts: dict[str, Verdict]) -> None:
    """20,14% stated on the intake is inconsistent; the reason names the target that gives it."""
    v = verdicts["women-said-intake"]
    assert (v.status, v.base, v.base_value, v.roundings) == ("inconsistent", "admitted", 1351, ())
    assert "not 20.14% under any rounding convention" in v.reason_en
    assert v.reason_en.endswith("20.14% is reproduced on the target (2,800) instead")
    assert v.reason_vi.endswith("20,14% khớp khi tính trên chỉ tiêu (2.800)")


def test_stated_target_base(verdicts: dict[str, Verdict]) -> None:
    """A share stated on the target is consistent there, without base_differs."""
    v = verdicts["youth-of-plan"]
    assert (v.status, v.base, v.base_value, v.stated_base, v.flags) == (
        "consistent",
        "target",
        2800,
        "target",
        (),
    )


def test_stated_members_base(verdicts: dict[str, Verdict]) -> None:
    """A share stated on the membership uses the snapshot on the claim's date: 650 of 96.380."""
    v = verdicts["workers-of-members"]
    assert (v.status, v.base, v.base_value, v.stated_base) == (
        "consistent",
        "members",
        96380,
        "members",
    )
    assert "the 96,380 members (on 2023-12-31)" in v.reason_en
    assert "96.380 đảng viên (ngày 31/12/2023)" in v.reason_vi


def test_truncation_named(verdicts: dict[str, Verdict], ledger: Ledger) -> None:
    """84 of 1.351 is 6,217…%: only truncation gives 6,21%, and the reason and table say so."""
    v = verdicts["ethnic-truncated"]
    assert (v.status, v.base, v.roundings) == ("consistent", "admitted", ("ROUND_DOWN",))
    assert "is 6.21% (truncate), consistent with 6.21%" in v.reason_en
    assert "(cắt bỏ (không làm tròn))" in v.reason_vi
    rows = {
        r["claim_id"]: r for r in verdicts_report(verdicts.values()).table("verdicts").records()
    }
    assert rows["ethnic-truncated"]["rounding"] == "ROUND_DOWN"
    assert rows["women"]["base"] == "target"
    assert rows["women"]["base_differs"] == "yes"
    assert rows["women"]["stated_base"] is None
    assert rows["youth-of-plan"]["stated_base"] == "target"


def test_no_base_reproduces(verdicts: dict[str, Verdict]) -> None:
    """25% is no base's share of 300: inconsistent, naming every base tried."""
    v = verdicts["farmers-nowhere"]
    assert (v.status, v.base, v.base_value, v.roundings) == ("inconsistent", "admitted", 1351, ())
    assert v.reason_en.endswith("nor on the target (2,800) or the membership (96,380)")
    assert "cũng không khớp khi tính trên chỉ tiêu (2.800) hay tổng số đảng viên (96.380)" in (
        v.reason_vi
    )


def test_grim_uses_stated_base(verdicts: dict[str, Verdict]) -> None:
    """Without a breakdown, 1,12% stated on the target is impossible for 2.800 (not for 1.351)."""
    v = verdicts["students-of-plan"]
    assert (v.status, v.base, v.base_value) == ("inconsistent", "target", 2800)
    assert v.reason_en == (
        "1.12% cannot be shares of the target 2,800 (Assigned by higher level) in 2023 "
        "under any rounding convention"
    )


def test_grim_looks_at_other_bases(verdicts: dict[str, Verdict]) -> None:
    """1,00% is no share of 1.351 but is one of 2.800: unverifiable without a breakdown."""
    v = verdicts["young-either"]
    assert (v.status, v.base, v.base_value) == ("unverifiable", "admitted", 1351)
    assert "cannot be a share of the 1,351 admitted in 2023, but can be one of the target" in (
        v.reason_en
    )


def test_found_base_spares_other_shares(ledger: Ledger) -> None:
    """A share found on the target does not make the intake's other shares impossible."""
    women = next(c for c in ledger.claims if c.id == "women")
    young = Claim("young", "tinh-a", "share", "1,12%", term=TERM.id, period=YEAR, category="young")
    verdicts = check_claims(ledger.evolve(claims=(women, young)))
    assert [(v.claim, v.status, v.base) for v in verdicts] == [
        ("women", "consistent", "target"),
        ("young", "unverifiable", "admitted"),  # 1,12% is a possible share of 1.351
    ]
    assert "no breakdown" in verdicts[1].reason_en


@pytest.mark.parametrize(
    ("base", "missing"),
    [("target", "has no target for Đảng bộ tỉnh A in 2023"), ("members", "no membership total")],
)
def test_stated_base_missing(ledger: Ledger, base: ShareBase, missing: str) -> None:
    """A share stated on a base the ledger lacks is unverifiable, naming what is missing."""
    bare = ledger.evolve(targets=(), memberships=())
    claim = Claim(
        "c", "tinh-a", "share", "20,14%", term=TERM.id, period=YEAR, category="female", base=base
    )
    v = check_claims(bare.evolve(claims=(claim,)))[0]
    assert (v.status, v.stated_base) == ("unverifiable", base)
    assert missing in v.reason_en


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"base": "intake"}, "base"), ({"kind": "count", "stated": "564"}, "base")],
)
def test_bad_base_rejected(changes: dict[str, str], field: str) -> None:
    """An unknown base, or a base on a claim that is not a share, is a ValidationError."""
    fields = {"id": "c", "unit": "u", "kind": "share", "stated": "20%", "base": "target"}
    with pytest.raises(ValidationError) as caught:
        Claim(**{**fields, **changes})  # type: ignore[arg-type]
    assert caught.value.field == field


def test_cli_names_base_and_rounding(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`partydev check` prints the base found and the rounding; the CSV has the base columns."""
    path = tmp_path / "tinh-a.toml"
    path.write_text(PROVINCE, encoding="utf-8")
    assert main(["check", str(path), "--locale", "en"]) == 1  # 20,14% stated on the intake
    out = capsys.readouterr().out
    assert "reproduced on the target (2,800), not on the number admitted (1,351)" in out
    assert "(truncate), consistent with 6.21%" in out
    exported = tmp_path / "verdicts.csv"
    assert main(["check", str(path), "-o", str(exported), "--locale", "en"]) == 1
    rows = csv.DictReader(exported.read_text(encoding="utf-8-sig").splitlines())
    by_id = {row["Claim id"]: row for row in rows}
    assert (by_id["women"]["Base"], by_id["women"]["Base value"]) == ("target", "2800")
    assert (by_id["women"]["Other base"], by_id["women"]["Stated base"]) == ("yes", "")
    assert by_id["youth-of-plan"]["Stated base"] == "target"
    assert by_id["ethnic-truncated"]["Reproducing rounding"] == "ROUND_DOWN"


# --- properties ---------------------------------------------------------------------------

TERM = Term("2020-2025", "2020–2025", date(2020, 10, 1), date(2025, 12, 31))
YEAR = Period.year(2023)


def _ledger(admitted: int, number: int, target: int, members: int, stated: str) -> Ledger:
    return Ledger(
        units=[Unit("u", "Đảng bộ U", "province")],
        terms=[TERM],
        targets=[Target("u", TERM.id, target, period=YEAR)],
        tallies=[Tally("u", YEAR, admitted, breakdown={"w": number}, inclusive=True)],
        memberships=[Membership("u", date(2023, 12, 31), members)],
        categories=[Category("w", "Nữ", "Women", attribute="sex", values=("female",))],
        claims=[Claim("c", "u", "share", stated, term=TERM.id, period=YEAR, category="w")],
    )


@settings(max_examples=150, deadline=None)
@given(
    st.integers(min_value=1, max_value=200_000),
    st.data(),
    st.integers(min_value=1, max_value=200_000),
    st.integers(min_value=1, max_value=6_000_000),
    st.sampled_from(["admitted", "target", "members"]),
    stated_places,
    st.sampled_from(CONVENTIONS),
)
def test_share_of_any_base_found(
    admitted: int,
    data: st.DataObject,
    target: int,
    members: int,
    base: str,
    places: int,
    mode: str,
) -> None:
    """A share rounded from the ledger's counts on any base, base unstated, is consistent
    and the base found reproduces it."""
    number = data.draw(st.integers(min_value=0, max_value=admitted))
    values = {"admitted": admitted, "target": target, "members": members}
    stated = format_number(
        round_fraction(Fraction(100 * number, values[base]), places, mode), "vi"
    )
    v = check_claims(_ledger(admitted, number, target, members, stated + "%"))[0]
    assert v.status == "consistent"
    assert v.base is not None
    assert v.base_value == values[v.base]
    assert reproducing_roundings(number, v.base_value, stated + "%")
    if base == "admitted":
        assert v.base == "admitted"
        assert "base_differs" not in v.flags
    else:
        assert ("base_differs" in v.flags) == (v.base != "admitted")
