"""Shared fixtures: a hand-built report with every column type, and plugin isolation."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

import partydev
from partydev import Column, Report, Table
from partydev.plugins import LOAD_PLUGINS_ENV, reset_plugin_manager

# The plugin distributions under tests/plugins/ are installed, not collected
# (partydev-broken raises on import on purpose).
collect_ignore_glob = ["plugins/*"]

HYPERLINK = '=HYPERLINK("http://x","y")'


@pytest.fixture(autouse=True)
def _builtin_plugins_only(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test starts with a fresh manager holding only the built-in plugins.

    Tests about installed plugins delete or set the variable themselves.
    """
    monkeypatch.setenv(LOAD_PLUGINS_ENV, "")
    reset_plugin_manager()
    yield
    reset_plugin_manager()


@pytest.fixture(autouse=True)
def _plain_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """The command speaks Vietnamese and fits no width unless a test says otherwise,
    whatever the developer's LANG, COLUMNS or PAGER."""
    for key in ("LC_ALL", "LC_MESSAGES", "LANG", "COLUMNS", "LINES", "PAGER", "NO_COLOR"):
        monkeypatch.delenv(key, raising=False)


@pytest.fixture
def report() -> Report:
    """A small report: Vietnamese text, a formula-like name, a negative, a None, all types."""
    summary = Table(
        key="summary",
        title_vi="Kết quả phát triển đảng viên",
        title_en="Member development",
        columns=[
            Column("unit", "code", "Mã đơn vị", "Unit id"),
            Column("name", "text", "Tên đơn vị", "Unit"),
            Column("level", "code", "Cấp", "Level"),
            Column("admitted", "integer", "Số kết nạp", "Admitted"),
            Column("percent", "percent", "Tỷ lệ đạt (%)", "Reached (%)", places=1),
            Column("average", "decimal", "Bình quân mỗi năm", "Yearly average", places=2),
            Column("as_of", "date", "Tính đến ngày", "As of"),
            Column("status", "code", "Tiến độ", "Pace"),
        ],
        rows=[
            [
                "quang-nam",
                "Tỉnh Quảng Nam",
                "province",
                4537,
                Decimal("60.50"),
                Decimal("1814.80"),
                date(2023, 6, 30),
                "ahead",
            ],
            ["nam-giang", "Nam Giang", "district", 268, Decimal("76.6"), None, None, "behind"],
            [
                "evil",
                HYPERLINK,
                "-cell",
                -3,
                Decimal("-0.5"),
                Decimal("1E+3"),
                date(2021, 1, 1),
                None,
            ],
            [
                "quote",
                'Chi bộ "Tam Kỳ", 1\nline two',
                "cell",
                0,
                None,
                Decimal("0.00"),
                None,
                None,
            ],
        ],
    )
    extra = Table(
        key="periods",
        title_vi="Theo năm",
        title_en="By year",
        columns=[Column("year", "integer", "Năm", "Year"), Column("n", "integer", "Số", "Count")],
        rows=[[2021, 1732], [2022, 1877]],
    )
    return Report(
        title_vi="Báo cáo giữa nhiệm kỳ",
        title_en="Mid-term report",
        tables=[summary, extra],
        metadata=[
            ("term", "2020–2025"),
            ("as_of", date(2023, 6, 30)),
            ("places", 1),
            ("pace_tolerance", Decimal("2.5")),
            ("source", None),
        ],
    )


@pytest.fixture
def child_env() -> dict[str, str]:
    """The environment for a child ``partydev`` process: this checkout's source, built-ins only."""
    source = str(Path(partydev.__file__).resolve().parents[1])
    path = os.pathsep.join(p for p in (source, os.environ.get("PYTHONPATH", "")) if p)
    return {**os.environ, "PYTHONPATH": path, LOAD_PLUGINS_ENV: ""}
