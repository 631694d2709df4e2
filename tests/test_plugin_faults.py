"""A plugin cannot take the shell down: BaseExceptions, duplicate exporter names."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Mapping
from importlib import metadata
from pathlib import Path
from typing import IO, Any

import pytest

from partydev import PluginError, Report
from partydev.plugins import (
    LOAD_PLUGINS_ENV,
    PartydevPluginWarning,
    exporters,
    get_exporter,
    plugin_info,
    reset_plugin_manager,
)
from partydev.plugins.exporting import Exporter
from partydev.plugins.hookspecs import hookimpl
from partydev.shell.cli import EXIT_CODES, main
from partydev.shell.export import export
from partydev.shell.exporters import csv as csv_plugin
from partydev.shell.testing import registered


class _Escape(BaseException):
    """A BaseException of a plugin's own, neither Exception nor KeyboardInterrupt."""


class _Raising:
    """An exporter that writes a little, then raises what it was given."""

    def __init__(self, error: BaseException) -> None:
        self.error = error

    @hookimpl
    def register_exporters(self, register: Callable[[Exporter], None]) -> None:
        def write(report: Report, stream: IO[Any], options: Mapping[str, Any]) -> None:
            stream.write("half")
            raise self.error

        register(Exporter("raising", "Lỗi", "Raising", (".raising",), "text/plain", False, write))


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    ("error", "shown"),
    [(SystemExit(7), "SystemExit: 7"), (_Escape("gone"), "_Escape: gone")],
)
def test_base_exception_in_write_is_a_plugin_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, error: BaseException, shown: str
) -> None:
    """SystemExit or another BaseException in write: exit 5, one line, the old file kept."""
    target = tmp_path / "r.raising"
    target.write_bytes(b"old")
    with registered(_Raising(error), name="raising"):
        code, out, err = _run(capsys, "report", "-f", "raising", "-o", str(target))
    assert code == EXIT_CODES["plugin"] == 5
    assert err.splitlines() == [
        f"partydev: error: {target}: the 'raising' exporter stopped the export: {shown}"
    ]
    assert out == ""
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["r.raising"]


def test_system_exit_in_write_is_plugin_error_in_library(report: Report, tmp_path: Path) -> None:
    """partydev.export turns a plugin's SystemExit into a PluginError chained to it."""
    with registered(_Raising(SystemExit(7))), pytest.raises(PluginError) as info:
        export(report, "raising", tmp_path / "r.raising")
    assert isinstance(info.value.__cause__, SystemExit)
    assert os.listdir(tmp_path) == []


def test_keyboard_interrupt_in_write_is_ctrl_c(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A KeyboardInterrupt from a plugin is Ctrl-C: exit 130, one line, no temp file."""
    with registered(_Raising(KeyboardInterrupt()), name="raising"):
        code, _, err = _run(capsys, "report", "-f", "raising", "-o", str(tmp_path / "r.raising"))
    assert code == EXIT_CODES["interrupted"] == 130
    assert err.splitlines() == ["partydev: đã dừng (Ctrl-C)"]
    assert os.listdir(tmp_path) == []


class _ExitingRegistration:
    @hookimpl
    def register_exporters(self, register: Callable[[Exporter], None]) -> None:
        sys.exit(3)


def test_system_exit_in_hook_disables_that_plugin(capsys: pytest.CaptureFixture[str]) -> None:
    """sys.exit() in register_exporters is that plugin's error; the formats still work."""
    with registered(_ExitingRegistration(), name="exiter"):
        with pytest.warns(PartydevPluginWarning, match="'exiter'.*SystemExit: 3"):
            assert list(exporters()) == ["csv", "json"]
        row = next(r for r in plugin_info() if r["name"] == "exiter")
        assert row["error"] == "SystemExit: 3"
        code, out, _ = _run(capsys, "report", "-f", "json", "-o", "-")
    assert code == 0
    assert json.loads(out)["title"]


def test_system_exit_on_import_is_a_load_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """An installed plugin calling sys.exit() on import is listed with its error, not fatal."""
    (tmp_path / "partydev_exits_on_import.py").write_text("import sys\nsys.exit(9)\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    entry = metadata.EntryPoint("exits", "partydev_exits_on_import", "partydev")
    real = metadata.entry_points

    def entry_points(**selection: Any) -> Any:
        return [entry] if selection.get("group") == "partydev" else real(**selection)

    monkeypatch.setattr(metadata, "entry_points", entry_points)
    monkeypatch.delenv(LOAD_PLUGINS_ENV)
    reset_plugin_manager()
    with pytest.warns(PartydevPluginWarning, match="'exits' could not be loaded: SystemExit: 9"):
        assert list(exporters()) == ["csv", "json"]
    row = next(r for r in plugin_info() if r["name"] == "exits")
    assert row["error"] == "SystemExit: 9"


class _Copycat:
    """A plugin registering an exporter called csv (the built-in's name) and one of its own."""

    @hookimpl
    def register_exporters(self, register: Callable[[Exporter], None]) -> None:
        register(csv_plugin.EXPORTER)
        mine = {**{f: getattr(csv_plugin.EXPORTER, f) for f in _FIELDS}, "name": "mine"}
        register(Exporter(**mine))


_FIELDS = ("name", "title_vi", "title_en", "suffixes", "media_type", "binary", "write")

CLASH = (
    "two plugins register an exporter called 'csv': 'partydev.shell.exporters.csv' and 'copycat'; "
    "the format is disabled until one is removed"
)


def test_duplicate_name_disables_only_that_name(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A clash on csv: csv refused naming both (exit 5); json and the copycat's own work."""
    with registered(_Copycat(), name="copycat"):
        with pytest.warns(PartydevPluginWarning) as caught:
            assert list(exporters()) == ["json", "mine"]
        assert [str(w.message) for w in caught] == [CLASH]
        with pytest.raises(PluginError, match=r"'partydev\.shell\.exporters\.csv' and 'copycat'"):
            get_exporter("csv")
        code, _, err = _run(capsys, "report", "-f", "csv", "-o", str(tmp_path / "r.csv"))
        assert code == EXIT_CODES["plugin"]
        assert err.splitlines() == [f"partydev: error: {CLASH} (value 'csv')"]
        code, out, _ = _run(capsys, "report", "-f", "json", "-o", "-")
        assert code == 0
        assert json.loads(out)["title"]
        code, out, _ = _run(capsys, "formats", "--json")
        assert code == 0
        rows = json.loads(out)
        assert [r["name"] for r in rows if r["direction"] == "export"] == ["json", "mine"]
    assert os.listdir(tmp_path) == []


def test_plugins_shows_the_clash_on_both(capsys: pytest.CaptureFixture[str]) -> None:
    """`partydev plugins` names the clash on each claimant; the others show no error."""
    with registered(_Copycat(), name="copycat"), pytest.warns(PartydevPluginWarning):
        code, out, _ = _run(capsys, "plugins")
    assert code == 0
    errors = {row["name"]: row["error"] for row in json.loads(out)}
    assert errors == {
        "partydev.shell.exporters.csv": CLASH,
        "partydev.shell.exporters.json": None,
        "partydev.shell.importers.builtin": None,
        "copycat": CLASH,
    }
