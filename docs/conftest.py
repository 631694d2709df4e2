"""pytest collects the ``>>>`` examples of the Markdown pages here as doctests.

Only the pages are tests: the Sphinx configuration and the built site are not.
Each page runs in a fresh temporary directory, so an example can write
``ledger.toml`` or ``baocao.csv`` and show the short relative name in its output,
and sees only the built-in export formats, as a reader who installed partydev alone
does (a page that needs a plugin registers it with ``partydev.testing.registered``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from partydev.plugins import LOAD_PLUGINS_ENV, reset_plugin_manager

collect_ignore = ["conf.py"]
collect_ignore_glob = ["_build/*"]


@pytest.fixture(autouse=True)
def _in_temporary_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Run each page's examples in an empty directory, with the built-in formats only."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(LOAD_PLUGINS_ENV, "")
    reset_plugin_manager()
    yield
    reset_plugin_manager()
