"""What a clerk types: counts with thousands groups and percents with either decimal mark."""

from __future__ import annotations

import copy
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from partydev.checks.verdicts import check_claims
from partydev.errors import ParseError, ValidationError
from partydev.model.claims import Claim
from partydev.model.codec import ledger_from_data
from partydev.numbers import format_number, parse_count, parse_stated_percent
from partydev.shell.io import load_ledger, read_tallies_csv, sample_ledger

BASE: dict[str, Any] = {
    "units": [
        {"id": "p", "name": "Tỉnh", "level": "province"},
        {"id": "d", "name": "Huyện", "level": "district", "parent": "p"},
    ],
    "terms": [{"id": "t", "label": "2020–2025", "start": "2020-10-01", "end": "2025-12-31"}],
    "categories": [{"id": "young", "label_vi": "Trẻ", "label_en": "Young", "max_age": 30}],
}


def _ledger(**collections: list[dict[str, Any]]) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    data.update(collections)
    return data


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("1.732", 1732),
        ("1,732", 1732),
        ("1732", 1732),
        ("1 732", 1732),
        ("71.441", 71441),
        ("1.000.000", 1_000_000),
        ("1,000,000", 1_000_000),
        ("0", 0),
        (1732, 1732),
    ],
)
def test_count_reads_thousands_groups_of_either_locale(text: str | int, count: int) -> None:
    """A count is a whole number whose thousands are grouped by '.' or ',' in threes."""
    assert parse_count(text) == count
    assert type(parse_count(text)) is int


@pytest.mark.parametrize("text", ["1.5", "1,5", "1.73", "1,7320", "1.732,5", "1.732.5", "x", ""])
def test_non_counts_are_refused(text: str) -> None:
    """Decimals, groups not of three digits and words are not counts."""
    with pytest.raises(ParseError) as info:
        parse_count(text)
    assert repr(text) in str(info.value)


@pytest.mark.parametrize("value", [True, False, 1.0, None, Decimal("3")])
def test_non_int_non_text_is_not_a_count(value: object) -> None:
    """Booleans, floats and Decimals are not counts, even when whole."""
    with pytest.raises(ParseError):
        parse_count(value)  # type: ignore[arg-type]


@given(st.integers(min_value=0, max_value=10**12), st.sampled_from(["vi", "en"]))
def test_a_formatted_count_reads_back(number: int, locale: str) -> None:
    """Whatever format_number writes in either locale, parse_count reads back."""
    assert parse_count(format_number(number, locale)) == number


@pytest.mark.parametrize(
    ("text", "percent"),
    [
        ("60,5%", "60.5"),
        ("60.5%", "60.5"),
        ("76,57 %", "76.57"),
        ("91%", "91"),
        ("1.500%", "1500"),
    ],
)
def test_stated_percent_reads_either_decimal_mark(text: str, percent: str) -> None:
    """A stated percent is read in Vietnamese first, else in English; places are kept."""
    value = parse_stated_percent(text)
    assert value == Decimal(percent)
    assert value.as_tuple().exponent == Decimal(percent).as_tuple().exponent


def test_stated_percent_prefers_the_locale_asked() -> None:
    """A text both locales read takes the reading of the locale asked first."""
    assert parse_stated_percent("1,500%") == Decimal("1.5")
    assert parse_stated_percent("1,500%", "en") == Decimal("1500")


def test_unreadable_percent_names_both_forms() -> None:
    """A percent neither locale reads raises ParseError quoting it."""
    with pytest.raises(ParseError, match="60,5%"):
        parse_stated_percent("sixty%")


def test_ledger_counts_may_be_typed_as_text() -> None:
    """Target values and bounds, tally counts and breakdowns, members: '1.732' is 1732."""
    data = _ledger(
        targets=[
            {"unit": "p", "term": "t", "value": "1.500", "per_year": True},
            {"unit": "d", "term": "t", "kind": "range", "value": "1.000", "high": "1,200"},
        ],
        tallies=[
            {
                "unit": "p",
                "period": "2021",
                "count": "1.732",
                "breakdown": {"young": "1.012"},
                "inclusive": True,
            }
        ],
        memberships=[{"unit": "p", "date": "30/6/2023", "members": "71.441"}],
    )
    ledger = ledger_from_data(data)
    assert [(t.value, t.high) for t in ledger.targets] == [(1500, None), (1000, 1200)]
    assert (ledger.tallies[0].count, ledger.tallies[0].breakdown) == (1732, (("young", 1012),))
    assert ledger.memberships[0].members == 71441


