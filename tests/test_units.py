"""The unit hierarchy: navigation, validation and normalisation."""

from __future__ import annotations

import unicodedata

import pytest

from partydev.errors import (
    CycleError,
    DuplicateError,
    PartydevError,
    UnknownReferenceError,
    ValidationError,
)
from partydev.model.units import Hierarchy, Level, Unit


def _tree() -> Hierarchy:
    return Hierarchy(
        [
            Unit("p", "Province", "province"),
            Unit("d1", "District 1", "district", "p"),
            Unit("g1", "Grassroots 1", "grassroots", "d1"),
            Unit("c1", "Cell 1", "cell", "g1"),
            Unit("d2", "District 2", "district", "p"),
            Unit("g2", "Grassroots 2", "grassroots", "d2"),
        ]
    )


def test_children_in_given_order() -> None:
    """children() lists the units directly under a unit, in the order given."""
    tree = _tree()
    assert tree.children("p") == ("d1", "d2")
    assert tree.children("g1") == ("c1",)
    assert tree.children("c1") == ()
    assert tree.roots == ("p",)


def test_ancestors_from_parent_to_root() -> None:
    """ancestors() runs from the parent up to the root."""
    tree = _tree()
    assert tree.ancestors("c1") == ("g1", "d1", "p")
    assert tree.ancestors("p") == ()


def test_descendants_preorder() -> None:
    """descendants() yields every unit below, parents before children."""
    tree = _tree()
    assert list(tree.descendants("p")) == ["d1", "g1", "c1", "d2", "g2"]
    assert list(tree.descendants("d2")) == ["g2"]


def test_depth_and_order() -> None:
    """depth() counts from the root; order() is pre-order over the whole forest."""
    tree = _tree()
    assert [tree.depth(u) for u in ("p", "d1", "g1", "c1")] == [0, 1, 2, 3]
    assert tree.order() == ("p", "d1", "g1", "c1", "d2", "g2")
    assert len(tree) == 6
    assert "g2" in tree
    assert "zz" not in tree


def test_order_independent_of_listing_children_after_parents() -> None:
    """A child listed before its parent still comes after it in order()."""
    tree = Hierarchy([Unit("c", "C", "cell", "g"), Unit("g", "G", "grassroots")])
    assert tree.order() == ("g", "c")
    assert tree.children("g") == ("c",)


def test_unknown_unit_lookup() -> None:
    """Asking for a unit that is not there names it."""
    with pytest.raises(UnknownReferenceError) as info:
        _tree().children("nowhere")
    assert info.value.unit == "nowhere"
    assert "'nowhere'" in str(info.value)


def test_level_tiers() -> None:
    """Cities and blocs sit at the district tier, directly under the province."""
    assert Level.CITY.tier == Level.BLOC.tier == Level.DISTRICT.tier == 2
    assert Level.PROVINCE.tier == 1
    assert Level.CELL.tier == 4


def test_duplicate_id_rejected() -> None:
    """Two units with one id raise DuplicateError naming the id."""
    with pytest.raises(DuplicateError) as info:
        Hierarchy([Unit("a", "A", "province"), Unit("a", "A again", "district")])
    error = info.value
    assert isinstance(error, PartydevError)
    assert isinstance(error, ValueError)
    assert error.unit == "a"
    assert "unit 'a'" in str(error)


def test_unknown_parent_rejected() -> None:
    """A parent that is not a unit names the unit, the field parent and the value."""
    with pytest.raises(UnknownReferenceError) as info:
        Hierarchy([Unit("a", "A", "province"), Unit("b", "B", "district", "ghost")])
    error = info.value
    assert isinstance(error, PartydevError)
    assert isinstance(error, ValueError)
    assert (error.unit, error.field, error.value) == ("b", "parent", "ghost")
    assert "unit 'b'" in str(error)
    assert "field 'parent'" in str(error)
    assert "value 'ghost'" in str(error)


