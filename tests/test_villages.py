"""Villages and residential groups without members or cells (partydev.villages)."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest

from partydev import build_report
from partydev.errors import UnknownReferenceError, ValidationError
from partydev.model.codec import ledger_from_data, ledger_to_data
from partydev.model.ledger import Ledger
from partydev.model.terms import Term
from partydev.model.units import Unit
from partydev.model.villages import VillageCount, VillageTarget, village_status

TERM = Term("t", "2020–2025", date(2020, 10, 1), date(2025, 12, 31))
START = VillageCount("h", date(2020, 12, 31), 120, 9, 14)
MID = VillageCount("h", date(2023, 6, 30), 121, 3, 8)
NONE_LEFT = VillageTarget("h", "without_members", 0, by=date(2025, 12, 31))
FIVE_CELLS = VillageTarget("h", "without_cells", 8)


def test_a_target_not_yet_reached() -> None:
    """3 villages still without a member against "none": not reached, 6 of 9 gone."""
    status = village_status([START, MID], [NONE_LEFT], date(2023, 12, 31))
    (goal,) = status.targets
    assert (goal.current, goal.baseline, goal.reached, goal.remaining) == (3, 9, False, 3)
    assert goal.progress is not None
    assert goal.progress.fraction == Fraction(2, 3)


def test_a_target_reached() -> None:
    """8 villages without a cell against "at most 8": reached, the whole way gone."""
    (goal,) = village_status([START, MID], [FIVE_CELLS], date(2023, 6, 30)).targets
    assert (goal.reached, goal.remaining) == (True, 0)
    assert goal.progress is not None
    assert goal.progress.fraction == 1


def test_before_any_count_the_status_is_unknown() -> None:
    """Before the first count nothing is known: no counts, reached unknown, never 0."""
    status = village_status([START, MID], [NONE_LEFT], date(2020, 6, 30))
    assert status.counts is None
    assert (status.targets[0].current, status.targets[0].reached) == (None, None)


def test_counts_must_nest() -> None:
    """More villages without members than without cells, or than villages, is refused."""
    with pytest.raises(ValidationError, match="without_members"):
        VillageCount("h", date(2023, 1, 1), 10, 5, 4)
    with pytest.raises(ValidationError, match="more villages without a cell"):
        VillageCount("h", date(2023, 1, 1), 3, 1, 4)
    with pytest.raises(ValidationError, match="unknown measure"):
        VillageTarget("h", "without_roads", 0)  # type: ignore[arg-type]


def _ledger() -> Ledger:
    return Ledger(
        units=[Unit("p", "Tỉnh", "province"), Unit("h", "Huyện", "district", "p")],
        terms=[TERM],
        villages=[START, MID],
        village_targets=[NONE_LEFT, FIVE_CELLS],
    )


def test_villages_in_the_report_and_the_round_trip() -> None:
    """The summary shows each unit's own counts and targets; JSON keeps them."""
    ledger = _ledger()
    report = build_report(ledger, as_of=date(2023, 6, 30))
    rows = {row["unit_id"]: row for row in report.summary.records()}
    h = rows["h"]
    assert (h["villages"], h["villages_without_members"], h["villages_without_cells"]) == (
        121,
        3,
        8,
    )
    assert (h["without_members_target"], h["without_members_reached"]) == (0, "no")
    assert (h["without_cells_target"], h["without_cells_reached"]) == (8, "yes")
    assert rows["p"]["villages"] is None  # the province states none of its own
    assert ledger_from_data(ledger_to_data(ledger)) == ledger


def test_a_count_of_an_unknown_unit_is_located() -> None:
    """A village count naming no unit of the ledger names its record."""
    with pytest.raises(UnknownReferenceError) as raised:
        _ledger().evolve(villages=[VillageCount("x", date(2023, 1, 1), 1, 0, 0)])
    assert raised.value.path == "villages[0]"
