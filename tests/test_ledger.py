"""Ledger validation: one test per kind of error, each naming what and where."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest

from partydev.errors import (
    DuplicateError,
    InconsistentDataError,
    PartydevError,
    UnknownReferenceError,
    ValidationError,
)
from partydev.model.codec import ledger_from_data
from partydev.model.ledger import Ledger
from partydev.model.periods import Period
from partydev.model.records import Admission, Membership, Tally
from partydev.model.terms import Term
from partydev.model.units import Unit

BASE: dict[str, Any] = {
    "units": [
        {"id": "p", "name": "Province", "level": "province"},
        {"id": "d", "name": "District", "level": "district", "parent": "p"},
    ],
    "terms": [{"id": "t", "label": "2020–2025", "start": "2020-10-01", "end": "2025-12-31"}],
    "categories": [
        {"id": "young", "label_vi": "Trẻ", "label_en": "Young", "max_age": 30},
    ],
    "targets": [{"unit": "p", "term": "t", "value": 1500, "per_year": True}],
    "admissions": [{"unit": "d", "date": "2022-03-01", "age": 25}],
    "tallies": [{"unit": "p", "period": "2021", "count": 10, "inclusive": True}],
    "memberships": [{"unit": "p", "date": "2023-06-30", "members": 100}],
    "claims": [{"id": "c1", "unit": "p", "kind": "count", "stated": "10", "term": "t"}],
}


def _with(collection: str, record: dict[str, Any]) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    data.setdefault(collection, []).append(record)
    return data


def _fails(
    data: dict[str, Any], kind: type[PartydevError], path: str, **expected: object
) -> PartydevError:
    with pytest.raises(kind) as info:
        ledger_from_data(data)
    error = info.value
    assert isinstance(error, ValueError)
    text = str(error)
    assert text.startswith(path), text
    for name, value in expected.items():
        assert getattr(error, name) == value, (name, getattr(error, name))
        assert f"{name} {value!r}" in text, text
    return error


def test_base_is_valid() -> None:
    """The base ledger the other tests spoil is itself valid."""
    ledger = ledger_from_data(BASE)
    assert [u.id for u in ledger.units] == ["p", "d"]
    assert ledger.members("p", date(2023, 6, 30)) == 100


@pytest.mark.parametrize(
    ("collection", "record"),
    [
        ("targets", {"unit": "ghost", "term": "t", "value": 1}),
        ("admissions", {"unit": "ghost", "date": "2022-01-01"}),
        ("tallies", {"unit": "ghost", "period": "2022", "count": 1}),
        ("memberships", {"unit": "ghost", "date": "2022-01-01", "members": 1}),
        ("claims", {"id": "c2", "unit": "ghost", "kind": "count", "stated": "1"}),
    ],
)
def test_unknown_unit(collection: str, record: dict[str, Any]) -> None:
    """A record naming an unknown unit is an UnknownReferenceError at collection[1]."""
    _fails(
        _with(collection, record),
        UnknownReferenceError,
        f"{collection}[1]",
        unit="ghost",
        field="unit",
        value="ghost",
    )


@pytest.mark.parametrize(
    ("collection", "record"),
    [
        ("targets", {"unit": "d", "term": "1990", "value": 1}),
        ("claims", {"id": "c2", "unit": "d", "kind": "count", "stated": "1", "term": "1990"}),
    ],
)
def test_unknown_term(collection: str, record: dict[str, Any]) -> None:
    """A target or claim naming an unknown term names the unit, field term and value."""
    _fails(
        _with(collection, record),
        UnknownReferenceError,
        f"{collection}[1]",
        unit="d",
        field="term",
        value="1990",
    )


@pytest.mark.parametrize(
    ("collection", "record"),
    [
        ("targets", {"unit": "d", "term": "t", "value": 1, "category": "monk"}),
        ("tallies", {"unit": "d", "period": "2022", "count": 5, "breakdown": {"monk": 1}}),
        ("claims", {"id": "c2", "unit": "d", "kind": "share", "stated": "1%", "category": "monk"}),
    ],
)
def test_unknown_category(collection: str, record: dict[str, Any]) -> None:
    """A target, tally breakdown or claim naming an unknown category is rejected."""
    _fails(
        _with(collection, record),
        UnknownReferenceError,
        f"{collection}[1]",
        unit="d",
        field="category",
        value="monk",
    )


@pytest.mark.parametrize(
    ("collection", "record", "field"),
    [
        ("tallies", {"unit": "d", "period": "2022", "count": -3}, "count"),
        ("memberships", {"unit": "d", "date": "2022-01-01", "members": -3}, "members"),
        ("admissions", {"unit": "d", "date": "2022-01-01", "age": -3}, "age"),
    ],
)
def test_negative_counts(collection: str, record: dict[str, Any], field: str) -> None:
    """A negative count, membership or age is a ValidationError at collection[1]."""
    _fails(
        _with(collection, record),
        ValidationError,
        f"{collection}[1]",
        unit="d",
        field=field,
        value=-3,
    )


def test_negative_counts_direct() -> None:
    """Records built directly reject negative numbers too, naming unit and field."""
    with pytest.raises(ValidationError) as info:
        Tally("d", Period.year(2022), -1)
    assert (info.value.unit, info.value.field, info.value.value) == ("d", "count", -1)
    with pytest.raises(ValidationError) as info:
        Membership("d", date(2022, 1, 1), -1)
    assert info.value.field == "members"
    with pytest.raises(ValidationError) as info:
        Admission("d", date(2022, 1, 1), age=-1)
    assert info.value.field == "age"


def test_breakdown_exceeds_count() -> None:
    """A breakdown larger than its tally's count names the category and the value."""
    error = _fails(
        _with("tallies", {"unit": "d", "period": "2022", "count": 5, "breakdown": {"young": 6}}),
        ValidationError,
        "tallies[1]",
        unit="d",
        field="breakdown.young",
        value=6,
    )
    assert "6 > 5" in str(error)


