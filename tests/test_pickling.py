"""A ledger pickles and copies whole (multiprocessing, caches, ``copy.deepcopy``), and
the copy answers every question as the original does."""

from __future__ import annotations

import copy
import pickle
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from tests.model_strategies import rich_ledgers

import partydev
from partydev import Ledger
from partydev.model.lineage import Merge
from partydev.model.records import Admission
from partydev.model.terms import Term
from partydev.model.units import Unit
from partydev.report.progress import default_as_of

DATA = Path(__file__).parent / "data"
LEDGERS = sorted(DATA.glob("*.toml"))


def _same_everywhere(ledger: Ledger, as_of: date) -> None:
    """A pickled and a deep-copied *ledger* equal it and give the same report (not the
    same pickle bytes again: a set or a cache filled since may come out in another
    order, and nothing promises byte-stable pickles)."""
    again = pickle.loads(pickle.dumps(ledger))
    copied = copy.deepcopy(ledger)
    assert again == ledger == copied
    expected = partydev.build_report(ledger, as_of=as_of)
    assert partydev.build_report(again, as_of=as_of) == expected
    assert partydev.build_report(copied, as_of=as_of) == expected


@pytest.mark.parametrize("path", LEDGERS, ids=[p.stem for p in LEDGERS])
def test_published_ledgers_pickle(path: Path) -> None:
    """Every published-report ledger survives pickling and deep copying, report and all."""
    ledger = partydev.load_ledger(path)
    _same_everywhere(ledger, default_as_of(ledger))


def test_sample_and_lineage_pickle() -> None:
    """The sample and a ledger with a merge (its lineage rebuilt on the copy) pickle whole;
    the copy still counts a merged unit's predecessors."""
    _same_everywhere(partydev.sample_ledger(), date(2023, 6, 30))
    merged = Ledger(
        units=[
            Unit("tinh", "Tỉnh", "province"),
            *(Unit(i, f"Huyện {i.upper()}", "district", "tinh") for i in ("a", "b", "ab")),
        ],
        terms=[Term("t", "2020–2025", date(2020, 10, 1), date(2025, 12, 31))],
        events=[Merge(date(2022, 7, 1), ("a", "b"), "ab")],
        admissions=[
            Admission("a", date(2021, 3, 1)),
            Admission("b", date(2022, 2, 1)),
            Admission("ab", date(2023, 5, 1)),
        ],
    )
    _same_everywhere(merged, date(2023, 12, 31))
    again = pickle.loads(pickle.dumps(merged))
    assert partydev.achieved(again, "tinh", as_of=date(2023, 12, 31)) == 3
    assert again.lineage.carrier("a", date(2023, 1, 1)) == "ab"


@settings(max_examples=40, deadline=None)
@given(rich_ledgers())
def test_any_ledger_pickles(ledger: Ledger) -> None:
    """Any valid ledger pickles and deep-copies to an equal one with the same report."""
    _same_everywhere(ledger, date(2025, 12, 31))
