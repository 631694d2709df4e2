"""Ledgers round trip through the XLSX ledger format of partydev-xlsx (property test).

Here rather than in the plugin's tests because it draws ledgers from
tests/model_strategies.py; the README's test command installs the plugin.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, assume, given, settings
from tests.model_strategies import rich_ledgers

from partydev import Ledger, load_ledger, sample_ledger
from partydev.errors import ValidationError
from partydev.model.codec import COLLECTIONS
from partydev.plugins import LOAD_PLUGINS_ENV, get_importer, reset_plugin_manager

pytest.importorskip("partydev_xlsx", reason="the README test command installs it")
pytest.importorskip("python_calamine", reason="partydev-xlsx depends on it")

SHEETED = {"units", "terms", "targets", "admissions", "tallies", "memberships", "categories",
           "claims"}  # fmt: skip


@pytest.fixture(autouse=True)
def _xlsx(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Load the built-ins and the xlsx plugin only."""
    monkeypatch.setenv(LOAD_PLUGINS_ENV, "xlsx")
    reset_plugin_manager()
    yield
    reset_plugin_manager()


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rich_ledgers())
def test_ledgers_round_trip_through_xlsx(tmp_path: Path, ledger: Ledger) -> None:
    """Any ledger written by the xlsx format's writer is read back equal by load_ledger.

    A cell's surrounding white space is not kept (a clerk's stray space is no data), so
    the ledgers drawn have none around their free text.
    """
    # The workbook holds the collections of issue 13; the others are refused by its writer.
    ledger = attrs.evolve(ledger, **{name: () for name in COLLECTIONS if name not in SHEETED})
    texts = [ledger.title, *(target.note for target in ledger.targets)]
    assume(all(text == text.strip() for text in texts))
    assume(not ledger.title.startswith("#"))  # refused: it would read back as a note
    write = get_importer("xlsx").write
    assert write is not None
    path = tmp_path / "r.xlsx"
    with path.open("wb") as stream:
        write(ledger, stream)
    assert load_ledger(path) == ledger


def test_a_record_that_would_read_back_as_a_note_is_refused(tmp_path: Path) -> None:
    """A title starting with '#' would be skipped as a note when read back: the writer
    refuses it (naming the sheet, row and field) rather than lose it."""
    ledger = attrs.evolve(sample_ledger(), title="# số liệu")
    ledger = attrs.evolve(ledger, **{name: () for name in COLLECTIONS if name not in SHEETED})
    write = get_importer("xlsx").write
    assert write is not None
    with (tmp_path / "r.xlsx").open("wb") as stream, pytest.raises(ValidationError) as caught:
        write(ledger, stream)
    assert caught.value.field == "title"
    assert "read back as a note" in str(caught.value)