def test_two_unit_cycle_listed() -> None:
    """A two-unit cycle is reported as 'a → b → a'."""
    with pytest.raises(CycleError) as info:
        Hierarchy([Unit("a", "A", "district", "b"), Unit("b", "B", "district", "a")])
    error = info.value
    assert isinstance(error, PartydevError)
    assert isinstance(error, ValueError)
    assert "a → b → a" in str(error)
    assert error.field == "parent"


def test_longer_cycle_below_a_valid_root() -> None:
    """A three-unit cycle beside a valid tree is listed unit by unit."""
    with pytest.raises(CycleError) as info:
        Hierarchy(
            [
                Unit("root", "Root", "province"),
                Unit("x", "X", "district", "root"),
                Unit("a", "A", "grassroots", "c"),
                Unit("b", "B", "grassroots", "a"),
                Unit("c", "C", "grassroots", "b"),
            ]
        )
    assert "a → c → b → a" in str(info.value)


def test_self_parent_rejected() -> None:
    """A unit that is its own parent is a CycleError naming it."""
    with pytest.raises(CycleError) as info:
        Unit("a", "A", "grassroots", "a")
    error = info.value
    assert isinstance(error, PartydevError)
    assert isinstance(error, ValueError)
    assert (error.unit, error.field) == ("a", "parent")


def test_name_nfc_normalised() -> None:
    """A decomposed (NFD) name is stored composed (NFC)."""
    nfd = unicodedata.normalize("NFD", "Đảng bộ tỉnh Quảng Nam")
    assert nfd != "Đảng bộ tỉnh Quảng Nam"
    unit = Unit("qn", nfd, "province")
    assert unit.name == "Đảng bộ tỉnh Quảng Nam"
    assert unicodedata.is_normalized("NFC", unit.name)


def test_unknown_level_rejected() -> None:
    """An unknown level is a ValidationError naming the field level and the value."""
    with pytest.raises(ValidationError) as info:
        Unit("a", "A", "county")
    error = info.value
    assert isinstance(error, PartydevError)
    assert isinstance(error, ValueError)
    assert (error.field, error.value) == ("level", "county")
    assert "field 'level'" in str(error)


def test_level_accepts_text() -> None:
    """A level given as text becomes the Level member."""
    assert Unit("a", "A", "bloc").level is Level.BLOC


def test_empty_id_and_name_rejected() -> None:
    """An empty id or a blank name is a ValidationError."""
    with pytest.raises(ValidationError) as info:
        Unit("", "A", "cell")
    assert info.value.field == "id"
    with pytest.raises(ValidationError) as info:
        Unit("a", "  ", "cell")
    assert (info.value.unit, info.value.field) == ("a", "name")


def test_empty_parent_means_top_unit() -> None:
    """An empty parent string is read as no parent."""
    assert Unit("a", "A", "province", "").parent is None


def test_iterates_over_ids_in_order() -> None:
    """Iterating a hierarchy yields its ids in order(), like the mapping it resembles."""
    tree = _tree()
    assert list(tree) == list(tree.order())
    assert set(tree) == {"p", "d1", "g1", "c1", "d2", "g2"}


def test_hierarchy_orders_interleaved_siblings_and_leaves() -> None:
    """Siblings listed apart, leaves and inner units: pre-order, depths, first problems named."""
    shape = [("r", None), ("a", "r"), ("x", "a"), ("b", "r"), ("y", "a"), ("z", "b")]
    units = [Unit(i, i.upper(), "cell" if i in "xyz" else "district", up) for i, up in shape]
    tree = Hierarchy(units)
    assert tree.order() == ("r", "a", "x", "y", "b", "z")
    assert [tree.depth(u) for u in tree.order()] == [0, 1, 2, 2, 1, 2]
    assert tree.children("a") == ("x", "y")
    with pytest.raises(DuplicateError) as duplicate:
        Hierarchy([*units, Unit("b", "B2", "cell", "x"), Unit("a", "A2", "cell")])
    assert duplicate.value.unit == "b"
    with pytest.raises(UnknownReferenceError) as unknown:
        Hierarchy([*units, Unit("q", "Q", "cell", "nope"), Unit("s", "S", "cell", "gone")])
    assert (unknown.value.unit, unknown.value.value) == ("q", "nope")
