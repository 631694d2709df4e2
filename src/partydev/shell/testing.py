"""Helpers for testing partydev plugins.

A plugin's tests usually need a realistic report and, when the plugin is not
installed in the test environment, a way to register it for one test::

    from partydev import export
    from partydev.testing import registered, sample_report

    import partydev_markdown

    def test_markdown(tmp_path):
        with registered(partydev_markdown):
            export(sample_report(), "markdown", tmp_path / "report.md")

To keep other installed plugins out of a test, set :data:`LOAD_PLUGINS_ENV`
empty and call :func:`reset_plugin_manager` (both re-exported here from
:mod:`partydev.plugins`, so a plugin's tests need only this module).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from ..plugins.manager import LOAD_PLUGINS_ENV, clear_exporter_cache, get_plugin_manager
from ..plugins.manager import reset_plugin_manager as reset_plugin_manager
from ..report.table import Report

__all__ = ["LOAD_PLUGINS_ENV", "registered", "reset_plugin_manager", "sample_report"]


def sample_report() -> Report:
    """The mid-term report of the bundled Quảng Nam sample, as of 30 June 2023.

    The same report ``partydev report`` prints, so a plugin can be tested on
    real figures and Vietnamese text.
    """
    from ..report.progress import build_report
    from .io import sample_ledger

    return build_report(sample_ledger(), as_of=date(2023, 6, 30))


@contextmanager
def registered(plugin: object, name: str | None = None) -> Iterator[str]:
    """Register *plugin* (a module or object with hook implementations) for a while.

    Args:
        plugin: The plugin, typically the plugin's module.
        name: The name to register it under; pluggy chooses one if omitted.

    Yields:
        The name the plugin is registered under.  A plugin that is already
        registered (installed and loaded) stays as it is.
    """
    manager = get_plugin_manager()
    if manager.is_registered(plugin):
        yield manager.get_name(plugin) or ""
        return
    plugin_name = manager.register(plugin, name=name)
    if plugin_name is None:  # pluggy returns None for a blocked name
        raise ValueError(f"plugin name {name!r} is blocked")
    try:
        yield plugin_name
    finally:
        manager.unregister(plugin)
        clear_exporter_cache()