def test_negative_breakdown() -> None:
    """A negative breakdown count is rejected."""
    _fails(
        _with("tallies", {"unit": "d", "period": "2022", "count": 5, "breakdown": {"young": -1}}),
        ValidationError,
        "tallies[1]",
        unit="d",
        field="breakdown.young",
        value=-1,
    )


def test_admission_outside_every_term() -> None:
    """An admission dated outside every term is inconsistent with the terms."""
    _fails(
        _with("admissions", {"unit": "d", "date": "2019-05-01"}),
        InconsistentDataError,
        "admissions[1]",
        unit="d",
        field="date",
        value="2019-05-01",
    )


def test_admission_on_term_boundaries_accepted() -> None:
    """Admissions on a term's first and last day are inside it."""
    data = _with("admissions", {"unit": "d", "date": "2020-10-01"})
    data["admissions"].append({"unit": "d", "date": "2025-12-31"})
    assert len(ledger_from_data(data).admissions_of("d")) == 3


def test_own_tallies_overlap() -> None:
    """Two own tallies of one unit that overlap without nesting are inconsistent."""
    data = _with("tallies", {"unit": "d", "period": "2022", "count": 5})
    data["tallies"].append({"unit": "d", "period": "2022-07-01..2023-03-31", "count": 1})
    _fails(
        data,
        InconsistentDataError,
        "tallies[2]",
        unit="d",
        field="period",
        value="2022-07-01..2023-03-31",
    )


def test_nested_tallies_are_accepted() -> None:
    """A year and a quarter inside it, a quarter and its months, may be stated together."""
    data = _with("tallies", {"unit": "d", "period": "2022", "count": 5})
    data["tallies"].append({"unit": "d", "period": "2022-Q4", "count": 3})
    data["tallies"].append({"unit": "d", "period": "2022-10", "count": 1})
    data["tallies"].append({"unit": "d", "period": "2022-11", "count": 2})
    ledger = ledger_from_data(data)
    assert [t.count for t in ledger.tallies_of("d")] == [5, 1, 3, 2]  # by start, then end


def test_finer_tally_larger_than_the_coarser_is_located() -> None:
    """A quarter's tally larger than its year's is an error naming the finer record."""
    data = _with("tallies", {"unit": "d", "period": "2022", "count": 5})
    data["tallies"].append({"unit": "d", "period": "2022-Q4", "count": 6})
    _fails(data, InconsistentDataError, "tallies[2]", unit="d", field="count", value=6)


def test_finer_tallies_adding_up_to_more_are_located() -> None:
    """Halves that add up to more than their year's tally are an error."""
    data = _with("tallies", {"unit": "d", "period": "2022", "count": 5})
    data["tallies"].append({"unit": "d", "period": "2022-H1", "count": 3})
    data["tallies"].append({"unit": "d", "period": "2022-H2", "count": 3})
    _fails(data, InconsistentDataError, "tallies[3]", unit="d", field="count", value=3)


def test_inclusive_tallies_overlap() -> None:
    """Two inclusive tallies of one unit over overlapping periods are inconsistent."""
    data = _with(
        "tallies",
        {
            "unit": "p",
            "period": {"start": "2021-07-01", "end": "2022-06-30"},
            "count": 5,
            "inclusive": True,
        },
    )
    error = _fails(
        data,
        InconsistentDataError,
        "tallies[1]",
        unit="p",
        field="period",
        value="2021-07-01..2022-06-30",
    )
    assert "2021 and 2021-07-01..2022-06-30" in str(error)


def test_overlap_behind_a_long_tally_found() -> None:
    """A tally running out of an earlier long one (past nested ones) is found."""
    data = _with("tallies", {"unit": "d", "period": "2021-01-01..2023-12-31", "count": 9})
    data["tallies"].append({"unit": "d", "period": "2022-H1", "count": 1})
    data["tallies"].append({"unit": "d", "period": "2023-07-01..2024-06-30", "count": 1})
    _fails(data, InconsistentDataError, "tallies[3]", unit="d", value="2023-07-01..2024-06-30")


