"""Where the names and modules of the flat layout live now, and the one mechanism that
keeps the old spellings working.

partydev 0.x kept ~40 modules side by side in ``partydev/`` and ~120 names in
``partydev.__all__``.  The modules now sit in one sub-package per layer and the top
level keeps the entry points a user needs first.  Two tables say where everything
went:

- :data:`MODULES`: an old module path (``partydev.achieved``) → its new one
  (``partydev.calc.achieved``).  A finder on :data:`sys.meta_path` answers an import of
  the old path with *the same module object* (so ``isinstance``, pickling and
  monkeypatching see one module), after a :class:`DeprecationWarning` naming the new
  path;
- :data:`NAMES`: a name that left ``partydev.__all__`` → the namespace that has it now
  (``partydev.achievement`` → ``partydev.calc``).  ``partydev.__getattr__`` hands it
  out with a :class:`DeprecationWarning` naming that namespace.

``calc``, ``report``, ``checks`` and ``plugins`` became packages of the same name
that re-export every name of the old module, so they need no alias.
"""

from __future__ import annotations

import importlib
import sys
import warnings
from collections.abc import Sequence
from importlib.abc import Loader, MetaPathFinder
from importlib.machinery import ModuleSpec
from types import ModuleType

__all__ = ["MODULES", "NAMES", "install", "moved_name"]

MODULES: dict[str, str] = {
    f"partydev.{old}": f"partydev.{new}"
    for old, new in {
        "_checktext": "checks._checktext",
        "_claim_context": "checks._claim_context",
        "_claim_rules": "checks._claim_rules",
        "_cli_vi": "shell._cli_vi",
        "_comparing": "checks._comparing",
        "_console": "shell._console",
        "_fields": "model._fields",
        "_grim": "checks._grim",
        "_known_formats": "plugins._known_formats",
        "_reading": "plugins._reading",
        "_reasons": "checks._reasons",
        "_rollup": "checks._rollup",
        "_shares": "checks._shares",
        "_verdict": "checks._verdict",
        "_verdict_report": "checks._verdict_report",
        "achieved": "calc.achieved",
        "charting": "report.charting",
        "claims": "model.claims",
        "cli": "shell.cli",
        "codec": "model.codec",
        "coverage": "model.coverage",
        "eligibility": "model.eligibility",
        "export": "shell.export",
        "exporters": "shell.exporters",
        "exporters.csv": "shell.exporters.csv",
        "exporters.json": "shell.exporters.json",
        "exporting": "plugins.exporting",
        "flat": "model.flat",
        "frames": "report.frames",
        "hookspecs": "plugins.hookspecs",
        "importers": "shell.importers",
        "importers.builtin": "shell.importers.builtin",
        "importing": "plugins.importing",
        "io": "shell.io",
        "ledger": "model.ledger",
        "lifecycle": "model.lifecycle",
        "kernels": "model.kernels",
        "lineage": "model.lineage",
        "membership": "calc.membership",
        "membership_report": "report.membership_report",
        "notes": "calc.notes",
        "options": "report.options",
        "periods": "model.periods",
        "progress": "report.progress",
        "records": "model.records",
        "store": "model.store",
        "targets": "model.targets",
        "terminal": "report.terminal",
        "terms": "model.terms",
        "testing": "shell.testing",
        "units": "model.units",
        "verdicts": "checks.verdicts",
        "villages": "model.villages",
    }.items()
}
"""Old module path → the module's path now."""


def _homes(home: str, names: str) -> dict[str, str]:
    return dict.fromkeys(names.split(), home)


NAMES: dict[str, str] = {
    **_homes(
        "partydev.model",
        "Category Coverage DeclaredLevel Dissolve Establish Hierarchy Lineage Merge "
        "Move Movement ProbationTally Recognition Rename ResolvedTarget Source Split UnitEvent "
        "ledger_from_data ledger_to_data probation_due resolve_target",
    ),
    **_homes(
        "partydev.calc",
        "Balance DEFAULT_TOLERANCE Probation RollUp Status achievement average_per_year change "
        "composition elapsed_share exceedance membership_balance pace pace_status "
        "period_years probation_figures projection remaining remaining_years "
        "required_per_year round_half_up share_of_membership shares",
    ),
    **_homes(
        "partydev.checks",
        "RollupFinding RoundingInterval implied_targets informative min_denominator "
        "percent_possible reproducing_roundings rounding_interval shares_can_sum "
        "verdicts_report",
    ),
    **_homes(
        "partydev.numbers",
        "format_date format_number format_percent parse_count parse_date parse_number "
        "parse_percent parse_stated_percent round_fraction",
    ),
    **_homes("partydev.report", "render_table"),
    **_homes(
        "partydev.plugins",
        "Importer LedgerSource PartydevPluginWarning get_exporter get_importer "
        "get_plugin_manager plugin_info",
    ),
    **_homes(
        "partydev.errors", "CycleError DuplicateError InconsistentDataError UndeterminedError"
    ),
    **_homes("partydev.labels", "label"),
    **_homes("partydev.shell.io", "read_admissions_csv read_tallies_csv"),
    **_homes("partydev.shell.export", "format_for_path write_atomically"),
}
"""A name that left ``partydev.__all__`` → the namespace that exports it now."""


def moved_name(name: str) -> object:
    """The object *name* of the top level of old, with a warning naming its home now.

    Raises:
        AttributeError: *name* never was a name of ``partydev``.
    """
    if name in NAMES:
        home = NAMES[name]
        warnings.warn(
            f"partydev.{name} is deprecated: use {home}.{name}",
            DeprecationWarning,
            stacklevel=3,
        )
        return getattr(importlib.import_module(home), name)
    old = f"partydev.{name}"
    if old in MODULES:
        return importlib.import_module(old)
    raise AttributeError(f"module 'partydev' has no attribute {name!r}")


class _Alias(Loader):
    """Loads an old module path as the module that lives at its new path."""

    def __init__(self, new: str) -> None:
        self.new = new
        self.spec: ModuleSpec | None = None

    def create_module(self, spec: ModuleSpec) -> ModuleType:
        warnings.warn(
            f"the module {spec.name} is deprecated: import {self.new}",
            DeprecationWarning,
            stacklevel=2,
        )
        module = importlib.import_module(self.new)
        self.spec = module.__spec__
        return module

    def exec_module(self, module: ModuleType) -> None:
        """Nothing to run (the module ran under its new path) but to give the module its
        own spec back: the import system has just set the old path's on it."""
        module.__spec__ = self.spec


class _Finder(MetaPathFinder):
    """Finds the old module paths of :data:`MODULES`, and nothing else."""

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,
        target: ModuleType | None = None,
    ) -> ModuleSpec | None:
        new = MODULES.get(fullname)
        return None if new is None else ModuleSpec(fullname, _Alias(new))


class _Package(ModuleType):
    """``partydev`` itself: an old module path that is also a top-level name
    (``export``, ``achieved``) keeps the name when the old path is imported."""

    def __setattr__(self, name: str, value: object) -> None:
        if isinstance(value, ModuleType) and f"partydev.{name}" in MODULES:
            current = self.__dict__.get(name)
            if current is not None and not isinstance(current, ModuleType):
                return
        super().__setattr__(name, value)


_FINDER = _Finder()


def install(package: ModuleType) -> None:
    """Answer the old module paths from now on (once, however often it is called)."""
    if not any(isinstance(finder, _Finder) for finder in sys.meta_path):
        sys.meta_path.insert(0, _FINDER)
    package.__class__ = _Package
