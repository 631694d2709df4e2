"""The plugin manager, through the real manager and really installed entry points.

The test command installs ``plugins/partydev-markdown`` and the deliberately
broken ``tests/plugins/partydev-broken``::

    pip install -e ./plugins/partydev-markdown -e ./tests/plugins/partydev-broken
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest

from partydev import PluginError, Report
from partydev.plugins import (
    DEFAULT_PLUGINS,
    LOAD_PLUGINS_ENV,
    PartydevPluginWarning,
    exporters,
    get_exporter,
    get_plugin_manager,
    plugin_info,
    reset_plugin_manager,
)
from partydev.plugins.exporting import Exporter
from partydev.plugins.hookspecs import hookimpl
from partydev.shell.export import export
from partydev.shell.exporters import csv as csv_plugin
from partydev.shell.testing import registered


def _require_installed(*distributions: str) -> None:
    for name in distributions:
        try:
            metadata.distribution(name)
        except metadata.PackageNotFoundError:
            pytest.fail(
                f"{name} is not installed; run: pip install -e ./plugins/partydev-markdown "
                "-e ./tests/plugins/partydev-broken"
            )


def _all_installed(monkeypatch: pytest.MonkeyPatch) -> list[warnings.WarningMessage]:
    monkeypatch.delenv(LOAD_PLUGINS_ENV)
    reset_plugin_manager()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        exporters()
    return [w for w in caught if issubclass(w.category, PartydevPluginWarning)]


def test_manager_is_lazy_and_cached() -> None:
    """The manager is built on first use and the same object is returned after."""
    first = get_plugin_manager()
    assert first is get_plugin_manager()
    assert first.project_name == "partydev"
    reset_plugin_manager()
    assert get_plugin_manager() is not first


def test_builtins_only_when_env_empty() -> None:
    """PARTYDEV_LOAD_PLUGINS set but empty loads only the built-in exporters."""
    assert list(exporters()) == ["csv", "json"]
    assert [row["name"] for row in plugin_info()] == list(DEFAULT_PLUGINS)


def test_broken_plugin_warns_once_others_work(
    monkeypatch: pytest.MonkeyPatch, report: Report, tmp_path: Path
) -> None:
    """An installed plugin failing on import gives one warning naming it; the rest works."""
    _require_installed("partydev-markdown", "partydev-broken")
    caught = _all_installed(monkeypatch)
    assert len(caught) == 1
    message = str(caught[0].message)
    assert "'broken'" in message
    assert "partydev-broken" in message
    assert "fails on import on purpose" in message
    names = list(exporters())  # other installed plugins (partydev-xlsx) may follow
    assert names[:2] == ["csv", "json"]
    assert "markdown" in names
    export(report, "csv", tmp_path / "r.csv")
    export(report, "json", tmp_path / "r.json")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.csv", "r.json"]
    with warnings.catch_warnings():  # an installed test importer fails on purpose too
        warnings.simplefilter("ignore", PartydevPluginWarning)
        info = {row["name"]: row for row in plugin_info()}
    assert info["broken"]["error"] == "RuntimeError: partydev-broken fails on import on purpose"
    assert info["broken"]["distribution"] == "partydev-broken"
    assert info["markdown"]["exporters"] == ["markdown"]
    assert info["markdown"]["version"] == "0.1.0"


def test_env_selects_by_entry_point_or_distribution(monkeypatch: pytest.MonkeyPatch) -> None:
    """PARTYDEV_LOAD_PLUGINS accepts entry-point names and distribution names."""
    _require_installed("partydev-markdown", "partydev-broken")
    for value in ("markdown", "partydev_markdown", " Partydev-Markdown ,"):
        monkeypatch.setenv(LOAD_PLUGINS_ENV, value)
        reset_plugin_manager()
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            assert list(exporters()) == ["csv", "json", "markdown"]


def test_env_names_a_missing_plugin(monkeypatch: pytest.MonkeyPatch) -> None:
    """A name in PARTYDEV_LOAD_PLUGINS that matches nothing is warned about and listed."""
    monkeypatch.setenv(LOAD_PLUGINS_ENV, "no-such-plugin")
    reset_plugin_manager()
    with pytest.warns(PartydevPluginWarning, match="no-such-plugin"):
        assert list(exporters()) == ["csv", "json"]
    assert plugin_info()[-1]["error"].startswith("no installed plugin is called")


class _Duplicate:
    @hookimpl
    def register_exporters(self, register: Callable[[Exporter], None]) -> None:
        register(csv_plugin.EXPORTER)


def test_duplicate_names_name_both_plugins() -> None:
    """Two exporters called csv disable csv only, and asking for it names both plugins."""
    with registered(_Duplicate(), name="copycat"):
        with pytest.warns(
            PartydevPluginWarning, match=r"'partydev\.shell\.exporters\.csv' and 'copycat'"
        ):
            assert list(exporters()) == ["json"]
        with pytest.raises(PluginError, match=r"'partydev\.shell\.exporters\.csv' and 'copycat'"):
            get_exporter("csv")
        assert any(row["name"] == "copycat" for row in plugin_info())
    assert list(exporters()) == ["csv", "json"]


class _RaisingRegistration:
    @hookimpl
    def register_exporters(self, register: Callable[[Exporter], None]) -> None:
        register(csv_plugin.EXPORTER.__class__(**_renamed("half")))
        raise ValueError("cannot find my template")


def _renamed(name: str) -> dict[str, Any]:
    e = csv_plugin.EXPORTER
    return {
        "name": name,
        "title_vi": e.title_vi,
        "title_en": e.title_en,
        "suffixes": (".half",),
        "media_type": e.media_type,
        "binary": e.binary,
        "write": e.write,
    }


def test_registration_error_warns_and_drops_that_plugin() -> None:
    """A plugin raising inside register_exporters is warned about and contributes nothing."""
    with registered(_RaisingRegistration(), name="raiser"):
        with pytest.warns(PartydevPluginWarning, match="'raiser'.*cannot find my template"):
            assert list(exporters()) == ["csv", "json"]
        row = next(r for r in plugin_info() if r["name"] == "raiser")
        assert row["error"] == "ValueError: cannot find my template"
        assert row["hooks"] == ["register_exporters"]


def test_registered_adds_then_removes() -> None:
    """testing.registered makes a plugin's exporter available only inside the block."""
    with registered(_Renamed(), name="renamed") as name:
        assert name == "renamed"
        assert get_exporter("csv2").suffixes == (".half",)
    with pytest.raises(PluginError, match="unknown export format 'csv2'; available: csv, json"):
        get_exporter("csv2")


