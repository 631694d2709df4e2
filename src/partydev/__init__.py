"""partydev: exact tracking of party-member development against congress-term targets.

The public API is re-exported here; see the reference documentation for each name.
"""

from __future__ import annotations

from ._version import __version__
from .errors import (
    CycleError,
    DuplicateError,
    ExportError,
    InconsistentDataError,
    ParseError,
    PartydevError,
    PluginError,
    UndeterminedError,
    UnknownReferenceError,
    ValidationError,
)
from .labels import label
from .numbers import (
    Ratio,
    format_date,
    format_number,
    format_percent,
    parse_date,
    parse_number,
    parse_percent,
    round_fraction,
)
from .periods import Period, parse_period
from .report import Column, Report, Table, format_cell

__all__ = [
    "Column",
    "CycleError",
    "DuplicateError",
    "ExportError",
    "InconsistentDataError",
    "ParseError",
    "PartydevError",
    "Period",
    "PluginError",
    "Ratio",
    "Report",
    "Table",
    "UndeterminedError",
    "UnknownReferenceError",
    "ValidationError",
    "__version__",
    "format_cell",
    "format_date",
    "format_number",
    "format_percent",
    "label",
    "parse_date",
    "parse_number",
    "parse_percent",
    "parse_period",
    "round_fraction",
]
