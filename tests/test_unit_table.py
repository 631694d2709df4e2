"""Units as columns: the table equals its units, checks them as Unit does, and keeps none."""

from __future__ import annotations

import gc
import json
import unicodedata
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from partydev import PartydevError
from partydev.errors import CycleError, UnknownReferenceError, ValidationError
from partydev.model import codec
from partydev.model.lineage import Lineage, Move, Rename
from partydev.model.units import DeclaredLevel, Hierarchy, Level, Unit, UnitTable
from partydev.shell.io import loads_ledger

UNITS = [
    Unit("p", "Province", "province"),
    Unit("d1", "District 1", "district", "p"),
    Unit("c1", "Cell 1", "cell", "d1"),
    Unit("d2", "District 2", "district", "p"),
]


def test_table_is_a_sequence_of_its_units() -> None:
    """Indexing, slicing, iteration and the columns give the units it was built from."""
    table = UnitTable.from_records(UNITS)
    assert len(table) == 4
    assert table[0] == UNITS[0]
    assert table[-1] == UNITS[-1]
    assert table[1:3] == tuple(UNITS[1:3])  # a slice is a tuple, as the tuple of units gave
    assert list(table) == UNITS
    assert table.ids == ("p", "d1", "c1", "d2")
    assert table.names == ("Province", "District 1", "Cell 1", "District 2")
    assert table.levels == (Level.PROVINCE, Level.DISTRICT, Level.CELL, Level.DISTRICT)
    assert table.parents == (None, "p", "d1", "p")
    assert "4 units" in repr(table)
    with pytest.raises(IndexError):
        table[4]


def test_table_equals_any_sequence_of_the_same_units() -> None:
    """A table equals a list, a tuple or a table of the same units, and no other."""
    table = UnitTable.from_records(UNITS)
    assert table == UNITS
    assert table == tuple(UNITS)
    given = list(UNITS)
    assert given == table  # list.__eq__ gives way to the table's
    assert table == UnitTable.from_records(tuple(UNITS))
    assert hash(table) == hash(UnitTable.from_records(iter(UNITS)))
    assert table != UNITS[:3]
    assert table != UnitTable.from_records([*UNITS[:3], Unit("d2", "Other", "district", "p")])
    assert table != "p"
    assert UnitTable.from_records(table) is table


def _columns(units: list[dict[str, Any]]) -> dict[str, list[Any]]:
    return {
        "ids": [u.get("id") for u in units],
        "names": [u.get("name") for u in units],
        "levels": [u.get("level") for u in units],
        "parents": [u.get("parent") for u in units],
    }


def test_from_columns_converts_as_unit_does() -> None:
    """Names are NFC-normalised, an empty parent is none, levels become Level members."""
    decomposed = unicodedata.normalize("NFD", "Chi bộ Tiên Phước")
    plain = [
        {"id": "p", "name": "P", "level": "province", "parent": ""},
        {"id": "c", "name": decomposed, "level": "cell", "parent": "p"},
    ]
    table = UnitTable.from_columns(**_columns(plain))
    assert table == [Unit(**u) for u in plain]
    assert table.names[1] == unicodedata.normalize("NFC", decomposed)
    assert table.parents == (None, "p")


_BAD_CELLS = [
    {"id": " "},
    {"id": 3},
    {"name": ""},
    {"name": 7},
    {"level": "village"},
    {"parent": 1},
    {"parent": "c"},  # its own parent
]


@pytest.mark.parametrize("bad", _BAD_CELLS)
def test_from_columns_refuses_what_unit_refuses(bad: dict[str, Any]) -> None:
    """A refused cell raises what Unit raises for the first unit at fault."""
    good = {"id": "p", "name": "P", "level": "province", "parent": None}
    wrong = {"id": "c", "name": "C", "level": "cell", "parent": "p", **bad}
    with pytest.raises(PartydevError) as expected:
        Unit(**wrong)
    with pytest.raises(type(expected.value)) as raised:
        UnitTable.from_columns(**_columns([good, wrong, {**wrong, "id": "x", "name": " "}]))
    assert str(raised.value) == str(expected.value)


def test_from_columns_checks_lengths() -> None:
    """Columns of different lengths are a programming error, not a unit's."""
    with pytest.raises(ValueError, match="length"):
        UnitTable.from_columns(ids=["a"], names=["A"], levels=["cell"], parents=[])


_CELL = st.sampled_from([None, "", " ", "p", "c", "x", "cell", "province", "village", 3, True])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.fixed_dictionaries({"id": _CELL, "name": _CELL, "level": _CELL,
                                       "parent": _CELL}), max_size=4))  # fmt: skip
def test_from_columns_agrees_with_unit(rows: list[dict[str, Any]]) -> None:
    """Any cells give the units Unit builds from them, or the error it raises first."""

    def outcome(build: Any) -> object:
        try:
            return list(build())
        except PartydevError as error:
            return (type(error).__name__, str(error))

    by_unit = outcome(lambda: [Unit(**row) for row in rows])
    assert outcome(lambda: UnitTable.from_columns(**_columns(rows))) == by_unit


