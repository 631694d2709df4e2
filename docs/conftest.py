"""pytest collects the ``>>>`` examples of the Markdown pages here as doctests.

Only the pages are tests: the Sphinx configuration and the built site are not.
Each page runs in a fresh temporary directory, so an example can write
``ledger.toml`` or ``baocao.csv`` and show the short relative name in its output.
"""

from __future__ import annotations

from pathlib import Path

import pytest

collect_ignore = ["conf.py"]
collect_ignore_glob = ["_build/*"]


@pytest.fixture(autouse=True)
def _in_temporary_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run each page's examples in an empty directory of their own."""
    monkeypatch.chdir(tmp_path)