def test_own_and_inclusive_may_overlap() -> None:
    """An own tally and an inclusive tally of one unit may cover the same period."""
    data = _with("tallies", {"unit": "p", "period": "2021", "count": 3})
    ledger = ledger_from_data(data)
    assert sorted((t.inclusive, t.count) for t in ledger.tallies_of("p")) == [
        (False, 3),
        (True, 10),
    ]


def test_adjacent_tallies_do_not_overlap() -> None:
    """Tallies meeting at a boundary (2022-H1, 2022-H2) are fine."""
    data = _with("tallies", {"unit": "d", "period": "2022-H1", "count": 1})
    data["tallies"].append({"unit": "d", "period": "2022-H2", "count": 2})
    assert [t.count for t in ledger_from_data(data).tallies_of("d")] == [1, 2]


@pytest.mark.parametrize(
    ("collection", "record", "value"),
    [
        ("terms", {"id": "t", "label": "x", "start": "2015-01-01", "end": "2020-09-30"}, "t"),
        ("categories", {"id": "young", "label_vi": "a", "label_en": "b", "max_age": 35}, "young"),
        ("claims", {"id": "c1", "unit": "d", "kind": "count", "stated": "1"}, "c1"),
    ],
)
def test_duplicate_ids(collection: str, record: dict[str, Any], value: str) -> None:
    """Two terms, categories or claims with one id are a DuplicateError at the second."""
    _fails(_with(collection, record), DuplicateError, f"{collection}[1]", field="id", value=value)


def test_duplicate_unit_points_at_second() -> None:
    """A duplicate unit id is reported at the second occurrence."""
    _fails(
        _with("units", {"id": "p", "name": "Again", "level": "district"}),
        DuplicateError,
        "units[2]",
        unit="p",
        field="id",
    )


def test_unknown_parent_in_ledger() -> None:
    """An unknown parent is reported at the unit that names it."""
    _fails(
        _with("units", {"id": "x", "name": "X", "level": "district", "parent": "ghost"}),
        UnknownReferenceError,
        "units[2]",
        unit="x",
        field="parent",
        value="ghost",
    )


def test_unknown_unit_in_event() -> None:
    """An event naming an unknown unit is reported at events[i]."""
    data = _with("events", {"type": "dissolve", "date": "2024-01-01", "unit": "ghost"})
    error = _fails(
        data, UnknownReferenceError, "events[0]", unit="ghost", field="unit", value="ghost"
    )
    assert "dissolve event on 2024-01-01" in str(error)


def test_unit_ceasing_twice_in_ledger() -> None:
    """A unit dissolved twice is reported at the later event."""
    data = _with("events", {"type": "dissolve", "date": "2024-01-01", "unit": "d"})
    data["events"].append({"type": "dissolve", "date": "2023-01-01", "unit": "d"})
    _fails(data, InconsistentDataError, "events[0]", unit="d", field="date", value="2024-01-01")


def test_direct_ledger_path() -> None:
    """A Ledger built from records names the collection index too."""
    term = Term("t", "2020–2025", date(2020, 10, 1), date(2025, 12, 31))
    with pytest.raises(UnknownReferenceError) as info:
        Ledger(
            units=[Unit("p", "P", "province")],
            terms=[term],
            admissions=[Admission("p", date(2022, 1, 1)), Admission("q", date(2022, 1, 2))],
        )
    assert info.value.path == "admissions[1]"
    assert str(info.value).startswith("admissions[1]: no such unit")


def test_indexes() -> None:
    """Per-unit indexes answer admissions by period, counts and membership on a date."""
    term = Term("t", "2020–2025", date(2020, 10, 1), date(2025, 12, 31))
    days = [date(2022, 5, 1), date(2021, 3, 1), date(2022, 1, 1), date(2022, 12, 31)]
    ledger = Ledger(
        units=[Unit("p", "P", "province")],
        terms=[term],
        admissions=[Admission("p", d) for d in days],
        memberships=[Membership("p", date(2022, 1, 1), 10), Membership("p", date(2021, 1, 1), 5)],
    )
    assert [a.date for a in ledger.admissions_of("p")] == sorted(days)
    assert [a.date for a in ledger.admissions_of("p", Period.year(2022))] == sorted(days)[1:]
    assert ledger.admission_count("p", Period.year(2022)) == 3
    assert ledger.admission_count("p", Period.year(2023)) == 0
    assert ledger.members("p", date(2020, 12, 31)) is None
    assert ledger.members("p", date(2021, 6, 1)) == 5
    assert ledger.members("p", date(2022, 1, 1)) == 10
    snapshot = ledger.membership_snapshot("p", date(2030, 1, 1))
    assert snapshot is not None
    assert snapshot.date == date(2022, 1, 1)