@pytest.mark.parametrize(
    ("collection", "record", "path", "field"),
    [
        ("targets", {"unit": "p", "term": "t", "value": "1,5"}, "targets[0].value", "value"),
        ("tallies", {"unit": "p", "period": "2021", "count": "1.5"}, "tallies[0].count", "count"),
        (
            "tallies",
            {"unit": "p", "period": "2021", "count": 5, "breakdown": {"young": "2,5"}},
            "tallies[0].breakdown.young",
            "breakdown.young",
        ),
        (
            "memberships",
            {"unit": "p", "date": "2023-06-30", "members": True},
            "memberships[0].members",
            "members",
        ),
    ],
)
def test_a_decimal_count_is_a_located_error(
    collection: str, record: dict[str, Any], path: str, field: str
) -> None:
    """A count that is not whole names its record path and field."""
    with pytest.raises(ValidationError) as info:
        ledger_from_data(_ledger(**{collection: [record]}))
    assert (info.value.path, info.value.field) == (path, field)


def test_csv_counts_use_the_same_rule(tmp_path: Path) -> None:
    """A tally CSV may write '1.732' and breakdown '1.012'; '1,5' names its line."""
    good = tmp_path / "t.csv"
    good.write_text("unit,period,count,breakdown.young\np,2021,1.732,1.012\n", encoding="utf-8")
    [tally] = read_tallies_csv(good)
    assert (tally.count, tally.breakdown) == (1732, (("young", 1012),))
    bad = tmp_path / "bad.csv"
    bad.write_text('unit,period,count\np,2021,1.732\np,2022,"1,5"\n', encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        read_tallies_csv(bad)
    assert (info.value.line, info.value.field, info.value.value) == (3, "count", "1,5")


def test_claim_reads_its_stated_figure() -> None:
    """A claim keeps the figure as printed and reads it: '60.5%' and '60,5%' alike."""
    comma = Claim(id="a", unit="p", kind="percent_of_target", stated="60,5%")
    dot = Claim(id="b", unit="p", kind="percent_of_target", stated="60.5%")
    count = Claim(id="c", unit="p", kind="count", stated="1.732")
    assert comma.figure == dot.figure == Decimal("60.5")
    assert (dot.stated, count.figure) == ("60.5%", 1732)


@pytest.mark.parametrize(
    ("kind", "stated"),
    [
        ("count", "1,5"),
        ("count", "60%"),
        ("members", "about 70"),
        ("percent_of_target", "60,5"),
        ("share", "-3%"),
        ("count", "-4"),
    ],
)
def test_claim_with_unreadable_figure_is_refused(kind: str, stated: str) -> None:
    """A claim whose figure is not a count (or a percent, by kind) names the stated field."""
    with pytest.raises(ValidationError) as info:
        Claim(id="a", unit="p", kind=kind, stated=stated)  # type: ignore[arg-type]
    assert (info.value.unit, info.value.field, info.value.value) == ("p", "stated", stated)


def test_claim_percent_with_a_dot_checks_like_a_comma() -> None:
    """The sample's 60,5% claim written 60.5% gives the same verdict."""
    ledger = sample_ledger()
    claims = [c for c in ledger.claims if c.stated == "60,5%"]
    assert claims
    dotted = ledger.evolve(
        claims=[
            Claim(**{**_fields(c), "stated": c.stated.replace(",", ".")}) if c in claims else c
            for c in ledger.claims
        ]
    )
    before = {v.claim: (v.status, v.computed) for v in check_claims(ledger)}
    after = {v.claim: (v.status, v.computed) for v in check_claims(dotted)}
    assert before == after
    assert before[claims[0].id][0] == "consistent"


def _fields(claim: Claim) -> dict[str, Any]:
    return {
        name: getattr(claim, name)
        for name in (
            "id",
            "unit",
            "kind",
            "stated",
            "text",
            "source",
            "term",
            "period",
            "as_of",
            "category",
            "comparison",
            "target_source",
            "note",
        )
    }


def test_toml_ledger_with_text_counts_loads(tmp_path: Path) -> None:
    """A hand-typed TOML ledger with '1.732' counts and a '60.5%' claim loads."""
    path = tmp_path / "l.toml"
    path.write_text(
        """
[[units]]
id = "p"
name = "Tỉnh"
level = "province"

[[terms]]
id = "t"
label = "2020–2025"
start = 2020-10-01
end = 2025-12-31

[[tallies]]
unit = "p"
period = "2021"
count = "1.732"

[[claims]]
id = "c"
unit = "p"
kind = "count"
stated = "1.732"
period = "2021"
term = "t"
""",
        encoding="utf-8",
    )
    ledger = load_ledger(path)
    assert ledger.tallies[0].count == ledger.claims[0].figure == 1732
    [verdict] = check_claims(ledger)
    assert verdict.status == "consistent"
