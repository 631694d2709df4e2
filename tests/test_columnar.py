"""The sequence every columnar table of the model is (partydev.model.columnar.RecordTable)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

import pytest

from partydev.model.columnar import RecordTable
from partydev.model.records import Admission
from partydev.model.store import AdmissionTable
from partydev.model.targets import Target, TargetTable
from partydev.model.units import Unit, UnitTable

ADMISSIONS = [Admission("a", date(2022, 1, k), person=f"p{k}") for k in (1, 2, 3)]
UNITS = [
    Unit("p", "Tỉnh", "province"),
    Unit("a", "Huyện A", "district", "p"),
    Unit("b", "B", "cell"),
]
TARGETS = [Target("p", "t", 90), Target("a", "t", 10, per_year=True), Target("b", "t", 5)]

CASES: list[tuple[Callable[[Sequence[Any]], RecordTable[Any]], list[Any], str]] = [
    (AdmissionTable.from_records, ADMISSIONS, "admission"),
    (UnitTable.from_records, UNITS, "unit"),
    (TargetTable.from_records, TARGETS, "target"),
]


@pytest.mark.parametrize(("make", "records", "noun"), CASES)
def test_every_table_is_the_same_kind_of_sequence(
    make: Callable[[Sequence[Any]], RecordTable[Any]], records: list[Any], noun: str
) -> None:
    """Each table indexes, slices (a tuple), compares and prints the same way, whatever
    its records."""
    table = make(records)
    assert isinstance(table, RecordTable)
    assert (table[0], table[-1]) == (records[0], records[-1])
    assert table[::2] == (records[0], records[2])
    assert table == records
    assert records == table
    assert table == tuple(records)
    assert table == make(list(records))
    assert hash(table) == hash(make(list(records)))
    assert table != records[:2]
    assert table != make(records[:2])
    assert table != "abc"
    assert repr(table) == f"<{type(table).__name__} of 3 {noun}s>"
    with pytest.raises(IndexError, match=f"{noun} row out of range"):
        table[3]
    with pytest.raises(IndexError):
        table[-4]
