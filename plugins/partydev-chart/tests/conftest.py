"""Test against partydev's built-in formats plus this plugin, whatever else is installed."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from partydev.plugins import LOAD_PLUGINS_ENV, reset_plugin_manager


@pytest.fixture(autouse=True)
def _only_builtin_plugins(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Load no other installed plugin; the tests register this one with ``registered``."""
    monkeypatch.setenv(LOAD_PLUGINS_ENV, "")
    reset_plugin_manager()
    yield
    reset_plugin_manager()
