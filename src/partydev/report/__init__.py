"""The report: immutable typed tables and how they are built and shown.

:class:`Report`, :class:`Table` and :class:`Column` (:mod:`partydev.report.table`,
re-exported here as :mod:`partydev.report` always was); :func:`build_report`
(:mod:`partydev.report.progress`) with its options; the terminal rendering, the chart
data and the DataFrame bridges.
"""

from __future__ import annotations

from .options import ReportOptions
from .progress import build_report
from .table import (
    METADATA_LABELS,
    PERIOD_COLUMNS,
    UNIT_ID,
    UNIT_NAME,
    Cell,
    Column,
    ColumnType,
    Report,
    Table,
    format_cell,
    metadata_label,
    period_cells,
)
from .terminal import (
    render_report,
    render_table,
)

__all__ = [
    "METADATA_LABELS",
    "PERIOD_COLUMNS",
    "UNIT_ID",
    "UNIT_NAME",
    "Cell",
    "Column",
    "ColumnType",
    "Report",
    "ReportOptions",
    "Table",
    "build_report",
    "format_cell",
    "metadata_label",
    "period_cells",
    "render_report",
    "render_table",
]
