"""The chart plugin: formats registered, bars and reference line drawn, bytes stable."""

from __future__ import annotations

import functools
import io
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import matplotlib.image
import numpy as np
import partydev_chart
import pytest
from partydev_chart import _draw

from partydev import export
from partydev.errors import ExportError
from partydev.plugins import exporters
from partydev.report import Column, Report, Table
from partydev.shell.testing import registered, sample_report


def render(report: Report, fmt: str, **options: Any) -> bytes:
    """The bytes of *report*'s chart in *fmt* with *options*."""
    buffer = io.BytesIO()
    partydev_chart.write(report, buffer, options, fmt)
    return buffer.getvalue()


@functools.cache
def _sample(fmt: str, options: tuple[tuple[str, Any], ...]) -> bytes:
    return render(sample_report(), fmt, **dict(options))


def sample(fmt: str, **options: Any) -> bytes:
    """The bytes of the sample report's chart (rendered once per test session)."""
    return _sample(fmt, tuple(sorted(options.items())))


def many_units(count: int) -> Report:
    """A root and *count* sub-units whose percent is their number; one has no percent."""
    columns = [
        Column("unit_id", "text", "Mã đơn vị", "Unit id"),
        Column("unit_name", "text", "Đơn vị", "Unit"),
        Column("parent_id", "text", "Mã đơn vị cấp trên", "Parent id"),
        Column("level", "code", "Cấp", "Level"),
        Column("percent", "percent", "Tỷ lệ đạt (%)", "Percent of target", places=1),
        Column("elapsed_percent", "percent", "Thời gian đã qua (%)", "Time elapsed", places=1),
    ]
    rows: list[tuple[Any, ...]] = [("root", "Tỉnh", None, "province", Decimal(50), Decimal(50))]
    rows += [
        (f"u{n}", f"Xã số {n}", "root", "commune", Decimal(n), Decimal(50))
        for n in range(1, count + 1)
    ]
    rows.append(("blank", "Xã chưa có chỉ tiêu", "root", "commune", None, Decimal(50)))
    table = Table("summary", "Tiến độ", "Progress", columns, rows)
    return Report("Báo cáo", "Report", [table], {"as_of": "2023-06-30"})


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_registered_formats_write_files(fmt: str, tmp_path: Path) -> None:
    """Installed as a plugin, png, svg and pdf are formats and write their files."""
    with registered(partydev_chart):
        assert exporters()[fmt].media_type == partydev_chart.EXPORTERS[fmt].media_type
        export(sample_report(), fmt, tmp_path / f"chart.{fmt}")
    magic = {"png": b"\x89PNG", "svg": b"<?xml", "pdf": b"%PDF"}[fmt]
    assert (tmp_path / f"chart.{fmt}").read_bytes().startswith(magic)


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_same_report_same_bytes(fmt: str) -> None:
    """Two renderings of one report are byte-identical and carry no timestamp or version."""
    first = sample(fmt)
    assert first == render(sample_report(), fmt)
    assert b"CreationDate" not in first
    assert b"Matplotlib" not in first
    assert b"<dc:date>" not in first


def test_png_size_and_pixels() -> None:
    """The PNG has the asked size; bars are drawn in their colour and the line in its own."""
    pixels = matplotlib.image.imread(io.BytesIO(sample("png", width=900)))
    assert pixels.shape[:2] == (360, 900)
    rgb = (pixels[:, :, :3] * 255).round().astype(int)

    def share(colour: str) -> float:
        """The share of pixels painted *colour*."""
        wanted = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
        return float(np.mean(np.all(rgb == wanted, axis=2)))

    assert share(_draw.BAR_COLOUR) > 0.15
    assert share(_draw.LINE_COLOUR) > 0.0005
    assert matplotlib.image.imread(io.BytesIO(sample("png", width=640, height=480))).shape[:2] == (
        480,
        640,
    )


def test_svg_text_is_vietnamese_with_labels() -> None:
    """The SVG keeps its text: the dated title, each unit, its label, the reference line."""
    svg = sample("svg").decode()
    assert "Tỷ lệ đạt chỉ tiêu so với thời gian đã qua, tính đến ngày 30/6/2023" in svg
    assert "Đảng bộ huyện Nam Giang" in svg
    assert "76,6%" in svg
    assert "Thời gian đã qua (50,0%)" in svg
    assert "Đảng bộ tỉnh Quảng Nam" not in svg  # the root is not one of the units compared
    assert "DejaVu Sans" in svg
    english = sample("svg", locale="en").decode()
    assert "as of 2023-06-30" in english
    assert "76.6%" in english
    assert "76,6%" not in english


def test_level_chooses_the_units() -> None:
    """level=province draws the province; a level without units is an export error."""
    svg = sample("svg", level="province").decode()
    assert "Đảng bộ tỉnh Quảng Nam" in svg
    assert "60,5%" in svg
    with pytest.raises(ExportError, match="commune"):
        sample("svg", level="commune")


def test_too_many_units_keeps_both_ends_and_says_so() -> None:
    """Past the limit the highest and lowest are drawn and a note tells what is left out."""
    svg = render(many_units(40), "svg", limit=10).decode()
    drawn = set(map(int, re.findall(r"Xã số (\d+)", svg)))
    assert drawn == {40, 39, 38, 37, 36, 5, 4, 3, 2, 1}
    assert "Biểu đồ thể hiện 10 trên 40 đơn vị" in svg
    assert "1 đơn vị chưa có tỷ lệ đạt chỉ tiêu" in svg
    assert "Xã chưa có chỉ tiêu" not in svg


def test_report_without_a_summary_to_chart_is_refused() -> None:
    """A report whose first table has no percent column cannot be charted."""
    table = Table("t", "T", "T", [Column("x", "text", "x", "x")], [("a",)])
    with pytest.raises(ExportError, match="no summary"):
        render(Report("R", "R", [table], {}), "png")
