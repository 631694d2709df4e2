"""Dated unit lineage: hierarchies as of a date and who carries a unit's figures."""

from __future__ import annotations

from datetime import date

import pytest

from partydev.calc.achieved import Achievements
from partydev.errors import InconsistentDataError, PartydevError, UnknownReferenceError
from partydev.model.coverage import Coverage
from partydev.model.ledger import Ledger
from partydev.model.lineage import Dissolve, Establish, Lineage, Merge, Move, Rename, Split
from partydev.model.records import Admission
from partydev.model.terms import Term
from partydev.model.units import Unit

BEFORE = date(2025, 6, 30)
ON = date(2025, 7, 1)
AFTER = date(2025, 12, 31)


def _units() -> list[Unit]:
    return [
        Unit("p", "Province", "province"),
        Unit("d1", "District 1", "district", "p"),
        Unit("d2", "District 2", "district", "p"),
        Unit("g1", "Commune 1", "grassroots", "d1"),
        Unit("g2", "Commune 2", "grassroots", "d2"),
    ]


def test_rename_takes_effect_on_its_date() -> None:
    """A renamed unit keeps its old name the day before and has the new one from the date."""
    lineage = Lineage(_units(), [Rename(ON, "g1", "Phường Một")])
    assert lineage.hierarchy(BEFORE)["g1"].name == "Commune 1"
    assert lineage.hierarchy(ON)["g1"].name == "Phường Một"
    assert lineage.hierarchy(AFTER)["g1"].name == "Phường Một"


def test_move_changes_parent_from_its_date() -> None:
    """A moved unit sits under its old parent before the date and its new one after."""
    lineage = Lineage(_units(), [Move(ON, "g1", "d2")])
    assert lineage.hierarchy(BEFORE).children("d1") == ("g1",)
    assert lineage.hierarchy(BEFORE).children("d2") == ("g2",)
    after = lineage.hierarchy(AFTER)
    assert after.children("d1") == ()
    assert set(after.children("d2")) == {"g1", "g2"}
    assert after.ancestors("g1") == ("d2", "p")


def test_move_to_top() -> None:
    """Moving a unit to parent None makes it a root from the date on."""
    lineage = Lineage(_units(), [Move(ON, "d1", None)])
    assert lineage.hierarchy(AFTER).roots == ("p", "d1")
    assert lineage.hierarchy(BEFORE).roots == ("p",)


def test_merge_sources_cease_and_pass_figures() -> None:
    """Merged sources vanish from the hierarchy on the date; the target carries them."""
    units = [*_units(), Unit("g3", "Commune 3", "grassroots", "d1")]
    lineage = Lineage(units, [Merge(ON, ("g1", "g3"), "g2")])
    assert set(lineage.hierarchy(BEFORE)) == {"p", "d1", "d2", "g1", "g2", "g3"}
    assert set(lineage.hierarchy(AFTER)) == {"p", "d1", "d2", "g2"}
    assert lineage.carrier("g1", BEFORE) == "g1"
    assert lineage.carrier("g1", ON) == "g2"
    assert lineage.carriers(AFTER) == {
        "p": "p",
        "d1": "d1",
        "d2": "d2",
        "g1": "g2",
        "g2": "g2",
        "g3": "g2",
    }
    assert lineage.predecessors("g2", AFTER) == ("g1", "g3")
    assert lineage.predecessors("g2", BEFORE) == ()
    assert not lineage.active("g1", ON)
    assert lineage.active("g1", BEFORE)


def test_merge_chain_followed() -> None:
    """A unit merged into one that later merges again is carried by the last survivor."""
    lineage = Lineage(
        _units(),
        [Merge(date(2024, 1, 1), "g1", "g2"), Merge(ON, "d1", "d2"), Merge(ON, "g2", "d2")],
    )
    assert lineage.carrier("g1", date(2024, 6, 1)) == "g2"
    assert lineage.carrier("g1", AFTER) == "d2"
    assert lineage.carriers(AFTER)["g1"] == "d2"
    assert set(lineage.predecessors("d2", AFTER)) == {"g1", "g2", "d1"}


def test_split_with_heir() -> None:
    """A split source ceases; its figures pass to the named heir."""
    units = [
        *_units(),
        Unit("g1a", "Commune 1A", "grassroots", "d1"),
        Unit("g1b", "Commune 1B", "grassroots", "d1"),
    ]
    events = [
        Establish(ON, "g1a"),
        Establish(ON, "g1b"),
        Split(ON, "g1", ("g1a", "g1b"), heir="g1a"),
    ]
    lineage = Lineage(units, events)
    assert set(lineage.hierarchy(BEFORE).children("d1")) == {"g1"}
    assert set(lineage.hierarchy(AFTER).children("d1")) == {"g1a", "g1b"}
    assert lineage.carrier("g1", AFTER) == "g1a"
    assert lineage.predecessors("g1a", AFTER) == ("g1",)
    assert lineage.predecessors("g1b", AFTER) == ()


def test_split_without_heir_carried_by_none() -> None:
    """Without an heir a split unit's figures pass to no one."""
    units = [*_units(), Unit("g1a", "A", "grassroots", "d1"), Unit("g1b", "B", "grassroots", "d1")]
    lineage = Lineage(units, [Split(ON, "g1", ("g1a", "g1b"))])
    assert lineage.carrier("g1", BEFORE) == "g1"
    assert lineage.carrier("g1", AFTER) is None
    assert lineage.carriers(AFTER)["g1"] is None


