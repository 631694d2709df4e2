"""partydev: exact tracking of party-member development against congress-term targets.

The public API is re-exported here; see the reference documentation for each name.
"""

from __future__ import annotations

from ._version import __version__
from .achieved import Achievements, RollUp, achieved
from .claims import Claim
from .codec import ledger_from_data, ledger_to_data
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
from .io import (
    dump_ledger,
    dumps_ledger,
    load_ledger,
    loads_ledger,
    read_admissions_csv,
    read_tallies_csv,
    sample_ledger,
)
from .labels import label
from .ledger import Ledger
from .lineage import Dissolve, Establish, Lineage, Merge, Move, Rename, Split, UnitEvent
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
from .records import Admission, Category, Membership, Tally
from .report import Column, Report, Table, format_cell
from .targets import ResolvedTarget, Source, Target, resolve_target
from .terms import Term
from .units import Hierarchy, Level, Unit

__all__ = [
    "Achievements",
    "Admission",
    "Category",
    "Claim",
    "Column",
    "CycleError",
    "Dissolve",
    "DuplicateError",
    "Establish",
    "ExportError",
    "Hierarchy",
    "InconsistentDataError",
    "Ledger",
    "Level",
    "Lineage",
    "Membership",
    "Merge",
    "Move",
    "ParseError",
    "PartydevError",
    "Period",
    "PluginError",
    "Ratio",
    "Rename",
    "Report",
    "ResolvedTarget",
    "RollUp",
    "Source",
    "Split",
    "Table",
    "Tally",
    "Target",
    "Term",
    "UndeterminedError",
    "Unit",
    "UnitEvent",
    "UnknownReferenceError",
    "ValidationError",
    "__version__",
    "achieved",
    "dump_ledger",
    "dumps_ledger",
    "format_cell",
    "format_date",
    "format_number",
    "format_percent",
    "label",
    "ledger_from_data",
    "ledger_to_data",
    "load_ledger",
    "loads_ledger",
    "parse_date",
    "parse_number",
    "parse_percent",
    "parse_period",
    "read_admissions_csv",
    "read_tallies_csv",
    "resolve_target",
    "round_fraction",
    "sample_ledger",
]
