"""partydev: exact tracking of party-member development against congress-term targets.

The names here are the entry points a user needs first: load a ledger, build a
report, check published figures, export.  Everything else lives in a namespace of
its layer: :mod:`partydev.model`, :mod:`partydev.calc`, :mod:`partydev.report`,
:mod:`partydev.checks`, :mod:`partydev.plugins`, :mod:`partydev.numbers`,
:mod:`partydev.errors`, :mod:`partydev.labels` and the shell's
:mod:`partydev.shell.io` and :mod:`partydev.shell.export`.

The names that were here before 0.2 still work, with a :class:`DeprecationWarning`
naming their namespace; so do the module paths of the flat layout
(``partydev.achieved`` is ``partydev.calc.achieved``).
"""

from __future__ import annotations

import sys

from . import _moved
from ._version import __version__
from .calc.achieved import Achievements, achieved
from .checks.verdicts import Verdict, check_claims, check_rollup
from .errors import (
    ExportError,
    LedgerErrors,
    ParseError,
    PartydevError,
    PluginError,
    UnknownReferenceError,
    ValidationError,
)
from .model.claims import Claim
from .model.ledger import Ledger
from .model.periods import Period, parse_period
from .model.records import Admission, Membership, Tally
from .model.targets import Target
from .model.terms import Term
from .model.units import Level, Unit
from .numbers import Ratio
from .plugins.exporting import Exporter, Option
from .plugins.hookspecs import hookimpl
from .report.frames import ledger_from_frames
from .report.progress import build_report
from .report.table import Column, Report, Table, format_cell
from .report.terminal import render_report
from .shell.export import export
from .shell.io import dump_ledger, dumps_ledger, load_ledger, loads_ledger, sample_ledger

__all__ = [
    "Achievements",
    "Admission",
    "Claim",
    "Column",
    "ExportError",
    "Exporter",
    "Ledger",
    "LedgerErrors",
    "Level",
    "Membership",
    "Option",
    "ParseError",
    "PartydevError",
    "Period",
    "PluginError",
    "Ratio",
    "Report",
    "Table",
    "Tally",
    "Target",
    "Term",
    "Unit",
    "UnknownReferenceError",
    "ValidationError",
    "Verdict",
    "__version__",
    "achieved",
    "build_report",
    "check_claims",
    "check_rollup",
    "dump_ledger",
    "dumps_ledger",
    "export",
    "format_cell",
    "hookimpl",
    "ledger_from_frames",
    "load_ledger",
    "loads_ledger",
    "parse_period",
    "render_report",
    "sample_ledger",
]


def __getattr__(name: str) -> object:
    """A name that left ``__all__`` (with a warning naming its home), or an old module."""
    return _moved.moved_name(name)


_moved.install(sys.modules[__name__])
