"""The plugin is found through its installed entry point by a real plugin manager."""

from __future__ import annotations

from importlib.metadata import entry_points

import pluggy

import partydev.hookspecs
from partydev.exporting import Exporter


def test_entry_point_registers_xlsx() -> None:
    """The partydev entry point 'xlsx' loads a module whose hook registers the exporter."""
    found = [ep for ep in entry_points(group="partydev") if ep.name == "xlsx"]
    assert len(found) == 1
    pm = pluggy.PluginManager(partydev.hookspecs.PROJECT_NAME)
    pm.add_hookspecs(partydev.hookspecs)
    pm.register(found[0].load(), name="xlsx")
    registered: list[Exporter] = []
    pm.hook.register_exporters(register=registered.append)
    assert [e.name for e in registered] == ["xlsx"]
    exporter = registered[0]
    assert exporter.binary
    assert exporter.suffixes == (".xlsx",)
    assert exporter.media_type.endswith("spreadsheetml.sheet")
    assert exporter.resolve_options({}) == {
        "locale": "vi",
        "chart": True,
        "chart_rows": 60,
        "streaming": "auto",
    }
