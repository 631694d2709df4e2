"""Importers are plugins: the register_importers hook, built-ins, choice by suffix or name.

The test command installs ``tests/plugins/partydev-importer-sample``, which declares two
entry points: ``pdl`` (a working importer of ``.pdl`` files) and ``brokenimport`` (whose
``register_importers`` raises).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest

from partydev import Ledger, PluginError, ValidationError, hookimpl
from partydev.plugins import (
    LOAD_PLUGINS_ENV,
    Importer,
    LedgerSource,
    PartydevPluginWarning,
    exporters,
    get_importer,
    importer_for_path,
    importers,
    plugin_info,
    reset_plugin_manager,
)
from partydev.shell.io import dumps_ledger, load_ledger, sample_ledger, validate_ledger_file
from partydev.shell.testing import registered

SAMPLE_TOML = Path(__file__).parents[1] / "src/partydev/data/quang-nam-2023.toml"


def _pdl(tmp_path: Path) -> Path:
    path = tmp_path / "ledger.pdl"
    path.write_text("#pdl\n" + dumps_ledger(sample_ledger()), encoding="utf-8")
    return path


def _installed_sample(monkeypatch: pytest.MonkeyPatch) -> None:
    try:
        metadata.distribution("partydev-importer-sample")
    except metadata.PackageNotFoundError:
        pytest.fail(
            "partydev-importer-sample is not installed; run: "
            "pip install -e ./tests/plugins/partydev-importer-sample"
        )
    monkeypatch.setenv(LOAD_PLUGINS_ENV, "pdl,brokenimport")
    reset_plugin_manager()


def test_builtin_importers_in_order() -> None:
    """The built-in importers are toml, json and csv, registered through the hook."""
    assert list(importers()) == ["toml", "json", "csv"]
    info = {row["name"]: row for row in plugin_info()}
    assert info["partydev.shell.importers.builtin"]["importers"] == ["toml", "json", "csv"]
    assert info["partydev.shell.importers.builtin"]["hooks"] == ["register_importers"]


def test_suffix_picks_the_importer() -> None:
    """A suffix picks the whole-ledger importer, case-insensitively; .csv reads only records."""
    assert importer_for_path("a/b.TOML") is get_importer("toml")
    assert importer_for_path("b.json") is get_importer("json")
    assert importer_for_path("b.csv") is None
    assert importer_for_path("b.csv", ledger=False) is get_importer("csv")
    assert importer_for_path("b.yaml") is None


def test_format_overrides_the_suffix(tmp_path: Path) -> None:
    """format= reads a file whatever its suffix; the default would refuse it."""
    path = tmp_path / "ledger.txt"
    path.write_text(SAMPLE_TOML.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(ValidationError, match=r"a ledger is a \.toml or \.json file"):
        load_ledger(path)
    assert load_ledger(path, "toml") == load_ledger(SAMPLE_TOML)
    json_path = tmp_path / "ledger.data"
    json_path.write_text(dumps_ledger(sample_ledger()), encoding="utf-8")
    assert load_ledger(json_path, format="json") == sample_ledger()
    assert validate_ledger_file(json_path, "json") == []


def test_format_errors_are_plugin_errors(tmp_path: Path) -> None:
    """An unknown format lists the available ones; a records-only format is not a ledger."""
    with pytest.raises(PluginError, match="unknown import format 'yaml'; available: csv, json"):
        load_ledger(SAMPLE_TOML, "yaml")
    with pytest.raises(ValidationError, match="not a whole ledger") as info:
        load_ledger(SAMPLE_TOML, "csv")
    assert info.value.file == str(SAMPLE_TOML)
    with pytest.raises(PluginError, match="importer 'toml' has no option 'sheet'"):
        load_ledger(SAMPLE_TOML, options={"sheet": "x"})


def test_limits_reach_the_importer(tmp_path: Path) -> None:
    """max_bytes and allow_outside are handed to the importer in its LedgerSource."""
    seen: list[LedgerSource] = []

    def read(source: LedgerSource, options: Mapping[str, Any]) -> Ledger:
        seen.append(source)
        return sample_ledger()

    class Plugin:
        @hookimpl
        def register_importers(self, register: Callable[[Importer], None]) -> None:
            register(Importer("seen", "Thử", "Probe", (".seen",), read))

    with registered(Plugin(), name="probe"):
        load_ledger(tmp_path / "x.SEEN", max_bytes=123, allow_outside=True)
    assert seen == [LedgerSource(tmp_path / "x.SEEN", str(tmp_path / "x.SEEN"), 123, True)]


def test_an_importer_bug_is_a_plugin_error(tmp_path: Path) -> None:
    """An importer raising something other than a PartydevError names the importer."""

    def read(source: LedgerSource, options: Mapping[str, Any]) -> Ledger:
        raise KeyError("sheet")

    class Plugin:
        @hookimpl
        def register_importers(self, register: Callable[[Importer], None]) -> None:
            register(Importer("buggy", "Lỗi", "Buggy", (".bug",), read))

    with registered(Plugin(), name="buggy"), pytest.raises(PluginError) as info:
        load_ledger(tmp_path / "x.bug")
    assert (
        str(info.value) == f"{tmp_path / 'x.bug'}: the 'buggy' importer failed: KeyError: 'sheet'"
    )
    assert isinstance(info.value.__cause__, KeyError)


def test_importer_contract_is_checked() -> None:
    """An importer reads something, and its suffixes start with a dot."""
    with pytest.raises(ValidationError, match="reads a ledger, records, or both"):
        Importer("x", "x", "x", (".x",))
    with pytest.raises(ValidationError, match="start with a dot"):
        Importer("x", "x", "x", ("x",), read=lambda source, options: sample_ledger())


def test_duplicate_importer_names_disable_that_name(tmp_path: Path) -> None:
    """Two importers called toml disable toml, naming both plugins; json keeps working."""
    toml = get_importer("toml")

    class Copy:
        @hookimpl
        def register_importers(self, register: Callable[[Importer], None]) -> None:
            register(toml)

    with registered(Copy(), name="copy"):
        with pytest.warns(PartydevPluginWarning, match="importer called 'toml'"):
            assert list(importers()) == ["json", "csv"]
        with pytest.raises(PluginError, match=r"'partydev\.shell\.importers\.builtin' and 'copy'"):
            get_importer("toml")
        json_path = tmp_path / "ledger.json"
        json_path.write_text(dumps_ledger(sample_ledger()), encoding="utf-8")
        assert load_ledger(json_path) == sample_ledger()


def test_entry_point_importer_reads(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """An importer installed through an entry point reads its suffix, with its options."""
    _installed_sample(monkeypatch)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PartydevPluginWarning)
        ledger = load_ledger(_pdl(tmp_path))
        assert ledger == sample_ledger()
        retitled = load_ledger(_pdl(tmp_path), options={"title": "Khác"})
    assert retitled.title == "Khác"
    assert retitled.units == sample_ledger().units


def test_entry_point_importer_errors_are_located(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A plugin importer's PartydevError gets the file name added."""
    _installed_sample(monkeypatch)
    bad = tmp_path / "bad.pdl"
    bad.write_text("{}", encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PartydevPluginWarning)
        with pytest.raises(ValidationError) as info:
            load_ledger(bad)
    assert str(info.value) == f"{bad}:1: a .pdl file starts with #pdl (value '{{}}')"


def test_broken_importer_is_isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """An installed importer whose registration raises warns once; everything else works."""
    _installed_sample(monkeypatch)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert list(importers()) == ["toml", "json", "csv", "pdl"]
        importers()
        assert list(exporters())[:2] == ["csv", "json"]
    messages = [str(w.message) for w in caught if w.category is PartydevPluginWarning]
    assert len(messages) == 1
    assert "'brokenimport'" in messages[0]
    assert "could not register its importers" in messages[0]
    assert "fails on purpose" in messages[0]
    info = {row["name"]: row for row in plugin_info()}
    assert info["brokenimport"]["error"] == (
        "RuntimeError: partydev-importer-sample's broken importer fails on purpose"
    )
    assert info["pdl"]["importers"] == ["pdl"]
    assert info["pdl"]["error"] is None
    assert load_ledger(_pdl(tmp_path)) == sample_ledger()
