"""Eligibility warnings on person-level admissions (partydev.eligibility)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from partydev import build_report, loads_ledger
from partydev.errors import ValidationError
from partydev.model.codec import ledger_from_data, ledger_to_data
from partydev.model.eligibility import (
    Eligibility,
    age_in_months,
    check_admission,
    check_admissions,
)
from partydev.model.records import Admission
from partydev.shell.cli import main

DAY = date(2023, 5, 1)


def _rules(admission: Admission, rules: Eligibility | None = None) -> list[str]:
    return [w.rule for w in check_admission(admission, rules)]


@pytest.mark.parametrize(
    ("born", "rules"),
    [
        (date(2005, 5, 2), ["under_age"]),  # a day short of 18: 17 years 11 months
        (date(2005, 5, 1), []),  # 18 on the day
        (date(1963, 5, 1), []),  # exactly 60 years: 720 months
        (date(1963, 4, 2), []),  # 60 years and 29 days: still 720 whole months
        (date(1963, 4, 1), ["over_age"]),  # 60 years and one month
    ],
)
def test_age_is_counted_in_whole_months(born: date, rules: list[str]) -> None:
    """Ages below 216 months or above 720 months at admission are warned about."""
    assert _rules(Admission("x", DAY, birth_date=born)) == rules


def test_a_leap_day_birthday_counts_as_the_28th() -> None:
    """Born 29/2/2004, the person is 18 in whole months on 28/2/2022."""
    assert age_in_months(date(2004, 2, 29), date(2022, 2, 28)) == 216
    assert _rules(Admission("x", date(2022, 2, 28), birth_date=date(2004, 2, 29))) == []


def test_over_age_with_a_decision_is_not_warned() -> None:
    """A decision reference in the exception attribute allows an admission above 60."""
    old = Admission("x", DAY, birth_date=date(1950, 1, 1))
    allowed = Admission("x", DAY, birth_date=date(1950, 1, 1), attributes={"age_decision": "12"})
    assert (_rules(old), _rules(allowed)) == (["over_age"], [])


def test_whole_years_warn_only_when_they_settle_it() -> None:
    """An age of 17 or 61 is warned about; 60 in whole years may be within 60 by months."""
    ages = {age: _rules(Admission("x", DAY, age=age)) for age in (17, 18, 60, 61)}
    assert ages == {17: ["under_age"], 18: [], 60: [], 61: ["over_age"]}


def test_awareness_class_after_admission_is_warned() -> None:
    """A class dated after the admission, or not a date, is warned about; before is fine."""
    after = Admission("x", DAY, attributes={"awareness_class": "2023-05-02"})
    before = Admission("x", DAY, attributes={"awareness_class": "15/3/2023"})
    broken = Admission("x", DAY, attributes={"awareness_class": "soon"})
    assert _rules(after) == ["awareness_after_admission"]
    assert _rules(before) == []
    assert _rules(broken) == ["awareness_after_admission"]


def test_education_below_the_data_defined_minimum_is_warned() -> None:
    """Levels are data, lowest first; below the minimum or unknown is warned about."""
    rules = Eligibility(
        education_levels=("primary", "lower_secondary", "upper_secondary"),
        min_education="lower_secondary",
    )

    def level(value: str) -> list[str]:
        return _rules(Admission("x", DAY, attributes={"general_education": value}), rules)

    assert level("primary") == ["education_below_minimum"]
    assert level("lower_secondary") == []
    assert level("upper_secondary") == []
    assert level("kindergarten") == ["education_below_minimum"]
    unchecked = Admission("x", DAY, attributes={"general_education": "primary"})
    assert _rules(unchecked) == []  # without levels in the data the rule is off


def test_bad_rules_are_refused() -> None:
    """A minimum not among the levels, or bounds the wrong way round, is an error."""
    with pytest.raises(ValidationError, match="not among"):
        Eligibility(education_levels=("a", "b"), min_education="c")
    with pytest.raises(ValidationError, match="below max_age"):
        Eligibility(min_age=60, max_age=18)


def test_warnings_name_their_admission() -> None:
    """Each warning carries the admission's position, unit and person, and a bilingual message."""
    found = check_admissions(
        [Admission("a", DAY), Admission("b", DAY, person="p9", age=16)],
    )
    assert [(w.path, w.unit, w.person) for w in found] == [("admissions[1]", "b", "p9")]
    assert found[0].message("en") == "b (p9): Under the minimum age: 16 years"
    assert found[0].message("vi").startswith("b (p9): Chưa đủ tuổi")


def test_the_eligibility_table_round_trips() -> None:
    """A ledger's eligibility table is read, kept and written back."""
    ledger = loads_ledger(
        """
[eligibility]
min_age = 18
education_levels = ["primary", "lower_secondary"]
min_education = "lower_secondary"
[[units]]
id = "a"
name = "A"
level = "grassroots"
[[terms]]
id = "t"
label = "2020–2025"
start = 2020-07-01
end = 2025-12-31
"""
    )
    assert ledger.eligibility is not None
    assert ledger.eligibility.min_education == "lower_secondary"
    assert ledger_from_data(ledger_to_data(ledger)) == ledger


def test_the_report_counts_warnings_per_unit() -> None:
    """With eligibility rules stated, the summary counts each unit's warnings, rolled up."""
    ledger = loads_ledger(
        """
[eligibility]
[[units]]
id = "p"
name = "Tỉnh"
level = "province"
[[units]]
id = "a"
name = "Xã A"
level = "grassroots"
parent = "p"
[[terms]]
id = "t"
label = "2020–2025"
start = 2020-07-01
end = 2025-12-31
[[admissions]]
unit = "a"
date = 2023-05-01
age = 17
[[admissions]]
unit = "a"
date = 2023-05-02
age = 30
attributes = { awareness_class = "2023-06-01" }
[[admissions]]
unit = "a"
date = 2024-05-02
age = 17
"""
    )
    report = build_report(ledger, as_of=date(2023, 12, 31), period="2023")
    rows = {row["unit_id"]: row["eligibility_warnings"] for row in report.summary.records()}
    assert rows == {"p": 2, "a": 2}


def test_validate_rules_lists_warnings_with_file_and_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """validate --rules prints each warning with the file and the line of its admission."""
    ledger = tmp_path / "l.toml"
    ledger.write_text(
        """[[units]]
id = "a"
name = "Xã A"
level = "grassroots"
[[terms]]
id = "t"
label = "2020–2025"
start = 2020-07-01
end = 2025-12-31
[[admissions]]
unit = "a"
date = 2023-05-01
age = 25
[[admissions]]
unit = "a"
date = 2023-05-01
birth_date = 2005-05-02
person = "p1"
""",
        encoding="utf-8",
    )
    assert main(["validate", "--rules", "--locale", "en", str(ledger)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [
        f"{ledger}:14: admissions[1]: a (p1): Under the minimum age: 17 years 11 months",
        f"1 eligibility warning(s) in {ledger}",
        f"{ledger}: ok",
    ]