def test_reader_fills_columns_for_plain_units() -> None:
    """Plain unit records come back as a table equal to the units the general reader makes."""
    items = [{"id": u.id, "name": u.name, "level": u.level.value, "parent": u.parent}
             for u in UNITS]  # fmt: skip
    table = codec.read_records("units", items)
    assert isinstance(table, UnitTable)
    assert table == UNITS
    assert codec.read_records("units", items[:1]) == UNITS[:1]  # one record: one Unit


@pytest.mark.parametrize(
    ("change", "field"),
    [({"name": "  "}, "name"), ({"parent": "c1"}, "parent"), ({"level": "village"}, "level"),
     ({"id": ""}, "id")],
)  # fmt: skip
def test_reader_names_the_record_a_column_refuses(change: dict[str, Any], field: str) -> None:
    """A unit refused on the column path is named as the record reader names it."""
    items: list[dict[str, Any]] = [
        {"id": u.id, "name": u.name, "level": u.level.value, "parent": u.parent} for u in UNITS
    ]
    items[2].update(change)
    with pytest.raises(PartydevError) as raised:
        codec.read_records("units", items)
    assert (raised.value.path, raised.value.field) == ("units[2]", field)


def test_reader_takes_declared_levels_on_the_record_path() -> None:
    """A unit naming a declared level gets the declared level object, as before."""
    police = DeclaredLevel("cong-an", "Đảng bộ Công an", "Police", 2)
    items = [{"id": "p", "name": "P", "level": "province"},
             {"id": "ca", "name": "CA", "level": "cong-an", "parent": "p"}]  # fmt: skip
    units = codec.read_records("units", items, levels={"cong-an": police})
    assert [u.level for u in units] == [Level.PROVINCE, police]


def test_hierarchy_reads_columns() -> None:
    """positions, name and parent read the columns; get makes a unit equal to the one given."""
    tree = Hierarchy(UNITS)
    assert tree.positions(["c1", "p"]) == [2, 0]
    assert tree.name("d2") == "District 2"
    assert tree.parent("c1") == "d1"
    assert tree["c1"] == UNITS[2]
    assert tree.units == UNITS
    with pytest.raises(UnknownReferenceError) as raised:
        tree.positions(["p", "nowhere"])
    assert raised.value.unit == "nowhere"


def test_lineage_hierarchy_checks_renamed_units() -> None:
    """A unit renamed or moved on a date is checked as a unit; the rest are as given."""
    from datetime import date

    lineage = Lineage(UNITS, [Rename(date(2024, 1, 1), "d2", "Quận 2"),
                              Move(date(2024, 1, 1), "c1", "d2")])  # fmt: skip
    then = lineage.hierarchy(date(2024, 6, 1))
    assert then.name("d2") == "Quận 2"
    assert then.parent("c1") == "d2"
    assert then.units.ids == ("p", "d1", "c1", "d2")
    assert lineage.hierarchy(date(2023, 6, 1)).units == UNITS
    with pytest.raises(CycleError):
        Lineage(UNITS, [Move(date(2024, 1, 1), "d1", "c1")]).hierarchy(date(2024, 6, 1))


def _live_units() -> int:
    gc.collect()
    return sum(isinstance(item, Unit) for item in gc.get_objects())


def test_a_loaded_ledger_keeps_no_unit_objects() -> None:
    """After a load, the ledger holds its units as columns: no Unit object per unit lives on."""
    units = [{"id": "p", "name": "P", "level": "province"}]
    units += [{"id": f"c{i}", "name": f"Chi bộ {i}", "level": "cell", "parent": "p"}
              for i in range(200)]  # fmt: skip
    text = json.dumps({"units": units, "terms": []})
    before = _live_units()
    ledger = loads_ledger(text, "ledger.json")
    assert _live_units() - before == 0
    assert len(ledger.units) == 201
    assert ledger.unit("c7").name == "Chi bộ 7"
    assert isinstance(ledger.units, UnitTable)


def test_validation_error_of_a_unit_is_unchanged() -> None:
    """Unit's own checks still raise as they did (the rules are shared, not copied)."""
    with pytest.raises(ValidationError, match="a unit needs a name"):
        Unit("a", " ", "cell")
    with pytest.raises(ValidationError, match="non-empty text"):
        Unit(" ", "A", "cell")
    with pytest.raises(CycleError):
        Unit("a", "A", "cell", "a")


def test_a_unit_refused_on_the_column_path_names_its_file() -> None:
    """A JSON ledger's blank unit name is located at its file and record, as before."""
    units = [{"id": "p", "name": "P", "level": "province"},
             {"id": "c1", "name": "C1", "level": "cell", "parent": "p"},
             {"id": "c2", "name": " ", "level": "cell", "parent": "p"}]  # fmt: skip
    text = '{"terms": [], "units": [\n' + ",\n".join(json.dumps(u) for u in units) + "\n]}"
    with pytest.raises(ValidationError) as raised:
        loads_ledger(text, "ledger.json")
    error = raised.value
    assert (error.file, error.path, error.field, error.unit) == (
        "ledger.json",
        "units[2]",
        "name",
        "c2",
    )
    assert str(error).startswith("ledger.json: units[2]: a unit needs a name")
