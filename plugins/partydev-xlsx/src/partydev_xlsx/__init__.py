"""partydev-xlsx: export partydev reports as Excel workbooks.

Install it next to partydev and the ``xlsx`` format appears::

    pip install partydev-xlsx
    partydev report ledger.json -f xlsx -o report.xlsx

The plugin registers one :class:`~partydev.exporting.Exporter` through the
``register_exporters`` hook, found by pluggy through the ``partydev``
entry-point group declared in this distribution's ``pyproject.toml``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import IO, Any

from partydev.plugins.exporting import Exporter, Option
from partydev.plugins.hookspecs import hookimpl
from partydev.plugins.importing import Importer
from partydev.report import Report
from partydev.report.charting import DEFAULT_LIMIT

from ._workbook import write_report

__all__ = ["EXPORTER", "register_exporters", "register_importers", "write"]

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def write(report: Report, stream: IO[Any], options: Mapping[str, Any]) -> None:
    """Write *report* as XLSX to the binary *stream*; *options* as in :data:`EXPORTER`.

    Missing options take their defaults, so ``write(report, buffer, {})`` works.
    """
    write_report(report, stream, EXPORTER.resolve_options(options))


EXPORTER = Exporter(
    name="xlsx",
    title_vi="Bảng tính Excel (.xlsx)",
    title_en="Excel workbook (.xlsx)",
    suffixes=(".xlsx",),
    media_type=MEDIA_TYPE,
    binary=True,
    write=write,
    options=(
        Option(
            "locale",
            str,
            "vi",
            "Ngôn ngữ của tên trang, tiêu đề cột và nhãn: vi hoặc en",
            "Language of sheet names, headings and labels: vi or en",
            choices=("vi", "en"),
        ),
        Option(
            "chart",
            bool,
            True,
            "Thêm biểu đồ tỷ lệ thực hiện so với thời gian đã qua",
            "Add a chart of achievement against elapsed time",
        ),
        Option(
            "chart_rows",
            int,
            DEFAULT_LIMIT,
            "Số đơn vị tối đa trên biểu đồ (nhiều hơn: giữ nhóm cao nhất và thấp nhất)",
            "Most units the chart shows (more: the highest and the lowest are kept)",
        ),
        Option(
            "chart_level",
            str,
            "",
            "Biểu đồ so sánh mọi đơn vị của cấp này; mặc định: các đơn vị trực thuộc",
            "The chart compares every unit of this level; default: the root's sub-units",
        ),
        Option(
            "streaming",
            str,
            "auto",
            "Chế độ tiết kiệm bộ nhớ (dùng tệp tạm): auto, on hoặc off",
            "Constant-memory mode (temporary files): auto, on or off",
            choices=("auto", "on", "off"),
        ),
        Option(
            "overflow",
            str,
            "split",
            "Bảng dài quá 1.048.570 dòng: split (sang các trang tiếp theo) hoặc error (báo lỗi)",
            "A table over 1,048,570 rows: split (onto further sheets) or error",
            choices=("split", "error"),
        ),
    ),
)
"""The ``xlsx`` exporter."""


@hookimpl
def register_exporters(register: Callable[[Exporter], None]) -> None:
    """Register the ``xlsx`` exporter."""
    register(EXPORTER)


@hookimpl
def register_importers(register: Callable[[Importer], None]) -> None:
    """Register the ``xlsx`` ledger format (see :mod:`partydev_xlsx.ledger`)."""
    from .ledger import IMPORTER

    register(IMPORTER)