def test_establish_absent_before() -> None:
    """An established unit is absent before its date and present from it."""
    units = [*_units(), Unit("new", "New", "grassroots", "d2")]
    lineage = Lineage(units, [Establish(ON, "new")])
    assert "new" not in lineage.hierarchy(BEFORE)
    assert "new" in lineage.hierarchy(ON)
    assert not lineage.active("new", BEFORE)


def test_dissolve_carried_by_none() -> None:
    """A dissolved unit disappears and its figures are carried by no one."""
    lineage = Lineage(_units(), [Dissolve(ON, "g2")])
    assert "g2" in lineage.hierarchy(BEFORE)
    assert "g2" not in lineage.hierarchy(ON)
    assert lineage.carrier("g2", AFTER) is None


def test_ceasing_twice_raises() -> None:
    """A unit merged and then dissolved ceases twice: InconsistentDataError naming it."""
    with pytest.raises(InconsistentDataError) as info:
        Lineage(_units(), [Merge(BEFORE, "g1", "g2"), Dissolve(AFTER, "g1")])
    error = info.value
    assert isinstance(error, ValueError)
    assert (error.unit, error.value) == ("g1", AFTER.isoformat())


def test_ceasing_before_established_raises() -> None:
    """Dissolving a unit on or before its establishment is inconsistent."""
    with pytest.raises(InconsistentDataError) as info:
        Lineage(_units(), [Establish(AFTER, "g1"), Dissolve(ON, "g1")])
    assert info.value.unit == "g1"


def test_unknown_unit_in_event_raises() -> None:
    """An event naming a unit that does not exist is an UnknownReferenceError naming it."""
    with pytest.raises(UnknownReferenceError) as info:
        Lineage(_units(), [Merge(ON, ("g1",), "ghost")])
    error = info.value
    assert isinstance(error, PartydevError)
    assert isinstance(error, ValueError)
    assert error.unit == "ghost"
    assert "merge" in str(error)


def test_unknown_move_parent_raises() -> None:
    """A move to an unknown parent is rejected when the lineage is built."""
    with pytest.raises(UnknownReferenceError) as info:
        Lineage(_units(), [Move(ON, "g1", "ghost")])
    assert info.value.unit == "ghost"


def test_parent_not_existing_on_date_raises() -> None:
    """A unit whose parent has ceased on the date makes the hierarchy inconsistent."""
    lineage = Lineage(_units(), [Dissolve(ON, "d1")])
    assert "d1" in lineage.hierarchy(BEFORE)
    with pytest.raises(InconsistentDataError) as info:
        lineage.hierarchy(AFTER)
    error = info.value
    assert (error.unit, error.field, error.value) == ("g1", "parent", "d1")
    assert "2025-12-31" in str(error)


def test_merge_and_split_validate_themselves() -> None:
    """A merge into one of its sources, or a split heir outside the successors, is invalid."""
    with pytest.raises(ValueError, match="itself"):
        Merge(ON, ("a", "b"), "a")
    with pytest.raises(ValueError, match="heir"):
        Split(ON, "a", ("b", "c"), heir="d")


def test_merged_successor_term_figure_includes_predecessors() -> None:
    """After a merge the successor's term figure counts its predecessors' admissions."""
    term = Term("t", "2020–2025", date(2020, 10, 1), date(2025, 12, 31))
    admissions = [
        Admission("g1", date(2022, 3, 1)),
        Admission("g1", date(2023, 3, 1)),
        Admission("g2", date(2022, 5, 1)),
        Admission("g2", date(2025, 8, 1)),
        Admission("g1", date(2025, 3, 1)),
    ]
    ledger = Ledger(
        units=_units(),
        terms=[term],
        admissions=admissions,
        events=[Merge(ON, "g1", "g2")],
    )
    period = term.target_period
    after = Achievements(ledger, AFTER).counts(period)
    assert "g1" not in after
    assert after["g2"] == 5
    assert after["d2"] == 5
    assert after["d1"] == 0
    assert after["p"] == 5
    before = Achievements(ledger, BEFORE).counts(period)
    assert (before["g1"], before["g2"], before["p"]) == (3, 1, 4)
    assert Achievements(ledger, AFTER).sources("g2") == ("g1", "g2")


def test_split_without_heir_leaves_figures_unattributed() -> None:
    """A split without an heir: the successors do not count the source's admissions."""
    term = Term("t", "2020–2025", date(2020, 10, 1), date(2025, 12, 31))
    units = [*_units(), Unit("g1a", "A", "grassroots", "d1"), Unit("g1b", "B", "grassroots", "d1")]
    ledger = Ledger(
        units=units,
        terms=[term],
        admissions=[Admission("g1", date(2022, 1, 1)), Admission("g1a", date(2025, 9, 1))],
        events=[Establish(ON, "g1a"), Establish(ON, "g1b"), Split(ON, "g1", ("g1a", "g1b"))],
    )
    counts = Achievements(ledger, AFTER).counts(term.target_period)
    # g1b has no records at all: unknown, and so are its parents.
    assert (counts["g1a"], counts["g1b"], counts["d1"], counts["p"]) == (1, None, None, None)
    covered = ledger.evolve(covers=[Coverage(term.period)])
    counts = Achievements(covered, AFTER).counts(term.target_period)
    assert (counts["g1a"], counts["g1b"], counts["d1"], counts["p"]) == (1, 0, 1, 1)
