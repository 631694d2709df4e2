"""partydev: exact tracking of party-member development against congress-term targets.

The public API is re-exported here; see the reference documentation for each name.
"""

from __future__ import annotations

from ._version import __version__
from .calc.achieved import Achievements, RollUp, achieved
from .calc.arithmetic import (
    DEFAULT_TOLERANCE,
    Status,
    achievement,
    average_per_year,
    change,
    composition,
    elapsed_share,
    exceedance,
    pace,
    pace_status,
    period_years,
    projection,
    remaining,
    remaining_years,
    required_per_year,
    round_half_up,
    share_of_membership,
    shares,
)
from .calc.membership import Balance, Probation, membership_balance, probation_figures
from .checks.rounding import (
    RoundingInterval,
    implied_targets,
    informative,
    min_denominator,
    percent_possible,
    reproducing_roundings,
    rounding_interval,
    shares_can_sum,
)
from .checks.verdicts import RollupFinding, Verdict, check_claims, check_rollup, verdicts_report
from .errors import (
    CycleError,
    DuplicateError,
    ExportError,
    InconsistentDataError,
    LedgerErrors,
    ParseError,
    PartydevError,
    PluginError,
    UndeterminedError,
    UnknownReferenceError,
    ValidationError,
)
from .labels import label
from .model.claims import Claim
from .model.codec import ledger_from_data, ledger_to_data
from .model.coverage import Coverage
from .model.ledger import Ledger
from .model.lifecycle import Movement, ProbationTally, Recognition, probation_due
from .model.lineage import Dissolve, Establish, Lineage, Merge, Move, Rename, Split, UnitEvent
from .model.periods import Period, parse_period
from .model.records import Admission, Category, Membership, Tally
from .model.targets import ResolvedTarget, Source, Target, resolve_target
from .model.terms import Term
from .model.units import DeclaredLevel, Hierarchy, Level, Unit
from .numbers import (
    Ratio,
    format_date,
    format_number,
    format_percent,
    parse_count,
    parse_date,
    parse_number,
    parse_percent,
    parse_stated_percent,
    round_fraction,
)
from .plugins.exporting import Exporter, Option
from .plugins.hookspecs import hookimpl
from .plugins.importing import Importer, LedgerSource
from .plugins.manager import (
    PartydevPluginWarning,
    get_exporter,
    get_importer,
    get_plugin_manager,
    plugin_info,
)
from .report.frames import ledger_from_frames
from .report.progress import build_report
from .report.table import Column, Report, Table, format_cell
from .report.terminal import render_report, render_table
from .shell.export import export, format_for_path, write_atomically
from .shell.io import (
    dump_ledger,
    dumps_ledger,
    load_ledger,
    loads_ledger,
    read_admissions_csv,
    read_tallies_csv,
    sample_ledger,
)

__all__ = [
    "DEFAULT_TOLERANCE",
    "Achievements",
    "Admission",
    "Balance",
    "Category",
    "Claim",
    "Column",
    "Coverage",
    "CycleError",
    "DeclaredLevel",
    "Dissolve",
    "DuplicateError",
    "Establish",
    "ExportError",
    "Exporter",
    "Hierarchy",
    "Importer",
    "InconsistentDataError",
    "Ledger",
    "LedgerErrors",
    "LedgerSource",
    "Level",
    "Lineage",
    "Membership",
    "Merge",
    "Move",
    "Movement",
    "Option",
    "ParseError",
    "PartydevError",
    "PartydevPluginWarning",
    "Period",
    "PluginError",
    "Probation",
    "ProbationTally",
    "Ratio",
    "Recognition",
    "Rename",
    "Report",
    "ResolvedTarget",
    "RollUp",
    "RollupFinding",
    "RoundingInterval",
    "Source",
    "Split",
    "Status",
    "Table",
    "Tally",
    "Target",
    "Term",
    "UndeterminedError",
    "Unit",
    "UnitEvent",
    "UnknownReferenceError",
    "ValidationError",
    "Verdict",
    "__version__",
    "achieved",
    "achievement",
    "average_per_year",
    "build_report",
    "change",
    "check_claims",
    "check_rollup",
    "composition",
    "dump_ledger",
    "dumps_ledger",
    "elapsed_share",
    "exceedance",
    "export",
    "format_cell",
    "format_date",
    "format_for_path",
    "format_number",
    "format_percent",
    "get_exporter",
    "get_importer",
    "get_plugin_manager",
    "hookimpl",
    "implied_targets",
    "informative",
    "label",
    "ledger_from_data",
    "ledger_from_frames",
    "ledger_to_data",
    "load_ledger",
    "loads_ledger",
    "membership_balance",
    "min_denominator",
    "pace",
    "pace_status",
    "parse_count",
    "parse_date",
    "parse_number",
    "parse_percent",
    "parse_period",
    "parse_stated_percent",
    "percent_possible",
    "period_years",
    "plugin_info",
    "probation_due",
    "probation_figures",
    "projection",
    "read_admissions_csv",
    "read_tallies_csv",
    "remaining",
    "remaining_years",
    "render_report",
    "render_table",
    "reproducing_roundings",
    "required_per_year",
    "resolve_target",
    "round_fraction",
    "round_half_up",
    "rounding_interval",
    "sample_ledger",
    "share_of_membership",
    "shares",
    "shares_can_sum",
    "verdicts_report",
    "write_atomically",
]