class _Renamed:
    @hookimpl
    def register_exporters(self, register: Callable[[Exporter], None]) -> None:
        register(Exporter(**_renamed("csv2")))


def test_register_rejects_non_exporters() -> None:
    """register() with something other than an Exporter is that plugin's error."""

    class Wrong:
        @hookimpl
        def register_exporters(self, register: Callable[[Any], None]) -> None:
            register("csv")

    with registered(Wrong(), name="wrong"), pytest.warns(PartydevPluginWarning, match="str"):
        assert list(exporters()) == ["csv", "json"]


def test_plugin_info_is_json() -> None:
    """plugin_info() is JSON-serialisable and describes the built-ins."""
    rows = json.loads(json.dumps(plugin_info()))
    assert rows[0] == {
        "name": "partydev.shell.exporters.csv",
        "module": "partydev.shell.exporters.csv",
        "distribution": "partydev",
        "version": rows[0]["version"],
        "builtin": True,
        "hooks": ["register_exporters"],
        "exporters": ["csv"],
        "importers": [],
        "error": None,
    }
    assert rows[0]["version"]


def test_registration_error_warns_once() -> None:
    """Collecting again after another plugin registers keeps the error but warns no more."""
    with registered(_RaisingRegistration(), name="raiser"):
        with pytest.warns(PartydevPluginWarning, match="'raiser'"):
            exporters()
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            with registered(_Renamed(), name="renamed"):
                assert list(exporters()) == ["csv", "json", "csv2"]
                row = next(r for r in plugin_info() if r["name"] == "raiser")
                assert row["error"] == "ValueError: cannot find my template"
            assert list(exporters()) == ["csv", "json"]


def test_exporters_subpackage_does_not_shadow_a_public_function() -> None:
    """``partydev.shell.exporters`` is the built-in exporters' package, also after plugins
    load, and ``partydev.plugins.exporters`` the function listing the formats."""
    import importlib

    import partydev.shell
    from partydev.plugins import exporters

    assert "csv" in exporters()
    assert importlib.import_module("partydev.shell.exporters") is partydev.shell.exporters
    assert callable(partydev.plugins.exporters)
    assert "exporters" not in partydev.__all__
