"""The plugin is found through its installed entry point by partydev's plugin manager."""

from __future__ import annotations

from importlib.metadata import entry_points
from pathlib import Path

import openpyxl
import partydev_xlsx
import pytest
from partydev_xlsx import _print

from partydev.plugins import get_exporter, plugin_info
from partydev.shell.export import export, format_for_path
from partydev.shell.testing import sample_report

pytestmark = pytest.mark.usefixtures("only_xlsx")


def test_entry_point_declared() -> None:
    """The distribution declares the 'xlsx' entry point in the 'partydev' group."""
    found = [ep for ep in entry_points(group="partydev") if ep.name == "xlsx"]
    assert [ep.value for ep in found] == ["partydev_xlsx"]
    assert found[0].dist is not None
    assert found[0].dist.name == "partydev-xlsx"


def test_manager_finds_the_exporter() -> None:
    """get_exporter('xlsx') returns this plugin's exporter, with its defaults."""
    exporter = get_exporter("xlsx")
    assert exporter is partydev_xlsx.EXPORTER
    assert exporter.binary
    assert exporter.suffixes == (".xlsx",)
    assert exporter.media_type.endswith("spreadsheetml.sheet")
    assert exporter.resolve_options({}) == {
        "locale": "vi",
        "chart": True,
        "chart_rows": 25,
        "chart_level": "",
        "streaming": "auto",
        "overflow": "split",
    }
    info = {row["name"]: row for row in plugin_info()}
    assert info["xlsx"]["distribution"] == "partydev-xlsx"
    assert info["xlsx"]["exporters"] == ["xlsx"]
    assert info["xlsx"]["error"] is None


def test_export_sample_to_path(tmp_path: Path) -> None:
    """partydev.export writes the bundled sample report as a workbook chosen by suffix."""
    target = tmp_path / "report.xlsx"
    assert format_for_path(target) == "xlsx"
    report = sample_report()
    export(report, "xlsx", target, {"locale": "en"})
    book = openpyxl.load_workbook(target)
    assert len(book.worksheets) == len(report.tables) + 2  # and the chart, the metadata
    first = book.worksheets[0]
    head = _print.HEADER_ROW + 1
    order = _print.display_order([c.key for c in report.summary.columns])
    labels = [report.summary.columns[i].label("en") for i in order]
    assert [c.value for c in first[head]] == labels
    assert first.max_row == len(report.summary.rows) + head
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.xlsx"]
