"""partydev-chart: draw a report's percent of target per unit as PNG, SVG or PDF.

Install it next to partydev and three formats appear::

    pip install partydev-chart
    partydev report -o chart.png
    partydev report -f svg -o chart.svg -O locale=en -O level=district

Each unit compared (the root's direct sub-units, or every unit of ``level``)
is a labelled bar of its percent of target; the elapsed share of the term is
a reference line; the title carries the report date.  The same report always
gives the same bytes.  The plugin registers its exporters through the
``register_exporters`` hook, found through the ``partydev`` entry-point group
declared in this distribution's ``pyproject.toml``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from typing import IO, Any

from partydev.plugins.exporting import Exporter, Option
from partydev.plugins.hookspecs import hookimpl
from partydev.report import Report
from partydev.report.charting import DEFAULT_LIMIT

__all__ = ["EXPORTERS", "OPTIONS", "register_exporters", "write"]

OPTIONS = (
    Option(
        "locale",
        str,
        "vi",
        "Ngôn ngữ của tiêu đề, nhãn và số: vi hoặc en",
        "Language of the title, labels and numbers: vi or en",
        choices=("vi", "en"),
    ),
    Option(
        "level",
        str,
        "",
        "So sánh mọi đơn vị của cấp này (district, commune…); mặc định: các đơn vị trực thuộc",
        "Compare every unit of this level (district, commune…); default: the root's sub-units",
    ),
    Option(
        "limit",
        int,
        DEFAULT_LIMIT,
        "Số đơn vị tối đa trên biểu đồ (nhiều hơn: giữ nhóm cao nhất và thấp nhất)",
        "Most units drawn (more: the highest and the lowest are kept)",
    ),
    Option("width", int, 1000, "Chiều rộng (điểm ảnh)", "Width in pixels"),
    Option(
        "height",
        int,
        0,
        "Chiều cao (điểm ảnh); 0: theo số đơn vị",
        "Height in pixels; 0: from the number of units",
    ),
)
"""The options every format of this plugin takes."""


def write(report: Report, stream: IO[Any], options: Mapping[str, Any], fmt: str = "png") -> None:
    """Write *report*'s chart as *fmt* to the binary *stream*; missing options take defaults."""
    # matplotlib is imported when a chart is drawn, not when partydev loads its
    # plugins (every command does, a ledger's importers included): ~0.7 s saved.
    from ._draw import save

    save(report, stream, fmt, EXPORTERS[fmt].resolve_options(options))


_FORMATS = {
    "png": ("Biểu đồ PNG", "PNG chart", "image/png"),
    "svg": ("Biểu đồ SVG", "SVG chart", "image/svg+xml"),
    "pdf": ("Biểu đồ PDF", "PDF chart", "application/pdf"),
}

EXPORTERS: dict[str, Exporter] = {
    fmt: Exporter(
        name=fmt,
        title_vi=title_vi,
        title_en=title_en,
        suffixes=(f".{fmt}",),
        media_type=media_type,
        binary=True,
        write=partial(write, fmt=fmt),
        options=OPTIONS,
    )
    for fmt, (title_vi, title_en, media_type) in _FORMATS.items()
}
"""The ``png``, ``svg`` and ``pdf`` exporters, by name."""


@hookimpl
def register_exporters(register: Callable[[Exporter], None]) -> None:
    """Register the ``png``, ``svg`` and ``pdf`` formats."""
    for exporter in EXPORTERS.values():
        register(exporter)
